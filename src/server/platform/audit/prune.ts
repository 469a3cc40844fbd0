import { asc, eq, gt, sql } from 'drizzle-orm';
import { pendingSinks, plannedSinks } from '../audit-anchor/delivery.js';
import type { AnchorSink } from '../audit-anchor/sink.js';
import type { SigningKey } from '../crypto-sign/index.js';
import type { Db } from '../db/client.js';
import { auditRetentionRun, type RetentionDeps, rowsOf, yearsBefore } from '../retention.js';
import { GENESIS_HASH, hashStoredRow } from './audit.js';
import { auditCheckpoint, auditLog } from './audit.tables.js';
import { type CheckpointRow, checkpointMessage, checkpointRecordOf, newestCheckpoint } from './checkpoint.js';

/** Audit rows are kept 3 years (test/data-inventory.ts `audit_log.ip`: "≥ 180 days …; kept 3 years"). */
export const AUDIT_RETENTION_YEARS = 3;
/** 网络安全法 Art 21(3): network logs are kept at least six months; no prune may come closer to now. */
export const AUDIT_MIN_RETENTION_DAYS = 180;
/** Rows per checkpoint (one signature, one line per sink, one delete statement). */
export const AUDIT_PRUNE_BATCH = 10_000;

export class AuditPruneError extends Error {
  override name = 'AuditPruneError';
}

interface Signer {
  key: SigningKey;
  sinks: readonly AnchorSink[];
}

/**
 * Sends the checkpoint to every sink that has not acknowledged it, then removes the prefix it covers through
 * `audit_prune()` (the only path the triggers let a delete through). Rows are removed only once every sink holds the
 * checkpoint; a failed sink throws and leaves the rows for the next run. Returns the rows removed.
 */
async function settle(db: Db, cp: CheckpointRow, signer: Signer): Promise<number> {
  const record = checkpointRecordOf(cp);
  let tokens = cp.sink.split(' ').filter(Boolean);
  for (const s of pendingSinks(cp, signer.sinks)) {
    const where = await s.append(record);
    tokens = tokens.map((t) => (t === `${s.name}:?` ? where : t));
    await db
      .update(auditCheckpoint)
      .set({ sink: tokens.join(' ') })
      .where(eq(auditCheckpoint.seq, cp.seq));
  }
  const [r] = rowsOf<{ n: number | string }>(await db.execute(sql`select audit_prune(${cp.seq}) as n`));
  return Number(r?.n ?? 0);
}

/**
 * The daily retention of the audit trail (`platform.audit_prune`): removes the oldest rows older than
 * AUDIT_RETENTION_YEARS, in chain order only (a prefix, never a hole), AUDIT_PRUNE_BATCH at a time. For each batch it
 * first re-hashes the rows from the previous checkpoint (it refuses to checkpoint a broken chain), then writes a
 * checkpoint (last removed row's seq and hash, the chain length, count and time range removed) signed with the anchor
 * key, sends it to the anchor sinks, and only then deletes. A run stopped half-way is finished by the next one. One
 * summary audit row per run (`retention.run`, counts only).
 */
export async function pruneAuditLog(
  deps: RetentionDeps,
  opts: { batchSize?: number; years?: number } = {},
): Promise<{ auditRows: number; checkpoints: number }> {
  const signer = deps.auditAnchor;
  if (!signer || signer.sinks.length === 0)
    throw new AuditPruneError('platform.audit_prune needs the anchor key and a sink: no audit row removed');
  const { db, now } = deps;
  const cutoff = yearsBefore(now, opts.years ?? AUDIT_RETENTION_YEARS);
  if (cutoff.getTime() > now.getTime() - AUDIT_MIN_RETENTION_DAYS * 86_400_000)
    throw new AuditPruneError(`audit rows are kept at least ${AUDIT_MIN_RETENTION_DAYS} days`);
  const batchSize = opts.batchSize ?? AUDIT_PRUNE_BATCH;
  let auditRows = 0;
  let checkpoints = 0;
  let cp = await newestCheckpoint(db);
  // A previous run stopped between its checkpoint and its delete: finish it first (removes nothing when it was done).
  if (cp) auditRows += await settle(db, cp, signer);
  for (;;) {
    const from = cp ? { n: cp.n, seq: cp.lastSeq, head: cp.hash } : { n: 0, seq: 0, head: GENESIS_HASH };
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, from.seq))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    let head = from.head;
    const due: typeof rows = [];
    for (const r of rows) {
      // The prefix ends at the first row still inside the retention (rows of several processes interleave in time).
      if (r.at.getTime() >= cutoff.getTime()) break;
      if (r.prevHash !== head || hashStoredRow(head, r) !== r.hash)
        throw new AuditPruneError(
          `audit chain broken at seq ${r.seq}: no checkpoint signed, no audit row removed (run npm run audit:verify)`,
        );
      head = r.hash;
      due.push(r);
    }
    const last = due.at(-1);
    if (!last) break;
    const times = due.map((r) => r.at.getTime());
    const unsigned = {
      n: from.n + due.length,
      seq: last.seq,
      head: last.hash,
      halg: last.hashAlg,
      removed: due.length,
      from: new Date(Math.min(...times)).toISOString(),
      to: new Date(Math.max(...times)).toISOString(),
      at: now.toISOString(),
      suite: signer.key.suite,
      kid: signer.key.keyId,
    };
    const [row] = await db
      .insert(auditCheckpoint)
      .values({
        n: unsigned.n,
        lastSeq: unsigned.seq,
        hash: unsigned.head,
        hashAlg: unsigned.halg,
        removed: unsigned.removed,
        firstAt: new Date(unsigned.from),
        lastAt: new Date(unsigned.to),
        at: now,
        suite: unsigned.suite,
        keyId: unsigned.kid,
        signature: signer.key.sign(checkpointMessage(unsigned)).toString('base64'),
        sink: plannedSinks(signer.sinks),
      })
      .returning();
    cp = row!;
    checkpoints++;
    auditRows += await settle(db, cp, signer);
    if (due.length < rows.length || rows.length < batchSize) break;
  }
  await auditRetentionRun(deps, 'platform.audit_prune', {
    auditRows,
    checkpoints,
    cutoff: cutoff.toISOString(),
  });
  return { auditRows, checkpoints };
}
