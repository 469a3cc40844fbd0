import { Alert, Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { type Locale, useLocale, useT } from '../../../shared/i18n';
import { useMe } from '../identity.api';

const when = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));

/**
 * Mandatory authenticator, within grace: a banner on every console page (it cannot be closed) that links to the
 * enrolment card in 账号安全. Past grace the guards send the person to that card instead.
 */
export function TotpEnrolmentBanner() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const navigate = useNavigate();
  const by = me.data?.totpEnrolBy;
  if (!by) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      role="alert"
      className="totp-enrol-banner"
      message={t('account.totp.graceTitle', { time: when(by, locale) })}
      description={t('account.totp.graceBody')}
      action={
        <Button type="primary" size="small" onClick={() => navigate('/account/security#totp')}>
          {t('account.totp.graceLink')}
        </Button>
      }
    />
  );
}
