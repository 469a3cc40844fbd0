import { App, Button, Card, Empty, List, Space, Tag } from 'antd';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { formatTime } from '../labels';
import { useMyInvitations, useRespondInvitation } from '../orgs.api';

/** Invitations addressed to the signed-in person's phone: accept (joins at once) or decline. */
export default function InvitationsPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  useDocumentTitle(t('org.inbox.title'));
  const list = useMyInvitations();
  const respond = useRespondInvitation();
  return (
    <div className="console-page">
      <Card title={t('org.inbox.title')}>
        <ErrorAlert error={list.error ?? respond.error} />
        <List
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('org.inbox.empty')} /> }}
          renderItem={(i) => (
            <List.Item
              actions={[
                <Button
                  key="a"
                  type="primary"
                  size="small"
                  loading={respond.isPending}
                  onClick={() =>
                    respond.mutate(
                      { id: i.id, accept: true },
                      { onSuccess: () => message.success(t('org.inbox.joined')) },
                    )
                  }
                >
                  {t('org.inbox.accept')}
                </Button>,
                <Button key="d" size="small" onClick={() => respond.mutate({ id: i.id, accept: false })}>
                  {t('org.inbox.decline')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={i.orgName}
                description={
                  <Space wrap>
                    <Tag>{t(`org.type.${i.orgType}` as MessageKey)}</Tag>
                    <Tag color="blue">{i.role === 'admin' ? t('org.role.admin') : t('org.role.staff')}</Tag>
                    {t('org.inbox.until', { at: formatTime(i.expiresAt, locale) })}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
