import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { ServiceItem } from '../catalog/catalog.api';

export interface WorkerHit {
  workerId: string;
  maskedName: string;
  age: number | null;
  sex: string | null;
  categories: string[];
  skillLevel: string | null;
  maternityStars: number | null;
  yearsExperience: number | null;
  nativePlace: string | null;
  languages: string[];
  district: string | null;
  distanceM: number | null;
  color: 'green' | 'yellow' | 'red';
  bookable: boolean;
  company: { id: string; name: string; creditGrade: string | null } | null;
  priceFrom: Record<string, { fen: number; unit: string }>;
  minPriceFen: number | null;
  ratingAvg: number | null;
  ratingCount: number | null;
  workerCreditScore: number | null;
  intro: string | null;
}
export interface OrgHit {
  id: string;
  type: 'company' | 'station';
  name: string;
  district: string | null;
  address: string | null;
  lon: number;
  lat: number;
  categories: string[];
  creditGrade: string | null;
  staffCount: number;
  distanceM: number | null;
}
export interface WorkerProfile extends WorkerHit {
  certificateNumber: string | null;
  skills: string[];
  lon: number;
  lat: number;
  items: ServiceItem[];
  availability: { from: string; to: string; known: boolean; busy: { from: string; to: string }[] };
  reviews: { count: number; items: never[] };
}
export interface CompanyProfile {
  id: string;
  name: string;
  district: string | null;
  address: string | null;
  location: { lon: number; lat: number } | null;
  model: string | null;
  creditGrade: string | null;
  description: string | null;
  categories: string[];
  staffCount: number;
  items: ServiceItem[];
  reviews: { count: number; items: never[] };
}
export interface MapMeta {
  tileUrl: string;
  attribution: string;
  serviceCircleM: number;
}

/** Search filters as query-string values (empty ones are dropped). */
export type SearchParams = Record<string, string | undefined>;
const qs = (q: SearchParams) =>
  new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1])).toString();

export const discoveryKeys = {
  all: ['discovery'] as const,
  workers: (q: SearchParams) => [...discoveryKeys.all, 'workers', q] as const,
  orgs: (kind: string, q: SearchParams) => [...discoveryKeys.all, kind, q] as const,
  worker: (id: string) => [...discoveryKeys.all, 'worker', id] as const,
  company: (id: string) => [...discoveryKeys.all, 'company', id] as const,
  map: () => [...discoveryKeys.all, 'map'] as const,
};

/** Worker search, page after page (keyset cursor). */
export function useWorkerSearch(q: SearchParams) {
  return useInfiniteQuery({
    queryKey: discoveryKeys.workers(q),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: WorkerHit[]; nextCursor: string | null }>(
        `/api/v1/search/workers?${qs({ ...q, cursor: pageParam || undefined, limit: '20' })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Companies or stations for the map and lists (first 100, nearest first when a point is given). */
export function useOrgSearch(kind: 'companies' | 'stations', q: SearchParams, enabled = true) {
  return useQuery({
    queryKey: discoveryKeys.orgs(kind, q),
    queryFn: ({ signal }) =>
      api.get<{ items: OrgHit[]; nextCursor: string | null }>(
        `/api/v1/search/${kind}?${qs({ ...q, limit: '100' })}`,
        {
          signal,
        },
      ),
    enabled,
  });
}

export function useWorkerProfile(id: string) {
  return useQuery({
    queryKey: discoveryKeys.worker(id),
    queryFn: ({ signal }) =>
      api.get<WorkerProfile>(`/api/v1/workers/${encodeURIComponent(id)}/public`, { signal }),
  });
}

export function useCompanyProfile(id: string) {
  return useQuery({
    queryKey: discoveryKeys.company(id),
    queryFn: ({ signal }) =>
      api.get<CompanyProfile>(`/api/v1/companies/${encodeURIComponent(id)}/public`, { signal }),
  });
}

/** Tile URL and service-circle radius from the server's config. */
export function useMapMeta() {
  return useQuery({
    queryKey: discoveryKeys.map(),
    queryFn: ({ signal }) => api.get<MapMeta>('/api/v1/meta/map', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
