import { ApartmentOutlined, TeamOutlined } from '@ant-design/icons';
import { Card, Col, Flex, List, Row, Segmented, Statistic, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { PairingTable } from '../../components/pairing-table';
import { ErrorState, Loading } from '../../components/states';
import { useCan, useUser } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';
import { useOrg, useOrgChildren } from './api/get-org';
import { useOrgPairings } from './api/get-org-pairings';
import { useStructureStats } from './api/get-structure-stats';
import { StructureCharts } from './components/structure-charts';

function Figure({
  title,
  value,
  suffix,
  to,
}: {
  title: string;
  value: number;
  suffix?: string;
  to?: string;
}) {
  const stat = <Statistic title={title} value={value} suffix={suffix} />;
  return (
    <Card size="small" style={{ height: '100%' }}>
      {to ? (
        <Link to={to} aria-label={`${title} ${value}`} style={{ color: 'inherit' }}>
          {stat}
        </Link>
      ) : (
        stat
      )}
    </Card>
  );
}

function Section({ title, children, extra }: { title: string; children: ReactNode; extra?: ReactNode }) {
  return (
    <section style={{ marginTop: 20 }} aria-label={title}>
      <Flex wrap gap={8} align="center" justify="space-between" style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0, fontSize: 16 }}>
          {title}
        </Typography.Title>
        {extra}
      </Flex>
      {children}
    </section>
  );
}

const LEVELS = ['', 'on_track', 'behind_pace', 'short', 'not_started'] as const;

/** An organisation's page: its counts, the structure of its members, its children and its pairings. */
export default function OrgPage() {
  const id = Number(useParams().id);
  const { t } = useI18n();
  const can = useCan();
  const me = useUser();
  const org = useOrg(id);
  const parent = useOrg(org.data?.parentId ?? 0, org.data?.parentId != null);
  const stats = useStructureStats(id, can('stats.read'));
  const children = useOrgChildren(id);
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const pairings = useOrgPairings(
    { under: id, level: level || undefined, ...paging },
    can('pairing.read') && Number.isInteger(id),
  );

  if (!Number.isInteger(id) || id <= 0) return <ErrorState error={new Error('bad id')} />;
  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const o = org.data;
  const c = o.counts;
  const showMembers = can('member.read') && me.role !== 'member';
  const membersLink = showMembers ? `/members?under=${o.id}` : undefined;
  const s = stats.data;

  const trail = [{ to: '/orgs', label: t('组织', 'Organisations') }];
  if (parent.data && o.parentId !== null) {
    trail.push({ to: `/orgs/${parent.data.id}`, label: parent.data.shortName ?? parent.data.name });
  }

  return (
    <>
      <PageHeader
        trail={trail}
        title={o.name}
        subtitle={
          <Flex wrap gap={4} component="span" style={{ marginTop: 4 }}>
            <Tag>{o.kindLabel}</Tag>
            <Tag>{o.sectorLabel}</Tag>
            {o.status === 'closed' && (
              <Tag color="default">
                {t('已撤销', 'Closed')} {o.closedOn}
              </Tag>
            )}
          </Flex>
        }
        extra={
          membersLink && (
            <Link to={membersLink}>
              <TeamOutlined /> {t('党员名单', 'Members')}
            </Link>
          )
        }
      />

      <Row gutter={[12, 12]}>
        <Col xs={12} sm={8} xl={4}>
          <Figure title={t('党员', 'Members')} value={c.members} to={membersLink} />
        </Col>
        <Col xs={12} sm={8} xl={4}>
          <Figure title={t('党支部', 'Branches')} value={c.branches} />
        </Col>
        <Col xs={12} sm={8} xl={4}>
          <Figure title={t('基层党(工)委', 'Committees')} value={c.committees} />
        </Col>
        <Col xs={12} sm={8} xl={4}>
          <Figure title={t('下级组织', 'Organisations below')} value={c.descendantOrgs} />
        </Col>
        <Col xs={12} sm={8} xl={4}>
          <Figure title={t('直属党员', 'Direct members')} value={c.directMembers} />
        </Col>
        <Col xs={12} sm={8} xl={4}>
          <Figure title={t('农户', 'Households')} value={c.households} />
        </Col>
      </Row>

      {can('stats.read') && (
        <Section title={t('党员结构', 'Member structure')}>
          {stats.isPending ? (
            <Loading />
          ) : stats.isError ? (
            <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />
          ) : s && s.members.total === 0 ? (
            <Typography.Text type="secondary">{t('暂无党员', 'No members yet')}</Typography.Text>
          ) : (
            s && (
              <>
                <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
                  {[
                    {
                      k: 'women',
                      title: t('女党员占比', 'Women'),
                      value: s.members.womenPercent,
                      suffix: '%',
                    },
                    { k: 'age', title: t('平均年龄', 'Average age'), value: s.members.averageAge },
                    { k: 'new', title: t('今年发展', 'Admitted this year'), value: s.members.newThisYear },
                    { k: 'prob', title: t('预备党员', 'Probationary'), value: s.members.probationary },
                    {
                      k: 'needy',
                      title: t('困难党员', 'Needy'),
                      value: s.members.needy,
                      to: membersLink && `${membersLink}&needy=true`,
                    },
                    {
                      k: 'mobile',
                      title: t('流动党员', 'Mobile'),
                      value: s.members.mobile,
                      to: membersLink && `${membersLink}&mobile=true`,
                    },
                  ].map((f) => (
                    <Col key={f.k} xs={12} sm={8} xl={4}>
                      <Figure title={f.title} value={f.value} suffix={f.suffix} to={f.to} />
                    </Col>
                  ))}
                </Row>
                <StructureCharts stats={s} />
              </>
            )
          )}
        </Section>
      )}

      {o.counts.childOrgs > 0 && (
        <Section
          title={t(
            `下级组织（${o.counts.childOrgs}）`,
            `Organisations directly below (${o.counts.childOrgs})`,
          )}
        >
          {children.isError ? (
            <ErrorState error={children.error} onRetry={() => void children.refetch()} />
          ) : (
            <Card size="small">
              <List
                size="small"
                loading={children.isPending}
                dataSource={children.data?.children ?? []}
                pagination={
                  (children.data?.children.length ?? 0) > 12 ? { pageSize: 12, size: 'small' } : false
                }
                grid={{ gutter: 8, xs: 1, sm: 2, lg: 3, xxl: 4 }}
                renderItem={(child) => (
                  <List.Item style={{ marginBottom: 4 }}>
                    <Link to={`/orgs/${child.id}`}>
                      <ApartmentOutlined /> {child.shortName ?? child.name}
                    </Link>{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {child.kindLabel}
                    </Typography.Text>
                  </List.Item>
                )}
              />
            </Card>
          )}
        </Section>
      )}

      {can('pairing.read') && (
        <Section
          title={t('结对共建', 'Pairings')}
          extra={
            <Segmented<(typeof LEVELS)[number]>
              size="small"
              aria-label={t('按达标情况筛选', 'Filter by compliance')}
              value={level}
              onChange={(v) => {
                setLevel(v);
                setPaging((p) => ({ ...p, page: 1 }));
              }}
              options={[
                { value: '', label: t('全部', 'All') },
                { value: 'on_track', label: t('进度正常', 'On track') },
                { value: 'behind_pace', label: t('进度滞后', 'Behind') },
                { value: 'short', label: t('未完成', 'Short') },
                { value: 'not_started', label: t('未开始', 'Not started') },
              ]}
              style={{ maxWidth: '100%', overflowX: 'auto' }}
            />
          }
        >
          {pairings.isError ? (
            <ErrorState error={pairings.error} onRetry={() => void pairings.refetch()} />
          ) : (
            <Card size="small" styles={{ body: { padding: 0 } }}>
              <PairingTable
                items={pairings.data?.items ?? []}
                loading={pairings.isFetching}
                pagination={{
                  current: paging.page,
                  pageSize: paging.pageSize,
                  total: pairings.data?.total ?? 0,
                  onChange: (page, pageSize) => setPaging({ page, pageSize }),
                }}
                emptyText={t('本组织及下级暂无结对', 'No pairings in this subtree')}
              />
            </Card>
          )}
        </Section>
      )}
    </>
  );
}
