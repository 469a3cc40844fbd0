import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { ApiError, api } from '../../shared/api';
import type {
  Me,
  MfaVerifyInput,
  SecurityKey,
  SecurityKeyList,
  OtpLoginInput,
  PasswordLoginInput,
  RegisterInput,
  ResetPasswordInput,
  SendOtpInput,
  SendOtpResult,
  SessionView,
  TotpDisableInput,
  TotpEnrolment,
  TotpStatus,
} from './identity.types';

const base = '/api/v1/auth';

export const identityKeys = {
  all: ['identity'] as const,
  me: () => [...identityKeys.all, 'me'] as const,
  sessions: () => [...identityKeys.all, 'sessions'] as const,
  totp: () => [...identityKeys.all, 'totp'] as const,
  keys: () => [...identityKeys.all, 'security-keys'] as const,
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
      queryClient.removeQueries({ queryKey: identityKeys.keys() });
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

/** The second sign-in step of regulator and admin accounts: the SMS code sent when the password was accepted. */
export const useVerifyMfa = () => useSignIn<MfaVerifyInput>(`${base}/mfa/verify`);

export function useResendMfa() {
  return useMutation<SendOtpResult, ApiError, void>({
    mutationFn: () => api.post<SendOtpResult>(`${base}/mfa/resend`),
  });
}

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

/** Changes the password (the current one is checked); the server ends every other session of the account. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, { currentPassword: string; newPassword: string }>({
    mutationFn: (input) => api.post<void>(`${base}/password/change`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.sessions() }),
  });
}

/** The signed-in account's live sessions, this device marked. */
export function useSessions() {
  return useQuery({
    queryKey: identityKeys.sessions(),
    queryFn: ({ signal }) => api.get<{ items: SessionView[] }>(`${base}/sessions`, { signal }),
    select: (r) => r.items,
  });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, string>({
    mutationFn: (id) => api.post<void>(`${base}/sessions/${encodeURIComponent(id)}/revoke`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: identityKeys.sessions() }),
  });
}

export function useRevokeOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation<{ revoked: number }, ApiError, void>({
    mutationFn: () => api.post<{ revoked: number }>(`${base}/sessions/revoke-others`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: identityKeys.sessions() }),
  });
}

/** The caller's authenticator: may they set one up, did they, recovery codes left (also at the MFA step). */
export function useTotpStatus() {
  return useQuery({
    queryKey: identityKeys.totp(),
    queryFn: ({ signal }) => api.get<TotpStatus>(`${base}/totp`, { signal }),
  });
}

/** Starts setting up an authenticator: a new secret, its otpauth URI and QR code. */
export function useStartTotp() {
  return useMutation<TotpEnrolment, ApiError, void>({
    mutationFn: () => api.post<TotpEnrolment>(`${base}/totp/enrol`),
  });
}

/** Confirms the authenticator with a current code; returns the recovery codes (shown once). */
export function useConfirmTotp() {
  const queryClient = useQueryClient();
  return useMutation<{ recoveryCodes: string[] }, ApiError, string>({
    mutationFn: (code) => api.post<{ recoveryCodes: string[] }>(`${base}/totp/confirm`, { code }),
    // A mandatory enrolment is met: the session gets its regulator or admin role back at once.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: identityKeys.totp() }),
        queryClient.invalidateQueries({ queryKey: identityKeys.me() }),
      ]),
  });
}

/** Replaces all recovery codes after a current code; returns the new ones (shown once). */
export function useRegenerateRecoveryCodes() {
  const queryClient = useQueryClient();
  return useMutation<{ recoveryCodes: string[] }, ApiError, string>({
    mutationFn: (code) => api.post<{ recoveryCodes: string[] }>(`${base}/totp/recovery-codes`, { code }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.totp() }),
  });
}

/** Removes the authenticator (a current code, or the password and a recovery code). */
export function useDisableTotp() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, TotpDisableInput>({
    mutationFn: (input) => api.post<void>(`${base}/totp/disable`, input),
    // Under mandatory TOTP, removing it holds the session to enrolment again.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: identityKeys.totp() }),
        queryClient.invalidateQueries({ queryKey: identityKeys.me() }),
      ]),
  });
}

/** The caller's security keys (安全密钥 / UKey) and whether they may add one (also at the MFA step). */
export function useSecurityKeys() {
  return useQuery({
    queryKey: identityKeys.keys(),
    queryFn: ({ signal }) => api.get<SecurityKeyList>(`${base}/webauthn/credentials`, { signal }),
  });
}

/** Adds a security key: the server's options, the browser's WebAuthn prompt (insert and touch the key), the check. */
export function useAddSecurityKey() {
  const queryClient = useQueryClient();
  return useMutation<SecurityKey, ApiError | Error, string>({
    mutationFn: async (label) => {
      const optionsJSON = await api.post<PublicKeyCredentialCreationOptionsJSON>(
        `${base}/webauthn/register/options`,
      );
      const response = await startRegistration({ optionsJSON });
      return api.post<SecurityKey>(`${base}/webauthn/register/verify`, { label, response });
    },
    // A key meets a mandatory enrolment: the session gets its regulator or admin role back at once.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: identityKeys.keys() }),
        queryClient.invalidateQueries({ queryKey: identityKeys.me() }),
      ]),
  });
}

export function useRenameSecurityKey() {
  const queryClient = useQueryClient();
  return useMutation<SecurityKey, ApiError, { id: string; label: string }>({
    mutationFn: ({ id, label }) =>
      api.request<SecurityKey>(`${base}/webauthn/credentials/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: { label },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.keys() }),
  });
}

export function useRemoveSecurityKey() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, { id: string; password: string }>({
    mutationFn: ({ id, password }) =>
      api.post<void>(`${base}/webauthn/credentials/${encodeURIComponent(id)}/remove`, { password }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: identityKeys.keys() }),
        queryClient.invalidateQueries({ queryKey: identityKeys.me() }),
      ]),
  });
}

/** The MFA step with a security key: options for this session, the browser's prompt, the check (session rotates). */
export function useVerifyMfaWithKey() {
  const queryClient = useQueryClient();
  return useMutation<Me, ApiError | Error, void>({
    mutationFn: async () => {
      const optionsJSON = await api.post<PublicKeyCredentialRequestOptionsJSON>(
        `${base}/mfa/webauthn/options`,
      );
      const response = await startAuthentication({ optionsJSON });
      return (await api.post<{ user: Me }>(`${base}/mfa/webauthn/verify`, { response })).user;
    },
    onSuccess: (user) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== identityKeys.all[0] });
      // The key list now says when the key was last used.
      queryClient.removeQueries({ queryKey: identityKeys.keys() });
      queryClient.setQueryData(identityKeys.me(), user);
    },
  });
}
