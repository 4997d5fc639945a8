import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../lib/i18n';

export default function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t('页面不存在', 'Page not found')}
      extra={
        <Link to="/">
          <Button type="primary">{t('回到工作台', 'Back to home')}</Button>
        </Link>
      }
    />
  );
}
