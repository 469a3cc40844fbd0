import { type SQL, sql } from 'drizzle-orm';
import { employment, preJobTraining, worker, workerDocument } from './workers.tables.js';

/**
 * The worker facts the credit scorecard reads, for every active worker in one set-based query (a subquery for
 * FROM). Columns: worker_id, company_id (open employment or null), identity_verified, health_valid (current
 * approved health certificate not expired on `today`, Asia/Shanghai), training_passed (any passed pre-job
 * exam, as trust-facts.ts `trainingState`), skill_level. Filter outside by worker_id or company_id.
 */
export function workerCreditFactsSql(today: string): SQL {
  return sql`select ${worker.id} as worker_id, ${employment.companyId} as company_id,
    (${worker.identityVerifiedAt} is not null) as identity_verified,
    exists (select 1 from ${workerDocument} d where d.worker_id = ${worker.id} and d.kind = 'health'
      and d.superseded_at is null and d.state = 'approved' and d.expires_on >= ${today}::date) as health_valid,
    exists (select 1 from ${preJobTraining} p where p.worker_id = ${worker.id} and p.passed) as training_passed,
    ${worker.skillLevel} as skill_level
    from ${worker} left join ${employment} on ${employment.workerId} = ${worker.id} and ${employment.endedAt} is null
    where ${worker.status} = 'active'`;
}
