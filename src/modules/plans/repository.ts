import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { PlanStatus } from '../../domain/plan-workflow.ts';

/**
 * All SQL about plans (方案), their tasks and events. Row-level security narrows every query to the
 * user's subtree: a plan is seen when its pairing is, the pairing when either side's organisation is.
 * The organisations and members joined for names may be out of sight (null) although the plan is not.
 */

/** The nearest grassroots party (work) committee at or above the helped organisation, below the county root. */
const COMMITTEE_PATH = sql<string | null>`(
  SELECT c.path::text FROM orgs c
  WHERE c.county_id = hd.county_id AND c.path @> hd.path
    AND c.kind IN ('party_committee', 'working_committee') AND c.depth > 1
  ORDER BY c.depth DESC LIMIT 1)`;

/** What every rule about a plan needs to know about its pairing. */
export interface PairingSides {
  pairing_id: number;
  pairing_kind: string;
  pairing_title: string;
  year_from: number;
  year_to: number;
  helper_member_id: number | null;
  helper_org_id: number;
  helped_org_id: number;
  helped_member_id: number | null;
  helped_household_id: number | null;
  responsible_member_id: number | null;
  helper_org_path: string | null;
  helper_org_name: string | null;
  helped_org_path: string | null;
  helped_org_name: string | null;
  helper_member_name: string | null;
  committee_path: string | null;
}

function pairingBase(db: Executor, countyId: number) {
  return db
    .selectFrom('pairings as pr')
    .leftJoin('orgs as ho', (j) =>
      j.onRef('ho.county_id', '=', 'pr.county_id').onRef('ho.id', '=', 'pr.helper_org_id'),
    )
    .leftJoin('orgs as hd', (j) =>
      j.onRef('hd.county_id', '=', 'pr.county_id').onRef('hd.id', '=', 'pr.helped_org_id'),
    )
    .leftJoin('members as hm', (j) =>
      j.onRef('hm.county_id', '=', 'pr.county_id').onRef('hm.id', '=', 'pr.helper_member_id'),
    )
    .where('pr.county_id', '=', countyId)
    .select([
      'pr.id as pairing_id',
      'pr.kind as pairing_kind',
      'pr.title as pairing_title',
      'pr.year_from',
      'pr.year_to',
      'pr.helper_member_id',
      'pr.helper_org_id',
      'pr.helped_org_id',
      'pr.helped_member_id',
      'pr.helped_household_id',
      'pr.responsible_member_id',
      sql<string | null>`ho.path::text`.as('helper_org_path'),
      'ho.name as helper_org_name',
      sql<string | null>`hd.path::text`.as('helped_org_path'),
      'hd.name as helped_org_name',
      'hm.name as helper_member_name',
      COMMITTEE_PATH.as('committee_path'),
    ]);
}

export const findPairingSides = (db: Executor, countyId: number, pairingId: number) =>
  pairingBase(db, countyId).where('pr.id', '=', pairingId).executeTakeFirst() as Promise<
    PairingSides | undefined
  >;

export interface PlanRepoRow extends PairingSides {
  id: number;
  year: number;
  title: string;
  content: string;
  status: PlanStatus;
  version: number;
  notice_days: number;
  notice_starts_on: string | null;
  notice_ends_on: string | null;
  in_force_on: string | null;
  last_return_reason: string | null;
  created_by: number | null;
  updated_at: Date;
}

function planBase(db: Executor, countyId: number) {
  return pairingBase(db, countyId)
    .innerJoin('plans as p', (j) =>
      j.onRef('p.county_id', '=', 'pr.county_id').onRef('p.pairing_id', '=', 'pr.id'),
    )
    .select([
      'p.id',
      'p.year',
      'p.title',
      'p.content',
      'p.status',
      'p.version',
      'p.notice_days',
      'p.notice_starts_on',
      'p.notice_ends_on',
      'p.in_force_on',
      'p.last_return_reason',
      'p.created_by',
      'p.updated_at',
    ]);
}

export const findPlan = (db: Executor, countyId: number, id: number) =>
  planBase(db, countyId).where('p.id', '=', id).executeTakeFirst() as Promise<PlanRepoRow | undefined>;

export interface PlanFilter {
  /** Plans of pairings this member helps, answers for or is helped by (a member's own). */
  ownMemberId?: number;
  status?: string | readonly string[];
  year?: number;
  pairingId?: number;
  limit: number;
  offset: number;
}

export async function listPlans(db: Executor, countyId: number, f: PlanFilter) {
  let q = planBase(db, countyId);
  if (f.ownMemberId !== undefined) {
    const me = f.ownMemberId;
    q = q.where((eb) =>
      eb.or([
        eb('pr.helper_member_id', '=', me),
        eb('pr.responsible_member_id', '=', me),
        eb('pr.helped_member_id', '=', me),
      ]),
    );
  }
  if (typeof f.status === 'string') q = q.where('p.status', '=', f.status as PlanStatus);
  else if (f.status) q = q.where('p.status', 'in', f.status as PlanStatus[]);
  if (f.year !== undefined) q = q.where('p.year', '=', f.year);
  if (f.pairingId !== undefined) q = q.where('p.pairing_id', '=', f.pairingId);
  const [items, total] = await Promise.all([
    q.orderBy('p.updated_at', 'desc').orderBy('p.id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: items as PlanRepoRow[], total: Number(total.n) };
}

export const planIdForYear = async (db: Executor, countyId: number, pairingId: number, year: number) =>
  (
    await db
      .selectFrom('plans')
      .select('id')
      .where('county_id', '=', countyId)
      .where('pairing_id', '=', pairingId)
      .where('year', '=', year)
      .executeTakeFirst()
  )?.id;

export interface NewPlan {
  county_id: number;
  pairing_id: number;
  year: number;
  title: string;
  content: string;
  notice_days: number;
  created_by: number | null;
}

export const insertPlan = async (db: Executor, row: NewPlan) =>
  (await db.insertInto('plans').values(row).returning('id').executeTakeFirstOrThrow()).id;

export interface TaskRow {
  plan_id: number;
  seq: number;
  what: string;
  target: string | null;
  due_on: string | null;
}

export async function replaceTasks(
  db: Executor,
  countyId: number,
  planId: number,
  tasks: { what: string; target?: string | null; dueOn?: string | null }[],
) {
  await db.deleteFrom('plan_tasks').where('county_id', '=', countyId).where('plan_id', '=', planId).execute();
  if (!tasks.length) return;
  await db
    .insertInto('plan_tasks')
    .values(
      tasks.map((t, i) => ({
        county_id: countyId,
        plan_id: planId,
        seq: i + 1,
        what: t.what,
        target: t.target || null,
        due_on: t.dueOn || null,
      })),
    )
    .execute();
}

export const listTasks = (db: Executor, countyId: number, planId: number): Promise<TaskRow[]> =>
  db
    .selectFrom('plan_tasks')
    .select(['plan_id', 'seq', 'what', 'target', 'due_on'])
    .where('county_id', '=', countyId)
    .where('plan_id', '=', planId)
    .orderBy('seq')
    .execute();

/** Updates a draft only where it is still the version read; the number of rows changed (0 or 1). */
export async function updateDraft(
  db: Executor,
  countyId: number,
  id: number,
  version: number,
  patch: { title?: string; content?: string; notice_days?: number },
) {
  const r = await db
    .updateTable('plans')
    .set({ ...patch, version: version + 1, updated_at: sql`now()` })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Writes a transition only where the plan is still at the version read; 0 rows = someone acted first. */
export async function updateStatus(
  db: Executor,
  countyId: number,
  id: number,
  version: number,
  set: {
    status: PlanStatus;
    version: number;
    notice_starts_on?: string;
    notice_ends_on?: string;
    in_force_on?: string;
    last_return_reason?: string;
  },
) {
  const r = await db
    .updateTable('plans')
    .set({ ...set, updated_at: sql`now()` })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface PlanSnapshot {
  title: string;
  content: string;
  tasks: { what: string; target: string | null; dueOn: string | null }[];
}

export const insertEvent = (
  db: Executor,
  e: {
    county_id: number;
    plan_id: number;
    user_id: number | null;
    user_name: string | null;
    action: string;
    from_status: string | null;
    to_status: string;
    reason: string | null;
    snapshot: PlanSnapshot;
  },
) =>
  db
    .insertInto('plan_events')
    .values({ ...e, snapshot: JSON.stringify(e.snapshot) })
    .execute();

export interface EventRow {
  id: number;
  at: Date;
  user_id: number | null;
  user_name: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  snapshot: unknown;
}

export const listEvents = (db: Executor, countyId: number, planId: number) =>
  db
    .selectFrom('plan_events')
    .select(['id', 'at', 'user_id', 'user_name', 'action', 'from_status', 'to_status', 'reason', 'snapshot'])
    .where('county_id', '=', countyId)
    .where('plan_id', '=', planId)
    .orderBy('at')
    .orderBy('id')
    .execute() as Promise<EventRow[]>;

export const displayName = async (db: Executor, countyId: number, userId: number) =>
  (
    await db
      .selectFrom('users')
      .select('display_name')
      .where('county_id', '=', countyId)
      .where('id', '=', userId)
      .executeTakeFirst()
  )?.display_name;

export const noticeIdOf = async (db: Executor, countyId: number, planId: number) =>
  (
    await db
      .selectFrom('notices')
      .select('id')
      .where('county_id', '=', countyId)
      .where('plan_id', '=', planId)
      .executeTakeFirst()
  )?.id ?? null;

/** Plans whose notice is over on `today` (ended before it), oldest first. */
export const plansDueToTakeEffect = (db: Executor, countyId: number, today: string) =>
  db
    .selectFrom('plans')
    .select(['id', 'title', 'content', 'status', 'version', 'notice_ends_on'])
    .where('county_id', '=', countyId)
    .where('status', '=', 'in_notice')
    .where('notice_ends_on', '<', today)
    .orderBy('id')
    .execute();
