import type { OrderDetail, Schedule } from './orders.types';

/**
 * What the booking page shows before sending: how many priced units a schedule is and their price. The server
 * prices the order again from the company's current list (its answer is what the order page shows).
 */

/** ISO weekday (1 = Monday) of a YYYY-MM-DD calendar day. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return ((d + 6) % 7) + 1;
}

/** Visits a recurring schedule makes: the chosen weekdays over `weeks` weeks from the start day. */
export function recurringVisits(startDate: string, weekdays: number[], weeks: number): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || weeks < 1) return 0;
  const first = isoWeekday(startDate);
  let n = 0;
  for (let i = 0; i < weeks * 7; i++) if (weekdays.includes(((first - 1 + i) % 7) + 1)) n++;
  return n;
}

/** Units of the price item a schedule is, or null when that unit does not fit the mode. */
export function quantityFor(s: Schedule, unit: string): number | null {
  switch (s.mode) {
    case 'hourly':
      return unit === 'hour' ? s.hours : unit === 'visit' ? 1 : null;
    case 'recurring': {
      const visits = recurringVisits(s.startDate, s.weekdays, s.weeks);
      return unit === 'hour' ? s.hours * visits : unit === 'visit' ? visits : null;
    }
    case 'day_care':
      return unit === 'month' ? s.months : unit === 'day' ? s.months * 26 : null;
    case 'live_in':
      return unit === 'month' ? s.months : null;
    case 'maternity':
      return unit === 'package26' ? 1 : unit === 'day' ? 26 : null;
  }
}

/** The earliest slot the page offers: 90 minutes from now (the server refuses under one hour), on a quarter hour. */
export function earliestSlot(now: Date): { date: string; time: string } {
  const q = 15 * 60_000;
  const t = Math.ceil((now.getTime() + 90 * 60_000) / q) * q;
  const sh = new Date(t + 8 * 3600_000).toISOString();
  return { date: sh.slice(0, 10), time: sh.slice(11, 16) };
}

/** Every quarter hour of a day, "00:00" … "23:45". */
export const quarterHours: string[] = Array.from({ length: 96 }, (_, i) => {
  const h = Math.floor(i / 4);
  const m = (i % 4) * 15;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
});

/**
 * The fee a resident would owe on cancelling now, shown before they confirm (the rule of the server's
 * schedule.ts `cancellationFee`; the server computes the fee it records):
 * free before the company accepts or 24 hours or more ahead; later, 20% of one visit (hourly, recurring) or 10% of
 * one month's fee or of the package (long-term).
 */
export function estimateCancelFee(
  o: Pick<OrderDetail, 'state' | 'serviceStart' | 'mode' | 'totalFen' | 'visits' | 'schedule'>,
  now: Date,
): number {
  if (o.state === 'requested') return 0;
  if (new Date(o.serviceStart).getTime() - now.getTime() >= 24 * 3600_000) return 0;
  if (o.mode === 'hourly' || o.mode === 'recurring')
    return Math.round((o.totalFen / Math.max(1, o.visits)) * 0.2);
  const months = 'months' in o.schedule ? o.schedule.months : 1;
  return Math.round((o.totalFen / Math.max(1, months)) * 0.1);
}
