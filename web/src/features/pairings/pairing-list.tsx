import { EditOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Grid, Pagination, Select, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { LEVELS, LevelBadge } from '../../components/level-badge';
import { OrgPicker } from '../../components/org-picker';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan } from '../../lib/auth';
import { today } from '../../lib/format';
import { label, useI18n } from '../../lib/i18n';
import { type Pairing, usePairingKinds, usePairings } from './api/get-pairings';
import { sideName } from './sides';

const PAGE_SIZE = 20;

function Progress({ p }: { p: Pairing }) {
  const { t } = useI18n();
  const c = p.compliance;
  if (!c) return <Typography.Text type="secondary">—</Typography.Text>;
  if (!c.hasQuota)
    return <Typography.Text type="secondary">{t(`已走访${c.done}次`, `${c.done} visits`)}</Typography.Text>;
  return (
    <span>
      {c.done}/{c.required}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {' '}
        {t(`（应到${c.expectedByNow}）`, `(due ${c.expectedByNow})`)}
      </Typography.Text>
    </span>
  );
}

/**
 * 三联共建: the pairings in my sight by kind, with their compliance as of today. Filters live in the
 * address (kind, under, level, year, page), so the home screen and the dashboard link straight to a
 * filtered list and the back button keeps it.
 */
export default function PairingList() {
  const { lang, t } = useI18n();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const wide = screens.md ?? true;
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const thisYear = Number(today().slice(0, 4));
  const num = (k: string) => {
    const v = Number(params.get(k));
    return Number.isInteger(v) && v > 0 ? v : undefined;
  };
  const filter = {
    kind: params.get('kind') ?? undefined,
    under: num('under'),
    level: params.get('level') ?? undefined,
    year: num('year') ?? thisYear,
    page: num('page') ?? 1,
    pageSize: PAGE_SIZE,
  };
  const set = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };

  const kinds = usePairingKinds();
  const list = usePairings(filter);

  const columns: ColumnsType<Pairing> = [
    {
      title: t('结对', 'Pairing'),
      dataIndex: 'title',
      render: (_, p) => <Link to={`/pairings/${p.id}`}>{p.title}</Link>,
    },
    {
      title: t('类型', 'Kind'),
      dataIndex: 'kindLabel',
      width: 110,
      render: (v: string, p) => kindName(p.kind, v),
    },
    { title: t('帮扶方', 'Helper'), render: (_, p) => sideName(p.helper), width: 220 },
    { title: t('帮扶对象', 'Helped'), render: (_, p) => sideName(p.helped), width: 220 },
    { title: t('走访次数', 'Visits'), width: 130, render: (_, p) => <Progress p={p} /> },
    {
      title: t('完成情况', 'Compliance'),
      width: 120,
      render: (_, p) => <LevelBadge level={p.compliance?.level} />,
    },
  ];

  function kindName(code: string, fallback: string) {
    const k = kinds.data?.find((x) => x.code === code);
    return k ? label(lang, k.zh, k.en) : fallback;
  }

  const years = [thisYear, thisYear - 1, thisYear - 2];

  return (
    <>
      <PageHeader
        title={t('三联共建', 'Pairings')}
        subtitle={
          list.data
            ? t(
                `${filter.year}年度 · 共${list.data.total}个结对`,
                `${filter.year} · ${list.data.total} pairings`,
              )
            : undefined
        }
        extra={
          can('visit.write') ? (
            <Button icon={<EditOutlined />} onClick={() => navigate('/visits/new')}>
              {t('登记走访', 'Log a visit')}
            </Button>
          ) : undefined
        }
      />
      <Tabs
        activeKey={filter.kind ?? 'all'}
        onChange={(k) => set({ kind: k === 'all' ? undefined : k })}
        items={[
          { key: 'all', label: t('全部', 'All') },
          ...(kinds.data ?? []).map((k) => ({ key: k.code, label: label(lang, k.zh, k.en) })),
        ]}
        style={{ marginBottom: 4 }}
      />
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <div style={{ flex: '1 1 260px', maxWidth: wide ? 360 : undefined }}>
          <OrgPicker
            value={filter.under}
            onChange={(v) => set({ under: v })}
            placeholder={t('全部组织（可输入名称查找）', 'All organisations (type to find)')}
            aria-label={t('所属组织', 'Organisation')}
          />
        </div>
        <Select<string>
          allowClear
          value={filter.level}
          onChange={(v) => set({ level: v })}
          placeholder={t('全部完成情况', 'Any compliance')}
          aria-label={t('完成情况', 'Compliance')}
          style={{ flex: '1 1 150px', maxWidth: wide ? 180 : undefined }}
          options={Object.entries(LEVELS).map(([code, l]) => ({ value: code, label: t(l.zh, l.en) }))}
        />
        <Select<number>
          value={filter.year}
          onChange={(v) => set({ year: v === thisYear ? undefined : v })}
          aria-label={t('年度', 'Year')}
          style={{ flex: '0 1 110px' }}
          options={years.map((y) => ({ value: y, label: t(`${y}年度`, String(y)) }))}
        />
      </Flex>

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState text={t('没有符合条件的结对', 'No pairing matches')} />
      ) : wide ? (
        <Table<Pairing>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data.items}
          loading={list.isFetching}
          pagination={{
            current: filter.page,
            pageSize: PAGE_SIZE,
            total: list.data.total,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (n) => t(`共${n}个`, `${n} in all`),
            onChange: (page) => set({ page: page === 1 ? undefined : page }),
          }}
        />
      ) : (
        <>
          <Flex vertical gap={8}>
            {list.data.items.map((p) => (
              <Card key={p.id} size="small">
                <Flex justify="space-between" gap={8} align="start">
                  <Link
                    to={`/pairings/${p.id}`}
                    style={{ fontWeight: 500, minWidth: 0, wordBreak: 'break-word' }}
                  >
                    {p.title}
                  </Link>
                  <LevelBadge level={p.compliance?.level} />
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 13, display: 'block', marginTop: 4 }}>
                  {kindName(p.kind, p.kindLabel)} · {t('走访', 'Visits')} <Progress p={p} />
                </Typography.Text>
              </Card>
            ))}
          </Flex>
          <Pagination
            style={{ marginTop: 12, justifyContent: 'center' }}
            simple
            hideOnSinglePage
            current={filter.page}
            pageSize={PAGE_SIZE}
            total={list.data.total}
            onChange={(page) => set({ page: page === 1 ? undefined : page })}
          />
        </>
      )}
    </>
  );
}
