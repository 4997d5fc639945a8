import { Badge, Card, Flex, Grid, Pagination, Segmented, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../lib/i18n';
import { type StaffNotice, useNotices } from './api/notices';
import { NoticeState } from './components/notice-state';

const PAGE_SIZE = 20;

function FeedbackCount({ n }: { n: StaffNotice }) {
  const { t } = useI18n();
  if (!n.feedbackCount) return <Typography.Text type="secondary">{t('无意见', 'None')}</Typography.Text>;
  return (
    <Flex gap={6} align="center" wrap>
      <span>{t(`${n.feedbackCount}条`, `${n.feedbackCount}`)}</span>
      {n.unansweredCount > 0 && (
        <Badge
          count={t(`${n.unansweredCount}条待答复`, `${n.unansweredCount} to answer`)}
          style={{ backgroundColor: '#c41d1d' }}
        />
      )}
    </Flex>
  );
}

/** 公示管理: the public notices of my subtree, running or closed, with the feedback waiting for an answer. */
export default function NoticeList() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const wide = screens.md ?? true;
  const [params, setParams] = useSearchParams();
  const onlyOpen = params.get('open') !== 'all';
  const page = Number(params.get('page')) || 1;
  const list = useNotices({ open: onlyOpen || undefined, page, pageSize: PAGE_SIZE });
  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<StaffNotice> = [
    { title: t('公示', 'Notice'), render: (_, n) => <Link to={`/notices/${n.id}`}>{n.title}</Link> },
    { title: t('公示地点', 'Posted at'), dataIndex: 'orgName', width: 220 },
    {
      title: t('公示期', 'Period'),
      width: 200,
      render: (_, n) => `${n.startsOn} ${t('至', 'to')} ${n.endsOn}`,
    },
    { title: t('状态', 'State'), width: 90, render: (_, n) => <NoticeState open={n.open} /> },
    { title: t('群众意见', 'Feedback'), width: 170, render: (_, n) => <FeedbackCount n={n} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('公示管理', 'Public notices')}
        subtitle={list.data ? t(`共${list.data.total}则`, `${list.data.total} in all`) : undefined}
      />
      <Segmented
        style={{ marginBottom: 16 }}
        value={onlyOpen ? 'open' : 'all'}
        onChange={(v) => go({ open: v === 'all' ? 'all' : undefined, page: undefined })}
        options={[
          { value: 'open', label: t('公示中', 'Open') },
          { value: 'all', label: t('全部（含已结束）', 'All, closed too') },
        ]}
        aria-label={t('范围', 'Which notices')}
      />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState text={onlyOpen ? t('目前没有公示中的方案', 'No notice is open now') : undefined} />
      ) : wide ? (
        <Table<StaffNotice>
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
            onChange: (p) => go({ page: p === 1 ? undefined : String(p) }),
          }}
        />
      ) : (
        <>
          <Flex vertical gap={8}>
            {list.data.items.map((n) => (
              <Card key={n.id} size="small">
                <Link to={`/notices/${n.id}`} style={{ fontWeight: 500, wordBreak: 'break-word' }}>
                  {n.title}
                </Link>
                <Flex wrap gap={6} align="center" style={{ marginTop: 4 }}>
                  <NoticeState open={n.open} />
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    {n.startsOn} {t('至', 'to')} {n.endsOn}
                  </Typography.Text>
                  <FeedbackCount n={n} />
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
            onChange={(p) => go({ page: p === 1 ? undefined : String(p) })}
          />
        </>
      )}
    </>
  );
}
