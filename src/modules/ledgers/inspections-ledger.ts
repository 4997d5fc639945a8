import { type RawBuilder, sql } from 'kysely';
import { labelOf } from '../../domain/codes.ts';
import type { ServiceContext } from '../context.ts';
import { rectificationStatus } from '../inspections/presenter.ts';
import { CONCLUSIONS, METHODS, RECTIFICATION_STATUSES, TARGET_TYPES } from '../inspections/schemas.ts';
import { countyToday } from '../plans/clock.ts';
import { between, keysetPages, orgLabel, pairingUnder, periodOf, subtreeOf } from './common.ts';
import type { LedgerDefinition, LedgerFilter } from './registry.ts';

/**
 * 督查整改台账: every check done in the period of an organisation in the subtree (or of a pairing
 * with either side in it), one row per problem found and its rectification — a check that found
 * none is one row with the rectification columns empty.
 */

interface Rect {
  problem: string;
  owner_org: string | null;
  owner_name: string | null;
  due_on: string;
  status: 'open' | 'closed';
  evidence: string | null;
  closed_on: string | null;
}

interface Row {
  id: number;
  checked_on: string;
  round_title: string | null;
  pairing_id: number | null;
  target: string | null;
  township: string | null;
  method: string;
  checked_by_name: string | null;
  conclusion: string;
  findings: string | null;
  rects: Rect[] | null;
}

async function where(ctx: ServiceContext, f: LedgerFilter) {
  const path = await subtreeOf(ctx, f);
  const parts: RawBuilder<unknown>[] = [
    sql`i.county_id = ${ctx.countyId}`,
    sql`i.status = 'done'`,
    between(sql`i.checked_on`, periodOf(f)),
  ];
  if (path) {
    parts.push(sql`(EXISTS (SELECT 1 FROM orgs o WHERE o.county_id = i.county_id AND o.id = i.org_id AND o.path <@ ${path}::ltree)
      OR EXISTS (SELECT 1 FROM pairings p WHERE p.county_id = i.county_id AND p.id = i.pairing_id AND ${pairingUnder('p', path)}))`);
  }
  return sql.join(parts, sql` AND `);
}

export const inspectionsLedger: LedgerDefinition = {
  name: 'inspections',
  titleZh: '督查整改台账',
  titleEn: 'Checks and rectifications ledger',
  action: 'inspection.read',
  columns: [
    { key: 'checkId', zh: '检查编号', en: 'Check no.', width: 9, type: 'number' },
    { key: 'checkedOn', zh: '检查日期', en: 'Checked on', width: 12, type: 'date' },
    { key: 'round', zh: '督查轮次', en: 'Round', width: 24 },
    { key: 'targetType', zh: '检查对象类型', en: 'Checked', width: 10 },
    { key: 'target', zh: '检查对象', en: 'What was checked', width: 36 },
    { key: 'township', zh: '所属乡镇', en: 'Township', width: 14 },
    { key: 'method', zh: '检查方式', en: 'Method', width: 10 },
    { key: 'checkedBy', zh: '检查人', en: 'Checked by', width: 12 },
    { key: 'conclusion', zh: '检查结论', en: 'Conclusion', width: 10 },
    { key: 'findings', zh: '检查情况', en: 'Findings', width: 40 },
    { key: 'problem', zh: '发现问题', en: 'Problem', width: 36 },
    { key: 'owner', zh: '整改责任单位', en: 'Owner', width: 24 },
    { key: 'ownerName', zh: '责任人', en: 'Person responsible', width: 12 },
    { key: 'dueOn', zh: '整改期限', en: 'Due', width: 12, type: 'date' },
    { key: 'status', zh: '整改状态', en: 'Status', width: 12 },
    { key: 'evidence', zh: '整改情况', en: 'What was done', width: 40 },
    { key: 'closedOn', zh: '销号日期', en: 'Closed on', width: 12, type: 'date' },
  ],

  async count(ctx, f) {
    const w = await where(ctx, f);
    const { rows } = await sql<{ n: number }>`
      SELECT coalesce(sum(greatest(1, (SELECT count(*) FROM rectifications r
        WHERE r.county_id = i.county_id AND r.inspection_id = i.id))), 0)::int AS n
      FROM inspections i WHERE ${w}`.execute(ctx.db);
    return Number(rows[0]!.n);
  },

  async *rows(ctx, f) {
    const w = await where(ctx, f);
    const today = countyToday();
    const pages = keysetPages(
      ctx,
      async (db, after, limit) =>
        (
          await sql<Row>`
            SELECT i.id, i.checked_on, r.title AS round_title, i.pairing_id,
                   coalesce(p.title, ${orgLabel(sql`i.county_id`, sql`i.org_id`)}) AS target,
                   ${orgLabel(
                     sql`i.county_id`,
                     sql`pairing_org_township(i.county_id, coalesce(p.helped_org_id, i.org_id))`,
                   )} AS township,
                   i.method, i.checked_by_name, i.conclusion, i.findings,
                   (SELECT json_agg(json_build_object(
                       'problem', f.problem, 'owner_org', ${orgLabel(sql`f.county_id`, sql`f.owner_org_id`)},
                       'owner_name', f.owner_name, 'due_on', f.due_on, 'status', f.status,
                       'evidence', f.evidence, 'closed_on', f.closed_on) ORDER BY f.id)
                    FROM rectifications f WHERE f.county_id = i.county_id AND f.inspection_id = i.id) AS rects
            FROM inspections i
            LEFT JOIN inspection_rounds r ON r.county_id = i.county_id AND r.id = i.round_id
            LEFT JOIN pairings p ON p.county_id = i.county_id AND p.id = i.pairing_id
            WHERE ${w} AND i.id > ${after}
            ORDER BY i.id LIMIT ${limit}`.execute(db)
        ).rows,
      (r) => r.id,
    );
    for await (const page of pages) {
      for (const r of page) {
        const type = r.pairing_id === null ? 'org' : 'pairing';
        const check = {
          checkId: r.id,
          checkedOn: r.checked_on,
          round: r.round_title,
          targetType: labelOf(TARGET_TYPES, type),
          target: r.target,
          township: r.township,
          method: labelOf(METHODS, r.method),
          checkedBy: r.checked_by_name,
          conclusion: labelOf(CONCLUSIONS, r.conclusion),
          findings: r.findings,
        };
        if (!r.rects?.length) {
          yield check;
          continue;
        }
        for (const x of r.rects) {
          yield {
            ...check,
            problem: x.problem,
            owner: x.owner_org,
            ownerName: x.owner_name,
            dueOn: x.due_on,
            status: labelOf(RECTIFICATION_STATUSES, rectificationStatus(x, today)),
            evidence: x.evidence,
            closedOn: x.closed_on,
          };
        }
      }
    }
  },
};
