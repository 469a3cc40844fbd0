export type ContractState =
  | 'draft'
  | 'signing'
  | 'filed'
  | 'terminating'
  | 'terminated'
  | 'disputed'
  | 'superseded'
  | 'void';
export type Party = 'resident' | 'company' | 'worker';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ContractSummary {
  id: string;
  number: string;
  orderId: string;
  kind: 'agency' | 'employee';
  state: ContractState;
  effective: boolean;
  revision: number;
  category: string;
  mode: string;
  district: string;
  companyId: string;
  companyName: string;
  consumerName: string;
  workerName: string;
  startDate: string;
  endDate: string;
  totalFeeFen: number;
  filingNo: string | null;
  sealedAt: string | null;
  createdAt: string;
}

export interface ContractTerms {
  kind: 'agency' | 'employee';
  mode: string;
  serviceContent: string;
  startDate: string;
  endDate: string;
  dailyHours: number;
  workStart: string;
  restDaysPerMonth: number;
  sleepHoursPerDay: number | null;
  holidayPayMultiplier: number;
  monthlyFeeFen: number;
  totalFeeFen: number;
  agencyFeeFen: number;
  agencyFeeRefund: 'prorata' | 'full_in_trial' | 'none';
  depositFen: number;
  monthlyWageFen: number;
  trialDays: number;
  replacementWithinDays: number;
  accidentInsurance: boolean;
  terminationNoticeDays: number;
  [k: string]: unknown;
}

export interface Settlement {
  effectiveDate: string;
  totalDays: number;
  servedDays: number;
  servedFeeFen: number;
  paidFen: number;
  feeRefundFen: number;
  feeOwedFen: number;
  depositRefundFen: number;
  agencyFeeRefundFen: number;
  netToConsumerFen: number;
}

export interface ContractDetail extends ContractSummary {
  relation: Party | 'regulator';
  actions: string[];
  templateVersion: number;
  templateTitle: string;
  terms: ContractTerms;
  address: string | null;
  violations: { rule: string; field: string; zh: string; en: string }[];
  clauses: { key: string; title: string; body: string }[];
  signers: Party[];
  signatures: { party: string; signedAt: string; signatureSha256: string }[];
  pdfSha256: string | null;
  termsSha256: string | null;
  previousId: string | null;
  replacedById: string | null;
  chain: { id: string; number: string; state: string; previousId: string | null }[];
  revisions: { revision: number; party: string; changed: string[]; at: string }[];
  termination: {
    id: string;
    requestedBy: string;
    reason: string;
    effectiveDate: string;
    settlement: Settlement;
    confirmedBy: string[];
    state: string;
    disputeReason: string | null;
    createdAt: string;
  } | null;
}

export interface Verification {
  number: string;
  found: boolean;
  checkCharacterValid: boolean;
  state?: ContractState;
  effective?: boolean;
  filed?: boolean;
  filingNo?: string | null;
  sealedAt?: string | null;
  companyName?: string;
  category?: string;
  pdfSha256?: string | null;
  uploadedSha256?: string;
  matches?: boolean;
}

export interface ContractStats {
  total: number;
  byState: Record<string, number>;
  clauses: { rule: string; checked: number; passed: number }[];
  averages: { restDaysPerMonth: number | null; trialDays: number | null; depositFen: number | null };
  insuredShare: number | null;
  agencyFeeRefundRules: Record<string, number>;
}
