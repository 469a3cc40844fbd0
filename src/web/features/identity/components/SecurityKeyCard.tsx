import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { Alert, App, Button, Card, Form, Input, Spin } from 'antd';
import { useState } from 'react';
import { type Locale, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import {
  useAddSecurityKey,
  useRemoveSecurityKey,
  useRenameSecurityKey,
  useSecurityKeys,
} from '../identity.api';
import type { SecurityKey } from '../identity.types';
import { PasswordInput } from './fields';

const when = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));

/** The browser's own refusals (cancelled, timed out, not allowed) read as one plain sentence. */
function useKeyError() {
  const t = useT();
  return (e: unknown): unknown =>
    e instanceof Error &&
    !('status' in e) &&
    /NotAllowed|AbortError|timed out|not allowed/i.test(`${e.name} ${e.message}`)
      ? new Error(t('account.keys.cancelled'))
      : e;
}

/** One key: its name, when added and last used; rename in place; remove with the password. */
function KeyRow({ item }: { item: SecurityKey }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const rename = useRenameSecurityKey();
  const remove = useRemoveSecurityKey();
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view');
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ label?: string; password?: string }>();
  return (
    <li className="key-item" aria-label={item.label}>
      <div className="session-main">
        <span className="session-device">{item.label}</span>
        <span className="session-meta">
          {t('account.keys.createdAt', { time: when(item.createdAt, locale) })} ·{' '}
          {item.lastUsedAt
            ? t('account.keys.lastUsed', { time: when(item.lastUsedAt, locale) })
            : t('account.keys.neverUsed')}
        </span>
      </div>
      {mode === 'view' ? (
        <div className="key-actions">
          <Button className="tap" onClick={() => setMode('rename')}>
            {t('account.keys.rename')}
          </Button>
          <Button className="tap" danger onClick={() => setMode('remove')}>
            {t('account.keys.remove')}
          </Button>
        </div>
      ) : (
        <Form
          form={form}
          layout="vertical"
          name={`key-${mode}-${item.id}`}
          requiredMark={false}
          initialValues={mode === 'rename' ? { label: item.label } : {}}
          onFinish={(v) => {
            setError(null);
            const done = {
              onSuccess: () => {
                message.success(t(mode === 'rename' ? 'account.keys.renamed' : 'account.keys.removed'));
                setMode('view');
              },
              onError: (e: unknown) => {
                if (!applyFieldErrors(form, e, locale)) setError(e);
              },
            };
            if (mode === 'rename') rename.mutate({ id: item.id, label: v.label!.trim() }, done);
            else remove.mutate({ id: item.id, password: v.password! }, done);
          }}
        >
          {mode === 'rename' ? (
            <Form.Item
              name="label"
              label={t('account.keys.labelLabel')}
              rules={[{ required: true, whitespace: true, message: t('account.keys.labelRequired') }]}
            >
              <Input maxLength={30} />
            </Form.Item>
          ) : (
            <Form.Item
              name="password"
              label={t('account.keys.removeConfirm')}
              rules={[{ required: true, message: t('account.password.currentRequired') }]}
            >
              <PasswordInput autoComplete="current-password" />
            </Form.Item>
          )}
          <ErrorAlert error={error} className="form-alert" />
          <div className="key-actions">
            <Button
              type="primary"
              danger={mode === 'remove'}
              htmlType="submit"
              loading={rename.isPending || remove.isPending}
            >
              {t(mode === 'rename' ? 'account.keys.save' : 'account.keys.remove')}
            </Button>
            <Button
              onClick={() => {
                setError(null);
                setMode('view');
              }}
            >
              {t('account.cancel')}
            </Button>
          </div>
        </Form>
      )}
    </li>
  );
}

/**
 * 安全密钥 (UKey): FIDO2/WebAuthn security keys as the second sign-in step of regulator and admin accounts. Adding
 * one asks the browser to talk to the key (insert, touch, PIN); from then on the phone is no longer a second factor.
 */
export function SecurityKeyCard() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const keys = useSecurityKeys();
  const add = useAddSecurityKey();
  const toKeyError = useKeyError();
  const [form] = Form.useForm<{ label: string }>();
  const [error, setError] = useState<unknown>(null);
  const supported = browserSupportsWebAuthn();
  return (
    <Card title={<h2 id="security-keys">{t('account.keys.title')}</h2>}>
      {keys.isPending ? (
        <Spin />
      ) : !keys.data?.available ? (
        <p className="muted">{t('account.keys.notAvailable')}</p>
      ) : (
        <>
          <p className="muted">{t('account.keys.intro')}</p>
          {keys.data.items.length ? (
            <ul className="session-list" aria-label={t('account.keys.title')}>
              {keys.data.items.map((k) => (
                <KeyRow key={k.id} item={k} />
              ))}
            </ul>
          ) : (
            <p>{t('account.keys.empty')}</p>
          )}
          {!supported ? (
            <Alert type="warning" showIcon message={t('account.keys.unsupported')} />
          ) : (
            <Form
              form={form}
              layout="vertical"
              name="security-key-add"
              requiredMark={false}
              onFinish={(v) => {
                setError(null);
                add.mutate(v.label.trim(), {
                  onSuccess: () => {
                    message.success(t('account.keys.added'));
                    form.resetFields();
                  },
                  onError: (e) => {
                    const shown = toKeyError(e);
                    if (!applyFieldErrors(form, shown, locale)) setError(shown);
                  },
                });
              }}
            >
              <Form.Item
                name="label"
                label={t('account.keys.labelLabel')}
                rules={[{ required: true, whitespace: true, message: t('account.keys.labelRequired') }]}
              >
                <Input maxLength={30} placeholder={t('account.keys.labelPlaceholder')} />
              </Form.Item>
              <ErrorAlert error={error} className="form-alert" />
              <Button type="primary" htmlType="submit" loading={add.isPending} block>
                {t('account.keys.add')}
              </Button>
            </Form>
          )}
        </>
      )}
    </Card>
  );
}
