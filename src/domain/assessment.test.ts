import { describe, expect, it } from 'vitest';
import {
  aggregateScores,
  type Band,
  bandOf,
  checkScheme,
  emptyEvidence,
  isDecisionValue,
  type PairingEvidence,
  round1,
  type SchemeContent,
  scoreInspections,
  scoreOutcomes,
  scorePairing,
  scoreQuota,
  scoreSatisfaction,
  scoreSignoff,
  scoreTasks,
} from './assessment.ts';
import { assessPairing } from './compliance.ts';
import { effectiveRule } from './pairings.ts';

const BANDS: Band[] = [
  { code: 'excellent', zh: '优秀', en: 'Excellent', min: 90 },
  { code: 'good', zh: '良好', en: 'Good', min: 80 },
  { code: 'fair', zh: '一般', en: 'Fair', min: 60 },
  { code: 'poor', zh: '较差', en: 'Poor', min: 0 },
];

const SCHEME: SchemeContent = {
  indicators: [
    { code: 'quota', zh: '到点工作', en: 'Quota', weight: 30, method: 'quota' },
    { code: 'tasks', zh: '卡册任务', en: 'Tasks', weight: 20, method: 'tasks' },
    { code: 'signoff', zh: '签署意见', en: 'Sign-off', weight: 10, method: 'signoff' },
    { code: 'mass', zh: '群众满意度', en: 'Satisfaction', weight: 20, method: 'satisfaction' },
    { code: 'checks', zh: '督查整改', en: 'Checks', weight: 10, method: 'inspections' },
    { code: 'outcomes', zh: '帮扶成效', en: 'Outcomes', weight: 10, method: 'outcomes', whenMissing: 'zero' },
  ],
  bands: BANDS,
};

const none = { satisfied: 0, basically_satisfied: 0, unsatisfied: 0 };

describe('quota completion (到点工作完成率)', () => {
  it('is done over required, capped at 100', () => {
    expect(scoreQuota({ active: true, hasQuota: true, required: 6, done: 3 })).toBe(50);
    expect(scoreQuota({ active: true, hasQuota: true, required: 6, done: 9 })).toBe(100);
    expect(scoreQuota({ active: true, hasQuota: true, required: 12, done: 0 })).toBe(0);
  });

  it('has no score for a pairing without a visit quota or not running in the year', () => {
    expect(scoreQuota(null)).toBeNull();
    expect(scoreQuota({ active: true, hasQuota: false, required: 0, done: 4 })).toBeNull();
    expect(scoreQuota({ active: false, hasQuota: true, required: 0, done: 0 })).toBeNull();
  });

  it('a county leader’s point started on 1 July owes 3 of 6: 3 visits are full marks, prorated by the compliance engine', () => {
    const c = assessPairing({
      pairing: { leaderRank: 'county', startedOn: '2026-07-01', endedOn: null },
      rule: effectiveRule('leader_contact'),
      visits: ['2026-07-10', '2026-09-02', '2026-11-20'].map((on) => ({ on, kind: 'on_site_work' as const })),
      year: 2026,
      asOf: '2026-12-31',
    });
    expect(c.required).toBe(3);
    expect(scoreQuota(c)).toBe(100);
    const fullYear = assessPairing({
      pairing: { leaderRank: 'county', startedOn: '2026-01-01', endedOn: null },
      rule: effectiveRule('leader_contact'),
      visits: ['2026-07-10', '2026-09-02', '2026-11-20'].map((on) => ({ on, kind: 'on_site_work' as const })),
      year: 2026,
      asOf: '2026-12-31',
    });
    expect(scoreQuota(fullYear)).toBe(50);
  });
});

describe('task completion (卡册任务)', () => {
  it('averages each task’s points by its latest mid-year check', () => {
    expect(
      scoreTasks([
        { status: 'done', notes: 0 },
        { status: 'in_progress', notes: 2 },
      ]),
    ).toBe(80);
  });

  it('an unchecked task counts only when the register notes progress on it', () => {
    expect(
      scoreTasks([
        { status: null, notes: 1 },
        { status: null, notes: 0 },
      ]),
    ).toBe(25);
  });

  it('takes the county’s own points', () => {
    expect(scoreTasks([{ status: 'behind', notes: 0 }], { credits: { behind: 10 } })).toBe(10);
  });

  it('has no score without an approved plan’s tasks', () => {
    expect(scoreTasks([])).toBeNull();
  });
});

describe('year-end sign-off (签署意见)', () => {
  it('averages the two opinions', () => {
    expect(scoreSignoff(['satisfied', 'basically_satisfied'])).toBe(85);
    expect(scoreSignoff(['unsatisfied'])).toBe(0);
  });
  it('has no score before anyone signs', () => {
    expect(scoreSignoff([])).toBeNull();
  });
});

describe('mass satisfaction (群众满意度)', () => {
  it('from the survey alone: the mean of the answers’ points', () => {
    expect(
      scoreSatisfaction({ satisfied: 8, basically_satisfied: 1, unsatisfied: 1 }, { total: 0, answered: 0 }),
    ).toBe(87);
  });

  it('with notice feedback, the share answered makes up 20 per cent by default', () => {
    const s = scoreSatisfaction(
      { satisfied: 10, basically_satisfied: 0, unsatisfied: 0 },
      { total: 4, answered: 2 },
    );
    expect(s).toBeCloseTo(0.8 * 100 + 0.2 * 50, 9);
  });

  it('feedback alone gives the share answered', () => {
    expect(scoreSatisfaction(none, { total: 4, answered: 3 })).toBe(75);
  });

  it('a survey under its minimum of responses is not used', () => {
    expect(
      scoreSatisfaction(
        { satisfied: 2, basically_satisfied: 0, unsatisfied: 0 },
        { total: 0, answered: 0 },
        { minResponses: 3 },
      ),
    ).toBeNull();
  });

  it('has no score with neither survey answers nor feedback', () => {
    expect(scoreSatisfaction(none, { total: 0, answered: 0 })).toBeNull();
  });
});

describe('check findings and rectification (督查整改)', () => {
  it('starts from the conclusions’ mean', () => {
    expect(scoreInspections(['good', 'problems'], [], '2026-12-31')).toBe(80);
  });

  it('takes points off for a problem rectified late and more for one still open past its due date', () => {
    const r = [
      { dueOn: '2026-05-31', closedOn: '2026-05-20' }, // on time: nothing off
      { dueOn: '2026-05-31', closedOn: '2026-06-10' }, // late: −5
      { dueOn: '2026-06-30', closedOn: null }, // open past due: −10
      { dueOn: '2027-01-31', closedOn: null }, // not yet due: nothing off
    ];
    expect(scoreInspections(['problems'], r, '2026-12-31')).toBe(60 - 5 - 10);
  });

  it('a problem closed after the date assessed still counts as open then', () => {
    expect(scoreInspections(['fair'], [{ dueOn: '2026-06-30', closedOn: '2026-07-05' }], '2026-07-01')).toBe(
      75,
    );
  });

  it('never goes below 0, and has no score without a check', () => {
    const open = Array.from({ length: 12 }, () => ({ dueOn: '2026-03-31', closedOn: null }));
    expect(scoreInspections(['problems'], open, '2026-12-31')).toBe(0);
    expect(scoreInspections([], open, '2026-12-31')).toBeNull();
  });
});

describe('outcomes (帮扶成效)', () => {
  it('adds each unit’s part of its target, capped at 100', () => {
    expect(scoreOutcomes({ yuan: 10_000 })).toBe(50);
    expect(scoreOutcomes({ yuan: 10_000, person_times: 25 })).toBe(100);
    expect(scoreOutcomes({ projects: 3 })).toBe(100);
  });
  it('counts only the units the scheme sets targets for', () => {
    expect(scoreOutcomes({ yuan: 50_000, mu: 10 }, { targets: { mu: 20 } })).toBe(50);
  });
  it('has no score when nothing was recorded', () => {
    expect(scoreOutcomes({})).toBeNull();
    expect(scoreOutcomes({ yuan: 0 })).toBeNull();
  });
});

describe('weighting and banding', () => {
  const full: PairingEvidence = {
    ...emptyEvidence('leader_contact', '2026-12-31'),
    quota: { active: true, hasQuota: true, required: 6, done: 6 },
    tasks: [{ status: 'done', notes: 1 }],
    signoffs: ['satisfied', 'satisfied'],
    survey: { satisfied: 10, basically_satisfied: 0, unsatisfied: 0 },
    inspections: ['good'],
    outcomes: { yuan: 20_000 },
  };

  it('all 100 is 100 and 优秀', () => {
    const s = scorePairing(SCHEME, full);
    expect(s.score).toBe(100);
    expect(s.band?.zh).toBe('优秀');
    expect(s.coverage).toBe(100);
  });

  it('an indicator without records is left out and its weight shared; whenMissing zero scores 0', () => {
    const s = scorePairing(SCHEME, { ...full, inspections: [], outcomes: {} });
    // inspections (10) skipped; outcomes (10) scores 0: 80 of 90 weights at 100.
    expect(s.breakdown.find((b) => b.code === 'checks')).toMatchObject({ score: null, skipped: 'no_data' });
    expect(s.breakdown.find((b) => b.code === 'outcomes')).toMatchObject({ score: 0, skipped: null });
    expect(s.coverage).toBe(90);
    expect(s.score).toBe(round1((80 * 100) / 90));
    expect(s.score).toBe(88.9);
    expect(s.band?.zh).toBe('良好');
  });

  it('a member-assistance pairing (no quota) is scored on the rest', () => {
    const s = scorePairing(SCHEME, {
      ...full,
      kind: 'member_assist',
      quota: { active: true, hasQuota: false, required: 0, done: 2 },
    });
    expect(s.breakdown[0]).toMatchObject({ code: 'quota', skipped: 'no_data' });
    expect(s.coverage).toBe(70);
    expect(s.score).toBe(100);
  });

  it('an indicator for other kinds of pairing is left out', () => {
    const scheme: SchemeContent = {
      ...SCHEME,
      indicators: SCHEME.indicators.map((i) =>
        i.code === 'signoff' ? { ...i, kinds: ['member_assist'] } : i,
      ),
    };
    const s = scorePairing(scheme, { ...full, signoffs: ['unsatisfied'] });
    expect(s.breakdown.find((b) => b.code === 'signoff')?.skipped).toBe('kind');
    expect(s.score).toBe(100);
  });

  it('a pairing with no records at all has no score and no band', () => {
    const scheme: SchemeContent = {
      ...SCHEME,
      indicators: SCHEME.indicators.map((i) => ({ ...i, whenMissing: 'skip' as const })),
    };
    const s = scorePairing(scheme, emptyEvidence('branch_cobuild', '2026-12-31'));
    expect(s).toMatchObject({ score: null, band: null, coverage: 0 });
  });

  it('a pairing whose records cover less than the scheme’s minimum share of the weights is not scored', () => {
    const sparse = { ...emptyEvidence('member_assist', '2026-12-31'), outcomes: { yuan: 20_000 } };
    expect(scorePairing(SCHEME, sparse)).toMatchObject({ score: 100, coverage: 10 });
    const s = scorePairing({ ...SCHEME, minCoverage: 40 }, sparse);
    expect(s).toMatchObject({ score: null, band: null, coverage: 10 });
    expect(s.breakdown.find((b) => b.code === 'outcomes')?.score).toBe(100);
    expect(scorePairing({ ...SCHEME, minCoverage: 40 }, full).score).toBe(100);
  });

  it('rounds half up to one decimal and bands the rounded score', () => {
    expect(round1(89.95)).toBe(90);
    expect(round1(89.94999)).toBe(89.9);
    expect(round1(0.05)).toBe(0.1);
    expect(round1(100 / 3)).toBe(33.3);
    // 89.95 exactly: quota 100 × 0.5 + tasks 79.9 × 0.5.
    const scheme: SchemeContent = {
      indicators: [
        { code: 'q', zh: '到点', en: 'Quota', weight: 50, method: 'quota' },
        {
          code: 't',
          zh: '任务',
          en: 'Tasks',
          weight: 50,
          method: 'tasks',
          params: { credits: { done: 79.9 } },
        },
      ],
      bands: BANDS,
    };
    const s = scorePairing(scheme, { ...full, tasks: [{ status: 'done', notes: 0 }] });
    expect(s.score).toBe(90);
    expect(s.band?.zh).toBe('优秀');
  });

  it('a score on a band’s line is in that band; below the lowest line there is none', () => {
    expect(bandOf(80, BANDS)?.zh).toBe('良好');
    expect(bandOf(79.9, BANDS)?.zh).toBe('一般');
    expect(bandOf(0, BANDS)?.zh).toBe('较差');
    expect(bandOf(50, BANDS.slice(0, 3))).toBeNull();
  });

  it('an aggregate is the mean of its scored pairings', () => {
    expect(aggregateScores([90, 80, null], BANDS)).toMatchObject({
      pairings: 3,
      scored: 2,
      score: 85,
      band: { zh: '良好' },
    });
    expect(aggregateScores([null], BANDS)).toMatchObject({ scored: 0, score: null, band: null });
  });
});

describe('scheme validation', () => {
  it('accepts a sound scheme', () => {
    expect(checkScheme(SCHEME)).toEqual([]);
  });

  it('refuses weights that do not sum to 100', () => {
    const s = {
      ...SCHEME,
      indicators: SCHEME.indicators.map((i) => (i.code === 'quota' ? { ...i, weight: 25 } : i)),
    };
    const problems = checkScheme(s);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'indicators' });
    expect(problems[0]!.message).toContain('权重之和须为100，现为95');
  });

  it('accepts decimal weights summing to 100 despite binary noise', () => {
    const thirds: SchemeContent = {
      indicators: [
        { code: 'a', zh: '甲', en: 'A', weight: 33.3, method: 'quota' },
        { code: 'b', zh: '乙', en: 'B', weight: 33.3, method: 'tasks' },
        { code: 'c', zh: '丙', en: 'C', weight: 33.4, method: 'signoff' },
      ],
      bands: BANDS,
    };
    expect(checkScheme(thirds)).toEqual([]);
  });

  it('refuses a repeated code, a zero weight, points above 100 and an empty target list', () => {
    const s: SchemeContent = {
      indicators: [
        { code: 'x', zh: '甲', en: 'A', weight: 100, method: 'tasks', params: { credits: { done: 120 } } },
        { code: 'x', zh: '乙', en: 'B', weight: 0, method: 'outcomes', params: { targets: {} } },
      ],
      bands: BANDS,
    };
    const fields = checkScheme(s).map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'indicators.0.params.credits.done',
        'indicators.1.code',
        'indicators.1.weight',
        'indicators.1.params.targets',
      ]),
    );
  });

  it('refuses bands out of order, repeated, or whose lowest does not start at 0', () => {
    const fields = (bands: Band[]) => checkScheme({ ...SCHEME, bands }).map((p) => p.field);
    expect(fields([BANDS[1]!, BANDS[0]!, BANDS[3]!])).toContain('bands.1.min');
    expect(fields(BANDS.slice(0, 3))).toContain('bands.2.min');
    expect(fields([BANDS[0]!, { ...BANDS[1]!, zh: '优秀' }, BANDS[3]!])).toContain('bands.1.zh');
    expect(fields([])).toContain('bands');
    expect(checkScheme({ ...SCHEME, minCoverage: 120 }).map((p) => p.field)).toEqual(['minCoverage']);
  });
});

describe('decisions', () => {
  it('take the values of their kind only', () => {
    expect(isDecisionValue('democratic_evaluation', 'basically_qualified')).toBe(true);
    expect(isDecisionValue('democratic_evaluation', 'recommend')).toBe(false);
    expect(isDecisionValue('five_good_village', 'recommend')).toBe(true);
    expect(isDecisionValue('star_rating', '5')).toBe(true);
    expect(isDecisionValue('star_rating', '6')).toBe(false);
  });
});
