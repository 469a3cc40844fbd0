import { describe, expect, test } from 'vitest';
import { earliestSlot, estimateCancelFee, isoWeekday, quantityFor, recurringVisits } from '../quote';

describe('booking page quote', () => {
  test('ISO weekdays of calendar days', () => {
    expect(isoWeekday('2026-11-30')).toBe(1); // Monday
    expect(isoWeekday('2026-11-29')).toBe(7); // Sunday
  });

  test('recurring visits count the chosen weekdays over the weeks from the start day', () => {
    expect(recurringVisits('2026-11-30', [1, 3], 4)).toBe(8);
    expect(recurringVisits('2026-12-02', [1, 3], 1)).toBe(2); // Wed 2nd, Mon 7th
    expect(recurringVisits('bad', [1], 2)).toBe(0);
  });

  test('quantity by unit and mode (same rules as the server)', () => {
    expect(quantityFor({ mode: 'hourly', startAt: '2026-12-01T10:00:00+08:00', hours: 3 }, 'hour')).toBe(3);
    expect(quantityFor({ mode: 'hourly', startAt: '2026-12-01T10:00:00+08:00', hours: 3 }, 'visit')).toBe(1);
    expect(
      quantityFor({ mode: 'hourly', startAt: '2026-12-01T10:00:00+08:00', hours: 3 }, 'month'),
    ).toBeNull();
    expect(
      quantityFor(
        {
          mode: 'recurring',
          startDate: '2026-11-30',
          weekdays: [1, 3],
          startTime: '09:00',
          hours: 2,
          weeks: 4,
        },
        'hour',
      ),
    ).toBe(16);
    expect(quantityFor({ mode: 'day_care', startDate: '2026-12-01', months: 2 }, 'day')).toBe(52);
    expect(quantityFor({ mode: 'live_in', startDate: '2026-12-01', months: 3 }, 'month')).toBe(3);
    expect(quantityFor({ mode: 'maternity', dueDate: '2027-02-01', stars: 4 }, 'package26')).toBe(1);
  });

  test('the earliest slot is at least 90 minutes ahead, on a quarter hour, in Shanghai time', () => {
    // 10:07 UTC = 18:07 Shanghai → 19:37 → 19:45
    expect(earliestSlot(new Date('2026-11-28T10:07:00Z'))).toEqual({ date: '2026-11-28', time: '19:45' });
    // 15:00 UTC = 23:00 Shanghai → next day 00:30
    expect(earliestSlot(new Date('2026-11-28T15:00:00Z'))).toEqual({ date: '2026-11-29', time: '00:30' });
  });

  test('the cancellation fee shown before confirming follows the stage rule', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const hourly = {
      mode: 'hourly',
      totalFen: 30000,
      visits: 1,
      schedule: { mode: 'hourly' as const, startAt: '2026-11-28T20:00:00+08:00', hours: 2 },
    };
    // Before the company accepts: free, even an hour before.
    expect(
      estimateCancelFee({ ...hourly, state: 'requested', serviceStart: '2026-11-28T11:00:00Z' }, now),
    ).toBe(0);
    // Accepted, 24 hours or more ahead: free.
    expect(
      estimateCancelFee({ ...hourly, state: 'accepted', serviceStart: '2026-11-29T10:00:00Z' }, now),
    ).toBe(0);
    // Accepted, under 24 hours: 20% of one visit.
    expect(
      estimateCancelFee({ ...hourly, state: 'accepted', serviceStart: '2026-11-29T09:59:00Z' }, now),
    ).toBe(6000);
    const recurring = { ...hourly, mode: 'recurring', totalFen: 80000, visits: 8 };
    expect(
      estimateCancelFee({ ...recurring, state: 'accepted', serviceStart: '2026-11-28T12:00:00Z' }, now),
    ).toBe(2000);
    // Long-term: 10% of one month.
    const liveIn = {
      mode: 'live_in',
      totalFen: 1_600_000,
      visits: 1,
      schedule: { mode: 'live_in' as const, startDate: '2026-11-29', months: 2 },
    };
    expect(
      estimateCancelFee({ ...liveIn, state: 'contracted', serviceStart: '2026-11-28T16:00:00Z' }, now),
    ).toBe(80000);
    // 月嫂: 10% of the package.
    const maternity = {
      mode: 'maternity',
      totalFen: 1_500_000,
      visits: 1,
      schedule: { mode: 'maternity' as const, dueDate: '2026-12-05', stars: 4 },
    };
    expect(
      estimateCancelFee({ ...maternity, state: 'accepted', serviceStart: '2026-11-28T16:00:00Z' }, now),
    ).toBe(150000);
  });
});
