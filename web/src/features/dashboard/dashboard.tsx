import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Grid, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Chart } from '../../components/chart';
import { LevelBadge } from '../../components/level-badge';
import { PageHeader } from '../../components/page-header';
import { ErrorState, Loading } from '../../components/states';
import { api, type Page } from '../../lib/api';
import { useI18n } from '../../lib/i18n';

interface Levels {
  on_track: number;
  behind_pace: number;
  short: number;
  not_started: number;
  inactive: number;
  total: number;
}
interface Summary {
  year: number;
  asOf: string;
  org: { id: number; name: string };
  headline: string;
  leaders: number;
  cobuildBranches: number;
  assistMembers: number;
  compliance: Levels;
  byKind: { kind: string; kindLabel: string; levels: Levels }[];
  byTownship: { orgId: number; name: string; inScope: boolean; levels: Levels }[];
}
interface Laggard {
  id: number;
  kindLabel: string;
  title: string;
  helper: { name: string | null };
  helped: { name: string | null };
  compliance: {
    level: string;
    done: number;
    required: number;
    expectedByNow: number;
    shortfall: number;
  } | null;
}

const COLORS = { on_track: '#52c41a', behind_pace: '#fa8c16', short: '#f5222d', not_started: '#bfbfbf' };
const shortName = (name: string) =>
  name.replace(/^中共青山县|^中共|委员会$/g, '').replace(/委员会$/, '') || name;

/** The three charts' ECharts options, in the user's language. */
function chartOptions(s: Summary, lang: 'zh' | 'en', narrow: boolean) {
  const L = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const seriesOf = (rows: { levels: Levels }[]) =>
    (['on_track', 'behind_pace', 'short'] as const).map((k) => ({
      name: {
        on_track: L('进度正常', 'On track'),
        behind_pace: L('进度滞后', 'Behind pace'),
        short: L('未完成', 'Short'),
      }[k],
      type: 'bar',
      stack: 'all',
      itemStyle: { color: COLORS[k] },
      data: rows.map((r) => r.levels[k]),
    }));
  const townships = [...s.byTownship].sort((a, b) => b.levels.total - a.levels.total);
  const c = s.compliance;
  return {
    township: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: townships.map((r) => shortName(r.name)) },
      series: seriesOf(townships),
    },
    kind: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: s.byKind.map((k) => k.kindLabel),
        axisLabel: { interval: 0, rotate: narrow ? 30 : 0 },
      },
      yAxis: { type: 'value' },
      series: seriesOf(s.byKind),
    },
    pie: {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          label: { formatter: '{b}\n{c}' },
          data: [
            { name: L('进度正常', 'On track'), value: c.on_track, itemStyle: { color: COLORS.on_track } },
            {
              name: L('进度滞后', 'Behind pace'),
              value: c.behind_pace,
              itemStyle: { color: COLORS.behind_pace },
            },
            { name: L('未完成', 'Short'), value: c.short, itemStyle: { color: COLORS.short } },
            {
              name: L('未开始', 'Not started'),
              value: c.not_started,
              itemStyle: { color: COLORS.not_started },
            },
          ].filter((d) => d.value > 0),
        },
      ],
    },
  };
}

/** 统计看板: compliance for the year to date by township and by kind, the laggards, seed 000's headline. */
export default function Dashboard() {
  const { t, lang } = useI18n();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get('year') ?? thisYear);
  const org = params.get('org') ? Number(params.get('org')) : undefined;
  const [level, setLevel] = useState<'behind_pace' | 'short'>('behind_pace');

  const summary = useQuery({
    queryKey: ['summary', year, org],
    queryFn: () => api.get<Summary>('/api/reports/summary', { year, org }),
  });
  const laggards = useQuery({
    queryKey: ['laggards', year, org, level],
    queryFn: () => api.get<Page<Laggard>>('/api/pairings', { year, under: org, level, pageSize: 200 }),
  });

  const s = summary.data;
  // Only townships in the user's own subtree narrow the summary; others appear in the chart only.
  const townshipChoices = (s?.byTownship ?? []).filter((r) => r.inScope);
  const narrow = !screens.md;
  const charts = useMemo(() => (s ? chartOptions(s, lang, narrow) : null), [s, lang, narrow]);
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('统计看板', 'Compliance dashboard')}
        subtitle={s ? `${s.org.name} · ${t('截至', 'as of')} ${s.asOf}` : undefined}
        extra={
          <Space wrap>
            <Select
              aria-label={t('年度', 'Year')}
              value={year}
              style={{ width: 110 }}
              onChange={(v) => setParam('year', String(v))}
              options={[thisYear - 1, thisYear].map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))}
            />
            {(org !== undefined || townshipChoices.length > 1) && (
              <Select
                aria-label={t('乡镇', 'Township')}
                allowClear
                placeholder={t('全部', 'All')}
                value={org}
                style={{ width: 180 }}
                onChange={(v) => setParam('org', v ? String(v) : undefined)}
                options={townshipChoices.map((r) => ({ value: r.orgId, label: shortName(r.name) }))}
              />
            )}
          </Space>
        }
      />
      {summary.isPending && <Loading />}
      {summary.error && <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />}
      {s && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Alert
            type="info"
            showIcon={false}
            title={<Typography.Text strong>{s.headline}</Typography.Text>}
          />
          <Row gutter={[12, 12]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('结对总数', 'Pairings')} value={s.compliance.total} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('进度正常', 'On track')}
                  value={s.compliance.on_track}
                  styles={{ content: { color: COLORS.on_track } }}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('进度滞后', 'Behind pace')}
                  value={s.compliance.behind_pace}
                  styles={{ content: { color: COLORS.behind_pace } }}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('年终未完成', 'Short')}
                  value={s.compliance.short}
                  styles={{ content: { color: COLORS.short } }}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={16}>
              <Card size="small" title={t('各乡镇完成情况', 'By township')}>
                <Chart
                  option={charts?.township ?? {}}
                  height={Math.max(260, s.byTownship.length * 26 + 60)}
                  label={t('各乡镇完成情况柱状图', 'Bar chart by township')}
                />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card size="small" title={t('总体完成情况', 'Overall')}>
                <Chart
                  option={charts?.pie ?? {}}
                  height={300}
                  label={t('总体完成情况饼图', 'Pie chart of levels')}
                />
              </Card>
              <Card size="small" title={t('各类结对完成情况', 'By kind')} style={{ marginTop: 12 }}>
                <Chart
                  option={charts?.kind ?? {}}
                  height={280}
                  label={t('各类结对完成情况柱状图', 'Bar chart by kind')}
                />
              </Card>
            </Col>
          </Row>
          <Card
            size="small"
            title={t('滞后与未完成的结对', 'Laggards')}
            extra={
              <Select
                aria-label={t('类别', 'Which')}
                value={level}
                onChange={setLevel}
                style={{ width: 130 }}
                options={[
                  { value: 'behind_pace', label: t('进度滞后', 'Behind pace') },
                  { value: 'short', label: t('年终未完成', 'Short') },
                ]}
              />
            }
          >
            {laggards.error ? (
              <ErrorState error={laggards.error} />
            ) : (
              <Table<Laggard>
                size="small"
                rowKey="id"
                loading={laggards.isPending}
                dataSource={laggards.data?.items ?? []}
                scroll={{ x: 640 }}
                pagination={{ pageSize: 10, showSizeChanger: false }}
                columns={[
                  {
                    title: t('结对', 'Pairing'),
                    dataIndex: 'title',
                    render: (v: string, r) => <Link to={`/pairings/${r.id}`}>{v}</Link>,
                  },
                  { title: t('类型', 'Kind'), dataIndex: 'kindLabel', width: 100 },
                  {
                    title: t('走访', 'Visits'),
                    width: 130,
                    render: (_, r) =>
                      r.compliance
                        ? `${r.compliance.done} / ${t('应', 'due')} ${r.compliance.expectedByNow} / ${t('全年', 'year')} ${r.compliance.required}`
                        : '',
                  },
                  {
                    title: t('状态', 'Level'),
                    width: 110,
                    render: (_, r) => <LevelBadge level={r.compliance?.level} />,
                  },
                ]}
              />
            )}
          </Card>
        </Space>
      )}
    </>
  );
}
