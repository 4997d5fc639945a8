import { Flex, Grid, List, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { Pairing as PairingSchema } from '../../../src/modules/pairings/schemas.ts';
import { useI18n } from '../lib/i18n';
import { ComplianceTag } from './compliance-tag';
import { EmptyState } from './states';

export type Pairing = z.infer<typeof PairingSchema>;

/** Server-side paging, as both the table and the phone list take it. */
export interface Paging {
  current: number;
  pageSize: number;
  total: number;
  onChange: (page: number, pageSize: number) => void;
}

/**
 * Pairings as a table at a desk and as cards on a phone, each linking to its page (/pairings/:id),
 * with the compliance badge. The caller fetches and pages.
 */
export function PairingTable({
  items,
  loading,
  pagination,
  emptyText,
}: {
  items: Pairing[];
  loading?: boolean;
  pagination?: Paging | false;
  emptyText?: string;
}) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const narrow = !(screens.md ?? true);
  const empty =
    loading && !items.length ? ' ' : <EmptyState text={emptyText ?? t('暂无结对', 'No pairings')} />;

  if (narrow) {
    return (
      <List
        loading={loading}
        dataSource={items}
        locale={{ emptyText: empty }}
        pagination={
          pagination && pagination.total > pagination.pageSize
            ? { ...pagination, size: 'small', showSizeChanger: false, align: 'center' }
            : false
        }
        renderItem={(p) => (
          <List.Item style={{ padding: '10px 12px' }}>
            <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
              <Link to={`/pairings/${p.id}`} style={{ fontWeight: 500 }}>
                {p.title}
              </Link>
              <Flex wrap gap={4} align="center">
                <Tag>{p.kindLabel}</Tag>
                <ComplianceTag compliance={p.compliance} />
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('帮扶方', 'Helper')}：{p.helper.name ?? p.helper.orgName ?? '—'}
                <br />
                {t('被帮扶方', 'Helped')}：{p.helped.name ?? p.helped.orgName ?? '—'}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    );
  }

  return (
    <Table<Pairing>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      locale={{ emptyText: empty }}
      pagination={
        pagination
          ? {
              ...pagination,
              showSizeChanger: true,
              pageSizeOptions: [10, 20, 50],
              showTotal: (n) => t(`共 ${n} 个`, `${n} in all`),
            }
          : false
      }
      scroll={{ x: true }}
      columns={[
        {
          title: t('结对', 'Pairing'),
          dataIndex: 'title',
          render: (_, p) => <Link to={`/pairings/${p.id}`}>{p.title}</Link>,
        },
        { title: t('类型', 'Kind'), dataIndex: 'kindLabel', width: 110 },
        {
          title: t('帮扶方', 'Helper'),
          key: 'helper',
          render: (_, p) => p.helper.name ?? p.helper.orgName ?? '—',
        },
        {
          title: t('被帮扶方', 'Helped'),
          key: 'helped',
          render: (_, p) => p.helped.name ?? p.helped.orgName ?? '—',
        },
        {
          title: t('年度', 'Years'),
          key: 'years',
          width: 100,
          render: (_, p) => (p.yearFrom === p.yearTo ? p.yearFrom : `${p.yearFrom}–${p.yearTo}`),
        },
        {
          title: t('达标情况', 'Compliance'),
          key: 'compliance',
          width: 150,
          render: (_, p) => <ComplianceTag compliance={p.compliance} />,
        },
      ]}
    />
  );
}
