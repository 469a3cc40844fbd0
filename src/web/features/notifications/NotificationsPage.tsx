import { useInfiniteQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, List } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../shared/api';
import { useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { formatDate } from '../../shared/ui/format';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { type NotificationItem, notificationKeys, useMarkRead } from './notifications.api';
import { FilterSegmented } from '../../shared/ui/FilterSegmented';

/** /<console>/notifications: every notice (orders, certificates, …), unread first filter, load more; opens the link. */
export default function NotificationsPage() {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const markRead = useMarkRead();
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  useDocumentTitle(t('notif.title'));
  const q = useInfiniteQuery({
    queryKey: [...notificationKeys.all, 'page', filter],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: NotificationItem[]; nextCursor: string | null; unreadCount: number }>(
        `/api/v1/me/notifications?limit=20${filter === 'unread' ? '&unread=true' : ''}${
          pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''
        }`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const open = (n: NotificationItem) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link?.startsWith('/')) navigate(n.link);
  };
  return (
    <div className="console-page" style={{ maxWidth: 760 }}>
      <Card
        title={
          <Badge count={q.data?.pages[0]?.unreadCount ?? 0} size="small" offset={[10, 0]}>
            {t('notif.title')}
          </Badge>
        }
      >
        <FilterSegmented
          label={t('notif.filter.label')}
          value={filter}
          onChange={(v) => setFilter(v as 'all' | 'unread')}
          options={[
            { value: 'all', label: t('notif.filter.all') },
            { value: 'unread', label: t('notif.filter.unread') },
          ]}
        />
        <ErrorAlert error={q.error} />
        <List
          loading={q.isLoading}
          dataSource={items}
          locale={{
            emptyText: <Empty description={t('notif.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
          }}
          renderItem={(n) => (
            <List.Item
              onClick={() => open(n)}
              style={{ cursor: n.link ? 'pointer' : 'default', opacity: n.readAt ? 0.65 : 1 }}
            >
              <List.Item.Meta
                avatar={n.readAt ? null : <Badge status="processing" />}
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
        {q.hasNextPage ? (
          <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
            {t('notif.more')}
          </Button>
        ) : null}
      </Card>
    </div>
  );
}
