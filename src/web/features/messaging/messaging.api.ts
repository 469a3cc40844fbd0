import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../shared/api';
import type {
  ConversationView,
  InboxItem,
  InterviewRoom,
  InterviewView,
  MessageView,
  OpenInput,
  Page,
  ReportView,
  ServerFrame,
} from './messaging.types';
import { realtime } from './realtime';

const base = '/api/v1';

export const messagingKeys = {
  all: ['messaging'] as const,
  inbox: () => [...messagingKeys.all, 'inbox'] as const,
  unread: () => [...messagingKeys.all, 'unread'] as const,
  conversation: (id: string) => [...messagingKeys.all, 'conversation', id] as const,
  search: (id: string, q: string) => [...messagingKeys.all, 'search', id, q] as const,
  interviews: () => [...messagingKeys.all, 'interviews'] as const,
  interview: (id: string) => [...messagingKeys.all, 'interview', id] as const,
  reports: (state?: string) => [...messagingKeys.all, 'reports', state ?? ''] as const,
  report: (id: string) => [...messagingKeys.all, 'report', id] as const,
};

/** Hears every socket frame while the component is mounted. */
export function useRealtime(listener: (frame: ServerFrame) => void) {
  useEffect(() => realtime.subscribe(listener), [listener]);
}

export function useInbox() {
  const qc = useQueryClient();
  useEffect(
    () =>
      realtime.subscribe((f) => {
        if (f.type === 'message' || f.type === 'read')
          void qc.invalidateQueries({ queryKey: messagingKeys.inbox() });
      }),
    [qc],
  );
  return useInfiniteQuery({
    queryKey: messagingKeys.inbox(),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<InboxItem>>(`${base}/conversations?limit=20${pageParam ? `&cursor=${pageParam}` : ''}`, {
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useUnread(enabled: boolean) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return realtime.subscribe((f) => {
      if (f.type === 'message') void qc.invalidateQueries({ queryKey: messagingKeys.unread() });
    });
  }, [qc, enabled]);
  return useQuery({
    queryKey: messagingKeys.unread(),
    enabled,
    queryFn: ({ signal }) => api.get<{ unread: number }>(`${base}/conversations/unread`, { signal }),
  });
}

export function useConversation(id: string) {
  return useQuery({
    queryKey: messagingKeys.conversation(id),
    queryFn: ({ signal }) => api.get<ConversationView>(`${base}/conversations/${id}`, { signal }),
  });
}

export const fetchMessages = (id: string, params: { cursor?: string; after?: number }) => {
  const p = new URLSearchParams({ limit: '30' });
  if (params.cursor) p.set('cursor', params.cursor);
  if (params.after !== undefined) p.set('after', String(params.after));
  return api.get<Page<MessageView>>(`${base}/conversations/${id}/messages?${p}`);
};

export const searchMessages = (id: string, q: string) =>
  api.get<Page<MessageView>>(
    `${base}/conversations/${id}/messages/search?q=${encodeURIComponent(q)}&limit=50`,
  );

export const sendText = (id: string, text: string, clientKey: string) =>
  api.post<MessageView>(`${base}/conversations/${id}/messages`, { text, clientKey });

/** Sends an image as multipart (the JSON client does not do files). */
export async function sendImage(id: string, file: File): Promise<MessageView> {
  const form = new FormData();
  form.append('file', file);
  const res = await fetch(`${base}/conversations/${id}/images`, {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
  });
  const body = (await res.json()) as MessageView & { message?: { 'zh-CN'?: string; en?: string } };
  if (!res.ok) throw new Error(body.message?.['zh-CN'] ?? String(res.status));
  return body;
}

export const markRead = (id: string, seq: number) =>
  api.post<ConversationView>(`${base}/conversations/${id}/read`, { seq });

export function useOpenConversation() {
  return useMutation({
    mutationFn: (input: OpenInput) => api.post<ConversationView>(`${base}/conversations`, input),
  });
}

export function useConversationActions(id: string) {
  const qc = useQueryClient();
  const done = (c: ConversationView) => qc.setQueryData(messagingKeys.conversation(id), c);
  return {
    block: useMutation({
      mutationFn: () => api.post<ConversationView>(`${base}/conversations/${id}/block`),
      onSuccess: done,
    }),
    unblock: useMutation({
      mutationFn: () =>
        api.request<ConversationView>(`${base}/conversations/${id}/block`, { method: 'DELETE' }),
      onSuccess: done,
    }),
    report: useMutation({
      mutationFn: (reason: string) =>
        api.post<{ id: string }>(`${base}/conversations/${id}/reports`, { reason }),
    }),
  };
}

export function useInterviews() {
  return useInfiniteQuery({
    queryKey: messagingKeys.interviews(),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<InterviewView>>(`${base}/interviews?limit=20${pageParam ? `&cursor=${pageParam}` : ''}`, {
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useInterview(id: string) {
  return useQuery({
    queryKey: messagingKeys.interview(id),
    queryFn: ({ signal }) => api.get<InterviewRoom>(`${base}/interviews/${id}`, { signal }),
  });
}

export function useScheduleInterview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      workerId: string;
      scheduledAt: string;
      durationMinutes: number;
      companyId?: string | null;
      conversationId?: string | null;
    }) => api.post<InterviewView>(`${base}/interviews`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: messagingKeys.interviews() }),
  });
}

export function useInterviewSteps(id: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: messagingKeys.all });
  return {
    join: useMutation({
      mutationFn: () => api.post<InterviewRoom>(`${base}/interviews/${id}/join`),
      onSuccess: refresh,
    }),
    cancel: useMutation({
      mutationFn: () => api.post<InterviewView>(`${base}/interviews/${id}/cancel`),
      onSuccess: refresh,
    }),
    outcome: useMutation({
      mutationFn: (input: { notes?: string; outcome: 'proceed' | 'decline' }) =>
        api.post<InterviewView>(`${base}/interviews/${id}/outcome`, input),
      onSuccess: refresh,
    }),
  };
}

export function useReports(state?: 'open' | 'reviewed') {
  return useQuery({
    queryKey: messagingKeys.reports(state),
    queryFn: ({ signal }) =>
      api.get<Page<ReportView>>(
        `${base}/regulator/message-reports?limit=50${state ? `&state=${state}` : ''}`,
        { signal },
      ),
  });
}

export function useReport(id: string) {
  return useQuery({
    queryKey: messagingKeys.report(id),
    queryFn: ({ signal }) =>
      api.get<{ report: ReportView; conversation: ConversationView; messages: Page<MessageView> }>(
        `${base}/regulator/message-reports/${id}`,
        { signal },
      ),
  });
}

export function useReviewReport(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (note: string) =>
      api.post<ReportView>(`${base}/regulator/message-reports/${id}/review`, { note }),
    onSuccess: () => qc.invalidateQueries({ queryKey: messagingKeys.all }),
  });
}
