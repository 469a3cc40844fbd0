/** Cohort placement and retention (pure): from each trainee's employments, measured against today. */

export interface EmploymentSpan {
  companyId: string;
  /** YYYY-MM-DD (Asia/Shanghai) */
  startedOn: string;
  endedOn: string | null;
}

export interface TraineeOutcome {
  placed: boolean;
  companyId: string | null;
  placedOn: string | null;
  /** null until 3 (or 6) months have passed since placement. */
  retained3: boolean | null;
  retained6: boolean | null;
}

/** The date `months` months after a day (clamped to the month's last day). */
export function addMonths(dayStr: string, months: number): string {
  const [y, m, d] = dayStr.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/**
 * A trainee is placed by their first employment starting on or after the cohort's arrival (or planned arrival);
 * retained after N months when that employment, or a directly following one, still runs N months after placement.
 */
export function traineeOutcome(arrivalOn: string, spans: EmploymentSpan[], today: string): TraineeOutcome {
  const after = spans
    .filter((s) => s.startedOn >= arrivalOn)
    .sort((a, b) => (a.startedOn < b.startedOn ? -1 : 1));
  const first = after[0];
  if (!first) return { placed: false, companyId: null, placedOn: null, retained3: null, retained6: null };
  const employedOn = (day: string) =>
    after.some((s) => s.startedOn <= day && (s.endedOn === null || s.endedOn > day));
  const at = (months: number) => {
    const mark = addMonths(first.startedOn, months);
    return mark > today ? null : employedOn(mark);
  };
  return {
    placed: true,
    companyId: first.companyId,
    placedOn: first.startedOn,
    retained3: at(3),
    retained6: at(6),
  };
}

export interface CohortSummary {
  trainees: number;
  placed: number;
  /** Trainees whose 3-month mark has passed, and how many of them were still employed. */
  due3: number;
  retained3: number;
  due6: number;
  retained6: number;
}

/** Sums trainee outcomes into the counts regulators report. */
export function summarize(outcomes: TraineeOutcome[]): CohortSummary {
  return {
    trainees: outcomes.length,
    placed: outcomes.filter((o) => o.placed).length,
    due3: outcomes.filter((o) => o.retained3 !== null).length,
    retained3: outcomes.filter((o) => o.retained3 === true).length,
    due6: outcomes.filter((o) => o.retained6 !== null).length,
    retained6: outcomes.filter((o) => o.retained6 === true).length,
  };
}

/** The median of whole days (null for none). */
export function medianDays(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}
