/**
 * Adds working days (Monday–Friday) to a YYYY-MM-DD day. Public holidays and 调休 make-up days are not modelled:
 * the deadline can only be earlier than the legal one, never later.
 */
export function addWorkingDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** Calendar day in Asia/Shanghai (UTC+8, no daylight saving) as YYYY-MM-DD. */
export const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The legal answer time for a deletion request: 15 working days. */
export const DELETION_WORKING_DAYS = 15;
