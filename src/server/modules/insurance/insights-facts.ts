import { type SQL, sql } from 'drizzle-orm';
import { insurancePolicy } from './insurance.tables.js';

/**
 * Workers insured on `today` (YYYY-MM-DD, Asia/Shanghai): an active policy whose period covers the day, as a
 * subquery for FROM with one column, worker_id (distinct).
 */
export function insuredWorkersInsightsSql(today: string): SQL {
  return sql`select distinct ${insurancePolicy.workerId} as worker_id from ${insurancePolicy}
    where ${insurancePolicy.state} = 'active' and ${insurancePolicy.startsOn} <= ${today}::date
      and ${insurancePolicy.endsOn} >= ${today}::date`;
}
