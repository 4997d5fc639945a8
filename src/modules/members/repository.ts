import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { DB, MemberUpdate, NewMemberRow } from '../../db/schema.ts';
import { FORMER_MEMBER_STATUSES } from '../../domain/codes.ts';
import { normalizePhone } from '../../domain/members.ts';

/** All SQL about members. A subtree filter joins orgs on their GiST-indexed path. */
const MEMBER_COLUMNS = [
  'm.id',
  'm.org_id',
  'm.name',
  'm.gender',
  'm.ethnicity',
  'm.birth_date',
  'm.id_number',
  'm.phone',
  'm.education',
  'm.address',
  'm.category',
  'm.is_party_member',
  'm.status',
  'm.join_date',
  'm.full_member_date',
  'm.occupation',
  'm.is_needy',
  'm.mobile_to',
  'm.leader_rank',
  'm.leader_unit',
] as const;

export interface MemberFilter {
  /** Only this member (a member sees their own record). */
  memberId?: number;
  underPath?: string;
  orgId?: number;
  sector?: string;
  /** undefined = party members only; 'all' = the admission pipeline too. */
  category?: string;
  status?: string;
  gender?: string;
  education?: string;
  needy?: boolean;
  mobile?: boolean;
  leaderRank?: string;
  q?: string;
  limit: number;
  offset: number;
}

function baseQuery(db: Executor, countyId: number) {
  return db
    .selectFrom('members as m')
    .innerJoin('orgs as o', (j) => j.onRef('o.county_id', '=', 'm.county_id').onRef('o.id', '=', 'm.org_id'))
    .where('m.county_id', '=', countyId);
}

/** What `q` can be besides a name's beginning: the last characters of an ID number (digits, then X). */
const ID_ENDING = /^[0-9]*[0-9X]$/;

/**
 * The list as one statement: the page, with the whole count beside every row for the pager, plus a
 * count alone for a page past the end. Unexecuted, so a benchmark can EXPLAIN exactly what runs.
 *
 * Shaped for row-level security: the policies' quals run before any operator that is not
 * leakproof, so `LIKE` on the name could never use an index and every search read the whole
 * subtree (twice: once more for the count). So the organisations in scope drive the plan and each
 * one's members are read from `members_org_name` (county, org, name) within a fence (`OFFSET 0`:
 * the planner cannot turn it into a join of its own choosing, which without statistics, as on
 * PGlite, it gets wrong), and a name is matched with `^@` (starts_with), which is leakproof and
 * an index range on that index: a search reads its matches, not the subtree.
 */
export function memberListQueries(db: Executor, countyId: number, f: MemberFilter) {
  const members = (eb: ExpressionBuilder<DB & { o: DB['orgs'] }, 'o'>) => {
    let m = eb
      .selectFrom('members as m')
      .select(MEMBER_COLUMNS)
      .whereRef('m.county_id', '=', 'o.county_id')
      .whereRef('m.org_id', '=', 'o.id');
    if (f.memberId !== undefined) m = m.where('m.id', '=', f.memberId);
    if (f.category === undefined) m = m.where('m.is_party_member', '=', true);
    else if (f.category !== 'all') m = m.where('m.category', '=', f.category);
    // By default the list shows current members; the deceased and transferred-out only when asked for.
    if (f.status) m = m.where('m.status', '=', f.status);
    else m = m.where('m.status', 'not in', FORMER_MEMBER_STATUSES as string[]);
    if (f.gender) m = m.where('m.gender', '=', f.gender as 'male' | 'female');
    if (f.education) m = m.where('m.education', '=', f.education);
    if (f.needy !== undefined) m = m.where('m.is_needy', '=', f.needy);
    if (f.mobile !== undefined) m = m.where('m.status', f.mobile ? '=' : '<>', 'mobile');
    if (f.leaderRank) m = m.where('m.leader_rank', '=', f.leaderRank);
    if (f.q) m = m.where(searchCondition(f.q));
    return m.offset(0).as('m');
  };
  let q = db
    .selectFrom('orgs as o')
    .innerJoinLateral(members, (j) => j.onTrue())
    .where('o.county_id', '=', countyId);
  if (f.underPath) q = q.where(sql<boolean>`o.path <@ ${f.underPath}::ltree`);
  if (f.orgId !== undefined) q = q.where('o.id', '=', f.orgId);
  if (f.sector) q = q.where('o.sector', '=', f.sector);
  const columns = MEMBER_COLUMNS.map((c) => c.replace(/^m\./, '') as Unprefixed<typeof c>);
  return {
    items: q
      .select(columns.map((c) => `m.${c}` as const))
      .select('o.name as org_name')
      .select(sql<number>`count(*) OVER ()`.as('total'))
      .orderBy('o.path')
      .orderBy('m.name')
      .orderBy('m.id')
      .limit(f.limit)
      .offset(f.offset),
    count: q.select((eb) => eb.fn.countAll<number>().as('n')),
  };
}

type Unprefixed<C extends string> = C extends `m.${infer N}` ? N : never;

/**
 * A name by its beginning; and when `q` could be the end of an ID number, ID numbers by their last
 * characters; and when it is a phone number, that phone exactly (stored as normalizePhone leaves it).
 * An ID number is 17 digits and a check character, so any other `q` can never match one.
 */
function searchCondition(text: string) {
  return (eb: ExpressionBuilder<DB & { m: DB['members'] }, 'm'>) => {
    const either: Expression<SqlBool>[] = [sql<boolean>`m.name ^@ ${text}`];
    const upper = text.toUpperCase();
    if (ID_ENDING.test(upper)) either.push(eb('m.id_number', 'like', `%${upper}`));
    const phone = normalizePhone(text);
    if (phone.ok) either.push(eb('m.phone', '=', phone.value));
    return eb.or(either);
  };
}

export async function listMembers(db: Executor, countyId: number, f: MemberFilter) {
  const q = memberListQueries(db, countyId, f);
  const rows = await q.items.execute();
  // Past the last page there is no row to carry the count: ask for it alone.
  const total = rows.length
    ? Number(rows[0]!.total)
    : f.offset > 0
      ? Number((await q.count.executeTakeFirstOrThrow()).n)
      : 0;
  return { items: rows, total };
}

export const findMember = (db: Executor, countyId: number, id: number) =>
  baseQuery(db, countyId)
    .select(MEMBER_COLUMNS)
    .select('o.name as org_name')
    .where('m.id', '=', id)
    .executeTakeFirst();

export type MemberRepoRow = NonNullable<Awaited<ReturnType<typeof findMember>>>;

export const findMemberIdByIdNumber = async (db: Executor, countyId: number, idNumber: string) =>
  (
    await db
      .selectFrom('members')
      .select('id')
      .where('county_id', '=', countyId)
      .where('id_number', '=', idNumber)
      .executeTakeFirst()
  )?.id;

export const insertMember = async (db: Executor, row: NewMemberRow) =>
  (await db.insertInto('members').values(row).returning('id').executeTakeFirstOrThrow()).id;

export const updateMember = (db: Executor, countyId: number, id: number, patch: MemberUpdate) =>
  db
    .updateTable('members')
    .set({ ...patch, updated_at: new Date() })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();
