import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { NewHouseholdRow } from '../../db/schema.ts';
import { NEEDY_HOUSEHOLD_CATEGORIES } from '../../domain/codes.ts';

/** All SQL about households (农户). */
const COLUMNS = [
  'h.id',
  'h.org_id',
  'h.village_id',
  'h.group_id',
  'h.head_name',
  'h.head_id_number',
  'h.phone',
  'h.size',
  'h.category',
  'h.address',
  'h.notes',
] as const;

export interface HouseholdFilter {
  underPath?: string;
  villageId?: number;
  category?: string;
  needy?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

function base(db: Executor, countyId: number) {
  return db
    .selectFrom('households as h')
    .innerJoin('orgs as o', (j) => j.onRef('o.county_id', '=', 'h.county_id').onRef('o.id', '=', 'h.org_id'))
    .innerJoin('places as v', (j) =>
      j.onRef('v.county_id', '=', 'h.county_id').onRef('v.id', '=', 'h.village_id'),
    )
    .leftJoin('places as g', (j) =>
      j.onRef('g.county_id', '=', 'h.county_id').onRef('g.id', '=', 'h.group_id'),
    )
    .where('h.county_id', '=', countyId);
}

export async function listHouseholds(db: Executor, countyId: number, f: HouseholdFilter) {
  let q = base(db, countyId);
  if (f.underPath) q = q.where(sql<boolean>`o.path <@ ${f.underPath}::ltree`);
  if (f.villageId !== undefined) q = q.where('h.village_id', '=', f.villageId);
  if (f.category) q = q.where('h.category', '=', f.category);
  if (f.needy !== undefined) {
    q = q.where('h.category', f.needy ? 'in' : 'not in', NEEDY_HOUSEHOLD_CATEGORIES as string[]);
  }
  if (f.q) q = q.where('h.head_name', 'like', `${f.q.replace(/[\\%_]/g, '\\$&')}%`);
  const [items, total] = await Promise.all([
    q
      .select(COLUMNS)
      .select(['o.name as org_name', 'v.name as village_name', 'g.name as group_name'])
      .orderBy('v.path')
      .orderBy('h.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export const findHousehold = (db: Executor, countyId: number, id: number) =>
  base(db, countyId)
    .select(COLUMNS)
    .select(['o.name as org_name', 'v.name as village_name', 'g.name as group_name'])
    .where('h.id', '=', id)
    .executeTakeFirst();

export type HouseholdRepoRow = NonNullable<Awaited<ReturnType<typeof findHousehold>>>;

/** The active branch that answers for a village: the org placed there (a 村党支部 or 社区党支部). */
export const findVillageBranch = (db: Executor, countyId: number, villageId: number) =>
  db
    .selectFrom('orgs')
    .select(['id', 'name'])
    .where('county_id', '=', countyId)
    .where('place_id', '=', villageId)
    .where('status', '=', 'active')
    .where('kind', 'in', ['branch', 'joint_branch', 'general_branch', 'party_committee'])
    .orderBy('depth', 'desc')
    .executeTakeFirst();

export const headIdTaken = async (db: Executor, countyId: number, idNumber: string, exceptId?: number) => {
  let q = db
    .selectFrom('households')
    .select('id')
    .where('county_id', '=', countyId)
    .where('head_id_number', '=', idNumber);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
};

export const insertHousehold = async (db: Executor, row: NewHouseholdRow) =>
  (await db.insertInto('households').values(row).returning('id').executeTakeFirstOrThrow()).id;

export const updateHousehold = (
  db: Executor,
  countyId: number,
  id: number,
  patch: Partial<NewHouseholdRow>,
) =>
  db
    .updateTable('households')
    .set({ ...patch, updated_at: new Date() })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();
