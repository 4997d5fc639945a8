import { type ColumnType, type Generated, sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';

/**
 * All SQL of the year-end assessment (年终考评): schemes, satisfaction surveys and their responses,
 * the evidence a scoring run reads (tasks, sign-offs, surveys, notice feedback, checks, outcomes),
 * runs with their results and aggregates, and decisions. Staff queries run in the request's
 * transaction, narrowed by row-level security; the public survey queries run on the owner's handle
 * and name the survey's token or id themselves.
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Numeric = ColumnType<string | null, number | null, number | null>;

/** Tables of migration 0008, until src/db/schema.ts has them. */
export type AssessmentTables = {
  assessment_schemes: {
    county_id: number;
    id: Generated<number>;
    year: number;
    version: number;
    title: string;
    content: ColumnType<unknown, string, string>;
    note: string | null;
    active: Generated<boolean>;
    created_by: number | null;
    created_by_name: string | null;
    created_at: Timestamp;
    activated_by: number | null;
    activated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  satisfaction_surveys: {
    county_id: number;
    id: Generated<number>;
    token: string;
    year: number;
    title: string;
    pairing_id: number | null;
    org_id: number;
    opens_on: string;
    closes_on: string;
    closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    closed_by: number | null;
    closed_by_name: string | null;
    created_by: number | null;
    created_by_name: string | null;
    created_at: Timestamp;
  };
  survey_responses: {
    county_id: number;
    id: Generated<number>;
    survey_id: number;
    answer: string;
    comment: string | null;
    address_hash: string | null;
    created_at: Timestamp;
  };
  assessment_runs: {
    county_id: number;
    id: Generated<number>;
    year: number;
    scheme_id: number;
    org_id: number;
    as_of: string;
    pairings: number;
    scored: number;
    run_by: number | null;
    run_by_name: string | null;
    run_at: Timestamp;
  };
  assessment_results: {
    county_id: number;
    run_id: number;
    pairing_id: number;
    kind: string;
    score: Numeric;
    band: string | null;
    coverage: ColumnType<string, number, number>;
    breakdown: ColumnType<unknown, string, string>;
    helper_member_id: number | null;
    helper_org_id: number;
    helped_org_id: number;
    township_id: number | null;
  };
  assessment_aggregates: {
    county_id: number;
    run_id: number;
    level: 'helper' | 'branch' | 'township';
    subject_id: number;
    org_id: number;
    name: string;
    pairings: number;
    scored: number;
    score: Numeric;
    band: string | null;
  };
  assessment_decisions: {
    county_id: number;
    id: Generated<number>;
    year: number;
    kind: string;
    member_id: number | null;
    org_id: number;
    value: string;
    reason: string;
    run_id: number | null;
    score: Numeric;
    band: string | null;
    decided_by: number | null;
    decided_by_name: string | null;
    decided_at: Timestamp;
  };
};

const t = (db: Executor) => db.$extendTables<AssessmentTables>();

/** An organisation's short name where the user sees it, else its full name (a pairing's other side). */
const orgLabel = (column: string) =>
  sql<string | null>`coalesce(
    (SELECT coalesce(x.short_name, x.name) FROM orgs x WHERE x.county_id = ${sql.ref(`${column.split('.')[0]}.county_id`)} AND x.id = ${sql.ref(column)}),
    pairing_org_name(${sql.ref(`${column.split('.')[0]}.county_id`)}, ${sql.ref(column)}))`;
const BATCH = 1000;

/** Serialises writers of one county's year (scheme versions, activation), for the transaction's rest. */
export const lockYear = (db: Executor, countyId: number, year: number) =>
  sql`SELECT pg_advisory_xact_lock(4242008, hashtext(${`${countyId}:${year}`}))`.execute(db);

// Schemes ---------------------------------------------------------------------------------------

const SCHEME_COLUMNS = [
  'id',
  'year',
  'version',
  'title',
  'content',
  'note',
  'active',
  'created_by',
  'created_by_name',
  'created_at',
  'activated_by',
  'activated_at',
] as const;

export const nextSchemeVersion = async (db: Executor, countyId: number, year: number) =>
  Number(
    (
      await t(db)
        .selectFrom('assessment_schemes')
        .select(sql<number>`coalesce(max(version), 0) + 1`.as('v'))
        .where('county_id', '=', countyId)
        .where('year', '=', year)
        .executeTakeFirstOrThrow()
    ).v,
  );

export const insertScheme = async (
  db: Executor,
  row: {
    county_id: number;
    year: number;
    version: number;
    title: string;
    content: string;
    note: string | null;
    created_by: number | null;
    created_by_name: string | null;
  },
) => (await t(db).insertInto('assessment_schemes').values(row).returning('id').executeTakeFirstOrThrow()).id;

export const findScheme = (db: Executor, countyId: number, id: number) =>
  t(db)
    .selectFrom('assessment_schemes')
    .select(SCHEME_COLUMNS)
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .executeTakeFirst();

export type SchemeRow = NonNullable<Awaited<ReturnType<typeof findScheme>>>;

export const listSchemes = (db: Executor, countyId: number, year?: number) => {
  let q = t(db).selectFrom('assessment_schemes').select(SCHEME_COLUMNS).where('county_id', '=', countyId);
  if (year !== undefined) q = q.where('year', '=', year);
  return q.orderBy('year', 'desc').orderBy('version', 'desc').execute();
};

export const activeScheme = (db: Executor, countyId: number, year: number) =>
  t(db)
    .selectFrom('assessment_schemes')
    .select(SCHEME_COLUMNS)
    .where('county_id', '=', countyId)
    .where('year', '=', year)
    .where('active', '=', true)
    .executeTakeFirst();

/** Makes one version the year's active one (the others of the year inactive), in that order. */
export async function activate(db: Executor, countyId: number, year: number, id: number, by: number | null) {
  await t(db)
    .updateTable('assessment_schemes')
    .set({ active: false })
    .where('county_id', '=', countyId)
    .where('year', '=', year)
    .where('active', '=', true)
    .where('id', '<>', id)
    .execute();
  await t(db)
    .updateTable('assessment_schemes')
    .set({ active: true, activated_by: by, activated_at: new Date() })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();
}

// Surveys ---------------------------------------------------------------------------------------

export const insertSurvey = async (
  db: Executor,
  row: {
    county_id: number;
    token: string;
    year: number;
    title: string;
    pairing_id: number | null;
    org_id: number;
    opens_on: string;
    closes_on: string;
    created_by: number | null;
    created_by_name: string | null;
  },
) =>
  (await t(db).insertInto('satisfaction_surveys').values(row).returning('id').executeTakeFirstOrThrow()).id;

function surveyBase(db: Executor) {
  return t(db)
    .selectFrom('satisfaction_surveys as s')
    .select([
      's.county_id',
      's.id',
      's.token',
      's.year',
      's.title',
      's.pairing_id',
      's.org_id',
      's.opens_on',
      's.closes_on',
      's.closed_at',
      's.closed_by_name',
      's.created_by_name',
      's.created_at',
      sql<string | null>`pairing_org_name(s.county_id, s.org_id)`.as('org_name'),
      sql<
        string | null
      >`(SELECT p.kind FROM pairings p WHERE p.county_id = s.county_id AND p.id = s.pairing_id)`.as(
        'pairing_kind',
      ),
      sql<
        string | null
      >`(SELECT p.title FROM pairings p WHERE p.county_id = s.county_id AND p.id = s.pairing_id)`.as(
        'pairing_title',
      ),
      sql<number>`(SELECT count(*) FROM survey_responses r WHERE r.county_id = s.county_id AND r.survey_id = s.id AND r.answer = 'satisfied')`.as(
        'satisfied',
      ),
      sql<number>`(SELECT count(*) FROM survey_responses r WHERE r.county_id = s.county_id AND r.survey_id = s.id AND r.answer = 'basically_satisfied')`.as(
        'basically_satisfied',
      ),
      sql<number>`(SELECT count(*) FROM survey_responses r WHERE r.county_id = s.county_id AND r.survey_id = s.id AND r.answer = 'unsatisfied')`.as(
        'unsatisfied',
      ),
    ]);
}

export const findSurvey = (db: Executor, countyId: number, id: number) =>
  surveyBase(db).where('s.county_id', '=', countyId).where('s.id', '=', id).executeTakeFirst();

export type SurveyRow = NonNullable<Awaited<ReturnType<typeof findSurvey>>>;

/** A survey by its token alone (the public side: no county yet, the owner's handle). */
export const findSurveyByToken = (db: Executor, token: string) =>
  surveyBase(db).where('s.token', '=', token).executeTakeFirst();

export const listSurveys = (db: Executor, countyId: number, year?: number) => {
  let q = surveyBase(db).where('s.county_id', '=', countyId);
  if (year !== undefined) q = q.where('s.year', '=', year);
  return q.orderBy('s.opens_on', 'desc').orderBy('s.id', 'desc').execute();
};

export const closeSurvey = (
  db: Executor,
  countyId: number,
  id: number,
  set: { closed_by: number | null; closed_by_name: string | null },
) =>
  t(db)
    .updateTable('satisfaction_surveys')
    .set({ ...set, closed_at: new Date() })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .executeTakeFirst();

export const listResponses = (
  db: Executor,
  countyId: number,
  surveyId: number,
  limit: number,
  offset: number,
) =>
  t(db)
    .selectFrom('survey_responses')
    .select(['id', 'answer', 'comment', 'created_at'])
    .where('county_id', '=', countyId)
    .where('survey_id', '=', surveyId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();

export const insertResponse = async (
  db: Executor,
  row: { county_id: number; survey_id: number; answer: string; comment: string | null; address_hash: string },
) =>
  t(db).insertInto('survey_responses').values(row).returning(['id', 'created_at']).executeTakeFirstOrThrow();

export const insertResponses = async (
  db: Executor,
  rows: {
    county_id: number;
    survey_id: number;
    answer: string;
    comment: string | null;
    address_hash: string | null;
    created_at: string;
  }[],
) => {
  for (let i = 0; i < rows.length; i += BATCH) {
    await t(db)
      .insertInto('survey_responses')
      .values(rows.slice(i, i + BATCH))
      .execute();
  }
};

export const countyName = async (db: Executor, countyId: number) =>
  (await db.selectFrom('counties').select('name').where('id', '=', countyId).executeTakeFirst())?.name;

// Orgs and pairings in brief ------------------------------------------------------------------

export interface OrgBrief {
  id: number;
  name: string;
  short_name: string | null;
  kind: string;
  sector: string;
  depth: number;
  path: string;
  place_kind: string | null;
}

/** Organisations by id, with the kind of their place (a township's committee sits on a town). */
export async function orgBriefs(db: Executor, countyId: number, ids: readonly number[]) {
  if (ids.length === 0) return new Map<number, OrgBrief>();
  const { rows } = await sql<OrgBrief>`
    SELECT o.id, o.name, o.short_name, o.kind, o.sector, o.depth, o.path::text AS path, pl.kind AS place_kind
    FROM orgs o LEFT JOIN places pl ON pl.county_id = o.county_id AND pl.id = o.place_id
    WHERE o.county_id = ${countyId} AND o.id = ANY(${[...ids]}::bigint[])`.execute(db);
  return new Map(rows.map((r) => [r.id, r]));
}

// Evidence of a year, for a set of pairings -----------------------------------------------------

/** `asOf` as the end of that day in the county (UTC+8), for timestamp columns. */
const endOf = (asOf: string) => {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return `${next}T00:00:00+08:00`;
};

/** Tasks of each pairing's approved plan for the year, with their latest check and notes up to `asOf`. */
export async function taskEvidence(
  db: Executor,
  countyId: number,
  year: number,
  pairingIds: number[],
  asOf: string,
) {
  if (pairingIds.length === 0) return [];
  const end = endOf(asOf);
  const { rows } = await sql<{ pairing_id: number; status: string | null; notes: number }>`
    SELECT pl.pairing_id, c.status,
           (SELECT count(*) FROM progress_notes n
             WHERE n.county_id = t.county_id AND n.task_id = t.id AND n.written_at < ${end}::timestamptz)::int AS notes
    FROM plans pl
    JOIN plan_tasks t ON t.county_id = pl.county_id AND t.plan_id = pl.id
    LEFT JOIN LATERAL (
      SELECT x.status FROM task_checks x
      WHERE x.county_id = t.county_id AND x.task_id = t.id AND x.checked_at < ${end}::timestamptz
      ORDER BY x.checked_at DESC, x.id DESC LIMIT 1) c ON true
    WHERE pl.county_id = ${countyId} AND pl.year = ${year}
      AND pl.status IN ('approved', 'in_notice', 'in_force')
      AND pl.pairing_id = ANY(${pairingIds}::bigint[])
    ORDER BY pl.pairing_id, t.seq`.execute(db);
  return rows;
}

export async function signoffEvidence(
  db: Executor,
  countyId: number,
  year: number,
  pairingIds: number[],
  asOf: string,
) {
  if (pairingIds.length === 0) return [];
  const { rows } = await sql<{ pairing_id: number; opinion: string }>`
    SELECT pairing_id, opinion FROM signoffs
    WHERE county_id = ${countyId} AND year = ${year} AND pairing_id = ANY(${pairingIds}::bigint[])
      AND recorded_at < ${endOf(asOf)}::timestamptz`.execute(db);
  return rows;
}

/**
 * Survey answers per pairing: of the year's surveys on the pairing itself, and of those on an
 * organisation (a village) whose subtree holds the pairing's helped organisation.
 */
export async function surveyEvidence(
  db: Executor,
  countyId: number,
  year: number,
  pairingIds: number[],
  asOf: string,
) {
  if (pairingIds.length === 0) return [];
  const { rows } = await sql<{ pairing_id: number; answer: string; n: number }>`
    SELECT p.id AS pairing_id, r.answer, count(*)::int AS n
    FROM pairings p
    JOIN satisfaction_surveys s ON s.county_id = p.county_id AND s.year = ${year} AND (
      s.pairing_id = p.id OR (s.pairing_id IS NULL AND EXISTS (
        SELECT 1 FROM orgs so JOIN orgs ho ON ho.county_id = so.county_id AND ho.id = p.helped_org_id
        WHERE so.county_id = s.county_id AND so.id = s.org_id AND ho.path <@ so.path)))
    JOIN survey_responses r ON r.county_id = s.county_id AND r.survey_id = s.id
    WHERE p.county_id = ${countyId} AND p.id = ANY(${pairingIds}::bigint[])
      AND r.created_at < ${endOf(asOf)}::timestamptz
    GROUP BY 1, 2`.execute(db);
  return rows;
}

/** The masses' feedback on the notices of each pairing's plan for the year, and how much was answered by `asOf`. */
export async function feedbackEvidence(
  db: Executor,
  countyId: number,
  year: number,
  pairingIds: number[],
  asOf: string,
) {
  if (pairingIds.length === 0) return [];
  const end = endOf(asOf);
  const { rows } = await sql<{ pairing_id: number; total: number; answered: number }>`
    SELECT pl.pairing_id, count(*)::int AS total,
           count(*) FILTER (WHERE f.answer IS NOT NULL AND f.answered_at < ${end}::timestamptz)::int AS answered
    FROM plans pl
    JOIN notices n ON n.county_id = pl.county_id AND n.plan_id = pl.id
    JOIN notice_feedback f ON f.county_id = n.county_id AND f.notice_id = n.id
    WHERE pl.county_id = ${countyId} AND pl.year = ${year} AND pl.pairing_id = ANY(${pairingIds}::bigint[])
      AND f.created_at < ${end}::timestamptz
    GROUP BY 1`.execute(db);
  return rows;
}

/** Checks of each pairing done in the year up to `asOf`, with the rectifications they set. */
export async function inspectionEvidence(
  db: Executor,
  countyId: number,
  year: number,
  pairingIds: number[],
  asOf: string,
) {
  if (pairingIds.length === 0) return { checks: [], rectifications: [] };
  const from = `${year}-01-01`;
  const [checks, rectifications] = await Promise.all([
    sql<{ pairing_id: number; conclusion: 'good' | 'fair' | 'problems' }>`
      SELECT pairing_id, conclusion FROM inspections
      WHERE county_id = ${countyId} AND pairing_id = ANY(${pairingIds}::bigint[]) AND status = 'done'
        AND checked_on BETWEEN ${from} AND ${asOf}`.execute(db),
    sql<{ pairing_id: number; due_on: string; status: string; closed_on: string | null }>`
      SELECT i.pairing_id, r.due_on, r.status, r.closed_on
      FROM inspections i JOIN rectifications r ON r.county_id = i.county_id AND r.inspection_id = i.id
      WHERE i.county_id = ${countyId} AND i.pairing_id = ANY(${pairingIds}::bigint[]) AND i.status = 'done'
        AND i.checked_on BETWEEN ${from} AND ${asOf}`.execute(db),
  ]);
  return { checks: checks.rows, rectifications: rectifications.rows };
}

/** Outcomes of each pairing's visits in the year up to `asOf`, summed by unit (a joint visit counts for each of its pairings). */
export async function outcomeEvidence(
  db: Executor,
  countyId: number,
  year: number,
  pairingIds: number[],
  asOf: string,
) {
  if (pairingIds.length === 0) return [];
  const { rows } = await sql<{ pairing_id: number; unit: string; amount: string }>`
    SELECT vp.pairing_id, o.unit, sum(o.amount)::text AS amount
    FROM visit_pairings vp
    JOIN visits v ON v.county_id = vp.county_id AND v.id = vp.visit_id
    JOIN visit_outcomes o ON o.county_id = v.county_id AND o.visit_id = v.id
    WHERE vp.county_id = ${countyId} AND vp.pairing_id = ANY(${pairingIds}::bigint[])
      AND v.visited_on BETWEEN ${`${year}-01-01`} AND ${asOf}
    GROUP BY 1, 2`.execute(db);
  return rows;
}

// Runs and results ----------------------------------------------------------------------------

export const insertRun = async (
  db: Executor,
  row: {
    county_id: number;
    year: number;
    scheme_id: number;
    org_id: number;
    as_of: string;
    pairings: number;
    scored: number;
    run_by: number | null;
    run_by_name: string | null;
  },
) => (await t(db).insertInto('assessment_runs').values(row).returning('id').executeTakeFirstOrThrow()).id;

export async function insertResults(db: Executor, rows: ResultInsert[]) {
  for (let i = 0; i < rows.length; i += BATCH) {
    await t(db)
      .insertInto('assessment_results')
      .values(rows.slice(i, i + BATCH))
      .execute();
  }
}

export interface ResultInsert {
  county_id: number;
  run_id: number;
  pairing_id: number;
  kind: string;
  score: number | null;
  band: string | null;
  coverage: number;
  breakdown: string;
  helper_member_id: number | null;
  helper_org_id: number;
  helped_org_id: number;
  township_id: number | null;
}

export interface AggregateInsert {
  county_id: number;
  run_id: number;
  level: 'helper' | 'branch' | 'township';
  subject_id: number;
  org_id: number;
  name: string;
  pairings: number;
  scored: number;
  score: number | null;
  band: string | null;
}

export async function insertAggregates(db: Executor, rows: AggregateInsert[]) {
  for (let i = 0; i < rows.length; i += BATCH) {
    await t(db)
      .insertInto('assessment_aggregates')
      .values(rows.slice(i, i + BATCH))
      .execute();
  }
}

function runBase(db: Executor) {
  return t(db)
    .selectFrom('assessment_runs as r')
    .innerJoin('assessment_schemes as s', (j) =>
      j.onRef('s.county_id', '=', 'r.county_id').onRef('s.id', '=', 'r.scheme_id'),
    )
    .select([
      'r.id',
      'r.year',
      'r.scheme_id',
      's.version as scheme_version',
      's.title as scheme_title',
      's.content as scheme_content',
      'r.org_id',
      sql<string | null>`pairing_org_name(r.county_id, r.org_id)`.as('org_name'),
      'r.as_of',
      'r.pairings',
      'r.scored',
      'r.run_by_name',
      'r.run_at',
    ]);
}

export const findRun = (db: Executor, countyId: number, id: number) =>
  runBase(db).where('r.county_id', '=', countyId).where('r.id', '=', id).executeTakeFirst();

export type RunRow = NonNullable<Awaited<ReturnType<typeof findRun>>>;

export const listRuns = (db: Executor, countyId: number, year?: number) => {
  let q = runBase(db).where('r.county_id', '=', countyId);
  if (year !== undefined) q = q.where('r.year', '=', year);
  return q.orderBy('r.run_at', 'desc').orderBy('r.id', 'desc').execute();
};

/** The latest run of a year whose subtree holds `path` (the county's run covers every subtree). */
export const latestRunId = async (db: Executor, countyId: number, year: number) =>
  (
    await t(db)
      .selectFrom('assessment_runs')
      .select('id')
      .where('county_id', '=', countyId)
      .where('year', '=', year)
      .orderBy('run_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
  )?.id;

export interface ResultFilter {
  band?: string;
  /** Only results with a side (or, for aggregates, the organisation) within this path. */
  underPath?: string;
  limit: number;
  offset: number;
  /** Keyset paging for the ledger: results after this pairing id, in id order. */
  afterPairingId?: number;
}

export async function pairingResults(db: Executor, countyId: number, runId: number, f: ResultFilter) {
  const band = f.band ?? null;
  const under = f.underPath ?? null;
  const after = f.afterPairingId ?? null;
  const where = sql`
    WHERE r.county_id = ${countyId} AND r.run_id = ${runId}
      AND (${band}::text IS NULL OR r.band = ${band})
      AND (${under}::text IS NULL OR EXISTS (
        SELECT 1 FROM orgs o WHERE o.county_id = r.county_id AND o.id IN (r.helper_org_id, r.helped_org_id)
          AND o.path <@ ${under}::ltree))
      AND (${after}::bigint IS NULL OR r.pairing_id > ${after})`;
  const order =
    after === null ? sql`ORDER BY r.score DESC NULLS LAST, r.pairing_id` : sql`ORDER BY r.pairing_id`;
  const [items, total] = await Promise.all([
    sql<{
      pairing_id: number;
      kind: string;
      score: string | null;
      band: string | null;
      coverage: string;
      breakdown: unknown;
      title: string;
      helper_member_id: number | null;
      helper_name: string | null;
      helper_org_id: number;
      helper_org_name: string | null;
      helped_org_id: number;
      helped_org_name: string | null;
      township_id: number | null;
      township_name: string | null;
    }>`
      SELECT r.pairing_id, r.kind, r.score::text AS score, r.band, r.coverage::text AS coverage, r.breakdown,
             p.title, r.helper_member_id,
             pairing_member_name(r.county_id, r.helper_member_id) AS helper_name,
             r.helper_org_id, ${orgLabel('r.helper_org_id')} AS helper_org_name,
             r.helped_org_id, ${orgLabel('r.helped_org_id')} AS helped_org_name,
             r.township_id, ${orgLabel('r.township_id')} AS township_name
      FROM assessment_results r
      JOIN pairings p ON p.county_id = r.county_id AND p.id = r.pairing_id
      ${where} ${order} LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db),
    f.afterPairingId === undefined
      ? sql<{ n: number }>`SELECT count(*)::int AS n FROM assessment_results r ${where}`.execute(db)
      : Promise.resolve({ rows: [{ n: -1 }] }),
  ]);
  return { items: items.rows, total: Number(total.rows[0]!.n) };
}

export type PairingResultRow = Awaited<ReturnType<typeof pairingResults>>['items'][number];

export async function aggregateResults(
  db: Executor,
  countyId: number,
  runId: number,
  level: 'helper' | 'branch' | 'township',
  f: ResultFilter,
) {
  const band = f.band ?? null;
  const under = f.underPath ?? null;
  const where = sql`
    WHERE a.county_id = ${countyId} AND a.run_id = ${runId} AND a.level = ${level}
      AND (${band}::text IS NULL OR a.band = ${band})
      AND (${under}::text IS NULL OR EXISTS (
        SELECT 1 FROM orgs o WHERE o.county_id = a.county_id AND o.id = a.org_id AND o.path <@ ${under}::ltree))`;
  const [items, total] = await Promise.all([
    sql<{
      subject_id: number;
      org_id: number;
      name: string;
      org_name: string | null;
      pairings: number;
      scored: number;
      score: string | null;
      band: string | null;
    }>`
      SELECT a.subject_id, a.org_id, a.name, ${orgLabel('a.org_id')} AS org_name,
             a.pairings, a.scored, a.score::text AS score, a.band
      FROM assessment_aggregates a ${where}
      ORDER BY a.score DESC NULLS LAST, a.subject_id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM assessment_aggregates a ${where}`.execute(db),
  ]);
  return { items: items.rows, total: Number(total.rows[0]!.n) };
}

/** How many results of a run (that the user sees) fall in each band, per level. */
export async function bandCounts(db: Executor, countyId: number, runId: number) {
  const { rows } = await sql<{ level: string; band: string | null; n: number }>`
    SELECT 'pairing' AS level, band, count(*)::int AS n FROM assessment_results
    WHERE county_id = ${countyId} AND run_id = ${runId} GROUP BY 2
    UNION ALL
    SELECT level, band, count(*)::int FROM assessment_aggregates
    WHERE county_id = ${countyId} AND run_id = ${runId} GROUP BY 1, 2`.execute(db);
  return rows;
}

/** A subject's aggregate in a run (a member as helper; an organisation as branch or township). */
export const findAggregate = (
  db: Executor,
  countyId: number,
  runId: number,
  level: 'helper' | 'branch' | 'township',
  subjectId: number,
) =>
  t(db)
    .selectFrom('assessment_aggregates')
    .select(['score', 'band'])
    .where('county_id', '=', countyId)
    .where('run_id', '=', runId)
    .where('level', '=', level)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();

// Decisions -----------------------------------------------------------------------------------

export const insertDecision = async (
  db: Executor,
  row: {
    county_id: number;
    year: number;
    kind: string;
    member_id: number | null;
    org_id: number;
    value: string;
    reason: string;
    run_id: number | null;
    score: number | null;
    band: string | null;
    decided_by: number | null;
    decided_by_name: string | null;
  },
) =>
  (await t(db).insertInto('assessment_decisions').values(row).returning('id').executeTakeFirstOrThrow()).id;

export async function listDecisions(
  db: Executor,
  countyId: number,
  f: { year?: number; kind?: string; id?: number },
) {
  const year = f.year ?? null;
  const kind = f.kind ?? null;
  const id = f.id ?? null;
  const { rows } = await sql<{
    id: number;
    year: number;
    kind: string;
    member_id: number | null;
    member_name: string | null;
    org_id: number;
    org_name: string | null;
    value: string;
    reason: string;
    run_id: number | null;
    score: string | null;
    band: string | null;
    decided_by: number | null;
    decided_by_name: string | null;
    decided_at: Date;
  }>`
    SELECT d.id, d.year, d.kind, d.member_id, pairing_member_name(d.county_id, d.member_id) AS member_name,
           d.org_id, ${orgLabel('d.org_id')} AS org_name, d.value, d.reason, d.run_id,
           d.score::text AS score, d.band, d.decided_by, d.decided_by_name, d.decided_at
    FROM assessment_decisions d
    WHERE d.county_id = ${countyId} AND (${year}::int IS NULL OR d.year = ${year})
      AND (${kind}::text IS NULL OR d.kind = ${kind}) AND (${id}::bigint IS NULL OR d.id = ${id})
    ORDER BY d.decided_at DESC, d.id DESC
    LIMIT 5000`.execute(db);
  return rows;
}

export type DecisionRow = Awaited<ReturnType<typeof listDecisions>>[number];
