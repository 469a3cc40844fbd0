import { Button, Form, Input, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { useCountdown } from '../../../shared/ui/useCountdown';
import {
  useLogout,
  useResendMfa,
  useSecurityKeys,
  useTotpStatus,
  useVerifyMfa,
  useVerifyMfaWithKey,
} from '../identity.api';
import { CODE_PATTERN, type Me, type MfaVerifyInput } from '../identity.types';
import { CodeField } from './fields';

/**
 * The second step of an account with an authenticator: its current TOTP code, or one of its recovery codes.
 * No SMS was sent (the phone is not this account's second factor).
 */
function TotpStep({ onConfirmed }: { onConfirmed: (user: Me) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [form] = Form.useForm<MfaVerifyInput>();
  const [error, setError] = useState<unknown>(null);
  const [recovery, setRecovery] = useState(false);
  const verify = useVerifyMfa();
  const method = recovery ? 'recovery' : 'totp';
  return (
    <>
      <p className="auth-subtitle">{t(recovery ? 'auth.mfa.recoveryIntro' : 'auth.mfa.totpIntro')}</p>
      <Form
        form={form}
        name="login-totp"
        layout="vertical"
        requiredMark={false}
        size="large"
        onFinish={(values) => {
          setError(null);
          verify.mutate(
            { code: values.code.trim(), method },
            {
              onSuccess: onConfirmed,
              onError: (e) => {
                if (!applyFieldErrors(form, e, locale)) setError(e);
              },
            },
          );
        }}
      >
        {recovery ? (
          <Form.Item
            key="recovery"
            name="code"
            label={t('auth.mfa.recoveryLabel')}
            rules={[{ required: true, whitespace: true, message: t('auth.mfa.recoveryRequired') }]}
          >
            <Input autoComplete="off" maxLength={20} placeholder={t('auth.mfa.recoveryPlaceholder')} />
          </Form.Item>
        ) : (
          <Form.Item
            key="totp"
            name="code"
            label={t('auth.mfa.totpLabel')}
            rules={[
              { required: true, message: t('auth.mfa.totpRequired') },
              { pattern: CODE_PATTERN, message: t('auth.mfa.totpRequired') },
            ]}
            validateFirst
          >
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
          </Form.Item>
        )}
        <ErrorAlert error={error} className="form-alert" />
        <Button type="primary" htmlType="submit" block loading={verify.isPending}>
          {t('auth.mfa.submit')}
        </Button>
      </Form>
      <div className="form-links">
        <Button
          type="link"
          className="tap"
          onClick={() => {
            setError(null);
            form.resetFields();
            setRecovery((r) => !r);
          }}
        >
          {t(recovery ? 'auth.mfa.useTotp' : 'auth.mfa.useRecovery')}
        </Button>
      </div>
    </>
  );
}

/** The second step with a security key (安全密钥 / UKey): the browser asks for the key (insert, touch, PIN). */
function KeyStep({ onConfirmed }: { onConfirmed: (user: Me) => void }) {
  const t = useT();
  const verify = useVerifyMfaWithKey();
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <p className="auth-subtitle">{t('auth.mfa.keyIntro')}</p>
      <ErrorAlert error={error} className="form-alert" />
      <Button
        type="primary"
        size="large"
        block
        loading={verify.isPending}
        onClick={() => {
          setError(null);
          verify.mutate(undefined, {
            onSuccess: onConfirmed,
            onError: (e) =>
              setError(
                e instanceof Error && !('status' in e) && /NotAllowed|AbortError/i.test(e.name)
                  ? new Error(t('account.keys.cancelled'))
                  : e,
              ),
          });
        }}
      >
        {t('auth.mfa.useKey')}
      </Button>
    </>
  );
}

/**
 * The second sign-in step of regulator and admin accounts: a security key or an authenticator code when the account
 * has one (the key first; the other as a link); otherwise the SMS code the server sent when it accepted the
 * password. Those roles are withheld until then.
 */
export function MfaStep({ me, onConfirmed }: { me: Me; onConfirmed: (user: Me) => void }) {
  const t = useT();
  const totp = useTotpStatus();
  const keys = useSecurityKeys();
  const logout = useLogout();
  const [codeInstead, setCodeInstead] = useState(false);
  if (totp.isPending || keys.isPending) return <Spin />;
  const hasKey = (keys.data?.items.length ?? 0) > 0;
  const hasTotp = !!totp.data?.enrolled;
  return (
    <>
      {hasKey && !(hasTotp && codeInstead) ? (
        <KeyStep onConfirmed={onConfirmed} />
      ) : hasTotp ? (
        <TotpStep onConfirmed={onConfirmed} />
      ) : (
        <SmsStep me={me} onConfirmed={onConfirmed} />
      )}
      {hasKey && hasTotp && (
        <div className="form-links">
          <Button type="link" className="tap" onClick={() => setCodeInstead((c) => !c)}>
            {t(codeInstead ? 'auth.mfa.useKey' : 'auth.mfa.useTotp')}
          </Button>
        </div>
      )}
      <div className="form-links">
        <Button
          type="link"
          className="tap"
          loading={logout.isPending}
          onClick={() => logout.mutate(undefined, { onSuccess: (forget) => forget() })}
        >
          {t('auth.mfa.otherAccount')}
        </Button>
      </div>
    </>
  );
}

/** The SMS code sent at sign-in (accounts without an authenticator). */
function SmsStep({ me, onConfirmed }: { me: Me; onConfirmed: (user: Me) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [form] = Form.useForm<MfaVerifyInput>();
  const [error, setError] = useState<unknown>(null);
  const verify = useVerifyMfa();
  const resend = useResendMfa();
  const { remaining, start } = useCountdown();

  // A code went out with the password step; the server allows the next one a minute later.
  useEffect(() => start(60), [start]);

  const onResend = () => {
    setError(null);
    resend.mutate(undefined, {
      onSuccess: (res) => start(res.retryAfterSeconds),
      onError: (e) => {
        if (e.retryAfterSeconds) start(e.retryAfterSeconds);
        setError(e);
      },
    });
  };

  return (
    <>
      <p className="auth-subtitle">{t('auth.mfa.intro', { phone: me.phoneMasked })}</p>
      <Form
        form={form}
        name="login-mfa"
        layout="vertical"
        requiredMark={false}
        size="large"
        onFinish={(values) => {
          setError(null);
          verify.mutate(
            { code: values.code },
            {
              onSuccess: onConfirmed,
              onError: (e) => {
                if (!applyFieldErrors(form, e, locale)) setError(e);
              },
            },
          );
        }}
      >
        <CodeField
          formName="login-mfa"
          sendButton={
            <Button
              className="send-code"
              onClick={onResend}
              loading={resend.isPending}
              disabled={remaining > 0}
              aria-live="polite"
            >
              {remaining > 0 ? t('auth.resendIn', { seconds: remaining }) : t('auth.mfa.resend')}
            </Button>
          }
        />
        <ErrorAlert error={error} className="form-alert" />
        <Button type="primary" htmlType="submit" block loading={verify.isPending}>
          {t('auth.mfa.submit')}
        </Button>
      </Form>
    </>
  );
}
