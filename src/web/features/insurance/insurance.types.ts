export type PolicyState = 'pending' | 'active' | 'rejected' | 'cancelled' | 'expired';
export type ClaimState =
  | 'reported'
  | 'under_review'
  | 'info_requested'
  | 'approved'
  | 'rejected'
  | 'paid'
  | 'withdrawn';
export type ProductKind = 'accident' | 'liability' | 'combined';
export type CoverageCode =
  | 'accident_death'
  | 'accident_medical'
  | 'hospital_allowance'
  | 'liability_injury'
  | 'liability_property';

export const coverageCodes: CoverageCode[] = [
  'accident_death',
  'accident_medical',
  'hospital_allowance',
  'liability_injury',
  'liability_property',
];

export interface Party {
  id: string;
  name: string;
}
export interface CoverageItem {
  code: string;
  label: string;
  amountFen: number;
}
export interface Product {
  id: string;
  insurer: Party;
  title: string;
  kind: ProductKind;
  coverage: CoverageItem[];
  premiumFen: number;
  periodMonths: number;
  categories: string[];
  subsidyShareBp: number;
  subsidyCapFen: number;
  waitingDays: number;
  active: boolean;
  createdAt: string;
}
export interface Split {
  premiumFen: number;
  subsidyFen: number;
  companyFen: number;
  workerFen: number;
}
export interface Policy extends Split {
  id: string;
  number: string;
  product: { id: string; title: string };
  insurer: Party;
  company: Party | null;
  worker: Party;
  enrolledBy: 'company' | 'worker';
  batchId: string;
  startsOn: string;
  endsOn: string;
  state: PolicyState;
  stateLabel: string;
  stateReason: string | null;
  confirmedAt: string | null;
  createdAt: string;
}
export interface Enrolment {
  batchId: string;
  split: Split;
  policies: Policy[];
}
export interface ClaimSummary {
  id: string;
  number: string;
  policyId: string;
  workerId: string;
  workerName?: string;
  coverageCode: string;
  coverageLabel: string;
  incidentOn: string;
  claimedFen: number;
  approvedFen: number | null;
  paidFen: number | null;
  state: ClaimState;
  stateLabel: string;
  stateReason: string | null;
  turn: 'insurer' | 'claimant' | null;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
}
export interface ClaimDetail extends ClaimSummary {
  policy: Policy;
  orderId: string | null;
  place: string;
  description: string;
  evidence: { note: string; at: string; by: string }[];
  reporterKind: 'worker' | 'company' | 'resident';
  payoutRef: string | null;
  paidAt: string | null;
  relation: string;
  actions: string[];
  history: {
    action: string;
    fromState: string | null;
    toState: string;
    party: string;
    reason: string | null;
    amountFen: number | null;
    at: string;
  }[];
}
export interface NewClaim {
  policyId?: string;
  orderId?: string;
  coverageCode: CoverageCode;
  incidentOn: string;
  place: string;
  description: string;
  evidence: string[];
  claimedFen: number;
}
export interface SettlementLine extends Split {
  insurer: Party;
  company: Party | null;
  policyCount: number;
  policies: (Split & {
    id: string;
    number: string;
    workerName: string;
    product: string;
    startsOn: string;
    endsOn: string;
    confirmedAt: string;
    state: PolicyState;
  })[];
}
export interface Settlement {
  from: string;
  to: string;
  lines: SettlementLine[];
  total: Split & { policyCount: number };
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
