import { AppError } from '../../platform/errors.js';

/** Longest dashboard period, in months. */
export const MAX_DASHBOARD_MONTHS = 36;

/** Calendar month in Asia/Shanghai (UTC+8, no daylight saving) as YYYY-MM. */
export function shanghaiMonth(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}

/** Calendar day in Asia/Shanghai as YYYY-MM-DD. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Adds months to a YYYY-MM month. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` inclusive (0 or negative when reversed). */
export function monthSpan(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return ty * 12 + tm - (fy * 12 + fm) + 1;
}

/** Every month of the period in order. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/**
 * The dashboard's period: defaults to the 12 months ending in the current one; refuses a reversed period and one
 * longer than 36 months.
 */
export function resolvePeriod(now: Date, from?: string, to?: string): { from: string; to: string } {
  const end = to ?? shanghaiMonth(now);
  const start = from ?? addMonths(end, -11);
  const span = monthSpan(start, end);
  if (span < 1) throw new AppError('INSIGHTS_RANGE_REVERSED');
  if (span > MAX_DASHBOARD_MONTHS) throw new AppError('INSIGHTS_RANGE_TOO_LARGE');
  return { from: start, to: end };
}

/** UTC instant where a Shanghai day starts. */
export const shanghaiDayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
