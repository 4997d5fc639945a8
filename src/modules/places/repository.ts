import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';

/** All SQL about places (county → 镇/乡/街道 → 行政村/社区 → 村民小组). */
const PLACE_COLUMNS = ['id', 'parent_id', 'kind', 'name', 'path'] as const;

export const findPlace = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('places')
    .select(PLACE_COLUMNS)
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .executeTakeFirst();

/**
 * Places are the county's geography and every user reads them (0002 gives them a county-wide policy),
 * so a write that names a place checks it here: a place is within reach when it lies at or under the
 * place of an organisation the executor sees. In a user's transaction row-level security narrows
 * those organisations to the user's subtree — a township's staff reach their township's villages, a
 * village branch its own village — and the owner's connection (the CLI) reaches the whole county.
 */
const inReach = (countyId: number) =>
  // Uncorrelated, so computed once per statement however many places it is checked against.
  sql<boolean>`places.path <@ ANY (ARRAY(
    SELECT DISTINCT op.path FROM orgs o JOIN places op ON op.county_id = o.county_id AND op.id = o.place_id
    WHERE o.county_id = ${countyId}))`;

/** A place the executor may name in a write (see `inReach`), or undefined. */
export const findPlaceInReach = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('places')
    .select(PLACE_COLUMNS)
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where(inReach(countyId))
    .executeTakeFirst();

/** The places the executor may name in a write, with their parents' names (for imports). */
export const placesInReach = (db: Executor, countyId: number) =>
  db
    .selectFrom('places')
    .leftJoin('places as parent', (j) =>
      j.onRef('parent.county_id', '=', 'places.county_id').onRef('parent.id', '=', 'places.parent_id'),
    )
    .select(['places.id', 'places.name', 'parent.name as parent_name'])
    .where('places.county_id', '=', countyId)
    .where(inReach(countyId))
    .execute();

export interface PlaceFilter {
  parentId?: number;
  underPath?: string;
  kind?: string;
  q?: string;
  limit: number;
  offset: number;
}

export async function listPlaces(db: Executor, countyId: number, f: PlaceFilter) {
  let q = db.selectFrom('places').where('county_id', '=', countyId);
  if (f.parentId !== undefined) q = q.where('parent_id', '=', f.parentId);
  if (f.underPath) q = q.where(sql<boolean>`path <@ ${f.underPath}::ltree`);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.q) q = q.where('name', 'like', `%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
  const [items, total] = await Promise.all([
    q.select(PLACE_COLUMNS).orderBy('path').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export const placeNameTaken = async (db: Executor, countyId: number, parentId: number, name: string) =>
  (await db
    .selectFrom('places')
    .select('id')
    .where('county_id', '=', countyId)
    .where('parent_id', '=', parentId)
    .where('name', '=', name)
    .executeTakeFirst()) !== undefined;

export const insertPlace = (
  db: Executor,
  row: { county_id: number; id: number; parent_id: number; kind: string; name: string; path: string },
) => db.insertInto('places').values(row).returning(PLACE_COLUMNS).executeTakeFirstOrThrow();
