import { Alert } from 'antd';
import { isApiError } from '../api';
import { useLocale, useT } from '../i18n';

/** A readable, localized alert for a failed call; renders nothing when there is no error. */
export function ErrorAlert({ error, className }: { error: unknown; className?: string }) {
  const { locale } = useLocale();
  const t = useT();
  if (!error) return null;
  const message = isApiError(error)
    ? error.localized(locale)
    : error instanceof Error
      ? error.message
      : t('error.generic.body');
  const requestId = isApiError(error) ? error.requestId : undefined;
  return (
    <Alert
      className={className}
      type="error"
      showIcon
      role="alert"
      message={message}
      description={
        requestId ? <span className="muted small">{t('error.requestId', { id: requestId })}</span> : undefined
      }
    />
  );
}
