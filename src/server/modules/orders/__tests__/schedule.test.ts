import { describe, expect, test } from 'vitest';
import {
  bookingPeriods,
  cancellationFee,
  quantityOf,
  requestExpiry,
  type Schedule,
  shanghaiDate,
  shanghaiMidnight,
  unitFitsMode,
} from '../schedule.js';

// 2026-06-01 is a Monday. Now: 2026-05-31 10:00 Shanghai (02:00 UTC).
const now = new Date('2026-05-31T02:00:00Z');
const periods = (s: Schedule) => {
  const r = bookingPeriods(s, now);
  if (!r.ok) throw new Error(r.error);
  return r.periods;
};

describe('booking periods', () => {
  test('an hourly visit holds its hours', () => {
    const [p] = periods({ mode: 'hourly', startAt: '2026-06-01T09:00:00+08:00', hours: 3 });
    expect(p).toEqual({
      startsAt: new Date('2026-06-01T01:00:00Z'),
      endsAt: new Date('2026-06-01T04:00:00Z'),
    });
  });

  test('recurring visits fall on the chosen Shanghai weekdays for the chosen weeks', () => {
    const ps = periods({
      mode: 'recurring',
      startDate: '2026-06-01',
      weekdays: [1, 3, 5],
      startTime: '14:30',
      hours: 2,
      weeks: 2,
    });
    expect(ps.map((p) => p.startsAt.toISOString())).toEqual([
      '2026-06-01T06:30:00.000Z',
      '2026-06-03T06:30:00.000Z',
      '2026-06-05T06:30:00.000Z',
      '2026-06-08T06:30:00.000Z',
      '2026-06-10T06:30:00.000Z',
      '2026-06-12T06:30:00.000Z',
    ]);
    expect(ps.every((p) => p.endsAt.getTime() - p.startsAt.getTime() === 2 * 3600_000)).toBe(true);
  });

  test('a Sunday visit at 07:00 Shanghai is still Sunday (the weekday is Shanghai’s, not UTC’s)', () => {
    const ps = periods({
      mode: 'recurring',
      startDate: '2026-06-01',
      weekdays: [7],
      startTime: '07:00',
      hours: 1,
      weeks: 1,
    });
    expect(ps.map((p) => shanghaiDate(p.startsAt))).toEqual(['2026-06-07']);
  });

  test('live-in holds whole months; month ends clamp (Jan 31 + 1 month = Feb 28)', () => {
    const [p] = periods({ mode: 'live_in', startDate: '2027-01-31', months: 1 });
    expect(p!.startsAt).toEqual(shanghaiMidnight('2027-01-31'));
    expect(p!.endsAt).toEqual(shanghaiMidnight('2027-02-28'));
  });

  test('day care spans 08:00 on the first day to 18:00 on the last', () => {
    const [p] = periods({ mode: 'day_care', startDate: '2026-06-01', months: 2 });
    expect(p!.startsAt.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(p!.endsAt.toISOString()).toBe('2026-07-31T10:00:00.000Z');
  });

  test('a 月嫂 is held from a week before the due date to a week after the 26 days', () => {
    const [p] = periods({ mode: 'maternity', dueDate: '2026-07-10', stars: 4 });
    expect(shanghaiDate(p!.startsAt)).toBe('2026-07-03');
    expect(shanghaiDate(p!.endsAt)).toBe('2026-08-12');
  });

  test('refused: in the past, under an hour ahead, over a year ahead, off the quarter hour, bad fields', () => {
    const err = (s: Schedule) => {
      const r = bookingPeriods(s, now);
      return r.ok ? null : r.error;
    };
    expect(err({ mode: 'hourly', startAt: '2026-05-30T09:00:00+08:00', hours: 2 })).toBe('in_the_past');
    expect(err({ mode: 'hourly', startAt: '2026-05-31T10:30:00+08:00', hours: 2 })).toBe('in_the_past');
    expect(err({ mode: 'hourly', startAt: '2027-06-05T10:00:00+08:00', hours: 2 })).toBe('too_far');
    expect(err({ mode: 'hourly', startAt: '2026-06-01T09:10:00+08:00', hours: 2 })).toBe('bad_schedule');
    expect(err({ mode: 'hourly', startAt: '2026-06-01T09:00:00+08:00', hours: 0 })).toBe('bad_schedule');
    expect(
      err({
        mode: 'recurring',
        startDate: '2026-06-31',
        weekdays: [1],
        startTime: '09:00',
        hours: 2,
        weeks: 1,
      }),
    ).toBe('bad_schedule');
    expect(
      err({
        mode: 'recurring',
        startDate: '2026-06-01',
        weekdays: [1, 1],
        startTime: '09:00',
        hours: 2,
        weeks: 1,
      }),
    ).toBe('bad_schedule');
    expect(
      err({
        mode: 'recurring',
        startDate: '2026-06-01',
        weekdays: [8],
        startTime: '09:00',
        hours: 2,
        weeks: 1,
      }),
    ).toBe('bad_schedule');
    expect(err({ mode: 'live_in', startDate: '2026-06-01', months: 0 })).toBe('bad_schedule');
    expect(err({ mode: 'maternity', dueDate: '2026-05-31', stars: 3 })).toBe('in_the_past');
  });
});

describe('pricing', () => {
  test('quantity follows the unit the company quotes', () => {
    const rec: Schedule = {
      mode: 'recurring',
      startDate: '2026-06-01',
      weekdays: [2, 4],
      startTime: '09:00',
      hours: 3,
      weeks: 4,
    };
    const ps = periods(rec);
    expect(ps).toHaveLength(8);
    expect(quantityOf(rec, 'hour', ps)).toBe(24);
    expect(quantityOf(rec, 'visit', ps)).toBe(8);
    expect(quantityOf(rec, 'month', ps)).toBeNull();
    expect(quantityOf({ mode: 'live_in', startDate: '2026-06-01', months: 3 }, 'month', [])).toBe(3);
    expect(quantityOf({ mode: 'live_in', startDate: '2026-06-01', months: 3 }, 'hour', [])).toBeNull();
    expect(quantityOf({ mode: 'maternity', dueDate: '2026-07-01', stars: 3 }, 'package26', [])).toBe(1);
    expect(unitFitsMode('hour', 'hourly')).toBe(true);
    expect(unitFitsMode('month', 'hourly')).toBe(false);
    expect(unitFitsMode('package26', 'maternity')).toBe(true);
  });

  test('cancellation fee by stage and party', () => {
    const base = {
      mode: 'hourly' as const,
      serviceStart: new Date(now.getTime() + 10 * 3600_000),
      now,
      totalFen: 30_000,
      visits: 1,
      months: 1,
    };
    expect(cancellationFee({ ...base, by: 'resident', state: 'requested' })).toBe(0);
    expect(cancellationFee({ ...base, by: 'resident', state: 'accepted' })).toBe(6_000);
    expect(cancellationFee({ ...base, by: 'company', state: 'accepted' })).toBe(0);
    expect(
      cancellationFee({
        ...base,
        by: 'resident',
        state: 'accepted',
        serviceStart: new Date(now.getTime() + 25 * 3600_000),
      }),
    ).toBe(0);
    expect(
      cancellationFee({ ...base, by: 'resident', state: 'accepted', mode: 'recurring', visits: 6 }),
    ).toBe(1_000);
    expect(
      cancellationFee({
        ...base,
        by: 'resident',
        state: 'contracted',
        mode: 'live_in',
        totalFen: 2_100_000,
        months: 3,
      }),
    ).toBe(70_000);
  });

  test('a request expires after 24 hours, or 30 minutes before the slot when that is sooner', () => {
    expect(requestExpiry(now, new Date(now.getTime() + 72 * 3600_000))).toEqual(
      new Date(now.getTime() + 24 * 3600_000),
    );
    expect(requestExpiry(now, new Date(now.getTime() + 3 * 3600_000))).toEqual(
      new Date(now.getTime() + 150 * 60_000),
    );
  });
});
