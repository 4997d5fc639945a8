import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { NewOrgRow, OrgUpdate } from '../../db/schema.ts';
import { BRANCH_KINDS, COMMITTEE_KINDS, FORMER_MEMBER_STATUSES } from '../../domain/codes.ts';

/** All SQL about organisations. Subtrees are one GiST-indexed `path <@ ancestor` predicate. */

const ORG_COLUMNS = [
  'id',
  'parent_id',
  'name',
  'short_name',
  'kind',
  'sector',
  'place_id',
  'status',
  'closed_on',
  'closed_reason',
  'path',
  'depth',
] as const;

export interface OrgRepoRow {
  id: number;
  parent_id: number | null;
  name: string;
  short_name: string | null;
  kind: string;
  sector: string;
  place_id: number | null;
  status: 'active' | 'closed';
  closed_on: string | null;
  closed_reason: string | null;
  path: string;
  depth: number;
}

export const findOrg = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('orgs')
    .select(ORG_COLUMNS)
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .executeTakeFirst();

export const findRootOrg = (db: Executor, countyId: number) =>
  db
    .selectFrom('orgs')
    .select(ORG_COLUMNS)
    .where('county_id', '=', countyId)
    .where('parent_id', 'is', null)
    .executeTakeFirst();

/** Locks the row so that two moves or closes of one org queue behind each other. */
export const lockOrg = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('orgs')
    .select(ORG_COLUMNS)
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

export interface OrgFilter {
  parentId?: number;
  underPath?: string;
  q?: string;
  kind?: string;
  sector?: string;
  status?: 'active' | 'closed' | 'all';
  limit: number;
  offset: number;
}

export async function listOrgs(db: Executor, countyId: number, f: OrgFilter) {
  let q = db.selectFrom('orgs').where('county_id', '=', countyId);
  if (f.parentId !== undefined) q = q.where('parent_id', '=', f.parentId);
  if (f.underPath) q = q.where(sql<boolean>`path <@ ${f.underPath}::ltree`);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.sector) q = q.where('sector', '=', f.sector);
  if (f.status !== 'all') q = q.where('status', '=', f.status ?? 'active');
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('name', 'like', like), eb('short_name', 'like', like)]));
  }
  const [items, total] = await Promise.all([
    q.select(ORG_COLUMNS).orderBy('path').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** A subtree down to maxDepth levels below its root, each node with its number of active children. */
export function subtree(db: Executor, countyId: number, rootPath: string, maxDepth: number) {
  return db
    .selectFrom('orgs as o')
    .select(ORG_COLUMNS.map((c) => `o.${c}` as const))
    .select((eb) =>
      eb
        .selectFrom('orgs as c')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('c.county_id', '=', 'o.county_id')
        .whereRef('c.parent_id', '=', 'o.id')
        .where('c.status', '=', 'active')
        .as('child_count'),
    )
    .where('o.county_id', '=', countyId)
    .where(sql<boolean>`o.path <@ ${rootPath}::ltree`)
    .where(sql<boolean>`o.depth <= nlevel(${rootPath}::ltree) + ${maxDepth}`)
    .where('o.status', '=', 'active')
    .orderBy('o.path')
    .execute();
}

export interface OrgCounts {
  childOrgs: number;
  descendantOrgs: number;
  committees: number;
  branches: number;
  directMembers: number;
  members: number;
  households: number;
}

/** The counts shown on an organisation's page; each is one indexed subtree query. */
export async function countsFor(
  db: Executor,
  countyId: number,
  id: number,
  path: string,
): Promise<OrgCounts> {
  const { rows } = await sql<OrgCounts>`
    WITH sub AS (SELECT id, parent_id, kind FROM orgs WHERE county_id = ${countyId} AND path <@ ${path}::ltree AND status = 'active')
    SELECT
      (SELECT count(*) FROM sub WHERE parent_id = ${id}) AS "childOrgs",
      (SELECT count(*) FROM sub WHERE id <> ${id}) AS "descendantOrgs",
      (SELECT count(*) FROM sub WHERE kind = ANY(${COMMITTEE_KINDS as string[]}) AND id <> ${id}) AS "committees",
      (SELECT count(*) FROM sub WHERE kind = ANY(${BRANCH_KINDS as string[]})) AS "branches",
      (SELECT count(*) FROM members m WHERE m.county_id = ${countyId} AND m.org_id = ${id} AND m.is_party_member
         AND m.status <> ALL(${FORMER_MEMBER_STATUSES as string[]})) AS "directMembers",
      (SELECT count(*) FROM members m JOIN sub ON sub.id = m.org_id WHERE m.county_id = ${countyId} AND m.is_party_member
         AND m.status <> ALL(${FORMER_MEMBER_STATUSES as string[]})) AS "members",
      (SELECT count(*) FROM households h JOIN sub ON sub.id = h.org_id WHERE h.county_id = ${countyId}) AS "households"`.execute(
    db,
  );
  return rows[0]!;
}

export const nameTaken = async (db: Executor, countyId: number, name: string, exceptId?: number) => {
  let q = db
    .selectFrom('orgs')
    .select('id')
    .where('county_id', '=', countyId)
    .where('name', '=', name)
    .where('status', '=', 'active');
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
};

export const insertOrg = (db: Executor, row: NewOrgRow) =>
  db.insertInto('orgs').values(row).returning(ORG_COLUMNS).executeTakeFirstOrThrow();

export const updateOrg = (db: Executor, countyId: number, id: number, patch: OrgUpdate) =>
  db
    .updateTable('orgs')
    .set({ ...patch, updated_at: new Date() })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .returning(ORG_COLUMNS)
    .executeTakeFirstOrThrow();

/** Re-roots a whole subtree in one statement: every path under oldPath gets newParentPath in front. */
export async function moveSubtree(
  db: Executor,
  countyId: number,
  id: number,
  oldPath: string,
  newParent: { id: number; path: string },
) {
  await sql`
    UPDATE orgs SET path = ${newParent.path}::ltree || subpath(path, nlevel(${oldPath}::ltree) - 1), updated_at = now()
    WHERE county_id = ${countyId} AND path <@ ${oldPath}::ltree`.execute(db);
  await db
    .updateTable('orgs')
    .set({ parent_id: newParent.id })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();
}

export const activeChildCount = async (db: Executor, countyId: number, id: number) =>
  (
    await db
      .selectFrom('orgs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('county_id', '=', countyId)
      .where('parent_id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow()
  ).n;

export const partyMemberCount = async (db: Executor, countyId: number, orgId: number) =>
  (
    await db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('county_id', '=', countyId)
      .where('org_id', '=', orgId)
      .where('is_party_member', '=', true)
      .where('status', 'not in', FORMER_MEMBER_STATUSES as string[])
      .executeTakeFirstOrThrow()
  ).n;
