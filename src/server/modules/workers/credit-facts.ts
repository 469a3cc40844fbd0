import { type SQL, sql } from 'drizzle-orm';
import { employment, preJobTraining, worker, workerDocument } from './workers.tables.js';

/**
 * The worker facts the credit scorecard reads, for every active worker in one set-based query (a subquery for
 * FROM). Columns: worker_id, company_id (open employment or null), identity_verified, health_valid (current
 * approved health certificate not expired on `today`, Asia/Shanghai), training_passed (any passed pre-job
 * exam, as trust-facts.ts `trainingState`), skill_level. Filter outside by worker_id or company_id.
 * The health document is a join, not a probe per worker: the whole city is one pass (hash join), a narrow filter
 * an index lookup. Training stays an EXISTS: PostgreSQL hashes it for the whole city when work_mem holds the set
 * (the recompute raises it) and probes the index for a few workers; a grouped join would scan the table for two.
 */
export function workerCreditFactsSql(today: string): SQL {
  // At most one current document per worker and kind (worker_document_current_unique), so the join adds no rows.
  return sql`select ${worker.id} as worker_id, ${employment.companyId} as company_id,
    (${worker.identityVerifiedAt} is not null) as identity_verified,
    (hd.id is not null) as health_valid,
    exists (select 1 from ${preJobTraining} p where p.worker_id = ${worker.id} and p.passed) as training_passed,
    ${worker.skillLevel} as skill_level
    from ${worker} left join ${employment} on ${employment.workerId} = ${worker.id} and ${employment.endedAt} is null
    left join ${workerDocument} hd on hd.worker_id = ${worker.id} and hd.kind = 'health'
      and hd.superseded_at is null and hd.state = 'approved' and hd.expires_on >= ${today}::date
    where ${worker.status} = 'active'`;
}
