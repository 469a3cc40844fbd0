import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addDays, periodEnd, splitPremium, subsidyFen, sumSplits } from '../premium.js';

describe('subsidy = min(floor(premium × share), cap)', () => {
  test('worked examples', () => {
    expect(subsidyFen(12_000, 5_000, 10_000)).toBe(6_000); // 50% of 120.00 元
    expect(subsidyFen(12_001, 5_000, 10_000)).toBe(6_000); // half a fen rounds down (public money)
    expect(subsidyFen(30_000, 5_000, 10_000)).toBe(10_000); // capped at 100.00 元
    expect(subsidyFen(9_999, 3_333, 100_000)).toBe(3_332); // 3332.6667 → 3332
    expect(subsidyFen(12_000, 0, 10_000)).toBe(0);
    expect(subsidyFen(12_000, 10_000, 0)).toBe(0);
  });

  test('refuses inputs that are not fen or basis points', () => {
    expect(() => subsidyFen(1.5, 5_000, 0)).toThrow(RangeError);
    expect(() => subsidyFen(100, 10_001, 0)).toThrow(RangeError);
    expect(() => subsidyFen(-1, 5_000, 0)).toThrow(RangeError);
  });

  test('property: never above the cap, never above the exact share, within a fen of it when uncapped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (premium, bp, cap) => {
          const s = subsidyFen(premium, bp, cap);
          expect(Number.isInteger(s)).toBe(true);
          expect(s).toBeLessThanOrEqual(cap);
          expect(s * 10_000).toBeLessThanOrEqual(premium * bp);
          if (s < cap) expect((s + 1) * 10_000).toBeGreaterThan(premium * bp);
        },
      ),
    );
  });
});

describe('splitPremium', () => {
  test('the enroller pays the rest when no split is given', () => {
    expect(splitPremium({ premiumFen: 12_000, shareBp: 5_000, capFen: 10_000, payer: 'company' })).toEqual({
      ok: true,
      split: { premiumFen: 12_000, subsidyFen: 6_000, companyFen: 6_000, workerFen: 0 },
    });
    expect(splitPremium({ premiumFen: 12_000, shareBp: 5_000, capFen: 5_000, payer: 'worker' })).toEqual({
      ok: true,
      split: { premiumFen: 12_000, subsidyFen: 5_000, companyFen: 0, workerFen: 7_000 },
    });
  });

  test('a given split must add up to the premium with the subsidy', () => {
    const base = { premiumFen: 12_000, shareBp: 5_000, capFen: 10_000, payer: 'company' as const };
    expect(splitPremium({ ...base, given: { companyFen: 4_000, workerFen: 2_000 } })).toEqual({
      ok: true,
      split: { premiumFen: 12_000, subsidyFen: 6_000, companyFen: 4_000, workerFen: 2_000 },
    });
    expect(splitPremium({ ...base, given: { companyFen: 4_000, workerFen: 2_001 } })).toEqual({
      ok: false,
      error: 'split_mismatch',
    });
    expect(splitPremium({ ...base, given: { companyFen: 6_000, workerFen: 0.5 } })).toEqual({
      ok: false,
      error: 'bad_input',
    });
    expect(splitPremium({ ...base, premiumFen: 0 })).toEqual({ ok: false, error: 'bad_input' });
  });

  test('property: every accepted split adds up exactly and has no negative share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom('company' as const, 'worker' as const),
        fc.option(fc.record({ companyFen: fc.nat(10_000_000), workerFen: fc.nat(10_000_000) }), {
          nil: null,
        }),
        (premiumFen, shareBp, capFen, payer, given) => {
          const r = splitPremium({ premiumFen, shareBp, capFen, payer, given });
          if (!r.ok) {
            expect(given).not.toBeNull();
            return;
          }
          const s = r.split;
          expect(s.subsidyFen + s.companyFen + s.workerFen).toBe(premiumFen);
          expect(Math.min(s.subsidyFen, s.companyFen, s.workerFen)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  test('property: totals equal the sum of their parts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            premiumFen: fc.integer({ min: 1, max: 1_000_000 }),
            shareBp: fc.integer({ min: 0, max: 10_000 }),
            capFen: fc.nat(1_000_000),
          }),
          { maxLength: 50 },
        ),
        (rows) => {
          const splits = rows.map((r) => {
            const x = splitPremium({ ...r, payer: 'company' });
            if (!x.ok) throw new Error('unexpected');
            return x.split;
          });
          const t = sumSplits(splits);
          expect(t.subsidyFen).toBe(splits.reduce((a, s) => a + s.subsidyFen, 0));
          expect(t.subsidyFen + t.companyFen + t.workerFen).toBe(t.premiumFen);
        },
      ),
    );
  });
});

describe('periods', () => {
  test('a period ends the day before the same date a period later, clamped to month ends', () => {
    expect(periodEnd('2026-03-01', 12)).toBe('2027-02-28');
    expect(periodEnd('2026-01-31', 1)).toBe('2026-02-27');
    expect(periodEnd('2027-12-15', 1)).toBe('2028-01-14');
    expect(periodEnd('2028-02-29', 12)).toBe('2029-02-27');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
