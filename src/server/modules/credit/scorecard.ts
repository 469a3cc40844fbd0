import { z } from 'zod';
import { creditGrades } from '../../../shared/domain.js';
import type { FieldIssue } from '../../platform/errors.js';

/**
 * The scorecard engine: pure functions from a subject's facts and a versioned configuration to a score out of 100,
 * a level and each indicator's contribution. The formulas live here; their weights, level thresholds and
 * parameters are configuration the regulator edits by creating a new version (credit_scorecard).
 *
 * Points are kept in hundredths (centi-points) so the score is exactly the sum of the contributions shown.
 */

export const workerDimensions = [
  'basic_info',
  'professional',
  'service',
  'org_grade',
  'credit_record',
  'certificate',
] as const;
export const companyDimensions = [
  'strength',
  'service',
  'management',
  'public_credit',
  'comprehensive',
] as const;

/** Worker indicator → its dimension (基础信息, 职业素质, 服务能力, 机构等级, 信用记录, 安心码). */
export const workerIndicators = {
  identity: 'basic_info',
  health: 'basic_info',
  training: 'professional',
  skill_level: 'professional',
  rating: 'service',
  follow_up: 'service',
  company_grade: 'org_grade',
  complaints: 'credit_record',
  list_record: 'credit_record',
  certificate: 'certificate',
} as const satisfies Record<string, (typeof workerDimensions)[number]>;

/** Company indicator → its dimension (企业实力, 服务能力, 管理能力, 公共信用报告, 综合能力). */
export const companyIndicators = {
  certified_staff: 'strength',
  years_active: 'strength',
  rating: 'service',
  follow_up: 'service',
  order_volume: 'service',
  complaint_handling: 'management',
  staff_documents: 'management',
  public_credit: 'public_credit',
  complaint_rate: 'comprehensive',
  upheld_complaints: 'comprehensive',
} as const satisfies Record<string, (typeof companyDimensions)[number]>;

export type WorkerIndicator = keyof typeof workerIndicators;
export type CompanyIndicator = keyof typeof companyIndicators;
export const workerIndicatorKeys = Object.keys(workerIndicators) as WorkerIndicator[];
export const companyIndicatorKeys = Object.keys(companyIndicators) as CompanyIndicator[];

/** Worker levels: 1–5 stars; company levels worst to best. */
export const workerLevels = ['1', '2', '3', '4', '5'] as const;
export const companyLevels = [...creditGrades].reverse() as ['A', '2A', '3A', '4A', '5A'];

const weight = z.number().int().min(0).max(100);
const threshold = z.number().min(0).max(100);
const weightsOf = <K extends string>(keys: readonly K[]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, weight])) as Record<K, typeof weight>);

/** The shape of one scorecard version (the regulator's edit body). Sums and order are checked by validateScorecard. */
export const scorecardConfigSchema = z.strictObject({
  worker: z.strictObject({
    weights: weightsOf(workerIndicatorKeys),
    /** Minimum scores for 2, 3, 4 and 5 stars; below the first is 1 star. */
    thresholds: z.array(threshold).length(4),
  }),
  company: z.strictObject({
    weights: weightsOf(companyIndicatorKeys),
    /** Minimum scores for 2A, 3A, 4A and 5A; below the first is A. */
    thresholds: z.array(threshold).length(4),
  }),
  params: z.strictObject({
    /** Bayesian prior for review ratings: mean m (1–5) and weight C (as if C reviews of m). */
    ratingPriorMean: z.number().min(1).max(5),
    ratingPriorWeight: z.number().min(0).max(1000),
    /** The same prior for follow-up (回访) satisfaction, 1–5. */
    followUpPriorMean: z.number().min(1).max(5),
    followUpPriorWeight: z.number().min(0).max(1000),
    /** Share of the complaint indicator one upheld complaint takes away (0.25 = four upheld empty it). */
    upheldPenalty: z.number().min(0).max(1),
    /** Complaints per completed order at which the company's complaint-rate indicator reaches zero. */
    complaintRateCeiling: z.number().gt(0).max(1),
    /** Certified workers, years on the platform and completed orders at which those indicators are full. */
    staffTarget: z.number().int().min(1).max(100_000),
    yearsTarget: z.number().min(0.1).max(50),
    orderTarget: z.number().int().min(1).max(10_000_000),
  }),
  evaluation: z.strictObject({
    /** Companies scoring below this in an evaluation cycle get a warning. */
    warnBelow: threshold,
    /** Days a warned company has to rise above warnBelow. */
    deadlineDays: z.number().int().min(1).max(365),
  }),
});
export type ScorecardConfig = z.infer<typeof scorecardConfigSchema>;

/** The first version, seeded by the migration-time default (see credit.service `activeScorecard`). */
export const defaultScorecard: ScorecardConfig = {
  worker: {
    weights: {
      identity: 10,
      health: 10,
      training: 10,
      skill_level: 10,
      rating: 25,
      follow_up: 5,
      company_grade: 10,
      complaints: 10,
      list_record: 5,
      certificate: 5,
    },
    thresholds: [40, 55, 70, 85],
  },
  company: {
    weights: {
      certified_staff: 10,
      years_active: 10,
      rating: 20,
      follow_up: 10,
      order_volume: 5,
      complaint_handling: 10,
      staff_documents: 10,
      public_credit: 10,
      complaint_rate: 5,
      upheld_complaints: 10,
    },
    thresholds: [45, 60, 75, 88],
  },
  params: {
    ratingPriorMean: 4.5,
    ratingPriorWeight: 10,
    followUpPriorMean: 4,
    followUpPriorWeight: 5,
    upheldPenalty: 0.25,
    complaintRateCeiling: 0.1,
    staffTarget: 20,
    yearsTarget: 5,
    orderTarget: 200,
  },
  evaluation: { warnBelow: 60, deadlineDays: 30 },
};

/** Rules the schema cannot say: weights sum to 100 per subject type; thresholds strictly rising. */
export function validateScorecard(c: ScorecardConfig): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const subject of ['worker', 'company'] as const) {
    const sum = Object.values(c[subject].weights as Record<string, number>).reduce((a, b) => a + b, 0);
    if (sum !== 100)
      issues.push({ path: `${subject}.weights`, message: `weights must sum to 100 (they sum to ${sum})` });
    const t = c[subject].thresholds;
    for (let i = 1; i < t.length; i++)
      if (!(t[i]! > t[i - 1]!)) {
        issues.push({
          path: `${subject}.thresholds.${i}`,
          message: `thresholds must rise strictly (${t[i]} is not above ${t[i - 1]})`,
        });
        break;
      }
    if (t[0] !== undefined && t[0] <= 0)
      issues.push({ path: `${subject}.thresholds.0`, message: 'the lowest threshold must be above 0' });
  }
  return issues;
}

/** Bayesian average (C·m + Σ ratings) / (C + n): few ratings stay near the prior m, many follow their own mean. */
export function bayesianMean(sum: number, n: number, priorMean: number, priorWeight: number): number {
  if (priorWeight + n === 0) return priorMean;
  return (priorWeight * priorMean + sum) / (priorWeight + n);
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
/** A 1–5 mean as a share of the range: 1 → 0, 5 → 1. */
const fiveScale = (mean: number) => clamp01((mean - 1) / 4);

export type ListState = 'red' | 'black' | null;
export type CertificateState = 'active' | 'suspended' | 'expired' | 'none';

/** What a worker's score is computed from (counts and flags only; no personal data). */
export interface WorkerFacts {
  companyId: string | null;
  identityVerified: boolean;
  healthValid: boolean;
  trainingPassed: boolean;
  skillLevel: string | null;
  reviewCount: number;
  ratingSum: number;
  followUpCount: number;
  followUpSum: number;
  completedOrders: number;
  /** The employer's current grade (null: no employer or not yet rated). */
  companyGrade: string | null;
  complaintCount: number;
  upheldCount: number;
  list: ListState;
  certificate: CertificateState;
  /** Indicators a regulator corrected on appeal: they count in full. */
  overrides: string[];
}

export interface CompanyFacts {
  /** Whole years and fractions since approval. */
  yearsActive: number;
  staffCount: number;
  certifiedStaff: number;
  staffHealthValid: number;
  reviewCount: number;
  ratingSum: number;
  followUpCount: number;
  followUpSum: number;
  completedOrders: number;
  complaintCount: number;
  upheldCount: number;
  respondedCount: number;
  respondedInSlaCount: number;
  responseHoursSum: number;
  list: ListState;
  overrides: string[];
}

export interface Contribution {
  key: string;
  dimension: string;
  weight: number;
  /** 0..1, the share of the weight earned. */
  value: number;
  /** Points earned in hundredths; the score is their sum. */
  centi: number;
}

export interface ScoreResult {
  centi: number;
  level: string;
  contributions: Contribution[];
}

const skillValue: Record<string, number> = { level5: 0.25, level4: 0.5, level3: 0.75, level2: 1 };
const gradeValue: Record<string, number> = { '5A': 1, '4A': 0.8, '3A': 0.6, '2A': 0.4, A: 0.2 };
const certValue: Record<CertificateState, number> = { active: 1, suspended: 0.3, expired: 0, none: 0 };

/** Level from a score: the highest threshold reached; a black-listed subject is held at the lowest level. */
export function levelOf(
  centi: number,
  thresholds: number[],
  levels: readonly string[],
  list: ListState,
): string {
  if (list === 'black') return levels[0]!;
  let at = 0;
  thresholds.forEach((t, i) => {
    if (centi >= Math.round(t * 100)) at = i + 1;
  });
  return levels[at]!;
}

function contributions<K extends string>(
  map: Record<K, string>,
  weights: Record<K, number>,
  values: Record<K, number>,
  overrides: string[],
): Contribution[] {
  return (Object.keys(map) as K[]).map((key) => {
    const value = overrides.includes(key) ? 1 : clamp01(values[key]);
    const w = weights[key];
    return { key, dimension: map[key], weight: w, value, centi: Math.round(w * value * 100) };
  });
}

/** Indicator values (0..1) of a worker, before weights. */
export function workerValues(f: WorkerFacts, p: ScorecardConfig['params']): Record<WorkerIndicator, number> {
  return {
    identity: f.identityVerified ? 1 : 0,
    health: f.healthValid ? 1 : 0,
    training: f.trainingPassed ? 1 : 0,
    skill_level: f.skillLevel ? (skillValue[f.skillLevel] ?? 0) : 0,
    rating: fiveScale(bayesianMean(f.ratingSum, f.reviewCount, p.ratingPriorMean, p.ratingPriorWeight)),
    follow_up: fiveScale(
      bayesianMean(f.followUpSum, f.followUpCount, p.followUpPriorMean, p.followUpPriorWeight),
    ),
    // An independent worker earns nothing here; an employer not yet rated counts as the middle grade.
    company_grade: f.companyId ? (f.companyGrade ? (gradeValue[f.companyGrade] ?? 0) : 0.6) : 0,
    complaints: 1 - f.upheldCount * p.upheldPenalty,
    list_record: f.list === 'black' ? 0 : 1,
    certificate: certValue[f.certificate],
  };
}

/** Indicator values (0..1) of a company, before weights. */
export function companyValues(
  f: CompanyFacts,
  p: ScorecardConfig['params'],
): Record<CompanyIndicator, number> {
  return {
    certified_staff: f.certifiedStaff / p.staffTarget,
    years_active: f.yearsActive / p.yearsTarget,
    rating: fiveScale(bayesianMean(f.ratingSum, f.reviewCount, p.ratingPriorMean, p.ratingPriorWeight)),
    follow_up: fiveScale(
      bayesianMean(f.followUpSum, f.followUpCount, p.followUpPriorMean, p.followUpPriorWeight),
    ),
    order_volume: f.completedOrders / p.orderTarget,
    // No complaints to answer is full marks; otherwise the share answered within the SLA.
    complaint_handling: f.complaintCount === 0 ? 1 : f.respondedInSlaCount / f.complaintCount,
    staff_documents: f.staffCount === 0 ? 0 : f.staffHealthValid / f.staffCount,
    public_credit: f.list === 'black' ? 0 : 1,
    complaint_rate: 1 - f.complaintCount / Math.max(1, f.completedOrders) / p.complaintRateCeiling,
    upheld_complaints: 1 - f.upheldCount * p.upheldPenalty,
  };
}

function total(cs: Contribution[]) {
  return cs.reduce((a, c) => a + c.centi, 0);
}

/** A worker's score, stars and contributions under one scorecard version. */
export function scoreWorker(f: WorkerFacts, c: ScorecardConfig): ScoreResult {
  const cs = contributions(workerIndicators, c.worker.weights, workerValues(f, c.params), f.overrides);
  const centi = total(cs);
  return { centi, level: levelOf(centi, c.worker.thresholds, workerLevels, f.list), contributions: cs };
}

/** A company's score, grade and contributions under one scorecard version. */
export function scoreCompany(f: CompanyFacts, c: ScorecardConfig): ScoreResult {
  const cs = contributions(companyIndicators, c.company.weights, companyValues(f, c.params), f.overrides);
  const centi = total(cs);
  return { centi, level: levelOf(centi, c.company.thresholds, companyLevels, f.list), contributions: cs };
}

/** What would raise the score most: indicators with points still to earn, largest gap first. */
export function improvements(cs: Contribution[]): { key: string; gainCenti: number }[] {
  return cs
    .map((c) => ({ key: c.key, gainCenti: c.weight * 100 - c.centi }))
    .filter((g) => g.gainCenti > 0)
    .sort((a, b) => b.gainCenti - a.gainCenti || a.key.localeCompare(b.key));
}
