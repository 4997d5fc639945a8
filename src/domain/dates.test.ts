import { describe, expect, it } from 'vitest';
import { excelSerialToDate, parseDate, yearsBetween } from './dates.ts';

describe('dates as clerks type them', () => {
  it.each([
    ['2008-07-29', '2008-07-29'],
    ['2008/7/29', '2008-07-29'],
    ['2008.7.29', '2008-07-29'],
    ['2008年7月29日', '2008-07-29'],
    ['2008年7月', '2008-07-01'],
    ['2008.07', '2008-07-01'],
    ['200807', '2008-07-01'],
    ['20080729', '2008-07-29'],
    ['２００８年７月２９日', '2008-07-29'],
    [' 2008 - 07 - 29 ', '2008-07-29'],
    ['39658', '2008-07-29'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseDate(input)).toEqual({ ok: true, value: expected });
  });

  it('reads Excel serial numbers and Date cells', () => {
    expect(parseDate(39658)).toEqual({ ok: true, value: '2008-07-29' });
    expect(parseDate(new Date(Date.UTC(2008, 6, 29)))).toEqual({ ok: true, value: '2008-07-29' });
  });

  it("keeps Excel's phantom 1900-02-29 from shifting later serials", () => {
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
  });

  it.each(['2008-02-30', '2008年13月', 'abc', '2008/7/29/1', ''])('refuses %j with a message', (input) => {
    const r = parseDate(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message.length).toBeGreaterThan(3);
  });

  it('counts whole years, not yet a birthday short', () => {
    expect(yearsBetween('1970-11-23', '2026-11-22')).toBe(55);
    expect(yearsBetween('1970-11-22', '2026-11-22')).toBe(56);
  });
});
