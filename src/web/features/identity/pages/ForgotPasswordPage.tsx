import { App, Button, Form } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { AuthCard } from '../components/AuthCard';
import { CodeField, NewPasswordFields, PhoneField, toPhone } from '../components/fields';
import { SendCodeButton } from '../components/SendCodeButton';
import { useResetPassword } from '../identity.api';

interface ResetValues {
  phone: string;
  code: string;
  newPassword: string;
  confirm: string;
}

export default function ForgotPasswordPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('auth.reset.title'));
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<ResetValues>();
  const [error, setError] = useState<unknown>(null);
  const reset = useResetPassword();

  const showError = (e: unknown) => {
    if (!e) {
      setError(null);
      return;
    }
    if (!applyFieldErrors(form, e, locale)) setError(e);
  };

  return (
    <AuthCard
      title={t('auth.reset.title')}
      subtitle={t('auth.reset.subtitle')}
      footer={
        <Link to="/login" className="tap">
          {t('auth.reset.backToLogin')}
        </Link>
      }
    >
      <Form
        form={form}
        name="reset"
        layout="vertical"
        requiredMark={false}
        size="large"
        onFinish={(v) => {
          setError(null);
          reset.mutate(
            { phone: toPhone(v.phone), code: v.code.trim(), newPassword: v.newPassword },
            {
              onSuccess: () => {
                message.success(t('auth.reset.success'));
                navigate('/login', { replace: true });
              },
              onError: showError,
            },
          );
        }}
      >
        <PhoneField />
        <CodeField
          formName="reset"
          sendButton={<SendCodeButton form={form} purpose="reset_password" onError={showError} />}
        />
        <NewPasswordFields name="newPassword" />
        <ErrorAlert error={error} className="form-alert" />
        <Button type="primary" htmlType="submit" block loading={reset.isPending}>
          {t('auth.reset.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
