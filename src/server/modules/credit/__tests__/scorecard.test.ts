import { describe, expect, test } from 'vitest';
import {
  bayesianMean,
  type CompanyFacts,
  defaultScorecard,
  improvements,
  levelOf,
  type ScorecardConfig,
  scoreCompany,
  scoreWorker,
  validateScorecard,
  type WorkerFacts,
  workerLevels,
} from '../scorecard.js';

const worker = (over: Partial<WorkerFacts> = {}): WorkerFacts => ({
  companyId: 'org_1',
  identityVerified: true,
  healthValid: true,
  trainingPassed: true,
  skillLevel: 'level3',
  reviewCount: 0,
  ratingSum: 0,
  followUpCount: 0,
  followUpSum: 0,
  completedOrders: 0,
  companyGrade: '4A',
  complaintCount: 1,
  upheldCount: 1,
  list: null,
  certificate: 'active',
  overrides: [],
  ...over,
});

const company = (over: Partial<CompanyFacts> = {}): CompanyFacts => ({
  yearsActive: 2.5,
  staffCount: 10,
  certifiedStaff: 10,
  staffHealthValid: 8,
  reviewCount: 10,
  ratingSum: 48,
  followUpCount: 5,
  followUpSum: 25,
  completedOrders: 100,
  complaintCount: 2,
  upheldCount: 1,
  respondedCount: 2,
  respondedInSlaCount: 1,
  responseHoursSum: 30,
  list: null,
  overrides: [],
  ...over,
});

const clone = (): ScorecardConfig => JSON.parse(JSON.stringify(defaultScorecard));

describe('Bayesian smoothing (C·m + Σ) / (C + n)', () => {
  test('one 5-star review does not beat a hundred averaging 4.8', () => {
    const one = bayesianMean(5, 1, 4.5, 10);
    const many = bayesianMean(480, 100, 4.5, 10);
    expect(one).toBeCloseTo(50 / 11, 10);
    expect(many).toBeCloseTo(525 / 110, 10);
    expect(many).toBeGreaterThan(one);
  });
  test('no reviews give the prior; no prior gives the plain mean', () => {
    expect(bayesianMean(0, 0, 4.5, 10)).toBe(4.5);
    expect(bayesianMean(9, 2, 4.5, 0)).toBe(4.5);
    expect(bayesianMean(0, 0, 3, 0)).toBe(3);
  });
});

describe('worker scorecard, hand-computed', () => {
  test('every indicator as computed by hand; the score is the sum of contributions', () => {
    const r = scoreWorker(worker(), defaultScorecard);
    const by = Object.fromEntries(r.contributions.map((c) => [c.key, c.centi]));
    expect(by).toEqual({
      identity: 1000,
      health: 1000,
      training: 1000,
      skill_level: 750, // level3 = 0.75 of 10
      rating: 2188, // prior 4.5 → (4.5−1)/4 = 0.875 of 25 = 21.875
      follow_up: 375, // prior 4 → 0.75 of 5
      company_grade: 800, // 4A = 0.8 of 10
      complaints: 750, // one upheld = −0.25 of 10
      list_record: 500,
      certificate: 500,
    });
    expect(r.centi).toBe(8863);
    expect(r.contributions.reduce((a, c) => a + c.centi, 0)).toBe(r.centi);
    expect(r.level).toBe('5'); // 88.63 ≥ 85
  });
  test('a weak record: independent, unverified, no certificate', () => {
    const r = scoreWorker(
      worker({
        companyId: null,
        companyGrade: null,
        identityVerified: false,
        healthValid: false,
        trainingPassed: false,
        skillLevel: null,
        certificate: 'none',
        upheldCount: 4,
        reviewCount: 2,
        ratingSum: 4, // (45 + 4) / 12 = 4.0833 → 0.7708 of 25 = 19.27
      }),
      defaultScorecard,
    );
    expect(r.centi).toBe(1927 + 375 + 500); // rating + follow-up prior + list record
    expect(r.level).toBe('1');
  });
  test('black-listed workers stay at one star whatever the score; an upheld appeal counts its indicator in full', () => {
    const black = scoreWorker(worker({ list: 'black' }), defaultScorecard);
    expect(black.centi).toBe(8863 - 500);
    expect(black.level).toBe('1');
    const appealed = scoreWorker(worker({ overrides: ['complaints'] }), defaultScorecard);
    expect(appealed.centi).toBe(8863 + 250);
  });
  test('an employer not yet rated counts as the middle grade', () => {
    expect(scoreWorker(worker({ companyGrade: null }), defaultScorecard).centi).toBe(8863 - 800 + 600);
  });
});

describe('company scorecard, hand-computed', () => {
  test('every indicator as computed by hand', () => {
    const r = scoreCompany(company(), defaultScorecard);
    const by = Object.fromEntries(r.contributions.map((c) => [c.key, c.centi]));
    expect(by).toEqual({
      certified_staff: 500, // 10 of 20
      years_active: 500, // 2.5 of 5 years
      rating: 1825, // (45 + 48) / 20 = 4.65 → 0.9125 of 20
      follow_up: 875, // (20 + 25) / 10 = 4.5 → 0.875 of 10
      order_volume: 250, // 100 of 200
      complaint_handling: 500, // 1 of 2 in SLA
      staff_documents: 800, // 8 of 10 health certificates valid
      public_credit: 1000,
      complaint_rate: 400, // 2 per 100 orders, ceiling 10 per 100 → 0.8 of 5
      upheld_complaints: 750,
    });
    expect(r.centi).toBe(7400);
    expect(r.level).toBe('3A'); // 74 < 75
    expect(r.contributions.reduce((a, c) => a + c.centi, 0)).toBe(r.centi);
  });
  test('values are capped at the weight; a black-listed company is A', () => {
    const strong = scoreCompany(
      company({
        certifiedStaff: 100,
        yearsActive: 20,
        completedOrders: 10_000,
        complaintCount: 0,
        upheldCount: 0,
      }),
      defaultScorecard,
    );
    expect(strong.contributions.every((c) => c.centi <= c.weight * 100)).toBe(true);
    expect(strong.level).toBe('5A');
    expect(scoreCompany(company({ list: 'black' }), defaultScorecard).level).toBe('A');
  });
});

describe('levels and improvements', () => {
  test('thresholds are inclusive lower bounds', () => {
    expect(levelOf(3999, [40, 55, 70, 85], workerLevels, null)).toBe('1');
    expect(levelOf(4000, [40, 55, 70, 85], workerLevels, null)).toBe('2');
    expect(levelOf(8500, [40, 55, 70, 85], workerLevels, null)).toBe('5');
    expect(levelOf(10000, [40, 55, 70, 85], workerLevels, 'red')).toBe('5');
  });
  test('improvements list the largest gaps first and omit full indicators', () => {
    const r = scoreWorker(worker(), defaultScorecard);
    const imp = improvements(r.contributions);
    expect(imp[0]).toEqual({ key: 'rating', gainCenti: 2500 - 2188 });
    expect(imp.map((i) => i.key)).not.toContain('identity');
    expect(imp.reduce((a, i) => a + i.gainCenti, 0)).toBe(10_000 - r.centi);
  });
});

describe('scorecard validation', () => {
  test('the default is valid', () => {
    expect(validateScorecard(defaultScorecard)).toEqual([]);
  });
  test('weights that do not sum to 100 are refused, naming the subject', () => {
    const c = clone();
    c.worker.weights.rating = 30;
    expect(validateScorecard(c)).toEqual([
      { path: 'worker.weights', message: 'weights must sum to 100 (they sum to 105)' },
    ]);
  });
  test('thresholds out of order or equal are refused', () => {
    const c = clone();
    c.company.thresholds = [45, 75, 60, 88];
    expect(validateScorecard(c)[0]?.path).toBe('company.thresholds.2');
    c.company.thresholds = [45, 60, 60, 88];
    expect(validateScorecard(c)[0]?.path).toBe('company.thresholds.2');
    c.company.thresholds = [0, 60, 70, 88];
    expect(validateScorecard(c)[0]?.path).toBe('company.thresholds.0');
  });
});
