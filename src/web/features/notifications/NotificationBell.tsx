import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useLocale, useT } from '../../shared/i18n';
import { formatDate } from '../../shared/ui/format';
import { type NotificationItem, useMarkRead, useNotifications } from './notifications.api';

/** The bell in the console header: unread count, latest notices, click to read (and follow the link). */
export function NotificationBell() {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const list = useNotifications();
  const markRead = useMarkRead();
  const open = (n: NotificationItem) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link?.startsWith('/')) navigate(n.link);
  };
  const content = (
    <div className="notif-list" style={{ width: 320, maxWidth: '86vw' }}>
      {list.data?.items.length ? (
        <List
          size="small"
          dataSource={list.data.items}
          renderItem={(n) => (
            <List.Item onClick={() => open(n)} style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}>
              <List.Item.Meta
                title={n.title}
                description={
                  <>
                    <div>{n.body}</div>
                    <small>{formatDate(n.createdAt, locale)}</small>
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty description={t('notif.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
      <Button type="link" block onClick={() => navigate(`/${pathname.split('/')[1] ?? ''}/notifications`)}>
        {t('notif.all')}
      </Button>
    </div>
  );
  const unread = list.data?.unreadCount ?? 0;
  return (
    <Popover content={content} title={t('notif.title')} trigger="click" placement="bottomRight">
      <Button
        type="text"
        className="tap header-btn"
        aria-label={t('notif.aria', { count: unread })}
        icon={
          <Badge count={unread} size="small" overflowCount={99}>
            <BellOutlined />
          </Badge>
        }
      />
    </Popover>
  );
}
