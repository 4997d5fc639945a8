import { DownloadOutlined, FilterOutlined } from '@ant-design/icons';
import {
  AutoComplete,
  Button,
  Card,
  Col,
  Collapse,
  DatePicker,
  Flex,
  Form,
  Grid,
  List,
  Row,
  Select,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState } from '../../components/states';
import { ApiError } from '../../lib/api';
import { useCan } from '../../lib/auth';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n';
import { type AuditEntry, type AuditFilters, auditExportUrl, useAudit } from './api/audit';
import { useUsers } from './api/users';

/** The actions a clerk most often looks for; any other prefix can be typed. */
const ACTIONS: { value: string; zh: string; en: string }[] = [
  { value: 'auth.', zh: '登录与密码（全部）', en: 'Sign-in and passwords (all)' },
  { value: 'auth.sign_in', zh: '登录', en: 'Sign in' },
  { value: 'auth.lockout', zh: '账号锁定', en: 'Lockout' },
  { value: 'access.denied', zh: '越权访问被拒绝', en: 'Access denied' },
  { value: 'member.unmask', zh: '查看完整身份证号/电话', en: 'Full ID number / phone viewed' },
  { value: 'member.', zh: '党员信息（全部）', en: 'Members (all)' },
  { value: 'org.', zh: '组织（全部）', en: 'Organisations (all)' },
  { value: 'user.', zh: '账号管理（全部）', en: 'Accounts (all)' },
  { value: 'plan.', zh: '方案（全部）', en: 'Plans (all)' },
  { value: 'visit.', zh: '走访（全部）', en: 'Visits (all)' },
  { value: 'export.', zh: '导出', en: 'Exports' },
  { value: 'import.', zh: '导入', en: 'Imports' },
];

const RESULTS: Record<string, { color: string; zh: string; en: string }> = {
  ok: { color: 'green', zh: '成功', en: 'OK' },
  denied: { color: 'orange', zh: '拒绝', en: 'Denied' },
  failed: { color: 'red', zh: '失败', en: 'Failed' },
};

interface Values {
  action?: string;
  username?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  result?: string;
}

function ResultTag({ result }: { result: string }) {
  const { lang } = useI18n();
  const r = RESULTS[result];
  return <Tag color={r?.color}>{r ? (lang === 'en' ? r.en : r.zh) : result}</Tag>;
}

function Details({ e }: { e: AuditEntry }) {
  if (!e.details) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, maxWidth: 640 }}>
      {JSON.stringify(e.details, null, 2)}
    </pre>
  );
}

/** 审计日志: who did what, when, from where; search and export (the export is audited too). */
export default function AuditLog() {
  const { lang, t } = useI18n();
  const can = useCan();
  const wide = Grid.useBreakpoint().lg ?? true;
  const [form] = Form.useForm<Values>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const audit = useAudit({ ...filters, ...paging });
  const users = useUsers({ page: 1, pageSize: 500 });

  const actionText = (e: AuditEntry) => (lang === 'en' ? e.actionLabelEn : e.actionLabel);
  const items = audit.data?.items ?? [];

  if (!can('audit.read'))
    return (
      <ErrorState
        error={
          new ApiError(403, {
            error: { message: '只有管理员和审计员可以查看审计日志', messageEn: 'admins and auditors only' },
          })
        }
      />
    );

  const apply = (v: Values) => {
    const [from, to] = v.range ?? [];
    setFilters({
      action: v.action?.trim() || undefined,
      username: v.username?.trim() || undefined,
      from: from ? from.format('YYYY-MM-DD') : undefined,
      to: to ? to.format('YYYY-MM-DD') : undefined,
      result: (v.result as AuditFilters['result']) || undefined,
    });
    setPaging((p) => ({ ...p, page: 1 }));
  };

  const fields = (
    <Form<Values> form={form} layout="vertical" onFinish={apply}>
      <Row gutter={12}>
        <Col xs={24} sm={12} lg={6}>
          <Form.Item name="action" label={t('动作（可输入开头部分）', 'Action (or its beginning)')}>
            <AutoComplete
              allowClear
              placeholder={t('如：auth. 或 member.unmask', 'e.g. auth. or member.unmask')}
              options={ACTIONS.map((a) => ({
                value: a.value,
                label: `${a.value}　${lang === 'en' ? a.en : a.zh}`,
              }))}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={5}>
          <Form.Item name="username" label={t('用户（账号名）', 'User (account name)')}>
            <AutoComplete
              allowClear
              placeholder={t('如：admin', 'e.g. admin')}
              options={(users.data?.items ?? []).map((u) => ({
                value: u.username,
                label: `${u.username}（${u.displayName}）`,
              }))}
              showSearch={{
                filterOption: (input, option) =>
                  String(option?.label ?? '')
                    .toLowerCase()
                    .includes(input.toLowerCase()),
              }}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Form.Item name="range" label={t('日期范围', 'Date range')}>
            <DatePicker.RangePicker
              style={{ width: '100%' }}
              allowEmpty={[true, true]}
              placeholder={[t('开始日期', 'From'), t('结束日期', 'To')]}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12} lg={3}>
          <Form.Item
            name="result"
            label={t('结果', 'Outcome')}
            tooltip={t('在当前页中筛选', 'Filters the page shown')}
          >
            <Select
              allowClear
              placeholder={t('全部', 'All')}
              options={Object.entries(RESULTS).map(([value, r]) => ({
                value,
                label: lang === 'en' ? r.en : r.zh,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} lg={4}>
          <Flex gap={8} style={{ paddingTop: wide ? 30 : 0, marginBottom: 16 }}>
            <Button type="primary" htmlType="submit">
              {t('查询', 'Search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                apply({});
              }}
            >
              {t('清除', 'Clear')}
            </Button>
          </Flex>
        </Col>
      </Row>
    </Form>
  );

  const pagination = {
    current: paging.page,
    pageSize: paging.pageSize,
    total: audit.data?.total ?? 0,
    onChange: (page: number, pageSize: number) => setPaging({ page, pageSize }),
  };
  const empty = <EmptyState text={t('没有符合条件的记录', 'No entries match')} />;
  const who = (e: AuditEntry) =>
    e.userName
      ? `${e.userName}${e.username ? `（${e.username}）` : ''}`
      : (e.username ?? (e.userId ? `#${e.userId}` : t('（未登录）', '(not signed in)')));
  const target = (e: AuditEntry) => (lang === 'en' ? e.targetLabelEn : e.targetLabel) ?? '—';

  return (
    <>
      <PageHeader
        title={t('审计日志', 'Audit log')}
        subtitle={audit.data && t(`共 ${audit.data.total} 条`, `${audit.data.total} entries`)}
        extra={
          <Button icon={<DownloadOutlined />} href={auditExportUrl(filters)} download="审计记录.xlsx">
            {t('导出 Excel', 'Export to Excel')}
          </Button>
        }
      />
      {wide ? (
        <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { paddingBottom: 0 } }}>
          {fields}
        </Card>
      ) : (
        <Collapse
          style={{ marginBottom: 12, background: '#fff' }}
          items={[
            {
              key: 'filters',
              forceRender: true,
              label: (
                <span>
                  <FilterOutlined /> {t('筛选条件', 'Filters')}
                </span>
              ),
              children: fields,
            },
          ]}
        />
      )}
      {audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
      ) : wide ? (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <Table<AuditEntry>
            rowKey="id"
            size="small"
            loading={audit.isFetching}
            dataSource={items}
            locale={{ emptyText: audit.isPending ? ' ' : empty }}
            scroll={{ x: true }}
            expandable={{
              expandedRowRender: (e) => <Details e={e} />,
              rowExpandable: (e) => !!e.details,
            }}
            pagination={{
              ...pagination,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (n) => t(`共 ${n} 条`, `${n} in all`),
            }}
            columns={[
              {
                title: t('时间', 'Time'),
                dataIndex: 'at',
                width: 150,
                render: (at: string) => formatDateTime(at),
              },
              { title: t('用户', 'User'), key: 'user', render: (_, e) => who(e) },
              {
                title: t('动作', 'Action'),
                dataIndex: 'action',
                render: (a: string, e) => (
                  <Tooltip title={a}>
                    <span>{actionText(e)}</span>
                  </Tooltip>
                ),
              },
              { title: t('对象', 'Target'), key: 'target', render: (_, e) => target(e) },
              {
                title: t('结果', 'Outcome'),
                dataIndex: 'result',
                width: 80,
                render: (r: string) => <ResultTag result={r} />,
              },
              { title: t('来源地址', 'From'), dataIndex: 'ip', render: (ip) => ip ?? '—' },
            ]}
          />
        </Card>
      ) : (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <List<AuditEntry>
            loading={audit.isFetching}
            dataSource={items}
            locale={{ emptyText: audit.isPending ? ' ' : empty }}
            pagination={
              pagination.total > paging.pageSize
                ? { ...pagination, size: 'small', showSizeChanger: false, align: 'center' }
                : false
            }
            renderItem={(e) => (
              <List.Item style={{ padding: '10px 12px' }}>
                <Flex vertical gap={2} style={{ width: '100%', minWidth: 0 }}>
                  <Flex justify="space-between" gap={8}>
                    <Typography.Text strong>{actionText(e)}</Typography.Text>
                    <ResultTag result={e.result} />
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(e.at)} · {who(e)} · {target(e)}
                    {e.ip && ` · ${e.ip}`}
                  </Typography.Text>
                  {e.details && (
                    <Collapse
                      size="small"
                      ghost
                      items={[{ key: 'd', label: t('详情', 'Details'), children: <Details e={e} /> }]}
                    />
                  )}
                </Flex>
              </List.Item>
            )}
          />
        </Card>
      )}
    </>
  );
}
