import { QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../shared/api';
import { identityKeys } from '../features/identity/identity.api';

/** Client errors (4xx) are answers, not glitches: retry only network failures and 5xx, twice. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        // Any 401 means the session is gone: the guards then send the person to /login.
        if (isApiError(error) && error.status === 401) client.setQueryData(identityKeys.me(), null);
        // Grace for the authenticator ran out mid-session: reload who we are, so the guards send them to enrol.
        if (isApiError(error) && error.code === 'TOTP_ENROLMENT_REQUIRED')
          void client.invalidateQueries({ queryKey: identityKeys.me() });
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
  return client;
}
