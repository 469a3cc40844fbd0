import { Spin } from 'antd';
import { useT } from '../i18n';

export function PageLoader() {
  const t = useT();
  return (
    <div className="page-loader" role="status" aria-live="polite">
      <Spin size="large" />
      <span className="sr-only">{t('app.loading')}</span>
    </div>
  );
}
