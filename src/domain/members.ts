import type { Gender } from './codes.ts';
import { yearsBetween } from './dates.ts';
import { parseIdNumber } from './idcard.ts';

/**
 * Rules a member's record keeps, shared by the API, the importer and the demo. Problems name the
 * field they concern (API field names; the importer maps them to its sheet's headers).
 */
export type MemberField = 'idNumber' | 'birthDate' | 'gender' | 'joinDate' | 'fullMemberDate' | 'phone';

export interface FieldProblem {
  field: MemberField;
  message: string;
}

export interface IdentityInput {
  idNumber: string;
  birthDate?: string | undefined;
  gender?: Gender | undefined;
}

export type IdentityResult =
  | { ok: true; value: { idNumber: string; birthDate: string; gender: Gender } }
  | { ok: false; problems: FieldProblem[] };

/** The ID number decides birth date and gender; fields given beside it must agree with it. */
export function checkIdentity(input: IdentityInput, today = new Date()): IdentityResult {
  const id = parseIdNumber(input.idNumber, today);
  if (!id.ok) return { ok: false, problems: [{ field: 'idNumber', message: id.message }] };
  const problems: FieldProblem[] = [];
  if (input.birthDate && input.birthDate !== id.value.birthDate) {
    problems.push({
      field: 'birthDate',
      message: `出生日期${input.birthDate}与身份证号中的${id.value.birthDate}不一致 / birth date ${input.birthDate} disagrees with ${id.value.birthDate} in the ID number`,
    });
  }
  if (input.gender && input.gender !== id.value.gender) {
    problems.push({
      field: 'gender',
      message: `性别与身份证号不一致（身份证号为${id.value.gender === 'male' ? '男' : '女'}） / gender disagrees with the ID number`,
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: id.value };
}

/** Admission dates: joining at 18 or older, full membership after joining, neither in the future. */
export function checkMemberDates(
  d: { birthDate: string; joinDate?: string | null; fullMemberDate?: string | null },
  today: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (d.joinDate) {
    if (d.joinDate > today)
      problems.push({ field: 'joinDate', message: '入党时间不能晚于今天 / join date is in the future' });
    else if (yearsBetween(d.birthDate, d.joinDate) < 18)
      problems.push({ field: 'joinDate', message: '入党时应年满18岁 / a member joins at 18 or older' });
  }
  if (d.fullMemberDate) {
    if (d.fullMemberDate > today)
      problems.push({
        field: 'fullMemberDate',
        message: '转正时间不能晚于今天 / full-membership date is in the future',
      });
    else if (d.joinDate && d.fullMemberDate < d.joinDate)
      problems.push({
        field: 'fullMemberDate',
        message: '转正时间早于入党时间 / full membership precedes joining',
      });
  }
  return problems;
}

/** Mainland mobiles (11 digits from 1) or landlines with an area code; separators are dropped. */
export function normalizePhone(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const digits = input.replace(/[\s\-()（）]/g, '');
  if (/^1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits)) return { ok: true, value: digits };
  return { ok: false, message: `电话号码“${input}”格式不对 / "${input}" is not a phone number` };
}
