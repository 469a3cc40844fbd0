// Mirrors the server's worker contracts (src/server/modules/workers/workers.routes.ts).
export interface ConsentText {
  version: string;
  title: string;
  text: string;
  sha256: string;
}

export type HealthState = 'valid' | 'expired' | 'pending' | 'missing' | 'rejected';

export interface WorkerView {
  id: string;
  name: string;
  idNumber: string;
  idNumberMasked: boolean;
  birthDate: string | null;
  /** Approximate service base (rounded ~100 m), null when not set. */
  baseLon: number | null;
  baseLat: number | null;
  sex: 'M' | 'F';
  phoneMasked: string | null;
  district: string | null;
  nativePlace: string | null;
  education: string | null;
  languages: string[];
  categories: string[];
  skillLevel: string | null;
  maternityStars: number | null;
  yearsExperience: number | null;
  intro: string | null;
  hasPhoto: boolean;
  status: string;
  registeredVia: string;
  companyId: string | null;
  employedSince: string | null;
  consentAcceptedAt: string | null;
  identityVerified: boolean;
  health: { state: HealthState; validUntil: string | null };
  skillCert: { state: string };
  training: { state: 'passed' | 'failed' | 'missing'; passedOn: string | null };
  background: {
    passed: boolean;
    checkedOn: string | null;
    detail: { state: string; checkedOn: string | null; provider: string; reference: string | null } | null;
  };
  createdAt: string;
}

export interface WorkerDocument {
  id: string;
  workerId: string;
  kind: string;
  mime: string;
  size: number;
  issuedOn: string | null;
  expiresOn: string | null;
  number: string | null;
  state: 'pending' | 'approved' | 'rejected';
  reason: string | null;
  reviewedAt: string | null;
  current: boolean;
  createdAt: string;
}

export interface ReviewQueueItem extends WorkerDocument {
  workerName: string;
  district: string | null;
}

export interface ListItem {
  id: string;
  name: string;
  idNumberMasked: string;
  sex: 'M' | 'F';
  district: string | null;
  categories: string[];
  skillLevel: string | null;
  status: string;
  employedSince: string | null;
  identityVerified: boolean;
  health: { state: HealthState; validUntil: string | null };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface BulkResult {
  results: { id: string; ok: boolean; code: string | null }[];
}
