import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

const base = '/api/v1';

/** Headline figures from the insights module (`GET /public/stats`); the home page hides the block without them. */
export interface PublicStats {
  asOf: string;
  companies: number;
  companies5A: number;
  workers: number;
  certifiedWorkers: number;
  trainedWorkers: number;
  insuredWorkers: number;
  ordersCompleted: number;
  complaintsWithinSlaPct: number | null;
}
export interface GuidePrice {
  id: string;
  category: string;
  district: string | null;
  unit: string;
  minFen: number;
  maxFen: number;
}
export interface FiveACompany {
  companyId: string;
  name: string;
  district: string | null;
  score: number;
}

export const portalKeys = {
  all: ['portal'] as const,
  stats: () => [...portalKeys.all, 'stats'] as const,
  guides: () => [...portalKeys.all, 'guides'] as const,
  fiveA: () => [...portalKeys.all, '5a'] as const,
  info: () => [...portalKeys.all, 'info'] as const,
};

// Each block of the home page is optional: a failed read hides that block, it never breaks the page.
const quiet = { retry: false, staleTime: 60_000, refetchOnWindowFocus: false } as const;

export const usePublicStats = () =>
  useQuery({
    queryKey: portalKeys.stats(),
    queryFn: ({ signal }) => api.get<PublicStats>(`${base}/public/stats`, { signal }),
    ...quiet,
  });

export const useGuidePrices = () =>
  useQuery({
    queryKey: portalKeys.guides(),
    queryFn: ({ signal }) => api.get<{ items: GuidePrice[] }>(`${base}/public/guide-prices`, { signal }),
    ...quiet,
  });

export const useFiveAPreview = () =>
  useQuery({
    queryKey: portalKeys.fiveA(),
    queryFn: ({ signal }) =>
      api.get<{ items: FiveACompany[]; nextCursor: string | null }>(`${base}/credit/5a?limit=6`, { signal }),
    ...quiet,
  });

export const usePortalInfo = () =>
  useQuery({
    queryKey: portalKeys.info(),
    queryFn: ({ signal }) => api.get<{ complaintHotline: string }>(`${base}/public/portal`, { signal }),
    ...quiet,
  });
