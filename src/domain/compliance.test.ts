import { describe, expect, it } from 'vitest';
import {
  assessPairing,
  type ComplianceInput,
  type CountedVisit,
  countByLevel,
  nextVisitDue,
  obligationStatus,
  proratedQuota,
} from './compliance.ts';
import { effectiveRule, type QuotaRule, type VisitKind } from './pairings.ts';

const LEADER = effectiveRule('leader_contact');
const BRANCH = effectiveRule('branch_cobuild');
const YEAR = 2025;
const WHOLE_YEAR = { startedOn: '2020-03-01', endedOn: null };

const visits = (dates: readonly string[], kind: VisitKind = 'on_site_work'): CountedVisit[] =>
  dates.map((on) => ({ on, kind }));
/** The n-th visit on the 10th of every other month, from January. */
const spread = (n: number, year = YEAR) =>
  Array.from({ length: n }, (_, i) => `${year}-${String(((i * 2) % 12) + 1).padStart(2, '0')}-10`);

function countyLeader(done: readonly string[], asOf: string, extra: Partial<ComplianceInput> = {}) {
  return assessPairing({
    pairing: { leaderRank: 'county', ...WHOLE_YEAR },
    rule: LEADER,
    visits: visits(done),
    year: YEAR,
    asOf,
    ...extra,
  });
}

describe('the yearly quota', () => {
  it('a county-level leader with 5 on-site visits by year end is short of the quota of 6', () => {
    const r = countyLeader(spread(5), '2025-12-31');
    expect(r).toMatchObject({ required: 6, done: 5, shortfall: 1, onPace: false, level: 'short' });
  });

  it('a county-level leader with 6 on-site visits by year end is on track', () => {
    const r = countyLeader(spread(6), '2025-12-31');
    expect(r).toMatchObject({ required: 6, done: 6, shortfall: 0, level: 'on_track' });
  });

  it('a section-level leader needs 12 on-site visits a year', () => {
    const r = assessPairing({
      pairing: { leaderRank: 'section', ...WHOLE_YEAR },
      rule: LEADER,
      visits: visits(spread(6)),
      year: YEAR,
      asOf: '2025-12-31',
    });
    expect(r).toMatchObject({ requiredFullYear: 12, required: 12, done: 6, shortfall: 6, level: 'short' });
  });

  it('a branch pairing with 4 visits is on track at year end', () => {
    const r = assessPairing({
      pairing: WHOLE_YEAR,
      rule: BRANCH,
      visits: [
        { on: '2025-02-10', kind: 'on_site_work' },
        { on: '2025-05-10', kind: 'joint_meeting' },
        { on: '2025-08-10', kind: 'collective_day' },
        { on: '2025-11-10', kind: 'mutual_inspection' },
      ],
      year: YEAR,
      asOf: '2025-12-31',
    });
    expect(r).toMatchObject({ required: 4, done: 4, level: 'on_track', onPace: true });
  });

  it('a branch pairing with 3 visits is short at year end', () => {
    const r = assessPairing({
      pairing: WHOLE_YEAR,
      rule: BRANCH,
      visits: visits(spread(3)),
      year: YEAR,
      asOf: '2025-12-31',
    });
    expect(r).toMatchObject({ required: 4, done: 3, shortfall: 1, level: 'short' });
  });

  it('extra visits leave no negative shortfall', () => {
    const r = countyLeader(spread(12), '2025-12-31');
    expect(r).toMatchObject({ done: 12, shortfall: 0, behindBy: 0, level: 'on_track' });
  });

  it('the county’s override of a quota replaces the built-in one in the assessment', () => {
    const rule = effectiveRule('leader_contact', {
      leader_contact: { visitsPerYear: { byRank: { county: 8, section: 12 } } },
    });
    const r = countyLeader(spread(6), '2025-12-31', { rule });
    expect(r).toMatchObject({ requiredFullYear: 8, required: 8, shortfall: 2, level: 'short' });
  });

  it('a rule asking no visits has no quota and nothing to fall short of', () => {
    const r = assessPairing({
      pairing: WHOLE_YEAR,
      rule: effectiveRule('member_assist'),
      visits: [],
      year: YEAR,
      asOf: '2025-12-31',
    });
    expect(r).toMatchObject({ hasQuota: false, required: 0, done: 0, shortfall: 0, level: 'on_track' });
  });

  it('the pairing’s id is passed through for roll-ups', () => {
    expect(
      countyLeader([], '2025-03-01', { pairing: { id: 42, leaderRank: 'county', ...WHOLE_YEAR } }).id,
    ).toBe(42);
    expect('id' in countyLeader([], '2025-03-01')).toBe(false);
  });
});

describe('pace', () => {
  it('6 a year means 3 by the end of June', () => {
    expect(countyLeader([], '2025-06-30').expectedByNow).toBe(3);
    expect(countyLeader([], '2024-06-30', { year: 2024 }).expectedByNow).toBe(3);
  });

  it('a visit falls due only once its whole share of the year has passed: 2 on 29 June', () => {
    expect(countyLeader([], '2025-06-29').expectedByNow).toBe(2);
    expect(countyLeader([], '2025-02-28').expectedByNow).toBe(1);
    expect(countyLeader([], '2025-02-27').expectedByNow).toBe(0);
  });

  it('12 a year means one by the end of each month', () => {
    const section = (asOf: string) =>
      assessPairing({ pairing: { leaderRank: 'section', ...WHOLE_YEAR }, rule: LEADER, year: YEAR, asOf })
        .expectedByNow;
    expect(['2025-01-31', '2025-02-28', '2025-09-30', '2025-11-30'].map(section)).toEqual([1, 2, 9, 11]);
    expect(section('2025-03-30')).toBe(2);
  });

  it('a county-level leader with 3 visits by the end of June is on pace', () => {
    const r = countyLeader(['2025-01-10', '2025-03-10', '2025-06-30'], '2025-06-30');
    expect(r).toMatchObject({ done: 3, expectedByNow: 3, onPace: true, level: 'on_track', shortfall: 3 });
  });

  it('a county-level leader with 2 visits by the end of June is behind pace, not yet short', () => {
    const r = countyLeader(['2025-01-10', '2025-03-10'], '2025-06-30');
    expect(r).toMatchObject({ done: 2, expectedByNow: 3, onPace: false, behindBy: 1, level: 'behind_pace' });
  });

  it('on the first day of the year nothing is due yet', () => {
    expect(countyLeader([], '2025-01-01')).toMatchObject({
      expectedByNow: 0,
      onPace: true,
      level: 'on_track',
    });
  });

  it('a visit on the day assessed counts: as of means the end of that day', () => {
    expect(countyLeader(['2025-02-28'], '2025-02-28')).toMatchObject({ done: 1, level: 'on_track' });
  });

  it('visits after the day assessed are not counted', () => {
    expect(countyLeader(['2025-02-28', '2025-03-01'], '2025-02-28').done).toBe(1);
  });
});

describe('year end and the span of a pairing', () => {
  it('asOf exactly on year end closes the year: a shortfall then is short', () => {
    expect(countyLeader(spread(5), '2025-12-31').level).toBe('short');
    expect(countyLeader(spread(5), '2025-12-30')).toMatchObject({ expectedByNow: 5, level: 'on_track' });
    expect(countyLeader(spread(4), '2025-12-30')).toMatchObject({ level: 'behind_pace', shortfall: 2 });
  });

  it('a future asOf beyond year end is clamped to the year’s last day', () => {
    const r = countyLeader([...spread(5), '2026-01-15'], '2026-03-01');
    expect(r).toMatchObject({ asOf: '2025-12-31', done: 5, expectedByNow: 6, level: 'short' });
  });

  it('a pairing started on 1 July owes half the year’s quota, rounded up', () => {
    const half = { startedOn: '2025-07-01', endedOn: null };
    expect(countyLeader([], '2025-12-31', { pairing: { leaderRank: 'county', ...half } }).required).toBe(3);
    expect(proratedQuota(12, '2025-07-01', null, YEAR)).toBe(6);
    expect(proratedQuota(4, '2025-07-01', null, YEAR)).toBe(2);
    expect(proratedQuota(5, '2025-07-01', null, YEAR)).toBe(3);
    expect(proratedQuota(6, '2024-07-01', null, 2024)).toBe(3);
  });

  it('a pairing started mid-month owes the part of the month by its days, rounded up', () => {
    // 17 of July's 31 days and 5 whole months: 6 × 5.548 / 12 = 2.77 → 3.
    expect(proratedQuota(6, '2025-07-15', null, YEAR)).toBe(3);
    // 11 months and 30 of January's 31 days: 11.97 → 12.
    expect(proratedQuota(12, '2025-01-02', null, YEAR)).toBe(12);
    expect(proratedQuota(12, '2025-02-01', null, YEAR)).toBe(11);
  });

  it('a quota is never prorated to less than 1 while any of the year is active', () => {
    expect(proratedQuota(4, '2025-12-31', null, YEAR)).toBe(1);
    expect(proratedQuota(6, '2025-01-01', '2025-01-01', YEAR)).toBe(1);
    expect(proratedQuota(0, '2025-07-01', null, YEAR)).toBe(0);
    const r = assessPairing({
      pairing: { startedOn: '2025-12-31', endedOn: null },
      rule: BRANCH,
      year: YEAR,
      asOf: '2025-12-31',
    });
    expect(r).toMatchObject({ required: 1, expectedByNow: 1, level: 'short' });
  });

  it('a pairing running the whole year owes exactly the yearly number', () => {
    expect(proratedQuota(6, '2019-05-05', null, YEAR)).toBe(6);
    expect(proratedQuota(6, '2025-01-01', '2025-12-31', YEAR)).toBe(6);
    expect(proratedQuota(6, '2025-01-01', '2030-06-30', YEAR)).toBe(6);
  });

  it('months count the same in leap years: started 1 March owes ten twelfths either way', () => {
    expect(proratedQuota(12, '2024-03-01', null, 2024)).toBe(10);
    expect(proratedQuota(12, '2025-03-01', null, YEAR)).toBe(10);
  });

  it('in a leap year February ends on the 29th: a visit made then counts, and the first of six falls due then', () => {
    const r = countyLeader(['2024-02-29'], '2024-02-29', { year: 2024 });
    expect(r).toMatchObject({ done: 1, expectedByNow: 1, level: 'on_track' });
    expect(countyLeader([], '2024-02-28', { year: 2024 }).expectedByNow).toBe(0);
  });

  it('pace in a pairing started mid-year runs over its own part of the year', () => {
    const pairing = { leaderRank: 'county' as const, startedOn: '2025-07-01', endedOn: null };
    const at = (asOf: string) => countyLeader([], asOf, { pairing }).expectedByNow;
    expect(['2025-07-31', '2025-08-31', '2025-09-30', '2025-10-31', '2025-12-31'].map(at)).toEqual([
      0, 1, 1, 2, 3,
    ]);
  });

  it('asOf before the pairing starts is not started', () => {
    const pairing = { leaderRank: 'county' as const, startedOn: '2025-07-01', endedOn: null };
    const r = countyLeader(['2025-03-01'], '2025-06-30', { pairing });
    expect(r).toMatchObject({ required: 3, done: 0, expectedByNow: 0, level: 'not_started', onPace: true });
  });

  it('asOf in the year before is not started', () => {
    expect(countyLeader([], '2024-11-30')).toMatchObject({ done: 0, expectedByNow: 0, level: 'not_started' });
  });

  it('visits before the pairing started or after it ended are not counted', () => {
    const pairing = { leaderRank: 'county' as const, startedOn: '2025-03-01', endedOn: '2025-10-31' };
    const r = countyLeader(
      ['2025-02-28', '2025-03-01', '2025-10-31', '2025-11-01', '2024-06-01'],
      '2025-12-31',
      {
        pairing,
      },
    );
    expect(r.done).toBe(2);
  });

  it('a pairing ended mid-year owes for the months it ran and is short once it has ended', () => {
    const pairing = { leaderRank: 'section' as const, startedOn: '2025-01-01', endedOn: '2025-06-30' };
    const dates = ['2025-01-10', '2025-02-10', '2025-03-10', '2025-04-10', '2025-05-10'];
    const r = assessPairing({ pairing, rule: LEADER, visits: visits(dates), year: YEAR, asOf: '2025-09-01' });
    expect(r).toMatchObject({ required: 6, done: 5, expectedByNow: 6, shortfall: 1, level: 'short' });
    expect(r.activeTo).toBe('2025-06-30');
    const onItsLastDay = assessPairing({
      pairing,
      rule: LEADER,
      visits: visits(dates),
      year: YEAR,
      asOf: '2025-06-30',
    });
    expect(onItsLastDay.level).toBe('short');
    const before = assessPairing({
      pairing,
      rule: LEADER,
      visits: visits(dates),
      year: YEAR,
      asOf: '2025-06-29',
    });
    expect(before.level).toBe('on_track');
  });

  it('a pairing that starts after the year is not active in it and not started', () => {
    const r = countyLeader([], '2025-12-31', {
      pairing: { leaderRank: 'county', startedOn: '2026-01-01', endedOn: null },
    });
    expect(r).toMatchObject({ active: false, required: 0, level: 'not_started', activeFrom: null });
  });

  it('a pairing that ended before the year owes nothing in it', () => {
    const r = countyLeader(['2025-03-01'], '2025-12-31', {
      pairing: { leaderRank: 'county', startedOn: '2023-01-01', endedOn: '2024-12-31' },
    });
    expect(r).toMatchObject({ active: false, required: 0, done: 0, shortfall: 0 });
  });

  it('a pairing cannot end before it starts, and dates must be real', () => {
    expect(() =>
      countyLeader([], '2025-12-31', { pairing: { startedOn: '2025-05-01', endedOn: '2025-04-30' } }),
    ).toThrow(RangeError);
    expect(() => countyLeader([], '2025-02-29')).toThrow(RangeError);
    expect(() => countyLeader(['2025-13-01'], '2025-12-31')).toThrow(RangeError);
  });
});

describe('what counts', () => {
  it('visits of kinds the rule does not count are not counted', () => {
    const r = countyLeader([], '2025-12-31', {
      visits: [
        { on: '2025-03-01', kind: 'training' },
        { on: '2025-04-01', kind: 'meet_family' },
        { on: '2025-05-01', kind: 'donation' },
        { on: '2025-06-01', kind: 'on_site_work' },
      ],
    });
    expect(r.done).toBe(1);
  });

  it('a visit not made on site does not count towards an on-site quota', () => {
    const r = countyLeader([], '2025-12-31', {
      visits: [
        { on: '2025-03-01', kind: 'on_site_work', onSite: false },
        { on: '2025-04-01', kind: 'on_site_work', onSite: true },
        { on: '2025-05-01', kind: 'on_site_work' },
      ],
    });
    expect(r.done).toBe(2);
  });

  it('under a rule counting any visit, visits away from the site count too', () => {
    const rule: QuotaRule = { ...LEADER, basis: 'any' };
    const r = countyLeader([], '2025-12-31', {
      rule,
      visits: [{ on: '2025-03-01', kind: 'on_site_work', onSite: false }],
    });
    expect(r.done).toBe(1);
  });

  it('counts per month count as dated visits do', () => {
    const r = countyLeader([], '2025-06-30', {
      visits: undefined,
      monthCounts: [
        { month: '2025-01', count: 1 },
        { month: '2025-03', count: 1, kind: 'on_site_work' },
        { month: '2025-06-01', count: 1 },
      ],
    });
    expect(r).toMatchObject({ done: 3, level: 'on_track' });
  });

  it('month counts of kinds the rule does not count, of other years, or after asOf are left out', () => {
    const r = countyLeader([], '2025-06-15', {
      monthCounts: [
        { month: '2025-02', count: 2, kind: 'training' },
        { month: '2024-12', count: 3 },
        { month: '2025-07', count: 1 },
        { month: '2025-06', count: 1 },
      ],
    });
    expect(r.done).toBe(1);
  });

  it('month counts before the pairing started are left out; its first month counts whole', () => {
    const pairing = { leaderRank: 'county' as const, startedOn: '2025-07-15', endedOn: null };
    const r = countyLeader([], '2025-12-31', {
      pairing,
      monthCounts: [
        { month: '2025-06', count: 2 },
        { month: '2025-07', count: 1 },
        { month: '2025-09', count: 2 },
      ],
    });
    expect(r).toMatchObject({ required: 3, done: 3, level: 'on_track' });
  });

  it('dated visits and month counts, when both are given, add up', () => {
    const r = countyLeader(['2025-02-01'], '2025-12-31', { monthCounts: [{ month: '2025-05', count: 2 }] });
    expect(r.done).toBe(3);
  });

  it('a month count must be a whole number of visits in a real month', () => {
    expect(() => countyLeader([], '2025-12-31', { monthCounts: [{ month: '2025-05', count: -1 }] })).toThrow(
      RangeError,
    );
    expect(() => countyLeader([], '2025-12-31', { monthCounts: [{ month: '2025-05', count: 1.5 }] })).toThrow(
      RangeError,
    );
    expect(() => countyLeader([], '2025-12-31', { monthCounts: [{ month: 'May', count: 1 }] })).toThrow(
      RangeError,
    );
  });
});

describe('counting by level', () => {
  it('counts each level, and keeps pairings not running in the year apart', () => {
    const results = [
      countyLeader(spread(6), '2025-12-31'),
      countyLeader(spread(5), '2025-12-31'),
      countyLeader([], '2025-06-30'),
      countyLeader([], '2025-06-30', {
        pairing: { leaderRank: 'county', startedOn: '2025-07-01', endedOn: null },
      }),
      countyLeader([], '2025-06-30', {
        pairing: { leaderRank: 'county', startedOn: '2020-01-01', endedOn: '2024-01-01' },
      }),
      countyLeader(spread(3), '2025-06-30'),
    ];
    expect(countByLevel(results)).toEqual({
      on_track: 2,
      behind_pace: 1,
      short: 1,
      not_started: 1,
      inactive: 1,
      total: 6,
    });
  });

  it('no results count nothing', () => {
    expect(countByLevel([])).toEqual({
      on_track: 0,
      behind_pace: 0,
      short: 0,
      not_started: 0,
      inactive: 0,
      total: 0,
    });
  });
});

describe('the five standing systems', () => {
  it('a missed quarter of the joint meeting shows', () => {
    const s = obligationStatus('joint_meeting', YEAR, '2025-10-15', ['2025-02-20', '2025-08-05']);
    expect(s.missed).toEqual(['2025-Q2']);
    expect(s.periods.map((p) => p.state)).toEqual(['done', 'missed', 'done', 'open']);
    expect(s).toMatchObject({ schedule: 'quarterly', owed: 4, done: 2, dueByNow: 3, ok: false, events: 2 });
  });

  it('a quarter not yet over is open, not missed', () => {
    const s = obligationStatus('joint_meeting', YEAR, '2025-03-30', []);
    expect(s.missed).toEqual([]);
    expect(s.periods[0]?.state).toBe('open');
    expect(obligationStatus('joint_meeting', YEAR, '2025-03-31', []).missed).toEqual(['2025-Q1']);
  });

  it('a month without a collective activity day is missed once it is over', () => {
    const events = ['2025-01-08', '2025-02-08', '2025-04-08'];
    expect(obligationStatus('collective_day', YEAR, '2025-04-30', events).missed).toEqual(['2025-03']);
    const s = obligationStatus('collective_day', YEAR, '2025-05-15', events);
    expect(s.missed).toEqual(['2025-03']);
    expect(s.periods[4]?.state).toBe('open');
    expect(s.periods[5]?.state).toBe('upcoming');
    expect(s.periods).toHaveLength(12);
  });

  it('two activity days in one month do not make up for a missed month', () => {
    const s = obligationStatus('collective_day', YEAR, '2025-02-28', ['2025-02-03', '2025-02-20']);
    expect(s.missed).toEqual(['2025-01']);
    expect(s.periods[1]?.events).toBe(2);
  });

  it('the annual mutual inspection is missed only when the year is over', () => {
    expect(obligationStatus('mutual_inspection', YEAR, '2025-12-30', [])).toMatchObject({
      missed: [],
      ok: true,
    });
    expect(obligationStatus('mutual_inspection', YEAR, '2025-12-31', [])).toMatchObject({
      missed: ['2025'],
      ok: false,
    });
    expect(obligationStatus('mutual_inspection', YEAR, '2025-12-31', ['2025-12-20'])).toMatchObject({
      done: 1,
      ok: true,
    });
  });

  it('the cross-learning month is one month of the year, whichever the pair chose', () => {
    const s = obligationStatus('cross_learning', YEAR, '2025-12-31', [
      '2025-05-06',
      '2025-05-20',
      '2025-05-28',
    ]);
    expect(s).toMatchObject({ schedule: 'month_a_year', months: ['2025-05'], done: 1, missed: [], ok: true });
    expect(obligationStatus('cross_learning', YEAR, '2026-02-01', [])).toMatchObject({
      missed: ['2025'],
      asOf: '2025-12-31',
    });
  });

  it('day-to-day mutual help is counted, never missed', () => {
    const s = obligationStatus('daily_help', YEAR, '2025-12-31', ['2025-01-02', '2025-06-01', '2024-12-31']);
    expect(s).toMatchObject({ schedule: 'ongoing', events: 2, periods: [], missed: [], owed: 0, ok: true });
  });

  it('events outside the year, the span, or after asOf are not counted', () => {
    const s = obligationStatus(
      'joint_meeting',
      YEAR,
      '2025-09-30',
      ['2024-12-31', '2025-02-01', '2025-05-01', '2025-10-01'],
      { startedOn: '2025-03-01', endedOn: null },
    );
    expect(s.events).toBe(1);
    expect(s.periods.map((p) => p.state)).toEqual(['not_owed', 'done', 'missed', 'upcoming']);
  });

  it('a pairing started late in a quarter does not owe that quarter; one started early in it does', () => {
    const late = obligationStatus('joint_meeting', YEAR, '2025-12-31', [], {
      startedOn: '2025-03-20',
      endedOn: null,
    });
    expect(late.missed).toEqual(['2025-Q2', '2025-Q3', '2025-Q4']);
    expect(late.owed).toBe(3);
    const early = obligationStatus('joint_meeting', YEAR, '2025-12-31', [], {
      startedOn: '2025-02-10',
      endedOn: null,
    });
    expect(early.missed).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
  });

  it('a pairing started on 1 July owes the yearly inspection; one started in the autumn does not', () => {
    expect(
      obligationStatus('mutual_inspection', YEAR, '2025-12-31', [], {
        startedOn: '2025-07-01',
        endedOn: null,
      }).missed,
    ).toEqual(['2025']);
    expect(
      obligationStatus('mutual_inspection', YEAR, '2025-12-31', [], {
        startedOn: '2025-10-01',
        endedOn: null,
      }).ok,
    ).toBe(true);
  });

  it('a pairing that ended in a quarter owes that quarter by its end, and nothing after', () => {
    const span = { startedOn: '2024-01-01', endedOn: '2025-06-20' };
    const s = obligationStatus('joint_meeting', YEAR, '2025-06-20', ['2025-03-01'], span);
    expect(s.missed).toEqual(['2025-Q2']);
    expect(s.periods.map((p) => p.state)).toEqual(['done', 'missed', 'not_owed', 'not_owed']);
    expect(s.dueByNow).toBe(2);
    expect(obligationStatus('joint_meeting', YEAR, '2025-06-19', ['2025-03-01'], span).missed).toEqual([]);
  });

  it('before the year begins everything is upcoming', () => {
    const s = obligationStatus('collective_day', YEAR, '2024-12-15', ['2024-12-10']);
    expect(s).toMatchObject({ events: 0, dueByNow: 0, missed: [], ok: true });
    expect(new Set(s.periods.map((p) => p.state))).toEqual(new Set(['upcoming']));
  });

  it('months run to their last day in a leap year', () => {
    const s = obligationStatus('collective_day', 2024, '2024-02-29', ['2024-01-05']);
    expect(s.periods[1]).toMatchObject({ period: '2024-02', to: '2024-02-29', state: 'missed' });
    expect(obligationStatus('collective_day', 2024, '2024-02-28', ['2024-01-05']).missed).toEqual([]);
  });
});

describe('nextVisitDue', () => {
  const rule: QuotaRule = { ...BRANCH, visitsPerYear: 6, countsVisitKinds: ['on_site_work'] as VisitKind[] };
  const at = (done: number, asOf: string, startedOn = '2026-01-01') =>
    nextVisitDue(
      assessPairing({
        pairing: { startedOn, endedOn: null },
        rule,
        year: 2026,
        asOf,
        monthCounts: done ? [{ month: '2026-01', count: done, kind: 'on_site_work' }] : [],
      }),
    );

  it('six a year: the first is due by the end of February, the fourth by the end of August', () => {
    expect(at(0, '2026-01-10')).toBe('2026-02-28');
    expect(at(3, '2026-05-10')).toBe('2026-08-31');
  });
  it('nothing more owed: no due date', () => {
    expect(at(6, '2026-05-10')).toBeNull();
  });
  it('behind pace: the due date has already passed', () => {
    expect(at(1, '2026-07-01')).toBe('2026-04-30');
  });
  it('a pairing started mid-year spreads its prorated quota over its own months', () => {
    // started 1 July: 3 visits over 6 months, one due by the end of each second month
    expect(at(0, '2026-07-02', '2026-07-01')).toBe('2026-08-31');
  });
});
