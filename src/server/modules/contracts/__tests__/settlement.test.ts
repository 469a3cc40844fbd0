import { describe, expect, test } from 'vitest';
import { computeSettlement } from '../settlement.js';
import { liveIn } from './fixtures.js';

// A 89-day term (2026-01-01 .. 2026-03-31), 21,000 yuan in three instalments, agency fee 700, deposit 1,400.
describe('termination settlements', () => {
  test('ended before the service starts: nothing served or paid; deposit and the whole agency fee back', () => {
    const s = computeSettlement(liveIn(), '2026-01-01');
    expect(s).toMatchObject({
      totalDays: 89,
      servedDays: 0,
      servedFeeFen: 0,
      paidFen: 0,
      feeRefundFen: 0,
      feeOwedFen: 0,
    });
    expect(s.depositRefundFen).toBe(140_000);
    expect(s.agencyFeeRefundFen).toBe(70_000);
    expect(s.netToConsumerFen).toBe(210_000);
  });
  test('ended mid-month: the first month is paid, 20 days served; the unserved prepaid part comes back, pro rata', () => {
    const s = computeSettlement(liveIn(), '2026-01-21');
    expect(s.servedDays).toBe(20);
    expect(s.paidFen).toBe(700_000);
    expect(s.servedFeeFen).toBe(Math.round((2_100_000 * 20) / 89));
    expect(s.feeRefundFen).toBe(700_000 - s.servedFeeFen);
    expect(s.agencyFeeRefundFen).toBe(Math.round((70_000 * 69) / 89));
    expect(s.netToConsumerFen).toBe(s.feeRefundFen + 140_000 + s.agencyFeeRefundFen);
  });
  test('served days not yet paid are owed by the consumer (net can be negative)', () => {
    const t = liveIn({
      paymentSchedule: [{ dueDate: '2026-03-31', amountFen: 2_100_000 }],
      depositFen: 0,
      agencyFeeRefund: 'none',
    });
    const s = computeSettlement(t, '2026-02-15');
    expect(s.paidFen).toBe(0);
    expect(s.feeOwedFen).toBe(s.servedFeeFen);
    expect(s.agencyFeeRefundFen).toBe(0);
    expect(s.netToConsumerFen).toBe(-s.servedFeeFen);
  });
  test('agency fee "full_in_trial": full refund inside the trial, pro rata after it', () => {
    const t = liveIn({ agencyFeeRefund: 'full_in_trial', trialDays: 7 });
    expect(computeSettlement(t, '2026-01-05').agencyFeeRefundFen).toBe(70_000);
    expect(computeSettlement(t, '2026-01-11').agencyFeeRefundFen).toBe(Math.round((70_000 * 79) / 89));
  });
  test('at the end of the term everything is served and paid', () => {
    const s = computeSettlement(liveIn(), '2026-03-31');
    expect(s).toMatchObject({
      servedDays: 89,
      servedFeeFen: 2_100_000,
      paidFen: 2_100_000,
      feeRefundFen: 0,
      feeOwedFen: 0,
      agencyFeeRefundFen: 0,
    });
  });
});
