import { todayIso } from './clock.ts';
import { compactText } from './text.ts';

/**
 * 公民身份号码 (resident ID number), GB 11643-1999: 6-digit area code, 8-digit birth date,
 * 3-digit sequence (odd = male), and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdCardProblem = 'format' | 'birth_date' | 'check_digit';

export interface IdCardInfo {
  idNumber: string;
  birthDate: string;
  gender: 'male' | 'female';
}

export type IdCardResult =
  | { ok: true; value: IdCardInfo }
  | { ok: false; problem: IdCardProblem; message: string };

export function checkCharFor(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Validates an ID number as typed (full-width digits, spaces, lowercase x accepted) and reads it. */
export function parseIdNumber(input: string, today = new Date()): IdCardResult {
  const id = compactText(input).toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) {
    return {
      ok: false,
      problem: 'format',
      message: '身份证号应为18位，最后一位可为X / must be 18 characters, the last may be X',
    };
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(y, m, d) || y < 1900 || birth > todayIso(today)) {
    return {
      ok: false,
      problem: 'birth_date',
      message: `身份证号中的出生日期${birth}不存在 / the birth date ${birth} in it is impossible`,
    };
  }
  const expected = checkCharFor(id.slice(0, 17));
  if (id[17] !== expected) {
    return {
      ok: false,
      problem: 'check_digit',
      message: `身份证号校验位错误，应为${expected} / wrong check digit, expected ${expected}`,
    };
  }
  return {
    ok: true,
    value: { idNumber: id, birthDate: birth, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' },
  };
}

/** Builds a valid ID number (demo data and tests): area code, birth date, 3-digit sequence. */
export function makeIdNumber(area: string, birthDate: string, sequence: number): string {
  const first17 = `${area}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharFor(first17);
}
