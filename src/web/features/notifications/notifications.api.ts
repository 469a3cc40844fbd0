import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';

export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  scope: 'personal' | 'organization';
  createdAt: string;
  readAt: string | null;
}

export const notificationKeys = { all: ['notifications'] as const };

/** My latest notifications and the unread count; refreshed every minute. */
export function useNotifications() {
  return useQuery({
    queryKey: notificationKeys.all,
    queryFn: ({ signal }) =>
      api.get<{ items: NotificationItem[]; nextCursor: string | null; unreadCount: number }>(
        '/api/v1/me/notifications?limit=20',
        { signal },
      ),
    refetchInterval: 60_000,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<NotificationItem>(`/api/v1/me/notifications/${encodeURIComponent(id)}/read`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
