import { Tag } from 'antd';
import { useI18n } from '../../../lib/i18n';

/** Whether a notice is running (公示中) or over. */
export function NoticeState({ open }: { open: boolean }) {
  const { t } = useI18n();
  return open ? (
    <Tag color="orange" style={{ marginInlineEnd: 0 }}>
      {t('公示中', 'Open')}
    </Tag>
  ) : (
    <Tag style={{ marginInlineEnd: 0 }}>{t('已结束', 'Closed')}</Tag>
  );
}
