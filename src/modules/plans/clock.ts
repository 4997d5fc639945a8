/** The county's clock lives in the domain; plans count notice periods in its calendar days. */
export { countyNow, todayIso as countyToday } from '../../domain/clock.ts';

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
