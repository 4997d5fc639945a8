import { type ColumnType, type Generated, sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';

/**
 * All SQL of the card and the register (卡册) that the pairings and plans repositories do not have
 * already: tasks with their ids and latest mid-year check, the checks, progress notes, sign-offs and
 * visit photos. Row-level security narrows every query to the user's subtree.
 */

/** Tables and columns of migration 0005, until src/db/schema.ts has them. */
export type CardTables = {
  progress_notes: {
    county_id: number;
    id: Generated<number>;
    pairing_id: number;
    year: number;
    task_id: number | null;
    text: string;
    written_by: number | null;
    written_by_name: string | null;
    written_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  signoffs: {
    amended_by: number | null;
    amended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    recorded_by_name: string | null;
  };
  task_checks: { checked_by_name: string | null };
};

const cards = (db: Executor) => db.$extendTables<CardTables>();

// Tasks and checks ------------------------------------------------------------------------------

export interface TaskWithCheck {
  id: number;
  plan_id: number;
  seq: number;
  what: string;
  target: string | null;
  due_on: string | null;
  check_id: number | null;
  check_status: string | null;
  check_comment: string | null;
  checked_by: number | null;
  checked_by_name: string | null;
  checked_at: Date | null;
}

/** A plan's tasks in order, each with its latest mid-year check (or nulls). */
export async function tasksWithLatestCheck(db: Executor, countyId: number, planId: number) {
  const { rows } = await sql<TaskWithCheck>`
    SELECT t.id, t.plan_id, t.seq, t.what, t.target, t.due_on,
           c.id AS check_id, c.status AS check_status, c.comment AS check_comment,
           c.checked_by, c.checked_by_name, c.checked_at
    FROM plan_tasks t
    LEFT JOIN LATERAL (
      SELECT x.id, x.status, x.comment, x.checked_by, x.checked_by_name, x.checked_at FROM task_checks x
      WHERE x.county_id = t.county_id AND x.task_id = t.id
      ORDER BY x.checked_at DESC, x.id DESC LIMIT 1) c ON true
    WHERE t.county_id = ${countyId} AND t.plan_id = ${planId}
    ORDER BY t.seq`.execute(db);
  return rows;
}

/** The ids of a plan's tasks. */
export const taskIdsOfPlan = async (db: Executor, countyId: number, planId: number) =>
  (
    await db
      .selectFrom('plan_tasks')
      .select('id')
      .where('county_id', '=', countyId)
      .where('plan_id', '=', planId)
      .execute()
  ).map((r) => r.id);

/** A task with its plan's pairing and year. */
export const findTask = (db: Executor, countyId: number, taskId: number) =>
  db
    .selectFrom('plan_tasks as t')
    .innerJoin('plans as p', (j) =>
      j.onRef('p.county_id', '=', 't.county_id').onRef('p.id', '=', 't.plan_id'),
    )
    .select(['t.id', 't.seq', 't.what', 'p.id as plan_id', 'p.pairing_id', 'p.year'])
    .where('t.county_id', '=', countyId)
    .where('t.id', '=', taskId)
    .executeTakeFirst();

export const insertChecks = (
  db: Executor,
  rows: {
    county_id: number;
    task_id: number;
    status: string;
    comment: string | null;
    checked_by: number;
    checked_by_name: string;
  }[],
) => cards(db).insertInto('task_checks').values(rows).returning(['id', 'task_id']).execute();

// Progress notes ----------------------------------------------------------------------------------

export async function insertNote(
  db: Executor,
  row: {
    county_id: number;
    pairing_id: number;
    year: number;
    task_id: number | null;
    text: string;
    written_by: number | null;
    written_by_name: string | null;
  },
) {
  return (await cards(db).insertInto('progress_notes').values(row).returning('id').executeTakeFirstOrThrow())
    .id;
}

export const notesOf = (db: Executor, countyId: number, pairingId: number, year: number) =>
  cards(db)
    .selectFrom('progress_notes as n')
    .leftJoin('plan_tasks as t', (j) =>
      j.onRef('t.county_id', '=', 'n.county_id').onRef('t.id', '=', 'n.task_id'),
    )
    .select([
      'n.id',
      'n.pairing_id',
      'n.year',
      'n.task_id',
      't.seq as task_seq',
      'n.text',
      'n.written_by',
      'n.written_by_name',
      'n.written_at',
    ])
    .where('n.county_id', '=', countyId)
    .where('n.pairing_id', '=', pairingId)
    .where('n.year', '=', year)
    .orderBy('n.written_at')
    .orderBy('n.id')
    .execute();

export type NoteRow = Awaited<ReturnType<typeof notesOf>>[number];

// Sign-offs ---------------------------------------------------------------------------------------

export const signoffsOf = (db: Executor, countyId: number, pairingId: number, year: number) =>
  cards(db)
    .selectFrom('signoffs as s')
    .leftJoin('users as u', (j) =>
      j.onRef('u.county_id', '=', 's.county_id').onRef('u.id', '=', 's.recorded_by'),
    )
    .select([
      's.pairing_id',
      's.year',
      's.party',
      's.opinion',
      's.comment',
      's.recorded_by',
      's.recorded_by_name',
      's.on_behalf',
      's.recorded_at',
      's.amended_reason',
      's.amended_by',
      's.amended_at',
    ])
    .where('s.county_id', '=', countyId)
    .where('s.pairing_id', '=', pairingId)
    .where('s.year', '=', year)
    .orderBy('s.party')
    .execute();

export type SignoffRow = Awaited<ReturnType<typeof signoffsOf>>[number];

/** Inserts a sign-off unless the party has signed already; whether it was inserted. */
export async function insertSignoff(
  db: Executor,
  row: {
    county_id: number;
    pairing_id: number;
    year: number;
    party: 'helped' | 'helped_branch';
    opinion: string;
    comment: string | null;
    recorded_by: number;
    recorded_by_name: string;
    on_behalf: boolean;
  },
) {
  const rows = await cards(db)
    .insertInto('signoffs')
    .values(row)
    .onConflict((oc) => oc.columns(['county_id', 'pairing_id', 'year', 'party']).doNothing())
    .returning('party')
    .execute();
  return rows.length === 1;
}

export async function amendSignoff(
  db: Executor,
  key: { countyId: number; pairingId: number; year: number; party: string },
  set: { opinion: string; comment: string | null; amended_reason: string; amended_by: number },
) {
  const r = await cards(db)
    .updateTable('signoffs')
    .set({ ...set, amended_at: new Date() })
    .where('county_id', '=', key.countyId)
    .where('pairing_id', '=', key.pairingId)
    .where('year', '=', key.year)
    .where('party', '=', key.party as 'helped')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Locks the pairing's row for the rest of the transaction, so two sign-offs, checks or notes of the
 * same pairing and year are decided one after the other (the year closes between them).
 */
export const lockPairing = (db: Executor, countyId: number, pairingId: number) =>
  sql`SELECT 1 FROM pairings WHERE county_id = ${countyId} AND id = ${pairingId} FOR UPDATE`.execute(db);

/** Whether the helped member has an active account of their own (read past row-level security). */
export const memberHasAccount = async (db: Executor, countyId: number, memberId: number) =>
  (
    await sql<{ yes: boolean }>`SELECT pairing_member_has_account(${countyId}, ${memberId}) AS yes`.execute(
      db,
    )
  ).rows[0]?.yes === true;

// Photos -----------------------------------------------------------------------------------------

export const insertPhoto = async (
  db: Executor,
  row: { county_id: number; visit_id: number; stored_name: string; mime: string; size: number },
) => (await db.insertInto('visit_photos').values(row).returning('id').executeTakeFirstOrThrow()).id;

export const findPhoto = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('visit_photos')
    .select(['id', 'visit_id', 'stored_name', 'mime', 'size'])
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .executeTakeFirst();

export const photosOfVisits = async (db: Executor, countyId: number, visitIds: number[]) =>
  visitIds.length === 0
    ? []
    : db
        .selectFrom('visit_photos')
        .select(['id', 'visit_id', 'mime', 'size', 'created_at'])
        .where('county_id', '=', countyId)
        .where('visit_id', 'in', visitIds)
        .orderBy('id')
        .execute();
