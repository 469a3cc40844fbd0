import type { CertificateStateCode, TrustColor } from './certification.shared';

export type { TrustColor } from './certification.shared';

/** GET /api/v1/public/certificates/verify?number= — the public facts of a certificate (names masked). */
export interface PublicVerification {
  number: string;
  maskedName: string;
  color: TrustColor;
  colorLabel: string;
  /** Why the code has its colour: ok, revoked, suspended, health_expired … */
  reason: string;
  reasonLabel: string;
  state: CertificateStateCode;
  validFrom: string;
  validUntil: string;
  categories: { code: string; label: string }[];
  skillLevel: { code: string; label: string } | null;
  company: { name: string; creditGrade: string | null } | null;
  healthValidUntil: string | null;
  trainingPassed: boolean;
  backgroundPassed: boolean;
  backgroundCheckedOn: string | null;
  insurance: { status: string; label: string };
  creditStars: number | null;
  hasPhoto: boolean;
}

export interface CertificateView {
  id: string;
  number: string;
  workerId: string;
  companyId: string | null;
  district: string;
  categories: string[];
  skillLevel: string | null;
  issuedAt: string;
  validFrom: string;
  validUntil: string;
  state: CertificateStateCode;
  stateReason: string | null;
}

export interface CertificateListItem extends CertificateView {
  workerName: string;
  color: TrustColor;
  reason: string;
}

export type CheckKey = 'consent' | 'identity' | 'health' | 'training' | 'background' | 'skill';
export interface CheckResult {
  key: CheckKey;
  ok: boolean;
  state: string;
}

/** GET /api/v1/workers/:id/certification */
export interface RegulatorWorkerView {
  worker: {
    id: string;
    name: string;
    district: string;
    categories: string[];
    skillLevel: string | null;
    companyId: string | null;
  };
  checks: CheckResult[];
  certificate: CertificateView | null;
  color: TrustColor;
  reason: string;
  canIssue: boolean;
}

/** GET /api/v1/workers/me/certificate */
export interface WalletView {
  worker: { id: string; name: string };
  certificate: CertificateView | null;
  color: TrustColor;
  reason: string;
  checks: CheckResult[];
  canTakeNewBookings: boolean;
  verifyUrl: string | null;
}
