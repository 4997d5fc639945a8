import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { MemberUpdate, NewMemberRow } from '../../db/schema.ts';
import { FORMER_MEMBER_STATUSES } from '../../domain/codes.ts';

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

export async function listMembers(db: Executor, countyId: number, f: MemberFilter) {
  let q = baseQuery(db, countyId);
  if (f.memberId !== undefined) q = q.where('m.id', '=', f.memberId);
  if (f.underPath) q = q.where(sql<boolean>`o.path <@ ${f.underPath}::ltree`);
  if (f.orgId !== undefined) q = q.where('m.org_id', '=', f.orgId);
  if (f.sector) q = q.where('o.sector', '=', f.sector);
  if (f.category === undefined) q = q.where('m.is_party_member', '=', true);
  else if (f.category !== 'all') q = q.where('m.category', '=', f.category);
  // By default the list shows current members; the deceased and transferred-out only when asked for.
  if (f.status) q = q.where('m.status', '=', f.status);
  else q = q.where('m.status', 'not in', FORMER_MEMBER_STATUSES as string[]);
  if (f.gender) q = q.where('m.gender', '=', f.gender as 'male' | 'female');
  if (f.education) q = q.where('m.education', '=', f.education);
  if (f.needy !== undefined) q = q.where('m.is_needy', '=', f.needy);
  if (f.mobile !== undefined) q = q.where('m.status', f.mobile ? '=' : '<>', 'mobile');
  if (f.leaderRank) q = q.where('m.leader_rank', '=', f.leaderRank);
  if (f.q) {
    const text = f.q.replace(/[\\%_]/g, '\\$&');
    // Names by prefix (index), ID numbers by their last digits, as clerks look people up.
    q = q.where((eb) =>
      eb.or([eb('m.name', 'like', `${text}%`), eb('m.id_number', 'like', `%${text.toUpperCase()}`)]),
    );
  }
  const [items, total] = await Promise.all([
    q
      .select(MEMBER_COLUMNS)
      .select('o.name as org_name')
      .orderBy('o.path')
      .orderBy('m.name')
      .orderBy('m.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
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
