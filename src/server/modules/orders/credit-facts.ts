import { type SQL, sql } from 'drizzle-orm';
import { followUp, serviceOrder } from './orders.tables.js';

/**
 * Completed orders and follow-up (回访) satisfaction per worker and per company, for the credit scorecard, as a
 * subquery for FROM: subject_type ('worker' | 'company'), subject_id, completed_count (orders completed or
 * closed), follow_up_count and follow_up_sum (done follow-ups with a satisfaction score, 1–5). Subjects with no
 * orders are absent. Filter outside on subject_type and subject_id (both are grouping keys, so it is pushed down).
 */
export function orderCreditStatsSql(): SQL {
  const branch = (
    type: 'worker' | 'company',
    col: SQL,
  ) => sql`select ${type}::text as subject_type, ${col} as subject_id,
      count(distinct o.id) filter (where o.state in ('completed', 'closed'))::int as completed_count,
      count(f.satisfaction)::int as follow_up_count,
      coalesce(sum(f.satisfaction), 0)::int as follow_up_sum
    from ${serviceOrder} o left join ${followUp} f on f.order_id = o.id and f.state = 'done'
    where ${col} is not null group by ${col}`;
  return sql`${branch('worker', sql`o.worker_id`)} union all ${branch('company', sql`o.company_id`)}`;
}
