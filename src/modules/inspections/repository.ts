import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';

/**
 * All SQL of 督查: check rounds, checks (inspections) and rectifications. Row-level security
 * narrows every query to the user's subtree (a check is seen by its organisation's subtree and by
 * whoever sees its pairing; a rectification also by its owner's subtree). Names of organisations
 * outside the subtree (a pairing's other side) are read through the SECURITY DEFINER functions of
 * migration 0003, which reveal a name and a township only.
 */

/** A township committee's (or any org's) short name; past row-level security for the name only. */
const orgLabel = (countyId: RawBuilder<unknown> | number, orgId: RawBuilder<unknown>) =>
  sql<string | null>`coalesce(
    (SELECT coalesce(x.short_name, x.name) FROM orgs x WHERE x.county_id = ${countyId} AND x.id = (SELECT ${orgId})),
    pairing_org_name(${countyId}, ${orgId}))`;

/** An org path filter: the row's org within the subtree at `path`. */
const underPath = (orgIdRef: RawBuilder<unknown>, countyRef: RawBuilder<unknown>, path: string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM orgs o WHERE o.county_id = ${countyRef} AND o.id = ${orgIdRef} AND o.path <@ ${path}::ltree)`;

// Rounds ----------------------------------------------------------------------------------------

export async function insertRound(
  db: Executor,
  row: {
    county_id: number;
    year: number;
    quarter: number;
    title: string;
    org_id: number;
    due_on: string | null;
    created_by: number | null;
    created_by_name: string | null;
  },
) {
  return (await db.insertInto('inspection_rounds').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export interface RoundRow {
  id: number;
  year: number;
  quarter: number;
  title: string;
  org_id: number;
  org_name: string | null;
  due_on: string | null;
  created_by: number | null;
  created_by_name: string | null;
  created_at: Date;
  items: number;
  planned: number;
  done: number;
  with_problems: number;
  open_rectifications: number;
  overdue_rectifications: number;
}

function roundsQuery(countyId: number, today: string, where: RawBuilder<unknown>, tail: RawBuilder<unknown>) {
  return sql<RoundRow>`
    SELECT r.id, r.year, r.quarter, r.title, r.org_id, ${orgLabel(sql`r.county_id`, sql`r.org_id`)} AS org_name,
           r.due_on, r.created_by, r.created_by_name, r.created_at,
           coalesce(c.items, 0)::int AS items, coalesce(c.planned, 0)::int AS planned,
           coalesce(c.done, 0)::int AS done, coalesce(c.with_problems, 0)::int AS with_problems,
           coalesce(x.open, 0)::int AS open_rectifications, coalesce(x.overdue, 0)::int AS overdue_rectifications
    FROM inspection_rounds r
    LEFT JOIN LATERAL (
      SELECT count(*) AS items,
             count(*) FILTER (WHERE i.status = 'planned') AS planned,
             count(*) FILTER (WHERE i.status = 'done') AS done,
             count(*) FILTER (WHERE i.status = 'done' AND EXISTS (
               SELECT 1 FROM rectifications f WHERE f.county_id = i.county_id AND f.inspection_id = i.id)) AS with_problems
      FROM inspections i WHERE i.county_id = r.county_id AND i.round_id = r.id) c ON true
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE f.status = 'open') AS open,
             count(*) FILTER (WHERE f.status = 'open' AND f.due_on < ${today}::date) AS overdue
      FROM rectifications f JOIN inspections i ON i.county_id = f.county_id AND i.id = f.inspection_id
      WHERE f.county_id = r.county_id AND i.round_id = r.id) x ON true
    WHERE r.county_id = ${countyId} AND ${where}
    ${tail}`;
}

export async function findRound(db: Executor, countyId: number, id: number, today: string) {
  const { rows } = await roundsQuery(countyId, today, sql`r.id = ${id}`, sql``).execute(db);
  return rows[0];
}

export async function listRounds(
  db: Executor,
  countyId: number,
  today: string,
  f: { year?: number; quarter?: number; limit: number; offset: number },
) {
  const where = sql.join(
    [
      sql`true`,
      ...(f.year === undefined ? [] : [sql`r.year = ${f.year}`]),
      ...(f.quarter === undefined ? [] : [sql`r.quarter = ${f.quarter}`]),
    ],
    sql` AND `,
  );
  const [{ rows }, total] = await Promise.all([
    roundsQuery(
      countyId,
      today,
      where,
      sql`ORDER BY r.year DESC, r.quarter DESC, r.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    ).execute(db),
    sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM inspection_rounds r WHERE r.county_id = ${countyId} AND ${where}`.execute(
      db,
    ),
  ]);
  return { rows, total: Number(total.rows[0]!.n) };
}

// Checks ----------------------------------------------------------------------------------------

export interface NewInspection {
  county_id: number;
  round_id: number | null;
  pairing_id: number | null;
  org_id: number;
  status: 'planned' | 'done';
  assigned_to: number | null;
  assigned_to_name: string | null;
  method: 'phone' | 'on_site' | 'records' | null;
  checked_on: string | null;
  checked_by: number | null;
  checked_by_name: string | null;
  conclusion: 'good' | 'fair' | 'problems' | null;
  findings: string | null;
}

export const insertInspections = async (db: Executor, rows: NewInspection[]) =>
  rows.length === 0
    ? []
    : (await db.insertInto('inspections').values(rows).returning('id').execute()).map((r) => r.id);

export async function completeInspection(
  db: Executor,
  countyId: number,
  id: number,
  set: Pick<
    NewInspection,
    'method' | 'checked_on' | 'checked_by' | 'checked_by_name' | 'conclusion' | 'findings'
  >,
) {
  const r = await db
    .updateTable('inspections')
    .set({ ...set, status: 'done', updated_at: sql`now()` })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('status', '=', 'planned')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Locks a check's row for the rest of the transaction (two completions of one planned item queue). */
export const lockInspection = async (db: Executor, countyId: number, id: number) =>
  (
    await sql<{
      id: number;
      status: 'planned' | 'done';
      round_id: number | null;
      pairing_id: number | null;
      org_id: number;
    }>`SELECT id, status, round_id, pairing_id, org_id FROM inspections
       WHERE county_id = ${countyId} AND id = ${id} FOR UPDATE`.execute(db)
  ).rows[0];

export interface CheckRow {
  id: number;
  round_id: number | null;
  round_title: string | null;
  status: 'planned' | 'done';
  pairing_id: number | null;
  pairing_title: string | null;
  org_id: number;
  org_name: string | null;
  township: string | null;
  assigned_to: number | null;
  assigned_to_name: string | null;
  method: string | null;
  checked_on: string | null;
  checked_by: number | null;
  checked_by_name: string | null;
  conclusion: string | null;
  findings: string | null;
  rect_total: number;
  rect_open: number;
  rect_overdue: number;
}

export interface CheckFilter {
  ids?: number[];
  roundId?: number;
  pairingId?: number;
  /** Checks of an organisation in this subtree, or of a pairing with either side in it. */
  underPath?: string;
  from?: string;
  to?: string;
  conclusion?: string;
  status?: string;
}

function checkWhere(countyId: number, f: CheckFilter) {
  const parts: RawBuilder<unknown>[] = [sql`i.county_id = ${countyId}`];
  if (f.ids) parts.push(sql`i.id = ANY(${f.ids}::bigint[])`);
  if (f.roundId !== undefined) parts.push(sql`i.round_id = ${f.roundId}`);
  if (f.pairingId !== undefined) parts.push(sql`i.pairing_id = ${f.pairingId}`);
  if (f.from) parts.push(sql`i.checked_on >= ${f.from}::date`);
  if (f.to) parts.push(sql`i.checked_on <= ${f.to}::date`);
  if (f.conclusion) parts.push(sql`i.conclusion = ${f.conclusion}`);
  if (f.status) parts.push(sql`i.status = ${f.status}`);
  if (f.underPath) {
    const path = f.underPath;
    parts.push(sql`(${underPath(sql`i.org_id`, sql`i.county_id`, path)} OR (i.pairing_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM pairings p JOIN orgs o ON o.county_id = p.county_id AND o.id IN (p.helper_org_id, p.helped_org_id)
      WHERE p.county_id = i.county_id AND p.id = i.pairing_id AND o.path <@ ${path}::ltree)))`);
  }
  return sql.join(parts, sql` AND `);
}

export async function listChecks(
  db: Executor,
  countyId: number,
  today: string,
  f: CheckFilter,
  page?: { limit: number; offset: number },
) {
  const where = checkWhere(countyId, f);
  const tail = page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``;
  const list = sql<CheckRow>`
    SELECT i.id, i.round_id, r.title AS round_title, i.status, i.pairing_id, p.title AS pairing_title,
           i.org_id, ${orgLabel(sql`i.county_id`, sql`i.org_id`)} AS org_name,
           ${orgLabel(
             sql`i.county_id`,
             sql`pairing_org_township(i.county_id, coalesce(p.helped_org_id, i.org_id))`,
           )} AS township,
           i.assigned_to, i.assigned_to_name, i.method, i.checked_on, i.checked_by, i.checked_by_name,
           i.conclusion, i.findings,
           coalesce(x.total, 0)::int AS rect_total, coalesce(x.open, 0)::int AS rect_open,
           coalesce(x.overdue, 0)::int AS rect_overdue
    FROM inspections i
    LEFT JOIN inspection_rounds r ON r.county_id = i.county_id AND r.id = i.round_id
    LEFT JOIN pairings p ON p.county_id = i.county_id AND p.id = i.pairing_id
    LEFT JOIN LATERAL (
      SELECT count(*) AS total, count(*) FILTER (WHERE f.status = 'open') AS open,
             count(*) FILTER (WHERE f.status = 'open' AND f.due_on < ${today}::date) AS overdue
      FROM rectifications f WHERE f.county_id = i.county_id AND f.inspection_id = i.id) x ON true
    WHERE ${where}
    ORDER BY i.status = 'planned' DESC, i.checked_on DESC NULLS FIRST, i.id DESC
    ${tail}`;
  const [{ rows }, total] = await Promise.all([
    list.execute(db),
    page
      ? sql<{ n: number }>`SELECT count(*)::int AS n FROM inspections i WHERE ${where}`.execute(db)
      : Promise.resolve(null),
  ]);
  return { rows, total: total ? Number(total.rows[0]!.n) : rows.length };
}

// Rectifications --------------------------------------------------------------------------------

export interface NewRectification {
  county_id: number;
  inspection_id: number;
  problem: string;
  owner_org_id: number;
  owner_user_id: number | null;
  owner_name: string | null;
  due_on: string;
}

export const insertRectifications = async (db: Executor, rows: NewRectification[]) =>
  rows.length === 0
    ? []
    : (await db.insertInto('rectifications').values(rows).returning('id').execute()).map((r) => r.id);

export interface RectificationRow {
  id: number;
  inspection_id: number;
  problem: string;
  owner_org_id: number;
  owner_org_name: string | null;
  owner_township: string | null;
  owner_user_id: number | null;
  owner_name: string | null;
  due_on: string;
  status: 'open' | 'closed';
  evidence: string | null;
  closed_on: string | null;
  closed_by: number | null;
  closed_by_name: string | null;
  checked_on: string | null;
  method: string | null;
  target_name: string | null;
}

export interface RectificationFilter {
  ids?: number[];
  inspectionIds?: number[];
  status?: 'open' | 'overdue' | 'closed';
  /** Owned by an organisation in this subtree. */
  underPath?: string;
  /** "Mine": owned by this account, or by this organisation itself. */
  mine?: { userId: number; orgId: number };
}

function rectWhere(countyId: number, today: string, f: RectificationFilter) {
  const parts: RawBuilder<unknown>[] = [sql`f.county_id = ${countyId}`];
  if (f.ids) parts.push(sql`f.id = ANY(${f.ids}::bigint[])`);
  if (f.inspectionIds) parts.push(sql`f.inspection_id = ANY(${f.inspectionIds}::bigint[])`);
  if (f.status === 'open') parts.push(sql`f.status = 'open'`);
  if (f.status === 'overdue') parts.push(sql`f.status = 'open' AND f.due_on < ${today}::date`);
  if (f.status === 'closed') parts.push(sql`f.status = 'closed'`);
  if (f.underPath) parts.push(underPath(sql`f.owner_org_id`, sql`f.county_id`, f.underPath));
  if (f.mine) {
    parts.push(
      sql`f.status = 'open' AND (f.owner_user_id = ${f.mine.userId} OR f.owner_org_id = ${f.mine.orgId})`,
    );
  }
  return sql.join(parts, sql` AND `);
}

export async function listRectifications(
  db: Executor,
  countyId: number,
  today: string,
  f: RectificationFilter,
  page?: { limit: number; offset: number },
) {
  const where = rectWhere(countyId, today, f);
  const tail = page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``;
  const list = sql<RectificationRow>`
    SELECT f.id, f.inspection_id, f.problem, f.owner_org_id,
           ${orgLabel(sql`f.county_id`, sql`f.owner_org_id`)} AS owner_org_name,
           ${orgLabel(sql`f.county_id`, sql`pairing_org_township(f.county_id, f.owner_org_id)`)} AS owner_township,
           f.owner_user_id, f.owner_name, f.due_on, f.status, f.evidence, f.closed_on, f.closed_by,
           f.closed_by_name, i.checked_on, i.method,
           coalesce(p.title, ${orgLabel(sql`i.county_id`, sql`i.org_id`)}) AS target_name
    FROM rectifications f
    LEFT JOIN inspections i ON i.county_id = f.county_id AND i.id = f.inspection_id
    LEFT JOIN pairings p ON p.county_id = i.county_id AND p.id = i.pairing_id
    WHERE ${where}
    ORDER BY f.status = 'open' DESC, CASE WHEN f.status = 'open' THEN f.due_on END ASC,
             f.closed_on DESC NULLS LAST, f.id
    ${tail}`;
  const [{ rows }, total] = await Promise.all([
    list.execute(db),
    page
      ? sql<{ n: number }>`SELECT count(*)::int AS n FROM rectifications f WHERE ${where}`.execute(db)
      : Promise.resolve(null),
  ]);
  return { rows, total: total ? Number(total.rows[0]!.n) : rows.length };
}

/** Locks a rectification's row: two closings of one rectification queue, the second sees it closed. */
export const lockRectification = async (db: Executor, countyId: number, id: number) =>
  (
    await sql<{
      id: number;
      inspection_id: number;
      owner_org_id: number;
      owner_user_id: number | null;
      status: 'open' | 'closed';
      checked_on: string | null;
    }>`SELECT f.id, f.inspection_id, f.owner_org_id, f.owner_user_id, f.status,
              (SELECT i.checked_on FROM inspections i WHERE i.county_id = f.county_id AND i.id = f.inspection_id) AS checked_on
       FROM rectifications f WHERE f.county_id = ${countyId} AND f.id = ${id} FOR UPDATE OF f`.execute(db)
  ).rows[0];

export async function closeRectification(
  db: Executor,
  countyId: number,
  id: number,
  set: { evidence: string; closed_on: string; closed_by: number | null; closed_by_name: string | null },
) {
  const r = await db
    .updateTable('rectifications')
    .set({ ...set, status: 'closed' })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface DashboardRow {
  township_id: number | null;
  name: string | null;
  open: number;
  overdue: number;
  closed: number;
}

/** Rectifications by the 基层党(工)委 their owner sits under: open, overdue, closed in the year. */
export async function dashboard(
  db: Executor,
  countyId: number,
  q: { today: string; year: number; underPath?: string },
) {
  const scope = q.underPath
    ? sql`AND ${underPath(sql`f.owner_org_id`, sql`f.county_id`, q.underPath)}`
    : sql``;
  const { rows } = await sql<DashboardRow>`
    SELECT g.township_id, ${orgLabel(countyId, sql`g.township_id`)} AS name, g.open, g.overdue, g.closed
    FROM (
      SELECT pairing_org_township(f.county_id, f.owner_org_id) AS township_id,
             count(*) FILTER (WHERE f.status = 'open')::int AS open,
             count(*) FILTER (WHERE f.status = 'open' AND f.due_on < ${q.today}::date)::int AS overdue,
             count(*) FILTER (WHERE f.status = 'closed'
               AND f.closed_on BETWEEN ${`${q.year}-01-01`}::date AND ${`${q.year}-12-31`}::date)::int AS closed
      FROM rectifications f
      WHERE f.county_id = ${countyId} ${scope}
      GROUP BY 1) g
    WHERE g.open > 0 OR g.closed > 0
    ORDER BY g.township_id NULLS LAST`.execute(db);
  return rows;
}

// Lookups ---------------------------------------------------------------------------------------

/** An account the user can see, with its role, org and status. */
export const findUser = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('users as u')
    .innerJoin('orgs as o', (j) => j.onRef('o.county_id', '=', 'u.county_id').onRef('o.id', '=', 'u.org_id'))
    .select(['u.id', 'u.display_name', 'u.role', 'u.status', 'u.org_id', 'o.path as org_path'])
    .where('u.county_id', '=', countyId)
    .where('u.id', '=', id)
    .executeTakeFirst();

/** A pairing's sides (row-level security: null when the user does not see it). */
export const findPairingSides = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('pairings')
    .select(['id', 'title', 'helper_org_id', 'helped_org_id'])
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .executeTakeFirst();

/**
 * Whether the pairing has either side in the subtree at `path`. The subtree lies within the user's
 * own, so a side in it is one the user sees.
 */
export async function pairingUnder(db: Executor, countyId: number, pairingId: number, path: string) {
  const { rows } = await sql<{ yes: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM pairings p JOIN orgs o ON o.county_id = p.county_id AND o.id IN (p.helper_org_id, p.helped_org_id)
      WHERE p.county_id = ${countyId} AND p.id = ${pairingId} AND o.path <@ ${path}::ltree) AS yes`.execute(
    db,
  );
  return rows[0]?.yes === true;
}
