import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';

export interface ServiceItem {
  id: string;
  lineageId: string;
  version: number;
  companyId: string;
  category: string;
  mode: string;
  unit: string;
  priceFen: number;
  priceMaxFen: number | null;
  title: string;
  description: string | null;
  active: boolean;
  current: boolean;
  guideFlag: 'below' | 'above' | null;
  guide: { minFen: number; maxFen: number; district: string | null } | null;
  createdAt: string;
}
export interface ServiceItemInput {
  category: string;
  mode: string;
  unit?: string;
  priceFen: number;
  priceMaxFen?: number | null;
  title: string;
  description?: string | null;
  active?: boolean;
}
export interface GuidePrice {
  id: string;
  category: string;
  district: string | null;
  unit: string;
  minFen: number;
  maxFen: number;
  effectiveFrom: string;
  effectiveUntil: string | null;
  note: string | null;
}

export const catalogKeys = {
  all: ['catalog'] as const,
  own: (orgId: string) => [...catalogKeys.all, 'own', orgId] as const,
  guides: (scope: string) => [...catalogKeys.all, 'guides', scope] as const,
};

/** The company's own price list (current versions, withdrawn included). */
export function useOwnItems(orgId: string | undefined) {
  return useQuery({
    queryKey: catalogKeys.own(orgId ?? ''),
    queryFn: ({ signal }) =>
      api.get<{ items: ServiceItem[] }>(`/api/v1/orgs/${orgId}/service-items`, { signal }),
    enabled: Boolean(orgId),
  });
}

/** Publishes a new item, or a new version of an existing one. */
export function useSaveItem(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string | undefined; input: ServiceItemInput }) =>
      id
        ? api.request<ServiceItem>(`/api/v1/orgs/${orgId}/service-items/${id}`, {
            method: 'PUT',
            body: input,
          })
        : api.post<ServiceItem>(`/api/v1/orgs/${orgId}/service-items`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: catalogKeys.own(orgId) }),
  });
}

/** Guide prices: in force (public) or with history (regulator). */
export function useGuides(scope: 'public' | 'regulator') {
  return useQuery({
    queryKey: catalogKeys.guides(scope),
    queryFn: ({ signal }) => api.get<{ items: GuidePrice[] }>(`/api/v1/${scope}/guide-prices`, { signal }),
  });
}

export function usePublishGuide() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (
      input: Omit<GuidePrice, 'id' | 'effectiveUntil' | 'effectiveFrom'> & { effectiveFrom?: string },
    ) => api.post<GuidePrice>('/api/v1/regulator/guide-prices', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: catalogKeys.all }),
  });
}

export function useEndGuide() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<GuidePrice>(`/api/v1/regulator/guide-prices/${id}/end`),
    onSuccess: () => qc.invalidateQueries({ queryKey: catalogKeys.all }),
  });
}
