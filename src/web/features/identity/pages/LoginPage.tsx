import { Button, Form, Tabs } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { homeFor, safeNext } from '../../../app/audiences';
import { useLocale, useT } from '../../../shared/i18n';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { AuthCard } from '../components/AuthCard';
import { CodeField, PasswordInput, PhoneField, toPhone } from '../components/fields';
import { MfaStep } from '../components/MfaStep';
import { SendCodeButton } from '../components/SendCodeButton';
import { useMe, useOtpLogin, usePasswordLogin } from '../identity.api';
import type { Me, OtpLoginInput, PasswordLoginInput } from '../identity.types';

type Tab = 'password' | 'code';

export default function LoginPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('nav.login'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const me = useMe();

  const [tab, setTab] = useState<Tab>('password');
  const [passwordForm] = Form.useForm<PasswordLoginInput>();
  const [codeForm] = Form.useForm<OtpLoginInput>();
  const [error, setError] = useState<unknown>(null);
  const passwordLogin = usePasswordLogin();
  const otpLogin = useOtpLogin();

  if (me.isPending) return <PageLoader />;
  const onSignedIn = (user: Me) => {
    // A regulator or admin stays here for the SMS step (the cached user now says mfaPending).
    if (!user.mfaPending) navigate(next ?? homeFor(user), { replace: true });
  };
  if (me.data?.mfaPending)
    return (
      <AuthCard title={t('auth.mfa.title')}>
        <MfaStep me={me.data} onConfirmed={onSignedIn} />
      </AuthCard>
    );
  if (me.data) return <Navigate to={next ?? homeFor(me.data)} replace />;

  const onTabChange = (key: string) => {
    const target = key as Tab;
    // Carry the number across so nobody types it twice.
    const phone = (target === 'code' ? passwordForm : codeForm).getFieldValue('phone') as string | undefined;
    if (phone) (target === 'code' ? codeForm : passwordForm).setFieldValue('phone', phone);
    setError(null);
    setTab(target);
  };

  const showError = (form: typeof passwordForm | typeof codeForm) => (e: unknown) => {
    if (!applyFieldErrors(form, e, locale)) setError(e);
  };

  const passwordPane = (
    <Form
      form={passwordForm}
      name="login-password"
      layout="vertical"
      requiredMark={false}
      size="large"
      onFinish={(values) => {
        setError(null);
        passwordLogin.mutate(
          { phone: toPhone(values.phone), password: values.password },
          { onSuccess: onSignedIn, onError: showError(passwordForm) },
        );
      }}
    >
      <PhoneField />
      <Form.Item
        name="password"
        label={t('auth.password')}
        rules={[{ required: true, message: t('auth.passwordRequired') }]}
      >
        <PasswordInput autoComplete="current-password" placeholder={t('auth.passwordPlaceholder')} />
      </Form.Item>
      <div className="form-links">
        <Link to="/forgot-password" className="tap">
          {t('auth.login.forgot')}
        </Link>
      </div>
      {tab === 'password' && <ErrorAlert error={error} className="form-alert" />}
      <Button type="primary" htmlType="submit" block loading={passwordLogin.isPending}>
        {t('auth.login.submit')}
      </Button>
    </Form>
  );

  const codePane = (
    <Form
      form={codeForm}
      name="login-code"
      layout="vertical"
      requiredMark={false}
      size="large"
      onFinish={(values) => {
        setError(null);
        otpLogin.mutate(
          { phone: toPhone(values.phone), code: values.code },
          { onSuccess: onSignedIn, onError: showError(codeForm) },
        );
      }}
    >
      <PhoneField />
      <CodeField
        formName="login-code"
        sendButton={<SendCodeButton form={codeForm} purpose="login" onError={showError(codeForm)} />}
      />
      {tab === 'code' && <ErrorAlert error={error} className="form-alert" />}
      <Button type="primary" htmlType="submit" block loading={otpLogin.isPending}>
        {t('auth.login.submit')}
      </Button>
    </Form>
  );

  return (
    <AuthCard
      title={t('auth.login.title')}
      subtitle={t('auth.login.subtitle')}
      footer={
        <>
          {t('auth.login.noAccount')}{' '}
          <Link to={next ? `/register?next=${encodeURIComponent(next)}` : '/register'} className="tap">
            {t('auth.login.toRegister')}
          </Link>
        </>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={onTabChange}
        centered
        size="large"
        items={[
          { key: 'password', label: t('auth.login.tabPassword'), children: passwordPane },
          { key: 'code', label: t('auth.login.tabCode'), children: codePane },
        ]}
      />
    </AuthCard>
  );
}
