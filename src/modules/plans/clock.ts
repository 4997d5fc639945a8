/**
 * The county's local time. Notice periods are counted in the county's calendar days: China keeps
 * one time zone (UTC+8) without daylight saving, so the local date is the UTC time shifted by 8 hours.
 */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** Now as a local ISO date-time with its offset: 2026-03-14T09:30:00+08:00. */
export const countyNow = (now = new Date()): string =>
  `${new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;

/** Today's local date: 2026-03-14. */
export const countyToday = (now = new Date()): string => countyNow(now).slice(0, 10);

/** The calendar day after an ISO date. */
export const dayAfter = (iso: string): string => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};

/** The calendar date `days` before an ISO date. */
export const daysBefore = (iso: string, days: number): string => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
};
