import { type SQL, sql } from 'drizzle-orm';
import { demand, followUp, serviceOrder } from './orders.tables.js';

const month = (col: SQL) => sql`to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM')`;

/**
 * Monthly order flows for the insights rollups, as a subquery for FROM with one row per source row kind (sum
 * outside, grouped by month, district, category, mode): orders_created (by creation month), orders_completed and
 * completed_value_fen (orders completed or closed, by completion month), satisfaction_count / satisfaction_sum
 * (done follow-ups (回访) with a 1–5 score, by recording month, in the follow-up's district), demands_created.
 * Months are Asia/Shanghai calendar months `YYYY-MM`.
 */
export function orderFlowInsightsSql(): SQL {
  const o = serviceOrder;
  return sql`
    select ${month(sql`${o.createdAt}`)} as month, ${o.district} as district, ${o.category} as category, ${o.mode} as mode,
      count(*)::int as orders_created, 0 as orders_completed, 0::bigint as completed_value_fen,
      0 as satisfaction_count, 0 as satisfaction_sum, 0 as demands_created
    from ${o} group by 1, 2, 3, 4
    union all
    select ${month(sql`${o.completedAt}`)}, ${o.district}, ${o.category}, ${o.mode},
      0, count(*)::int, sum(${o.totalFen})::bigint, 0, 0, 0
    from ${o} where ${o.state} in ('completed', 'closed') and ${o.completedAt} is not null group by 1, 2, 3, 4
    union all
    select ${month(sql`f.recorded_at`)}, f.district, so.category, so.mode,
      0, 0, 0::bigint, count(f.satisfaction)::int, coalesce(sum(f.satisfaction), 0)::int, 0
    from ${followUp} f join ${o} so on so.id = f.order_id
    where f.state = 'done' and f.recorded_at is not null group by 1, 2, 3, 4
    union all
    select ${month(sql`${demand.createdAt}`)}, ${demand.district}, ${demand.category}, ${demand.mode},
      0, 0, 0::bigint, 0, 0, count(*)::int
    from ${demand} group by 1, 2, 3, 4`;
}

/**
 * Orders for the regulator's drill-down list: id, number, category, mode, district, state, total_fen, created_at,
 * month (creation, Asia/Shanghai). No resident, address or worker fields. Filter and order outside (keyset on id).
 */
export function orderListInsightsSql(): SQL {
  const o = serviceOrder;
  return sql`select ${o.id} as id, ${o.number} as number, ${o.category} as category, ${o.mode} as mode,
    ${o.district} as district, ${o.state} as state, ${o.totalFen} as total_fen, ${o.createdAt} as created_at,
    ${month(sql`${o.createdAt}`)} as month from ${o}`;
}

/**
 * Prices of orders completed in [from, to) for the wage and price survey: category, mode, unit, unit_price_fen,
 * district. One row per order; no parties.
 */
export function completedPriceInsightsSql(from: Date, to: Date): SQL {
  const o = serviceOrder;
  return sql`select ${o.category} as category, ${o.mode} as mode, ${o.unit} as unit,
    ${o.unitPriceFen} as unit_price_fen, ${o.district} as district from ${o}
    where ${o.state} in ('completed', 'closed') and ${o.completedAt} >= ${from.toISOString()}::timestamptz
      and ${o.completedAt} < ${to.toISOString()}::timestamptz`;
}
