import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type {
  Appeal,
  AppealState,
  CompanyScore,
  Explanation,
  Expulsion,
  FiveA,
  ListEntry,
  Page,
  Scorecard,
  SubjectType,
  Warning,
} from './credit.types';

const base = '/api/v1';

export const creditKeys = {
  all: ['credit'] as const,
  me: () => [...creditKeys.all, 'me'] as const,
  company: (orgId: string) => [...creditKeys.all, 'company', orgId] as const,
  subject: (type: SubjectType, id: string) => [...creditKeys.all, 'subject', type, id] as const,
  companies: () => [...creditKeys.all, 'companies'] as const,
  appeals: (state: string) => [...creditKeys.all, 'appeals', state] as const,
  list: (list: string) => [...creditKeys.all, 'list', list] as const,
  fiveA: () => [...creditKeys.all, '5a'] as const,
  scorecards: () => [...creditKeys.all, 'scorecards'] as const,
  warnings: (state: string) => [...creditKeys.all, 'warnings', state] as const,
  expulsions: () => [...creditKeys.all, 'expulsions'] as const,
};

/** A fresh Idempotency-Key: made once per submission and reused on its retries. */
export const newIdempotencyKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export function useMyCredit() {
  return useQuery({
    queryKey: creditKeys.me(),
    queryFn: ({ signal }) => api.get<Explanation>(`${base}/credit/me`, { signal }),
    retry: false,
  });
}

export function useCompanyCredit(orgId: string | undefined) {
  return useQuery({
    queryKey: creditKeys.company(orgId ?? ''),
    queryFn: ({ signal }) =>
      api.get<Explanation>(`${base}/companies/${encodeURIComponent(orgId!)}/credit`, { signal }),
    enabled: !!orgId,
    retry: false,
  });
}

export function useSubjectCredit(type: SubjectType, id: string | null) {
  return useQuery({
    queryKey: creditKeys.subject(type, id ?? ''),
    queryFn: ({ signal }) =>
      api.get<Explanation>(`${base}/regulator/credit/subjects/${type}/${encodeURIComponent(id!)}`, {
        signal,
      }),
    enabled: !!id,
    retry: false,
  });
}

/** Files an appeal as the worker (orgId null) or as the company. */
export function useFileAppeal(orgId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { indicator: string; reason: string; evidence?: string }) =>
      api.post<Appeal>(
        orgId ? `${base}/companies/${encodeURIComponent(orgId)}/credit/appeals` : `${base}/credit/me/appeals`,
        body,
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: creditKeys.all }),
  });
}

export function useCompanyScores() {
  return useQuery({
    queryKey: creditKeys.companies(),
    queryFn: ({ signal }) =>
      api.get<Page<CompanyScore>>(`${base}/regulator/credit/companies?limit=100`, { signal }),
  });
}

export function useAppeals(state: AppealState | '') {
  return useQuery({
    queryKey: creditKeys.appeals(state),
    queryFn: ({ signal }) =>
      api.get<Page<Appeal>>(`${base}/regulator/credit/appeals?limit=100${state ? `&state=${state}` : ''}`, {
        signal,
      }),
  });
}

export function useDecideAppeal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; decision: 'uphold' | 'reject'; note: string }) =>
      api.post<Appeal>(`${base}/regulator/credit/appeals/${encodeURIComponent(v.id)}/decision`, {
        decision: v.decision,
        note: v.note,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: creditKeys.all }),
  });
}

export function usePublicList(list: 'red' | 'black') {
  return useQuery({
    queryKey: creditKeys.list(list),
    queryFn: ({ signal }) => api.get<Page<ListEntry>>(`${base}/credit/lists/${list}?limit=100`, { signal }),
  });
}

export function useAddListEntry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      subjectType: SubjectType;
      subjectId: string;
      list: 'red' | 'black';
      reason: string;
    }) => api.post<ListEntry>(`${base}/regulator/credit/lists`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: creditKeys.all }),
  });
}

export function useRemoveListEntry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<ListEntry>(`${base}/regulator/credit/lists/${encodeURIComponent(id)}/remove`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: creditKeys.all }),
  });
}

export function useFiveA() {
  return useQuery({
    queryKey: creditKeys.fiveA(),
    queryFn: ({ signal }) => api.get<Page<FiveA>>(`${base}/credit/5a?limit=100`, { signal }),
  });
}

export function useScorecards() {
  return useQuery({
    queryKey: creditKeys.scorecards(),
    queryFn: ({ signal }) => api.get<Scorecard[]>(`${base}/regulator/credit/scorecards`, { signal }),
  });
}

export function usePublishScorecard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { config: unknown; note?: string }) =>
      api.post<Scorecard>(`${base}/regulator/credit/scorecards`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: creditKeys.all }),
  });
}

export function useRecompute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<{ companies: number; workers: number; ms: number }>(`${base}/regulator/credit/recompute`, {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: creditKeys.all }),
  });
}

export function useWarnings(state: Warning['state'] | '') {
  return useQuery({
    queryKey: creditKeys.warnings(state),
    queryFn: ({ signal }) =>
      api.get<Page<Warning>>(`${base}/regulator/credit/warnings?limit=100${state ? `&state=${state}` : ''}`, {
        signal,
      }),
  });
}

export function useRunEvaluation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<{ id: string; evaluated: number; warned: number; resolved: number; warnBelow: number }>(
        `${base}/regulator/credit/evaluations`,
        {},
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: creditKeys.all }),
  });
}

export function useExpulsions() {
  return useQuery({
    queryKey: creditKeys.expulsions(),
    queryFn: ({ signal }) => api.get<Expulsion[]>(`${base}/regulator/credit/expulsions`, { signal }),
  });
}

/** Expels a company; the key is made once per dialog and reused on retries. */
export function useExpel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { companyId: string; ground: Expulsion['ground']; reason: string; key: string }) =>
      api.post<Expulsion>(
        `${base}/regulator/credit/expulsions`,
        { companyId: v.companyId, ground: v.ground, reason: v.reason },
        { headers: { 'idempotency-key': v.key } },
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: creditKeys.all }),
  });
}
