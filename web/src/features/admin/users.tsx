import { EditOutlined, KeyOutlined, UserAddOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Flex,
  Grid,
  List,
  Popconfirm,
  Row,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { OrgPicker } from '../../components/org-picker';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState } from '../../components/states';
import { isApiError } from '../../lib/api';
import { useCan } from '../../lib/auth';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n';
import { type User, useUserMutations, useUsers } from './api/users';
import { CreateUserModal, EditUserDrawer, SecretModal, useRoleOptions } from './components/user-forms';

function StatusTags({ u }: { u: User }) {
  const { t } = useI18n();
  const locked = u.lockedUntil && new Date(u.lockedUntil) > new Date();
  return (
    <Flex wrap gap={4}>
      {u.status === 'disabled' ? (
        <Tag>{t('已停用', 'Disabled')}</Tag>
      ) : (
        <Tag color="green">{t('启用', 'Active')}</Tag>
      )}
      {locked && (
        <Tag color="red">
          {t('锁定至', 'Locked until')} {formatDateTime(u.lockedUntil)}
        </Tag>
      )}
      {u.mustChangePassword && <Tag color="orange">{t('待改密码', 'Must change password')}</Tag>}
      {u.totpEnabled && <Tag color="blue">{t('双因素', '2FA')}</Tag>}
    </Flex>
  );
}

/** 用户与角色: accounts of my subtree; admins create, change role/organisation/status and reset passwords. */
export default function Users() {
  const { lang, t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const manage = can('user.manage');
  const roles = useRoleOptions();
  const [filters, setFilters] = useState<{ under?: number; role?: string }>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const list = useUsers({ ...filters, ...paging });
  const { reset } = useUserMutations();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User>();
  const [resetCode, setResetCode] = useState<{ user: User; token: string; expiresAt: string }>();

  const issueReset = async (u: User) => {
    try {
      const r = await reset.mutateAsync(u.id);
      setResetCode({ user: u, ...r });
    } catch (e) {
      message.error(isApiError(e) ? e.text(lang) : String(e));
    }
  };

  const actions = (u: User) =>
    manage && (
      <Flex wrap gap={4}>
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => setEditing(u)}
          aria-label={t(`修改 ${u.username}`, `Edit ${u.username}`)}
        >
          {t('修改', 'Edit')}
        </Button>
        <Popconfirm
          title={t(`为 ${u.displayName} 发放密码重置码？`, `Issue a reset code for ${u.displayName}?`)}
          description={t(
            '原密码在本人设置新密码前仍然有效。',
            'The old password works until a new one is set.',
          )}
          okText={t('发放', 'Issue')}
          cancelText={t('取消', 'Cancel')}
          onConfirm={() => issueReset(u)}
        >
          <Button
            size="small"
            icon={<KeyOutlined />}
            loading={reset.isPending && reset.variables === u.id}
            aria-label={t(`重置 ${u.username} 的密码`, `Reset the password of ${u.username}`)}
          >
            {t('重置密码', 'Reset password')}
          </Button>
        </Popconfirm>
      </Flex>
    );

  const pagination = {
    current: paging.page,
    pageSize: paging.pageSize,
    total: list.data?.total ?? 0,
    onChange: (page: number, pageSize: number) => setPaging({ page, pageSize }),
  };
  const empty = <EmptyState text={t('没有账号', 'No accounts')} />;

  return (
    <>
      <PageHeader
        title={t('用户与角色', 'Users and roles')}
        subtitle={list.data && t(`共 ${list.data.total} 个账号`, `${list.data.total} accounts`)}
        extra={
          manage && (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)}>
              {t('新建账号', 'New account')}
            </Button>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Row gutter={[12, 8]}>
          <Col xs={24} md={10} lg={8}>
            <label htmlFor="users-under" style={{ display: 'block', marginBottom: 4 }}>
              {t('组织（含下级）', 'Organisation (with those below)')}
            </label>
            <OrgPicker
              id="users-under"
              value={filters.under}
              onChange={(under) => {
                setFilters((f) => ({ ...f, under }));
                setPaging((p) => ({ ...p, page: 1 }));
              }}
            />
          </Col>
          <Col xs={24} md={8} lg={6}>
            <label htmlFor="users-role" style={{ display: 'block', marginBottom: 4 }}>
              {t('角色', 'Role')}
            </label>
            <Select
              id="users-role"
              allowClear
              style={{ width: '100%' }}
              placeholder={t('全部角色', 'All roles')}
              value={filters.role}
              options={roles}
              onChange={(role) => {
                setFilters((f) => ({ ...f, role }));
                setPaging((p) => ({ ...p, page: 1 }));
              }}
            />
          </Col>
        </Row>
      </Card>

      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : wide ? (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <Table<User>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: list.isPending ? ' ' : empty }}
            scroll={{ x: true }}
            pagination={{
              ...pagination,
              showSizeChanger: true,
              showTotal: (n) => t(`共 ${n} 个`, `${n} in all`),
            }}
            columns={[
              { title: t('账号名', 'Account'), dataIndex: 'username' },
              { title: t('姓名', 'Name'), dataIndex: 'displayName' },
              {
                title: t('角色', 'Role'),
                dataIndex: 'roleLabel',
                render: (_, u) => roles.find((r) => r.value === u.role)?.label ?? u.roleLabel,
              },
              {
                title: t('所属组织', 'Organisation'),
                dataIndex: 'orgName',
                render: (_, u) => <Link to={`/orgs/${u.orgId}`}>{u.orgName}</Link>,
              },
              { title: t('手机号', 'Phone'), dataIndex: 'phone', render: (p) => p ?? '—' },
              { title: t('状态', 'Status'), key: 'status', render: (_, u) => <StatusTags u={u} /> },
              ...(manage
                ? [
                    {
                      title: t('操作', 'Actions'),
                      key: 'actions',
                      render: (_: unknown, u: User) => actions(u),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      ) : (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <List<User>
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: list.isPending ? ' ' : empty }}
            pagination={
              pagination.total > paging.pageSize
                ? { ...pagination, size: 'small', showSizeChanger: false, align: 'center' }
                : false
            }
            renderItem={(u) => (
              <List.Item style={{ padding: '10px 12px' }}>
                <Flex vertical gap={4} style={{ width: '100%', minWidth: 0 }}>
                  <span>
                    <Typography.Text strong>{u.displayName}</Typography.Text>{' '}
                    <Typography.Text type="secondary">{u.username}</Typography.Text>
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {roles.find((r) => r.value === u.role)?.label ?? u.roleLabel} · {u.orgName}
                  </Typography.Text>
                  <StatusTags u={u} />
                  {actions(u)}
                </Flex>
              </List.Item>
            )}
          />
        </Card>
      )}

      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <EditUserDrawer user={editing} onClose={() => setEditing(undefined)} />
      <SecretModal
        open={!!resetCode}
        title={t(
          `${resetCode?.user.displayName ?? ''} 的密码重置码`,
          `Reset code for ${resetCode?.user.displayName ?? ''}`,
        )}
        secret={resetCode?.token ?? ''}
        note={t(
          `请告知本人，凭此码设置新密码。有效期至 ${formatDateTime(resetCode?.expiresAt)}。`,
          `Give it to the person to set a new password. Valid until ${formatDateTime(resetCode?.expiresAt)}.`,
        )}
        onClose={() => setResetCode(undefined)}
      />
    </>
  );
}
