import { sql } from 'drizzle-orm';
import {
  auditRetentionRun,
  deleteFiles,
  idList,
  inBatches,
  lockIds,
  type RetentionDeps,
  rowsOf,
  yearsBefore,
} from '../../platform/retention.js';

/**
 * When a contract ended: terminated → its termination; void or superseded → when it became so (its last update);
 * filed → the end of the last day of its term (`terms.endDate`, Beijing time). Drafts, contracts being signed,
 * terminating or disputed have not ended.
 */
const contractEndedAtSql = sql`case c.state
  when 'terminated' then c.terminated_at
  when 'void' then c.updated_at
  when 'superseded' then c.updated_at
  when 'filed' then case when c.terms->>'endDate' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
    then ((c.terms->>'endDate')::date + 1)::timestamp at time zone 'Asia/Shanghai' end
  end`;

/**
 * Retention of contracts (test/data-inventory.ts: contract, contract_revision and contract_signature "3 years after
 * the contract ends (家政服务 filing)", the address "then erased with the PDF"): deletes the contract with its
 * revisions, signatures, signing codes and termination records, and deletes its sealed PDF and the signature
 * images from storage. Nothing outside the module holds a foreign key to a contract (a review's `contract_id` and
 * an order's `contract_ref` are references only). Run nightly by the `contracts.retention_purge` job; idempotent.
 */
export async function purgeEndedContracts(
  deps: RetentionDeps,
): Promise<{ contracts: number; files: number }> {
  const cutoff = yearsBefore(deps.now, 3);
  let files = 0;
  const contracts = await inBatches(deps, async (tx, limit, after) => {
    const ids = await lockIds(
      tx,
      sql`select c.id from contract c where ${contractEndedAtSql} < ${cutoff} and c.id > ${after} order by c.id limit ${limit}`,
    );
    if (!ids.length) return [];
    const keys = rowsOf<{ key: string | null }>(
      await tx.execute(sql`select pdf_key as key from contract where id in ${idList(ids)}
        union all select signature_key from contract_signature where contract_id in ${idList(ids)}`),
    );
    files += await deleteFiles(
      deps.storage,
      keys.map((k) => k.key),
    );
    for (const child of [
      'contract_sign_code',
      'contract_signature',
      'contract_revision',
      'contract_termination',
    ])
      await tx.execute(sql`delete from ${sql.identifier(child)} where contract_id in ${idList(ids)}`);
    await tx.execute(sql`delete from contract where id in ${idList(ids)}`);
    return ids;
  });
  await auditRetentionRun(deps, 'contracts.retention_purge', {
    contracts,
    files,
    cutoff: cutoff.toISOString(),
  });
  return { contracts, files };
}
