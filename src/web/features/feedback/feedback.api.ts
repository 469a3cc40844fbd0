import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../shared/api';
import { getLocale, translate } from '../../shared/i18n';
import type {
  ComplaintAction,
  ComplaintDetail,
  ComplaintState,
  ComplaintView,
  ModerationItem,
  NewComplaint,
  OrderReviews,
  Page,
  ReviewView,
} from './feedback.types';

const base = '/api/v1';

export const feedbackKeys = {
  all: ['feedback'] as const,
  orderReviews: (orderId: string) => [...feedbackKeys.all, 'order', orderId] as const,
  employer: (orderId: string) => [...feedbackKeys.all, 'employer', orderId] as const,
  publicReviews: (kind: string, id: string) => [...feedbackKeys.all, 'public', kind, id] as const,
  myReviews: (about: boolean) => [...feedbackKeys.all, 'reviews', 'mine', about] as const,
  moderation: () => [...feedbackKeys.all, 'moderation'] as const,
  complaints: () => [...feedbackKeys.all, 'complaints'] as const,
  complaintList: (scope: string, state?: string) =>
    [...feedbackKeys.complaints(), 'list', scope, state ?? ''] as const,
  complaint: (id: string) => [...feedbackKeys.complaints(), 'detail', id] as const,
  summary: () => [...feedbackKeys.complaints(), 'summary'] as const,
};

const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

function usePaged<T>(
  key: readonly unknown[],
  path: string,
  params: Record<string, string | undefined>,
  enabled = true,
) {
  return useInfiniteQuery({
    queryKey: key,
    enabled,
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<T>>(`${base}${path}${qs({ ...params, cursor: pageParam || undefined, limit: '20' })}`, {
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const newIdempotencyKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** Uploads one photo or evidence file (multipart) and returns its id to attach. */
export async function uploadFeedbackFile(file: File): Promise<{ fileId: string }> {
  const body = new FormData();
  body.append('file', file);
  const res = await fetch(`${base}/feedback/files`, {
    method: 'POST',
    body,
    credentials: 'include',
    headers: { 'accept-language': getLocale() === 'en' ? 'en' : 'zh-CN' },
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError({
      code: json.code ?? 'UPLOAD_FAILED',
      status: res.status,
      messages:
        typeof json.message === 'object' && json.message
          ? json.message
          : {
              'zh-CN': translate('zh-CN', 'feedback.upload.failed'),
              en: translate('en', 'feedback.upload.failed'),
            },
      locale: getLocale(),
    });
  return json as { fileId: string };
}

export const fileUrl = (fileId: string) => `${base}/feedback/files/${fileId}`;

// ---- reviews ----

export function useOrderReviews(orderId: string, enabled = true) {
  return useQuery({
    queryKey: feedbackKeys.orderReviews(orderId),
    enabled: enabled && !!orderId,
    retry: false,
    queryFn: ({ signal }) => api.get<OrderReviews>(`${base}/orders/${orderId}/reviews`, { signal }),
  });
}

export function useEmployerRatings(orderId: string, enabled = true) {
  return useQuery({
    queryKey: feedbackKeys.employer(orderId),
    enabled: enabled && !!orderId,
    retry: false,
    queryFn: ({ signal }) =>
      api.get<{ count: number; average: number | null; recent: ReviewView[] }>(
        `${base}/orders/${orderId}/employer-ratings`,
        { signal },
      ),
  });
}

export function usePublicReviews(kind: 'workers' | 'companies', id: string) {
  return usePaged<ReviewView>(
    feedbackKeys.publicReviews(kind, id),
    `/public/${kind}/${id}/reviews`,
    {},
    !!id,
  );
}

export function useMyReviews(about: boolean) {
  return usePaged<ReviewView>(feedbackKeys.myReviews(about), '/reviews/mine', {
    about: about ? 'true' : undefined,
  });
}

export function useModerationQueue() {
  return usePaged<ModerationItem>(feedbackKeys.moderation(), '/regulator/reviews/moderation', {});
}

export function useCreateReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      orderId: string;
      ratings: Record<string, number>;
      text: string;
      photoIds?: string[];
    }) => api.post<ReviewView>(`${base}/reviews`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: feedbackKeys.all }),
  });
}

export function useReviewAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: string; kind: 'reply' | 'report' | 'moderate'; body: object }) =>
      a.kind === 'moderate'
        ? api.post(`${base}/regulator/reviews/${a.id}/moderate`, a.body)
        : api.post(`${base}/reviews/${a.id}/${a.kind}`, a.body),
    onSuccess: () => qc.invalidateQueries({ queryKey: feedbackKeys.all }),
  });
}

// ---- complaints ----

export function useComplaints(
  scope: { kind: 'mine' } | { kind: 'company'; orgId: string } | { kind: 'regulator' },
  state?: ComplaintState,
) {
  const path =
    scope.kind === 'mine'
      ? '/complaints/mine'
      : scope.kind === 'company'
        ? `/orgs/${scope.orgId}/complaints`
        : '/regulator/complaints';
  return usePaged<ComplaintView>(feedbackKeys.complaintList(path, state), path, { state });
}

export function useComplaint(id: string) {
  return useQuery({
    queryKey: feedbackKeys.complaint(id),
    enabled: !!id,
    queryFn: ({ signal }) => api.get<ComplaintDetail>(`${base}/complaints/${id}`, { signal }),
  });
}

export function useComplaintSummary() {
  return useQuery({
    queryKey: feedbackKeys.summary(),
    queryFn: ({ signal }) =>
      api.get<{ byState: Record<string, number>; overdue: number }>(`${base}/regulator/complaints/summary`, {
        signal,
      }),
  });
}

export function useFileComplaint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: NewComplaint; key: string }) =>
      api.post<ComplaintDetail>(`${base}/complaints`, body, { headers: { 'idempotency-key': key } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: feedbackKeys.complaints() }),
  });
}

export function useComplaintStep(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: {
      action: ComplaintAction;
      reason?: string;
      certificateAction?: 'none' | 'suspend' | 'revoke';
    }) =>
      api.post<ComplaintDetail>(`${base}/complaints/${id}/${s.action}`, {
        ...(s.reason ? { reason: s.reason } : {}),
        ...(s.certificateAction ? { certificateAction: s.certificateAction } : {}),
      }),
    onSuccess: (data) => {
      qc.setQueryData(feedbackKeys.complaint(id), data);
      return qc.invalidateQueries({ queryKey: feedbackKeys.complaints() });
    },
  });
}
