import { Alert, Button, Card, List, Radio, Select, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { formatDateTime } from '../components';
import { useAccessRequests, useCreateLink, useDecide, useGrants, useRevokeGrant } from '../efile.api';

const HOURS = [1, 24, 72, 168];

/** /worker/sharing: share links with expiry (shown once), grants to revoke, requests to approve or decline. */
export default function WorkerSharingPage() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('sec.worker.sharing'));
  const grants = useGrants();
  const requests = useAccessRequests();
  const create = useCreateLink();
  const revoke = useRevokeGrant();
  const decide = useDecide();
  const [hours, setHours] = useState(24);
  const [scope, setScope] = useState<'basic' | 'full'>('basic');
  const [approveHours, setApproveHours] = useState(72);
  const hourOptions = HOURS.map((h) => ({ value: h, label: t('efile.hours', { n: h }) }));
  const pending = requests.data?.items.filter((r) => r.state === 'pending') ?? [];
  return (
    <div className="console-page">
      <h1>{t('sec.worker.sharing')}</h1>
      <p className="muted small">{t('efile.sharing.explain')}</p>

      <Card size="small" title={t('efile.sharing.requests')} className="efile-section">
        <ErrorAlert error={decide.error} />
        {requests.isLoading ? <Spin /> : null}
        <List
          dataSource={pending}
          locale={{ emptyText: t('efile.sharing.noRequests') }}
          renderItem={(r) => (
            <List.Item>
              <div style={{ width: '100%' }}>
                <div>
                  {r.requester.maskedName}
                  {r.requester.orgName ? ` · ${r.requester.orgName}` : ''}{' '}
                  <Tag>
                    {t(`efile.role.${r.requesterKind === 'company' ? 'company' : 'resident'}` as MessageKey)}
                  </Tag>
                </div>
                <div className="muted small">
                  {formatDateTime(r.createdAt, locale)} · {r.reason}
                </div>
                <Space wrap style={{ marginTop: 8 }}>
                  <Select
                    aria-label={t('efile.sharing.validFor')}
                    value={approveHours}
                    options={hourOptions}
                    onChange={setApproveHours}
                  />
                  <Button
                    type="primary"
                    loading={decide.isPending}
                    onClick={() =>
                      decide.mutate({ id: r.id, decision: 'approve', expiresInHours: approveHours })
                    }
                  >
                    {t('efile.sharing.approve')}
                  </Button>
                  <Button onClick={() => decide.mutate({ id: r.id, decision: 'decline' })}>
                    {t('efile.sharing.decline')}
                  </Button>
                </Space>
              </div>
            </List.Item>
          )}
        />
      </Card>

      <Card size="small" title={t('efile.sharing.newLink')} className="efile-section">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <span>{t('efile.sharing.validFor')}</span>
            <Select
              aria-label={t('efile.sharing.validFor')}
              value={hours}
              options={hourOptions}
              onChange={setHours}
              style={{ minWidth: 120 }}
            />
          </Space>
          <Radio.Group value={scope} onChange={(e) => setScope(e.target.value)}>
            <Radio value="basic">{t('efile.scope.basic')}</Radio>
            <Radio value="full">{t('efile.scope.full')}</Radio>
          </Radio.Group>
          <p className="muted small">{t('efile.scope.note')}</p>
          <Button
            type="primary"
            loading={create.isPending}
            onClick={() => create.mutate({ expiresInHours: hours, scope })}
          >
            {t('efile.sharing.create')}
          </Button>
          <ErrorAlert error={create.error} />
          {create.data ? (
            <Alert
              type="success"
              showIcon
              message={t('efile.sharing.once')}
              description={
                <Typography.Paragraph copyable={{ text: create.data.url }} style={{ wordBreak: 'break-all' }}>
                  {create.data.url}
                </Typography.Paragraph>
              }
            />
          ) : null}
        </Space>
      </Card>

      <Card size="small" title={t('efile.sharing.grants')} className="efile-section">
        <ErrorAlert error={grants.error ?? revoke.error} />
        <List
          loading={grants.isLoading}
          dataSource={grants.data?.items ?? []}
          locale={{ emptyText: t('efile.none') }}
          renderItem={(g) => (
            <List.Item
              actions={
                g.state === 'active'
                  ? [
                      <Button key="revoke" danger onClick={() => revoke.mutate(g.id)}>
                        {t('efile.sharing.revoke')}
                      </Button>,
                    ]
                  : []
              }
            >
              <span>
                {g.kind === 'link' ? t('efile.sharing.link') : (g.grantee?.maskedName ?? '')}
                {g.grantee?.orgName ? ` · ${g.grantee.orgName}` : ''}{' '}
                <Tag>{t(`efile.scope.${g.scope}` as MessageKey)}</Tag>
                <Tag color={g.state === 'active' ? 'success' : 'default'}>
                  {t(`efile.grant.${g.state}` as MessageKey)}
                </Tag>
                <div className="muted small">
                  {t('efile.until', { date: formatDateTime(g.expiresAt, locale) })}
                </div>
              </span>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
