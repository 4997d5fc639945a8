import { LockOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { Band } from '../../../../../src/domain/assessment.ts';
import { RunInput } from '../../../../../src/modules/assessment/schemas.ts';
import { Chart } from '../../../components/chart';
import { OrgPicker } from '../../../components/org-picker';
import { ErrorState, Loading } from '../../../components/states';
import { api } from '../../../lib/api';
import { useCan } from '../../../lib/auth';
import { formatDateTime, today } from '../../../lib/format';
import { applyServerErrors, zodRule } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import { KEYS, type Level, type ResultItem, type Run, useResults, useRuns, useSchemes } from './api';
import { DecisionForm, KINDS_BY_LEVEL } from './decision-form';
import { bandColor, bandName } from './describe';

const PAGE_SIZE = 20;

/** Starts a scoring run with the year's active scheme, for the county or a subtree. */
function RunDialog({ open, year, onDone }: { open: boolean; year: number; onDone: (run?: Run) => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<{ orgId?: number; asOf?: string }>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const submit = async (v: { orgId?: number; asOf?: string }) => {
    setBusy(true);
    setBanner(undefined);
    try {
      const run = await api.post<Run>('/api/assessment/runs', {
        year,
        ...(v.orgId ? { orgId: v.orgId } : {}),
        ...(v.asOf ? { asOf: v.asOf } : {}),
      });
      message.success(
        t(
          `计算完成：${run.scored}/${run.pairings}个结对已评定`,
          `Done: ${run.scored} of ${run.pairings} scored`,
        ),
      );
      await qc.invalidateQueries({ queryKey: KEYS.runs(year) });
      form.resetFields();
      onDone(run);
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(false);
    }
  };
  const max = year === Number(today().slice(0, 4)) ? today() : `${year}-12-31`;
  return (
    <Modal
      open={open}
      title={t(`计算${year}年度考评`, `Score ${year}`)}
      onCancel={() => !busy && onDone()}
      onOk={() => form.submit()}
      okText={busy ? t('正在计算…', 'Scoring…') : t('开始计算', 'Start')}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t(
          '按本年度启用的考评方案，对范围内（含下级）的全部结对计分，并汇总到帮扶人、党支部和乡镇。每次计算单独保存，可随时重算。',
          "Scores every pairing in the subtree with the year's active scheme and sums them up per helper, branch and township. Each run is kept; run again at any time.",
        )}
      </Typography.Paragraph>
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} disabled={busy}>
        <Form.Item name="orgId" label={t('范围', 'Subtree')}>
          <OrgPicker
            aria-label={t('范围', 'Subtree')}
            placeholder={t('全县（可选择某组织及其下级）', 'The whole county')}
          />
        </Form.Item>
        <Form.Item
          name="asOf"
          label={t('截至日期（可选）', 'As of (optional)')}
          extra={t('默认：往年为12月31日，今年为今天', 'Default: 31 December, or today this year')}
          rules={[zodRule(RunInput.shape.asOf)]}
        >
          <Input type="date" min={`${year}-01-01`} max={max} />
        </Form.Item>
      </Form>
      {busy && (
        <Typography.Text type="secondary" role="status">
          {t('正在计算，结对较多时需要十几秒…', 'Scoring; a large county takes a few seconds…')}
        </Typography.Text>
      )}
    </Modal>
  );
}

/** How many of the level fall in each band, as a bar chart; those left unscored are counted beside it. */
function BandChart({ run, level, bands }: { run: Run; level: Level; bands: readonly Band[] }) {
  const { t, lang } = useI18n();
  const all = run.bands?.[level];
  const rows = useMemo(() => (all ?? []).filter((r) => r.band !== null), [all]);
  const unscored = all?.find((r) => r.band === null)?.count ?? 0;
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: rows.map((r) => bandName(bands, r.band, r.label, lang)),
        axisLabel: { interval: 0 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          barMaxWidth: 48,
          name: t('数量', 'Count'),
          label: { show: true, position: 'top' },
          data: rows.map((r) => ({ value: r.count, itemStyle: { color: bandColor(bands, r.band) } })),
        },
      ],
    }),
    [rows, bands, t, lang],
  );
  return (
    <>
      <Chart
        option={option}
        height={220}
        label={t(
          `各等次数量：${rows.map((r) => `${r.label}${r.count}`).join('，')}`,
          `Counts per band: ${rows.map((r) => `${bandName(bands, r.band, r.label, lang)} ${r.count}`).join(', ')}`,
        )}
      />
      {unscored > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(
            `另有${unscored}个未评定（记录不足或尚未开展）`,
            `${unscored} more unscored (too few records so far)`,
          )}
        </Typography.Text>
      )}
    </>
  );
}

function Breakdown({ r }: { r: ResultItem }) {
  const { t } = useI18n();
  const narrow = Grid.useBreakpoint().md === false;
  if (!r.breakdown) return null;
  const skipped = (why: string | null) =>
    why === 'kind' ? t('不适用该类型', 'Not for this kind') : t('无记录，不计入', 'No records, left out');
  if (narrow)
    return (
      <div>
        {r.breakdown.map((b) => (
          <Flex
            key={b.code}
            justify="space-between"
            gap={8}
            style={{ padding: '4px 0', borderBottom: '1px solid #f0f0f0' }}
          >
            <span>
              {b.label}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(` · 权重${b.weight}`, ` · weight ${b.weight}`)}
              </Typography.Text>
            </span>
            {b.score !== null ? (
              <Typography.Text strong>{b.score}</Typography.Text>
            ) : (
              <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'right' }}>
                {skipped(b.skipped)}
              </Typography.Text>
            )}
          </Flex>
        ))}
        {r.coverage !== null && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`计分指标权重合计 ${r.coverage}/100`, `Scored on ${r.coverage} of 100 weights`)}
          </Typography.Text>
        )}
      </div>
    );
  return (
    <div style={{ maxWidth: 640 }}>
      <Table
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={r.breakdown}
        columns={[
          { title: t('指标', 'Indicator'), dataIndex: 'label' },
          { title: t('权重', 'Weight'), dataIndex: 'weight', width: 70, align: 'right' },
          {
            title: t('得分', 'Score'),
            width: 150,
            align: 'right',
            render: (_, b) =>
              b.score !== null ? (
                b.score
              ) : (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {skipped(b.skipped)}
                </Typography.Text>
              ),
          },
        ]}
      />
      {r.coverage !== null && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(`计分指标权重合计 ${r.coverage}/100`, `Scored on ${r.coverage} of 100 weights`)}
        </Typography.Text>
      )}
    </div>
  );
}

/** 考评结果: the runs of the year, a run's results by level with bands, and proposals on them. */
export function ResultsPanel({ year }: { year: number }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const runs = useRuns(year);
  const schemes = useSchemes(year);
  const [runId, setRunId] = useState<number>();
  const [level, setLevel] = useState<Level>('pairing');
  const [band, setBand] = useState<string>();
  const [page, setPage] = useState(1);
  const [starting, setStarting] = useState(false);
  const [deciding, setDeciding] = useState<ResultItem | null>(null);

  const list = runs.data ?? [];
  const latest = list.reduce<Run | undefined>((a, r) => (!a || r.id > a.id ? r : a), undefined);
  useEffect(() => {
    if (runId === undefined && latest) setRunId(latest.id);
  }, [runId, latest]);

  const results = useResults(runId, { level, band, page, pageSize: PAGE_SIZE });
  const run = results.data?.run ?? list.find((r) => r.id === runId);
  const bands = schemes.data?.find((s) => s.id === run?.schemeId)?.content.bands ?? [];
  const hasActive = !!schemes.data?.some((s) => s.active);
  const decide = can('assessment.decide') && KINDS_BY_LEVEL[level].length > 0;

  const narrow = screens.md === false;
  const levelTitle =
    level === 'pairing'
      ? t('结对', 'Pairing')
      : level === 'helper'
        ? t('帮扶人', 'Helper')
        : level === 'branch'
          ? t('党支部', 'Branch')
          : t('乡镇', 'Township');
  const bandTag = (r: ResultItem) =>
    r.band ? (
      <Tag color={bandColor(bands, r.band)} style={{ marginInlineEnd: 0 }}>
        {bandName(bands, r.band, r.bandLabel, lang)}
      </Tag>
    ) : (
      <Tag style={{ marginInlineEnd: 0 }}>{t('未评定', 'Unscored')}</Tag>
    );
  const proposeButton = (r: ResultItem) => (
    <Button
      size="small"
      onClick={() => setDeciding(r)}
      aria-label={t(`为${r.name}记录建议`, `Record a proposal for ${r.name}`)}
    >
      {t('记录建议', 'Propose')}
    </Button>
  );
  const who = (r: ResultItem) => (
    <>
      {r.level === 'pairing' ? <Link to={`/pairings/${r.id}`}>{r.name}</Link> : r.name}
      <div style={{ fontSize: 12, color: '#888' }}>
        {r.level === 'pairing'
          ? [r.kindLabel, r.township].filter(Boolean).join(' · ')
          : r.level === 'helper'
            ? r.orgName
            : t(`${r.scored}/${r.pairings}个结对已评定`, `${r.scored} of ${r.pairings} pairings scored`)}
      </div>
    </>
  );
  const rank: TableColumnsType<ResultItem>[number] = {
    title: band ? t('序号', 'No.') : t('名次', 'Rank'),
    width: narrow ? 48 : 64,
    render: (_, r, i) => (r.score === null ? '—' : (page - 1) * PAGE_SIZE + i + 1),
  };
  // On a phone the score, band and action go under the name: nothing to scroll sideways.
  const columns: TableColumnsType<ResultItem> = narrow
    ? [
        rank,
        {
          title: levelTitle,
          render: (_, r) => (
            <>
              {who(r)}
              <Flex wrap gap={8} align="center" style={{ marginTop: 4 }}>
                <Typography.Text strong>{r.score ?? '—'}</Typography.Text>
                {bandTag(r)}
                {decide && proposeButton(r)}
              </Flex>
            </>
          ),
        },
      ]
    : [
        rank,
        { title: levelTitle, render: (_, r) => <div style={{ minWidth: 180 }}>{who(r)}</div> },
        {
          title: t('得分', 'Score'),
          dataIndex: 'score',
          width: 80,
          align: 'right',
          render: (v: number | null) => (v === null ? '—' : <Typography.Text strong>{v}</Typography.Text>),
        },
        { title: t('等次', 'Band'), width: 100, render: (_, r) => bandTag(r) },
        ...(decide
          ? [
              {
                title: t('评议评选', 'Proposal'),
                width: 110,
                render: (_: unknown, r: ResultItem) => proposeButton(r),
              },
            ]
          : []),
      ];

  const start = can('assessment.manage') ? (
    <Button
      type="primary"
      icon={<PlayCircleOutlined />}
      onClick={() => setStarting(true)}
      disabled={!hasActive}
      title={hasActive ? undefined : t('请先启用考评方案', 'Activate a scheme first')}
    >
      {t('开始计算', 'Start a run')}
    </Button>
  ) : null;

  if (runs.isPending) return <Loading />;
  if (runs.error) return <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert
        type="warning"
        showIcon
        icon={<LockOutlined />}
        title={t(
          '考评得分和排名仅供组织部门内部掌握，不对外公布，不向党员个人公开。',
          "Scores and rankings are for the organisation department's own use: not published, not shown to members.",
        )}
      />
      {list.length === 0 ? (
        <Card size="small">
          <Empty
            description={
              hasActive
                ? t('本年度还没有计算考评结果', 'No results for this year yet')
                : t(
                    '本年度尚无启用的考评方案，请先制定并启用',
                    'No active scheme this year: make and activate one first',
                  )
            }
          >
            {start}
          </Empty>
        </Card>
      ) : (
        <Card
          size="small"
          title={t('考评计算', 'Scoring run')}
          extra={start}
          styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}
        >
          <Select
            aria-label={t('选择一次计算', 'Pick a run')}
            value={runId}
            onChange={(v) => {
              setRunId(v);
              setPage(1);
            }}
            style={{ width: '100%', maxWidth: 560, marginBottom: 12 }}
            options={[...list]
              .sort((a, b) => b.id - a.id)
              .map((r) => ({
                value: r.id,
                label: t(
                  `${formatDateTime(r.runAt)} · ${r.orgName ?? ''} · 截至${r.asOf} · 第${r.schemeVersion}版方案`,
                  `${formatDateTime(r.runAt)} · ${r.orgName ?? ''} · as of ${r.asOf} · scheme v${r.schemeVersion}`,
                ),
              }))}
          />
          {run && (
            <Row gutter={[12, 12]}>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('结对', 'Pairings')}
                  value={run.pairings}
                  styles={{ content: { fontSize: 18 } }}
                />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('已评定', 'Scored')}
                  value={run.scored}
                  styles={{ content: { fontSize: 18 } }}
                />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('截至', 'As of')}
                  value={run.asOf}
                  styles={{ content: { fontSize: 18 } }}
                />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('计算人', 'Run by')}
                  value={run.runByName ?? '—'}
                  styles={{ content: { fontSize: 18 } }}
                />
              </Col>
            </Row>
          )}
        </Card>
      )}

      {run && (
        <Card
          size="small"
          title={
            <Segmented<Level>
              value={level}
              onChange={(v) => {
                setLevel(v);
                setBand(undefined);
                setPage(1);
              }}
              options={[
                { value: 'pairing', label: t('结对', 'Pairings') },
                { value: 'helper', label: t('帮扶人', 'Helpers') },
                { value: 'branch', label: t('党支部', 'Branches') },
                { value: 'township', label: narrow ? t('乡镇', 'Towns') : t('乡镇', 'Townships') },
              ]}
              aria-label={t('考评层级', 'Level')}
            />
          }
          styles={{ header: { paddingBlock: 8 } }}
        >
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={8}>
              <Typography.Text strong>{t('等次分布', 'Bands')}</Typography.Text>
              <BandChart run={run} level={level} bands={bands} />
            </Col>
            <Col xs={24} xl={16}>
              <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 8 }}>
                <Select
                  aria-label={t('等次', 'Band')}
                  allowClear
                  placeholder={t('全部等次', 'All bands')}
                  value={band}
                  onChange={(v) => {
                    setBand(v);
                    setPage(1);
                  }}
                  style={{ width: 140 }}
                  options={bands.map((b) => ({ value: b.code, label: lang === 'en' ? b.en : b.zh }))}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('按得分从高到低', 'Best first')}
                  {level !== 'pairing' ? t('；为所含结对得分的平均', '; the mean of its pairings') : ''}
                </Typography.Text>
              </Flex>
              {results.error ? (
                <ErrorState error={results.error} onRetry={() => void results.refetch()} />
              ) : (
                <Table<ResultItem>
                  rowKey={(r) => `${r.level}-${r.id}`}
                  size="small"
                  loading={results.isFetching}
                  dataSource={results.data?.level === level ? results.data.items : []}
                  scroll={narrow ? undefined : { x: 640 }}
                  expandable={
                    level === 'pairing'
                      ? {
                          expandedRowRender: (r) => <Breakdown r={r} />,
                          rowExpandable: (r) => !!r.breakdown?.length,
                        }
                      : undefined
                  }
                  pagination={{
                    current: page,
                    pageSize: PAGE_SIZE,
                    total: results.data?.total ?? 0,
                    onChange: setPage,
                    showSizeChanger: false,
                    size: narrow ? 'small' : undefined,
                  }}
                  columns={columns}
                />
              )}
            </Col>
          </Row>
        </Card>
      )}
      <RunDialog
        open={starting}
        year={year}
        onDone={(r) => {
          setStarting(false);
          if (r) {
            setRunId(r.id);
            setPage(1);
          }
        }}
      />
      <DecisionForm target={deciding} year={year} runId={run?.id} onDone={() => setDeciding(null)} />
    </Space>
  );
}
