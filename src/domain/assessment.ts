import type { Code } from './codes.ts';
import type { Opinion, OutcomeUnit } from './pairings.ts';

/**
 * The year-end assessment (年终考评) [000 "季度检查、半年通报、年终考评"], as pure scoring code.
 *
 * A county's scheme is DATA: indicators, each with a weight and one scoring method from a fixed set,
 * and rank bands (优秀 ≥ 90 …). Each method turns the records of one pairing's year into a score of
 * 0–100, or null when the pairing has no such records; the scheme says per indicator whether "no
 * records" leaves the indicator out (its weight shared among the others) or scores 0. The pairing's
 * score is the weighted mean of the indicators that apply, rounded to one decimal, and its band is
 * read from that rounded score, so what is shown and what is banded never disagree.
 *
 * Mass satisfaction carries real weight [004]; the results are proposals for people to decide on
 * (民主评议党员, 示范点, 五好), never applied by the code.
 */

// ---------------------------------------------------------------------------------------------
// Code lists
// ---------------------------------------------------------------------------------------------

export const SCORING_METHODS = [
  { code: 'quota', zh: '到点工作完成率', en: 'Quota completion' },
  { code: 'tasks', zh: '卡册任务完成情况', en: 'Task completion (card and register)' },
  { code: 'signoff', zh: '年末签署意见', en: 'Year-end sign-off opinions' },
  { code: 'satisfaction', zh: '群众满意度', en: 'Mass satisfaction' },
  { code: 'inspections', zh: '督查发现问题及整改', en: 'Check findings and rectification' },
  { code: 'outcomes', zh: '帮扶成效', en: 'Outcomes' },
] as const satisfies readonly Code[];
export type ScoringMethod = (typeof SCORING_METHODS)[number]['code'];

/** What a member of the public answers in a satisfaction survey (the sign-off's three opinions). */
export const SURVEY_ANSWERS = [
  { code: 'satisfied', zh: '满意', en: 'Satisfied' },
  { code: 'basically_satisfied', zh: '基本满意', en: 'Basically satisfied' },
  { code: 'unsatisfied', zh: '不满意', en: 'Unsatisfied' },
] as const satisfies readonly Code[];
export type SurveyAnswer = (typeof SURVEY_ANSWERS)[number]['code'];

/** The mid-year check's task statuses, and 'noted': unchecked but with progress notes in the register. */
export type TaskStanding = 'done' | 'in_progress' | 'behind' | 'not_started' | 'noted' | 'none';

export type CheckConclusion = 'good' | 'fair' | 'problems';

/** Grades of 民主评议党员 (democratic evaluation of members). */
export const DEMOCRATIC_GRADES = [
  { code: 'excellent', zh: '优秀', en: 'Excellent' },
  { code: 'qualified', zh: '合格', en: 'Qualified' },
  { code: 'basically_qualified', zh: '基本合格', en: 'Basically qualified' },
  { code: 'unqualified', zh: '不合格', en: 'Unqualified' },
] as const satisfies readonly Code[];

export const HONOUR_VALUES = [
  { code: 'recommend', zh: '推荐', en: 'Recommend' },
  { code: 'not_recommend', zh: '不推荐', en: 'Do not recommend' },
] as const satisfies readonly Code[];

export const STAR_VALUES = [
  { code: '1', zh: '一星', en: 'One star' },
  { code: '2', zh: '二星', en: 'Two stars' },
  { code: '3', zh: '三星', en: 'Three stars' },
  { code: '4', zh: '四星', en: 'Four stars' },
  { code: '5', zh: '五星', en: 'Five stars' },
] as const satisfies readonly Code[];

/**
 * What a decision proposes, about whom, and the values it may take [000][002][004]:
 * 民主评议党员 is about a member; 示范点, 五好乡镇党委, 五好村党支部 and star ratings (评星定级) about an
 * organisation (a township's party committee, a village's branch).
 */
export const DECISION_KINDS = [
  {
    code: 'democratic_evaluation',
    zh: '民主评议党员',
    en: 'Democratic evaluation of members',
    subject: 'member',
    values: DEMOCRATIC_GRADES,
  },
  {
    code: 'demonstration_point',
    zh: '党建示范点',
    en: 'Demonstration point',
    subject: 'org',
    values: HONOUR_VALUES,
  },
  {
    code: 'five_good_township',
    zh: '五好乡镇党委',
    en: 'Five-good township party committee',
    subject: 'township',
    values: HONOUR_VALUES,
  },
  {
    code: 'five_good_village',
    zh: '五好村党支部',
    en: 'Five-good village party branch',
    subject: 'village_branch',
    values: HONOUR_VALUES,
  },
  { code: 'star_rating', zh: '评星定级', en: 'Star rating', subject: 'org', values: STAR_VALUES },
] as const satisfies readonly (Code & { subject: string; values: readonly Code[] })[];
export type DecisionKind = (typeof DECISION_KINDS)[number]['code'];
export type DecisionSubject = (typeof DECISION_KINDS)[number]['subject'];

export const decisionKind = (code: string) => DECISION_KINDS.find((k) => k.code === code);

/** Whether a value fits a decision's kind (优秀 for an evaluation, 推荐 for an honour, 1–5 stars). */
export const isDecisionValue = (kind: DecisionKind, value: string): boolean =>
  decisionKind(kind)?.values.some((v) => v.code === value) ?? false;

// ---------------------------------------------------------------------------------------------
// The scheme
// ---------------------------------------------------------------------------------------------

/** Points (0–100) per answer or opinion. */
export type OpinionCredits = Record<SurveyAnswer, number>;

export type QuotaIndicatorParams = Record<string, never>;
export interface TasksIndicatorParams {
  /** Points (0–100) per task by its latest mid-year check; 'noted' is an unchecked task with progress notes. */
  credits?: Partial<Record<Exclude<TaskStanding, 'none'>, number>>;
}
export interface SignoffIndicatorParams {
  credits?: Partial<OpinionCredits>;
}
export interface SatisfactionIndicatorParams {
  credits?: Partial<OpinionCredits>;
  /** Fewer survey responses than this and the survey is not used (too few to mean anything). */
  minResponses?: number;
  /** The share (0–100) of the indicator that comes from the notice feedback answered, when there is some. */
  feedbackShare?: number;
}
export interface InspectionsIndicatorParams {
  /** Points (0–100) per check conclusion; the indicator starts from their mean. */
  conclusions?: Partial<Record<CheckConclusion, number>>;
  /** Points off for each problem rectified after its due date. */
  lateDeduction?: number;
  /** Points off for each problem still open after its due date. */
  overdueDeduction?: number;
}
export interface OutcomesIndicatorParams {
  /** What one pairing's year should bring, per unit: reaching one target in full (or parts of several adding to one) is full marks. */
  targets?: Partial<Record<OutcomeUnit, number>>;
}

interface IndicatorBase {
  /** A short code of the county's choosing (a–z, 0–9, _), unique in the scheme. */
  code: string;
  zh: string;
  en: string;
  /** The weights of a scheme sum to 100. */
  weight: number;
  /** No records for the indicator: 'skip' leaves it out (its weight shared by the others), 'zero' scores 0. Default 'skip'. */
  whenMissing?: 'skip' | 'zero';
  /** Only pairings of these kinds are scored on the indicator; others leave it out. */
  kinds?: string[];
}
export type Indicator =
  | (IndicatorBase & { method: 'quota'; params?: QuotaIndicatorParams })
  | (IndicatorBase & { method: 'tasks'; params?: TasksIndicatorParams })
  | (IndicatorBase & { method: 'signoff'; params?: SignoffIndicatorParams })
  | (IndicatorBase & { method: 'satisfaction'; params?: SatisfactionIndicatorParams })
  | (IndicatorBase & { method: 'inspections'; params?: InspectionsIndicatorParams })
  | (IndicatorBase & { method: 'outcomes'; params?: OutcomesIndicatorParams });

/** A rank band: a score of at least `min` (and below the band above) falls in it. */
export interface Band {
  code: string;
  zh: string;
  en: string;
  min: number;
}

export interface SchemeContent {
  indicators: Indicator[];
  /** Highest first; the last one's `min` is 0, so every score has a band. */
  bands: Band[];
  /**
   * A pairing whose records cover less than this share of the weights (0–100) is not scored
   * (记录不足): a score on a tenth of the scheme says little. Default 0.
   */
  minCoverage?: number;
}

export const DEFAULT_TASK_CREDITS: Record<Exclude<TaskStanding, 'none'>, number> = {
  done: 100,
  in_progress: 60,
  noted: 50,
  behind: 30,
  not_started: 0,
};
export const DEFAULT_OPINION_CREDITS: OpinionCredits = {
  satisfied: 100,
  basically_satisfied: 70,
  unsatisfied: 0,
};
export const DEFAULT_CONCLUSION_POINTS: Record<CheckConclusion, number> = {
  good: 100,
  fair: 85,
  problems: 60,
};
export const DEFAULT_LATE_DEDUCTION = 5;
export const DEFAULT_OVERDUE_DEDUCTION = 10;
export const DEFAULT_FEEDBACK_SHARE = 20;
export const DEFAULT_MIN_RESPONSES = 1;

const EPS = 1e-9;

export interface SchemeProblem {
  field: string;
  /** "中文 / English", as domain rules write their messages. */
  message: string;
}

/**
 * The rules a scheme must keep beyond its shape: indicator codes unique, weights above 0 and
 * summing to exactly 100, points and shares within 0–100, targets above 0; bands named once each,
 * highest first with strictly falling minimums, the last at 0.
 */
export function checkScheme(s: SchemeContent): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const add = (field: string, zh: string, en: string) => problems.push({ field, message: `${zh} / ${en}` });
  if (s.indicators.length === 0) add('indicators', '至少需要一项考评指标', 'a scheme needs an indicator');
  const codes = new Set<string>();
  s.indicators.forEach((ind, i) => {
    const f = `indicators.${i}`;
    if (codes.has(ind.code))
      add(`${f}.code`, `指标代码“${ind.code}”重复`, `indicator code "${ind.code}" is used twice`);
    codes.add(ind.code);
    if (!(ind.weight > 0)) add(`${f}.weight`, '指标权重须大于0', 'a weight must be above 0');
    const p = (ind.params ?? {}) as Record<string, unknown>;
    const points = (name: string, v: unknown) => {
      if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 100))
        add(`${f}.params.${name}`, '分值须在0至100之间', 'points lie between 0 and 100');
    };
    for (const key of ['credits', 'conclusions'] as const) {
      const table = p[key] as Record<string, unknown> | undefined;
      if (table) for (const [k, v] of Object.entries(table)) points(`${key}.${k}`, v);
    }
    points('feedbackShare', p.feedbackShare);
    points('lateDeduction', p.lateDeduction);
    points('overdueDeduction', p.overdueDeduction);
    if (
      p.minResponses !== undefined &&
      !(Number.isInteger(p.minResponses) && (p.minResponses as number) >= 1)
    )
      add(`${f}.params.minResponses`, '最少答卷数须为正整数', 'minResponses is a whole number of at least 1');
    const targets = p.targets as Record<string, unknown> | undefined;
    if (targets) {
      for (const [unit, v] of Object.entries(targets))
        if (typeof v !== 'number' || !(v > 0))
          add(`${f}.params.targets.${unit}`, '成效目标须大于0', 'a target must be above 0');
      if (Object.keys(targets).length === 0)
        add(`${f}.params.targets`, '至少需要一项成效目标', 'give at least one target');
    }
  });
  if (s.minCoverage !== undefined && !(s.minCoverage >= 0 && s.minCoverage <= 100))
    add('minCoverage', '最低计分权重须在0至100之间', 'minCoverage lies between 0 and 100');
  const total = s.indicators.reduce((sum, i) => sum + i.weight, 0);
  if (s.indicators.length > 0 && Math.abs(total - 100) > 1e-6) {
    add(
      'indicators',
      `各项指标权重之和须为100，现为${round1(total)}`,
      `the weights must sum to 100, not ${round1(total)}`,
    );
  }
  if (s.bands.length === 0) add('bands', '至少需要一个等次', 'a scheme needs a band');
  const names = new Set<string>();
  s.bands.forEach((b, i) => {
    const f = `bands.${i}`;
    if (names.has(b.code) || names.has(b.zh))
      add(`${f}.zh`, `等次“${b.zh}”重复`, `band "${b.zh}" is given twice`);
    names.add(b.code);
    names.add(b.zh);
    if (b.min < 0 || b.min > 100)
      add(`${f}.min`, '等次分数线须在0至100之间', 'a band’s minimum lies in 0–100');
    if (i > 0 && !(b.min < s.bands[i - 1]!.min))
      add(
        `${f}.min`,
        '等次须从高到低排列，分数线逐级降低',
        'bands go from the highest down, minimums falling',
      );
  });
  const last = s.bands.at(-1);
  if (last && last.min !== 0)
    add(`bands.${s.bands.length - 1}.min`, '最低等次的分数线须为0', 'the lowest band starts at 0');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Rounding and bands
// ---------------------------------------------------------------------------------------------

/** Rounds half up to one decimal, ignoring binary noise: 89.95 → 90.0, 89.94999 → 89.9. */
export function round1(x: number): number {
  return Math.floor(x * 10 + 0.5 + EPS) / 10;
}

/** The band a (rounded) score falls in; bands are highest first. */
export function bandOf(score: number, bands: readonly Band[]): Band | null {
  for (const b of bands) if (score >= b.min - EPS) return b;
  return null;
}

const clamp = (x: number) => Math.min(100, Math.max(0, x));
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// ---------------------------------------------------------------------------------------------
// One function per method: records → 0–100, or null for "no records"
// ---------------------------------------------------------------------------------------------

/** The quota as the compliance engine has it for the year: prorated for a part-year pairing. */
export interface QuotaEvidence {
  active: boolean;
  hasQuota: boolean;
  /** The prorated quota for the active part of the year. */
  required: number;
  done: number;
}

/** 到点工作完成率: done ÷ required, capped at 100; null without a quota (member assistance) or when not active. */
export function scoreQuota(q: QuotaEvidence | null): number | null {
  if (!q?.active || !q.hasQuota || q.required <= 0) return null;
  return clamp((100 * q.done) / q.required);
}

/** A task of the year's approved plan: its latest mid-year check, and whether the register notes progress on it. */
export interface TaskEvidence {
  status: 'done' | 'in_progress' | 'behind' | 'not_started' | null;
  notes: number;
}

/** 卡册任务: the mean of each task's points by its latest check; an unchecked task with progress notes counts as 'noted'. */
export function scoreTasks(tasks: readonly TaskEvidence[], params: TasksIndicatorParams = {}): number | null {
  if (tasks.length === 0) return null;
  const credits = { ...DEFAULT_TASK_CREDITS, ...params.credits };
  return mean(
    tasks.map((t) => {
      if (t.status) return credits[t.status];
      return t.notes > 0 ? credits.noted : 0;
    }),
  );
}

/** 年末签署意见: the mean of the opinions signed (the helped party and its branch). */
export function scoreSignoff(
  opinions: readonly Opinion[],
  params: SignoffIndicatorParams = {},
): number | null {
  if (opinions.length === 0) return null;
  const credits = { ...DEFAULT_OPINION_CREDITS, ...params.credits };
  return mean(opinions.map((o) => credits[o]));
}

export type SurveyCounts = Record<SurveyAnswer, number>;

/**
 * 群众满意度 [004]: from the satisfaction survey (each answer's points, averaged) and from the masses'
 * feedback on the pairing's published plan (the share of it answered). With both, the feedback
 * makes up `feedbackShare` per cent; with one, that one is the score; with neither, null. A survey
 * with fewer than `minResponses` answers is not used.
 */
export function scoreSatisfaction(
  survey: SurveyCounts,
  feedback: { total: number; answered: number },
  params: SatisfactionIndicatorParams = {},
): number | null {
  const credits = { ...DEFAULT_OPINION_CREDITS, ...params.credits };
  const responses = survey.satisfied + survey.basically_satisfied + survey.unsatisfied;
  const surveyScore =
    responses >= (params.minResponses ?? DEFAULT_MIN_RESPONSES) && responses > 0
      ? (survey.satisfied * credits.satisfied +
          survey.basically_satisfied * credits.basically_satisfied +
          survey.unsatisfied * credits.unsatisfied) /
        responses
      : null;
  const feedbackScore =
    feedback.total > 0 ? (100 * Math.min(feedback.answered, feedback.total)) / feedback.total : null;
  if (surveyScore === null) return feedbackScore;
  if (feedbackScore === null) return surveyScore;
  const share = (params.feedbackShare ?? DEFAULT_FEEDBACK_SHARE) / 100;
  return (1 - share) * surveyScore + share * feedbackScore;
}

export interface RectificationEvidence {
  dueOn: string;
  /** The day it was closed, or null while open. */
  closedOn: string | null;
}

/**
 * 督查发现问题及整改: the mean of the checks' conclusions, less points for each problem rectified late
 * and for each still open past its due date as of `asOf` (one not yet due costs nothing); 0–100.
 * No checks of the pairing in the year: null.
 */
export function scoreInspections(
  conclusions: readonly CheckConclusion[],
  rectifications: readonly RectificationEvidence[],
  asOf: string,
  params: InspectionsIndicatorParams = {},
): number | null {
  if (conclusions.length === 0) return null;
  const points = { ...DEFAULT_CONCLUSION_POINTS, ...params.conclusions };
  const late = params.lateDeduction ?? DEFAULT_LATE_DEDUCTION;
  const overdue = params.overdueDeduction ?? DEFAULT_OVERDUE_DEDUCTION;
  let score = mean(conclusions.map((c) => points[c]));
  for (const r of rectifications) {
    if (r.closedOn !== null && r.closedOn <= asOf) {
      if (r.closedOn > r.dueOn) score -= late;
    } else if (r.dueOn < asOf) score -= overdue;
  }
  return clamp(score);
}

/**
 * 帮扶成效: each unit's amount as a part of its target, added up and capped at 100 — one target reached
 * in full, or parts of several adding to one, is full marks. Units without a target are not counted;
 * no outcomes recorded at all is null (a scheme counting that as 0 says `whenMissing: 'zero'`).
 */
export function scoreOutcomes(
  outcomes: Partial<Record<OutcomeUnit, number>>,
  params: OutcomesIndicatorParams = {},
): number | null {
  const recorded = Object.values(outcomes).some((v) => (v ?? 0) > 0);
  if (!recorded) return null;
  const targets = params.targets ?? DEFAULT_OUTCOME_TARGETS;
  let parts = 0;
  for (const [unit, target] of Object.entries(targets) as [OutcomeUnit, number][]) {
    if (target > 0) parts += (outcomes[unit] ?? 0) / target;
  }
  return clamp(100 * parts);
}

/** What one pairing's year might bring, by unit, when a scheme gives no targets of its own. */
export const DEFAULT_OUTCOME_TARGETS: Partial<Record<OutcomeUnit, number>> = {
  yuan: 20_000,
  projects: 1,
  person_times: 50,
  households: 5,
  km: 1,
  mu: 20,
  items: 50,
  people: 20,
};

// ---------------------------------------------------------------------------------------------
// A pairing's score
// ---------------------------------------------------------------------------------------------

/** Everything the methods read about one pairing's year, as of `asOf`. */
export interface PairingEvidence {
  kind: string;
  asOf: string;
  quota: QuotaEvidence | null;
  tasks: readonly TaskEvidence[];
  signoffs: readonly Opinion[];
  survey: SurveyCounts;
  feedback: { total: number; answered: number };
  inspections: readonly CheckConclusion[];
  rectifications: readonly RectificationEvidence[];
  outcomes: Partial<Record<OutcomeUnit, number>>;
}

export const emptyEvidence = (kind: string, asOf: string): PairingEvidence => ({
  kind,
  asOf,
  quota: null,
  tasks: [],
  signoffs: [],
  survey: { satisfied: 0, basically_satisfied: 0, unsatisfied: 0 },
  feedback: { total: 0, answered: 0 },
  inspections: [],
  rectifications: [],
  outcomes: {},
});

/** The raw score of one indicator for a pairing (null: no records for it). */
export function scoreIndicator(ind: Indicator, e: PairingEvidence): number | null {
  switch (ind.method) {
    case 'quota':
      return scoreQuota(e.quota);
    case 'tasks':
      return scoreTasks(e.tasks, ind.params);
    case 'signoff':
      return scoreSignoff(e.signoffs, ind.params);
    case 'satisfaction':
      return scoreSatisfaction(e.survey, e.feedback, ind.params);
    case 'inspections':
      return scoreInspections(e.inspections, e.rectifications, e.asOf, ind.params);
    case 'outcomes':
      return scoreOutcomes(e.outcomes, ind.params);
  }
}

export interface IndicatorScore {
  code: string;
  weight: number;
  /** 0–100 rounded to one decimal, or null when left out. */
  score: number | null;
  /** Why it was left out: no records (and the scheme skips), or not for this kind of pairing. */
  skipped: 'no_data' | 'kind' | null;
}

export interface PairingScore {
  /** The weighted mean of the indicators that apply, rounded to one decimal; null when none applies or they cover less than `minCoverage`. */
  score: number | null;
  band: Band | null;
  /** The weights that applied, of 100. */
  coverage: number;
  breakdown: IndicatorScore[];
}

export function scorePairing(scheme: SchemeContent, e: PairingEvidence): PairingScore {
  let weighted = 0;
  let weights = 0;
  const breakdown = scheme.indicators.map((ind): IndicatorScore => {
    if (ind.kinds && ind.kinds.length > 0 && !ind.kinds.includes(e.kind)) {
      return { code: ind.code, weight: ind.weight, score: null, skipped: 'kind' };
    }
    let s = scoreIndicator(ind, e);
    if (s === null && ind.whenMissing === 'zero') s = 0;
    if (s === null) return { code: ind.code, weight: ind.weight, score: null, skipped: 'no_data' };
    weighted += ind.weight * s;
    weights += ind.weight;
    return { code: ind.code, weight: ind.weight, score: round1(s), skipped: null };
  });
  if (weights <= 0) return { score: null, band: null, coverage: 0, breakdown };
  if (weights < (scheme.minCoverage ?? 0) - EPS)
    return { score: null, band: null, coverage: round1(weights), breakdown };
  const score = round1(weighted / weights);
  return { score, band: bandOf(score, scheme.bands), coverage: round1(weights), breakdown };
}

/** A helper's, branch's or township's score: the plain mean of its pairings' scores (unscored ones left out). */
export function aggregateScores(
  scores: readonly (number | null)[],
  bands: readonly Band[],
): { pairings: number; scored: number; score: number | null; band: Band | null } {
  const scored = scores.filter((s): s is number => s !== null);
  if (scored.length === 0) return { pairings: scores.length, scored: 0, score: null, band: null };
  const score = round1(mean(scored));
  return { pairings: scores.length, scored: scored.length, score, band: bandOf(score, bands) };
}
