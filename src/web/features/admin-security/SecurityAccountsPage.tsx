import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { formatDate } from '../../shared/ui/format';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { useMe } from '../identity/identity.api';
import {
  type AccountAction,
  type StaffAccount,
  type StaffRole,
  staffRoles,
  useAccountAction,
  useStaffAccounts,
} from './admin-security.api';
import './admin-security.css';

type SecurityKey = StaffAccount['securityKeys'][number];
type Pending = { account: StaffAccount; kind: AccountAction['kind']; role?: StaffRole; key?: SecurityKey };

/** The changes that need the admin's own authenticator code (they remove another account's second factor). */
const needsOwnCode = (kind: AccountAction['kind']) =>
  kind === 'resetTotp' || kind === 'removeKey' || kind === 'removeKeys';

interface ActionValues {
  role?: StaffRole;
  district?: string;
  reason: string;
  code?: string;
}

/** The reason dialog every change goes through (grant, revoke, disable, enable, end sessions, second factors). */
function ActionDialog({ pending, onClose }: { pending: Pending; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionValues>();
  const act = useAccountAction();
  const role = Form.useWatch('role', form);
  const name = pending.account.name;
  const roleName = pending.role ? t(`roles.${pending.role}` as const) : '';
  const title = {
    grant: t('secadmin.grantTitle', { name }),
    revoke: t('secadmin.revokeTitle', { name, role: roleName }),
    disable: t('secadmin.disableTitle', { name }),
    enable: t('secadmin.enableTitle', { name }),
    endSessions: t('secadmin.endSessionsTitle', { name }),
    resetTotp: t('secadmin.resetTotpTitle', { name }),
    removeKey: t('secadmin.removeKeyTitle', { name, label: pending.key?.label ?? '' }),
    removeKeys: t('secadmin.removeKeysTitle', { name }),
  }[pending.kind];
  const held = new Set(pending.account.roles.map((r) => r.role));

  const onFinish = (v: ActionValues) => {
    const kind = pending.kind;
    const action: AccountAction =
      kind === 'grant'
        ? { kind, role: v.role!, district: v.district?.trim() || null, reason: v.reason }
        : kind === 'revoke'
          ? { kind, role: pending.role!, reason: v.reason }
          : kind === 'resetTotp' || kind === 'removeKeys'
            ? { kind, reason: v.reason, code: (v.code ?? '').trim() }
            : kind === 'removeKey'
              ? { kind, keyId: pending.key!.id, reason: v.reason, code: (v.code ?? '').trim() }
              : { kind, reason: v.reason };
    act.mutate(
      { userId: pending.account.id, action },
      {
        onSuccess: () => {
          message.success(t('secadmin.done'));
          form.resetFields();
          act.reset();
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open
      title={title}
      okText={t('account.confirm')}
      cancelText={t('account.cancel')}
      onOk={() => form.submit()}
      confirmLoading={act.isPending}
      onCancel={() => {
        act.reset();
        onClose();
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="account-action" onFinish={onFinish} requiredMark={false}>
        {pending.kind === 'grant' && (
          <Form.Item
            name="role"
            label={t('secadmin.role')}
            rules={[{ required: true, message: t('secadmin.roleRequired') }]}
          >
            <Select
              options={staffRoles
                .filter((r) => !held.has(r))
                .map((r) => ({ value: r, label: t(`roles.${r}` as const) }))}
            />
          </Form.Item>
        )}
        {pending.kind === 'grant' && role === 'regulator' && (
          <Form.Item
            name="district"
            label={t('secadmin.district')}
            rules={[{ pattern: /^\d{6}$/, message: t('secadmin.districtInvalid') }]}
          >
            <Input inputMode="numeric" maxLength={6} />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('secadmin.reason')}
          rules={[
            { required: true, whitespace: true, min: 2, max: 200, message: t('secadmin.reasonRequired') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} />
        </Form.Item>
        {needsOwnCode(pending.kind) && (
          <>
            <Alert
              type="warning"
              showIcon
              message={t(pending.kind === 'resetTotp' ? 'secadmin.resetTotpNote' : 'secadmin.removeKeyNote')}
              className="form-alert"
            />
            <Form.Item
              name="code"
              label={t('secadmin.ownCode')}
              rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('secadmin.ownCodeInvalid') }]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
          </>
        )}
        <ErrorAlert error={act.error} />
      </Form>
    </Modal>
  );
}

/** 安全管理员: staff accounts and their roles; one account never holds two admin duties (三权分立). */
export default function SecurityAccountsPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('secadmin.title'));
  const me = useMe();
  const [phone, setPhone] = useState('');
  const [typed, setTyped] = useState('');
  const accounts = useStaffAccounts(phone);
  const [pending, setPending] = useState<Pending | null>(null);
  const rows = accounts.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="console-page">
      <h1>{t('secadmin.title')}</h1>
      <Alert type="info" showIcon message={t('secadmin.sodNote')} className="form-alert" />
      <form
        className="secadmin-search"
        onSubmit={(e) => {
          e.preventDefault();
          setPhone(typed.trim());
        }}
      >
        <Space wrap>
          <label htmlFor="secadmin-phone">{t('secadmin.search')}</label>
          <Input
            id="secadmin-phone"
            type="tel"
            inputMode="numeric"
            maxLength={20}
            value={typed}
            placeholder={t('secadmin.searchPlaceholder')}
            onChange={(e) => setTyped(e.target.value)}
            style={{ width: 200 }}
          />
          <Button type="primary" htmlType="submit">
            {t('secadmin.searchButton')}
          </Button>
          {phone && (
            <Button
              onClick={() => {
                setTyped('');
                setPhone('');
              }}
            >
              {t('secadmin.showAll')}
            </Button>
          )}
        </Space>
      </form>
      <ErrorAlert error={accounts.error} className="form-alert" />
      <Table<StaffAccount>
        rowKey="id"
        size="middle"
        loading={accounts.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('secadmin.empty') }}
        columns={[
          {
            title: t('secadmin.col.name'),
            key: 'name',
            render: (_, a) => (
              <>
                {a.name}{' '}
                {a.id === me.data?.id && (
                  <Tag bordered={false} color="blue">
                    {t('secadmin.self')}
                  </Tag>
                )}
              </>
            ),
          },
          { title: t('secadmin.col.phone'), dataIndex: 'phoneMasked' },
          {
            title: t('secadmin.col.roles'),
            key: 'roles',
            render: (_, a) => (
              <Space wrap size={[4, 4]}>
                {a.roles.map((r) => (
                  <Tag key={r.role} bordered={false} color="green">
                    {t(`roles.${r.role}` as const)}
                    {r.district ? ` · ${r.district}` : ''}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('secadmin.col.status'),
            dataIndex: 'status',
            render: (s: StaffAccount['status']) => (
              <Tag bordered={false} color={s === 'active' ? 'green' : 'red'}>
                {t(`secadmin.status.${s}` as const)}
              </Tag>
            ),
          },
          { title: t('secadmin.col.sessions'), dataIndex: 'activeSessions' },
          {
            title: t('secadmin.col.authenticator'),
            dataIndex: 'authenticator',
            render: (v: StaffAccount['authenticator']) => (
              <Tag bordered={false} color={v === 'enrolled' ? 'green' : v === 'pending' ? 'gold' : 'default'}>
                {t(`secadmin.authenticator.${v}` as const)}
              </Tag>
            ),
          },
          {
            title: t('secadmin.col.securityKeys'),
            key: 'securityKeys',
            width: 220,
            render: (_, a) =>
              a.securityKeys.length === 0 ? (
                <Tag bordered={false}>{t('secadmin.keys.none')}</Tag>
              ) : (
                <ul className="secadmin-keys" aria-label={t('secadmin.col.securityKeys')}>
                  {a.securityKeys.map((k) => (
                    <li key={k.id}>
                      <span className="secadmin-key-label">{k.label}</span>
                      {a.id !== me.data?.id && (
                        <Button
                          size="small"
                          type="link"
                          danger
                          aria-label={t('secadmin.keys.removeOne', { label: k.label })}
                          onClick={() => setPending({ account: a, kind: 'removeKey', key: k })}
                        >
                          {t('secadmin.keys.remove')}
                        </Button>
                      )}
                      <span className="secadmin-key-meta">
                        {t('account.keys.createdAt', { time: formatDate(k.createdAt, locale) })} ·{' '}
                        {k.lastUsedAt
                          ? t('account.keys.lastUsed', { time: formatDate(k.lastUsedAt, locale) })
                          : t('account.keys.neverUsed')}
                      </span>
                    </li>
                  ))}
                  {a.securityKeys.length > 1 && a.id !== me.data?.id && (
                    <li>
                      <Button
                        size="small"
                        type="link"
                        danger
                        onClick={() => setPending({ account: a, kind: 'removeKeys' })}
                      >
                        {t('secadmin.keys.removeAll')}
                      </Button>
                    </li>
                  )}
                </ul>
              ),
          },
          {
            title: t('secadmin.col.actions'),
            key: 'actions',
            render: (_, a) =>
              a.id === me.data?.id ? null : (
                <Space wrap size={[4, 4]}>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setPending({ account: a, kind: 'grant' })}
                  >
                    {t('secadmin.grant')}
                  </Button>
                  {a.roles
                    .filter((r): r is typeof r & { role: StaffRole } =>
                      (staffRoles as string[]).includes(r.role),
                    )
                    .map((r) => (
                      <Button
                        key={r.role}
                        size="small"
                        onClick={() => setPending({ account: a, kind: 'revoke', role: r.role })}
                      >
                        {t('secadmin.revoke', { role: t(`roles.${r.role}` as const) })}
                      </Button>
                    ))}
                  {a.status === 'active' ? (
                    <Button size="small" danger onClick={() => setPending({ account: a, kind: 'disable' })}>
                      {t('secadmin.disable')}
                    </Button>
                  ) : (
                    <Button size="small" onClick={() => setPending({ account: a, kind: 'enable' })}>
                      {t('secadmin.enable')}
                    </Button>
                  )}
                  <Button size="small" onClick={() => setPending({ account: a, kind: 'endSessions' })}>
                    {t('secadmin.endSessions')}
                  </Button>
                  {a.authenticator !== 'none' && (
                    <Button size="small" danger onClick={() => setPending({ account: a, kind: 'resetTotp' })}>
                      {t('secadmin.resetTotp')}
                    </Button>
                  )}
                </Space>
              ),
          },
        ]}
      />
      {accounts.hasNextPage && (
        <Button onClick={() => accounts.fetchNextPage()} loading={accounts.isFetchingNextPage}>
          {t('secadmin.more')}
        </Button>
      )}
      {pending && <ActionDialog pending={pending} onClose={() => setPending(null)} />}
    </div>
  );
}
