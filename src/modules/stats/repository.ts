import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import { FORMER_MEMBER_STATUSES } from '../../domain/codes.ts';

/**
 * Structure statistics of a subtree in two scans (orgs, members) and one of households, each
 * with GROUPING SETS so every breakdown comes from the same pass.
 */
export async function orgBreakdown(db: Executor, countyId: number, path: string) {
  const { rows } = await sql<{ kind: string; sector: string; depth_gt_1: boolean; n: number }>`
    SELECT kind, sector, depth > 1 AS depth_gt_1, count(*) AS n
    FROM orgs WHERE county_id = ${countyId} AND path <@ ${path}::ltree AND status = 'active'
    GROUP BY kind, sector, depth > 1`.execute(db);
  return rows;
}

export type MemberDim =
  | 'category'
  | 'gender'
  | 'education'
  | 'sector'
  | 'age'
  | 'status'
  | 'leader'
  | 'needy'
  | 'new';

/**
 * One pass over the subtree's people: the admission pipeline by category, and for party members
 * each breakdown (gender, education, sector, age in years, status, leader rank, needy, joined this year).
 */
export async function memberBreakdown(db: Executor, countyId: number, path: string, asOf: string) {
  const yearStart = `${asOf.slice(0, 4)}-01-01`;
  const { rows } = await sql<{ dim: MemberDim; key: string; n: number }>`
    WITH x AS (
      SELECT m.category, m.is_party_member, m.gender, coalesce(m.education, 'unknown') AS education, o.sector,
             date_part('year', age(${asOf}::date, m.birth_date))::int AS age, m.status,
             coalesce(m.leader_rank, 'none') AS leader_rank, m.is_needy,
             (m.join_date IS NOT NULL AND m.join_date >= ${yearStart}::date AND m.join_date <= ${asOf}::date) AS joined
      FROM members m JOIN orgs o ON o.county_id = m.county_id AND o.id = m.org_id
      WHERE m.county_id = ${countyId} AND o.path <@ ${path}::ltree AND m.status <> ALL(${FORMER_MEMBER_STATUSES as string[]})
    )
    SELECT CASE WHEN GROUPING(category) = 0 THEN 'category' WHEN GROUPING(gender) = 0 THEN 'gender'
                WHEN GROUPING(education) = 0 THEN 'education' WHEN GROUPING(sector) = 0 THEN 'sector'
                WHEN GROUPING(age) = 0 THEN 'age' WHEN GROUPING(status) = 0 THEN 'status'
                WHEN GROUPING(leader_rank) = 0 THEN 'leader' WHEN GROUPING(is_needy) = 0 THEN 'needy' ELSE 'new' END AS dim,
           coalesce(category, gender, education, sector, age::text, status, leader_rank, is_needy::text, joined::text) AS key,
           count(*) AS n
    FROM x
    GROUP BY GROUPING SETS ((category), (is_party_member, gender), (is_party_member, education), (is_party_member, sector),
                            (is_party_member, age), (is_party_member, status), (is_party_member, leader_rank),
                            (is_party_member, is_needy), (is_party_member, joined))
    HAVING GROUPING(category) = 0 OR is_party_member`.execute(db);
  return rows;
}

export async function householdBreakdown(db: Executor, countyId: number, path: string) {
  const { rows } = await sql<{ category: string; n: number }>`
    SELECT h.category, count(*) AS n
    FROM households h JOIN orgs o ON o.county_id = h.county_id AND o.id = h.org_id
    WHERE h.county_id = ${countyId} AND o.path <@ ${path}::ltree
    GROUP BY h.category`.execute(db);
  return rows;
}
