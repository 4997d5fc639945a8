import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { NewMemberRow, NewOrgRow, OrgUpdate } from '../../db/schema.ts';
import { placesInReach } from '../places/repository.ts';
import type { IndexedOrg } from './org-index.ts';

/** All SQL of the imports and the export: batched, never one lookup per row. */

export const loadActiveOrgs = (db: Executor, countyId: number): Promise<IndexedOrg[]> =>
  db
    .selectFrom('orgs')
    .select(['id', 'parent_id', 'name', 'short_name', 'kind', 'sector', 'place_id', 'path', 'status'])
    .where('county_id', '=', countyId)
    .where('status', '=', 'active')
    .orderBy('path')
    .execute();

/** The places an import may name: those within the user's reach (see places/repository.ts). */
export const loadPlaces = placesInReach;

/** The member columns an import may set, with their SQL types (for the batched UPDATE). */
export const MEMBER_IMPORT_COLUMNS = {
  org_id: 'bigint',
  name: 'text',
  gender: 'text',
  ethnicity: 'text',
  birth_date: 'date',
  phone: 'text',
  education: 'text',
  address: 'text',
  category: 'text',
  status: 'text',
  join_date: 'date',
  full_member_date: 'date',
  occupation: 'text',
  is_needy: 'boolean',
  mobile_to: 'text',
  leader_rank: 'text',
  leader_unit: 'text',
} as const;
export type MemberColumn = keyof typeof MEMBER_IMPORT_COLUMNS;
export type MemberValues = {
  [K in MemberColumn]: K extends 'org_id' ? number : K extends 'is_needy' ? boolean : string | null;
};
export type MemberPatch = Partial<MemberValues>;

const MEMBER_COLUMN_NAMES = Object.keys(MEMBER_IMPORT_COLUMNS) as MemberColumn[];

export type ExistingMember = MemberValues & { id: number; id_number: string };

export const findMembersByIdNumbers = (
  db: Executor,
  countyId: number,
  idNumbers: string[],
): Promise<ExistingMember[]> =>
  idNumbers.length === 0
    ? Promise.resolve([])
    : (db
        .selectFrom('members')
        .select(['id', 'id_number', ...MEMBER_COLUMN_NAMES])
        .where('county_id', '=', countyId)
        .where('id_number', 'in', idNumbers)
        .execute() as Promise<ExistingMember[]>);

export async function insertMembers(db: Executor, rows: NewMemberRow[]) {
  if (rows.length) await db.insertInto('members').values(rows).execute();
}

/**
 * One UPDATE for a batch: each row carries only what changes, the rest NULL, which COALESCE keeps
 * (an import never erases a value with an empty cell).
 */
export async function updateMembers(
  db: Executor,
  countyId: number,
  rows: { id: number; patch: MemberPatch }[],
) {
  if (!rows.length) return;
  const cols = MEMBER_COLUMN_NAMES.filter((c) => rows.some((r) => r.patch[c] !== undefined));
  const values = rows.map(
    (r) =>
      sql`(${r.id}::bigint, ${sql.join(cols.map((c) => sql`${r.patch[c] ?? null}::${sql.raw(MEMBER_IMPORT_COLUMNS[c])}`))})`,
  );
  await sql`
    UPDATE members AS m
    SET ${sql.join(cols.map((c) => sql`${sql.id(c)} = COALESCE(${sql.ref(`u.${c}`)}, ${sql.ref(`m.${c}`)})`))}, updated_at = now()
    FROM (VALUES ${sql.join(values)}) AS u(id, ${sql.join(cols.map((c) => sql.id(c)))})
    WHERE m.county_id = ${countyId} AND m.id = u.id`.execute(db);
}

export async function insertOrgs(db: Executor, rows: NewOrgRow[]) {
  // One statement: a child may reference a parent inserted by the same statement.
  if (rows.length) await db.insertInto('orgs').values(rows).execute();
}

export const updateOrgFields = (db: Executor, countyId: number, id: number, patch: OrgUpdate) =>
  db
    .updateTable('orgs')
    .set({ ...patch, updated_at: new Date() })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();

export const findOrgPath = async (db: Executor, countyId: number, id: number) =>
  (
    await db
      .selectFrom('orgs')
      .select('path')
      .where('county_id', '=', countyId)
      .where('id', '=', id)
      .executeTakeFirst()
  )?.path;

/** The organisations to export, in tree order, each with its number of members (a subtree by path). */
export function orgsForExport(db: Executor, countyId: number, underPath: string | undefined) {
  let q = db
    .selectFrom('orgs as o')
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('members')
          .select(['org_id', (e) => e.fn.countAll<number>().as('n')])
          .where('county_id', '=', countyId)
          .groupBy('org_id')
          .as('c'),
      (j) => j.onRef('c.org_id', '=', 'o.id'),
    )
    .select(['o.id', 'o.name', 'o.path', 'c.n'])
    .where('o.county_id', '=', countyId);
  if (underPath) q = q.where(sql<boolean>`o.path <@ ${underPath}::ltree`);
  return q.orderBy('o.path').execute();
}

/** One page of an organisation's members by name (keyset: after the last name and id seen). */
export function membersPage(
  db: Executor,
  countyId: number,
  orgId: number,
  after: { name: string; id: number } | null,
  limit: number,
) {
  let q = db.selectFrom('members').selectAll().where('county_id', '=', countyId).where('org_id', '=', orgId);
  if (after) q = q.where(sql<boolean>`(name, id) > (${after.name}, ${after.id})`);
  return q.orderBy('name').orderBy('id').limit(limit).execute();
}
