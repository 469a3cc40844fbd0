/** Shapes of the insights API (see src/server/modules/insights/insights.routes.ts). */
export interface Filters {
  district?: string | undefined;
  category?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface FlowRow {
  created: number;
  completed: number;
  demands: number;
  completedValueFen: number;
}

export interface DistrictRow {
  district: string;
  name: string;
  lon: number;
  lat: number;
  ordersCreated: number;
  ordersCompleted: number;
  demandsCreated: number;
  companies: number;
  workers: number;
  complaints: number;
  complaintsWithinSlaPct: number | null;
}

export interface Dashboard {
  asOf: string;
  filters: { district: string | null; category: string | null; from: string; to: string };
  companies: {
    active: number;
    companies5A: number;
    byGrade: { grade: string; count: number }[];
    byStatus: { status: string; count: number }[];
  };
  workers: {
    registered: number;
    certified: { green: number; yellow: number; red: number; total: number };
    trained: number;
    insured: number;
  };
  orders: {
    created: number;
    completed: number;
    completedValueFen: number;
    demands: number;
    byCategory: (FlowRow & { category: string })[];
    byMode: (FlowRow & { mode: string })[];
    byDistrict: DistrictRow[];
  };
  complaints: {
    filed: number;
    answered: number;
    answeredInSla: number;
    slaDue: number;
    withinSlaPct: number | null;
  };
  followUps: { count: number; satisfactionAvg: number | null };
  trend: {
    month: string;
    ordersCreated: number;
    ordersCompleted: number;
    demands: number;
    complaints: number;
    satisfactionAvg: number | null;
  }[];
  heat: { district: string; category: string; count: number }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A drill-down page: also how many rows match in all. */
export interface DrillPage<T> extends Page<T> {
  total: number;
}

export interface DrillCompany {
  id: string;
  name: string;
  district: string | null;
  status: string;
  creditGrade: string | null;
}

export interface DrillOrder {
  id: string;
  number: string;
  category: string;
  mode: string;
  district: string;
  state: string;
  totalFen: number;
  createdAt: string;
}

export interface Report {
  id: string;
  month: string;
  bytes: number;
  sha256: string;
  asOf: string;
  trigger: 'job' | 'manual' | 'seed';
  generatedAt: string;
}

export type EditionState = 'draft' | 'published' | 'withdrawn' | 'discarded';
export type EditionAction = 'publish' | 'discard' | 'withdraw';

export interface Edition {
  id: string;
  title: string;
  periodFrom: string;
  periodTo: string;
  state: EditionState;
  minSamples: number;
  sampleCount: number;
  publishedAt: string | null;
  createdAt: string;
  actions: EditionAction[];
}

export interface EditionCell {
  position: string;
  district: string;
  unit: 'month' | 'hour';
  sampleCount: number;
  sources: { contract: number; order: number; import: number };
  p25Fen: number;
  p50Fen: number;
  p75Fen: number;
  belowThreshold: boolean;
}

export interface EditionDetail extends Edition {
  cells: EditionCell[];
}

export interface PublicSurvey {
  id: string;
  title: string;
  periodFrom: string;
  periodTo: string;
  publishedAt: string;
  minSamples: number;
  positions: { code: string; zh: string; en: string; unit: 'month' | 'hour' }[];
  cells: {
    position: string;
    district: string;
    unit: 'month' | 'hour';
    hidden: boolean;
    sampleCount: number | null;
    p25Fen: number | null;
    p50Fen: number | null;
    p75Fen: number | null;
  }[];
  editions: { id: string; title: string; publishedAt: string }[];
}
