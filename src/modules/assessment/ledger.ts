import type { IndicatorScore, SchemeContent } from '../../domain/assessment.ts';
import { pairingKind } from '../../domain/pairings.ts';
import type { ServiceContext } from '../context.ts';
import { keysetPages, subtreeOf } from '../ledgers/common.ts';
import type { LedgerDefinition, LedgerFilter } from '../ledgers/registry.ts';
import { countyToday } from '../plans/clock.ts';
import { schemeContent } from './presenter.ts';
import * as repo from './repository.ts';

/**
 * 考评结果台账: the latest scoring run of the year (the filter's year, else the year its period ends
 * in, else this year), one row per pairing the user sees (either side in the subtree), with its
 * score, band and each indicator's points. For the organisation department's own files.
 */

function yearOf(f: LedgerFilter) {
  if (f.year !== undefined) return f.year;
  const end = f.to ?? f.from;
  return Number((end ?? countyToday()).slice(0, 4));
}

/** "到点工作完成率 100；群众满意度 86.5；督查发现问题整改 未计（无记录）" */
function breakdownText(raw: unknown, scheme: SchemeContent) {
  const labels = new Map(scheme.indicators.map((i) => [i.code, i.zh]));
  const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IndicatorScore[];
  return items
    .map((b) => {
      const label = labels.get(b.code) ?? b.code;
      if (b.score !== null) return `${label} ${b.score}`;
      return `${label} 未计（${b.skipped === 'kind' ? '不适用' : '无记录'}）`;
    })
    .join('；');
}

async function runOf(ctx: ServiceContext, f: LedgerFilter) {
  const runId = await repo.latestRunId(ctx.db, ctx.countyId, yearOf(f));
  return runId === undefined ? undefined : repo.findRun(ctx.db, ctx.countyId, runId);
}

export const assessmentLedger: LedgerDefinition = {
  name: 'assessment',
  titleZh: '年终考评结果台账',
  titleEn: 'Year-end assessment results ledger',
  action: 'assessment.read',
  columns: [
    { key: 'year', zh: '考评年度', en: 'Year', width: 9, type: 'number' },
    { key: 'township', zh: '所属乡镇', en: 'Township', width: 14 },
    { key: 'pairingId', zh: '结对编号', en: 'Pairing no.', width: 9, type: 'number' },
    { key: 'title', zh: '结对名称', en: 'Pairing', width: 36 },
    { key: 'kind', zh: '结对类型', en: 'Kind', width: 10 },
    { key: 'helper', zh: '帮扶方', en: 'Helper', width: 20 },
    { key: 'helped', zh: '被帮扶方', en: 'Helped', width: 24 },
    { key: 'score', zh: '得分', en: 'Score', width: 8, type: 'number' },
    { key: 'band', zh: '等次', en: 'Band', width: 8 },
    { key: 'coverage', zh: '计分权重', en: 'Weights applied', width: 9, type: 'number' },
    { key: 'breakdown', zh: '各项得分', en: 'Indicators', width: 60 },
    { key: 'asOf', zh: '考评截至', en: 'As of', width: 12, type: 'date' },
    { key: 'scheme', zh: '考评方案', en: 'Scheme', width: 30 },
  ],

  async count(ctx, f) {
    const run = await runOf(ctx, f);
    if (!run) return 0;
    const underPath = await subtreeOf(ctx, f);
    return (await repo.pairingResults(ctx.db, ctx.countyId, run.id, { underPath, limit: 0, offset: 0 }))
      .total;
  },

  async *rows(ctx, f) {
    const run = await runOf(ctx, f);
    if (!run) return;
    const underPath = await subtreeOf(ctx, f);
    const scheme = schemeContent(run.scheme_content);
    const bands = new Map(scheme.bands.map((b) => [b.code, b.zh]));
    const pages = keysetPages(
      ctx,
      async (db, after, limit) =>
        (
          await repo.pairingResults(db, ctx.countyId, run.id, {
            underPath,
            limit,
            offset: 0,
            afterPairingId: after,
          })
        ).items,
      (r) => r.pairing_id,
    );
    for await (const page of pages) {
      for (const r of page) {
        yield {
          year: run.year,
          township: r.township_name,
          pairingId: r.pairing_id,
          title: r.title,
          kind: pairingKind(r.kind)?.zh ?? r.kind,
          helper: r.helper_name ?? r.helper_org_name,
          helped: r.helped_org_name,
          score: r.score === null ? null : Number(r.score),
          band: r.band === null ? '未评定' : (bands.get(r.band) ?? r.band),
          coverage: Number(r.coverage),
          breakdown: breakdownText(r.breakdown, scheme),
          asOf: run.as_of,
          scheme: `${run.scheme_title}（第${run.scheme_version}版）`,
        };
      }
    }
  },
};
