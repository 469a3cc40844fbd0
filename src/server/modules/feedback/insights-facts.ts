import { type SQL, sql } from 'drizzle-orm';
import { complaint } from './feedback.tables.js';

/**
 * Complaints per filing month (Asia/Shanghai `YYYY-MM`) and district for the insights rollups, as a subquery for
 * FROM: month, district, filed, answered (the company answered), answered_in_sla (answered before respond_by),
 * sla_due (answered, or the SLA ran out before `asOf`: the denominator of the within-SLA share).
 */
export function complaintInsightsSql(asOf: Date): SQL {
  const c = complaint;
  const at = sql`${asOf.toISOString()}::timestamptz`;
  return sql`select to_char(${c.filedAt} at time zone 'Asia/Shanghai', 'YYYY-MM') as month, ${c.district} as district,
    count(*)::int as filed,
    count(*) filter (where ${c.respondedAt} is not null)::int as answered,
    count(*) filter (where ${c.respondedAt} is not null and ${c.respondedAt} <= ${c.respondBy})::int as answered_in_sla,
    count(*) filter (where ${c.respondedAt} is not null or ${c.respondBy} < ${at})::int as sla_due
    from ${c} group by 1, 2`;
}
