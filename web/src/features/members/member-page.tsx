import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { GENDERS, LEADER_RANKS, labelOf } from '../../../../src/domain/codes.ts';
import { PageHeader } from '../../components/page-header';
import { PairingTable } from '../../components/pairing-table';
import { ErrorState, Loading } from '../../components/states';
import { useCan } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';
import { useMember } from './api/get-member';
import { useMemberPairings } from './api/get-member-pairings';
import { RevealButton, useReveal } from './components/reveal';

/** One member: the record (masked, with the audited show) and the pairings they help in or receive. */
export default function MemberPage() {
  const id = Number(useParams().id);
  const { t } = useI18n();
  const can = useCan();
  const member = useMember(Number.isInteger(id) ? id : 0);
  const pairings = useMemberPairings(member.data, can('pairing.read'));
  const reveal = useReveal();

  if (!Number.isInteger(id) || id <= 0) return <ErrorState error={new Error('bad id')} />;
  if (member.isPending) return <Loading />;
  if (member.isError) return <ErrorState error={member.error} onRetry={() => void member.refetch()} />;
  const m = member.data;
  const full = reveal.shown.get(m.id);
  const dash = (v: string | null | undefined) => v || '—';

  return (
    <>
      <PageHeader
        trail={[
          { to: '/members', label: t('党员', 'Members') },
          { to: `/orgs/${m.orgId}`, label: m.orgName },
        ]}
        title={m.name}
        subtitle={
          <Flex wrap gap={4} component="span" style={{ marginTop: 4 }}>
            <Tag>{m.categoryLabel}</Tag>
            <Tag color={m.status === 'normal' ? 'green' : 'default'}>{m.statusLabel}</Tag>
            {m.isNeedy && <Tag color="orange">{t('困难党员', 'Needy member')}</Tag>}
            {m.isVeteran && <Tag color="gold">{t('老党员', 'Veteran')}</Tag>}
            {m.mobileTo && <Tag color="blue">{t('流动党员', 'Mobile member')}</Tag>}
            {m.leaderRank && (
              <Tag color="red">
                {labelOf(LEADER_RANKS, m.leaderRank)}
                {t('领导干部', ' leader')}
              </Tag>
            )}
          </Flex>
        }
        extra={<RevealButton reveal={reveal} id={m.id} name={m.name} />}
      />
      <Card size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'gender', label: t('性别', 'Gender'), children: labelOf(GENDERS, m.gender) || m.gender },
            { key: 'ethnicity', label: t('民族', 'Ethnicity'), children: m.ethnicity },
            {
              key: 'birth',
              label: t('出生日期', 'Born'),
              children: `${m.birthDate}（${m.age}${t('岁', ' years')}）`,
            },
            {
              key: 'id',
              label: t('身份证号', 'ID number'),
              children: (
                <Typography.Text copyable={full ? { text: full.idNumber } : false}>
                  {full?.idNumber ?? m.idNumber}
                </Typography.Text>
              ),
            },
            {
              key: 'phone',
              label: t('联系电话', 'Phone'),
              children: dash(full ? full.phone : m.phone),
            },
            { key: 'edu', label: t('学历', 'Education'), children: dash(m.educationLabel) },
            {
              key: 'org',
              label: t('所在党组织', 'Branch'),
              children: <Link to={`/orgs/${m.orgId}`}>{m.orgName}</Link>,
            },
            { key: 'join', label: t('入党时间', 'Joined'), children: dash(m.joinDate) },
            { key: 'full', label: t('转正时间', 'Full member since'), children: dash(m.fullMemberDate) },
            { key: 'occupation', label: t('工作岗位', 'Occupation'), children: dash(m.occupation) },
            {
              key: 'address',
              label: t('家庭住址', 'Address'),
              children: dash(full ? full.address : m.address),
            },
            ...(m.mobileTo
              ? [{ key: 'mobile', label: t('流动去向', 'Working in'), children: m.mobileTo }]
              : []),
            ...(m.leaderUnit ? [{ key: 'unit', label: t('工作单位', 'Unit'), children: m.leaderUnit }] : []),
          ]}
        />
      </Card>

      {can('pairing.read') && (
        <section style={{ marginTop: 20 }} aria-label={t('结对', 'Pairings')}>
          <Typography.Title level={4} style={{ fontSize: 16, marginBottom: 8 }}>
            {t('本年度结对', "This year's pairings")}
          </Typography.Title>
          {pairings.isError ? (
            <ErrorState error={pairings.error} onRetry={() => void pairings.refetch()} />
          ) : pairings.isPending ? (
            <Loading />
          ) : (
            <Card size="small" styles={{ body: { padding: 0 } }}>
              <PairingTable
                items={pairings.data}
                emptyText={t('该党员本年度没有结对', 'No pairings for this member this year')}
              />
            </Card>
          )}
        </section>
      )}
    </>
  );
}
