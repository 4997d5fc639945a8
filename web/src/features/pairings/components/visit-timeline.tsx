import { Flex, Image, Tag, Timeline, Typography } from 'antd';
import { EmptyState } from '../../../components/states';
import { useI18n } from '../../../lib/i18n';
import type { Register } from '../api/get-register';
import { CorrectVisit, useMayCorrect } from './correct-visit';

type Visit = Register['visits'][number];

const amount = (n: number) => (Number.isInteger(n) ? n.toLocaleString('zh-CN') : n.toFixed(2));

function VisitEntry({ v, pairingKind }: { v: Visit; pairingKind: string }) {
  const { t } = useI18n();
  const mayCorrect = useMayCorrect();
  return (
    <div style={{ wordBreak: 'break-word' }}>
      <Flex wrap gap={6} align="center">
        <Typography.Text strong>{v.visitedOn}</Typography.Text>
        <Tag style={{ marginInlineEnd: 0 }}>{v.kindLabel}</Tag>
        {v.subKind && <Typography.Text type="secondary">{v.subKind}</Typography.Text>}
        {mayCorrect(v) && <CorrectVisit visit={v} pairingKind={pairingKind} />}
      </Flex>
      <div style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>{v.content}</div>
      {v.problemsFound && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('发现问题', 'Problems found')}：{v.problemsFound}
        </Typography.Paragraph>
      )}
      {v.problemsSolved && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('解决问题', 'Problems solved')}：{v.problemsSolved}
        </Typography.Paragraph>
      )}
      {v.outcomes.length > 0 && (
        <Flex wrap gap={4} style={{ marginTop: 4 }}>
          {v.outcomes.map((o, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: outcomes have no id
            <Tag key={i} color="green" style={{ marginInlineEnd: 0 }}>
              {o.note ? `${o.note} ` : ''}
              {amount(o.amount)}
              {o.unitLabel}
            </Tag>
          ))}
        </Flex>
      )}
      {v.participants.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 13, display: 'block', marginTop: 4 }}>
          {t('参加人员', 'Participants')}：{v.participants.map((p) => p.name).join('、')}
        </Typography.Text>
      )}
      {v.photos.length > 0 && (
        <Image.PreviewGroup>
          <Flex wrap gap={6} style={{ marginTop: 8 }}>
            {v.photos.map((p, i) => (
              <Image
                key={p.id}
                src={p.url}
                width={88}
                height={88}
                style={{ objectFit: 'cover', borderRadius: 4 }}
                alt={t(`${v.visitedOn}活动照片${i + 1}`, `Photo ${i + 1} of ${v.visitedOn}`)}
              />
            ))}
          </Flex>
        </Image.PreviewGroup>
      )}
    </div>
  );
}

/** The year's visits and activities, newest first, each with its photos (tap to enlarge). */
export function VisitTimeline({ visits, pairingKind }: { visits: Visit[]; pairingKind: string }) {
  const { t } = useI18n();
  if (!visits.length) return <EmptyState text={t('本年度尚无走访记录', 'No visits this year yet')} />;
  const sorted = [...visits].sort((a, b) => b.visitedOn.localeCompare(a.visitedOn) || b.id - a.id);
  return (
    <Timeline
      items={sorted.map((v) => ({
        key: v.id,
        color: v.kind === 'on_site_work' ? 'red' : 'blue',
        content: <VisitEntry v={v} pairingKind={pairingKind} />,
      }))}
    />
  );
}
