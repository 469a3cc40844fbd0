import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Space, Spin, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { type Locale, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import {
  useConfirmTotp,
  useDisableTotp,
  useRegenerateRecoveryCodes,
  useSecurityKeys,
  useStartTotp,
  useTotpStatus,
} from '../identity.api';
import { CODE_PATTERN, type TotpEnrolment } from '../identity.types';
import { PasswordInput } from './fields';

const when = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
  }).format(new Date(iso));

/** The six-digit input used for enrolling and removing (digits only, the phone's one-time-code keyboard). */
function TotpCodeItem({ label }: { label: string }) {
  const t = useT();
  return (
    <Form.Item
      name="code"
      label={label}
      rules={[
        { required: true, message: t('account.totp.codeRequired') },
        { pattern: CODE_PATTERN, message: t('account.totp.codeRequired') },
      ]}
      validateFirst
    >
      <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
    </Form.Item>
  );
}

/** Scan (or type) the new secret and confirm it with a current code. */
function Enrol({
  enrolment,
  onDone,
  onCancel,
}: {
  enrolment: TotpEnrolment;
  onDone: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const [form] = Form.useForm<{ code: string }>();
  const confirm = useConfirmTotp();
  const [error, setError] = useState<unknown>(null);
  const grouped = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
  return (
    <div className="totp-enrol">
      <p>{t('account.totp.scan')}</p>
      <img
        className="totp-qr"
        src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
        alt={t('account.totp.qr')}
        width={200}
        height={200}
      />
      <p>
        {t('account.totp.secret')}:{' '}
        <Typography.Text code copyable={{ text: enrolment.secret }} className="totp-secret">
          {grouped}
        </Typography.Text>
      </p>
      <Form
        form={form}
        layout="vertical"
        name="totp-confirm"
        requiredMark={false}
        onFinish={(v) => {
          setError(null);
          confirm.mutate(v.code, {
            onSuccess: (r) => onDone(r.recoveryCodes),
            onError: (e) => {
              if (!applyFieldErrors(form, e, locale)) setError(e);
            },
          });
        }}
      >
        <TotpCodeItem label={t('account.totp.code')} />
        <ErrorAlert error={error} className="form-alert" />
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={confirm.isPending}>
            {t('account.totp.confirm')}
          </Button>
          <Button onClick={onCancel}>{t('account.totp.cancel')}</Button>
        </Space>
      </Form>
    </div>
  );
}

/** The recovery codes, shown once: copy or download them, then close. */
function RecoveryCodes({ codes, onClose }: { codes: string[]; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const text = `${t('account.totp.codesFileTitle')}\n${codes.join('\n')}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'anxin-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div>
      <h3 className="totp-codes-title">{t('account.totp.codesTitle')}</h3>
      <Alert type="warning" showIcon message={t('account.totp.codesHint')} className="form-alert" />
      <ol className="totp-codes" aria-label={t('account.totp.codesTitle')}>
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <Space wrap>
        <Button
          icon={<CopyOutlined aria-hidden />}
          onClick={() =>
            navigator.clipboard
              ?.writeText(text)
              .then(() => message.success(t('account.totp.copied')))
              .catch(() => undefined)
          }
        >
          {t('account.totp.copy')}
        </Button>
        <Button icon={<DownloadOutlined aria-hidden />} onClick={download}>
          {t('account.totp.download')}
        </Button>
        <Button type="primary" onClick={onClose}>
          {t('account.totp.saved')}
        </Button>
      </Space>
    </div>
  );
}

/** Replace every recovery code after a current code (the old ones stop working); the new ones are shown once. */
function Regenerate({ onDone }: { onDone: (codes: string[]) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [form] = Form.useForm<{ code: string }>();
  const regenerate = useRegenerateRecoveryCodes();
  const [error, setError] = useState<unknown>(null);
  return (
    <Form
      form={form}
      layout="vertical"
      name="totp-regenerate"
      requiredMark={false}
      className="totp-regenerate"
      onFinish={(v) => {
        setError(null);
        regenerate.mutate(v.code, {
          onSuccess: (r) => {
            form.resetFields();
            onDone(r.recoveryCodes);
          },
          onError: (e) => {
            if (!applyFieldErrors(form, e, locale)) setError(e);
          },
        });
      }}
    >
      <h3 className="totp-codes-title">{t('account.totp.regenerate')}</h3>
      <p className="muted small">{t('account.totp.regenerateHint')}</p>
      <TotpCodeItem label={t('account.totp.code')} />
      <ErrorAlert error={error} className="form-alert" />
      <Button htmlType="submit" loading={regenerate.isPending}>
        {t('account.totp.regenerateSubmit')}
      </Button>
    </Form>
  );
}

/** Remove the authenticator: a current code, or the password and a recovery code. */
function Disable() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code?: string; password?: string; recoveryCode?: string }>();
  const disable = useDisableTotp();
  const [byRecovery, setByRecovery] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Form
      form={form}
      layout="vertical"
      name="totp-disable"
      requiredMark={false}
      onFinish={(v) => {
        setError(null);
        disable.mutate(
          byRecovery ? { password: v.password, recoveryCode: v.recoveryCode } : { code: v.code },
          {
            onSuccess: () => message.success(t('account.totp.disabled')),
            onError: (e) => {
              if (!applyFieldErrors(form, e, locale)) setError(e);
            },
          },
        );
      }}
    >
      <p className="muted small">{t('account.totp.disableHint')}</p>
      {byRecovery ? (
        <>
          <Form.Item
            name="password"
            label={t('account.totp.password')}
            rules={[{ required: true, message: t('account.totp.passwordRequired') }]}
          >
            <PasswordInput autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="recoveryCode"
            label={t('account.totp.recoveryCode')}
            rules={[{ required: true, whitespace: true, message: t('account.totp.recoveryRequired') }]}
          >
            <Input autoComplete="off" maxLength={20} />
          </Form.Item>
        </>
      ) : (
        <TotpCodeItem label={t('account.totp.code')} />
      )}
      <ErrorAlert error={error} className="form-alert" />
      <Space wrap>
        <Button danger htmlType="submit" loading={disable.isPending}>
          {t('account.totp.disable')}
        </Button>
        <Button
          type="link"
          className="tap"
          onClick={() => {
            setError(null);
            setByRecovery((b) => !b);
          }}
        >
          {byRecovery ? t('account.totp.useCode') : t('account.totp.useRecovery')}
        </Button>
      </Space>
    </Form>
  );
}

/** 两步验证（动态口令）: set up a TOTP authenticator as the second sign-in factor, see recovery codes once, remove it. */
export function TotpCard() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const status = useTotpStatus();
  // With a security key the second step is the key, not SMS.
  const hasKey = (useSecurityKeys().data?.items.length ?? 0) > 0;
  const start = useStartTotp();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  // Which step produced the codes on screen: enrolment or a regeneration (the closing message differs).
  const [codesFrom, setCodesFrom] = useState<'enrol' | 'regenerate'>('enrol');
  const [error, setError] = useState<unknown>(null);

  let body: ReactNode;
  if (status.isPending) body = <Spin />;
  else if (status.isError) body = <ErrorAlert error={status.error} />;
  else if (codes)
    body = (
      <RecoveryCodes
        codes={codes}
        onClose={() => {
          setCodes(null);
          message.success(t(codesFrom === 'enrol' ? 'account.totp.enrolled' : 'account.totp.regenerated'));
        }}
      />
    );
  else if (!status.data.available && !status.data.enrolled)
    body = <p className="muted">{t('account.totp.notNeeded')}</p>;
  else if (enrolment)
    body = (
      <Enrol
        enrolment={enrolment}
        onCancel={() => setEnrolment(null)}
        onDone={(c) => {
          setEnrolment(null);
          setCodesFrom('enrol');
          setCodes(c);
        }}
      />
    );
  else if (status.data.enrolled)
    body = (
      <>
        <Alert
          type="success"
          showIcon
          className="form-alert"
          message={t('account.totp.on', {
            time: when(status.data.enrolledAt!, locale),
            n: status.data.recoveryCodesLeft,
          })}
        />
        <Regenerate
          onDone={(c) => {
            setCodesFrom('regenerate');
            setCodes(c);
          }}
        />
        <Disable />
      </>
    );
  else
    body = (
      <>
        <p className="muted small">{t(hasKey ? 'account.totp.offWithKey' : 'account.totp.off')}</p>
        <ErrorAlert error={error} className="form-alert" />
        <Button
          type="primary"
          block
          loading={start.isPending}
          onClick={() => {
            setError(null);
            start.mutate(undefined, { onSuccess: setEnrolment, onError: setError });
          }}
        >
          {t('account.totp.start')}
        </Button>
      </>
    );

  return (
    <Card id="totp" title={<h2>{t('account.totp.title')}</h2>}>
      <p className="muted small">{t('account.totp.intro')}</p>
      {body}
    </Card>
  );
}
