import { sql } from 'drizzle-orm';
import {
  auditRetentionRun,
  idList,
  inBatches,
  lockIds,
  type RetentionDeps,
  yearsBefore,
} from '../../platform/retention.js';

/**
 * Retention of consent records (test/data-inventory.ts, worker_consent: "with the consent record, 3 years after
 * withdrawal"): deletes consents withdrawn more than 3 years ago, with the IP they were given from. A consent in
 * force is never touched. Run nightly by the `workers.consent_purge` job; idempotent.
 */
export async function purgeWithdrawnConsents(deps: RetentionDeps): Promise<{ consents: number }> {
  const cutoff = yearsBefore(deps.now, 3);
  const consents = await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select id from worker_consent where withdrawn_at < ${cutoff} and id > ${after} order by id limit ${limit}`,
    );
    if (ids.length) await tx.execute(sql`delete from worker_consent where id in ${idList(ids)}`);
    return ids;
  });
  await auditRetentionRun(deps, 'workers.consent_purge', { consents, cutoff: cutoff.toISOString() });
  return { consents };
}
