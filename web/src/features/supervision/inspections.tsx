import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Progress, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';
import { type Check, useChecks, useRounds } from './api';
import { CheckForm } from './check-form';
import { RoundForm } from './round-form';

const CONCLUSION_COLOR: Record<string, string> = { good: 'success', fair: 'warning', problems: 'error' };

/** 督查检查: the quarter's rounds and their progress, the checks made, and recording a check. */
export default function Inspections() {
  const { t } = useI18n();
  const can = useCan();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [status, setStatus] = useState<'done' | 'planned'>('done');
  const [round, setRound] = useState<number>();
  const [page, setPage] = useState(1);
  const [form, setForm] = useState<{ open: boolean; planned: Check | null }>({ open: false, planned: null });
  const [roundForm, setRoundForm] = useState(false);
  const rounds = useRounds(year);
  const checks = useChecks({ status, round, page, pageSize: 20 });

  return (
    <>
      <PageHeader
        title={t('督查检查', 'Checks')}
        subtitle={t(
          '季度检查、半年通报、年终考评',
          'Quarterly checks, the half-year bulletin, the year-end assessment',
        )}
        extra={
          <Space wrap>
            <Select
              aria-label={t('年度', 'Year')}
              value={year}
              onChange={setYear}
              style={{ width: 110 }}
              options={[thisYear - 1, thisYear].map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))}
            />
            {can('inspection.write') && (
              <Button icon={<PlusOutlined />} onClick={() => setRoundForm(true)}>
                {t('安排督查轮次', 'Plan a round')}
              </Button>
            )}
            {can('inspection.write') && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setForm({ open: true, planned: null })}
              >
                {t('记录督查', 'Record a check')}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" title={t('督查轮次', 'Check rounds')} style={{ marginBottom: 16 }}>
        {rounds.isPending && <Loading />}
        {rounds.error && <ErrorState error={rounds.error} />}
        {rounds.data && rounds.data.items.length === 0 && (
          <EmptyState text={t('本年度还没有督查轮次', 'No rounds this year')} />
        )}
        <Row gutter={[12, 12]}>
          {rounds.data?.items.map((r) => {
            const pct = r.progress.items ? Math.round((r.progress.done / r.progress.items) * 100) : 0;
            return (
              <Col xs={24} md={12} xl={8} key={r.id}>
                <Card
                  size="small"
                  hoverable
                  onClick={() => {
                    setRound(round === r.id ? undefined : r.id);
                    setPage(1);
                  }}
                  style={{ borderColor: round === r.id ? '#c41d1d' : undefined }}
                >
                  <Typography.Text strong>{r.title}</Typography.Text>
                  <div style={{ fontSize: 12, color: '#888' }}>
                    {r.quarterLabel} · {r.orgName} {r.dueOn ? `· ${t('时限', 'due')} ${r.dueOn}` : ''}
                  </div>
                  <Progress percent={pct} size="small" />
                  <Space wrap size={4}>
                    <Tag>
                      {t(
                        `已查${r.progress.done}/${r.progress.items}`,
                        `${r.progress.done}/${r.progress.items} checked`,
                      )}
                    </Tag>
                    {r.progress.withProblems > 0 && (
                      <Tag color="warning">
                        {t(`发现问题${r.progress.withProblems}`, `${r.progress.withProblems} with problems`)}
                      </Tag>
                    )}
                    {r.progress.openRectifications > 0 && (
                      <Tag color={r.progress.overdueRectifications ? 'error' : 'processing'}>
                        {t(`整改中${r.progress.openRectifications}`, `${r.progress.openRectifications} open`)}
                      </Tag>
                    )}
                  </Space>
                </Card>
              </Col>
            );
          })}
        </Row>
      </Card>
      <Card
        size="small"
        title={round ? t('本轮检查', 'Checks of the round') : t('检查记录', 'Checks')}
        extra={
          <Segmented
            value={status}
            onChange={(v) => {
              setStatus(v as 'done' | 'planned');
              setPage(1);
            }}
            options={[
              { value: 'done', label: t('已检查', 'Done') },
              { value: 'planned', label: t('待检查', 'Planned') },
            ]}
          />
        }
      >
        {checks.error ? (
          <ErrorState error={checks.error} onRetry={() => void checks.refetch()} />
        ) : (
          <Table<Check>
            rowKey="id"
            size="small"
            loading={checks.isPending}
            dataSource={checks.data?.items ?? []}
            scroll={{ x: 820 }}
            pagination={{
              current: page,
              pageSize: 20,
              total: checks.data?.total ?? 0,
              onChange: setPage,
              showSizeChanger: false,
            }}
            columns={[
              {
                title: t('检查对象', 'Checked'),
                render: (_, c) => (
                  <div style={{ minWidth: 180 }}>
                    {c.target.pairingId ? (
                      <Link to={`/pairings/${c.target.pairingId}`}>{c.target.name}</Link>
                    ) : (
                      c.target.name
                    )}
                    <div style={{ fontSize: 12, color: '#888' }}>
                      {c.target.typeLabel}
                      {c.township ? ` · ${c.township}` : ''}
                    </div>
                  </div>
                ),
              },
              { title: t('方式', 'Method'), dataIndex: 'methodLabel', width: 90 },
              { title: t('日期', 'Date'), dataIndex: 'checkedOn', width: 105 },
              {
                title: t('结论', 'Conclusion'),
                width: 100,
                render: (_, c) =>
                  c.conclusion ? (
                    <Tag color={CONCLUSION_COLOR[c.conclusion]}>{c.conclusionLabel}</Tag>
                  ) : (
                    <Tag>{c.statusLabel}</Tag>
                  ),
              },
              { title: t('检查情况', 'Findings'), dataIndex: 'findings', ellipsis: true },
              {
                title: t('整改', 'Rectifications'),
                width: 110,
                render: (_, c) =>
                  c.rectifications.total === 0 ? (
                    '—'
                  ) : (
                    <Link to="/rectifications">
                      {t(
                        `${c.rectifications.open}/${c.rectifications.total}未销号`,
                        `${c.rectifications.open}/${c.rectifications.total} open`,
                      )}
                    </Link>
                  ),
              },
              {
                title: status === 'planned' ? t('检查人', 'Assigned') : t('检查人', 'By'),
                width: 150,
                render: (_, c) =>
                  c.status === 'planned' ? (
                    <Space>
                      <span>{c.assignedToName}</span>
                      {can('inspection.write') && (
                        <Button
                          size="small"
                          type="primary"
                          ghost
                          onClick={() => setForm({ open: true, planned: c })}
                        >
                          {t('完成', 'Complete')}
                        </Button>
                      )}
                    </Space>
                  ) : (
                    c.checkedByName
                  ),
              },
            ]}
          />
        )}
      </Card>
      <CheckForm
        open={form.open}
        planned={form.planned}
        onClose={() => setForm({ open: false, planned: null })}
        rounds={rounds.data?.items ?? []}
      />
      <RoundForm open={roundForm} onClose={() => setRoundForm(false)} />
    </>
  );
}
