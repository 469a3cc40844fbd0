import type { TrustColor } from '../certification/certification.shared';
import type { CheckResult } from '../certification/certification.types';

export interface LiveStatus {
  color: TrustColor;
  colorLabel: string;
  reason: string;
  reasonLabel: string;
  checks: CheckResult[];
  canTakeNewBookings: boolean;
}

export interface EmptySection {
  available: false;
  items: never[];
  message: { 'zh-CN': string; en: string };
}

export interface MyFile {
  profile: {
    id: string;
    name: string;
    idNumber: string | null;
    birthDate: string;
    sex: 'M' | 'F';
    phone: string | null;
    district: string | null;
    nativePlace: string | null;
    education: string | null;
    languages: string[];
    categories: string[];
    skillLevel: string | null;
    maternityStars: number | null;
    yearsExperience: number | null;
    intro: string | null;
    status: string;
    identityVerifiedAt: string | null;
    consentAcceptedAt: string | null;
  };
  documents: {
    id: string;
    kind: string;
    kindLabel: string;
    state: 'pending' | 'approved' | 'rejected';
    reason: string | null;
    expiresOn: string | null;
    current: boolean;
    createdAt: string;
    downloadPath: string | null;
  }[];
  certificate: { number: string; state: string; validFrom: string; validUntil: string } | null;
  status: LiveStatus;
  training: { id: string; courseName: string; passed: boolean; score: number | null; examDate: string }[];
  trainingRecords: {
    certificates: {
      number: string;
      courseTitle: string;
      institution: string;
      minutes: number;
      score: number;
      issuedAt: string;
    }[];
    exams: { examTitle: string; score: number; passed: boolean; at: string }[];
  };
  backgroundChecks: { id: string; state: string; checkedOn: string | null; reference: string | null }[];
  workHistory: {
    employment: { id: string; companyName: string | null; startedAt: string; endedAt: string | null }[];
    orders: OrdersSection | EmptySection;
    contracts: Filled<FileContract> | EmptySection;
  };
  reviews: Filled<FileReview> | EmptySection;
  complaints: Filled<FileComplaint> | EmptySection;
  credit: FileCredit | EmptySection;
  insurance: Filled<FilePolicy> | EmptySection;
}

/** A section another module filled (it may have no rows). */
export interface Filled<T> {
  available: true;
  items: T[];
  message: null;
}
export interface FileContract {
  id: string;
  number: string;
  filingNo: string | null;
  category: string;
  mode: string;
  state: string;
  companyName: string;
  startDate: string;
  endDate: string;
  monthlyWageFen: number;
  sealedAt: string;
  terminatedAt: string | null;
}
export interface FileReview {
  id: string;
  orderNumber: string;
  overall: number;
  text: string;
  createdAt: string;
}
export interface FileComplaint {
  id: string;
  orderNumber: string | null;
  category: string;
  state: string;
  outcome: string | null;
  filedAt: string;
}
export interface FileCredit {
  available: true;
  score: number;
  stars: number;
  ratingAvg: number | null;
  ratingCount: number;
  message: null;
}
export interface FilePolicy {
  number: string;
  product: { title: string };
  insurer: { name: string };
  company: { name: string } | null;
  startsOn: string;
  endsOn: string;
  state: string;
  stateLabel: string;
}

export interface SharedFile {
  via: 'regulator' | 'grant' | 'link';
  scope: 'basic' | 'full';
  expiresAt: string | null;
  worker: {
    id: string;
    maskedName: string;
    idNumberMasked: string | null;
    sex: 'M' | 'F';
    district: string | null;
    languages: string[];
    categories: string[];
    skillLevel: string | null;
    maternityStars: number | null;
    yearsExperience: number | null;
    intro: string | null;
    identityVerified: boolean;
  };
  status: LiveStatus;
  health: { state: string; validUntil: string | null };
  trainingPassed: boolean;
  background: { passed: boolean; checkedOn: string | null };
  certificate: { number: string; state: string; validFrom: string; validUntil: string } | null;
  documents: { kind: string; kindLabel: string; state: string; expiresOn: string | null }[] | null;
  training: { courseName: string; passed: boolean; examDate: string }[] | null;
  employment: { companyName: string | null; startedAt: string; endedAt: string | null }[] | null;
}

export interface AccessLogItem {
  id: string;
  at: string;
  what: 'profile' | 'id_number' | 'documents' | 'document' | 'efile';
  documentKind: string | null;
  via: 'regulator' | 'employer' | 'grant' | 'link' | 'other';
  viewer: { maskedName: string | null; role: string; orgName: string | null };
}

export interface Grant {
  id: string;
  kind: 'link' | 'in_app';
  scope: 'basic' | 'full';
  state: 'active' | 'expired' | 'revoked';
  expiresAt: string;
  createdAt: string;
  grantee: { maskedName: string | null; orgName: string | null } | null;
}

export interface AccessRequest {
  id: string;
  workerId: string;
  requesterKind: 'resident' | 'company';
  requester: { maskedName: string | null; orgName: string | null };
  reason: string;
  state: 'pending' | 'approved' | 'declined' | 'closed';
  createdAt: string;
}

export interface DeletionRequest {
  id: string;
  workerId: string;
  reason: string;
  state: 'pending' | 'completed' | 'refused';
  dueOn: string;
  decisionReason: string | null;
  createdAt: string;
  workerMaskedName?: string | null;
  overdue?: boolean;
}

export interface FileAccess {
  workerId: string;
  maskedName: string;
  request: { id: string; state: AccessRequest['state']; createdAt: string } | null;
  grant: { id: string; scope: 'basic' | 'full'; expiresAt: string } | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Orders the worker served (assigned, or a visit covered as a substitute), newest first. */
export interface OrdersSection {
  available: true;
  items: {
    ref: string;
    orderId: string;
    number: string;
    category: string;
    mode: string;
    state: string;
    role: 'assigned' | 'substitute';
    companyName: string;
    district: string;
    from: string;
    to: string;
    visits: { id: string; startsAt: string; endsAt: string; status: string }[];
  }[];
  message: null;
}
