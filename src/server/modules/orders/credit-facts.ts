import { type SQL, sql } from 'drizzle-orm';
import { followUp, serviceOrder } from './orders.tables.js';

/**
 * Completed orders and follow-up (回访) satisfaction per worker and per company, for the credit scorecard, as a
 * subquery for FROM: subject_type ('worker' | 'company'), subject_id, completed_count (orders completed or
 * closed), follow_up_count and follow_up_sum (done follow-ups with a satisfaction score, 1–5). Subjects with no
 * orders are absent. Filter outside on subject_type and subject_id (both are grouping keys, so it is pushed down).
 * Orders and follow-ups are counted in separate branches (hash aggregates, no sort): joined first, an order with
 * two follow-ups would need count(distinct) and a sort of every order.
 */
export function orderCreditStatsSql(): SQL {
  const branches = (type: 'worker' | 'company', col: 'worker_id' | 'company_id') => {
    const c = sql.raw(`o.${col}`);
    return sql`select ${type}::text as subject_type, ${c} as subject_id,
        count(*) filter (where o.state in ('completed', 'closed')) as completed_count,
        0::bigint as follow_up_count, 0::bigint as follow_up_sum
      from ${serviceOrder} o where ${c} is not null group by ${c}
      union all
      select ${type}::text, ${c}, 0::bigint, count(f.satisfaction), coalesce(sum(f.satisfaction), 0)::bigint
      from ${followUp} f join ${serviceOrder} o on o.id = f.order_id
      where f.state = 'done' and ${c} is not null group by ${c}`;
  };
  return sql`select subject_type, subject_id, sum(completed_count)::int as completed_count,
      sum(follow_up_count)::int as follow_up_count, sum(follow_up_sum)::int as follow_up_sum
    from (${branches('worker', 'worker_id')} union all ${branches('company', 'company_id')}) s
    group by subject_type, subject_id`;
}
