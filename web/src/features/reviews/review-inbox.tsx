import { Card, Flex, Grid, Pagination, Segmented, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { PlanStatusTag } from '../../components/plan-view';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n';
import { type PlanSummary, usePlans } from './api/plans';

const PAGE_SIZE = 20;
const STATUSES = [
  { code: 'draft', zh: '草稿', en: 'Draft' },
  { code: 'submitted', zh: '待审查', en: 'Submitted for review' },
  { code: 'reviewed', zh: '已审查(待审定)', en: 'Reviewed, awaiting approval' },
  { code: 'approved', zh: '已审定(待公示)', en: 'Approved, awaiting notice' },
  { code: 'in_notice', zh: '公示中', en: 'Under public notice' },
  { code: 'in_force', zh: '已生效', en: 'In force' },
];

function Resubmitted({ plan }: { plan: PlanSummary }) {
  const { t } = useI18n();
  return plan.lastReturnReason ? (
    <Tag color="orange" style={{ marginInlineEnd: 0 }}>
      {t('退回后重新提交', 'Resubmitted after being sent back')}
    </Tag>
  ) : null;
}

/**
 * 方案审核: the plans waiting for me — submitted plans my committee reviews (审查), reviewed plans the
 * county approves (审定) — and, on a switch, all plans in my sight by status.
 */
export default function ReviewInbox() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const wide = screens.md ?? true;
  const [params, setParams] = useSearchParams();
  const all = params.get('view') === 'all';
  const status = all ? (params.get('status') ?? undefined) : undefined;
  const page = Number(params.get('page')) || 1;
  const list = usePlans({ inbox: all ? undefined : true, status, page, pageSize: PAGE_SIZE });
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<PlanSummary> = [
    {
      title: t('方案', 'Plan'),
      dataIndex: 'title',
      render: (_, p) => (
        <Flex vertical gap={2} align="start">
          <Link to={`/reviews/${p.id}`}>{p.title}</Link>
          <Resubmitted plan={p} />
        </Flex>
      ),
    },
    { title: t('类型', 'Kind'), dataIndex: 'pairingKindLabel', width: 110 },
    { title: t('帮扶方', 'Helper'), dataIndex: 'helperName', width: 200 },
    { title: t('被帮扶方', 'Helped'), dataIndex: 'helpedOrgName', width: 200 },
    {
      title: t('状态', 'Status'),
      width: 150,
      render: (_, p) => <PlanStatusTag status={p.status} label={p.statusLabel} />,
    },
    { title: t('更新时间', 'Updated'), width: 150, render: (_, p) => formatDateTime(p.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title={t('方案审核', 'Plan review')}
        subtitle={
          list.data
            ? all
              ? t(`共${list.data.total}个方案`, `${list.data.total} plans`)
              : t(`${list.data.total}个方案待我处理`, `${list.data.total} plans waiting for me`)
            : undefined
        }
      />
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <Segmented
          value={all ? 'all' : 'inbox'}
          onChange={(v) => set({ view: v === 'all' ? 'all' : undefined, status: undefined })}
          options={[
            { value: 'inbox', label: t('待我处理', 'Waiting for me') },
            { value: 'all', label: t('全部方案', 'All plans') },
          ]}
          aria-label={t('范围', 'Which plans')}
        />
        {all && (
          <Select<string>
            allowClear
            value={status}
            onChange={(v) => set({ status: v })}
            placeholder={t('全部状态', 'Any status')}
            aria-label={t('状态', 'Status')}
            style={{ minWidth: 170 }}
            options={STATUSES.map((s) => ({ value: s.code, label: t(s.zh, s.en) }))}
          />
        )}
      </Flex>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState
          text={
            all
              ? t('没有符合条件的方案', 'No plan matches')
              : t('没有待我处理的方案', 'Nothing waits for you')
          }
        />
      ) : wide ? (
        <Table<PlanSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data.items}
          loading={list.isFetching}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data.total,
            showSizeChanger: false,
            hideOnSinglePage: true,
            onChange: (p) => set({ page: p === 1 ? undefined : String(p) }),
          }}
        />
      ) : (
        <>
          <Flex vertical gap={8}>
            {list.data.items.map((p) => (
              <Card key={p.id} size="small">
                <Link to={`/reviews/${p.id}`} style={{ fontWeight: 500, wordBreak: 'break-word' }}>
                  {p.title}
                </Link>
                <Flex wrap gap={6} align="center" style={{ marginTop: 4 }}>
                  <PlanStatusTag status={p.status} label={p.statusLabel} />
                  <Resubmitted plan={p} />
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    {p.pairingKindLabel} · {formatDateTime(p.updatedAt)}
                  </Typography.Text>
                </Flex>
              </Card>
            ))}
          </Flex>
          <Pagination
            simple
            hideOnSinglePage
            style={{ marginTop: 12, justifyContent: 'center' }}
            current={page}
            pageSize={PAGE_SIZE}
            total={list.data.total}
            onChange={(p) => set({ page: p === 1 ? undefined : String(p) })}
          />
        </>
      )}
    </>
  );
}
