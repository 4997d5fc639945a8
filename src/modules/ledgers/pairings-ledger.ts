import { type RawBuilder, sql } from 'kysely';
import { pairingKind } from '../../domain/pairings.ts';
import type { ServiceContext } from '../context.ts';
import { between, keysetPages, orgLabel, pairingUnder, periodOf, subtreeOf } from './common.ts';
import type { LedgerDefinition, LedgerFilter } from './registry.ts';

/**
 * 结对台账: every pairing active in the period (its span overlaps it) with either side in the
 * subtree — both sides by name, the helped side's township, and its visits in the period.
 */

interface Row {
  id: number;
  kind: string;
  title: string;
  year_from: number;
  year_to: number;
  started_on: string;
  ended_on: string | null;
  helper: string | null;
  helper_org: string | null;
  helped: string | null;
  helped_org: string | null;
  township: string | null;
  visits: number;
  last_visit: string | null;
}

async function where(ctx: ServiceContext, f: LedgerFilter) {
  const period = periodOf(f);
  const path = await subtreeOf(ctx, f);
  const parts: RawBuilder<unknown>[] = [sql`p.county_id = ${ctx.countyId}`];
  if (period.to) parts.push(sql`p.started_on <= ${period.to}::date`);
  if (period.from) {
    parts.push(sql`coalesce(p.ended_on, make_date(p.year_to, 12, 31)) >= ${period.from}::date`);
  }
  if (path) parts.push(pairingUnder('p', path));
  return { where: sql.join(parts, sql` AND `), period };
}

export const pairingsLedger: LedgerDefinition = {
  name: 'pairings',
  titleZh: '结对台账',
  titleEn: 'Pairings ledger',
  action: 'pairing.read',
  columns: [
    { key: 'id', zh: '编号', en: 'No.', width: 8, type: 'number' },
    { key: 'kind', zh: '结对类型', en: 'Kind', width: 12 },
    { key: 'title', zh: '结对名称', en: 'Pairing', width: 40 },
    { key: 'helper', zh: '帮扶方', en: 'Helper', width: 16 },
    { key: 'helperOrg', zh: '帮扶方党组织', en: "Helper's organisation", width: 30 },
    { key: 'helped', zh: '被帮扶方', en: 'Helped', width: 18 },
    { key: 'helpedOrg', zh: '被帮扶方党组织', en: 'Helped organisation', width: 30 },
    { key: 'township', zh: '所属乡镇', en: 'Township', width: 14 },
    { key: 'years', zh: '结对年度', en: 'Years', width: 11 },
    { key: 'startedOn', zh: '开始日期', en: 'Started', width: 12, type: 'date' },
    { key: 'endedOn', zh: '结束日期', en: 'Ended', width: 12, type: 'date' },
    { key: 'visits', zh: '期间活动次数', en: 'Visits in the period', width: 12, type: 'number' },
    { key: 'lastVisit', zh: '最近活动日期', en: 'Last visit', width: 12, type: 'date' },
  ],

  async count(ctx, f) {
    const { where: w } = await where(ctx, f);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pairings p WHERE ${w}`.execute(
      ctx.db,
    );
    return Number(rows[0]!.n);
  },

  async *rows(ctx, f) {
    const { where: w, period } = await where(ctx, f);
    const pages = keysetPages(
      ctx,
      async (db, after, limit) =>
        (
          await sql<Row>`
            SELECT p.id, p.kind, p.title, p.year_from, p.year_to, p.started_on, p.ended_on,
                   coalesce(pairing_member_name(p.county_id, p.helper_member_id),
                            pairing_org_name(p.county_id, p.helper_org_id)) AS helper,
                   pairing_org_name(p.county_id, p.helper_org_id) AS helper_org,
                   coalesce(pairing_member_name(p.county_id, p.helped_member_id),
                            pairing_household_head(p.county_id, p.helped_household_id) || '户',
                            pairing_org_name(p.county_id, p.helped_org_id)) AS helped,
                   pairing_org_name(p.county_id, p.helped_org_id) AS helped_org,
                   ${orgLabel(sql`p.county_id`, sql`pairing_org_township(p.county_id, p.helped_org_id)`)} AS township,
                   coalesce(v.n, 0)::int AS visits, v.last AS last_visit
            FROM pairings p
            LEFT JOIN LATERAL (
              SELECT count(*) AS n, max(x.visited_on) AS last
              FROM visit_pairings vp JOIN visits x ON x.county_id = vp.county_id AND x.id = vp.visit_id
              WHERE vp.county_id = p.county_id AND vp.pairing_id = p.id AND ${between(sql`x.visited_on`, period)}) v ON true
            WHERE ${w} AND p.id > ${after}
            ORDER BY p.id LIMIT ${limit}`.execute(db)
        ).rows,
      (r) => r.id,
    );
    for await (const page of pages) {
      for (const r of page) {
        yield {
          id: r.id,
          kind: pairingKind(r.kind)?.zh ?? r.kind,
          title: r.title,
          helper: r.helper,
          helperOrg: r.helper_org,
          helped: r.helped,
          helpedOrg: r.helped_org,
          township: r.township ?? '县直',
          years: r.year_from === r.year_to ? `${r.year_from}` : `${r.year_from}—${r.year_to}`,
          startedOn: r.started_on,
          endedOn: r.ended_on,
          visits: r.visits,
          lastVisit: r.last_visit,
        };
      }
    }
  },
};
