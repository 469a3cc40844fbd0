import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import { problemToApiError } from '../../shared/api/client';
import { getLocale } from '../../shared/i18n';
import type {
  Dashboard,
  DrillCompany,
  DrillOrder,
  DrillPage,
  Edition,
  EditionAction,
  EditionDetail,
  Filters,
  Page,
  PublicSurvey,
  Report,
} from './insights.types';

const base = '/api/v1';

export const insightsKeys = {
  all: ['insights'] as const,
  dashboard: (f: Filters) => [...insightsKeys.all, 'dashboard', f] as const,
  drill: (kind: string, q: Record<string, string | undefined>) =>
    [...insightsKeys.all, 'drill', kind, q] as const,
  reports: () => [...insightsKeys.all, 'reports'] as const,
  editions: () => [...insightsKeys.all, 'editions'] as const,
  edition: (id: string) => [...insightsKeys.all, 'edition', id] as const,
  publicSurvey: (id: string | undefined) => [...insightsKeys.all, 'public-survey', id ?? 'latest'] as const,
};

export const qs = (params: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

export function useDashboard(f: Filters) {
  return useQuery({
    queryKey: insightsKeys.dashboard(f),
    queryFn: ({ signal }) => api.get<Dashboard>(`${base}/insights/dashboard${qs({ ...f })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRefresh() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ asOf: string }>(`${base}/insights/refresh`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: insightsKeys.all }),
  });
}

export function useDrillOrders(q: Record<string, string | undefined>, enabled: boolean) {
  return useQuery({
    queryKey: insightsKeys.drill('orders', q),
    queryFn: ({ signal }) =>
      api.get<DrillPage<DrillOrder>>(`${base}/insights/drill/orders${qs(q)}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useDrillCompanies(q: Record<string, string | undefined>, enabled: boolean) {
  return useQuery({
    queryKey: insightsKeys.drill('companies', q),
    queryFn: ({ signal }) =>
      api.get<DrillPage<DrillCompany>>(`${base}/insights/drill/companies${qs(q)}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Where the browser downloads a dashboard table (the session cookie authorises it). */
export const exportUrl = (table: string, f: Filters, format: 'xlsx' | 'csv') =>
  `${base}/insights/exports/${table}${qs({ ...f, format })}`;

export function useReports() {
  return useQuery({
    queryKey: insightsKeys.reports(),
    queryFn: ({ signal }) => api.get<Page<Report>>(`${base}/insights/reports?limit=100`, { signal }),
  });
}

export function useGenerateReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (month: string) => api.post<Report>(`${base}/insights/reports`, { month }),
    onSuccess: () => qc.invalidateQueries({ queryKey: insightsKeys.reports() }),
  });
}

export const reportPdfUrl = (id: string) => `${base}/insights/reports/${encodeURIComponent(id)}/pdf`;

export function useEditions() {
  return useQuery({
    queryKey: insightsKeys.editions(),
    queryFn: ({ signal }) =>
      api.get<Page<Edition>>(`${base}/insights/wage-survey/editions?limit=100`, { signal }),
  });
}

export function useEdition(id: string | null) {
  return useQuery({
    queryKey: insightsKeys.edition(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<EditionDetail>(`${base}/insights/wage-survey/editions/${encodeURIComponent(id!)}`, { signal }),
    enabled: !!id,
  });
}

export function useCreateEdition() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { title: string; periodFrom: string; periodTo: string; minSamples: number }) =>
      api.post<EditionDetail>(`${base}/insights/wage-survey/editions`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: insightsKeys.editions() }),
  });
}

export function useEditionAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: EditionAction }) =>
      api.post<EditionDetail>(
        `${base}/insights/wage-survey/editions/${encodeURIComponent(id)}/${action}`,
        {},
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: insightsKeys.all }),
  });
}

/** Uploads a survey table (multipart); row errors come back as the problem's field errors. */
export function useImportSurvey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, file }: { id: string; file: File }) => {
      const fd = new FormData();
      fd.append('file', file);
      const res = await fetch(`${base}/insights/wage-survey/editions/${encodeURIComponent(id)}/import`, {
        method: 'POST',
        body: fd,
        credentials: 'include',
        headers: {
          accept: 'application/json, application/problem+json',
          'accept-language': getLocale() === 'en' ? 'en' : 'zh-CN',
        },
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (!res.ok) throw problemToApiError(res.status, body, getLocale(), res.headers);
      return body as { imported: number; edition: EditionDetail };
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: insightsKeys.all }),
  });
}

export const editionExportUrl = (id: string, format: 'xlsx' | 'csv') =>
  `${base}/insights/wage-survey/editions/${encodeURIComponent(id)}/export?format=${format}`;

export function usePublicSurvey(edition: string | undefined) {
  return useQuery({
    queryKey: insightsKeys.publicSurvey(edition),
    queryFn: ({ signal }) =>
      api.get<PublicSurvey>(`${base}/public/wage-survey${qs({ edition })}`, { signal }),
  });
}
