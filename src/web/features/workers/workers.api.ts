import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import { problemToApiError } from '../../shared/api/client';
import { getLocale } from '../../shared/i18n';
import type {
  BulkResult,
  ConsentText,
  ListItem,
  Page,
  ReviewQueueItem,
  WorkerDocument,
  WorkerView,
} from './workers.types';

const base = '/api/v1';

export const workerKeys = {
  all: ['workers'] as const,
  consent: () => [...workerKeys.all, 'consent'] as const,
  me: () => [...workerKeys.all, 'me'] as const,
  myDocuments: () => [...workerKeys.all, 'me', 'documents'] as const,
  queue: (filters: Record<string, string | undefined>) => [...workerKeys.all, 'queue', filters] as const,
  company: (companyId: string, cursor?: string) =>
    [...workerKeys.all, 'company', companyId, cursor ?? ''] as const,
  regulatorList: (filters: Record<string, string | undefined>) =>
    [...workerKeys.all, 'regulator', filters] as const,
};

const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** Sends multipart/form-data (file uploads); failures become ApiError like every other call. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(base + path, {
    method: 'POST',
    body: form,
    credentials: 'include',
    headers: { accept: 'application/json, application/problem+json' },
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw problemToApiError(res.status, body, getLocale(), res.headers);
  return body as T;
}

export function useConsentText() {
  return useQuery({
    queryKey: workerKeys.consent(),
    queryFn: ({ signal }) => api.get<ConsentText>(`${base}/workers/consent-text`, { signal }),
    staleTime: 60 * 60_000,
  });
}

export function useMyWorker() {
  return useQuery({
    queryKey: workerKeys.me(),
    queryFn: ({ signal }) => api.get<WorkerView>(`${base}/workers/me`, { signal }),
    retry: false,
  });
}

export function useRegisterSelf() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<WorkerView>(`${base}/workers/me`, body),
    onSuccess: (w) => {
      qc.setQueryData(workerKeys.me(), w);
      // The new worker role changes the console menu.
      void qc.invalidateQueries({ queryKey: ['identity'] });
    },
  });
}

export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.request<WorkerView>(`${base}/workers/me`, { method: 'PATCH', body }),
    onSuccess: (w) => qc.setQueryData(workerKeys.me(), w),
  });
}

/** Withdraws the data-authorisation letter (撤回授权). */
export function useWithdrawConsent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.request<WorkerView>(`${base}/workers/me/consent/withdraw`, { method: 'POST', body: {} }),
    onSuccess: (w) => qc.setQueryData(workerKeys.me(), w),
  });
}

/** Accepts the current letter again after a withdrawal. */
export function useAcceptConsent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (consent: { version: string; accepted: true }) =>
      api.request<WorkerView>(`${base}/workers/me/consent`, { method: 'POST', body: { consent } }),
    onSuccess: (w) => qc.setQueryData(workerKeys.me(), w),
  });
}

export function useMyDocuments() {
  return useQuery({
    queryKey: workerKeys.myDocuments(),
    queryFn: ({ signal }) => api.get<{ items: WorkerDocument[] }>(`${base}/workers/me/documents`, { signal }),
  });
}

export function useUploadDocument(path = '/workers/me/documents') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (form: FormData) => postForm<WorkerDocument>(path, form),
    onSuccess: () => qc.invalidateQueries({ queryKey: workerKeys.all }),
  });
}

export function useReviewQueue(filters: Record<string, string | undefined>) {
  return useQuery({
    queryKey: workerKeys.queue(filters),
    queryFn: ({ signal }) =>
      api.get<Page<ReviewQueueItem>>(`${base}/regulator/documents${qs(filters)}`, { signal }),
  });
}

export function useReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: string[]; decision: 'approve' | 'reject'; reason?: string }) =>
      input.ids.length === 1
        ? api
            .post<WorkerDocument>(`${base}/regulator/documents/${input.ids[0]}/review`, {
              decision: input.decision,
              ...(input.reason ? { reason: input.reason } : {}),
            })
            .then((d): BulkResult => ({ results: [{ id: d.id, ok: true, code: null }] }))
        : api.post<BulkResult>(`${base}/regulator/documents/review`, {
            ids: input.ids,
            decision: input.decision,
            ...(input.reason ? { reason: input.reason } : {}),
          }),
    onSuccess: () => qc.invalidateQueries({ queryKey: workerKeys.all }),
  });
}

export function useRegulatorWorkers(filters: Record<string, string | undefined>) {
  return useQuery({
    queryKey: workerKeys.regulatorList(filters),
    queryFn: ({ signal }) => api.get<Page<ListItem>>(`${base}/regulator/workers${qs(filters)}`, { signal }),
  });
}

export function useRecordCheck() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { workerId: string; body: Record<string, unknown> }) =>
      api.post(`${base}/regulator/workers/${input.workerId}/background-checks`, input.body),
    onSuccess: () => qc.invalidateQueries({ queryKey: workerKeys.all }),
  });
}

export function useRecordTraining() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { workerId: string; body: Record<string, unknown> }) =>
      api.post(`${base}/regulator/workers/${input.workerId}/training`, input.body),
    onSuccess: () => qc.invalidateQueries({ queryKey: workerKeys.all }),
  });
}

export function useCompanyWorkers(companyId: string | undefined, cursor?: string) {
  return useQuery({
    queryKey: workerKeys.company(companyId ?? '', cursor),
    enabled: !!companyId,
    queryFn: ({ signal }) =>
      api.get<Page<ListItem>>(`${base}/companies/${companyId}/workers${qs({ cursor, limit: '50' })}`, {
        signal,
      }),
  });
}

export function useOnboardWorker(companyId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post<WorkerView>(`${base}/companies/${companyId}/workers`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: workerKeys.all }),
  });
}

export function useHire(companyId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { workerId: string; idNumber: string }) =>
      api.post(`${base}/companies/${companyId}/workers/${input.workerId}/employment`, {
        idNumber: input.idNumber,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: workerKeys.all }),
  });
}

export function useEndEmployment(companyId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { workerId: string; reason: string }) =>
      api.post(`${base}/companies/${companyId}/workers/${input.workerId}/employment/end`, {
        reason: input.reason,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: workerKeys.all }),
  });
}

export function useConfirmRegistration() {
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post(`${base}/workers/confirm`, body),
  });
}

/** Link to open a document's file (the browser downloads it; the server audits each view). */
export const documentFileUrl = (id: string) => `${base}/documents/${id}/file`;
