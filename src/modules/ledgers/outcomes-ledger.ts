import { type RawBuilder, sql } from 'kysely';
import { OUTCOME_UNITS, PAIRING_KINDS, pairingKind } from '../../domain/pairings.ts';
import type { ServiceContext } from '../context.ts';
import { between, orgLabel, pairingUnder, periodOf, subtreeOf } from './common.ts';
import type { LedgerColumn, LedgerDefinition, LedgerFilter } from './registry.ts';

/**
 * 成效台账: what the visits of the period brought — funds, projects, person-times trained … (the
 * units of visit_outcomes) — summed by township (the 基层党(工)委 of the helped side) and pairing
 * kind, and a total. A visit counted for several pairings counts once in each township and kind it
 * touches, and once in the total.
 */

const TOTAL_LABEL = '合计';
const COUNTY_LEVEL = '县直';

interface Row {
  township_id: number | null;
  township: string | null;
  kind: string | null;
  visits: number;
  with_outcomes: number;
  [unit: string]: unknown;
}

/** The (visit, township, kind) triples of the period and subtree. */
async function groups(ctx: ServiceContext, f: LedgerFilter) {
  const path = await subtreeOf(ctx, f);
  const parts: RawBuilder<unknown>[] = [
    sql`vp.county_id = ${ctx.countyId}`,
    between(sql`v.visited_on`, periodOf(f)),
  ];
  if (path) parts.push(pairingUnder('p', path));
  return sql`
    SELECT DISTINCT vp.visit_id, pairing_org_township(p.county_id, p.helped_org_id) AS township_id, p.kind
    FROM visit_pairings vp
    JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
    JOIN visits v ON v.county_id = vp.county_id AND v.id = vp.visit_id
    WHERE ${sql.join(parts, sql` AND `)}`;
}

const sums = (from: string) =>
  sql.join(
    OUTCOME_UNITS.map((u) => sql`sum(${sql.ref(`${from}.${u.code}`)}) AS ${sql.id(u.code)}`),
    sql`, `,
  );

export const outcomesLedger: LedgerDefinition = {
  name: 'outcomes',
  titleZh: '成效台账',
  titleEn: 'Outcomes ledger',
  action: 'pairing.read',
  columns: [
    { key: 'township', zh: '乡镇（党委）', en: 'Township (committee)', width: 18 },
    { key: 'kind', zh: '结对类型', en: 'Pairing kind', width: 14 },
    { key: 'visits', zh: '活动次数', en: 'Visits', width: 10, type: 'number' },
    { key: 'withOutcomes', zh: '有成效的活动', en: 'Visits with outcomes', width: 12, type: 'number' },
    ...OUTCOME_UNITS.map(
      (u): LedgerColumn => ({
        key: u.code,
        zh: `${u.measure.zh}（${u.zh}）`,
        en: `${u.measure.en} (${u.en})`,
        width: u.code === 'yuan' ? 16 : 12,
        type: 'number',
      }),
    ),
  ],

  async count(ctx, f) {
    const g = await groups(ctx, f);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (SELECT DISTINCT township_id, kind FROM (${g}) g) x`.execute(ctx.db);
    return Number(rows[0]!.n) + 1;
  },

  async *rows(ctx, f) {
    const g = await groups(ctx, f);
    const perVisit = sql`
      SELECT o.visit_id, ${sql.join(
        OUTCOME_UNITS.map((u) => sql`sum(o.amount) FILTER (WHERE o.unit = ${u.code}) AS ${sql.id(u.code)}`),
        sql`, `,
      )}
      FROM visit_outcomes o WHERE o.county_id = ${ctx.countyId} AND o.visit_id IN (SELECT visit_id FROM g)
      GROUP BY o.visit_id`;
    const { rows } = await sql<Row>`
      WITH g AS (${g}), o AS (${perVisit})
      SELECT t.township_id, ${orgLabel(sql`${ctx.countyId}::bigint`, sql`t.township_id`)} AS township, t.kind,
             t.visits, t.with_outcomes, ${sql.join(
               OUTCOME_UNITS.map((u) => sql`${sql.ref(`t.${u.code}`)}`),
               sql`, `,
             )}
      FROM (
        SELECT g.township_id, g.kind, count(*)::int AS visits, count(o.visit_id)::int AS with_outcomes, ${sums('o')}
        FROM g LEFT JOIN o ON o.visit_id = g.visit_id
        GROUP BY g.township_id, g.kind) t
      UNION ALL
      SELECT NULL, ${TOTAL_LABEL}, NULL, count(*)::int, count(o.visit_id)::int, ${sums('o')}
      FROM (SELECT DISTINCT visit_id FROM g) d LEFT JOIN o ON o.visit_id = d.visit_id`.execute(ctx.db);
    const kindOrder = (k: string | null) => {
      const i = PAIRING_KINDS.findIndex((x) => x.code === k);
      return i < 0 ? PAIRING_KINDS.length : i;
    };
    const total = rows.find((r) => r.kind === null && r.township === TOTAL_LABEL);
    const body = rows
      .filter((r) => r !== total)
      .sort(
        (a, b) =>
          (a.township_id ?? Number.MAX_SAFE_INTEGER) - (b.township_id ?? Number.MAX_SAFE_INTEGER) ||
          kindOrder(a.kind) - kindOrder(b.kind),
      );
    const present = (r: Row, township: string, kind: string) => ({
      township,
      kind,
      visits: r.visits,
      withOutcomes: r.with_outcomes,
      ...Object.fromEntries(OUTCOME_UNITS.map((u) => [u.code, r[u.code] == null ? 0 : Number(r[u.code])])),
    });
    for (const r of body) {
      yield present(r, r.township ?? COUNTY_LEVEL, pairingKind(r.kind ?? '')?.zh ?? r.kind ?? '');
    }
    if (total) yield present(total, TOTAL_LABEL, '');
  },
};
