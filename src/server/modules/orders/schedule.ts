import type { PriceUnit, ServiceMode } from '../../../shared/domain.js';
import type { Schedule } from '../../../shared/orders.js';

/**
 * Turning what a resident asks for into the worker's booked time and the order's price (pure, no I/O).
 * Times of day are Asia/Shanghai (UTC+8, no daylight saving); instants are UTC Dates.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;

export type { Schedule };

export interface Period {
  startsAt: Date;
  endsAt: Date;
}

export type ScheduleError = 'in_the_past' | 'too_far' | 'bad_schedule';

/** Earliest start: one hour from now, so the company has time to answer. */
export const MIN_LEAD_MS = HOUR;
/** Latest start of a booking: one year ahead. */
export const MAX_AHEAD_MS = 366 * DAY;
/** A 月嫂 is held from a week before the due date to a week after the 26 days (births do not keep dates). */
export const MATERNITY_BUFFER_DAYS = 7;
export const MATERNITY_DAYS = 26;
/** Day care runs 08:00–18:00 on working days; the booking holds the whole span. */
export const DAY_CARE_HOURS = { from: 8, to: 18 } as const;

/** Midnight of a Shanghai calendar day as a UTC instant. */
export function shanghaiMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI);
}

/** The Shanghai calendar day of an instant (YYYY-MM-DD). */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + SHANGHAI).toISOString().slice(0, 10);
}

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = (y * 12 + (m - 1) + months) as number;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function validDate(s: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(s) &&
    !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
    new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s
  );
}

/** The periods the worker is held for, one per visit (hourly, recurring) or one span (long-term). */
export function bookingPeriods(
  s: Schedule,
  now: Date,
): { ok: true; periods: Period[] } | { ok: false; error: ScheduleError } {
  let periods: Period[];
  switch (s.mode) {
    case 'hourly': {
      const start = new Date(s.startAt);
      if (Number.isNaN(start.getTime()) || !Number.isInteger(s.hours) || s.hours < 1 || s.hours > 12)
        return { ok: false, error: 'bad_schedule' };
      if (start.getTime() < now.getTime() + MIN_LEAD_MS) return { ok: false, error: 'in_the_past' };
      // Visits start on the quarter hour, like every booking app's slot picker.
      if (start.getTime() % (15 * 60_000) !== 0) return { ok: false, error: 'bad_schedule' };
      periods = [{ startsAt: start, endsAt: new Date(start.getTime() + s.hours * HOUR) }];
      break;
    }
    case 'recurring': {
      const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s.startTime);
      const days = new Set(s.weekdays);
      if (
        !m ||
        !validDate(s.startDate) ||
        days.size === 0 ||
        days.size !== s.weekdays.length ||
        s.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7) ||
        !Number.isInteger(s.hours) ||
        s.hours < 1 ||
        s.hours > 8 ||
        !Number.isInteger(s.weeks) ||
        s.weeks < 1 ||
        s.weeks > 12 ||
        Number(m[2]) % 15 !== 0
      )
        return { ok: false, error: 'bad_schedule' };
      const offset = (Number(m[1]) * 60 + Number(m[2])) * 60_000;
      const first = shanghaiMidnight(s.startDate).getTime();
      periods = [];
      for (let i = 0; i < s.weeks * 7; i++) {
        const dayStart = first + i * DAY;
        // ISO weekday of the Shanghai day: 1 = Monday … 7 = Sunday.
        const wd = ((new Date(dayStart + SHANGHAI).getUTCDay() + 6) % 7) + 1;
        if (!days.has(wd)) continue;
        const startsAt = new Date(dayStart + offset);
        periods.push({ startsAt, endsAt: new Date(startsAt.getTime() + s.hours * HOUR) });
      }
      break;
    }
    case 'day_care':
    case 'live_in': {
      if (!validDate(s.startDate) || !Number.isInteger(s.months) || s.months < 1 || s.months > 24)
        return { ok: false, error: 'bad_schedule' };
      const from = shanghaiMidnight(s.startDate);
      const to = shanghaiMidnight(addMonths(s.startDate, s.months));
      periods =
        s.mode === 'live_in'
          ? [{ startsAt: from, endsAt: to }]
          : [
              {
                startsAt: new Date(from.getTime() + DAY_CARE_HOURS.from * HOUR),
                endsAt: new Date(to.getTime() - DAY + DAY_CARE_HOURS.to * HOUR),
              },
            ];
      break;
    }
    case 'maternity': {
      if (!validDate(s.dueDate) || !Number.isInteger(s.stars) || s.stars < 1 || s.stars > 6)
        return { ok: false, error: 'bad_schedule' };
      const due = shanghaiMidnight(s.dueDate).getTime();
      periods = [
        {
          startsAt: new Date(due - MATERNITY_BUFFER_DAYS * DAY),
          endsAt: new Date(due + (MATERNITY_DAYS + MATERNITY_BUFFER_DAYS) * DAY),
        },
      ];
      // The due date itself must be ahead; the buffer before it may already have begun.
      if (due < now.getTime() + MIN_LEAD_MS) return { ok: false, error: 'in_the_past' };
      if (due > now.getTime() + MAX_AHEAD_MS) return { ok: false, error: 'too_far' };
      return { ok: true, periods };
    }
  }
  if (periods.length === 0) return { ok: false, error: 'bad_schedule' };
  const first = periods[0]!.startsAt.getTime();
  if (first < now.getTime() + MIN_LEAD_MS) return { ok: false, error: 'in_the_past' };
  if (first > now.getTime() + MAX_AHEAD_MS) return { ok: false, error: 'too_far' };
  return { ok: true, periods };
}

/** How many priced units a schedule is, in the unit the company quotes. Null when the unit does not fit the mode. */
export function quantityOf(s: Schedule, unit: PriceUnit, periods: Period[]): number | null {
  switch (s.mode) {
    case 'hourly':
      return unit === 'hour' ? s.hours : unit === 'visit' ? 1 : null;
    case 'recurring':
      return unit === 'hour' ? s.hours * periods.length : unit === 'visit' ? periods.length : null;
    case 'day_care':
      // A month of day care is 26 working days (the 月嫂/保姆 market's month).
      return unit === 'month' ? s.months : unit === 'day' ? s.months * 26 : null;
    case 'live_in':
      return unit === 'month' ? s.months : null;
    case 'maternity':
      return unit === 'package26' ? 1 : unit === 'day' ? MATERNITY_DAYS : null;
  }
}

/** Modes each unit may be quoted for. */
export function unitFitsMode(unit: PriceUnit, mode: ServiceMode): boolean {
  return quantityOf(sampleOf(mode), unit, [{ startsAt: new Date(0), endsAt: new Date(0) }]) !== null;
}

function sampleOf(mode: ServiceMode): Schedule {
  switch (mode) {
    case 'hourly':
      return { mode, startAt: '', hours: 1 };
    case 'recurring':
      return { mode, startDate: '', weekdays: [1], startTime: '09:00', hours: 1, weeks: 1 };
    case 'day_care':
    case 'live_in':
      return { mode, startDate: '', months: 1 };
    case 'maternity':
      return { mode, dueDate: '', stars: 1 };
  }
}

/** Total price in fen: quantity × unit price (integers, so exact). */
export const totalFen = (unitPriceFen: number, quantity: number): number => unitPriceFen * quantity;

/**
 * Cancellation fee the resident owes (fen), by stage:
 * - before the company accepts, or 24 hours or more before the service starts: nothing;
 * - later than that, short-term (hourly, recurring): 20% of one visit's price;
 * - later than that, long-term (day care, live-in, 月嫂): 10% of one month's fee (or of the package).
 * A company or the system cancelling costs the resident nothing (the company's cancellation counts against its
 * credit instead).
 */
export function cancellationFee(input: {
  by: 'resident' | 'company' | 'system';
  state: 'requested' | 'accepted' | 'contracted';
  mode: ServiceMode;
  serviceStart: Date;
  now: Date;
  totalFen: number;
  visits: number;
  months: number;
}): number {
  if (input.by !== 'resident' || input.state === 'requested') return 0;
  if (input.serviceStart.getTime() - input.now.getTime() >= 24 * HOUR) return 0;
  if (input.mode === 'hourly' || input.mode === 'recurring')
    return Math.round((input.totalFen / Math.max(1, input.visits)) * 0.2);
  return Math.round((input.totalFen / Math.max(1, input.months)) * 0.1);
}

/** A request nobody answers expires 24 hours after it was made, or 30 minutes before the service would start. */
export function requestExpiry(createdAt: Date, serviceStart: Date): Date {
  return new Date(Math.min(createdAt.getTime() + 24 * HOUR, serviceStart.getTime() - 30 * 60_000));
}

/** An order in service is confirmed automatically three days after its last booked period ends. */
export const AUTO_CONFIRM_MS = 3 * DAY;
/** A completed order closes when its follow-up is recorded, or 15 days after completion. */
export const CLOSE_AFTER_MS = 15 * DAY;
/** The company may start a service up to two hours before its booked start. */
export const EARLY_START_MS = 2 * HOUR;
/** Follow-up (回访) is due three days after completion. */
export const FOLLOW_UP_DUE_MS = 3 * DAY;
