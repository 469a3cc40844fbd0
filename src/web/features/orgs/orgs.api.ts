import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import { problemToApiError } from '../../shared/api/client';
import { getLocale } from '../../shared/i18n';
import { identityKeys } from '../identity/identity.api';
import type {
  AdminOrganization,
  CompanyDetail,
  CompanyInput,
  Invitation,
  Member,
  NewOrganizationInput,
  Page,
  RegulatorListItem,
} from './orgs.types';

const base = '/api/v1';

export const orgKeys = {
  all: ['orgs'] as const,
  company: (id: string) => [...orgKeys.all, 'company', id] as const,
  regulatorList: (f: Record<string, string | undefined>) => [...orgKeys.all, 'regulator', f] as const,
  regulatorOne: (id: string) => [...orgKeys.all, 'regulator', 'one', id] as const,
  members: (orgId: string, ended: boolean) => [...orgKeys.all, 'members', orgId, ended] as const,
  orgInvitations: (orgId: string) => [...orgKeys.all, 'invitations', orgId] as const,
  myInvitations: () => [...orgKeys.all, 'me', 'invitations'] as const,
  admin: (type?: string) => [...orgKeys.all, 'admin', type ?? ''] as const,
};

export const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** The licence file URL (same origin; the session cookie authorises it). */
export const licenceUrl = (orgId: string) => `${base}/companies/${orgId}/licence`;

async function postForm<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(base + path, {
    method: 'POST',
    body: form,
    credentials: 'include',
    headers: { accept: 'application/json, application/problem+json' },
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) throw problemToApiError(res.status, body, getLocale(), res.headers);
  return body as T;
}

const newKey = () =>
  globalThis.crypto?.randomUUID?.() ?? `k-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;

export function useApply() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CompanyInput) =>
      api.post<CompanyDetail>(`${base}/companies/applications`, input, {
        headers: { 'idempotency-key': newKey() },
      }),
    // The applicant is now the pending company's admin: refresh who they are.
    onSuccess: () => qc.invalidateQueries({ queryKey: identityKeys.me() }),
  });
}

export function useCompany(id: string | undefined) {
  return useQuery({
    queryKey: orgKeys.company(id ?? ''),
    queryFn: ({ signal }) => api.get<CompanyDetail>(`${base}/companies/applications/${id}`, { signal }),
    enabled: !!id,
  });
}

function useCompanyMutation<I>(id: string, fn: (input: I) => Promise<CompanyDetail>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (data) => qc.setQueryData(orgKeys.company(id), data),
  });
}

export const useUpdateApplication = (id: string) =>
  useCompanyMutation(id, (input: CompanyInput) =>
    api.request<CompanyDetail>(`${base}/companies/applications/${id}`, { method: 'PUT', body: input }),
  );
export const useUploadLicence = (id: string) =>
  useCompanyMutation(id, (file: File) => {
    const fd = new FormData();
    fd.append('file', file);
    return postForm<CompanyDetail>(`/companies/applications/${id}/licence`, fd);
  });
export const useSubmitApplication = (id: string) =>
  useCompanyMutation(id, () => api.post<CompanyDetail>(`${base}/companies/applications/${id}/submit`));

export function useRegulatorCompanies(f: { state?: string; status?: string; district?: string }) {
  return useInfiniteQuery({
    queryKey: orgKeys.regulatorList(f),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<RegulatorListItem>>(
        `${base}/regulator/companies${qs({ ...f, limit: '20', cursor: pageParam || undefined })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useRegulatorCompany(id: string | null) {
  return useQuery({
    queryKey: orgKeys.regulatorOne(id ?? ''),
    queryFn: ({ signal }) => api.get<CompanyDetail>(`${base}/regulator/companies/${id}`, { signal }),
    enabled: !!id,
  });
}

function useRegulatorAction<I>(path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: I & { id: string }) =>
      api.post<CompanyDetail>(`${base}/regulator/companies/${id}/${path}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...orgKeys.all, 'regulator'] }),
  });
}
export const useDecision = () =>
  useRegulatorAction<{ decision: 'approve' | 'reject' | 'request_info'; reason?: string }>('decision');
export const useStatusChange = () =>
  useRegulatorAction<{ action: 'suspend' | 'reinstate' | 'expel'; reason?: string }>('status');

export function useMembers(orgId: string | undefined, includeEnded: boolean) {
  return useQuery({
    queryKey: orgKeys.members(orgId ?? '', includeEnded),
    queryFn: ({ signal }) =>
      api.get<{ items: Member[] }>(
        `${base}/orgs/${orgId}/members${includeEnded ? '?includeEnded=true' : ''}`,
        {
          signal,
        },
      ),
    enabled: !!orgId,
  });
}

export function useOrgInvitations(orgId: string | undefined) {
  return useQuery({
    queryKey: orgKeys.orgInvitations(orgId ?? ''),
    queryFn: ({ signal }) =>
      api.get<Page<Invitation>>(`${base}/orgs/${orgId}/invitations?limit=100`, { signal }),
    enabled: !!orgId,
  });
}

export function useInvite(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { phone: string; role: 'admin' | 'staff' }) =>
      api.post<Invitation>(`${base}/orgs/${orgId}/invitations`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.orgInvitations(orgId) }),
  });
}

export function useRevokeInvitation(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<null>(`${base}/orgs/${orgId}/invitations/${id}/revoke`),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.orgInvitations(orgId) }),
  });
}

export function useEndMembership(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (membershipId: string) => api.post<null>(`${base}/orgs/${orgId}/members/${membershipId}/end`),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...orgKeys.all, 'members', orgId] }),
  });
}

export function useMyInvitations() {
  return useQuery({
    queryKey: orgKeys.myInvitations(),
    queryFn: ({ signal }) => api.get<{ items: Invitation[] }>(`${base}/me/invitations`, { signal }),
  });
}

export function useRespondInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, accept }: { id: string; accept: boolean }) =>
      api.post<{ status: string; orgId: string }>(
        `${base}/me/invitations/${id}/${accept ? 'accept' : 'decline'}`,
      ),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: orgKeys.myInvitations() });
      // A new membership changes the person's roles and consoles.
      qc.invalidateQueries({ queryKey: identityKeys.me() });
    },
  });
}

export function useAdminOrganizations(type?: string) {
  return useInfiniteQuery({
    queryKey: orgKeys.admin(type),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AdminOrganization>>(
        `${base}/admin/organizations${qs({ type, limit: '50', cursor: pageParam || undefined })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateOrganization() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: NewOrganizationInput) =>
      api.post<AdminOrganization>(`${base}/admin/organizations`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...orgKeys.all, 'admin'] }),
  });
}
