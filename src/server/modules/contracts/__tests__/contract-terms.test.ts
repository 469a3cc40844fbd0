import { describe, expect, test } from 'vitest';
import { liveIn } from './fixtures.js';
import {
  applyEdit,
  canonicalJson,
  changedFields,
  checkTerms,
  type ContractTerms,
  contractEditSchema,
} from '../contract-terms.js';

const rules = (t: ContractTerms) => checkTerms(t).map((v) => v.rule);

describe('clause checks', () => {
  test('a sound live-in contract passes', () => expect(checkTerms(liveIn())).toEqual([]));
  test('fewer than 2 rest days a month for live-in is refused; 2 is enough', () => {
    expect(rules(liveIn({ restDaysPerMonth: 1 }))).toEqual(['rest_days']);
    expect(rules(liveIn({ restDaysPerMonth: 2 }))).toEqual([]);
    expect(rules(liveIn({ mode: 'day_care', sleepHoursPerDay: null, restDaysPerMonth: 0 }))).toEqual([
      'rest_days',
    ]);
  });
  test('a 月嫂 package has no rest-day minimum but needs 8 hours of sleep', () => {
    expect(rules(liveIn({ mode: 'maternity', restDaysPerMonth: 0, dailyHours: 12 }))).toEqual([]);
    expect(rules(liveIn({ mode: 'maternity', restDaysPerMonth: 0, sleepHoursPerDay: 6 }))).toEqual([
      'sleep_hours',
    ]);
    expect(rules(liveIn({ sleepHoursPerDay: null }))).toEqual(['sleep_hours']);
  });
  test('instalments must add up to the total fee', () => {
    expect(rules(liveIn({ totalFeeFen: 2_100_001 }))).toEqual(['payment_total']);
  });
  test('trial 1–15 days, replacement within 3 days (agency only), insurance, holiday pay, deposit, wage, term, hours', () => {
    expect(rules(liveIn({ trialDays: 0 }))).toEqual(['trial_period']);
    expect(rules(liveIn({ trialDays: 16 }))).toEqual(['trial_period']);
    expect(rules(liveIn({ replacementWithinDays: 5 }))).toEqual(['replacement']);
    expect(rules(liveIn({ kind: 'employee', replacementWithinDays: 0 }))).toEqual([]);
    expect(rules(liveIn({ accidentInsurance: false }))).toEqual(['insurance']);
    expect(rules(liveIn({ holidayPayMultiplier: 0.5 }))).toEqual(['holiday_pay']);
    expect(rules(liveIn({ depositFen: 700_001 }))).toEqual(['deposit']);
    expect(rules(liveIn({ monthlyWageFen: 0 }))).toEqual(['wage']);
    expect(rules(liveIn({ monthlyWageFen: 800_000 }))).toEqual(['wage']);
    expect(rules(liveIn({ endDate: '2026-01-01' }))).toEqual(['term']);
    expect(rules(liveIn({ dailyHours: 17 }))).toEqual(['daily_hours']);
  });
  test('each violation names the field and says why in Chinese and English', () => {
    const [v] = checkTerms(liveIn({ restDaysPerMonth: 0 }));
    expect(v).toMatchObject({ field: 'restDaysPerMonth' });
    expect(v!.zh).toContain('2 天');
    expect(v!.en).toContain('2 rest days');
  });
});

describe('editing negotiable fields', () => {
  test('an edit changes only negotiable fields and reports which', () => {
    const before = liveIn();
    const after = applyEdit(before, { restDaysPerMonth: 6, trialDays: 10 });
    expect(after.restDaysPerMonth).toBe(6);
    expect(changedFields(before, after)).toEqual(['restDaysPerMonth', 'trialDays']);
  });
  test('fixed fields (parties, fee, dates) cannot be edited', () => {
    expect(contractEditSchema.strict().safeParse({ totalFeeFen: 1 }).success).toBe(false);
    expect(contractEditSchema.strict().safeParse({ consumer: { name: 'x' } }).success).toBe(false);
    expect(contractEditSchema.strict().safeParse({ depositFen: 5 }).success).toBe(true);
  });
  test('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});
