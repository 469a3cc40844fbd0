import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';

const base = '/api/v1';

export const partnerScopes = [
  'certificates:verify',
  'companies:read',
  'statistics:read',
  'orders:write',
  'workers:read',
] as const;
export type PartnerScope = (typeof partnerScopes)[number];
export const webhookEvents = [
  'certificate.status_changed',
  'company.expelled',
  'order.status_changed',
  'complaint.escalated',
  'contract.filed',
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export interface PartnerClient {
  id: string;
  name: string;
  organization: string;
  contactName: string;
  contactPhoneMasked: string;
  scopes: PartnerScope[];
  ipAllowlist: string[];
  rateLimitPerMinute: number;
  status: 'active' | 'suspended';
  sandbox: boolean;
  createdAt: string;
}
export interface PartnerKey {
  id: string;
  prefix: string;
  label: string;
  state: 'active' | 'rotating' | 'expired' | 'revoked';
  expiresAt: string;
  revokedAt: string | null;
  replacedBy: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}
export interface PartnerClientDetail extends PartnerClient {
  keys: PartnerKey[];
  webhooks: { id: string; url: string; events: WebhookEvent[]; active: boolean; createdAt: string }[];
  usage: { day: string; requests: number; refused: number }[];
}
export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEvent;
  status: 'pending' | 'retrying' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  log: { at: string; statusCode: number | null; error: string | null; durationMs: number; replay: boolean }[];
}
export interface Consent {
  id: string;
  partner: { id: string; name: string; organization: string };
  scope: 'basic' | 'full';
  state: 'active' | 'expired' | 'revoked';
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
}
export interface NewClient {
  name: string;
  organization: string;
  contactName: string;
  contactPhone: string;
  scopes: PartnerScope[];
  ipAllowlist: string[];
  rateLimitPerMinute: number;
}

export const partnerKeys = {
  all: ['partners'] as const,
  list: () => [...partnerKeys.all, 'list'] as const,
  detail: (id: string) => [...partnerKeys.all, 'detail', id] as const,
  deliveries: (id: string) => [...partnerKeys.all, 'deliveries', id] as const,
  consents: () => [...partnerKeys.all, 'consents'] as const,
};
const enc = encodeURIComponent;

export function usePartnerClients() {
  return useQuery({
    queryKey: partnerKeys.list(),
    queryFn: ({ signal }) =>
      api.get<{ items: PartnerClient[]; nextCursor: string | null }>(`${base}/admin/partners?limit=100`, {
        signal,
      }),
  });
}

export function usePartnerClient(id: string | null) {
  return useQuery({
    queryKey: partnerKeys.detail(id ?? ''),
    enabled: !!id,
    queryFn: ({ signal }) => api.get<PartnerClientDetail>(`${base}/admin/partners/${enc(id!)}`, { signal }),
  });
}

export function useDeliveries(id: string | null) {
  return useQuery({
    queryKey: partnerKeys.deliveries(id ?? ''),
    enabled: !!id,
    queryFn: ({ signal }) =>
      api.get<{ items: Delivery[]; nextCursor: string | null }>(
        `${base}/admin/partners/${enc(id!)}/deliveries?limit=50`,
        { signal },
      ),
  });
}

/** Every admin write refreshes the partner lists and details. */
function useAdminMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: partnerKeys.all }),
  });
}

export const useCreateClient = () =>
  useAdminMutation((body: NewClient) =>
    api.post<{ client: PartnerClient; key: PartnerKey & { secret: string } }>(`${base}/admin/partners`, body),
  );
export const useClientStatus = () =>
  useAdminMutation((i: { id: string; action: 'suspend' | 'reactivate' }) =>
    api.post<PartnerClientDetail>(`${base}/admin/partners/${enc(i.id)}/${i.action}`),
  );
export const useIssueKey = () =>
  useAdminMutation((i: { id: string; label: string; rotateKeyId?: string }) =>
    api.post<PartnerKey & { secret: string }>(`${base}/admin/partners/${enc(i.id)}/keys`, {
      label: i.label,
      ...(i.rotateKeyId ? { rotateKeyId: i.rotateKeyId } : {}),
    }),
  );
export const useRevokeKey = () =>
  useAdminMutation((i: { id: string; keyId: string }) =>
    api.post<PartnerKey>(`${base}/admin/partners/${enc(i.id)}/keys/${enc(i.keyId)}/revoke`),
  );
export const useCreateWebhook = () =>
  useAdminMutation((i: { id: string; url: string; events: WebhookEvent[] }) =>
    api.post<{ id: string; secret: string }>(`${base}/admin/partners/${enc(i.id)}/webhooks`, {
      url: i.url,
      events: i.events,
    }),
  );
export const useReplay = () =>
  useAdminMutation((i: { id: string; deliveryId: string }) =>
    api.post<Delivery>(`${base}/admin/partners/${enc(i.id)}/deliveries/${enc(i.deliveryId)}/replay`),
  );

export function useMyConsents() {
  return useQuery({
    queryKey: partnerKeys.consents(),
    queryFn: ({ signal }) =>
      api.get<{ items: Consent[]; partners: { id: string; name: string; organization: string }[] }>(
        `${base}/workers/me/partner-consents`,
        { signal },
      ),
  });
}
export const useGrantConsent = () =>
  useAdminMutation((body: { clientId: string; scope: 'basic' | 'full'; days: number }) =>
    api.post<Consent>(`${base}/workers/me/partner-consents`, body),
  );
export const useRevokeConsent = () =>
  useAdminMutation((id: string) =>
    api.post<Consent>(`${base}/workers/me/partner-consents/${enc(id)}/revoke`),
  );
