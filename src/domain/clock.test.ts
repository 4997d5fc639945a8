import { describe, expect, it } from 'vitest';
import { countyNow, todayIso } from './clock.ts';

describe('the county clock (UTC+8, no daylight saving)', () => {
  it('at 00:30 in the county, while UTC still has the day before, today is the county’s date', () => {
    const halfPastMidnight = new Date('2026-12-02T16:30:00Z');
    expect(todayIso(halfPastMidnight)).toBe('2026-12-03');
    expect(countyNow(halfPastMidnight)).toBe('2026-12-03T00:30:00+08:00');
  });

  it('the county’s new year starts at 16:00 UTC on 31 December', () => {
    expect(todayIso(new Date('2026-12-31T23:59:00Z'))).toBe('2027-01-01');
    expect(todayIso(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });
});
