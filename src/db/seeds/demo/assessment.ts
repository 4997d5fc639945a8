import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { SchemeContent, SurveyAnswer } from '../../../domain/assessment.ts';
import type { Executor } from '../../ids.ts';
import { addDays, dayOf, isoOf, maxDate } from './dates.ts';
import { Rng } from './rng.ts';

/**
 * The demo county's year-end assessment (年终考评): the year's scheme, active, with mass satisfaction
 * weighing a fifth of the score [004]; and one satisfaction survey of a village, open on the demo's
 * "today", with answers from the masses. Draws from its own fork of the demo's seed ('assessment'),
 * so nothing drawn before it changes. The survey's token alone is random (crypto): it is a secret,
 * not data, and a seed anyone can read must not make it guessable.
 */

/** A county's scheme as the demo (and the tests) use it: weights summing to 100, four bands. */
export const DEMO_SCHEME: SchemeContent = {
  indicators: [
    { code: 'quota', zh: '到点工作完成率', en: 'Quota completion', weight: 25, method: 'quota' },
    { code: 'tasks', zh: '卡册任务完成情况', en: 'Task completion', weight: 20, method: 'tasks' },
    { code: 'signoff', zh: '年末签署意见', en: 'Year-end sign-off', weight: 15, method: 'signoff' },
    {
      code: 'satisfaction',
      zh: '群众满意度',
      en: 'Mass satisfaction',
      weight: 20,
      method: 'satisfaction',
      params: { minResponses: 5, feedbackShare: 20 },
    },
    {
      code: 'inspections',
      zh: '督查发现问题整改',
      en: 'Check findings and rectification',
      weight: 10,
      method: 'inspections',
    },
    { code: 'outcomes', zh: '帮扶成效', en: 'Outcomes', weight: 10, method: 'outcomes', whenMissing: 'zero' },
  ],
  // Scored on fewer than 40 of the 100 weights (no sign-off, survey or tasks yet): not scored.
  minCoverage: 40,
  bands: [
    { code: 'excellent', zh: '优秀', en: 'Excellent', min: 90 },
    { code: 'good', zh: '良好', en: 'Good', min: 80 },
    { code: 'fair', zh: '一般', en: 'Fair', min: 60 },
    { code: 'poor', zh: '较差', en: 'Poor', min: 0 },
  ],
};

const COMMENTS: Record<SurveyAnswer, readonly string[]> = {
  satisfied: [
    '联点领导经常来村里，帮我们修了水渠，很满意。',
    '村里的路修好了，出行方便多了。',
    '帮扶干部很负责，逢年过节都来看望困难户。',
    '村部活动场所条件改善了，党员活动有地方了。',
    '技术培训很实用，今年的收成比去年好。',
  ],
  basically_satisfied: [
    '希望多组织一些种养殖技术培训。',
    '希望帮扶项目能长期坚持下去。',
    '建议多听听群众意见再定项目。',
  ],
  unsatisfied: ['有些承诺的事情还没落实，希望抓紧。', '来村里的次数还是少了点。'],
};

export interface AssessmentDemoInput {
  countyId: number;
  countyName: string;
  seed: number;
  year: number;
  /** The demo's "today": nothing is dated after it. */
  asOf: string;
}

export interface AssessmentDemoSummary {
  schemeId: number;
  surveyId: number;
  surveyOrgId: number;
  responses: number;
}

/** Writes the scheme and the survey, in the demo's transaction, after the pairings. */
export async function loadAssessmentDemo(
  db: Executor,
  input: AssessmentDemoInput,
): Promise<AssessmentDemoSummary> {
  const { countyId, year, asOf } = input;
  const rng = new Rng(input.seed).fork('assessment');
  const at = `${maxDate(`${year}-01-05`, addDays(asOf, -40))}T09:00:00+08:00`;

  const { rows: schemes } = await sql<{ id: number }>`
    INSERT INTO assessment_schemes (county_id, year, version, title, content, note, active, created_by_name, created_at, activated_at)
    VALUES (${countyId}, ${year}, 1, ${`${input.countyName}${year}年度城乡党建“三联共建”考评方案`},
            ${JSON.stringify(DEMO_SCHEME)}::jsonb, ${'依据县委“三联共建”实施意见制定，群众满意度占20%'}, true,
            ${'县委组织部'}, ${at}, ${at})
    RETURNING id`.execute(db);

  // A village whose branch a leader links (领导联点): its people answer for the pairings there.
  const { rows: villages } = await sql<{ id: number; name: string }>`
    SELECT DISTINCT o.id, o.name FROM pairings p
    JOIN orgs o ON o.county_id = p.county_id AND o.id = p.helped_org_id
    WHERE p.county_id = ${countyId} AND p.kind = 'leader_contact' AND p.year_from <= ${year} AND p.year_to >= ${year}
      AND o.sector = 'rural'
    ORDER BY o.id`.execute(db);
  const village = rng.pick(villages);
  const opensOn = maxDate(`${year}-01-01`, addDays(asOf, -14));
  const closesOn = addDays(asOf, 16);
  const { rows: surveys } = await sql<{ id: number }>`
    INSERT INTO satisfaction_surveys (county_id, token, year, title, pairing_id, org_id, opens_on, closes_on, created_by_name, created_at)
    VALUES (${countyId}, ${randomBytes(24).toString('base64url')}, ${year},
            ${`${year}年度${village.name}城乡党建共建群众满意度测评`}, NULL, ${village.id}, ${opensOn}, ${closesOn},
            ${'县委组织部'}, ${`${opensOn}T08:30:00+08:00`})
    RETURNING id`.execute(db);
  const surveyId = surveys[0]!.id;

  // Answers on the days the survey has run before "today" (or early on its first day).
  const lastDay = dayOf(asOf) > dayOf(opensOn) ? addDays(asOf, -1) : opensOn;
  const count = rng.int(18, 36);
  const responses = Array.from({ length: count }, () => {
    const answer = rng.weightedKey<SurveyAnswer>({ satisfied: 72, basically_satisfied: 20, unsatisfied: 8 });
    const day = isoOf(rng.int(dayOf(opensOn), dayOf(lastDay)));
    // Never after "today"'s first minute when the survey opened today.
    const hour = lastDay === asOf ? 0 : rng.int(8, 21);
    const minute = lastDay === asOf ? 0 : rng.int(0, 59);
    return {
      answer,
      comment: rng.chance(0.35) ? rng.pick(COMMENTS[answer]) : null,
      createdAt: `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`,
    };
  });
  for (const r of responses) {
    await sql`
      INSERT INTO survey_responses (county_id, survey_id, answer, comment, address_hash, created_at)
      VALUES (${countyId}, ${surveyId}, ${r.answer}, ${r.comment}, NULL, ${r.createdAt})`.execute(db);
  }
  return { schemeId: schemes[0]!.id, surveyId, surveyOrgId: village.id, responses: responses.length };
}
