import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type {
  ClaimDetail,
  ClaimState,
  ClaimSummary,
  Enrolment,
  NewClaim,
  Page,
  Policy,
  PolicyState,
  Product,
  Settlement,
} from './insurance.types';

const base = '/api/v1';

export const insuranceKeys = {
  all: ['insurance'] as const,
  products: (insurerId: string | null) => [...insuranceKeys.all, 'products', insurerId ?? 'offered'] as const,
  policies: (scope: string, state?: string) =>
    [...insuranceKeys.all, 'policies', scope, state ?? ''] as const,
  claims: (scope: string, state?: string) => [...insuranceKeys.all, 'claims', scope, state ?? ''] as const,
  claim: (id: string) => [...insuranceKeys.all, 'claim', id] as const,
  settlement: (from: string, to: string) => [...insuranceKeys.all, 'settlement', from, to] as const,
};

const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** A fresh Idempotency-Key: made once per submission and reused on its retries. */
export const newIdempotencyKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export function useProducts(insurerId: string | null) {
  return useQuery({
    queryKey: insuranceKeys.products(insurerId),
    queryFn: ({ signal }) =>
      api.get<{ items: Product[] }>(
        insurerId
          ? `${base}/insurers/${encodeURIComponent(insurerId)}/products`
          : `${base}/insurance/products`,
        { signal },
      ),
  });
}

export function usePolicies(
  scope: { kind: 'company' | 'insurer'; orgId: string | undefined } | { kind: 'me' },
  state?: PolicyState,
) {
  const key = scope.kind === 'me' ? 'me' : `${scope.kind}:${scope.orgId ?? ''}`;
  const path =
    scope.kind === 'me'
      ? `${base}/workers/me/insurance/policies`
      : scope.kind === 'company'
        ? `${base}/companies/${encodeURIComponent(scope.orgId ?? '')}/insurance/policies${qs({ state, limit: '100' })}`
        : `${base}/insurers/${encodeURIComponent(scope.orgId ?? '')}/policies${qs({ state, limit: '100' })}`;
  return useQuery({
    queryKey: insuranceKeys.policies(key, state),
    enabled: scope.kind === 'me' || !!scope.orgId,
    queryFn: ({ signal }) => api.get<Page<Policy> | { items: Policy[] }>(path, { signal }),
  });
}

export function useClaims(
  scope: { kind: 'company' | 'insurer'; orgId: string | undefined } | { kind: 'mine' },
  state?: ClaimState,
) {
  const key = scope.kind === 'mine' ? 'mine' : `${scope.kind}:${scope.orgId ?? ''}`;
  const path =
    scope.kind === 'mine'
      ? `${base}/insurance/claims/mine${qs({ limit: '100' })}`
      : scope.kind === 'company'
        ? `${base}/companies/${encodeURIComponent(scope.orgId ?? '')}/insurance/claims${qs({ state, limit: '100' })}`
        : `${base}/insurers/${encodeURIComponent(scope.orgId ?? '')}/claims${qs({ state, limit: '100' })}`;
  return useQuery({
    queryKey: insuranceKeys.claims(key, state),
    enabled: scope.kind === 'mine' || !!scope.orgId,
    queryFn: ({ signal }) => api.get<Page<ClaimSummary>>(path, { signal }),
  });
}

export function useClaim(id: string) {
  return useQuery({
    queryKey: insuranceKeys.claim(id),
    enabled: !!id,
    queryFn: ({ signal }) =>
      api.get<ClaimDetail>(`${base}/insurance/claims/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useSettlement(from: string, to: string) {
  return useQuery({
    queryKey: insuranceKeys.settlement(from, to),
    enabled: !!from && !!to,
    queryFn: ({ signal }) =>
      api.get<Settlement>(`${base}/insurance/settlement${qs({ from, to })}`, { signal }),
  });
}

export const settlementExportUrl = (from: string, to: string, format: 'xlsx' | 'csv') =>
  `${base}/insurance/settlement/export${qs({ from, to, format })}`;
export const certificateUrl = (policyId: string) =>
  `${base}/insurance/policies/${encodeURIComponent(policyId)}/certificate`;

/** Any insurance write; every query of the module is refreshed after it. */
function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void qc.invalidateQueries({ queryKey: insuranceKeys.all }),
  });
}

export function useCreateProduct(insurerId: string) {
  return useWrite(
    (
      body: Omit<Product, 'id' | 'insurer' | 'active' | 'createdAt' | 'coverage'> & {
        coverage: { code: string; amountFen: number }[];
      },
    ) => api.post<Product>(`${base}/insurers/${encodeURIComponent(insurerId)}/products`, body),
  );
}

export function useSetProductActive() {
  return useWrite((input: { id: string; active: boolean }) =>
    api.request<Product>(`${base}/insurance/products/${encodeURIComponent(input.id)}`, {
      method: 'PATCH',
      body: { active: input.active },
    }),
  );
}

export function useEnrolStaff(companyId: string) {
  return useWrite(
    (input: {
      key: string;
      body: {
        productId: string;
        startsOn: string;
        workerIds: string[];
        split?: { companyFen: number; workerFen: number } | null;
      };
    }) =>
      api.post<Enrolment>(
        `${base}/companies/${encodeURIComponent(companyId)}/insurance/enrolments`,
        input.body,
        {
          headers: { 'idempotency-key': input.key },
        },
      ),
  );
}

export function useEnrolSelf() {
  return useWrite((input: { key: string; body: { productId: string; startsOn: string } }) =>
    api.post<Enrolment>(`${base}/workers/me/insurance/enrolments`, input.body, {
      headers: { 'idempotency-key': input.key },
    }),
  );
}

export function usePolicyStep() {
  return useWrite(
    (input: { id: string; step: 'confirm' | 'reject' | 'withdraw' | 'terminate'; reason?: string }) =>
      api.post(
        `${base}/insurance/policies/${encodeURIComponent(input.id)}/${input.step}`,
        input.step === 'confirm' ? {} : { reason: input.reason ?? null },
      ),
  );
}

export function useConfirmPolicies(insurerId: string) {
  return useWrite((ids: string[]) =>
    api.post<{ confirmed: number }>(`${base}/insurers/${encodeURIComponent(insurerId)}/policies/confirm`, {
      ids,
    }),
  );
}

export function useFileClaim() {
  return useWrite((input: { key: string; body: NewClaim }) =>
    api.post<ClaimDetail>(`${base}/insurance/claims`, input.body, {
      headers: { 'idempotency-key': input.key },
    }),
  );
}

export type ClaimStepInput =
  | { step: 'review'; body: Record<string, never> }
  | { step: 'request-info'; body: { reason: string } }
  | { step: 'approve'; body: { amountFen: number } }
  | { step: 'reject'; body: { reason: string } }
  | { step: 'pay'; body: { payoutRef: string } }
  | { step: 'supply'; body: { note: string } }
  | { step: 'withdraw'; body: { reason?: string | null } };

export function useClaimStep(id: string) {
  return useWrite((input: ClaimStepInput) =>
    api.post<ClaimDetail>(`${base}/insurance/claims/${encodeURIComponent(id)}/${input.step}`, input.body),
  );
}
