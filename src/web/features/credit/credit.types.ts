export type SubjectType = 'worker' | 'company';
export type AppealState = 'submitted' | 'upheld' | 'rejected' | 'withdrawn';

export interface Appeal {
  id: string;
  subjectType: SubjectType;
  subjectId: string;
  indicator: string;
  reason: string;
  evidence: string | null;
  state: AppealState;
  decisionNote: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface Explanation {
  subjectType: SubjectType;
  subjectId: string;
  score: number;
  level: string;
  scorecardVersion: number;
  computedAt: string;
  indicators: { key: string; dimension: string; weight: number; value: number; points: number }[];
  improvements: { key: string; gain: number }[];
  facts: Record<string, unknown>;
  history: { at: string; score: number; level: string }[];
  appeals: Appeal[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListEntry {
  id: string;
  subjectType: SubjectType;
  subjectId: string;
  name: string;
  list: 'red' | 'black';
  reason: string;
  listedAt: string;
  removedAt: string | null;
}

export interface Scorecard {
  id: string;
  version: number;
  config: Record<string, unknown>;
  note?: string | null;
  createdAt?: string;
}

export interface CompanyScore {
  companyId: string;
  name: string;
  status: string;
  score: number;
  level: string;
}

export interface Warning {
  id: string;
  companyId: string;
  companyName: string;
  score: number;
  currentScore: number | null;
  deadline: string;
  overdue: boolean;
  state: 'open' | 'resolved' | 'expelled';
  createdAt: string;
}

export interface Expulsion {
  companyId: string;
  companyName: string;
  ground: 'persistent_failure' | 'serious_violation';
  reason: string;
  expelledAt: string;
  workersReleased: number | null;
  openOrders: { id: string; number: string; state: string; workerId: string | null; serviceStart: string }[];
}

export interface FiveA {
  companyId: string;
  name: string;
  district: string | null;
  score: number;
}
