import { Card, Col, Row } from 'antd';
import { useMemo } from 'react';
import { Chart } from '../../../components/chart';
import { useI18n } from '../../../lib/i18n';
import type { Bucket, StructureStats } from '../api/get-structure-stats';

const RED = '#c41d1d';
const BLUE = '#1677ff';

/** The words a screen reader hears for a chart: its title and every bucket. */
const describe = (title: string, buckets: Bucket[]) =>
  `${title}：${buckets.map((b) => `${b.label} ${b.count}`).join('，')}`;

/** 党员结构: gender (pie), age band (bars) and education (bars), as the county reports them. */
export function StructureCharts({ stats }: { stats: StructureStats }) {
  const { t } = useI18n();
  const m = stats.members;

  const gender = useMemo(
    () => ({
      color: [BLUE, RED],
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['38%', '65%'],
          center: ['50%', '45%'],
          label: { formatter: '{b}\n{d}%' },
          data: m.byGender.map((b) => ({
            name: b.label,
            value: b.count,
            itemStyle: { color: b.code === 'female' ? RED : BLUE },
          })),
        },
      ],
    }),
    [m.byGender],
  );

  const age = useMemo(
    () => ({
      color: [RED],
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: m.byAgeBand.map((b) => b.label),
        axisLabel: { interval: 0, rotate: 30, fontSize: 11 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', data: m.byAgeBand.map((b) => b.count), label: { show: true, position: 'top' } },
      ],
    }),
    [m.byAgeBand],
  );

  const education = useMemo(
    () => ({
      color: ['#d4380d'],
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: m.byEducation.map((b) => b.label) },
      series: [
        { type: 'bar', data: m.byEducation.map((b) => b.count), label: { show: true, position: 'right' } },
      ],
    }),
    [m.byEducation],
  );

  const cards = [
    { key: 'gender', title: t('性别', 'Gender'), option: gender, buckets: m.byGender },
    { key: 'age', title: t('年龄', 'Age band'), option: age, buckets: m.byAgeBand },
    { key: 'education', title: t('学历', 'Education'), option: education, buckets: m.byEducation },
  ];
  return (
    <Row gutter={[12, 12]}>
      {cards.map((c) => (
        <Col key={c.key} xs={24} md={12} xl={8}>
          <Card size="small" title={c.title} styles={{ body: { padding: 8 } }}>
            <Chart option={c.option} height={260} label={describe(c.title, c.buckets)} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
