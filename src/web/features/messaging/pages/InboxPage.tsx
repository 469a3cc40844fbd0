import { VideoCameraOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, List, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useInbox } from '../messaging.api';
import { counterpartOf, formatTime, systemKeyOf, useMessagesBase } from '../util';
import '../messaging.css';

/** The inbox: my conversations, latest first, with unread badges (phone-first). */
export default function InboxPage() {
  const t = useT();
  const { locale } = useLocale();
  const baseUrl = useMessagesBase();
  useDocumentTitle(t('messaging.inbox.title'));
  const q = useInbox();
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="console-page messaging-page">
      <Card
        title={t('messaging.inbox.title')}
        extra={
          <Link to={`${baseUrl}/interviews`}>
            <Button icon={<VideoCameraOutlined />}>{t('messaging.interviews.title')}</Button>
          </Link>
        }
      >
        {q.error ? <ErrorAlert error={q.error} /> : null}
        <List
          loading={q.isLoading}
          dataSource={items}
          locale={{ emptyText: <Empty description={t('messaging.inbox.empty')} /> }}
          renderItem={(c) => (
            <List.Item className="messaging-inbox-item">
              <Link to={`${baseUrl}/${c.id}`} className="messaging-inbox-link" data-conversation={c.id}>
                <div className="messaging-inbox-head">
                  {/* The count sits beside the name, not over it: a long name wraps on a phone and a badge
                      wrapped around it landed on its last characters. */}
                  <strong className="messaging-inbox-name">
                    {counterpartOf(c) || t('messaging.unknown')}
                  </strong>
                  <Badge count={c.unread} size="small" />
                  <span className="messaging-time">{formatTime(c.lastMessageAt, locale)}</span>
                </div>
                <div className="messaging-inbox-preview">
                  <Tag>{t(`messaging.context.${c.contextKind}`)}</Tag>
                  {c.lastMessage
                    ? c.lastMessage.kind === 'text'
                      ? c.lastMessage.preview
                      : c.lastMessage.kind === 'image'
                        ? t('messaging.image')
                        : t(systemKeyOf(c.lastMessage))
                    : t('messaging.noMessages')}
                </div>
              </Link>
            </List.Item>
          )}
        />
        {q.hasNextPage ? (
          <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
            {t('messaging.more')}
          </Button>
        ) : null}
      </Card>
    </div>
  );
}
