import { Tag, Tooltip } from 'antd';
import { useI18n } from '../lib/i18n';
import { isLevel, LEVELS } from './level-badge';

/** The server's compliance of a pairing, as it comes in a Pairing (levelLabel is Chinese already). */
export interface ComplianceLike {
  level: string;
  levelLabel: string;
  done: number;
  required: number;
  hasQuota: boolean;
  shortfall: number;
}

/** 达标情况: the level badge (colours and words of level-badge.tsx) with visits done of those required. */
export function ComplianceTag({ compliance }: { compliance: ComplianceLike | null | undefined }) {
  const { lang, t } = useI18n();
  if (!compliance) return <Tag>{t('无考核', 'No quota')}</Tag>;
  const level = isLevel(compliance.level) ? LEVELS[compliance.level] : null;
  const label = lang === 'en' ? (level?.en ?? compliance.levelLabel) : compliance.levelLabel;
  const tag = (
    <Tag color={level?.color ?? 'default'} variant="filled" style={{ marginInlineEnd: 0 }}>
      {label}
      {compliance.hasQuota && ` ${compliance.done}/${compliance.required}`}
    </Tag>
  );
  return compliance.hasQuota ? (
    <Tooltip
      title={t(
        `已走访${compliance.done}次，全年应走访${compliance.required}次`,
        `${compliance.done} of ${compliance.required} visits done`,
      )}
    >
      {tag}
    </Tooltip>
  ) : (
    tag
  );
}
