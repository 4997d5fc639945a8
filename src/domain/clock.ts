/**
 * The county's clock. Dates a user sees and types are the county's calendar days: China keeps one
 * time zone (UTC+8) without daylight saving, so the local date is UTC shifted by 8 hours. A server
 * clock in UTC would otherwise call 00:00–08:00 in the county "yesterday" and refuse a visit logged
 * on a phone at 00:30 as dated in the future.
 */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** Now as a local ISO date-time with its offset: 2026-03-14T09:30:00+08:00. */
export const countyNow = (now = new Date()): string =>
  `${new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;

/** Today's date in the county: 2026-03-14. */
export const todayIso = (now = new Date()): string => countyNow(now).slice(0, 10);
