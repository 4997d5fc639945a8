import { Alert, Button, Empty, Result, Spin } from 'antd';
import { isApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';

/** Loading, empty and error states every screen shows the same way. */
export function Loading({ tip }: { tip?: string }) {
  const { t } = useI18n();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status" aria-live="polite">
      <Spin />
      <div style={{ marginTop: 12, color: '#888' }}>{tip ?? t('正在加载…', 'Loading…')}</div>
    </div>
  );
}

export function EmptyState({ text }: { text?: string }) {
  const { t } = useI18n();
  return <Empty description={text ?? t('暂无数据', 'Nothing here yet')} />;
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { lang, t } = useI18n();
  const message = isApiError(error) ? error.text(lang) : t('出错了，请稍后重试', 'Something went wrong');
  if (isApiError(error) && (error.status === 403 || error.status === 404)) {
    return (
      <Result
        status={error.status === 403 ? '403' : '404'}
        title={error.status === 403 ? t('没有权限', 'Not allowed') : t('未找到', 'Not found')}
        subTitle={message}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      title={message}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('重试', 'Retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
