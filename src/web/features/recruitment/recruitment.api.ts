import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type {
  Application,
  ApplicationAction,
  ApplicationDetail,
  ApplicationState,
  Cohort,
  CohortDetail,
  EmploymentStats,
  Fair,
  FairDetail,
  FairOutcomes,
  ContactConsent,
  LikelyWorkers,
  PublicFair,
  NewPost,
  Page,
  Post,
  PostDetail,
  PostMode,
  RegionRow,
  SavedSearch,
} from './recruitment.types';

const base = '/api/v1';
const enc = encodeURIComponent;

export const recruitmentKeys = {
  all: ['recruitment'] as const,
  search: (q: object) => [...recruitmentKeys.all, 'search', q] as const,
  post: (id: string) => [...recruitmentKeys.all, 'post', id] as const,
  recommendations: () => [...recruitmentKeys.all, 'recommendations'] as const,
  saved: () => [...recruitmentKeys.all, 'saved'] as const,
  mine: () => [...recruitmentKeys.all, 'mine'] as const,
  companyPosts: (orgId: string) => [...recruitmentKeys.all, 'company-posts', orgId] as const,
  board: (orgId: string, state: string, postId: string) =>
    [...recruitmentKeys.all, 'board', orgId, state, postId] as const,
  application: (id: string) => [...recruitmentKeys.all, 'application', id] as const,
  fairs: () => [...recruitmentKeys.all, 'fairs'] as const,
  fair: (id: string) => [...recruitmentKeys.all, 'fair', id] as const,
  outcomes: (id: string) => [...recruitmentKeys.all, 'outcomes', id] as const,
  checkin: (id: string) => [...recruitmentKeys.all, 'checkin', id] as const,
  cohorts: () => [...recruitmentKeys.all, 'cohorts'] as const,
  cohort: (id: string) => [...recruitmentKeys.all, 'cohort', id] as const,
  regions: () => [...recruitmentKeys.all, 'regions'] as const,
  stats: (from: string, to: string) => [...recruitmentKeys.all, 'stats', from, to] as const,
  publicFairs: () => [...recruitmentKeys.all, 'public-fairs'] as const,
  publicFair: (id: string) => [...recruitmentKeys.all, 'public-fair', id] as const,
  contactConsent: () => [...recruitmentKeys.all, 'contact-consent'] as const,
  likely: () => [...recruitmentKeys.all, 'likely'] as const,
};

const qs = (params: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** Every recruitment query refetches after a change: the lists are small and the states interlock. */
function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: recruitmentKeys.all });
}

export interface PostQuery {
  category?: string;
  mode?: PostMode;
  district?: string;
  keyword?: string;
}

export const useSearchPosts = (q: PostQuery) =>
  useQuery({
    queryKey: recruitmentKeys.search(q),
    queryFn: ({ signal }) =>
      api.get<Page<Post>>(`${base}/recruitment/posts${qs({ ...q, limit: 50 })}`, { signal }),
  });
export const usePost = (id: string) =>
  useQuery({
    queryKey: recruitmentKeys.post(id),
    queryFn: ({ signal }) => api.get<PostDetail>(`${base}/recruitment/posts/${enc(id)}`, { signal }),
  });
export const useRecommendations = () =>
  useQuery({
    queryKey: recruitmentKeys.recommendations(),
    queryFn: ({ signal }) =>
      api.get<{ items: Post[] }>(`${base}/workers/me/recruitment/recommendations`, { signal }),
  });
export const useSavedSearches = () =>
  useQuery({
    queryKey: recruitmentKeys.saved(),
    queryFn: ({ signal }) =>
      api.get<{ items: SavedSearch[] }>(`${base}/workers/me/recruitment/saved-searches`, { signal }),
  });
export const useMyApplications = () =>
  useQuery({
    queryKey: recruitmentKeys.mine(),
    queryFn: ({ signal }) =>
      api.get<Page<Application>>(`${base}/workers/me/recruitment/applications?limit=50`, { signal }),
  });
export const useCompanyPosts = (orgId: string | undefined) =>
  useQuery({
    queryKey: recruitmentKeys.companyPosts(orgId ?? ''),
    enabled: !!orgId,
    queryFn: ({ signal }) =>
      api.get<Page<Post>>(`${base}/companies/${enc(orgId!)}/recruitment/posts?limit=50`, { signal }),
  });
export const useBoard = (orgId: string | undefined, state: ApplicationState | '', postId: string) =>
  useQuery({
    queryKey: recruitmentKeys.board(orgId ?? '', state, postId),
    enabled: !!orgId,
    queryFn: ({ signal }) =>
      api.get<Page<Application>>(
        `${base}/companies/${enc(orgId!)}/recruitment/applications${qs({ state, postId, limit: 100 })}`,
        { signal },
      ),
  });
export const useApplication = (id: string) =>
  useQuery({
    queryKey: recruitmentKeys.application(id),
    queryFn: ({ signal }) =>
      api.get<ApplicationDetail>(`${base}/recruitment/applications/${enc(id)}`, { signal }),
  });
export const useFairs = () =>
  useQuery({
    queryKey: recruitmentKeys.fairs(),
    queryFn: ({ signal }) => api.get<{ items: Fair[] }>(`${base}/recruitment/fairs`, { signal }),
  });
export const useFair = (id: string) =>
  useQuery({
    queryKey: recruitmentKeys.fair(id),
    queryFn: ({ signal }) => api.get<FairDetail>(`${base}/recruitment/fairs/${enc(id)}`, { signal }),
  });
export const useFairOutcomes = (id: string) =>
  useQuery({
    queryKey: recruitmentKeys.outcomes(id),
    queryFn: ({ signal }) =>
      api.get<FairOutcomes>(`${base}/recruitment/fairs/${enc(id)}/outcomes`, { signal }),
  });
export const useFairCheckin = (id: string) =>
  useQuery({
    queryKey: recruitmentKeys.checkin(id),
    queryFn: ({ signal }) =>
      api.get<{ code: string; url: string }>(`${base}/recruitment/fairs/${enc(id)}/checkin`, { signal }),
  });
export const useCohorts = () =>
  useQuery({
    queryKey: recruitmentKeys.cohorts(),
    queryFn: ({ signal }) => api.get<{ items: Cohort[] }>(`${base}/recruitment/cohorts`, { signal }),
  });
export const useCohort = (id: string) =>
  useQuery({
    queryKey: recruitmentKeys.cohort(id),
    queryFn: ({ signal }) => api.get<CohortDetail>(`${base}/recruitment/cohorts/${enc(id)}`, { signal }),
  });
export const useRegions = () =>
  useQuery({
    queryKey: recruitmentKeys.regions(),
    queryFn: ({ signal }) =>
      api.get<{ items: RegionRow[] }>(`${base}/recruitment/reports/regions`, { signal }),
  });
export const useEmploymentStats = (from: string, to: string) =>
  useQuery({
    queryKey: recruitmentKeys.stats(from, to),
    queryFn: ({ signal }) =>
      api.get<EmploymentStats>(`${base}/recruitment/reports/employment${qs({ from, to })}`, { signal }),
  });

/** Upcoming and running fairs for everyone, soonest first, page after page. */
export const usePublicFairs = () =>
  useInfiniteQuery({
    queryKey: recruitmentKeys.publicFairs(),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: PublicFair[]; nextCursor: string | null }>(
        `${base}/public/recruitment/fairs${qs({ cursor: pageParam || undefined, limit: '20' })}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
export const usePublicFair = (id: string) =>
  useQuery({
    queryKey: recruitmentKeys.publicFair(id),
    queryFn: ({ signal }) => api.get<PublicFair>(`${base}/public/recruitment/fairs/${enc(id)}`, { signal }),
  });
export const useContactConsent = () =>
  useQuery({
    queryKey: recruitmentKeys.contactConsent(),
    queryFn: ({ signal }) =>
      api.get<ContactConsent>(`${base}/workers/me/recruitment/contact-consent`, { signal }),
  });
export const useLikelyWorkers = () =>
  useQuery({
    queryKey: recruitmentKeys.likely(),
    queryFn: ({ signal }) => api.get<LikelyWorkers>(`${base}/recruitment/likely-workers`, { signal }),
  });

/** One mutation hook per write; each refreshes the recruitment queries. */
function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidate() });
}

export const usePublishPost = (orgId: string | undefined) =>
  useWrite((body: NewPost) =>
    api.post<Post>(`${base}/companies/${enc(orgId ?? '')}/recruitment/posts`, body),
  );
export const useClosePost = () =>
  useWrite((id: string) => api.post<Post>(`${base}/recruitment/posts/${enc(id)}/close`));
export const useApply = () =>
  useWrite((input: { postId: string; coverNote?: string | null }) =>
    api.post<Application>(`${base}/recruitment/posts/${enc(input.postId)}/applications`, {
      coverNote: input.coverNote ?? null,
    }),
  );
export const useAct = () =>
  useWrite((input: { id: string; action: Exclude<ApplicationAction, 'interview'>; reason?: string | null }) =>
    api.post<Application>(`${base}/recruitment/applications/${enc(input.id)}/actions`, {
      action: input.action,
      reason: input.reason ?? null,
    }),
  );
export const useScheduleInterview = () =>
  useWrite((input: { id: string; scheduledAt: string; durationMinutes: number }) =>
    api.post<Application>(`${base}/recruitment/applications/${enc(input.id)}/interview`, {
      scheduledAt: input.scheduledAt,
      durationMinutes: input.durationMinutes,
    }),
  );
export const useAddNote = () =>
  useWrite((input: { id: string; note: string }) =>
    api.post<ApplicationDetail>(`${base}/recruitment/applications/${enc(input.id)}/notes`, {
      note: input.note,
    }),
  );
export const useSaveSearch = () =>
  useWrite((body: Omit<SavedSearch, 'id' | 'createdAt'>) =>
    api.post<SavedSearch>(`${base}/workers/me/recruitment/saved-searches`, body),
  );
export const useDeleteSavedSearch = () =>
  useWrite((id: string) =>
    api.request<{ ok: true }>(`${base}/workers/me/recruitment/saved-searches/${enc(id)}`, {
      method: 'DELETE',
    }),
  );
export const useRegisterForFair = () =>
  useWrite((id: string) => api.post<FairDetail>(`${base}/recruitment/fairs/${enc(id)}/registrations`));
export const useCheckIn = () =>
  useWrite((input: { id: string; code: string }) =>
    api.post<FairDetail>(`${base}/recruitment/fairs/${enc(input.id)}/check-in`, { code: input.code }),
  );
export const useJoinFair = (orgId: string | undefined) =>
  useWrite((fairId: string) =>
    api.post<FairDetail>(`${base}/companies/${enc(orgId ?? '')}/recruitment/fairs/${enc(fairId)}/join`),
  );
export const useCreateFair = () =>
  useWrite(
    (body: {
      title: string;
      format: 'online' | 'venue';
      venue?: string | null;
      district?: string | null;
      startsAt: string;
      endsAt: string;
    }) => api.post<Fair>(`${base}/recruitment/fairs`, body),
  );
export const useCreateCohort = () =>
  useWrite(
    (body: {
      name: string;
      sourceRegionCode: string;
      sourceRegionName: string;
      trainingClassId?: string | null;
      plannedArrivalOn: string;
    }) => api.post<Cohort>(`${base}/recruitment/cohorts`, body),
  );
export const useAddTrainees = () =>
  useWrite((input: { id: string; workerIds: string[] }) =>
    api.post<CohortDetail>(`${base}/recruitment/cohorts/${enc(input.id)}/trainees`, {
      workerIds: input.workerIds,
    }),
  );
export const useMarkArrived = () =>
  useWrite((input: { id: string; arrivedOn: string }) =>
    api.post<CohortDetail>(`${base}/recruitment/cohorts/${enc(input.id)}/arrival`, {
      arrivedOn: input.arrivedOn,
    }),
  );
export const useSetContactConsent = () =>
  useWrite((optedIn: boolean) =>
    api.request<ContactConsent>(`${base}/workers/me/recruitment/contact-consent`, {
      method: 'PUT',
      body: { optedIn },
    }),
  );
export const useInviteLikelyWorker = () =>
  useWrite((workerId: string) =>
    api.post<{ workerId: string; invitedAt: string }>(
      `${base}/recruitment/likely-workers/${enc(workerId)}/invite`,
    ),
  );
