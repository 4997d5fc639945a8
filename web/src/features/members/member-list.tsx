import { ExportOutlined, ImportOutlined } from '@ant-design/icons';
import { Card, Flex, Grid, List, Space, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { GENDERS, labelOf } from '../../../../src/domain/codes.ts';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState } from '../../components/states';
import { useCan } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';
import { type Member, type MemberFilters, useMembers } from './api/get-members';
import { FILTER_KEYS, MemberFiltersForm } from './components/member-filters';
import { type Reveal, RevealButton, useReveal } from './components/reveal';

function Flags({ m }: { m: Member }) {
  const { t } = useI18n();
  const tags: ReactNode[] = [];
  if (m.category !== 'full') tags.push(<Tag key="c">{m.categoryLabel}</Tag>);
  if (m.status !== 'normal') tags.push(<Tag key="s">{m.statusLabel}</Tag>);
  if (m.isNeedy)
    tags.push(
      <Tag key="n" color="orange">
        {t('困难', 'Needy')}
      </Tag>,
    );
  if (m.mobileTo)
    tags.push(
      <Tag key="m" color="blue">
        {t('流动', 'Mobile')}
      </Tag>,
    );
  if (m.isVeteran)
    tags.push(
      <Tag key="v" color="gold">
        {t('老党员', 'Veteran')}
      </Tag>,
    );
  if (m.leaderRank)
    tags.push(
      <Tag key="l" color="red">
        {t('领导干部', 'Leader')}
      </Tag>,
    );
  return tags.length ? (
    <Flex wrap gap={4}>
      {tags}
    </Flex>
  ) : null;
}

/** ID number and phone: masked, or in full for a row the user chose to show. */
function Identity({ m, reveal, field }: { m: Member; reveal: Reveal; field: 'idNumber' | 'phone' }) {
  const full = reveal.shown.get(m.id);
  const value = full ? full[field] : m[field];
  return (
    <Typography.Text
      style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
      type={full ? undefined : 'secondary'}
      copyable={full && value ? { text: value } : false}
    >
      {value ?? '—'}
    </Typography.Text>
  );
}

/** 党员: the members of my subtree with filters, masked ID numbers and phones, and an audited show. */
export default function MemberList() {
  const { t } = useI18n();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const wide = Grid.useBreakpoint().md ?? true;
  const reveal = useReveal();

  const filters: MemberFilters = Object.fromEntries(
    [...FILTER_KEYS, 'page', 'pageSize'].flatMap((k) => {
      const v = params.get(k);
      return v ? [[k, v]] : [];
    }),
  );
  const page = Number(filters.page ?? 1);
  const pageSize = Number(filters.pageSize ?? 20);
  const list = useMembers({ ...filters, page: String(page), pageSize: String(pageSize) });

  const update = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) merged.set(k, v);
      else merged.delete(k);
    }
    setParams(merged);
  };
  const paging = {
    current: page,
    pageSize,
    total: list.data?.total ?? 0,
    onChange: (p: number, size: number) =>
      update({ page: p === 1 ? undefined : String(p), pageSize: size === 20 ? undefined : String(size) }),
  };
  const empty = <EmptyState text={t('没有符合条件的人员', 'No one matches these filters')} />;
  const gender = (m: Member) => labelOf(GENDERS, m.gender) || m.gender;

  return (
    <>
      <PageHeader
        title={t('党员', 'Members')}
        subtitle={list.data ? t(`共 ${list.data.total} 人`, `${list.data.total} in all`) : undefined}
        extra={
          <Space wrap size="middle">
            {can('import.run') && (
              <Link to="/members/import">
                <ImportOutlined /> {t('导入花名册', 'Import a sheet')}
              </Link>
            )}
            {can('ledger.export') && (
              // The roster is a ledger: exported as a job with progress, on the ledgers page.
              <Link to="/ledgers">
                <ExportOutlined /> {t('导出花名册', 'Export the roster')}
              </Link>
            )}
          </Space>
        }
      />
      <MemberFiltersForm filters={filters} onApply={(f) => update({ ...f, page: undefined })} />
      {reveal.allowed && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
          {t(
            '身份证号和电话已脱敏。点“显示”查看某一行的完整信息，每次查看都会记入审计日志。',
            'ID numbers and phones are masked. "Show" reveals one row; every view is recorded in the audit log.',
          )}
        </Typography.Paragraph>
      )}
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : wide ? (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <Table<Member>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: list.isPending ? ' ' : empty }}
            scroll={{ x: true }}
            pagination={{
              ...paging,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              showTotal: (n) => t(`共 ${n} 人`, `${n} in all`),
            }}
            columns={[
              {
                title: t('姓名', 'Name'),
                dataIndex: 'name',
                fixed: 'left',
                render: (_, m) => <Link to={`/members/${m.id}`}>{m.name}</Link>,
              },
              {
                title: t('性别', 'Gender'),
                key: 'gender',
                width: 64,
                render: (_, m) => gender(m),
              },
              { title: t('年龄', 'Age'), dataIndex: 'age', width: 64 },
              {
                title: t('所在党组织', 'Branch'),
                dataIndex: 'orgName',
                ellipsis: true,
                render: (_, m) => <Link to={`/orgs/${m.orgId}`}>{m.orgName}</Link>,
              },
              {
                title: t('身份证号', 'ID number'),
                key: 'idNumber',
                render: (_, m) => <Identity m={m} reveal={reveal} field="idNumber" />,
              },
              {
                title: t('联系电话', 'Phone'),
                key: 'phone',
                render: (_, m) => <Identity m={m} reveal={reveal} field="phone" />,
              },
              { title: t('学历', 'Education'), dataIndex: 'educationLabel', width: 100 },
              { title: t('标记', 'Flags'), key: 'flags', render: (_, m) => <Flags m={m} /> },
              ...(reveal.allowed
                ? [
                    {
                      title: t('操作', 'Action'),
                      key: 'action',
                      width: 72,
                      render: (_: unknown, m: Member) => (
                        <RevealButton reveal={reveal} id={m.id} name={m.name} />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      ) : (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <List<Member>
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: list.isPending ? ' ' : empty }}
            pagination={
              paging.total > pageSize
                ? { ...paging, size: 'small', showSizeChanger: false, align: 'center' }
                : false
            }
            renderItem={(m) => (
              <List.Item style={{ padding: '10px 12px' }}>
                <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
                  <Flex justify="space-between" align="center" gap={8}>
                    <span>
                      <Link to={`/members/${m.id}`} style={{ fontWeight: 500 }}>
                        {m.name}
                      </Link>{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {gender(m)} · {m.age}
                        {t('岁', '')}
                      </Typography.Text>
                    </span>
                    <RevealButton reveal={reveal} id={m.id} name={m.name} />
                  </Flex>
                  <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                    {m.orgName}
                  </Typography.Text>
                  <Flex wrap gap={12} style={{ fontSize: 13 }}>
                    <Identity m={m} reveal={reveal} field="idNumber" />
                    <Identity m={m} reveal={reveal} field="phone" />
                  </Flex>
                  <Flags m={m} />
                </Flex>
              </List.Item>
            )}
          />
        </Card>
      )}
    </>
  );
}
