import { isRealDate } from './idcard.ts';
import { normalizeText } from './text.ts';

/**
 * Dates as county clerks type them: 2008-07-29, 2008/7/29, 2008.7.29, 2008年7月29日, 2008年7月,
 * 200807, 20080729, and Excel's day serials (a number, or a cell already read as a Date).
 * A month without a day means the first of that month.
 */
export type DateResult = { ok: true; value: string } | { ok: false; message: string };

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Excel's 1900 date system, including its phantom 1900-02-29 (serial 60). */
export function excelSerialToDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return undefined;
  const whole = Math.floor(serial);
  const days = whole > 60 ? whole - 1 : whole;
  const ms = Date.UTC(1899, 11, 31) + days * 86400000;
  return new Date(ms).toISOString().slice(0, 10);
}

export function parseDate(input: unknown): DateResult {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return bad(String(input));
    // Spreadsheet dates carry no zone: exceljs reads them as UTC midnight.
    return { ok: true, value: input.toISOString().slice(0, 10) };
  }
  if (typeof input === 'number') {
    const v = excelSerialToDate(input);
    return v ? { ok: true, value: v } : bad(String(input));
  }
  const text = normalizeText(input).replace(/\s/g, '');
  if (!text) return { ok: false, message: '日期为空 / the date is empty' };

  let m = /^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?|月?)$/.exec(text);
  if (m) return fromParts(text, Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : 1);
  m = /^(\d{4})(\d{2})(\d{2})?$/.exec(text);
  if (m) return fromParts(text, Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : 1);
  m = /^(\d{1,5})(\.\d+)?$/.exec(text);
  if (m) {
    const v = excelSerialToDate(Number(text));
    if (v) return { ok: true, value: v };
  }
  return bad(text);
}

function fromParts(text: string, y: number, mo: number, d: number): DateResult {
  if (y < 1900 || y > 2100 || !isRealDate(y, mo, d)) {
    return { ok: false, message: `日期“${text}”不存在 / "${text}" is not a real date` };
  }
  return { ok: true, value: iso(y, mo, d) };
}

function bad(text: string): DateResult {
  return {
    ok: false,
    message: `无法识别日期“${text}”，请写作2008-07-29或2008年7月29日 / cannot read the date "${text}"; write it as 2008-07-29`,
  };
}

/** Whole years between two ISO dates (age, party standing). */
export function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

export { todayIso } from './clock.ts';
