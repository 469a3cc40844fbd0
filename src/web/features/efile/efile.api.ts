import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type {
  AccessLogItem,
  AccessRequest,
  DeletionRequest,
  FileAccess,
  Grant,
  MyFile,
  Page,
  SharedFile,
} from './efile.types';

export const efileKeys = {
  all: ['efile'] as const,
  mine: () => [...efileKeys.all, 'mine'] as const,
  log: () => [...efileKeys.all, 'log'] as const,
  grants: () => [...efileKeys.all, 'grants'] as const,
  requests: () => [...efileKeys.all, 'requests'] as const,
  deletions: () => [...efileKeys.all, 'deletions'] as const,
  shared: (token: string) => [...efileKeys.all, 'shared', token] as const,
  access: (workerId: string) => [...efileKeys.all, 'access', workerId] as const,
  viewer: (workerId: string) => [...efileKeys.all, 'viewer', workerId] as const,
  admin: (state: string) => [...efileKeys.all, 'admin', state] as const,
};

/** The worker's own whole record. */
export const useMyFile = () =>
  useQuery({
    queryKey: efileKeys.mine(),
    queryFn: ({ signal }) => api.get<MyFile>('/api/v1/workers/me/file', { signal }),
  });

/** Who viewed my record, page by page. */
export const useAccessLog = () =>
  useInfiniteQuery({
    queryKey: efileKeys.log(),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AccessLogItem>>(
        `/api/v1/workers/me/access-log?limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useGrants = () =>
  useQuery({
    queryKey: efileKeys.grants(),
    queryFn: ({ signal }) => api.get<Page<Grant>>('/api/v1/workers/me/grants?limit=50', { signal }),
  });

export const useAccessRequests = () =>
  useQuery({
    queryKey: efileKeys.requests(),
    queryFn: ({ signal }) =>
      api.get<Page<AccessRequest>>('/api/v1/workers/me/access-requests?limit=50', { signal }),
  });

export const useMyDeletionRequests = () =>
  useQuery({
    queryKey: efileKeys.deletions(),
    queryFn: ({ signal }) =>
      api.get<{ items: DeletionRequest[] }>('/api/v1/workers/me/deletion-requests', { signal }),
  });

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: efileKeys.all });
}

export function useCreateLink() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (body: { expiresInHours: number; scope: 'basic' | 'full' }) =>
      api.post<{ grant: Grant; token: string; url: string }>('/api/v1/workers/me/grants', {
        kind: 'link',
        ...body,
      }),
    onSuccess: done,
  });
}

export function useRevokeGrant() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<Grant>(`/api/v1/workers/me/grants/${encodeURIComponent(id)}/revoke`, {}),
    onSuccess: done,
  });
}

export function useDecide() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; decision: 'approve' | 'decline'; expiresInHours?: number }) =>
      api.post<AccessRequest>(`/api/v1/workers/me/access-requests/${encodeURIComponent(v.id)}/decision`, {
        decision: v.decision,
        ...(v.decision === 'approve' ? { expiresInHours: v.expiresInHours ?? 72, scope: 'full' } : {}),
      }),
    onSuccess: done,
  });
}

export function useRequestDeletion() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<DeletionRequest>('/api/v1/workers/me/deletion-request', { reason }),
    onSuccess: done,
  });
}

/** A file behind a share link (public). */
export const useSharedFile = (token: string) =>
  useQuery({
    queryKey: efileKeys.shared(token),
    queryFn: ({ signal }) =>
      api.get<SharedFile>(`/api/v1/shared/worker-files/${encodeURIComponent(token)}`, { signal }),
    retry: false,
  });

/** The caller's request/grant for a worker. */
export const useFileAccess = (workerId: string) =>
  useQuery({
    queryKey: efileKeys.access(workerId),
    queryFn: ({ signal }) =>
      api.get<FileAccess>(`/api/v1/workers/${encodeURIComponent(workerId)}/file-access`, { signal }),
    retry: false,
  });

/** A worker's file for a grantee; only fetched when a grant exists. */
export const useViewerFile = (workerId: string, enabled: boolean) =>
  useQuery({
    queryKey: efileKeys.viewer(workerId),
    queryFn: ({ signal }) =>
      api.get<SharedFile>(`/api/v1/workers/${encodeURIComponent(workerId)}/file`, { signal }),
    enabled,
    retry: false,
  });

export function useRequestAccess(workerId: string) {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<AccessRequest>(`/api/v1/workers/${encodeURIComponent(workerId)}/access-requests`, { reason }),
    onSuccess: done,
  });
}

export const useAdminDeletions = (state: 'pending' | 'completed' | 'refused') =>
  useQuery({
    queryKey: efileKeys.admin(state),
    queryFn: ({ signal }) =>
      api.get<Page<DeletionRequest>>(`/api/v1/admin/deletion-requests?limit=100&state=${state}`, { signal }),
  });

export function useAdminDecision() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; action: 'complete' | 'refuse'; reason?: string }) =>
      api.post<DeletionRequest>(
        `/api/v1/admin/deletion-requests/${encodeURIComponent(v.id)}/${v.action}`,
        v.action === 'refuse' ? { reason: v.reason } : {},
      ),
    onSuccess: done,
  });
}
