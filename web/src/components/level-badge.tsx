import { Tag } from 'antd';
import { useI18n } from '../lib/i18n';

/**
 * A pairing's compliance level (完成情况) as the compliance engine names it: on track, behind pace,
 * short at year end, not started. Colour and words together, so it reads without colour too.
 * `level` is the server's code (`compliance.level`); null or undefined means no quota applies.
 */
export type ComplianceLevel = 'on_track' | 'behind_pace' | 'short' | 'not_started';

export const LEVELS: Record<ComplianceLevel, { zh: string; en: string; color: string }> = {
  on_track: { zh: '进度正常', en: 'On track', color: 'success' },
  behind_pace: { zh: '进度滞后', en: 'Behind pace', color: 'warning' },
  short: { zh: '年终未完成', en: 'Short at year end', color: 'error' },
  not_started: { zh: '未开始', en: 'Not started', color: 'default' },
};

export const isLevel = (level: unknown): level is ComplianceLevel =>
  typeof level === 'string' && level in LEVELS;

export function LevelBadge({
  level,
  hasQuota = true,
}: {
  level: string | null | undefined;
  hasQuota?: boolean;
}) {
  const { t } = useI18n();
  if (!hasQuota) return <Tag variant="outlined">{t('无次数要求', 'No quota')}</Tag>;
  if (!isLevel(level)) return <Tag variant="outlined">{t('未评估', 'Not assessed')}</Tag>;
  const l = LEVELS[level];
  return (
    <Tag color={l.color} style={{ marginInlineEnd: 0 }}>
      {t(l.zh, l.en)}
    </Tag>
  );
}
