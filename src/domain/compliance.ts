import type { Code, LeaderRank } from './codes.ts';
import {
  type QuotaRule,
  requiredPerYear,
  type Schedule,
  type SystemCode,
  scheduleOf,
  type VisitKind,
} from './pairings.ts';

/**
 * The compliance engine: given a pairing, its quota rule and the visits counted for it, as of a date,
 * what is required, what is done, whether it is on pace, and a level. Pure: no IO, no clock.
 *
 * Time is measured in MONTHS, each month one twelfth of the year whatever its length, and a part of a
 * month by its days (15 days of a 30-day month are half a month). So:
 * - "6 a year means 3 by the end of June" holds exactly: January–June are 6/12 of the year, while
 *   181/365 days would give 2.98;
 * - a pairing started on 1 July is active for exactly half the year in every year, leap or not.
 *
 * `asOf` means the END of that day: a visit on `asOf` counts, and as of 31 December the year is over.
 * An `asOf` after the year is clamped to 31 December; one before the year means nothing has started.
 */

const DAY_MS = 86_400_000;
const EPS = 1e-9;

// ---------------------------------------------------------------------------------------------
// Dates (ISO YYYY-MM-DD, as day numbers)
// ---------------------------------------------------------------------------------------------

function dayOf(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const dt = new Date(ms);
    if (dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d) return ms / DAY_MS;
  }
  throw new RangeError(`不是有效日期：${iso} / not a valid ISO date: ${iso}`);
}

const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const firstOfMonth = (year: number, month: number): number => Date.UTC(year, month - 1, 1) / DAY_MS;
const lastOfMonth = (year: number, month: number): number => Date.UTC(year, month, 0) / DAY_MS;
const pad = (n: number) => String(n).padStart(2, '0');

/** Months of `year` covered by the days from..to (inclusive), each month a twelfth of the year. */
function monthsCovered(year: number, from: number, to: number): number {
  let months = 0;
  for (let m = 1; m <= 12; m++) {
    const ms = firstOfMonth(year, m);
    const me = lastOfMonth(year, m);
    const overlap = Math.min(me, to) - Math.max(ms, from) + 1;
    if (overlap > 0) months += overlap / (me - ms + 1);
  }
  return months;
}

/** Rounding that ignores binary noise: 3.0000000001 rounds up to 3, not 4. */
const ceilClean = (x: number) => Math.ceil(x - EPS);
const floorClean = (x: number) => Math.floor(x + EPS);

// ---------------------------------------------------------------------------------------------
// Quotas
// ---------------------------------------------------------------------------------------------

export type ComplianceLevel = 'on_track' | 'behind_pace' | 'short' | 'not_started';

export const COMPLIANCE_LEVELS: readonly Code<ComplianceLevel>[] = [
  { code: 'on_track', zh: '进度正常', en: 'On track' },
  { code: 'behind_pace', zh: '进度滞后', en: 'Behind pace' },
  { code: 'short', zh: '年终未完成', en: 'Short at year end' },
  { code: 'not_started', zh: '未开始', en: 'Not started' },
];

/**
 * The quota of a pairing for its active part of `year`: the yearly number × the active months / 12,
 * ROUNDED UP. Rounding up means nobody is let off a visit by a few days (a 6-a-year pairing started on
 * 15 July owes 3, not 2.77 → 2), and a pairing active for any part of the year owes at least 1 when
 * the rule asks for any. A pairing active the whole year owes exactly the yearly number.
 */
export function proratedQuota(
  perYear: number,
  startedOn: string,
  endedOn: string | null,
  year: number,
): number {
  const span = activePart(startedOn, endedOn, year);
  if (!span || perYear <= 0) return 0;
  return prorate(perYear, monthsCovered(year, span.from, span.to));
}

function prorate(perYear: number, activeMonths: number): number {
  if (perYear <= 0 || activeMonths <= 0) return 0;
  if (activeMonths >= 12 - EPS) return perYear;
  return Math.max(1, ceilClean((perYear * activeMonths) / 12));
}

/** The part of `year` in which the pairing runs, as day numbers, or null when it does not run then. */
function activePart(
  startedOn: string,
  endedOn: string | null,
  year: number,
): { from: number; to: number } | null {
  const start = dayOf(startedOn);
  const end = endedOn ? dayOf(endedOn) : Number.POSITIVE_INFINITY;
  if (end < start) {
    throw new RangeError(`结束日期早于开始日期：${startedOn}–${endedOn} / the pairing ends before it starts`);
  }
  const from = Math.max(start, firstOfMonth(year, 1));
  const to = Math.min(end, lastOfMonth(year, 12));
  return from <= to ? { from, to } : null;
}

/** A visit as the engine needs it. `onSite` defaults to true (到点); set false for, e.g., a phone call. */
export interface CountedVisit {
  on: string;
  kind: VisitKind;
  onSite?: boolean;
}

/**
 * Visits counted per pairing and month, as the database keeps them. `month` is 'YYYY-MM' (or any ISO
 * date in the month). When `kind` is given, months of kinds the rule does not count are left out;
 * without it the count is taken as already counting only what the rule counts (and on site when the
 * rule's basis is on site). A month counts whole when any of it falls in the pairing's active part up
 * to `asOf`: visits can be neither dated in the future nor outside the pairing's span, so this is exact
 * for today; for a past `asOf` in the middle of a month, give dated visits instead.
 */
export interface MonthCount {
  month: string;
  count: number;
  kind?: VisitKind;
}

export interface PairingForCompliance {
  /** Passed through to the result, for roll-ups. */
  id?: string | number;
  /** The helper's rank, for rules by rank (领导联点). */
  leaderRank?: LeaderRank | null;
  startedOn: string;
  endedOn: string | null;
}

export interface ComplianceInput {
  pairing: PairingForCompliance;
  rule: QuotaRule;
  /** Dated visits. Give these or `monthCounts`; when both are given they are added together. */
  visits?: readonly CountedVisit[];
  monthCounts?: readonly MonthCount[];
  year: number;
  asOf: string;
}

export interface ComplianceResult {
  id?: string | number;
  year: number;
  /** The date assessed: `asOf`, clamped to the year's last day. */
  asOf: string;
  /** Whether the pairing runs on any day of the year. */
  active: boolean;
  /** The active part of the year (null when not active). */
  activeFrom: string | null;
  activeTo: string | null;
  /** False when the rule asks for no visits (the pairing is judged by its tasks and sign-off). */
  hasQuota: boolean;
  /** The yearly number for this helper, before proration. */
  requiredFullYear: number;
  /** The quota for the active part of the year (prorated, rounded up). */
  required: number;
  /** Counted visits in the active part of the year up to `asOf`. */
  done: number;
  /** Whole visits that should have been made by `asOf` (rounded down: a visit falls due once its whole share of time has passed). */
  expectedByNow: number;
  onPace: boolean;
  /** expectedByNow − done, at least 0. */
  behindBy: number;
  /** required − done, at least 0. */
  shortfall: number;
  level: ComplianceLevel;
}

/**
 * Assesses one pairing for one year as of a date.
 *
 * - required: the prorated quota (see `proratedQuota`).
 * - expectedByNow = ⌊required × elapsed active months / active months⌋; once the pairing's active part
 *   of the year is over it is `required`. With whole-year 6 that is 3 at the end of 30 June and 2 on
 *   29 June — a visit is "due" once its whole share of time has passed, so nobody is behind pace for
 *   a fraction of a visit.
 * - level: `not_started` while `asOf` is before the active part; `short` once the active part is over
 *   (year end, or the pairing's end) with done < required; otherwise `on_track` when done ≥ expected,
 *   else `behind_pace`.
 * - Not counted: visits outside the active part, after `asOf`, of kinds the rule does not count, and
 *   (when the rule's basis is on site) visits marked `onSite: false`.
 * - A pairing that does not run in the year at all is `active: false` with nothing required; its level
 *   is `not_started` when it starts later, else `on_track`. `countByLevel` keeps such results apart.
 */
export function assessPairing(input: ComplianceInput): ComplianceResult {
  const { pairing, rule, year } = input;
  const yearEnd = lastOfMonth(year, 12);
  const asOfDay = Math.min(dayOf(input.asOf), yearEnd);
  const full = requiredPerYear(rule, pairing);
  const span = activePart(pairing.startedOn, pairing.endedOn, year);
  const base = {
    ...(pairing.id !== undefined ? { id: pairing.id } : {}),
    year,
    asOf: isoOf(asOfDay),
    hasQuota: full > 0,
    requiredFullYear: full,
  };

  if (!span) {
    const startsLater = dayOf(pairing.startedOn) > yearEnd;
    return {
      ...base,
      active: false,
      activeFrom: null,
      activeTo: null,
      required: 0,
      done: 0,
      expectedByNow: 0,
      onPace: true,
      behindBy: 0,
      shortfall: 0,
      level: startsLater ? 'not_started' : 'on_track',
    };
  }

  const activeMonths = monthsCovered(year, span.from, span.to);
  const required = prorate(full, activeMonths);
  const started = asOfDay >= span.from;
  const ended = asOfDay >= span.to;
  const countedTo = Math.min(span.to, asOfDay);

  let expectedByNow = 0;
  if (ended) expectedByNow = required;
  else if (started) {
    expectedByNow = floorClean((required * monthsCovered(year, span.from, countedTo)) / activeMonths);
  }

  const done = started ? countDone(input, year, span.from, countedTo) : 0;
  const onPace = done >= expectedByNow;
  let level: ComplianceLevel;
  if (!started) level = 'not_started';
  else if (ended && done < required) level = 'short';
  else level = onPace ? 'on_track' : 'behind_pace';

  return {
    ...base,
    active: true,
    activeFrom: isoOf(span.from),
    activeTo: isoOf(span.to),
    required,
    done,
    expectedByNow,
    onPace,
    behindBy: Math.max(0, expectedByNow - done),
    shortfall: Math.max(0, required - done),
    level,
  };
}

/**
 * The day by which the next visit is due to stay on pace: the first month end (or the end of the
 * active part) at which `expectedByNow` (same rule as `assessPairing`) reaches done + 1. Null when
 * nothing more is owed this year or the pairing does not run in it.
 */
export function nextVisitDue(r: ComplianceResult): string | null {
  if (!r.active || !r.activeFrom || !r.activeTo || r.done >= r.required) return null;
  const from = dayOf(r.activeFrom);
  const to = dayOf(r.activeTo);
  const activeMonths = monthsCovered(r.year, from, to);
  for (let m = 1; m <= 12; m++) {
    const end = Math.min(lastOfMonth(r.year, m), to);
    if (end < from) continue;
    const expected =
      end >= to ? r.required : floorClean((r.required * monthsCovered(r.year, from, end)) / activeMonths);
    if (expected >= r.done + 1) return isoOf(end);
  }
  return isoOf(to);
}

function countDone(input: ComplianceInput, year: number, from: number, to: number): number {
  const kinds = new Set<VisitKind>(input.rule.countsVisitKinds);
  const onSiteOnly = input.rule.basis === 'on_site';
  let done = 0;
  for (const v of input.visits ?? []) {
    const day = dayOf(v.on);
    if (day < from || day > to) continue;
    if (!kinds.has(v.kind)) continue;
    if (onSiteOnly && v.onSite === false) continue;
    done++;
  }
  for (const c of input.monthCounts ?? []) {
    if (!Number.isInteger(c.count) || c.count < 0) {
      throw new RangeError(`次数须为非负整数：${c.count} / a count must be a whole number ≥ 0`);
    }
    const m = /^(\d{4})-(\d{2})/.exec(c.month);
    if (!m) throw new RangeError(`不是有效月份：${c.month} / not a valid month`);
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (y !== year || mo < 1 || mo > 12) continue;
    if (firstOfMonth(y, mo) > to || lastOfMonth(y, mo) < from) continue;
    if (c.kind !== undefined && !kinds.has(c.kind)) continue;
    done += c.count;
  }
  return done;
}

export interface LevelCounts extends Record<ComplianceLevel, number> {
  /** Results for pairings that do not run in the year, kept out of the levels. */
  inactive: number;
  total: number;
}

/** How many results are at each level (for the dashboard and the half-year bulletin). */
export function countByLevel(results: readonly Pick<ComplianceResult, 'level' | 'active'>[]): LevelCounts {
  const counts: LevelCounts = {
    on_track: 0,
    behind_pace: 0,
    short: 0,
    not_started: 0,
    inactive: 0,
    total: 0,
  };
  for (const r of results) {
    counts.total++;
    if (r.active) counts[r.level]++;
    else counts.inactive++;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The five standing systems
// ---------------------------------------------------------------------------------------------

export type PeriodState = 'done' | 'missed' | 'open' | 'upcoming' | 'not_owed';

export interface ObligationPeriod {
  /** 'YYYY-MM' for a month, 'YYYY-Qn' for a quarter, 'YYYY' for the year. */
  period: string;
  from: string;
  to: string;
  /** Whether the pairing owes an event in this period (see `obligationStatus`). */
  owed: boolean;
  events: number;
  state: PeriodState;
}

export interface ObligationStatus {
  system: SystemCode;
  schedule: Schedule;
  year: number;
  asOf: string;
  /** Events counted in the year (inside the pairing's span, up to `asOf`). */
  events: number;
  periods: ObligationPeriod[];
  /** Periods of the year the pairing owes an event in. */
  owed: number;
  /** Periods with at least one event. */
  done: number;
  /** Owed periods whose time is up by `asOf`. */
  dueByNow: number;
  /** Owed periods whose time is up without an event — "a missed quarter shows". */
  missed: string[];
  /** For the cross-learning month: the months in which it was held. */
  months?: string[];
  /** Nothing missed so far. */
  ok: boolean;
}

function periodsOf(schedule: Schedule, year: number): { period: string; from: number; to: number }[] {
  switch (schedule) {
    case 'monthly':
      return Array.from({ length: 12 }, (_, i) => ({
        period: `${year}-${pad(i + 1)}`,
        from: firstOfMonth(year, i + 1),
        to: lastOfMonth(year, i + 1),
      }));
    case 'quarterly':
      return Array.from({ length: 4 }, (_, i) => ({
        period: `${year}-Q${i + 1}`,
        from: firstOfMonth(year, i * 3 + 1),
        to: lastOfMonth(year, i * 3 + 3),
      }));
    case 'yearly':
    case 'month_a_year':
      return [{ period: String(year), from: firstOfMonth(year, 1), to: lastOfMonth(year, 12) }];
    case 'ongoing':
      return [];
  }
}

/**
 * Where a pairing stands with one of the five systems in `year`, as of `asOf` (end of day, clamped to
 * the year's end), given the dates of its events.
 *
 * - 集体活动日 (monthly): one event a month; each month over without one is missed.
 * - 季度联席会 (quarterly): one a quarter; a quarter over without one is missed.
 * - 年度党建互检 (yearly): one in the year; missed only once the year (or the pairing) is over.
 * - 交叉学习月 (a month a year): held in some month of the year (`months` lists which); missed only once
 *   the year is over without it.
 * - 日常党建互助 (ongoing): nothing falls due; the events are counted.
 *
 * With a `span`, a period is owed only when the pairing runs for at least half of its days — a pairing
 * started on 20 March does not owe the first quarter's meeting, one started on 1 July owes the yearly
 * inspection — and a period the pairing leaves early is due by the pairing's end. Events outside the
 * span, outside the year or after `asOf` are not counted; an event in a period not owed still counts.
 */
export function obligationStatus(
  system: SystemCode,
  year: number,
  asOf: string,
  eventDates: readonly string[],
  span?: { startedOn: string; endedOn: string | null },
): ObligationStatus {
  const schedule = scheduleOf(system);
  const yearStart = firstOfMonth(year, 1);
  const yearEnd = lastOfMonth(year, 12);
  const asOfDay = Math.min(dayOf(asOf), yearEnd);
  const spanFrom = span ? dayOf(span.startedOn) : Number.NEGATIVE_INFINITY;
  const spanTo = span?.endedOn ? dayOf(span.endedOn) : Number.POSITIVE_INFINITY;
  if (spanTo < spanFrom) throw new RangeError('结束日期早于开始日期 / the pairing ends before it starts');

  const countFrom = Math.max(yearStart, spanFrom);
  const countTo = Math.min(yearEnd, spanTo, asOfDay);
  const days = eventDates.map(dayOf).filter((d) => d >= countFrom && d <= countTo);

  const periods: ObligationPeriod[] = periodsOf(schedule, year).map((p) => {
    const from = Math.max(p.from, spanFrom);
    const to = Math.min(p.to, spanTo);
    const activeDays = Math.max(0, to - from + 1);
    const owed = 2 * activeDays >= p.to - p.from + 1;
    const events = days.filter((d) => d >= p.from && d <= p.to).length;
    let state: PeriodState;
    if (events > 0) state = 'done';
    else if (!owed) state = 'not_owed';
    else if (asOfDay >= to) state = 'missed';
    else if (asOfDay >= from) state = 'open';
    else state = 'upcoming';
    return { period: p.period, from: isoOf(p.from), to: isoOf(p.to), owed, events, state };
  });

  const missed = periods.filter((p) => p.state === 'missed').map((p) => p.period);
  const status: ObligationStatus = {
    system,
    schedule,
    year,
    asOf: isoOf(asOfDay),
    events: days.length,
    periods,
    owed: periods.filter((p) => p.owed).length,
    done: periods.filter((p) => p.state === 'done').length,
    dueByNow: periods.filter((p) => p.owed && asOfDay >= Math.min(dayOf(p.to), spanTo)).length,
    missed,
    ok: missed.length === 0,
  };
  if (schedule === 'month_a_year') {
    status.months = [...new Set(days.map((d) => isoOf(d).slice(0, 7)))].sort();
  }
  return status;
}
