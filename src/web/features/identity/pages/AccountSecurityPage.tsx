import { LogoutOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Popconfirm, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { isApiError } from '../../../shared/api';
import { type Locale, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { NewPasswordFields, PasswordInput } from '../components/fields';
import { TotpCard } from '../components/TotpCard';
import { SecurityKeyCard } from '../components/SecurityKeyCard';
import {
  useChangePassword,
  useMe,
  useRevokeOtherSessions,
  useRevokeSession,
  useSessions,
} from '../identity.api';
import { TotpEnrolmentBanner } from '../components/TotpEnrolmentBanner';
import type { SessionView } from '../identity.types';
import '../account.css';

const when = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Change the password: wrong current password and weak new password are shown under their fields. */
function ChangePasswordCard() {
  const t = useT();
  const { locale } = useLocale();
  const [form] = Form.useForm<PasswordValues>();
  const change = useChangePassword();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  const onFinish = (v: PasswordValues) => {
    setError(null);
    setDone(false);
    change.mutate(
      { currentPassword: v.currentPassword, newPassword: v.newPassword },
      {
        onSuccess: () => {
          form.resetFields();
          setDone(true);
        },
        onError: (e) => {
          if (isApiError(e) && e.code === 'PASSWORD_CURRENT_INVALID') {
            form.setFields([{ name: 'currentPassword', errors: [e.localized(locale)] }]);
          } else if (isApiError(e) && (e.code === 'PASSWORD_WEAK' || e.code === 'PASSWORD_BREACHED')) {
            form.setFields([{ name: 'newPassword', errors: [e.localized(locale)] }]);
          } else setError(e);
        },
      },
    );
  };

  return (
    <Card title={<h2>{t('account.password.title')}</h2>}>
      <Alert type="info" showIcon message={t('account.password.othersEnd')} className="form-alert" />
      <Form form={form} layout="vertical" name="change-password" onFinish={onFinish} requiredMark={false}>
        <Form.Item
          name="currentPassword"
          label={t('account.password.current')}
          rules={[{ required: true, message: t('account.password.currentRequired') }]}
        >
          <PasswordInput autoComplete="current-password" />
        </Form.Item>
        <NewPasswordFields name="newPassword" />
        <ErrorAlert error={error} className="form-alert" />
        {done && (
          <Alert
            type="success"
            showIcon
            role="status"
            message={t('account.password.done')}
            className="form-alert"
          />
        )}
        <Button type="primary" htmlType="submit" block loading={change.isPending}>
          {t('account.password.submit')}
        </Button>
      </Form>
    </Card>
  );
}

function SessionRow({ s, onRevoke, busy }: { s: SessionView; onRevoke: () => void; busy: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const device = s.device ?? t('account.sessions.unknownDevice');
  return (
    <li className="session-item">
      <div className="session-main">
        <span className="session-device">{device}</span>{' '}
        {s.current && (
          <Tag color="green" bordered={false}>
            {t('account.sessions.thisDevice')}
          </Tag>
        )}
        <span className="session-meta">
          {t('account.sessions.lastSeen', { time: when(s.lastSeenAt, locale) })}
        </span>
        <span className="session-meta">
          {t('account.sessions.created', { time: when(s.createdAt, locale) })}
        </span>
        {s.ipMasked && <span className="session-meta">{t('account.sessions.ip', { ip: s.ipMasked })}</span>}
      </div>
      {!s.current && (
        <Button icon={<LogoutOutlined aria-hidden />} onClick={onRevoke} loading={busy}>
          {t('account.sessions.signOut')}
          <span className="sr-only">
            {t('account.sessions.signOutWhich', { device, time: when(s.lastSeenAt, locale) })}
          </span>
        </Button>
      )}
    </li>
  );
}

/** The account's live sessions: sign out one, or every one but this. */
function SessionsCard() {
  const t = useT();
  const { message } = App.useApp();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  const [error, setError] = useState<unknown>(null);
  const others = (sessions.data ?? []).filter((s) => !s.current).length;

  return (
    <Card title={<h2>{t('account.sessions.title')}</h2>}>
      <p className="muted small">{t('account.sessions.hint')}</p>
      {sessions.isPending ? (
        <Spin />
      ) : sessions.isError ? (
        <ErrorAlert error={sessions.error} />
      ) : (
        <ul className="session-list" aria-label={t('account.sessions.title')}>
          {sessions.data.map((s) => (
            <SessionRow
              key={s.id}
              s={s}
              busy={revoke.isPending && revoke.variables === s.id}
              onRevoke={() => {
                setError(null);
                revoke.mutate(s.id, {
                  onSuccess: () => message.success(t('account.sessions.signedOut')),
                  onError: setError,
                });
              }}
            />
          ))}
        </ul>
      )}
      <ErrorAlert error={error} className="form-alert" />
      {others > 0 ? (
        <Popconfirm
          title={t('account.sessions.confirmOthers')}
          okText={t('account.confirm')}
          cancelText={t('account.cancel')}
          onConfirm={() => {
            setError(null);
            revokeOthers.mutate(undefined, {
              onSuccess: (r) => message.success(t('account.sessions.othersSignedOut', { n: r.revoked })),
              onError: setError,
            });
          }}
        >
          <Button danger block loading={revokeOthers.isPending}>
            {t('account.sessions.signOutOthers')}
          </Button>
        </Popconfirm>
      ) : (
        sessions.isSuccess && <p className="muted small">{t('account.sessions.onlyThis')}</p>
      )}
    </Card>
  );
}

/** 账号安全: every signed-in person's password and devices (ASVS 7.5.2), reachable from the account menu. */
export default function AccountSecurityPage() {
  const t = useT();
  useDocumentTitle(t('account.title'));
  const me = useMe();
  const navigate = useNavigate();
  // Held to a mandatory enrolment: only the authenticator card works until it is set up (the rest would be 403).
  const required = !!me.data?.totpEnrolmentRequired;
  const [wasRequired, setWasRequired] = useState(false);
  if (required && !wasRequired) setWasRequired(true);
  const totpFirst = required || !!me.data?.totpEnrolBy;
  // One keyed list: moving the second-factor cards (authenticator, security keys) first never remounts them (the
  // recovery codes stay on screen).
  const factorCards = [<TotpCard key="totp" />, <SecurityKeyCard key="security-keys" />];
  const others = [<ChangePasswordCard key="password" />, <SessionsCard key="sessions" />];
  return (
    <div className="account-page">
      <h1>{t('account.title')}</h1>
      <p className="muted">{t('account.intro')}</p>
      {required ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="form-alert"
          message={t('account.totp.requiredTitle')}
          description={t('account.totp.requiredBody')}
        />
      ) : (
        <TotpEnrolmentBanner />
      )}
      {wasRequired && !required && me.data && (
        <Alert
          type="success"
          showIcon
          className="form-alert"
          message={t('account.totp.enrolled')}
          action={
            <Button type="primary" size="small" onClick={() => navigate(me.data!.home)}>
              {t('account.totp.continue')}
            </Button>
          }
        />
      )}
      <div className="account-cards">
        {totpFirst ? [...factorCards, ...(required ? [] : others)] : [...others, ...factorCards]}
      </div>
    </div>
  );
}
