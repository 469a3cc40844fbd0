import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../shared/api';
import type {
  Me,
  OtpLoginInput,
  PasswordLoginInput,
  RegisterInput,
  ResetPasswordInput,
  SendOtpInput,
  SendOtpResult,
} from './identity.types';

const base = '/api/v1/auth';

export const identityKeys = {
  all: ['identity'] as const,
  me: () => [...identityKeys.all, 'me'] as const,
};

/** The signed-in person, or null when there is no session. */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    const res = await api.get<{ user: Me }>(`${base}/me`, { signal });
    return res.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({
    queryKey: identityKeys.me(),
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 5 * 60_000,
  });
}

/** Forgets the session locally: the cached user and every query that belonged to them. */
export function clearSession(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== identityKeys.all[0] });
  queryClient.setQueryData(identityKeys.me(), null);
}

function useSignIn<I>(path: string) {
  const queryClient = useQueryClient();
  return useMutation<Me, ApiError, I>({
    mutationFn: async (input) => (await api.post<{ user: Me }>(path, input)).user,
    onSuccess: (user) => {
      // A different person may have been signed in on this browser before: drop their cached data.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== identityKeys.all[0] });
      queryClient.setQueryData(identityKeys.me(), user);
    },
  });
}

export function useSendOtp() {
  return useMutation<SendOtpResult, ApiError, SendOtpInput>({
    mutationFn: (input) => api.post<SendOtpResult>(`${base}/otp`, input),
  });
}

export const useRegister = () => useSignIn<RegisterInput>(`${base}/register`);
export const usePasswordLogin = () => useSignIn<PasswordLoginInput>(`${base}/login/password`);
export const useOtpLogin = () => useSignIn<OtpLoginInput>(`${base}/login/otp`);

export function useResetPassword() {
  return useMutation<void, ApiError, ResetPasswordInput>({
    mutationFn: (input) => api.post<void>(`${base}/password/reset`, input),
  });
}

/**
 * Signs out on the server and returns a function that forgets the session locally. The caller leaves the
 * console first and then calls it, so route guards never see a half-signed-out page.
 */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation<() => void, ApiError, void>({
    mutationFn: async () => {
      try {
        await api.post<void>(`${base}/logout`);
      } catch (e) {
        // An already-expired session still counts as signed out.
        if (!(e instanceof ApiError && e.status === 401)) throw e;
      }
      return () => clearSession(queryClient);
    },
  });
}
