import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';

/**
 * The SQL of the half-year bulletin (半年通报): visits, outcomes, mid-year checks and 督查 of a period
 * for a set of pairings or a subtree. Runs in the caller's transaction, narrowed by row-level
 * security for a signed-in user; names of the other side are read through the pairing functions.
 */

/** The end of a day in the county (UTC+8), for timestamp columns. */
export const endOfDay = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)}T00:00:00+08:00`;
};
export const startOfDay = (iso: string) => `${iso}T00:00:00+08:00`;

/**
 * Each (visit, pairing) link of the period's visits of these pairings, with the visit's kind. The
 * period's visits are read first, on their own (visits_date), then their links by primary key:
 * joined in one go, the planner walked every link of every pairing once per visit of the period
 * (14 million rows, 8–20 s for the CLI's bulletin of the demo county, which reads as the owner).
 */
export async function visitLinks(
  db: Executor,
  countyId: number,
  pairingIds: number[],
  from: string,
  to: string,
) {
  if (pairingIds.length === 0) return [];
  const { rows } = await sql<{ visit_id: number; pairing_id: number; kind: string; visited_on: string }>`
    WITH v AS MATERIALIZED (
      SELECT id, kind, visited_on FROM visits
      WHERE county_id = ${countyId} AND visited_on BETWEEN ${from} AND ${to})
    SELECT vp.visit_id, vp.pairing_id, v.kind, v.visited_on
    FROM v JOIN visit_pairings vp ON vp.county_id = ${countyId} AND vp.visit_id = v.id
    WHERE vp.pairing_id = ANY(${pairingIds}::bigint[])
    -- In the order of the days: the bulletin lists a pairing's kinds of visit, ties first-seen first.
    ORDER BY v.visited_on, v.id, vp.pairing_id`.execute(db);
  return rows;
}

/** The outcomes of these visits. */
export async function outcomesOf(db: Executor, countyId: number, visitIds: number[]) {
  if (visitIds.length === 0) return [];
  const { rows } = await sql<{ visit_id: number; unit: string; amount: string }>`
    SELECT visit_id, unit, amount::text AS amount FROM visit_outcomes
    WHERE county_id = ${countyId} AND visit_id = ANY(${visitIds}::bigint[])`.execute(db);
  return rows;
}

/**
 * The latest status of each task checked in the period, of the year's plans of these pairings.
 * Driven from the plans (one index probe per pairing) and then each task's own latest check
 * (task_checks_task): joined the other way round, the planner pairs every check of the period with
 * every plan of the year and filters on the task afterwards, and under row-level security each of
 * those tens of thousands of rows pays the policies' EXISTS chain (21 s on the demo county).
 */
export async function taskChecksIn(
  db: Executor,
  countyId: number,
  year: number,
  pairingIds: number[],
  from: string,
  to: string,
) {
  if (pairingIds.length === 0) return [];
  const { rows } = await sql<{ task_id: number; pairing_id: number; status: string }>`
    SELECT t.id AS task_id, pl.pairing_id, x.status
    FROM plans pl
    JOIN plan_tasks t ON t.county_id = pl.county_id AND t.plan_id = pl.id
    CROSS JOIN LATERAL (
      SELECT c.status FROM task_checks c
      WHERE c.county_id = t.county_id AND c.task_id = t.id
        AND c.checked_at >= ${startOfDay(from)}::timestamptz AND c.checked_at < ${endOfDay(to)}::timestamptz
      ORDER BY c.checked_at DESC, c.id DESC
      LIMIT 1) x
    WHERE pl.county_id = ${countyId} AND pl.year = ${year} AND pl.pairing_id = ANY(${pairingIds}::bigint[])
    ORDER BY t.id`.execute(db);
  return rows;
}

/** Checks done in the period of an organisation in the subtree or of one of these pairings. */
export async function checksIn(
  db: Executor,
  countyId: number,
  underPath: string,
  pairingIds: number[],
  from: string,
  to: string,
) {
  const { rows } = await sql<{ id: number; conclusion: string }>`
    SELECT i.id, i.conclusion FROM inspections i
    WHERE i.county_id = ${countyId} AND i.status = 'done' AND i.checked_on BETWEEN ${from} AND ${to}
      AND (i.pairing_id = ANY(${pairingIds}::bigint[]) OR EXISTS (
        SELECT 1 FROM orgs o WHERE o.county_id = i.county_id AND o.id = i.org_id AND o.path <@ ${underPath}::ltree))`.execute(
    db,
  );
  return rows;
}

export interface RectificationRow {
  id: number;
  problem: string;
  due_on: string;
  status: string;
  closed_on: string | null;
  owner_org_id: number;
  owner_org_name: string | null;
  owner_name: string | null;
  owner_path: string | null;
  checked_on: string;
  inspected_org_name: string | null;
}

/**
 * Rectifications set by checks done up to `to`, whose owner or checked organisation lies in the
 * subtree or whose check concerns one of these pairings.
 */
export async function rectificationsUpTo(
  db: Executor,
  countyId: number,
  underPath: string,
  pairingIds: number[],
  to: string,
) {
  const { rows } = await sql<RectificationRow>`
    SELECT r.id, r.problem, r.due_on, r.status, r.closed_on, r.owner_org_id,
           coalesce((SELECT coalesce(o.short_name, o.name) FROM orgs o WHERE o.county_id = r.county_id AND o.id = r.owner_org_id),
                    pairing_org_name(r.county_id, r.owner_org_id)) AS owner_org_name, r.owner_name,
           (SELECT o.path::text FROM orgs o WHERE o.county_id = r.county_id AND o.id = r.owner_org_id) AS owner_path,
           i.checked_on,
           coalesce((SELECT coalesce(o.short_name, o.name) FROM orgs o WHERE o.county_id = i.county_id AND o.id = i.org_id),
                    pairing_org_name(i.county_id, i.org_id)) AS inspected_org_name
    FROM rectifications r JOIN inspections i ON i.county_id = r.county_id AND i.id = r.inspection_id
    WHERE r.county_id = ${countyId} AND i.status = 'done' AND i.checked_on <= ${to}
      AND (i.pairing_id = ANY(${pairingIds}::bigint[]) OR EXISTS (
        SELECT 1 FROM orgs o WHERE o.county_id = r.county_id AND o.id IN (r.owner_org_id, i.org_id)
          AND o.path <@ ${underPath}::ltree))
    ORDER BY owner_path NULLS LAST, r.due_on, r.id`.execute(db);
  return rows;
}

export interface OrgPlace {
  id: number;
  name: string;
  short_name: string | null;
  kind: string;
  path: string;
  place_kind: string | null;
}

/** Organisations by id with the kind of their place, as far as the user sees them. */
export async function orgPlaces(db: Executor, countyId: number, ids: number[]) {
  if (ids.length === 0) return new Map<number, OrgPlace>();
  const { rows } = await sql<OrgPlace>`
    SELECT o.id, o.name, o.short_name, o.kind, o.path::text AS path, pl.kind AS place_kind
    FROM orgs o LEFT JOIN places pl ON pl.county_id = o.county_id AND pl.id = o.place_id
    WHERE o.county_id = ${countyId} AND o.id = ANY(${ids}::bigint[])`.execute(db);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Leaders' units (县财政局), where the user sees the leader's record. */
export async function leaderUnits(db: Executor, countyId: number, memberIds: number[]) {
  if (memberIds.length === 0) return new Map<number, string>();
  const { rows } = await sql<{ id: number; leader_unit: string | null }>`
    SELECT id, leader_unit FROM members WHERE county_id = ${countyId} AND id = ANY(${memberIds}::bigint[])`.execute(
    db,
  );
  return new Map(rows.filter((r) => r.leader_unit).map((r) => [r.id, r.leader_unit!]));
}

export const countyName = async (db: Executor, countyId: number) =>
  (await db.selectFrom('counties').select('name').where('id', '=', countyId).executeTakeFirst())?.name;
