import { sql } from 'drizzle-orm';
import {
  ANONYMISED,
  auditRetentionRun,
  idList,
  inBatches,
  lockIds,
  type RetentionDeps,
  yearsBefore,
} from '../../platform/retention.js';

const PLACE_AAD = 'insurance_claim.place';

/**
 * Retention of claims (test/data-inventory.ts, insurance_claim place, description and evidence: "5 years after the
 * claim closes (insurance records), then erased"). A claim closes when it is paid, rejected or withdrawn. The
 * columns are erased — place (encrypted: a tombstone that still decrypts, to `（已匿名）`), description, the
 * evidence notes, the state reason and the reasons on its events — and the row stays with its amounts, coverage
 * and dates, which the insurer's and the regulator's figures count. Run nightly by the `insurance.claim_purge`
 * job; idempotent (erased rows are skipped).
 */
export async function eraseClosedClaims(deps: RetentionDeps): Promise<{ claims: number }> {
  const cutoff = yearsBefore(deps.now, 5);
  const tomb = deps.pii.encrypt(ANONYMISED, PLACE_AAD);
  const claims = await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select id from insurance_claim where state in ('paid', 'rejected', 'withdrawn')
        and coalesce(paid_at, updated_at) < ${cutoff} and description <> ${ANONYMISED} and id > ${after} order by id limit ${limit}`,
    );
    if (!ids.length) return [];
    await tx.execute(sql`update insurance_claim set place_enc = ${tomb}, description = ${ANONYMISED},
      evidence = '[]'::jsonb, state_reason = null where id in ${idList(ids)}`);
    await tx.execute(sql`update insurance_claim_event set reason = null where claim_id in ${idList(ids)}`);
    return ids;
  });
  await auditRetentionRun(deps, 'insurance.claim_purge', { claims, cutoff: cutoff.toISOString() });
  return { claims };
}
