import { EditOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, List, Row, Statistic, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { LevelBadge } from '../../components/level-badge';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan, useUser } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';
import { useMyRectifications } from '../supervision/api';
import { type HomePairing, useHome } from './api';

/** A number that opens the list behind it. */
function Figure({
  title,
  value,
  to,
  tone,
  hint,
}: {
  title: string;
  value: number;
  to: string;
  tone?: 'warn' | 'bad';
  hint?: ReactNode;
}) {
  const color =
    value > 0 && tone === 'bad' ? '#cf1322' : value > 0 && tone === 'warn' ? '#d46b08' : undefined;
  return (
    <Link to={to} aria-label={`${title} ${value}`}>
      <Card hoverable size="small" style={{ height: '100%' }}>
        <Statistic title={title} value={value} styles={{ content: { color } }} />
        {hint && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {hint}
          </Typography.Text>
        )}
      </Card>
    </Link>
  );
}

function PairingItem({ p }: { p: HomePairing }) {
  const { t } = useI18n();
  const can = useCan();
  const c = p.compliance;
  return (
    <List.Item
      actions={
        can('visit.write')
          ? [
              <Link key="log" to={`/visits/new?pairing=${p.id}`}>
                <Button size="small" type="primary" ghost icon={<EditOutlined />}>
                  {t('登记走访', 'Log a visit')}
                </Button>
              </Link>,
            ]
          : []
      }
    >
      <List.Item.Meta
        title={
          <Flex wrap gap={6} align="center">
            <Tag>{p.kindLabel}</Tag>
            <Link to={`/pairings/${p.id}`}>{p.title}</Link>
          </Flex>
        }
        description={
          <Flex wrap gap={8} align="center">
            <LevelBadge level={c?.level} hasQuota={c?.hasQuota ?? true} />
            {c?.hasQuota && (
              <span>
                {t('已走访', 'Visits')} {c.done}/{c.required}
              </span>
            )}
            {c?.nextDueOn && (
              <span>
                {t('下次应在', 'Next due by')} <b>{c.nextDueOn}</b> {t('前', '')}
              </span>
            )}
          </Flex>
        }
      />
    </List.Item>
  );
}

/** 工作台: what needs me today. Every number links to the list behind it. */
export default function Home() {
  const me = useUser();
  const { t } = useI18n();
  const { data, error, isPending, refetch } = useHome();
  const can = useCan();
  const rectifications = useMyRectifications(can('inspection.read'));

  return (
    <>
      <PageHeader
        title={t(`您好，${me.displayName}`, `Hello, ${me.displayName}`)}
        subtitle={`${me.roleLabel} · ${me.orgName}${data ? ` · ${data.asOf}` : ''}`}
      />
      {isPending && <Loading />}
      {error && <ErrorState error={error} onRetry={() => void refetch()} />}
      {data && (
        <Flex vertical gap={16}>
          <Row gutter={[12, 12]}>
            {data.reviews && (
              <Col xs={12} md={6}>
                <Figure
                  title={t('待我审核的方案', 'Plans to review')}
                  value={data.reviews.waiting}
                  to="/reviews"
                  tone="warn"
                />
              </Col>
            )}
            {data.compliance && (
              <>
                <Col xs={12} md={6}>
                  <Figure
                    title={t('进度滞后的结对', 'Pairings behind pace')}
                    value={data.compliance.behindPace}
                    to="/pairings?level=behind_pace"
                    tone="warn"
                    hint={t(`共${data.compliance.total}个结对`, `of ${data.compliance.total}`)}
                  />
                </Col>
                <Col xs={12} md={6}>
                  <Figure
                    title={t('年终未完成', 'Short at year end')}
                    value={data.compliance.short}
                    to="/pairings?level=short"
                    tone="bad"
                  />
                </Col>
              </>
            )}
            {data.notices && (
              <Col xs={12} md={6}>
                <Figure
                  title={t('公示中有新意见', 'Notices with new feedback')}
                  value={data.notices.openWithUnanswered}
                  to="/notices"
                  tone="warn"
                  hint={t(
                    `公示中${data.notices.open}件，待答复${data.notices.unanswered}条`,
                    `${data.notices.open} open, ${data.notices.unanswered} to answer`,
                  )}
                />
              </Col>
            )}
            {rectifications.data && (
              <Col xs={12} md={6}>
                <Figure
                  title={t('待我整改', 'To put right')}
                  value={rectifications.data.open}
                  to="/rectifications"
                  tone={rectifications.data.overdue ? 'bad' : 'warn'}
                  hint={
                    rectifications.data.overdue
                      ? t(
                          `其中逾期${rectifications.data.overdue}项`,
                          `${rectifications.data.overdue} overdue`,
                        )
                      : undefined
                  }
                />
              </Col>
            )}
          </Row>
          {rectifications.data && rectifications.data.items.length > 0 && (
            <Card
              size="small"
              title={t('待我整改的问题', 'Problems I must put right')}
              extra={
                <Link to="/rectifications">
                  {t('去整改', 'Open')} <RightOutlined />
                </Link>
              }
            >
              <List
                size="small"
                dataSource={rectifications.data.items.slice(0, 5)}
                renderItem={(r) => (
                  <List.Item>
                    <List.Item.Meta
                      title={r.problem}
                      description={
                        <Flex wrap gap={8}>
                          <span>{r.ownerOrgName}</span>
                          <span>
                            {t('期限', 'Due')} {r.dueOn}
                          </span>
                          {r.overdue && <Tag color="error">{t('已逾期', 'Overdue')}</Tag>}
                        </Flex>
                      }
                    />
                  </List.Item>
                )}
              />
            </Card>
          )}
          <Card
            title={t('我承担的结对', 'Pairings I carry out')}
            size="small"
            extra={
              <Link to="/pairings">
                {t('全部', 'All')} <RightOutlined />
              </Link>
            }
          >
            {data.myPairings.length === 0 ? (
              <EmptyState text={t('没有由您承担的结对', 'No pairings of yours')} />
            ) : (
              <List
                dataSource={data.myPairings.slice(0, 10)}
                renderItem={(p) => <PairingItem key={p.id} p={p} />}
              />
            )}
          </Card>
        </Flex>
      )}
    </>
  );
}
