import { Button, Form, InputNumber, List, Radio, Select, Spin, Tag } from 'antd';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useGrantConsent, useMyConsents, useRevokeConsent } from '../partners.api';

const day = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
  }).format(new Date(iso));

/** /worker/partner-access: which partner platforms may read my record, for how long; grant and revoke. */
export default function WorkerPartnerAccessPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.worker.partnerAccess'));
  const consents = useMyConsents();
  const grant = useGrantConsent();
  const revoke = useRevokeConsent();
  const [form] = Form.useForm<{ clientId: string; scope: 'basic' | 'full'; days: number }>();
  if (consents.isLoading) return <Spin />;
  if (consents.error) return <ErrorAlert error={consents.error} />;
  const data = consents.data!;
  return (
    <div className="console-page">
      <h1>{t('sec.worker.partnerAccess')}</h1>
      <p className="muted small">{t('partners.consent.explain')}</p>
      {grant.error || revoke.error ? <ErrorAlert error={grant.error ?? revoke.error} /> : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ scope: 'basic', days: 7 }}
        onFinish={(v) => grant.mutate(v, { onSuccess: () => form.resetFields() })}
      >
        <Form.Item name="clientId" label={t('partners.consent.partner')} rules={[{ required: true }]}>
          <Select
            options={data.partners.map((p) => ({
              value: p.id,
              label: t('partners.consent.partnerOption', { name: p.name, org: p.organization }),
            }))}
            notFoundContent={t('partners.consent.noPartners')}
          />
        </Form.Item>
        <Form.Item name="scope" label={t('partners.consent.scope')}>
          <Radio.Group>
            <Radio value="basic">{t('partners.consent.scope.basic')}</Radio>
            <Radio value="full">{t('partners.consent.scope.full')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="days" label={t('partners.consent.days')}>
          <InputNumber min={1} max={90} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={grant.isPending} block>
          {t('partners.consent.grant')}
        </Button>
      </Form>
      <List
        className="partners-gap"
        dataSource={data.items}
        locale={{ emptyText: t('partners.consent.none') }}
        renderItem={(g) => (
          <List.Item
            actions={
              g.state === 'active'
                ? [
                    <Button
                      key="revoke"
                      danger
                      onClick={() => revoke.mutate(g.id)}
                      loading={revoke.isPending}
                    >
                      {t('partners.consent.revoke')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <span>
                  {g.partner.name} <Tag>{t(`partners.consentState.${g.state}` as MessageKey)}</Tag>
                </span>
              }
              description={t('partners.consent.until', {
                scope: t(`partners.consent.scope.${g.scope}` as MessageKey),
                date: day(g.expiresAt, locale),
              })}
            />
          </List.Item>
        )}
      />
    </div>
  );
}
