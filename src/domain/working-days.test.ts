import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  countWorkingDays,
  DEFAULT_NOTICE_DAYS,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  noticeEnd,
  noticeHasEnded,
  type WorkCalendar,
} from './working-days.ts';

// 2025-03-14 is a Friday.
const FRI = '2025-03-14';

/** National Day 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked (调休). */
const NATIONAL_DAY_2025: WorkCalendar = {
  holidays: new Set(['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08']),
  workdays: new Set(['2025-09-28', '2025-10-11']),
};

describe('working days', () => {
  it('Monday to Friday are working days, Saturday and Sunday are not', () => {
    expect(['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', FRI].map((d) => isWorkingDay(d))).toEqual(
      [true, true, true, true, true],
    );
    expect(isWorkingDay('2025-03-15')).toBe(false);
    expect(isWorkingDay('2025-03-16')).toBe(false);
  });

  it('statutory holidays are not modelled without a calendar', () => {
    expect(isWorkingDay('2025-10-01')).toBe(true);
    expect(isWorkingDay('2025-09-28')).toBe(false);
  });

  it('with a calendar, a statutory holiday is not a working day and an adjusted weekend (调休) is', () => {
    expect(isWorkingDay('2025-10-01', NATIONAL_DAY_2025)).toBe(false);
    expect(isWorkingDay('2025-09-28', NATIONAL_DAY_2025)).toBe(true);
    expect(isWorkingDay('2025-10-11', NATIONAL_DAY_2025)).toBe(true);
  });

  it('one working day after a Friday is the Monday, and after a Saturday too', () => {
    expect(addWorkingDays(FRI, 1)).toBe('2025-03-17');
    expect(addWorkingDays('2025-03-15', 1)).toBe('2025-03-17');
  });

  it('adding no working days leaves the date as it is; negative days go back', () => {
    expect(addWorkingDays('2025-03-15', 0)).toBe('2025-03-15');
    expect(addWorkingDays('2025-03-17', -1)).toBe(FRI);
    expect(addWorkingDays(FRI, -5)).toBe('2025-03-07');
  });

  it('working days run across month ends, leap days and year ends', () => {
    expect(addWorkingDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addWorkingDays('2025-02-28', 1)).toBe('2025-03-03');
    expect(addWorkingDays('2025-12-31', 3)).toBe('2026-01-05');
  });

  it('the next working day on or after a date', () => {
    expect(nextWorkingDayOnOrAfter(FRI)).toBe(FRI);
    expect(nextWorkingDayOnOrAfter('2025-03-15')).toBe('2025-03-17');
  });

  it('working days are counted with both ends included', () => {
    expect(countWorkingDays(FRI, '2025-03-20')).toBe(5);
    expect(countWorkingDays('2025-03-15', '2025-03-16')).toBe(0);
    expect(countWorkingDays('2025-03-20', FRI)).toBe(0);
  });

  it('refuses dates that do not exist and fractional day counts', () => {
    expect(() => isWorkingDay('2025-02-29')).toThrow(RangeError);
    expect(() => addWorkingDays('2025/03/14', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(FRI, 1.5)).toThrow(RangeError);
  });

  it('a calendar without any working day is refused rather than searched for ever', () => {
    const days = new Set<string>();
    for (let d = 0; d < 4000; d++) days.add(new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10));
    expect(() => addWorkingDays('2025-01-01', 1, { holidays: days })).toThrow(RangeError);
  });
});

describe('the public notice period (公示期)', () => {
  it('the default notice is 5 working days', () => {
    expect(DEFAULT_NOTICE_DAYS).toBe(5);
  });

  it('a notice of 5 working days started on a Friday ends on Thursday', () => {
    expect(noticeEnd(FRI)).toBe('2025-03-20');
    expect(noticeEnd(FRI, 5)).toBe('2025-03-20');
  });

  it('the day a notice is posted counts as its first day when it is a working day', () => {
    expect(noticeEnd('2025-03-17', 5)).toBe('2025-03-21');
    expect(noticeEnd(FRI, 1)).toBe(FRI);
  });

  it('a notice posted on a weekend starts counting on the Monday', () => {
    expect(noticeEnd('2025-03-15', 5)).toBe('2025-03-21');
    expect(noticeEnd('2025-03-16', 5)).toBe('2025-03-21');
  });

  it('the county may configure a longer notice', () => {
    expect(noticeEnd(FRI, 7)).toBe('2025-03-24');
  });

  it('a notice over the National Day holiday runs past it when the calendar is given', () => {
    expect(noticeEnd('2025-09-30', 5)).toBe('2025-10-06');
    expect(noticeEnd('2025-09-30', 5, NATIONAL_DAY_2025)).toBe('2025-10-13');
  });

  it('a notice lasts at least one whole working day', () => {
    expect(() => noticeEnd(FRI, 0)).toThrow(RangeError);
    expect(() => noticeEnd(FRI, 2.5)).toThrow(RangeError);
  });

  it('a notice has ended only once its last day is over', () => {
    expect(noticeHasEnded('2025-03-20', '2025-03-20')).toBe(false);
    expect(noticeHasEnded('2025-03-20', '2025-03-21')).toBe(true);
    expect(noticeHasEnded('2025-03-20', '2025-03-19')).toBe(false);
  });
});
