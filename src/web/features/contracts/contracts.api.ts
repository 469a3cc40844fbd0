import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { ContractDetail, ContractStats, ContractSummary, Page, Verification } from './contracts.types';

const base = '/api/v1';

export const contractKeys = {
  all: ['contracts'] as const,
  mine: () => [...contractKeys.all, 'mine'] as const,
  company: (orgId: string) => [...contractKeys.all, 'company', orgId] as const,
  detail: (id: string) => [...contractKeys.all, 'detail', id] as const,
  regulator: (f: Record<string, string | undefined>) => [...contractKeys.all, 'regulator', f] as const,
  stats: () => [...contractKeys.all, 'stats'] as const,
  readyOrders: (orgId: string) => [...contractKeys.all, 'ready-orders', orgId] as const,
};

const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

function usePaged(
  key: readonly unknown[],
  path: string,
  params: Record<string, string | undefined> = {},
  enabled = true,
) {
  return useInfiniteQuery({
    queryKey: key,
    enabled,
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ContractSummary>>(
        `${base}${path}${qs({ ...params, cursor: pageParam || undefined, limit: '20' })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const useMyContracts = () => usePaged(contractKeys.mine(), '/contracts/mine');
export const useCompanyContracts = (orgId: string | undefined) =>
  usePaged(contractKeys.company(orgId ?? ''), `/orgs/${orgId}/contracts`, {}, !!orgId);
export const useRegulatorContracts = (f: Record<string, string | undefined>) =>
  usePaged(contractKeys.regulator(f), '/regulator/contracts', f);

export function useContract(id: string) {
  return useQuery({
    queryKey: contractKeys.detail(id),
    queryFn: ({ signal }) => api.get<ContractDetail>(`${base}/contracts/${id}`, { signal }),
  });
}

export function useContractStats() {
  return useQuery({
    queryKey: contractKeys.stats(),
    queryFn: ({ signal }) => api.get<ContractStats>(`${base}/regulator/contracts/stats`, { signal }),
  });
}

/** The company's accepted long-term orders (candidates for a contract). */
export function useReadyOrders(orgId: string | undefined) {
  return useQuery({
    queryKey: contractKeys.readyOrders(orgId ?? ''),
    enabled: !!orgId,
    queryFn: ({ signal }) =>
      api.get<Page<{ id: string; number: string; mode: string; category: string; serviceStart: string }>>(
        `${base}/orgs/${orgId}/orders?state=accepted&limit=100`,
        { signal },
      ),
    select: (p) => p.items.filter((o) => ['day_care', 'live_in', 'maternity'].includes(o.mode)),
  });
}

/** Every contract mutation returns the contract as the caller now sees it. */
export function useContractAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { path: string; body?: unknown; method?: 'POST' | 'PATCH' }) =>
      api.request<ContractDetail>(`${base}/contracts/${id}${a.path}`, {
        method: a.method ?? 'POST',
        body: a.body ?? {},
      }),
    onSuccess: (c) => {
      qc.setQueryData(contractKeys.detail(id), c);
      void qc.invalidateQueries({ queryKey: contractKeys.all, predicate: (q) => q.queryKey[1] !== 'detail' });
    },
  });
}

export function useSendSignCode(id: string) {
  return useMutation({
    mutationFn: () =>
      api.post<{ expiresAt: string; phoneMasked: string }>(`${base}/contracts/${id}/sign-code`, {}),
  });
}

export function useCreateContract() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { orderId: string; key: string }) =>
      api.post<ContractDetail>(
        `${base}/contracts`,
        { orderId: a.orderId },
        { headers: { 'idempotency-key': a.key } },
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: contractKeys.all }),
  });
}

export function verifyNumber(no: string) {
  return api.get<Verification>(`${base}/contracts/verify/${encodeURIComponent(no)}`);
}

export function verifyPdf(no: string, pdfBase64: string) {
  return api.post<Verification>(`${base}/contracts/verify`, { number: no, pdfBase64 });
}

export const pdfUrl = (id: string) => `${base}/contracts/${id}/pdf`;
