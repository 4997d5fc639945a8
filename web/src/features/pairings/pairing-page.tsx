import { EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Segmented, Tabs, Tag, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { LevelBadge } from '../../components/level-badge';
import { PageHeader } from '../../components/page-header';
import { ErrorState, Loading } from '../../components/states';
import { useCan } from '../../lib/auth';
import { label, useI18n } from '../../lib/i18n';
import { usePairingKinds } from './api/get-pairings';
import { type PairingDetail, type Register, usePairing, useRegister } from './api/get-register';
import { MidyearCheck } from './components/midyear-check';
import { RegisterNotes } from './components/register-notes';
import { Signoffs } from './components/signoffs';
import { VisitTimeline } from './components/visit-timeline';
import { PlanEditor } from './plan-editor';
import { sideWithOrg } from './sides';

const FORMATIONS: Record<string, { zh: string; en: string }> = {
  assigned: { zh: '定对', en: 'Assigned' },
  chosen: { zh: '结对', en: 'Chosen by both sides' },
  mass_chosen: { zh: '选对', en: 'Chosen by the masses' },
};

/** Who helps whom, for how long, and how far the year's quota has come. */
function Summary({ register, detail }: { register: Register; detail: PairingDetail | undefined }) {
  const { t } = useI18n();
  const p = register.pairing;
  const c = p.compliance;
  const formation = FORMATIONS[p.formation];
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 1, md: 2, lg: 3 }}
        items={[
          { key: 'helper', label: t('帮扶方', 'Helper'), children: sideWithOrg(p.helper) },
          { key: 'helped', label: t('帮扶对象', 'Helped'), children: sideWithOrg(p.helped) },
          {
            key: 'span',
            label: t('结对期限', 'Span'),
            children: `${p.startedOn} ${t('至', 'to')} ${p.endedOn ?? t(`${p.yearTo}年底`, `end of ${p.yearTo}`)}`,
          },
          {
            key: 'formation',
            label: t('结对方式', 'Formed'),
            children: formation ? t(formation.zh, formation.en) : p.formation,
          },
          {
            key: 'level',
            label: t('完成情况', 'Compliance'),
            children: c ? (
              <Flex wrap gap={6} align="center">
                <LevelBadge level={c.level} />
                {c.hasQuota ? (
                  <Typography.Text>
                    {t(
                      `已走访${c.done}次 / 全年应${c.required}次，截至${c.asOf}应${c.expectedByNow}次${c.shortfall ? `，尚差${c.shortfall}次` : ''}`,
                      `${c.done} of ${c.required} visits; ${c.expectedByNow} due by ${c.asOf}${c.shortfall ? `; ${c.shortfall} to go` : ''}`,
                    )}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary">
                    {t(`无次数要求，已走访${c.done}次`, `No quota; ${c.done} visits`)}
                  </Typography.Text>
                )}
              </Flex>
            ) : (
              '—'
            ),
          },
          ...(detail && detail.obligationStatus.length > 0
            ? [
                {
                  key: 'systems',
                  label: t('互助共建制度', 'Standing systems'),
                  children: (
                    <Flex wrap gap={4}>
                      {detail.obligationStatus.map((o) => (
                        <Tag
                          key={o.system}
                          color={o.ok ? 'success' : 'warning'}
                          style={{ marginInlineEnd: 0 }}
                        >
                          {o.label} {o.owed > 0 ? `${o.done}/${o.owed}` : t(`${o.events}次`, `×${o.events}`)}
                          {o.missed.length > 0 && ` · ${t('缺', 'missed')} ${o.missed.join('、')}`}
                        </Tag>
                      ))}
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

/**
 * One pairing (结对): both sides and the year's compliance, then the plan and its tasks, the visits
 * with photos, the register's progress notes, the mid-year check and the year-end sign-off. The
 * printable card (卡) is the server's own page.
 */
export default function PairingPage() {
  const { lang, t } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const [params, setParams] = useSearchParams();
  const yearParam = Number(params.get('year')) || undefined;
  const register = useRegister(id, yearParam);
  const detail = usePairing(id, yearParam);
  const kinds = usePairingKinds();

  if (register.isPending) return <Loading />;
  if (register.isError) return <ErrorState error={register.error} onRetry={() => void register.refetch()} />;
  const r = register.data;
  const p = r.pairing;
  const kind = kinds.data?.find((k) => k.code === p.kind);
  const planName = kind ? label(lang, kind.plan.zh, kind.plan.en) : t('工作方案', 'work plan');
  const years = Array.from({ length: p.yearTo - p.yearFrom + 1 }, (_, i) => p.yearFrom + i);

  return (
    <>
      <PageHeader
        title={p.title}
        subtitle={`${kind ? label(lang, kind.zh, kind.en) : p.kindLabel} · ${t(`${r.year}年度`, String(r.year))}`}
        trail={[{ to: '/pairings', label: t('三联共建', 'Pairings') }]}
        extra={
          <>
            {can('visit.write') && (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/visits/new?pairing=${p.id}`)}>
                {t('登记走访', 'Log a visit')}
              </Button>
            )}
            <Button
              icon={<PrinterOutlined />}
              href={`/cards/${p.id}?year=${r.year}`}
              target="_blank"
              rel="noopener"
            >
              {t('打印联系卡', 'Print the card')}
            </Button>
          </>
        }
      />
      {years.length > 1 && (
        <Segmented<number>
          style={{ marginBottom: 12 }}
          value={r.year}
          onChange={(y) => setParams({ year: String(y) }, { replace: true })}
          options={years.map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))}
          aria-label={t('年度', 'Year')}
        />
      )}
      <Summary register={r} detail={detail.data} />
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'plan',
              label: t('方案与任务', 'Plan and tasks'),
              children: (
                <PlanEditor
                  pairingId={p.id}
                  year={r.year}
                  planId={r.plan?.id}
                  planName={planName}
                  defaultTitle={`${r.year}年度${p.title}${kind?.plan.zh ?? '工作方案'}`}
                />
              ),
            },
            {
              key: 'visits',
              label: t(`走访记录（${r.visits.length}）`, `Visits (${r.visits.length})`),
              children: <VisitTimeline visits={r.visits} pairingKind={r.pairing.kind} />,
            },
            {
              key: 'register',
              label: t(`帮扶册（${r.notes.length}）`, `Register (${r.notes.length})`),
              children: <RegisterNotes register={r} />,
            },
            {
              key: 'check',
              label: t('年中检查', 'Mid-year check'),
              children: <MidyearCheck register={r} />,
            },
            {
              key: 'signoff',
              label: t('年末签署', 'Year-end sign-off'),
              children: <Signoffs register={r} />,
            },
          ]}
        />
      </Card>
    </>
  );
}
