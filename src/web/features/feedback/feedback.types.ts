export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FileRef {
  fileId: string;
  contentType: string;
}

export interface ReviewView {
  id: string;
  side: 'resident' | 'provider';
  orderNumber: string;
  verifiedOrder: boolean;
  contractId: string | null;
  ratings: Record<string, number>;
  overall: number;
  text: string;
  photos: FileRef[];
  state: 'published' | 'flagged' | 'hidden';
  flagReason: string | null;
  moderationReason: string | null;
  authorRole: string;
  authorName: string;
  worker: { id: string; name: string } | null;
  company: { id: string; name: string } | null;
  employerName: string | null;
  reply: { text: string; at: string } | null;
  createdAt: string;
}

export interface ModerationItem extends ReviewView {
  reports: { id: string; reason: string; at: string }[];
}

export interface OrderReviews {
  side: 'resident' | 'provider';
  canReview: boolean;
  refusal: string | null;
  windowEndsAt: string | null;
  reviews: ReviewView[];
}

export const complaintStates = [
  'filed',
  'responded',
  'escalated',
  'investigating',
  'upheld',
  'rejected',
  'closed',
  'withdrawn',
] as const;
export type ComplaintState = (typeof complaintStates)[number];
export type ComplaintAction =
  | 'respond'
  | 'accept'
  | 'refuse'
  | 'investigate'
  | 'uphold'
  | 'reject'
  | 'appeal'
  | 'close'
  | 'withdraw';

export interface ComplaintView {
  id: string;
  state: ComplaintState;
  complainantRole: 'resident' | 'worker';
  complainantName: string;
  orderId: string | null;
  orderNumber: string | null;
  subjectType: 'worker' | 'company' | 'employer';
  worker: { id: string; name: string } | null;
  company: { id: string; name: string } | null;
  employerName: string | null;
  category: string;
  description: string;
  district: string;
  filedAt: string;
  respondBy: string;
  slaRemainingMs: number | null;
  respondedAt: string | null;
  response: string | null;
  escalatedAt: string | null;
  escalatedBy: string | null;
  outcome: 'upheld' | 'rejected' | null;
  decisionReason: string | null;
  decidedAt: string | null;
  certificateAction: string | null;
  appealedAt: string | null;
  appealReason: string | null;
  closedAt: string | null;
  evidence: FileRef[];
}

export interface ComplaintDetail extends ComplaintView {
  relation: 'complainant' | 'company' | 'regulator' | 'system' | 'subject';
  actions: ComplaintAction[];
  history: {
    action: string;
    fromState: string | null;
    toState: string;
    party: string;
    note: string | null;
    at: string;
  }[];
}

export interface NewComplaint {
  orderId?: string | null;
  companyId?: string | null;
  subject: 'worker' | 'company' | 'employer';
  category: string;
  description: string;
  evidenceIds?: string[];
}

export const residentCategories = [
  'service_quality',
  'late_or_absent',
  'attitude',
  'damage_or_theft',
  'overcharge',
  'contract_breach',
  'other',
] as const;
export const workerCategories = [
  'unpaid_wages',
  'id_card_withheld',
  'mistreatment',
  'unsafe_conditions',
  'contract_breach',
  'other',
] as const;
export const residentDimensions = ['quality', 'punctuality', 'attitude', 'skill'] as const;
export const employerDimensions = ['respect', 'payment', 'communication', 'environment'] as const;
