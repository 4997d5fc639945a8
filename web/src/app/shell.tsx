import {
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  ClusterOutlined,
  EditOutlined,
  FileDoneOutlined,
  FileSearchOutlined,
  HomeOutlined,
  LinkOutlined,
  LogoutOutlined,
  MenuOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  TableOutlined,
  TeamOutlined,
  ToolOutlined,
  TrophyOutlined,
  UserOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Dropdown, Grid, Layout, Menu, Segmented, Space, Tag, Typography } from 'antd';
import { type ReactNode, Suspense, useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Loading } from '../components/states';
import { flushOutbox, listDrafts, onOutboxChange, onVisitSaved } from '../features/visits/outbox';
import { api, setCsrfToken } from '../lib/api';
import { can, ME_KEY, type Me, useUser } from '../lib/auth';
import { type Lang, useI18n } from '../lib/i18n';
import { VISIT_AFFECTED_KEYS } from '../lib/query-keys';

interface Entry {
  path: string;
  icon: ReactNode;
  zh: string;
  en: string;
  show: (me: Me) => boolean;
}

/** The menu: what a role may open (the server checks again on every request). */
const ENTRIES: Entry[] = [
  { path: '/', icon: <HomeOutlined />, zh: '工作台', en: 'Home', show: () => true },
  {
    path: '/visits/new',
    icon: <EditOutlined />,
    zh: '登记走访',
    en: 'Log a visit',
    show: (m) => can(m, 'visit.write'),
  },
  {
    path: '/pairings',
    icon: <LinkOutlined />,
    zh: '三联共建',
    en: 'Pairings',
    show: (m) => can(m, 'pairing.read'),
  },
  {
    path: '/reviews',
    icon: <FileDoneOutlined />,
    zh: '方案审核',
    en: 'Plan review',
    show: (m) => can(m, 'plan.review') || can(m, 'plan.approve'),
  },
  {
    path: '/notices',
    icon: <NotificationOutlined />,
    zh: '公示管理',
    en: 'Notices',
    show: (m) => can(m, 'notice.read'),
  },
  {
    path: '/dashboard',
    icon: <BarChartOutlined />,
    zh: '统计看板',
    en: 'Dashboard',
    show: (m) => can(m, 'report.read'),
  },
  {
    path: '/orgs',
    icon: <ClusterOutlined />,
    zh: '组织',
    en: 'Organisations',
    show: (m) => can(m, 'org.read'),
  },
  {
    path: '/members',
    icon: <TeamOutlined />,
    zh: '党员',
    en: 'Members',
    show: (m) => can(m, 'member.read') && m.role !== 'member',
  },
  {
    path: '/inspections',
    icon: <FileSearchOutlined />,
    zh: '督查检查',
    en: 'Checks',
    show: (m) => can(m, 'inspection.read'),
  },
  {
    path: '/rectifications',
    icon: <ToolOutlined />,
    zh: '整改',
    en: 'Rectifications',
    show: (m) => can(m, 'inspection.read') || can(m, 'rectification.close'),
  },
  {
    path: '/assessment',
    icon: <TrophyOutlined />,
    zh: '年终考评',
    en: 'Assessment',
    show: (m) => can(m, 'assessment.read'),
  },
  {
    path: '/ledgers',
    icon: <TableOutlined />,
    zh: '台账导出',
    en: 'Ledgers',
    show: (m) => can(m, 'ledger.export'),
  },
  {
    path: '/audit',
    icon: <AuditOutlined />,
    zh: '审计日志',
    en: 'Audit log',
    show: (m) => can(m, 'audit.read'),
  },
  {
    path: '/users',
    icon: <UserSwitchOutlined />,
    zh: '用户与角色',
    en: 'Users',
    show: (m) => can(m, 'user.read'),
  },
];

function selectedKey(pathname: string): string {
  const match = ENTRIES.filter((e) => e.path !== '/' && pathname.startsWith(e.path)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
  return match?.path ?? '/';
}

export function LangSwitch() {
  const { lang, setLang } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      value={lang}
      onChange={setLang}
      options={[
        { label: '中文', value: 'zh' },
        { label: 'EN', value: 'en' },
      ]}
      aria-label="语言 / Language"
    />
  );
}

const RETRY_MS = 15_000;

/**
 * Visits kept on the phone: how many wait, and sending them whenever the connection returns
 * (once when the app opens, and every 15 seconds while any wait). Shown in the header so nobody
 * forgets them.
 */
function OutboxBadge() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [waiting, setWaiting] = useState(0);
  // Whoever sent it and whatever page is open, a saved visit refreshes every count it changes.
  useEffect(
    () =>
      onVisitSaved(() => {
        for (const queryKey of VISIT_AFFECTED_KEYS) void qc.invalidateQueries({ queryKey: [...queryKey] });
      }),
    [qc],
  );
  useEffect(() => {
    const count = () =>
      void listDrafts()
        .then((d) => setWaiting(d.filter((x) => !x.error).length))
        .catch(() => setWaiting(0));
    const send = () =>
      void flushOutbox()
        .then((n) => {
          if (n > 0) message.success(t(`${n}条走访记录已保存到服务器`, `${n} visit(s) saved on the server`));
        })
        .catch(() => {});
    const off = onOutboxChange(count);
    window.addEventListener('online', send);
    count();
    if (navigator.onLine) send();
    // A phone may say it is online when nothing gets through (a captive Wi-Fi, one bar of signal),
    // and then no second "online" event comes: try again now and then while anything waits.
    const retry = window.setInterval(() => {
      if (navigator.onLine) send();
    }, RETRY_MS);
    return () => {
      off();
      window.removeEventListener('online', send);
      window.clearInterval(retry);
    };
  }, [message, t]);
  if (waiting === 0) return null;
  return (
    <Link to="/visits/new">
      <Tag color="warning" icon={<CloudUploadOutlined />} style={{ marginInlineEnd: 0 }}>
        {t(`待发送${waiting}`, `${waiting} to send`)}
      </Tag>
    </Link>
  );
}

export function AppShell() {
  const me = useUser();
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const wide = screens.lg ?? true;
  const [drawer, setDrawer] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();

  const items = ENTRIES.filter((e) => e.show(me)).map((e) => ({
    key: e.path,
    icon: e.icon,
    label: <Link to={e.path}>{t(e.zh, e.en)}</Link>,
  }));
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selectedKey(location.pathname)]}
      items={items}
      onClick={() => setDrawer(false)}
      style={{ borderInlineEnd: 0 }}
    />
  );

  const signOut = async () => {
    try {
      await api.post('/api/auth/sign-out');
    } finally {
      setCsrfToken(undefined);
      qc.clear();
      qc.setQueryData(ME_KEY, null);
      navigate('/sign-in', { replace: true });
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {wide && (
        <Layout.Sider width={208} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16, color: '#c41d1d' }}>
            <SafetyCertificateOutlined /> {t('共建', 'Gongjian')}
          </div>
          <nav aria-label={t('主菜单', 'Main menu')}>{menu}</nav>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: wide ? '0 24px' : '0 8px',
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            borderBottom: '1px solid #f0f0f0',
            height: 56,
            lineHeight: '56px',
          }}
        >
          {!wide && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('打开菜单', 'Open menu')}
              onClick={() => setDrawer(true)}
            />
          )}
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
            {wide ? t('城乡党建三联共建平台', 'Urban-rural co-building platform') : t('共建', 'Gongjian')}
            {wide && <Typography.Text type="secondary"> · {me.orgName}</Typography.Text>}
          </Typography.Text>
          <Space size={wide ? 'middle' : 'small'}>
            <OutboxBadge />
            <LangSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'role', label: `${me.roleLabel}`, disabled: true },
                  {
                    key: 'password',
                    label: <Link to="/account/password">{t('修改密码', 'Change password')}</Link>,
                  },
                  {
                    key: 'out',
                    icon: <LogoutOutlined />,
                    label: t('退出登录', 'Sign out'),
                    onClick: signOut,
                  },
                ],
              }}
            >
              <Button type="text" icon={<UserOutlined />} aria-label={t('账号菜单', 'Account menu')}>
                {wide ? me.displayName : null}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: wide ? 24 : 12, minWidth: 0 }}>
          {/* Layout.Content is the page's <main> already. */}
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <Drawer
        placement="left"
        open={drawer && !wide}
        onClose={() => setDrawer(false)}
        size={240}
        title={t('共建', 'Gongjian')}
        styles={{ body: { padding: 0 } }}
      >
        {menu}
      </Drawer>
    </Layout>
  );
}
