import { App, Button, type FormInstance } from 'antd';
import { useT } from '../../../shared/i18n';
import { useCountdown } from '../../../shared/ui/useCountdown';
import { useSendOtp } from '../identity.api';
import type { OtpPurpose, SendOtpResult } from '../identity.types';
import { maskPhone, toPhone } from './fields';

interface Props {
  form: FormInstance;
  purpose: OtpPurpose;
  /** Called with the failure so the page can show it where its other errors go. */
  onError: (error: unknown) => void;
  onSent?: (result: SendOtpResult) => void;
  /** Seconds already running from an earlier send (e.g. the register page's first step). */
  countdown?: ReturnType<typeof useCountdown>;
  label?: string;
  block?: boolean;
  type?: 'default' | 'primary';
}

/** Validates the phone field, asks the server for a code, then counts down until a resend is allowed. */
export function SendCodeButton({ form, purpose, onError, onSent, countdown, label, block, type }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const own = useCountdown();
  const { remaining, start } = countdown ?? own;
  const send = useSendOtp();

  const onClick = async () => {
    let phone: string;
    try {
      phone = toPhone(((await form.validateFields(['phone'])) as { phone: string }).phone);
    } catch {
      return;
    }
    onError(null);
    send.mutate(
      { phone, purpose },
      {
        onSuccess: (res) => {
          start(res.retryAfterSeconds > 0 ? res.retryAfterSeconds : 60);
          message.success(t('auth.codeSent', { phone: maskPhone(phone) }));
          onSent?.(res);
        },
        onError: (e) => {
          if (e.retryAfterSeconds) start(e.retryAfterSeconds);
          onError(e);
        },
      },
    );
  };

  const waiting = remaining > 0;
  return (
    <Button
      className="send-code"
      type={type}
      block={block}
      onClick={onClick}
      loading={send.isPending}
      disabled={waiting}
      aria-live="polite"
    >
      {waiting ? t('auth.resendIn', { seconds: remaining }) : (label ?? t('auth.sendCode'))}
    </Button>
  );
}
