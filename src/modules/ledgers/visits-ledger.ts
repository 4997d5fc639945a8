import { type RawBuilder, sql } from 'kysely';
import { labelOf } from '../../domain/codes.ts';
import { OUTCOME_UNITS, VISIT_KINDS, VISIT_SUB_KINDS, type VisitKind } from '../../domain/pairings.ts';
import type { ServiceContext } from '../context.ts';
import { between, keysetPages, orgLabel, pairingUnder, periodOf, subtreeOf } from './common.ts';
import type { LedgerDefinition, LedgerFilter } from './registry.ts';

/**
 * 走访台账: every visit (活动) in the period that counts for a pairing with either side in the
 * subtree — date, kind, the pairings it counts for, what was done, who took part, what came of it.
 */

interface Row {
  id: number;
  visited_on: string;
  kind: string;
  sub_kind: string | null;
  content: string;
  problems_found: string | null;
  problems_solved: string | null;
  titles: string | null;
  township: string | null;
  participants: string | null;
  outcomes: { unit: string; amount: string | number }[] | null;
}

async function where(ctx: ServiceContext, f: LedgerFilter) {
  const path = await subtreeOf(ctx, f);
  const parts: RawBuilder<unknown>[] = [
    sql`v.county_id = ${ctx.countyId}`,
    between(sql`v.visited_on`, periodOf(f)),
  ];
  if (path) {
    parts.push(sql`EXISTS (SELECT 1 FROM visit_pairings vp JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
      WHERE vp.county_id = v.county_id AND vp.visit_id = v.id AND ${pairingUnder('p', path)})`);
  }
  return sql.join(parts, sql` AND `);
}

const kindLabel = (kind: string, subKind: string | null) => {
  const main = labelOf(VISIT_KINDS, kind) || kind;
  const subs = VISIT_SUB_KINDS[kind as VisitKind];
  const sub = subKind && subs ? labelOf(subs, subKind) || subKind : subKind;
  return sub ? `${main}（${sub}）` : main;
};

/** "50000元；30人次；2个项目", in the units' order. */
export function formatOutcomes(outcomes: readonly { unit: string; amount: string | number }[] | null) {
  if (!outcomes?.length) return null;
  return OUTCOME_UNITS.flatMap((u) => {
    const o = outcomes.find((x) => x.unit === u.code);
    return o ? [`${Number(o.amount)}${u.zh}`] : [];
  }).join('；');
}

export const visitsLedger: LedgerDefinition = {
  name: 'visits',
  titleZh: '走访台账',
  titleEn: 'Visits ledger',
  action: 'pairing.read',
  columns: [
    { key: 'id', zh: '编号', en: 'No.', width: 9, type: 'number' },
    { key: 'visitedOn', zh: '活动日期', en: 'Date', width: 12, type: 'date' },
    { key: 'kind', zh: '活动类型', en: 'Kind', width: 14 },
    { key: 'township', zh: '所属乡镇', en: 'Township', width: 14 },
    { key: 'pairings', zh: '所涉结对', en: 'Pairings', width: 40 },
    { key: 'content', zh: '活动内容', en: 'What was done', width: 50 },
    { key: 'problemsFound', zh: '发现问题', en: 'Problems found', width: 30 },
    { key: 'problemsSolved', zh: '解决问题', en: 'Problems solved', width: 30 },
    { key: 'participants', zh: '参加人员', en: 'Participants', width: 24 },
    { key: 'outcomes', zh: '活动成效', en: 'Outcomes', width: 28 },
  ],

  async count(ctx, f) {
    const w = await where(ctx, f);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM visits v WHERE ${w}`.execute(
      ctx.db,
    );
    return Number(rows[0]!.n);
  },

  async *rows(ctx, f) {
    const w = await where(ctx, f);
    const pages = keysetPages(
      ctx,
      async (db, after, limit) =>
        (
          await sql<Row>`
            SELECT v.id, v.visited_on, v.kind, v.sub_kind, v.content, v.problems_found, v.problems_solved,
                   l.titles, ${orgLabel(sql`v.county_id`, sql`pairing_org_township(v.county_id, l.helped_org_id)`)} AS township,
                   (SELECT string_agg(m.name, '、' ORDER BY m.name)
                      FROM visit_participants vp JOIN members m ON m.county_id = vp.county_id AND m.id = vp.member_id
                      WHERE vp.county_id = v.county_id AND vp.visit_id = v.id) AS participants,
                   (SELECT json_agg(json_build_object('unit', o.unit, 'amount', o.amount))
                      FROM visit_outcomes o WHERE o.county_id = v.county_id AND o.visit_id = v.id) AS outcomes
            FROM visits v
            LEFT JOIN LATERAL (
              SELECT string_agg(p.title, '；' ORDER BY p.id) AS titles,
                     (array_agg(p.helped_org_id ORDER BY p.id))[1] AS helped_org_id
              FROM visit_pairings vp JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
              WHERE vp.county_id = v.county_id AND vp.visit_id = v.id) l ON true
            WHERE ${w} AND v.id > ${after}
            ORDER BY v.id LIMIT ${limit}`.execute(db)
        ).rows,
      (r) => r.id,
    );
    for await (const page of pages) {
      for (const r of page) {
        yield {
          id: r.id,
          visitedOn: r.visited_on,
          kind: kindLabel(r.kind, r.sub_kind),
          township: r.township,
          pairings: r.titles,
          content: r.content,
          problemsFound: r.problems_found,
          problemsSolved: r.problems_solved,
          participants: r.participants,
          outcomes: formatOutcomes(r.outcomes),
        };
      }
    }
  },
};
