import type { Bucket, StructureStats } from '../../modules/stats/service.ts';

/** The structure statistics as a clerk reads them in a terminal. */
export function formatStats(s: StructureStats): string {
  const line = (label: string, value: string | number) => `  ${label.padEnd(14, '　')} ${value}`;
  const table = (title: string, buckets: Bucket[]) =>
    [
      `${title}`,
      ...buckets.map((b) => line(b.label, `${b.count}（${pct(b.count, s.members.total)}%）`)),
    ].join('\n');
  const pct = (n: number, d: number) => (d ? ((n / d) * 100).toFixed(1) : '0.0');
  return [
    `${s.org.name} 党组织和党员结构统计（截至${s.asOf}）/ structure statistics`,
    '',
    line('基层党(工)委', s.orgs.committees),
    line('党支部', s.orgs.branches),
    line('其中村党支部', s.orgs.villageBranches),
    line('党员', s.members.total),
    line('其中农村党员', s.members.rural),
    line('正式/预备', `${s.members.full} / ${s.members.probationary}`),
    line('女党员', `${s.members.women}（${s.members.womenPercent}%）`),
    line('平均年龄', s.members.averageAge),
    line('今年发展', s.members.newThisYear),
    line('入党积极分子', s.pipeline.activists),
    line('困难党员', s.members.needy),
    line('流动党员', s.members.mobile),
    line('县级/科级领导', `${s.leaders.county} / ${s.leaders.section}`),
    line('农户/困难户', `${s.households.total} / ${s.households.needy}`),
    '',
    table('年龄结构 / by age band', s.members.byAgeBand),
    table('学历结构 / by education', s.members.byEducation),
    table('领域分布 / by sector', s.members.bySector),
  ].join('\n');
}
