import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { PairingsTable } from '../../db/schema.ts';

/** All SQL about pairings, visits and their counts. */

const PAIRING_COLUMNS = [
  'p.id',
  'p.kind',
  'p.formation',
  'p.year_from',
  'p.year_to',
  'p.started_on',
  'p.ended_on',
  'p.helper_member_id',
  'p.helper_org_id',
  'p.helped_org_id',
  'p.helped_member_id',
  'p.helped_household_id',
  'p.helped_place_id',
  'p.responsible_member_id',
  'p.obligations',
  'p.title',
] as const;

/** A pairing with the names of both sides, read through functions that see past row-level security. */
function withNames(db: Executor) {
  return db
    .selectFrom('pairings as p')
    .select(PAIRING_COLUMNS)
    .select([
      sql<string | null>`pairing_org_name(p.county_id, p.helper_org_id)`.as('helper_org_name'),
      sql<string | null>`pairing_org_name(p.county_id, p.helped_org_id)`.as('helped_org_name'),
      sql<string | null>`pairing_org_sector(p.county_id, p.helped_org_id)`.as('helped_org_sector'),
      sql<number | null>`pairing_org_township(p.county_id, p.helped_org_id)`.as('helped_township_id'),
      sql<string | null>`pairing_member_name(p.county_id, p.helper_member_id)`.as('helper_member_name'),
      sql<string | null>`pairing_member_rank(p.county_id, p.helper_member_id)`.as('helper_leader_rank'),
      sql<string | null>`pairing_member_name(p.county_id, p.helped_member_id)`.as('helped_member_name'),
      sql<string | null>`pairing_household_head(p.county_id, p.helped_household_id)`.as(
        'helped_household_head',
      ),
    ]);
}

export const findPairing = (db: Executor, countyId: number, id: number) =>
  withNames(db).where('p.county_id', '=', countyId).where('p.id', '=', id).executeTakeFirst();

export type PairingRow = NonNullable<Awaited<ReturnType<typeof findPairing>>>;

export interface PairingFilter {
  year?: number;
  kind?: string;
  /** Pairings with either side within this subtree. */
  underPath?: string;
  /** Pairings where this member helps, is helped or is responsible. */
  memberId?: number;
  /** Pairings this user carries out: as the helping member or the responsible one, or (when given) every pairing an organisation of theirs helps or is helped by. */
  helping?: { memberId: number | null; orgId?: number };
}

export function listPairings(db: Executor, countyId: number, f: PairingFilter) {
  let q = withNames(db).where('p.county_id', '=', countyId);
  if (f.year !== undefined) q = q.where('p.year_from', '<=', f.year).where('p.year_to', '>=', f.year);
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  if (f.underPath) {
    const path = f.underPath;
    q = q.where(
      sql<boolean>`EXISTS (SELECT 1 FROM orgs o WHERE o.county_id = p.county_id AND o.id IN (p.helper_org_id, p.helped_org_id) AND o.path <@ ${path}::ltree)`,
    );
  }
  if (f.memberId !== undefined) {
    const m = f.memberId;
    q = q.where((eb) =>
      eb.or([
        eb('p.helper_member_id', '=', m),
        eb('p.helped_member_id', '=', m),
        eb('p.responsible_member_id', '=', m),
      ]),
    );
  }
  if (f.helping) {
    const { memberId, orgId } = f.helping;
    q = q.where((eb) =>
      eb.or([
        ...(memberId !== null
          ? [eb('p.helper_member_id', '=', memberId), eb('p.responsible_member_id', '=', memberId)]
          : []),
        ...(orgId !== undefined
          ? [eb('p.helper_org_id', '=', orgId), eb('p.helped_org_id', '=', orgId)]
          : []),
        sql<boolean>`false`,
      ]),
    );
  }
  return q.orderBy('p.kind').orderBy('p.id').execute();
}

/** Visits per pairing, month and kind in a year, from the counts the triggers keep. */
export async function monthCounts(db: Executor, countyId: number, year: number, pairingIds: number[]) {
  if (pairingIds.length === 0) return [];
  return (
    db
      .selectFrom('pairing_visit_counts')
      .select(['pairing_id', 'month', 'kind', 'visits'])
      .where('county_id', '=', countyId)
      .where('year', '=', year)
      // One array parameter, not one parameter per id (a bind list breaks above 65,535 pairings).
      .where('pairing_id', '=', sql<number>`ANY(${pairingIds}::bigint[])`)
      .where('visits', '>', 0)
      .execute()
  );
}

export const quotaOverrides = (db: Executor, countyId: number) =>
  db.selectFrom('quota_rules').select(['kind', 'rule']).where('county_id', '=', countyId).execute();

export const upsertQuotaRule = (
  db: Executor,
  row: { county_id: number; kind: string; rule: string; updated_by: number | null },
) =>
  db
    .insertInto('quota_rules')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['county_id', 'kind'])
        .doUpdateSet({ rule: row.rule, updated_by: row.updated_by, updated_at: new Date() }),
    )
    .execute();

export const insertPairing = async (db: Executor, row: Insertable<PairingsTable>) => {
  const [{ id }] = (
    await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('pairings', 'id')) AS id`.execute(db)
  ).rows as [{ id: number }];
  // Inserted with a known id and no RETURNING: the new row is visible only once the policy allows it.
  await db
    .insertInto('pairings')
    .values({ ...row, id })
    .execute();
  return id;
};

export const findMemberBrief = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('members')
    .select(['id', 'org_id', 'name', 'leader_rank', 'is_needy', 'is_party_member'])
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .executeTakeFirst();

/**
 * The names of the townships a summary groups by, and which of them the user's subtree holds. A
 * pairing's helped township may lie outside it (a township's branch helping a village elsewhere, or a
 * village branch looking up at its own township): its name comes from the pairing's own name reader,
 * never its record.
 */
export const townshipNames = async (db: Executor, countyId: number, ids: readonly number[]) =>
  ids.length === 0
    ? []
    : (
        await sql<{ id: number; name: string | null; in_scope: boolean }>`
          SELECT t.id, pairing_org_name(${countyId}, t.id) AS name,
                 EXISTS (SELECT 1 FROM orgs o WHERE o.county_id = ${countyId} AND o.id = t.id) AS in_scope
          FROM unnest(${[...ids]}::bigint[]) AS t(id)`.execute(db)
      ).rows;

/** Which of these members the executor sees (row-level security: the user's subtree). */
export const memberIdsSeen = async (db: Executor, countyId: number, ids: readonly number[]) =>
  (
    await db
      .selectFrom('members')
      .select('id')
      .where('county_id', '=', countyId)
      .where('id', 'in', [...ids])
      .execute()
  ).map((r) => r.id);

export const findHouseholdBrief = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('households')
    .select(['id', 'org_id', 'head_name', 'category', 'village_id'])
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .executeTakeFirst();

// Visits -------------------------------------------------------------------------------------

/** The visit this user already saved from the same phone draft, if any. */
export async function findVisitByClientRef(
  db: Executor,
  countyId: number,
  userId: number,
  clientRef: string,
) {
  const row = await db
    .selectFrom('visits')
    .select('id')
    .where('county_id', '=', countyId)
    .where('created_by', '=', userId)
    .where('client_ref', '=', clientRef)
    .executeTakeFirst();
  return row?.id;
}

export async function insertVisit(
  db: Executor,
  countyId: number,
  v: {
    visited_on: string;
    kind: string;
    sub_kind: string | null;
    content: string;
    problems_found: string | null;
    problems_solved: string | null;
    created_by: number | null;
    client_ref?: string | null;
  },
  pairingIds: number[],
  participantIds: number[],
  outcomes: { unit: string; amount: number; note: string | null }[],
) {
  const { rows } = await sql<{
    id: number;
  }>`SELECT nextval(pg_get_serial_sequence('visits', 'id')) AS id`.execute(db);
  const id = rows[0]!.id;
  // No RETURNING: a visit becomes visible under row-level security only once it is linked to a pairing.
  await db
    .insertInto('visits')
    .values({ ...v, county_id: countyId, id })
    .execute();
  await db
    .insertInto('visit_pairings')
    .values(pairingIds.map((p) => ({ county_id: countyId, visit_id: id, pairing_id: p })))
    .execute();
  if (participantIds.length) {
    await db
      .insertInto('visit_participants')
      .values(participantIds.map((m) => ({ county_id: countyId, visit_id: id, member_id: m })))
      .execute();
  }
  if (outcomes.length) {
    await db
      .insertInto('visit_outcomes')
      .values(outcomes.map((o) => ({ county_id: countyId, visit_id: id, ...o })))
      .execute();
  }
  return id;
}

export const findVisit = (db: Executor, countyId: number, id: number) =>
  db
    .selectFrom('visits')
    .selectAll()
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .executeTakeFirst();

export const visitPairingIds = async (db: Executor, countyId: number, visitId: number) =>
  (
    await db
      .selectFrom('visit_pairings')
      .select('pairing_id')
      .where('county_id', '=', countyId)
      .where('visit_id', '=', visitId)
      .execute()
  ).map((r) => r.pairing_id);

export const updateVisitRow = (
  db: Executor,
  countyId: number,
  id: number,
  patch: Partial<{
    visited_on: string;
    kind: string;
    sub_kind: string | null;
    content: string;
    problems_found: string | null;
    problems_solved: string | null;
  }>,
) =>
  db
    .updateTable('visits')
    .set({ ...patch, updated_at: new Date() })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();

export async function replaceOutcomes(
  db: Executor,
  countyId: number,
  visitId: number,
  outcomes: { unit: string; amount: number; note: string | null }[],
) {
  await db
    .deleteFrom('visit_outcomes')
    .where('county_id', '=', countyId)
    .where('visit_id', '=', visitId)
    .execute();
  if (outcomes.length) {
    await db
      .insertInto('visit_outcomes')
      .values(outcomes.map((o) => ({ county_id: countyId, visit_id: visitId, ...o })))
      .execute();
  }
}

/** A pairing's visits, newest first, with their outcomes and participants' names. */
export async function visitsOfPairing(db: Executor, countyId: number, pairingId: number, limit = 200) {
  const visits = await db
    .selectFrom('visits as v')
    .innerJoin('visit_pairings as vp', (j) =>
      j.onRef('vp.county_id', '=', 'v.county_id').onRef('vp.visit_id', '=', 'v.id'),
    )
    .select([
      'v.id',
      'v.visited_on',
      'v.kind',
      'v.sub_kind',
      'v.content',
      'v.problems_found',
      'v.problems_solved',
      'v.created_at',
    ])
    .where('v.county_id', '=', countyId)
    .where('vp.pairing_id', '=', pairingId)
    .orderBy('v.visited_on', 'desc')
    .orderBy('v.id', 'desc')
    .limit(limit)
    .execute();
  const ids = visits.map((v) => v.id);
  if (!ids.length) return [];
  const [outcomes, participants, links] = await Promise.all([
    db
      .selectFrom('visit_outcomes')
      .select(['visit_id', 'unit', 'amount', 'note'])
      .where('county_id', '=', countyId)
      .where('visit_id', 'in', ids)
      .execute(),
    db
      .selectFrom('visit_participants as vp')
      .innerJoin('members as m', (j) =>
        j.onRef('m.county_id', '=', 'vp.county_id').onRef('m.id', '=', 'vp.member_id'),
      )
      .select(['vp.visit_id', 'm.id', 'm.name'])
      .where('vp.county_id', '=', countyId)
      .where('vp.visit_id', 'in', ids)
      .execute(),
    db
      .selectFrom('visit_pairings')
      .select(['visit_id', 'pairing_id'])
      .where('county_id', '=', countyId)
      .where('visit_id', 'in', ids)
      .execute(),
  ]);
  return visits.map((v) => ({
    ...v,
    outcomes: outcomes.filter((o) => o.visit_id === v.id),
    participants: participants.filter((p) => p.visit_id === v.id),
    pairingIds: links.filter((l) => l.visit_id === v.id).map((l) => l.pairing_id),
  }));
}
