/**
 * Working days, for the public notice period of a plan (公示期, "5 working days" by default).
 *
 * A working day is Monday to Friday. Statutory holidays (法定节假日) and the weekend days that are
 * worked in exchange for them (调休) are NOT modelled by default: the State Council publishes them
 * year by year, so they come from data. Pass a calendar to take them into account:
 * - `holidays`: dates that are not working days although they fall on Monday–Friday (e.g. 2025-10-01);
 * - `workdays`: dates that are working days although they fall on a weekend (e.g. 2025-09-28).
 *
 * Dates are ISO calendar dates (YYYY-MM-DD) in the county's local time; there is no time of day here.
 */
export interface WorkCalendar {
  holidays?: ReadonlySet<string>;
  workdays?: ReadonlySet<string>;
}

/** The notice period when the county has not configured another one. */
export const DEFAULT_NOTICE_DAYS = 5;

const DAY_MS = 86_400_000;
/** No real calendar has a year without working days: a longer search means the calendar is wrong. */
const MAX_SEARCH_DAYS = 3660;

function toDayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const dt = new Date(ms);
    if (dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d) {
      return ms / DAY_MS;
    }
  }
  throw new RangeError(`不是有效日期：${iso} / not a valid ISO date: ${iso}`);
}

const fromDayNumber = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Whether the date is a working day: Monday–Friday, unless the calendar says otherwise. */
export function isWorkingDay(iso: string, calendar?: WorkCalendar): boolean {
  const day = toDayNumber(iso);
  if (calendar?.workdays?.has(iso)) return true;
  if (calendar?.holidays?.has(iso)) return false;
  const weekday = new Date(day * DAY_MS).getUTCDay(); // 0 = Sunday
  return weekday !== 0 && weekday !== 6;
}

/**
 * The date `n` working days after `startIso` (before it, for negative `n`). The start day itself is
 * not counted, whatever it is: one working day after a Friday is the Monday; after a Saturday, too.
 * `n = 0` returns the start unchanged.
 */
export function addWorkingDays(startIso: string, n: number, calendar?: WorkCalendar): string {
  if (!Number.isInteger(n))
    throw new RangeError(`工作日数须为整数 / working days must be a whole number: ${n}`);
  let day = toDayNumber(startIso);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let sinceWorkingDay = 0;
  while (left > 0) {
    day += step;
    if (isWorkingDay(fromDayNumber(day), calendar)) {
      left--;
      sinceWorkingDay = 0;
    } else if (++sinceWorkingDay > MAX_SEARCH_DAYS) {
      throw new RangeError('日历中没有工作日 / no working days');
    }
  }
  return fromDayNumber(day);
}

/** The first working day on or after the date. */
export function nextWorkingDayOnOrAfter(iso: string, calendar?: WorkCalendar): string {
  let day = toDayNumber(iso);
  for (let i = 0; i <= MAX_SEARCH_DAYS; i++, day++) {
    const d = fromDayNumber(day);
    if (isWorkingDay(d, calendar)) return d;
  }
  throw new RangeError('日历中没有工作日 / no working days');
}

/**
 * The last day of a notice of `days` working days posted on `startIso`.
 *
 * The day the notice is posted counts as its first day when it is a working day, as county notices
 * write it ("公示时间：3月14日至3月20日"): posted on a Friday, 5 working days are Fri, Mon, Tue, Wed, Thu,
 * so the notice ends on the Thursday. Posted on a Saturday, the count starts on Monday and the
 * notice ends on Friday. The notice has ended once that last day is over (see `noticeHasEnded`).
 */
export function noticeEnd(
  startIso: string,
  days: number = DEFAULT_NOTICE_DAYS,
  calendar?: WorkCalendar,
): string {
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`公示期至少1个工作日 / a notice lasts at least 1 working day: ${days}`);
  }
  return addWorkingDays(nextWorkingDayOnOrAfter(startIso, calendar), days - 1, calendar);
}

/** A notice ending on `endsOn` is over from the next day on (it runs to the end of its last day). */
export const noticeHasEnded = (endsOn: string, onDate: string): boolean =>
  toDayNumber(onDate) > toDayNumber(endsOn);

/** Working days from `fromIso` to `toIso`, both included (0 when `toIso` is before `fromIso`). */
export function countWorkingDays(fromIso: string, toIso: string, calendar?: WorkCalendar): number {
  const from = toDayNumber(fromIso);
  const to = toDayNumber(toIso);
  let n = 0;
  for (let day = from; day <= to; day++) if (isWorkingDay(fromDayNumber(day), calendar)) n++;
  return n;
}
