import { type SQL, sql } from 'drizzle-orm';
import { preJobTraining, worker } from './workers.tables.js';

/**
 * Every registered (active) worker for the insights rollups, as a subquery for FROM: worker_id, district (null
 * when not given), trained (a passed pre-job exam, whoever recorded it). No personal data leaves this fragment.
 */
export function workerInsightsSql(): SQL {
  return sql`select ${worker.id} as worker_id, ${worker.district} as district,
    exists (select 1 from ${preJobTraining} p where p.worker_id = ${worker.id} and p.passed) as trained
    from ${worker} where ${worker.status} = 'active'`;
}
