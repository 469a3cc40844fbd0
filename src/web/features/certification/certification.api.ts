import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type {
  CertificateListItem,
  CertificateView,
  PublicVerification,
  RegulatorWorkerView,
  WalletView,
} from './certification.types';

export const certificationKeys = {
  all: ['certification'] as const,
  verify: (number: string) => [...certificationKeys.all, 'verify', number] as const,
};

/** Public lookup of a certificate by the number printed on the card; idle until a number is given. */
export function useVerifyCertificate(number: string | null) {
  return useQuery({
    queryKey: certificationKeys.verify(number ?? ''),
    queryFn: ({ signal }) =>
      api.get<PublicVerification>(
        `/api/v1/public/certificates/verify?number=${encodeURIComponent(number ?? '')}`,
        {
          signal,
        },
      ),
    enabled: Boolean(number),
    // A certificate's colour can change at any time (revocation, expiry): never show a stale one for long.
    staleTime: 0,
    gcTime: 60_000,
  });
}

// Console: regulator certificate management, the worker's wallet (安心服务证 with QR).

export const certificationConsoleKeys = {
  list: (q: Record<string, string | undefined>) => [...certificationKeys.all, 'list', q] as const,
  worker: (id: string) => [...certificationKeys.all, 'worker', id] as const,
  wallet: () => [...certificationKeys.all, 'wallet'] as const,
};

const qs = (q: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1])).toString();

/** Regulator: certificates of the district, filtered by state/colour, searched by number or worker id. */
export function useCertificateList(q: { q?: string; state?: string; color?: string; cursor?: string }) {
  return useQuery({
    queryKey: certificationConsoleKeys.list(q),
    queryFn: ({ signal }) =>
      api.get<{ items: CertificateListItem[]; nextCursor: string | null }>(
        `/api/v1/regulator/certificates?${qs({ ...q, limit: '20' })}`,
        { signal },
      ),
  });
}

/** Regulator: a worker's checklist, certificate and live colour; idle until an id is given. */
export function useRegulatorWorker(workerId: string | null) {
  return useQuery({
    queryKey: certificationConsoleKeys.worker(workerId ?? ''),
    queryFn: ({ signal }) =>
      api.get<RegulatorWorkerView>(`/api/v1/workers/${encodeURIComponent(workerId ?? '')}/certification`, {
        signal,
      }),
    enabled: Boolean(workerId),
    retry: false,
  });
}

/** Regulator actions: issue, suspend, reinstate, revoke. */
export function useCertificateAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (
      a:
        | { kind: 'issue'; workerId: string }
        | { kind: 'suspend' | 'reinstate' | 'revoke'; id: string; reason?: string },
    ) =>
      a.kind === 'issue'
        ? api.post<CertificateView>(`/api/v1/workers/${encodeURIComponent(a.workerId)}/certificate`, {})
        : api.post<CertificateView>(
            `/api/v1/certificates/${encodeURIComponent(a.id)}/${a.kind}`,
            a.kind === 'reinstate' ? {} : { reason: a.reason ?? '' },
          ),
    onSuccess: () => qc.invalidateQueries({ queryKey: certificationKeys.all }),
  });
}

/** Worker: my wallet. */
export function useWallet() {
  return useQuery({
    queryKey: certificationConsoleKeys.wallet(),
    queryFn: ({ signal }) => api.get<WalletView>('/api/v1/workers/me/certificate', { signal }),
    retry: false,
  });
}
