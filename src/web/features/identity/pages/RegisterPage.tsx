import { Button, Checkbox, Form, Steps } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { homeFor, safeNext } from '../../../app/audiences';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useCountdown } from '../../../shared/ui/useCountdown';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { AuthCard } from '../components/AuthCard';
import { CodeField, NameField, NewPasswordFields, PhoneField, toPhone } from '../components/fields';
import { SendCodeButton } from '../components/SendCodeButton';
import { useMe, useRegister } from '../identity.api';

interface RegisterValues {
  phone: string;
  code: string;
  name: string;
  password: string;
  confirm: string;
  agree: boolean;
}

/** Two steps: prove the phone with an SMS code, then set name and password. */
export default function RegisterPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('nav.register'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const me = useMe();
  const [form] = Form.useForm<RegisterValues>();
  const [step, setStep] = useState<0 | 1>(0);
  const [error, setError] = useState<unknown>(null);
  const countdown = useCountdown();
  const register = useRegister();

  if (me.isPending) return <PageLoader />;
  if (me.data) return <Navigate to={next ?? homeFor(me.data)} replace />;

  const showError = (e: unknown) => {
    if (!e) {
      setError(null);
      return;
    }
    if (!applyFieldErrors(form, e, locale)) setError(e);
  };

  const onFinish = (v: RegisterValues) => {
    setError(null);
    register.mutate(
      { phone: toPhone(v.phone), code: v.code.trim(), name: v.name.trim(), password: v.password },
      {
        onSuccess: (user) => navigate(next ?? homeFor(user), { replace: true }),
        onError: showError,
      },
    );
  };

  return (
    <AuthCard
      title={t('auth.register.title')}
      subtitle={t('auth.register.subtitle')}
      footer={
        <>
          {t('auth.register.hasAccount')}{' '}
          <Link to={next ? `/login?next=${encodeURIComponent(next)}` : '/login'} className="tap">
            {t('auth.register.toLogin')}
          </Link>
        </>
      }
    >
      <Steps
        className="auth-steps"
        size="small"
        direction="horizontal"
        responsive={false}
        current={step}
        items={[{ title: t('auth.register.stepPhone') }, { title: t('auth.register.stepProfile') }]}
      />
      <Form
        form={form}
        name="register"
        layout="vertical"
        requiredMark={false}
        size="large"
        onFinish={onFinish}
      >
        <PhoneField
          readOnly={step === 1}
          addon={
            step === 1 ? (
              <Button
                type="link"
                className="inline-action"
                onClick={() => {
                  setStep(0);
                  setError(null);
                }}
              >
                {t('auth.register.changePhone')}
              </Button>
            ) : undefined
          }
        />
        {step === 0 ? (
          <>
            <ErrorAlert error={error} className="form-alert" />
            <Form.Item className="form-submit">
              <SendCodeButton
                form={form}
                purpose="register"
                countdown={countdown}
                onError={showError}
                onSent={() => setStep(1)}
                label={t('auth.register.next')}
                type="primary"
                block
              />
            </Form.Item>
          </>
        ) : (
          <>
            <CodeField
              formName="register"
              sendButton={
                <SendCodeButton form={form} purpose="register" countdown={countdown} onError={showError} />
              }
            />
            <NameField />
            <NewPasswordFields />
            <Form.Item
              name="agree"
              valuePropName="checked"
              rules={[
                {
                  validator: (_r, checked: boolean | undefined) =>
                    checked ? Promise.resolve() : Promise.reject(new Error(t('auth.register.agreeRequired'))),
                },
              ]}
            >
              <Checkbox className="agree">{t('auth.register.agree')}</Checkbox>
            </Form.Item>
            <ErrorAlert error={error} className="form-alert" />
            <Button type="primary" htmlType="submit" block loading={register.isPending}>
              {t('auth.register.submit')}
            </Button>
          </>
        )}
      </Form>
    </AuthCard>
  );
}
