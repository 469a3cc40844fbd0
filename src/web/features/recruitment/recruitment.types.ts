export type PostMode = 'live_in' | 'day' | 'hourly';
export type Benefit = 'social_insurance' | 'accident_insurance' | 'housing' | 'meals' | 'training';
export type ApplicationState =
  | 'new'
  | 'shortlisted'
  | 'interview'
  | 'offer'
  | 'hired'
  | 'rejected'
  | 'withdrawn'
  | 'declined';
export type ApplicationAction =
  | 'shortlist'
  | 'interview'
  | 'offer'
  | 'accept'
  | 'decline'
  | 'reject'
  | 'withdraw';

export const postModes: PostMode[] = ['live_in', 'day', 'hourly'];
export const benefitCodes: Benefit[] = [
  'social_insurance',
  'accident_insurance',
  'housing',
  'meals',
  'training',
];
export const boardStates: ApplicationState[] = [
  'new',
  'shortlisted',
  'interview',
  'offer',
  'hired',
  'rejected',
];

export interface Party {
  id: string;
  name: string;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Post {
  id: string;
  company: Party;
  fairId: string | null;
  title: string;
  category: string;
  mode: PostMode;
  district: string;
  location: string;
  salaryMinFen: number;
  salaryMaxFen: number;
  minLevel: string | null;
  certificateRequired: boolean;
  minExperienceYears: number;
  minAge: number;
  maxAge: number;
  benefits: Benefit[];
  description: string;
  headcount: number;
  closesOn: string;
  open: boolean;
  applications: number;
  hired: number;
  createdAt: string;
  score?: number;
}
export interface PostDetail extends Post {
  minimumWageFen: number;
  mine: { eligible: boolean; unmet: string[]; applicationId: string | null } | null;
}
export interface NewPost {
  title: string;
  category: string;
  mode: PostMode;
  district: string;
  location: string;
  salaryMinFen: number;
  salaryMaxFen: number;
  minLevel?: string | null;
  certificateRequired: boolean;
  minExperienceYears: number;
  minAge: number;
  maxAge: number;
  benefits: Benefit[];
  description: string;
  headcount: number;
  closesOn: string;
  fairId?: string | null;
}

export interface Application {
  id: string;
  post: { id: string; title: string; category: string; mode: PostMode };
  company: Party;
  worker: {
    id: string;
    name: string;
    age: number | null;
    categories: string[];
    skillLevel: string | null;
    yearsExperience: number | null;
    district: string | null;
  };
  fairId: string | null;
  coverNote: string | null;
  state: ApplicationState;
  interviewId: string | null;
  employmentId: string | null;
  hiredAt: string | null;
  actions: ApplicationAction[];
  createdAt: string;
  updatedAt: string;
}
export interface ApplicationDetail extends Application {
  history: {
    action: string;
    fromState: string | null;
    toState: string | null;
    party: 'company' | 'worker';
    note: string | null;
    at: string;
  }[];
}

export interface SavedSearch {
  id: string;
  name: string;
  categories: string[];
  modes: PostMode[];
  district: string | null;
  minSalaryFen: number | null;
  keyword: string | null;
  alerts: boolean;
  createdAt: string;
}

export interface Fair {
  id: string;
  title: string;
  format: 'online' | 'venue';
  venue: string | null;
  district: string | null;
  startsAt: string;
  endsAt: string;
  phase: 'upcoming' | 'running' | 'ended';
  companies: number;
  registrations: number;
  checkedIn: number;
}
export interface FairDetail extends Omit<Fair, 'companies'> {
  companies: Party[];
  posts: Post[];
  myRegistration: { registeredAt: string; checkedInAt: string | null } | null;
  joinedByMyCompany: boolean;
}
export interface FairOutcomes {
  fairId: string;
  companies: number;
  registrations: number;
  checkedIn: number;
  posts: number;
  applications: number;
  hired: number;
}

export interface CohortSummary {
  trainees: number;
  placed: number;
  due3: number;
  retained3: number;
  due6: number;
  retained6: number;
}
export interface Cohort {
  id: string;
  name: string;
  sourceRegionCode: string;
  sourceRegionName: string;
  trainingClassId: string | null;
  plannedArrivalOn: string;
  arrivedOn: string | null;
  destinationDistrict: string | null;
  summary: CohortSummary;
}
export interface CohortDetail extends Cohort {
  trainees: {
    workerId: string;
    name: string;
    placed: boolean;
    company: Party | null;
    placedOn: string | null;
    retained3: boolean | null;
    retained6: boolean | null;
  }[];
}
export interface RegionRow extends CohortSummary {
  sourceRegionCode: string;
  sourceRegionName: string;
  cohorts: number;
}
export interface EmploymentStats {
  from: string;
  to: string;
  district: string | null;
  perMonth: { month: string; applications: number; hires: number; fairRegistrations: number }[];
  byCategory: { category: string; categoryLabel: string; applications: number; hires: number }[];
  bySourceRegion: RegionRow[];
  medianDaysToHire: number | null;
  totals: { applications: number; hires: number };
}

/** A fair as everyone sees it (signed out): companies with their open posts, no counts of people. */
export interface PublicFair extends Omit<Fair, 'companies' | 'registrations' | 'checkedIn'> {
  companies: (Party & { posts: Omit<Post, 'applications' | 'hired'>[] })[];
}

export interface ContactConsent {
  optedIn: boolean;
  grantedAt: string | null;
  withdrawnAt: string | null;
}
export type LikelySignal = 'fair' | 'cohort' | 'saved_search' | 'training';
export type RegistrationStep = 'identity' | 'health' | 'background' | 'training' | 'skill_certificate';
export interface LikelyWorkers {
  district: string | null;
  total: number;
  bySignal: Record<LikelySignal, number>;
  optedIn: number;
  contacts: {
    workerId: string;
    name: string;
    district: string | null;
    signals: LikelySignal[];
    missing: RegistrationStep[];
    optedInAt: string;
    lastInvitedAt: string | null;
  }[];
}
