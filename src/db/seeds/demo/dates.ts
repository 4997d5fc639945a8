import type { Rng } from './rng.ts';

/** ISO dates as whole days since 1970-01-01 (UTC), so date sums never meet a time zone. */
const DAY = 86_400_000;

export const dayOf = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const isoOf = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
export const addDays = (iso: string, days: number): string => isoOf(dayOf(iso) + days);

/** The same calendar day `years` later; 29 February falls back to 28 February. */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A uniformly drawn day in [from, to], both ends included; `from` when the range is empty. */
export const dateBetween = (rng: Rng, from: string, to: string): string =>
  isoOf(rng.int(dayOf(from), Math.max(dayOf(from), dayOf(to))));

/** A birth date that makes the person `age` (whole years) on `onDate`. */
export function birthDateForAge(rng: Rng, age: number, onDate: string): string {
  const latest = addYears(onDate, -age);
  const earliest = addDays(addYears(onDate, -age - 1), 1);
  return dateBetween(rng, earliest, latest);
}

export const minDate = (a: string, b: string): string => (a < b ? a : b);
export const maxDate = (a: string, b: string): string => (a > b ? a : b);
