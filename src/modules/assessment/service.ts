import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import {
  aggregateScores,
  type CheckConclusion,
  DECISION_KINDS,
  decisionKind,
  emptyEvidence,
  isDecisionValue,
  type PairingEvidence,
  type PairingScore,
  SCORING_METHODS,
  type SchemeContent,
  SURVEY_ANSWERS,
  type SurveyAnswer,
  scorePairing,
  type TaskEvidence,
} from '../../domain/assessment.ts';
import { BRANCH_KINDS, labelOf, type OrgKind } from '../../domain/codes.ts';
import { type Opinion, type OutcomeUnit, pairingKind } from '../../domain/pairings.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import { findOrg, findRootOrg } from '../orgs/repository.ts';
import * as pairingsRepo from '../pairings/repository.ts';
import { requirePairing } from '../pairings/service.ts';
import { countyToday } from '../plans/clock.ts';
import { displayName } from '../plans/repository.ts';
import { complianceOf } from './compliance.ts';
import {
  isSurveyOpen,
  presentAggregate,
  presentDecision,
  presentPairingResult,
  presentRun,
  presentScheme,
  presentSurvey,
  schemeContent,
} from './presenter.ts';
import * as repo from './repository.ts';
import type {
  DecisionInput,
  ResponseInput,
  ResultsQuery,
  RunInput,
  SchemeInput,
  SurveyInput,
} from './schemas.ts';

/**
 * The year-end assessment (年终考评) [000]: the county's scheme for a year (versioned, one active),
 * satisfaction surveys the masses answer on a phone [004], scoring runs that keep their results, and
 * decisions people record on them (民主评议党员, 示范点, 五好, star ratings) — proposals with a
 * reason, never applied by the system. Rankings are for the organisation department and the
 * committees (assessment.read); nothing here is shown on a public page.
 */

const thisYear = () => Number(countyToday().slice(0, 4));

async function nameOf(ctx: ServiceContext) {
  if (!ctx.actor) return null;
  return (await displayName(ctx.db, ctx.countyId, ctx.actor.userId)) ?? ctx.actor.username;
}

// Schemes -----------------------------------------------------------------------------------------

/** Saves a scheme as the year's next version (v1, v2 …); with `activate`, it becomes the active one. */
export async function createScheme(ctx: ServiceContext, input: SchemeInput) {
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    await repo.lockYear(db, ctx.countyId, input.year);
    const version = await repo.nextSchemeVersion(db, ctx.countyId, input.year);
    const id = await repo.insertScheme(db, {
      county_id: ctx.countyId,
      year: input.year,
      version,
      title: input.title,
      content: JSON.stringify(input.content),
      note: input.note || null,
      created_by: ctx.actor?.userId ?? null,
      created_by_name: await nameOf(c),
    });
    if (input.activate) await repo.activate(db, ctx.countyId, input.year, id, ctx.actor?.userId ?? null);
    await recordAudit(c, {
      action: 'assessment.scheme.create',
      targetType: 'assessment_scheme',
      targetId: id,
      details: { year: input.year, version, activate: input.activate === true },
    });
    return presentScheme((await repo.findScheme(db, ctx.countyId, id))!);
  });
}

export async function activateScheme(ctx: ServiceContext, id: number) {
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const s = await repo.findScheme(db, ctx.countyId, id);
    if (!s) throw notFound('考评方案', 'Assessment scheme');
    await repo.lockYear(db, ctx.countyId, s.year);
    const before = await repo.activeScheme(db, ctx.countyId, s.year);
    await repo.activate(db, ctx.countyId, s.year, id, ctx.actor?.userId ?? null);
    await recordAudit(c, {
      action: 'assessment.scheme.activate',
      targetType: 'assessment_scheme',
      targetId: id,
      details: { year: s.year, version: s.version, previous: before?.id ?? null },
    });
    return presentScheme((await repo.findScheme(db, ctx.countyId, id))!);
  });
}

export async function listSchemes(ctx: ServiceContext, year?: number) {
  return (await repo.listSchemes(ctx.db, ctx.countyId, year)).map(presentScheme);
}

export async function getScheme(ctx: ServiceContext, id: number) {
  const s = await repo.findScheme(ctx.db, ctx.countyId, id);
  if (!s) throw notFound('考评方案', 'Assessment scheme');
  return presentScheme(s);
}

// Satisfaction surveys (满意度测评) ---------------------------------------------------------------

/** 128 random bits and more, base64url: the link cannot be guessed from any other. */
export const newSurveyToken = () => randomBytes(24).toString('base64url');

export async function openSurvey(ctx: ServiceContext, input: SurveyInput) {
  const today = countyToday();
  const opensOn = input.opensOn ?? today;
  if (input.closesOn < opensOn)
    throw invalid('closesOn', '截止日期早于开始日期', 'the survey closes before it opens');
  if (input.closesOn < today) throw invalid('closesOn', '截止日期已过', 'the closing day has passed');
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    let orgId: number;
    let title: string;
    if (input.pairingId !== undefined) {
      const p = await requirePairing(c, input.pairingId);
      if (input.year < p.year_from || input.year > p.year_to)
        throw invalid(
          'year',
          `结对期限为${p.year_from}—${p.year_to}年`,
          `the pairing runs ${p.year_from}–${p.year_to}`,
        );
      orgId = p.helped_org_id;
      title =
        input.title ??
        `${input.year}年度“${pairingKind(p.kind)?.zh ?? '结对共建'}”群众满意度测评（${p.helped_org_name ?? ''}）`;
    } else {
      const org = await findOrg(db, ctx.countyId, input.orgId!);
      if (!org)
        throw invalid(
          'orgId',
          '组织不存在或不在管理范围内',
          'the organisation does not exist or is out of scope',
        );
      orgId = org.id;
      title = input.title ?? `${input.year}年度${org.name}城乡党建共建群众满意度测评`;
    }
    const id = await repo.insertSurvey(db, {
      county_id: ctx.countyId,
      token: newSurveyToken(),
      year: input.year,
      title,
      pairing_id: input.pairingId ?? null,
      org_id: orgId,
      opens_on: opensOn,
      closes_on: input.closesOn,
      created_by: ctx.actor?.userId ?? null,
      created_by_name: await nameOf(c),
    });
    await recordAudit(c, {
      action: 'assessment.survey.open',
      targetType: 'satisfaction_survey',
      targetId: id,
      details: {
        year: input.year,
        pairingId: input.pairingId ?? null,
        orgId,
        opensOn,
        closesOn: input.closesOn,
      },
    });
    return presentSurvey((await repo.findSurvey(db, ctx.countyId, id))!, today);
  });
}

export async function closeSurvey(ctx: ServiceContext, id: number) {
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const s = await repo.findSurvey(db, ctx.countyId, id);
    if (!s) throw notFound('满意度测评', 'Survey');
    const r = await repo.closeSurvey(db, ctx.countyId, id, {
      closed_by: ctx.actor?.userId ?? null,
      closed_by_name: await nameOf(c),
    });
    if (Number(r.numUpdatedRows) === 0) throw conflict('该测评已关闭', 'the survey is closed already');
    await recordAudit(c, {
      action: 'assessment.survey.close',
      targetType: 'satisfaction_survey',
      targetId: id,
    });
    return presentSurvey((await repo.findSurvey(db, ctx.countyId, id))!, countyToday());
  });
}

export async function listSurveys(ctx: ServiceContext, year?: number) {
  const today = countyToday();
  return (await repo.listSurveys(ctx.db, ctx.countyId, year)).map((s) => presentSurvey(s, today));
}

export async function surveyResponses(ctx: ServiceContext, id: number, page: number, pageSize: number) {
  const s = await repo.findSurvey(ctx.db, ctx.countyId, id);
  if (!s) throw notFound('满意度测评', 'Survey');
  const rows = await repo.listResponses(ctx.db, ctx.countyId, id, pageSize, (page - 1) * pageSize);
  const total = Number(s.satisfied) + Number(s.basically_satisfied) + Number(s.unsatisfied);
  return {
    items: rows.map((r) => ({
      id: r.id,
      answer: r.answer,
      answerLabel: labelOf(SURVEY_ANSWERS, r.answer),
      comment: r.comment,
      createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
    })),
    total,
    page,
    pageSize,
  };
}

const surveyNotFound = () => notFound('满意度测评', 'Survey');

/** What the public page shows: the title, whom it is about (organisations only), and the question. */
function publicView(s: repo.SurveyRow, county: string, today: string) {
  const kind = s.pairing_kind ? pairingKind(s.pairing_kind)?.zh : null;
  return {
    title: s.title,
    county: { name: county },
    subject: kind ? `${kind} · ${s.org_name ?? ''}` : (s.org_name ?? ''),
    year: s.year,
    opensOn: s.opens_on,
    closesOn: s.closes_on,
    open: isSurveyOpen(s, today),
    question: `您对${s.org_name ?? '本村'}${s.year}年城乡党建结对共建工作是否满意？`,
    options: SURVEY_ANSWERS.map((a) => ({ code: a.code, label: a.zh })),
  };
}

/** The public side: by token alone, with the owner's handle (no session to scope by). */
export async function publicSurvey(db: Kysely<DB>, token: string, today = countyToday()) {
  const s = await repo.findSurveyByToken(db, token);
  if (!s || s.opens_on > today) throw surveyNotFound();
  return publicView(s, (await repo.countyName(db, s.county_id)) ?? '', today);
}

export async function submitResponse(
  db: Kysely<DB>,
  token: string,
  input: ResponseInput,
  hash: string,
  today = countyToday(),
) {
  const s = await repo.findSurveyByToken(db, token);
  if (!s || s.opens_on > today) throw surveyNotFound();
  if (!isSurveyOpen(s, today)) {
    throw new AppError(
      409,
      'survey_closed',
      s.closed_at ? '该测评已提前结束，感谢您的关注' : `该测评已于${s.closes_on}结束，感谢您的关注`,
      'the survey has closed',
    );
  }
  await repo.insertResponse(db, {
    county_id: s.county_id,
    survey_id: s.id,
    answer: input.answer,
    comment: input.comment || null,
    address_hash: hash,
  });
  return { message: '提交成功，感谢您的参与！', messageEn: 'thank you for taking part' };
}

// Scoring runs ------------------------------------------------------------------------------------

/** The evidence of each pairing's year, read in a few set-wise queries. */
async function gatherEvidence(
  ctx: ServiceContext,
  rows: pairingsRepo.PairingRow[],
  year: number,
  asOf: string,
): Promise<Map<number, PairingEvidence>> {
  const db = ctx.db;
  const ids = rows.map((r) => r.id);
  const [compliance, tasks, signoffs, surveys, feedback, inspections, outcomes] = await Promise.all([
    complianceOf(db, ctx.countyId, rows, year, asOf),
    repo.taskEvidence(db, ctx.countyId, year, ids, asOf),
    repo.signoffEvidence(db, ctx.countyId, year, ids, asOf),
    repo.surveyEvidence(db, ctx.countyId, year, ids, asOf),
    repo.feedbackEvidence(db, ctx.countyId, year, ids, asOf),
    repo.inspectionEvidence(db, ctx.countyId, year, ids, asOf),
    repo.outcomeEvidence(db, ctx.countyId, year, ids, asOf),
  ]);
  const evidence = new Map<number, PairingEvidence>();
  for (const r of rows) {
    const e = emptyEvidence(r.kind, asOf);
    const c = compliance.get(r.id);
    if (c) e.quota = { active: c.active, hasQuota: c.hasQuota, required: c.required, done: c.done };
    evidence.set(r.id, e);
  }
  const get = (id: number) => evidence.get(id)!;
  for (const t of tasks)
    (get(t.pairing_id).tasks as TaskEvidence[]).push({
      status: t.status as TaskEvidence['status'],
      notes: Number(t.notes),
    });
  for (const s of signoffs) (get(s.pairing_id).signoffs as Opinion[]).push(s.opinion as Opinion);
  for (const s of surveys) get(s.pairing_id).survey[s.answer as SurveyAnswer] += Number(s.n);
  for (const f of feedback)
    get(f.pairing_id).feedback = { total: Number(f.total), answered: Number(f.answered) };
  for (const i of inspections.checks) (get(i.pairing_id).inspections as CheckConclusion[]).push(i.conclusion);
  for (const r of inspections.rectifications)
    get(r.pairing_id).rectifications = [
      ...get(r.pairing_id).rectifications,
      { dueOn: r.due_on, closedOn: r.status === 'closed' ? r.closed_on : null },
    ];
  for (const o of outcomes) get(o.pairing_id).outcomes[o.unit as OutcomeUnit] = Number(o.amount);
  return evidence;
}

function checkRunDates(year: number, asOfInput: string | undefined) {
  const today = countyToday();
  if (year > thisYear()) throw invalid('year', `${year}年度尚未开始`, `${year} has not begun`);
  const asOf = asOfInput ?? (year < thisYear() ? `${year}-12-31` : today);
  if (!asOf.startsWith(`${year}-`))
    throw invalid('asOf', `截至日期须在${year}年内`, `asOf must lie in ${year}`);
  if (asOf > today) throw invalid('asOf', '截至日期不能晚于今天', 'asOf cannot be in the future');
  return asOf;
}

/**
 * Scores every pairing of the year in a subtree (either side within it) that had started by `asOf`,
 * with the year's active scheme, and keeps the run: each pairing's score, band and breakdown, and
 * the means per helper, per branch (a pairing counts for the branch on each of its sides: co-building
 * is mutual) and per township (of the helped side, as the seed-000 summary counts them).
 */
export async function runScoring(ctx: ServiceContext, input: RunInput) {
  const asOf = checkRunDates(input.year, input.asOf);
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const scheme = await repo.activeScheme(db, ctx.countyId, input.year);
    if (!scheme) {
      throw new AppError(
        409,
        'no_active_scheme',
        `${input.year}年度尚无启用的考评方案，请先制定并启用`,
        `there is no active assessment scheme for ${input.year}`,
        'year',
      );
    }
    const content = schemeContent(scheme.content);
    const org =
      input.orgId === undefined
        ? await findRootOrg(db, ctx.countyId)
        : await findOrg(db, ctx.countyId, input.orgId);
    if (!org) throw notFound('组织', 'Organisation');
    const rows = (
      await pairingsRepo.listPairings(db, ctx.countyId, { year: input.year, underPath: org.path })
    ).filter((r) => r.started_on <= asOf);
    const evidence = await gatherEvidence(c, rows, input.year, asOf);
    const scored = rows.map((r) => ({ row: r, result: scorePairing(content, evidence.get(r.id)!) }));

    const runId = await repo.insertRun(db, {
      county_id: ctx.countyId,
      year: input.year,
      scheme_id: scheme.id,
      org_id: org.id,
      as_of: asOf,
      pairings: scored.length,
      scored: scored.filter((s) => s.result.score !== null).length,
      run_by: ctx.actor?.userId ?? null,
      run_by_name: await nameOf(c),
    });
    await repo.insertResults(
      db,
      scored.map(({ row, result }) => ({
        county_id: ctx.countyId,
        run_id: runId,
        pairing_id: row.id,
        kind: row.kind,
        score: result.score,
        band: result.band?.code ?? null,
        coverage: result.coverage,
        breakdown: JSON.stringify(result.breakdown),
        helper_member_id: row.helper_member_id,
        helper_org_id: row.helper_org_id,
        helped_org_id: row.helped_org_id,
        township_id: row.helped_township_id === null ? null : Number(row.helped_township_id),
      })),
    );
    await repo.insertAggregates(db, await aggregates(c, runId, scored, content));
    await recordAudit(c, {
      action: 'assessment.run',
      targetType: 'assessment_run',
      targetId: runId,
      details: {
        year: input.year,
        orgId: org.id,
        asOf,
        schemeId: scheme.id,
        schemeVersion: scheme.version,
        pairings: scored.length,
      },
    });
    return getRun(c, runId);
  });
}

async function aggregates(
  ctx: ServiceContext,
  runId: number,
  scored: { row: pairingsRepo.PairingRow; result: PairingScore }[],
  content: SchemeContent,
): Promise<repo.AggregateInsert[]> {
  const groups = {
    helper: new Map<number, { org: number; name: string; scores: (number | null)[] }>(),
    branch: new Map<number, { org: number; name: string; scores: (number | null)[] }>(),
    township: new Map<number, { org: number; name: string; scores: (number | null)[] }>(),
  };
  const orgIds = new Set<number>();
  for (const { row } of scored) {
    orgIds.add(row.helper_org_id);
    orgIds.add(row.helped_org_id);
    if (row.helped_township_id !== null) orgIds.add(Number(row.helped_township_id));
  }
  const orgs = await repo.orgBriefs(ctx.db, ctx.countyId, [...orgIds]);
  const add = (level: keyof typeof groups, id: number, org: number, name: string, score: number | null) => {
    const g = groups[level].get(id) ?? { org, name, scores: [] };
    g.scores.push(score);
    groups[level].set(id, g);
  };
  for (const { row, result } of scored) {
    if (row.helper_member_id !== null) {
      add(
        'helper',
        row.helper_member_id,
        row.helper_org_id,
        row.helper_member_name ?? `#${row.helper_member_id}`,
        result.score,
      );
    }
    for (const id of new Set([row.helper_org_id, row.helped_org_id])) {
      const o = orgs.get(id);
      if (o && BRANCH_KINDS.includes(o.kind as OrgKind))
        add('branch', id, id, o.short_name ?? o.name, result.score);
    }
    if (row.helped_township_id !== null) {
      const id = Number(row.helped_township_id);
      const o = orgs.get(id);
      if (o) add('township', id, id, o.short_name ?? o.name, result.score);
    }
  }
  const out: repo.AggregateInsert[] = [];
  for (const level of ['helper', 'branch', 'township'] as const) {
    for (const [subject, g] of groups[level]) {
      const a = aggregateScores(g.scores, content.bands);
      out.push({
        county_id: ctx.countyId,
        run_id: runId,
        level,
        subject_id: subject,
        org_id: g.org,
        name: g.name,
        pairings: a.pairings,
        scored: a.scored,
        score: a.score,
        band: a.band?.code ?? null,
      });
    }
  }
  return out;
}

export async function listRuns(ctx: ServiceContext, year?: number) {
  return (await repo.listRuns(ctx.db, ctx.countyId, year)).map((r) => presentRun(r));
}

export async function getRun(ctx: ServiceContext, id: number) {
  const r = await repo.findRun(ctx.db, ctx.countyId, id);
  if (!r) throw notFound('考评结果', 'Assessment run');
  return presentRun(r, await repo.bandCounts(ctx.db, ctx.countyId, id));
}

/** A run's results at one level, best first (the user sees the part row-level security shows them). */
export async function results(ctx: ServiceContext, runId: number, q: ResultsQuery) {
  const r = await repo.findRun(ctx.db, ctx.countyId, runId);
  if (!r) throw notFound('考评结果', 'Assessment run');
  const content = schemeContent(r.scheme_content);
  let underPath: string | undefined;
  if (q.orgId !== undefined) {
    const org = await findOrg(ctx.db, ctx.countyId, q.orgId);
    if (!org) throw notFound('组织', 'Organisation');
    underPath = org.path;
  }
  const band = q.band
    ? (content.bands.find((b) => b.code === q.band || b.zh === q.band)?.code ?? q.band)
    : undefined;
  const f = { band, underPath, limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
  const page =
    q.level === 'pairing'
      ? await repo.pairingResults(ctx.db, ctx.countyId, runId, f).then((p) => ({
          items: p.items.map((x) => presentPairingResult(x, content)),
          total: p.total,
        }))
      : await repo.aggregateResults(ctx.db, ctx.countyId, runId, q.level, f).then((p) => ({
          items: p.items.map((x) => presentAggregate(q.level, x, content)),
          total: p.total,
        }));
  return {
    run: presentRun(r, await repo.bandCounts(ctx.db, ctx.countyId, runId)),
    level: q.level,
    ...page,
    page: q.page,
    pageSize: q.pageSize,
  };
}

// Decisions ---------------------------------------------------------------------------------------

const TOWNSHIP_PLACES = ['town', 'township', 'subdistrict'];

/**
 * Records a proposal for 民主评议党员 or an honour, by a person with a reason (assessment.decide).
 * The subject must fit the kind (a township's party committee for 五好乡镇党委, a village's branch
 * for 五好村党支部, a member for the evaluation); the latest run's score and band of the subject are
 * kept beside it for reference. Nothing is applied: the decision is an input to the county's own
 * procedures.
 */
export async function recordDecision(ctx: ServiceContext, input: DecisionInput) {
  const kind = decisionKind(input.kind)!;
  if (!isDecisionValue(kind.code, input.value)) {
    throw invalid(
      'value',
      `“${kind.zh}”的取值应为：${kind.values.map((v) => `${v.code}（${v.zh}）`).join('、')}`,
      `a ${kind.en} takes one of: ${kind.values.map((v) => v.code).join(', ')}`,
    );
  }
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    let orgId: number;
    let level: 'helper' | 'branch' | 'township';
    let subjectId: number;
    if (kind.subject === 'member') {
      if (input.memberId === undefined)
        throw invalid('memberId', `“${kind.zh}”须指定党员`, `a ${kind.en} is about a member`);
      const m = await pairingsRepo.findMemberBrief(db, ctx.countyId, input.memberId);
      if (!m?.is_party_member)
        throw invalid(
          'memberId',
          '党员不存在或不在管理范围内',
          'the member does not exist or is out of scope',
        );
      orgId = m.org_id;
      level = 'helper';
      subjectId = m.id;
    } else {
      if (input.orgId === undefined)
        throw invalid('orgId', `“${kind.zh}”须指定党组织`, `a ${kind.en} is about an organisation`);
      const org = (await repo.orgBriefs(db, ctx.countyId, [input.orgId])).get(input.orgId);
      if (!org)
        throw invalid(
          'orgId',
          '组织不存在或不在管理范围内',
          'the organisation does not exist or is out of scope',
        );
      const township =
        org.kind === 'party_committee' && org.depth === 2 && TOWNSHIP_PLACES.includes(org.place_kind ?? '');
      if (kind.subject === 'township' && !township)
        throw invalid(
          'orgId',
          '五好乡镇党委须为乡镇党委',
          'a five-good township committee is a township’s party committee',
        );
      if (
        kind.subject === 'village_branch' &&
        !(BRANCH_KINDS.includes(org.kind as OrgKind) && org.sector === 'rural')
      )
        throw invalid(
          'orgId',
          '五好村党支部须为村党支部',
          'a five-good village branch is a village’s party branch',
        );
      orgId = org.id;
      level = township ? 'township' : 'branch';
      subjectId = org.id;
    }
    const runId = input.runId ?? (await repo.latestRunId(db, ctx.countyId, input.year)) ?? null;
    let score: number | null = null;
    let band: string | null = null;
    if (runId !== null) {
      const run = await repo.findRun(db, ctx.countyId, runId);
      if (!run || run.year !== input.year)
        throw invalid('runId', `该考评结果不属于${input.year}年度`, `the run is not one of ${input.year}`);
      const agg = await repo.findAggregate(db, ctx.countyId, runId, level, subjectId);
      if (agg?.score != null) {
        score = Number(agg.score);
        band = schemeContent(run.scheme_content).bands.find((b) => b.code === agg.band)?.zh ?? agg.band;
      }
    }
    const id = await repo.insertDecision(db, {
      county_id: ctx.countyId,
      year: input.year,
      kind: kind.code,
      member_id: kind.subject === 'member' ? subjectId : null,
      org_id: orgId,
      value: input.value,
      reason: input.reason,
      run_id: runId,
      score,
      band,
      decided_by: ctx.actor?.userId ?? null,
      decided_by_name: await nameOf(c),
    });
    await recordAudit(c, {
      action: 'assessment.decide',
      targetType: 'assessment_decision',
      targetId: id,
      details: {
        year: input.year,
        kind: kind.code,
        value: input.value,
        memberId: kind.subject === 'member' ? subjectId : null,
        orgId,
        runId,
        reason: input.reason,
      },
    });
    return presentDecision((await repo.listDecisions(db, ctx.countyId, { id }))[0]!);
  });
}

export async function listDecisions(ctx: ServiceContext, q: { year?: number; kind?: string }) {
  return (await repo.listDecisions(ctx.db, ctx.countyId, q)).map(presentDecision);
}

/** The fixed lists a scheme and a decision are built from, for forms. */
export const catalogue = () => ({
  methods: SCORING_METHODS.map((m) => ({ code: m.code, zh: m.zh, en: m.en })),
  decisionKinds: DECISION_KINDS.map((k) => ({
    code: k.code,
    zh: k.zh,
    en: k.en,
    subject: k.subject,
    values: k.values.map((v) => ({ code: v.code, zh: v.zh, en: v.en })),
  })),
  surveyAnswers: SURVEY_ANSWERS.map((a) => ({ code: a.code, zh: a.zh, en: a.en })),
});
