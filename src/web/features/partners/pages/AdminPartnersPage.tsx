import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import {
  type NewClient,
  type PartnerClient,
  partnerScopes,
  useClientStatus,
  useCreateClient,
  useCreateWebhook,
  useDeliveries,
  useIssueKey,
  usePartnerClient,
  usePartnerClients,
  useReplay,
  useRevokeKey,
  webhookEvents,
  type WebhookEvent,
} from '../partners.api';

const when = (iso: string | null, locale: string) =>
  iso
    ? new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(iso))
    : '—';

/** A secret shown once, with the warning that it will not be shown again. */
function SecretOnce({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const t = useT();
  return (
    <Modal
      open={!!secret}
      title={t('partners.secret.title')}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
    >
      <Alert type="warning" showIcon message={t('partners.secret.once')} />
      <Typography.Paragraph copyable={{ text: secret ?? '' }} code className="partners-secret">
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}

function NewClientForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const t = useT();
  const create = useCreateClient();
  const [form] = Form.useForm<Omit<NewClient, 'ipAllowlist'> & { ipAllowlist: string }>();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ scopes: ['certificates:verify'], rateLimitPerMinute: 60, ipAllowlist: '' }}
      onFinish={(v) =>
        create.mutate(
          {
            ...v,
            ipAllowlist: v.ipAllowlist
              .split(/[\s,]+/)
              .map((s) => s.trim())
              .filter(Boolean),
          },
          {
            onSuccess: (r) => {
              form.resetFields();
              onCreated(r.key.secret);
            },
          },
        )
      }
    >
      {create.error ? <ErrorAlert error={create.error} /> : null}
      <Form.Item name="name" label={t('partners.field.name')} rules={[{ required: true }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="organization" label={t('partners.field.organization')} rules={[{ required: true }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="contactName" label={t('partners.field.contactName')} rules={[{ required: true }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('partners.field.contactPhone')} rules={[{ required: true }]}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        <Form.Item
          name="rateLimitPerMinute"
          label={t('partners.field.rateLimit')}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={10000} />
        </Form.Item>
      </Space>
      <Form.Item name="scopes" label={t('partners.field.scopes')} rules={[{ required: true }]}>
        <Checkbox.Group
          options={partnerScopes.map((s) => ({ value: s, label: t(`partners.scope.${s}` as MessageKey) }))}
        />
      </Form.Item>
      <Form.Item
        name="ipAllowlist"
        label={t('partners.field.ipAllowlist')}
        extra={t('partners.field.ipAllowlist.hint')}
      >
        <Input.TextArea rows={2} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t('partners.create')}
      </Button>
    </Form>
  );
}

function WebhookForm({ clientId, onCreated }: { clientId: string; onCreated: (secret: string) => void }) {
  const t = useT();
  const create = useCreateWebhook();
  const [form] = Form.useForm<{ url: string; events: WebhookEvent[] }>();
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) =>
        create.mutate(
          { id: clientId, ...v },
          {
            onSuccess: (r) => {
              form.resetFields();
              onCreated(r.secret);
            },
          },
        )
      }
    >
      {create.error ? <ErrorAlert error={create.error} /> : null}
      <Form.Item name="url" label={t('partners.webhook.url')} rules={[{ required: true }]}>
        <Input inputMode="url" placeholder="https://" />
      </Form.Item>
      <Form.Item name="events" label={t('partners.webhook.events')} rules={[{ required: true }]}>
        <Checkbox.Group options={webhookEvents.map((e) => ({ value: e, label: e }))} />
      </Form.Item>
      <Button htmlType="submit" loading={create.isPending}>
        {t('partners.webhook.add')}
      </Button>
    </Form>
  );
}

function ClientDetail({ id, onSecret }: { id: string; onSecret: (s: string) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const detail = usePartnerClient(id);
  const deliveries = useDeliveries(id);
  const status = useClientStatus();
  const issue = useIssueKey();
  const revoke = useRevokeKey();
  const replay = useReplay();
  if (detail.isLoading) return <Spin />;
  if (detail.error) return <ErrorAlert error={detail.error} />;
  const c = detail.data!;
  const anyError = status.error ?? issue.error ?? revoke.error ?? replay.error;
  return (
    <Card
      title={`${c.name} · ${c.organization}`}
      extra={
        <Button
          danger={c.status === 'active'}
          loading={status.isPending}
          onClick={() => status.mutate({ id, action: c.status === 'active' ? 'suspend' : 'reactivate' })}
        >
          {t(c.status === 'active' ? 'partners.suspend' : 'partners.reactivate')}
        </Button>
      }
    >
      {anyError ? <ErrorAlert error={anyError} /> : null}
      <p className="muted small">
        {c.contactName} {c.contactPhoneMasked} · {t('partners.field.rateLimit')} {c.rateLimitPerMinute} ·{' '}
        {c.scopes.map((s) => (
          <Tag key={s}>{t(`partners.scope.${s}` as MessageKey)}</Tag>
        ))}
      </p>
      <h2>{t('partners.keys')}</h2>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        dataSource={c.keys}
        columns={[
          { title: t('partners.key.prefix'), dataIndex: 'prefix', render: (p: string) => <code>{p}…</code> },
          { title: t('partners.key.label'), dataIndex: 'label' },
          {
            title: t('partners.key.state'),
            dataIndex: 'state',
            render: (s: string) => <Tag>{t(`partners.keyState.${s}` as MessageKey)}</Tag>,
          },
          {
            title: t('partners.key.expires'),
            dataIndex: 'expiresAt',
            render: (v: string) => when(v, locale),
          },
          {
            title: t('partners.key.lastUsed'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => when(v, locale),
          },
          {
            title: t('partners.actions'),
            key: 'actions',
            render: (_: unknown, k) =>
              k.state === 'active' ? (
                <Space>
                  <Button
                    size="small"
                    onClick={() =>
                      issue.mutate(
                        { id, label: t('partners.key.rotatedLabel', { label: k.label }), rotateKeyId: k.id },
                        { onSuccess: (r) => onSecret(r.secret) },
                      )
                    }
                  >
                    {t('partners.key.rotate')}
                  </Button>
                  <Button size="small" danger onClick={() => revoke.mutate({ id, keyId: k.id })}>
                    {t('partners.key.revoke')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Button
        className="partners-gap"
        onClick={() =>
          issue.mutate({ id, label: t('partners.key.newLabel') }, { onSuccess: (r) => onSecret(r.secret) })
        }
      >
        {t('partners.key.issue')}
      </Button>
      <h2>{t('partners.usage')}</h2>
      <p className="small">
        {c.usage.length
          ? c.usage
              .map((u) => t('partners.usage.day', { day: u.day, requests: u.requests, refused: u.refused }))
              .join(' · ')
          : t('partners.usage.none')}
      </p>
      <h2>{t('partners.webhooks')}</h2>
      <ul>
        {c.webhooks.map((h) => (
          <li key={h.id}>
            <code>{h.url}</code> {h.events.join(', ')}{' '}
            {h.active ? null : <Tag>{t('partners.webhook.off')}</Tag>}
          </li>
        ))}
      </ul>
      <WebhookForm clientId={id} onCreated={onSecret} />
      <h2>{t('partners.deliveries')}</h2>
      {deliveries.error ? <ErrorAlert error={deliveries.error} /> : null}
      <Table
        size="small"
        rowKey="id"
        scroll={{ x: true }}
        loading={deliveries.isLoading}
        dataSource={deliveries.data?.items ?? []}
        locale={{ emptyText: t('partners.deliveries.none') }}
        columns={[
          { title: t('partners.delivery.event'), dataIndex: 'eventType' },
          {
            title: t('partners.delivery.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag>{t(`partners.deliveryState.${s}` as MessageKey)}</Tag>,
          },
          { title: t('partners.delivery.attempts'), dataIndex: 'attempts' },
          {
            title: t('partners.delivery.last'),
            key: 'last',
            render: (_: unknown, d) => d.lastError ?? d.lastStatusCode ?? '—',
          },
          {
            title: t('partners.delivery.created'),
            dataIndex: 'createdAt',
            render: (v: string) => when(v, locale),
          },
          {
            title: t('partners.actions'),
            key: 'replay',
            render: (_: unknown, d) =>
              d.status === 'delivered' || d.status === 'dead' ? (
                <Button
                  size="small"
                  loading={replay.isPending}
                  onClick={() => replay.mutate({ id, deliveryId: d.id })}
                >
                  {t('partners.delivery.replay')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

/** /admin/partners: partner clients, their keys, scopes, usage and webhook deliveries with replay. */
export default function AdminPartnersPage() {
  const t = useT();
  useDocumentTitle(t('sec.admin.partners'));
  const clients = usePartnerClients();
  const [selected, setSelected] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <div className="console-page">
      <h1>{t('sec.admin.partners')}</h1>
      <p className="muted small">{t('partners.intro')}</p>
      <Button type="primary" onClick={() => setCreating(true)}>
        {t('partners.new')}
      </Button>
      <Modal
        open={creating}
        title={t('partners.new')}
        footer={null}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <NewClientForm
          onCreated={(s) => {
            setCreating(false);
            setSecret(s);
          }}
        />
      </Modal>
      <SecretOnce secret={secret} onClose={() => setSecret(null)} />
      {clients.error ? <ErrorAlert error={clients.error} /> : null}
      <Table<PartnerClient>
        className="partners-gap"
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={clients.isLoading}
        dataSource={clients.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: t('partners.field.name'),
            dataIndex: 'name',
            render: (n: string, c) => (
              <Button type="link" onClick={() => setSelected(c.id)} aria-pressed={selected === c.id}>
                {n}
              </Button>
            ),
          },
          { title: t('partners.field.organization'), dataIndex: 'organization' },
          {
            title: t('partners.field.status'),
            dataIndex: 'status',
            render: (s: string, c) => (
              <Space>
                <Tag color={s === 'active' ? 'green' : 'red'}>{t(`partners.status.${s}` as MessageKey)}</Tag>
                {c.sandbox ? <Tag>{t('partners.sandbox')}</Tag> : null}
              </Space>
            ),
          },
          { title: t('partners.field.rateLimit'), dataIndex: 'rateLimitPerMinute' },
        ]}
      />
      {selected ? <ClientDetail id={selected} onSecret={setSecret} /> : null}
    </div>
  );
}
