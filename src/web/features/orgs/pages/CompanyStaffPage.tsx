import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useLocale, useT } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import type { OrgType } from '../../identity/identity.types';
import { formatTime } from '../labels';
import { useEndMembership, useInvite, useMembers, useOrgInvitations, useRevokeInvitation } from '../orgs.api';

/** Members and invitations of the organization the caller administers (company, station, training, insurer). */
export function OrgStaffPage({ orgType }: { orgType: OrgType }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const me = useMe().data;
  useDocumentTitle(t('org.staff.title'));
  const membership = me?.memberships.find((m) => m.orgType === orgType && m.role === 'admin');
  const orgId = membership?.orgId;
  const [showEnded, setShowEnded] = useState(false);
  const members = useMembers(orgId, showEnded);
  const invitations = useOrgInvitations(orgId);
  const invite = useInvite(orgId ?? '');
  const revoke = useRevokeInvitation(orgId ?? '');
  const end = useEndMembership(orgId ?? '');
  const [form] = Form.useForm<{ phone: string; role: 'admin' | 'staff' }>();

  if (!orgId) return <ErrorAlert error={new Error(t('org.staff.notAdmin'))} />;
  const roleLabel = (r: string) => (r === 'admin' ? t('org.role.admin') : t('org.role.staff'));

  return (
    <div className="console-page">
      <Card title={t('org.staff.invite')}>
        <Form
          form={form}
          layout="inline"
          initialValues={{ role: 'staff' }}
          onFinish={(v) =>
            invite.mutate(v, {
              onSuccess: () => {
                message.success(t('org.staff.invited'));
                form.resetFields();
              },
              onError: (e) => applyFieldErrors(form, e, locale),
            })
          }
        >
          <Form.Item
            name="phone"
            rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: t('org.staff.phoneInvalid') }]}
          >
            <Input placeholder={t('org.staff.phone')} inputMode="tel" maxLength={11} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="role">
            <Select
              aria-label={t('org.staff.role')}
              style={{ width: 110 }}
              options={[
                { value: 'staff', label: t('org.role.staff') },
                { value: 'admin', label: t('org.role.admin') },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={invite.isPending}>
            {t('org.staff.send')}
          </Button>
        </Form>
        <ErrorAlert error={invite.error} className="form-alert" />
      </Card>

      <Card
        title={t('org.staff.members')}
        style={{ marginTop: 16 }}
        extra={
          <Space>
            {t('org.staff.showEnded')}
            <Switch
              size="small"
              aria-label={t('org.staff.showEnded')}
              checked={showEnded}
              onChange={setShowEnded}
            />
          </Space>
        }
      >
        <ErrorAlert error={members.error ?? end.error} />
        <Table
          rowKey="id"
          size="small"
          loading={members.isPending}
          dataSource={members.data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('org.staff.name'), dataIndex: 'name', width: 90 },
            { title: t('org.staff.phone'), dataIndex: 'phoneMasked' },
            { title: t('org.staff.role'), dataIndex: 'role', render: roleLabel, width: 70 },
            {
              title: t('org.staff.since'),
              dataIndex: 'startedAt',
              render: (v: string) => formatTime(v, locale),
              responsive: ['sm'],
            },
            {
              title: '',
              key: 'x',
              render: (_v, m) =>
                m.endedAt ? (
                  <Tag>{t('org.staff.ended', { at: formatTime(m.endedAt, locale) })}</Tag>
                ) : m.userId === me?.id ? null : (
                  <Popconfirm title={t('org.staff.endConfirm')} onConfirm={() => end.mutate(m.id)}>
                    <Button size="small" danger>
                      {t('org.staff.end')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>

      <Card title={t('org.staff.invitations')} style={{ marginTop: 16 }}>
        <Table
          rowKey="id"
          size="small"
          loading={invitations.isPending}
          dataSource={invitations.data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('org.staff.phone'), dataIndex: 'phoneMasked' },
            { title: t('org.staff.role'), dataIndex: 'role', render: roleLabel, width: 70 },
            {
              title: t('org.staff.status'),
              dataIndex: 'status',
              render: (s: string) => <Tag>{t(`org.inv.${s}` as 'org.inv.pending')}</Tag>,
            },
            {
              title: t('org.staff.expires'),
              dataIndex: 'expiresAt',
              render: (v: string) => formatTime(v, locale),
              responsive: ['sm'],
            },
            {
              title: '',
              key: 'x',
              render: (_v, i) =>
                i.status === 'pending' ? (
                  <Button size="small" onClick={() => revoke.mutate(i.id)}>
                    {t('org.staff.revoke')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </div>
  );
}

export default function CompanyStaffPage() {
  return <OrgStaffPage orgType="company" />;
}
