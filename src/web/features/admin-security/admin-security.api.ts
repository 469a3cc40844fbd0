import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api } from '../../shared/api';
import type { Role } from '../identity/identity.types';

// Mirrors src/server/modules/identity/admin.routes.ts (三权分立 consoles).
export type StaffRole = 'regulator' | 'platform_admin' | 'security_admin' | 'audit_admin';
export const staffRoles: StaffRole[] = ['regulator', 'platform_admin', 'security_admin', 'audit_admin'];

export interface StaffAccount {
  id: string;
  name: string;
  phoneMasked: string;
  status: 'active' | 'disabled';
  roles: { role: Role; district: string | null; grantedAt: string }[];
  activeSessions: number;
  authenticator: 'none' | 'pending' | 'enrolled';
  /** Security keys (安全密钥), oldest first; `id` is the record id, never the credential id. */
  securityKeys: { id: string; label: string; createdAt: string; lastUsedAt: string | null }[];
}

export interface AuditEntry {
  seq: number;
  id: string;
  at: string;
  actor: { id: string; nameMasked: string } | null;
  actorRoles: string[];
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: string;
  requestId: string | null;
  ipMasked: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  from?: string;
  to?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  actorId?: string;
  outcome?: 'ok' | 'denied' | 'failed';
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const adminKeys = {
  all: ['admin-security'] as const,
  accounts: (phone: string) => [...adminKeys.all, 'accounts', phone] as const,
  audit: (f: AuditFilter) => [...adminKeys.all, 'audit', f] as const,
};

export const auditQueryString = (f: AuditFilter, extra: Record<string, string> = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export function useStaffAccounts(phone: string) {
  return useInfiniteQuery({
    queryKey: adminKeys.accounts(phone),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) => {
      const q = new URLSearchParams({ limit: '50' });
      if (phone) q.set('phone', phone);
      if (pageParam) q.set('cursor', pageParam);
      return api.get<Page<StaffAccount>>(`/api/v1/security/accounts?${q}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export type AccountAction =
  | { kind: 'grant'; role: StaffRole; district?: string | null; reason: string }
  | { kind: 'revoke'; role: StaffRole; reason: string }
  | { kind: 'disable' | 'enable' | 'endSessions'; reason: string }
  | { kind: 'resetTotp'; reason: string; code: string }
  | { kind: 'removeKey'; keyId: string; reason: string; code: string }
  | { kind: 'removeKeys'; reason: string; code: string };

/** Every security-admin change goes through here; the list is reloaded after it. */
export function useAccountAction() {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, { userId: string; action: AccountAction }>({
    mutationFn: ({ userId, action }) => {
      const base = `/api/v1/security/accounts/${encodeURIComponent(userId)}`;
      switch (action.kind) {
        case 'grant':
          return api.post(`${base}/roles`, {
            role: action.role,
            district: action.district || null,
            reason: action.reason,
          });
        case 'revoke':
          return api.post(`${base}/roles/${action.role}/revoke`, { reason: action.reason });
        case 'disable':
          return api.post(`${base}/disable`, { reason: action.reason });
        case 'enable':
          return api.post(`${base}/enable`, { reason: action.reason });
        case 'endSessions':
          return api.post(`${base}/sessions/revoke`, { reason: action.reason });
        case 'resetTotp':
          return api.post(`${base}/totp/reset`, { reason: action.reason, code: action.code });
        case 'removeKey':
          return api.post(`${base}/security-keys/${encodeURIComponent(action.keyId)}/remove`, {
            reason: action.reason,
            code: action.code,
          });
        case 'removeKeys':
          return api.post(`${base}/security-keys/remove`, { reason: action.reason, code: action.code });
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...adminKeys.all, 'accounts'] }),
  });
}

export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: adminKeys.audit(filter),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEntry>>(
        `/api/v1/audit/log${auditQueryString(filter, { limit: '50', ...(pageParam ? { cursor: pageParam } : {}) })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  firstBroken: { seq: number; id: string; reason: string } | null;
  start: { n: number; seq: number; checkpoint: number | null };
  problem: {
    kind:
      | 'checkpoint-forged'
      | 'checkpoint-unverified'
      | 'prefix-removed'
      | 'checkpoint-mismatch'
      | 'hash-alg';
    message: string;
    seq?: number;
  } | null;
}

export function useVerifyChain() {
  return useMutation<ChainReport, ApiError, void>({
    mutationFn: () => api.get<ChainReport>('/api/v1/audit/verify'),
  });
}
