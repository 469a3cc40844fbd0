import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type {
  CompanyDemand,
  DemandDetail,
  FollowUpItem,
  MyDemand,
  NewDemandInput,
  NewOrderInput,
  OfferView,
  OrderDetail,
  OrderState,
  OrderSummary,
  Page,
  Referral,
  ScheduleItem,
  StationDemand,
} from './orders.types';

const base = '/api/v1';

export const orderKeys = {
  all: ['orders'] as const,
  mine: (state?: string) => [...orderKeys.all, 'mine', state ?? ''] as const,
  detail: (id: string) => [...orderKeys.all, 'detail', id] as const,
  company: (orgId: string, state?: string) => [...orderKeys.all, 'company', orgId, state ?? ''] as const,
  regulator: (filters: Record<string, string | undefined>) =>
    [...orderKeys.all, 'regulator', filters] as const,
  schedule: (from: string, to: string) => [...orderKeys.all, 'schedule', from, to] as const,
  followUps: (scope: string, state?: string) => [...orderKeys.all, 'follow-ups', scope, state ?? ''] as const,
  demands: () => [...orderKeys.all, 'demands'] as const,
  myDemands: () => [...orderKeys.demands(), 'mine'] as const,
  demand: (id: string) => [...orderKeys.demands(), 'detail', id] as const,
  companyDemands: (orgId: string) => [...orderKeys.demands(), 'company', orgId] as const,
  areaDemands: (orgId: string) => [...orderKeys.demands(), 'area', orgId] as const,
  referrals: (orgId: string) => [...orderKeys.all, 'referrals', orgId] as const,
};

const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** A keyset-paged list: page after page with "load more". */
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

/** A fresh Idempotency-Key: made once per submission and reused on its retries. */
export const newIdempotencyKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

// ---- orders ----

export function useMyOrders(state?: OrderState) {
  return usePaged<OrderSummary>(orderKeys.mine(state), '/orders/mine', { state });
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: orderKeys.detail(id),
    enabled: !!id,
    queryFn: ({ signal }) => api.get<OrderDetail>(`${base}/orders/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useCreateOrder() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { body: NewOrderInput; key: string }) =>
      api.post<OrderDetail>(`${base}/orders`, input.body, { headers: { 'idempotency-key': input.key } }),
    onSuccess: (o) => {
      qc.setQueryData(orderKeys.detail(o.id), o);
      void qc.invalidateQueries({ queryKey: orderKeys.all });
    },
  });
}

export type OrderStep =
  | { step: 'accept'; body: { workerId?: string | null } }
  | { step: 'decline'; body: { reason: string } }
  | { step: 'cancel'; body: { reason: string } }
  | { step: 'contract'; body: { contractRef: string } }
  | { step: 'start'; body?: undefined }
  | { step: 'confirm'; body?: undefined }
  | { step: 'replace-worker'; body: { workerId: string; reason: string } }
  | { step: 'substitute'; body: { bookingId: string; workerId: string; reason: string } }
  | { step: 'pause'; body: { from: string; to: string; resume: boolean } };

/** One lifecycle step on an order; the answer is the order as it now stands. */
export function useOrderStep(orderId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: OrderStep) =>
      api.post<OrderDetail>(`${base}/orders/${encodeURIComponent(orderId)}/${s.step}`, s.body ?? {}),
    onSuccess: (o) => {
      qc.setQueryData(orderKeys.detail(o.id), o);
      void qc.invalidateQueries({ queryKey: orderKeys.all });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
}

export function useCompanyOrders(orgId: string | undefined, state?: OrderState) {
  return usePaged<OrderSummary>(
    orderKeys.company(orgId ?? '', state),
    `/orgs/${orgId}/orders`,
    { state },
    !!orgId,
  );
}

export function useRegulatorOrders(filters: { state?: string; district?: string }) {
  return usePaged<OrderSummary>(orderKeys.regulator(filters), '/regulator/orders', filters);
}

export function useMySchedule(from: string, to: string) {
  return useQuery({
    queryKey: orderKeys.schedule(from, to),
    queryFn: ({ signal }) =>
      api.get<{ items: ScheduleItem[] }>(`${base}/workers/me/schedule${qs({ from, to })}`, { signal }),
  });
}

// ---- follow-ups ----

/** Follow-ups of my company or station (`orgId`), or the regulator's sample (`orgId` undefined, regulator). */
export function useFollowUps(
  scope: { orgId: string } | { regulator: true } | null,
  state?: 'pending' | 'done',
) {
  const path = !scope ? '' : 'orgId' in scope ? `/orgs/${scope.orgId}/follow-ups` : '/regulator/follow-ups';
  return usePaged<FollowUpItem>(orderKeys.followUps(path, state), path, { state }, !!scope);
}

export function useRecordFollowUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      id: string;
      reached: boolean;
      satisfaction?: number | null;
      notes?: string | null;
    }) =>
      api.post<{ id: string; state: string }>(`${base}/follow-ups/${encodeURIComponent(input.id)}`, {
        reached: input.reached,
        satisfaction: input.satisfaction ?? null,
        notes: input.notes?.trim() || null,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orderKeys.all }),
  });
}

// ---- demands ----

export function useMyDemands() {
  return usePaged<MyDemand>(orderKeys.myDemands(), '/demands/mine', {});
}

export function useDemand(id: string) {
  return useQuery({
    queryKey: orderKeys.demand(id),
    enabled: !!id,
    queryFn: ({ signal }) => api.get<DemandDetail>(`${base}/demands/${encodeURIComponent(id)}`, { signal }),
  });
}

export function usePostDemand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewDemandInput) => api.post<DemandDetail>(`${base}/demands`, body),
    onSuccess: (d) => {
      qc.setQueryData(orderKeys.demand(d.id), d);
      void qc.invalidateQueries({ queryKey: orderKeys.demands() });
    },
  });
}

export function useWithdrawDemand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<DemandDetail>(`${base}/demands/${encodeURIComponent(id)}/withdraw`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: orderKeys.demands() }),
  });
}

export function useAcceptOffer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { offerId: string; key: string }) =>
      api.post<OrderDetail>(
        `${base}/demand-offers/${encodeURIComponent(input.offerId)}/accept`,
        {},
        {
          headers: { 'idempotency-key': input.key },
        },
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: orderKeys.all }),
  });
}

export function useCompanyDemands(orgId: string | undefined) {
  return usePaged<CompanyDemand>(
    orderKeys.companyDemands(orgId ?? ''),
    `/orgs/${orgId}/demands`,
    {},
    !!orgId,
  );
}

export function useMakeOffer(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      demandId: string;
      workerId: string;
      priceItemId: string;
      message?: string | null;
    }) =>
      api.post<OfferView>(`${base}/orgs/${orgId}/demands/${encodeURIComponent(input.demandId)}/offers`, {
        workerId: input.workerId,
        priceItemId: input.priceItemId,
        message: input.message?.trim() || null,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orderKeys.demands() }),
  });
}

export function useAreaDemands(orgId: string | undefined) {
  return usePaged<StationDemand>(
    orderKeys.areaDemands(orgId ?? ''),
    `/orgs/${orgId}/area-demands`,
    {},
    !!orgId,
  );
}

export function useRefer(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { demandId: string; companyId: string; note?: string | null }) =>
      api.post(`${base}/orgs/${orgId}/area-demands/${encodeURIComponent(input.demandId)}/referrals`, {
        companyId: input.companyId,
        note: input.note?.trim() || null,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orderKeys.all }),
  });
}

export function useReferrals(orgId: string | undefined) {
  return usePaged<Referral>(orderKeys.referrals(orgId ?? ''), `/orgs/${orgId}/referrals`, {}, !!orgId);
}
