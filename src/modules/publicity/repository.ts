import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';

/**
 * All SQL of public notices (公示) and the feedback of the masses (监督).
 *
 * Two kinds of caller: staff, through the request's transaction narrowed by row-level security; and
 * the public pages, through the owner's handle (no session, so no scope). Every public query names
 * the county and the notice id itself, and reads only the notice's masked body — never a plan, a
 * member or a household.
 */

// ---------------------------------------------------------------------------------------------
// Writing a notice (in the approving user's transaction)
// ---------------------------------------------------------------------------------------------

/**
 * Names the public must not read in full: the heads of the households kept by the helped
 * organisation's subtree, and its needy members (困难党员).
 */
export async function privateNamesUnder(db: Executor, countyId: number, orgPath: string) {
  const [households, members] = await Promise.all([
    db
      .selectFrom('households as h')
      .innerJoin('orgs as o', (j) =>
        j.onRef('o.county_id', '=', 'h.county_id').onRef('o.id', '=', 'h.org_id'),
      )
      .select('h.head_name as name')
      .where('h.county_id', '=', countyId)
      .where(sql<boolean>`o.path <@ ${orgPath}::ltree`)
      .execute(),
    db
      .selectFrom('members as m')
      .innerJoin('orgs as o', (j) =>
        j.onRef('o.county_id', '=', 'm.county_id').onRef('o.id', '=', 'm.org_id'),
      )
      .select('m.name')
      .where('m.county_id', '=', countyId)
      .where('m.is_needy', '=', true)
      .where(sql<boolean>`o.path <@ ${orgPath}::ltree`)
      .execute(),
  ]);
  return [...households, ...members].map((r) => r.name);
}

/**
 * The names a published feedback or answer must not show in full: everyone of the place the notice
 * is posted at (its members, needy or not, and its household heads) and the person or household the
 * plan helps, wherever they are.
 */
export async function publicationNames(db: Executor, countyId: number, noticeId: number) {
  const { rows } = await sql<{ name: string }>`
    WITH n AS (
      SELECT o.path, pr.helped_member_id, pr.helped_household_id
      FROM notices nt
      JOIN orgs o ON o.county_id = nt.county_id AND o.id = nt.org_id
      JOIN plans pl ON pl.county_id = nt.county_id AND pl.id = nt.plan_id
      JOIN pairings pr ON pr.county_id = pl.county_id AND pr.id = pl.pairing_id
      WHERE nt.county_id = ${countyId} AND nt.id = ${noticeId}
    )
    SELECT m.name FROM members m JOIN orgs o ON o.county_id = m.county_id AND o.id = m.org_id, n
      WHERE m.county_id = ${countyId} AND o.path <@ n.path
    UNION
    SELECT h.head_name FROM households h JOIN orgs o ON o.county_id = h.county_id AND o.id = h.org_id, n
      WHERE h.county_id = ${countyId} AND o.path <@ n.path
    UNION
    SELECT pairing_member_name(${countyId}, n.helped_member_id) FROM n WHERE n.helped_member_id IS NOT NULL
    UNION
    SELECT pairing_household_head(${countyId}, n.helped_household_id) FROM n WHERE n.helped_household_id IS NOT NULL`.execute(
    db,
  );
  return rows.flatMap((r) => (r.name ? [r.name] : []));
}

export const householdHead = async (db: Executor, countyId: number, id: number) =>
  (
    await db
      .selectFrom('households')
      .select('head_name')
      .where('county_id', '=', countyId)
      .where('id', '=', id)
      .executeTakeFirst()
  )?.head_name;

export const memberName = async (db: Executor, countyId: number, id: number) =>
  (
    await db
      .selectFrom('members')
      .select('name')
      .where('county_id', '=', countyId)
      .where('id', '=', id)
      .executeTakeFirst()
  )?.name;

export const insertNotice = async (
  db: Executor,
  row: {
    county_id: number;
    plan_id: number;
    org_id: number;
    title: string;
    body: unknown;
    starts_on: string;
    ends_on: string;
  },
) =>
  (
    await db
      .insertInto('notices')
      .values({ ...row, body: JSON.stringify(row.body) })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

// ---------------------------------------------------------------------------------------------
// Reading notices
// ---------------------------------------------------------------------------------------------

export interface NoticeRow {
  id: number;
  plan_id: number;
  org_id: number;
  org_name: string | null;
  title: string;
  body: unknown;
  starts_on: string;
  ends_on: string;
}

function noticeBase(db: Executor, countyId: number) {
  return db
    .selectFrom('notices as n')
    .leftJoin('orgs as o', (j) => j.onRef('o.county_id', '=', 'n.county_id').onRef('o.id', '=', 'n.org_id'))
    .where('n.county_id', '=', countyId)
    .select([
      'n.id',
      'n.plan_id',
      'n.org_id',
      'o.name as org_name',
      'n.title',
      'n.body',
      'n.starts_on',
      'n.ends_on',
    ]);
}

export interface NoticeFilter {
  /** Only notices at places under this organisation path. */
  underPath?: string;
  /** Only notices running on this date. */
  openOn?: string;
  /** Only notices that started on or before this date … */
  startedBy?: string;
  /** … and ended on or after this date. */
  endedSince?: string;
  limit: number;
  offset: number;
}

export async function listNotices(db: Executor, countyId: number, f: NoticeFilter) {
  let q = noticeBase(db, countyId);
  if (f.underPath) q = q.where(sql<boolean>`o.path <@ ${f.underPath}::ltree`);
  if (f.openOn) q = q.where('n.starts_on', '<=', f.openOn).where('n.ends_on', '>=', f.openOn);
  if (f.startedBy) q = q.where('n.starts_on', '<=', f.startedBy);
  if (f.endedSince) q = q.where('n.ends_on', '>=', f.endedSince);
  const [items, total] = await Promise.all([
    q
      .select([
        sql<number>`(SELECT count(*) FROM notice_feedback f WHERE f.county_id = n.county_id AND f.notice_id = n.id)`.as(
          'feedback_count',
        ),
        sql<number>`(SELECT count(*) FROM notice_feedback f WHERE f.county_id = n.county_id AND f.notice_id = n.id AND f.answer IS NULL)`.as(
          'unanswered_count',
        ),
      ])
      .orderBy('n.starts_on', 'desc')
      .orderBy('n.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export const findNotice = (db: Executor, countyId: number, id: number) =>
  noticeBase(db, countyId).where('n.id', '=', id).executeTakeFirst() as Promise<NoticeRow | undefined>;

export const findOrgPath = async (db: Executor, countyId: number, orgId: number) =>
  (
    await db
      .selectFrom('orgs')
      .select(sql<string>`path::text`.as('path'))
      .where('county_id', '=', countyId)
      .where('id', '=', orgId)
      .executeTakeFirst()
  )?.path;

// ---------------------------------------------------------------------------------------------
// Feedback
// ---------------------------------------------------------------------------------------------

export interface FeedbackRow {
  id: number;
  notice_id: number;
  content: string;
  contact: string | null;
  created_at: Date;
  answer: string | null;
  answered_by: number | null;
  answered_by_name: string | null;
  answered_at: Date | null;
  answer_published: boolean;
}

function feedbackBase(db: Executor, countyId: number) {
  return db
    .selectFrom('notice_feedback as f')
    .leftJoin('users as u', (j) =>
      j.onRef('u.county_id', '=', 'f.county_id').onRef('u.id', '=', 'f.answered_by'),
    )
    .where('f.county_id', '=', countyId)
    .select([
      'f.id',
      'f.notice_id',
      'f.content',
      'f.contact',
      'f.created_at',
      'f.answer',
      'f.answered_by',
      'u.display_name as answered_by_name',
      'f.answered_at',
      'f.answer_published',
    ]);
}

export const listFeedback = (
  db: Executor,
  countyId: number,
  noticeId: number,
  limit: number,
  offset: number,
) =>
  feedbackBase(db, countyId)
    .where('f.notice_id', '=', noticeId)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute() as Promise<FeedbackRow[]>;

export const countFeedback = async (db: Executor, countyId: number, noticeId: number) =>
  Number(
    (
      await db
        .selectFrom('notice_feedback')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('county_id', '=', countyId)
        .where('notice_id', '=', noticeId)
        .executeTakeFirstOrThrow()
    ).n,
  );

export const findFeedback = (db: Executor, countyId: number, noticeId: number, id: number) =>
  feedbackBase(db, countyId)
    .where('f.notice_id', '=', noticeId)
    .where('f.id', '=', id)
    .executeTakeFirst() as Promise<FeedbackRow | undefined>;

/** Published answers only, oldest first, for the public: the texts masked when they were published. */
export const publishedFeedback = (db: Executor, countyId: number, noticeId: number) =>
  db
    .selectFrom('notice_feedback')
    .select(['id', 'published_content as content', 'created_at', 'published_answer as answer', 'answered_at'])
    .where('county_id', '=', countyId)
    .where('notice_id', '=', noticeId)
    .where('answer_published', '=', true)
    .where('published_content', 'is not', null)
    .where('published_answer', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(500)
    .execute();

export const insertFeedback = async (
  db: Executor,
  row: {
    county_id: number;
    notice_id: number;
    content: string;
    contact: string | null;
    address_hash: string;
  },
) =>
  await db
    .insertInto('notice_feedback')
    .values(row)
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();

export async function answerFeedback(
  db: Executor,
  countyId: number,
  noticeId: number,
  id: number,
  a: { answer: string; userId: number | null; published: { content: string; answer: string } | null },
) {
  const r = await db
    .updateTable('notice_feedback')
    .set({
      answer: a.answer,
      answer_published: a.published !== null,
      published_content: a.published?.content ?? null,
      published_answer: a.published?.answer ?? null,
      answered_by: a.userId,
      answered_at: sql`now()`,
    })
    .where('county_id', '=', countyId)
    .where('notice_id', '=', noticeId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
