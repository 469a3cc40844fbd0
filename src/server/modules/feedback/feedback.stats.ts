import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';

/** Subject of reviews/complaints that credit rates. */
export type RatedSubject = { type: 'worker'; id: string } | { type: 'company'; id: string };

export interface FeedbackStats {
  /** Published reviews about the subject (hidden or flagged ones excluded). */
  reviewCount: number;
  /** Sum over those reviews of the review's overall score (mean of its 1–5 dimensions). */
  ratingSum: number;
  /** Complaints about the subject filed in the 365 days before asOf (any outcome, withdrawn excluded). */
  complaintCount: number;
  /** Of those, upheld against the subject. */
  upheldCount: number;
  /** Complaints the company answered (companies; workers: 0). */
  respondedCount: number;
  /** Answered within the SLA (before respond_by). */
  respondedInSlaCount: number;
  /** Sum of hours from filing to the company's first answer, over answered complaints. */
  responseHoursSum: number;
}

export const emptyStats = (): FeedbackStats => ({
  reviewCount: 0,
  ratingSum: 0,
  complaintCount: 0,
  upheldCount: 0,
  respondedCount: 0,
  respondedInSlaCount: 0,
  responseHoursSum: 0,
});

/**
 * The per-subject figures as one set-based query. `only` narrows every branch to one subject (statsFor), so
 * both paths share one definition and cannot drift apart.
 * Resident reviews rate the order's worker and its company; complaints about a worker also count against its
 * company; complaints about an employer (filed by workers) count against nobody here.
 */
function statsQuery(asOf: Date, only?: RatedSubject): SQL {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  const since = sql`(${asOf.toISOString()}::timestamptz - interval '365 days')`;
  const worker = only ? (only.type === 'worker' ? sql`and worker_id = ${only.id}` : sql`and false`) : sql``;
  const company = only
    ? only.type === 'company'
      ? sql`and company_id = ${only.id}`
      : sql`and false`
    : sql``;
  return sql`
    select subject_type, subject_id,
      sum(review_count)::int as review_count,
      sum(rating_sum)::double precision as rating_sum,
      sum(complaint_count)::int as complaint_count,
      sum(upheld_count)::int as upheld_count,
      sum(responded_count)::int as responded_count,
      sum(responded_in_sla_count)::int as responded_in_sla_count,
      sum(response_hours_sum)::double precision as response_hours_sum
    from (
      select 'worker'::text as subject_type, worker_id as subject_id, 1 as review_count,
        overall::double precision as rating_sum, 0 as complaint_count, 0 as upheld_count, 0 as responded_count,
        0 as responded_in_sla_count, 0::double precision as response_hours_sum
      from review
      where side = 'resident' and state = 'published' and worker_id is not null and created_at <= ${at} ${worker}
      union all
      select 'company'::text, company_id, 1, overall::double precision, 0, 0, 0, 0, 0::double precision
      from review
      where side = 'resident' and state = 'published' and company_id is not null and created_at <= ${at} ${company}
      union all
      select 'worker'::text, worker_id, 0, 0::double precision, 1,
        case when outcome = 'upheld' and decided_at <= ${at} then 1 else 0 end, 0, 0, 0::double precision
      from complaint
      where subject_type = 'worker' and worker_id is not null and state <> 'withdrawn'
        and filed_at > ${since} and filed_at <= ${at} ${worker}
      union all
      select 'company'::text, company_id, 0, 0::double precision, 1,
        case when outcome = 'upheld' and decided_at <= ${at} then 1 else 0 end,
        case when responded_at <= ${at} then 1 else 0 end,
        case when responded_at <= ${at} and responded_at <= respond_by then 1 else 0 end,
        case when responded_at <= ${at}
          then extract(epoch from (responded_at - filed_at))::double precision / 3600
          else 0::double precision end
      from complaint
      where subject_type in ('worker', 'company') and company_id is not null and state <> 'withdrawn'
        and filed_at > ${since} and filed_at <= ${at} ${company}
    ) s
    group by subject_type, subject_id`;
}

/** The figures for every subject, as a subquery for credit: `(${statsSql(asOf)}) as fb`. */
export function statsSql(asOf: Date): SQL {
  return statsQuery(asOf);
}

interface StatsRow {
  review_count: number | string;
  rating_sum: number | string;
  complaint_count: number | string;
  upheld_count: number | string;
  responded_count: number | string;
  responded_in_sla_count: number | string;
  response_hours_sum: number | string;
}

/** One subject's figures (the same definitions as its statsSql row). */
export async function statsFor(db: DbOrTx, subject: RatedSubject, asOf: Date): Promise<FeedbackStats> {
  const res = await db.execute(statsQuery(asOf, subject));
  const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as StatsRow[];
  const r = rows[0];
  if (!r) return emptyStats();
  return {
    reviewCount: Number(r.review_count),
    ratingSum: Number(r.rating_sum),
    complaintCount: Number(r.complaint_count),
    upheldCount: Number(r.upheld_count),
    respondedCount: Number(r.responded_count),
    respondedInSlaCount: Number(r.responded_in_sla_count),
    responseHoursSum: Number(r.response_hours_sum),
  };
}
