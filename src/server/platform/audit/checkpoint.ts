import { asc, desc } from 'drizzle-orm';
import { SIGN_ALGORITHM, type SignSuite, type VerifyKey } from '../crypto-sign/index.js';
import type { DbOrTx } from '../db/client.js';
import { auditCheckpoint, auditLog } from './audit.tables.js';

/**
 * Checkpoints of audit retention (audit.tables.ts `audit_checkpoint`): the signed record of a removed prefix of the
 * chain, from which verification starts. The signature uses the anchor key (Ed25519 under `intl`, SM2-SM3 under
 * `gm`), which lives in config, not in the database: whoever holds only the database cannot forge one.
 */

export type CheckpointRow = typeof auditCheckpoint.$inferSelect;

/** A checkpoint as a line in an anchor sink (beside the anchors, told apart by `kind`). */
export interface CheckpointRecord {
  v: 1;
  kind: 'checkpoint';
  /** Rows of the chain from its first ever row through the last removed one. */
  n: number;
  /** `audit_log.seq` of the last removed row. */
  seq: number;
  /** Hash of the last removed row (the first remaining row's prev_hash). */
  head: string;
  halg: string;
  /** Rows this prune removed. */
  removed: number;
  /** Time range of the removed rows. */
  from: string;
  to: string;
  at: string;
  suite: SignSuite;
  alg: string;
  kid: string;
  sig: string;
}

/** The exact bytes signed: a domain label (never an anchor's) and the checkpoint's fields in a fixed order. */
export function checkpointMessage(r: Omit<CheckpointRecord, 'sig' | 'alg' | 'v' | 'kind'>): Buffer {
  return Buffer.from(
    `anxin-audit-checkpoint:v1\n${JSON.stringify([r.n, r.seq, r.head, r.halg, r.removed, r.from, r.to, r.at, r.suite, r.kid])}`,
  );
}

/** The record a checkpoint row was signed as. */
export function checkpointRecordOf(row: CheckpointRow): CheckpointRecord {
  return {
    v: 1,
    kind: 'checkpoint',
    n: row.n,
    seq: row.lastSeq,
    head: row.hash,
    halg: row.hashAlg,
    removed: row.removed,
    from: row.firstAt.toISOString(),
    to: row.lastAt.toISOString(),
    at: row.at.toISOString(),
    suite: row.suite as SignSuite,
    alg: SIGN_ALGORITHM[row.suite as SignSuite] ?? row.suite,
    kid: row.keyId,
    sig: row.signature,
  };
}

/** True when the record's signature holds under one of `keys` (matched by suite and key id). */
export function checkpointSignatureHolds(
  r: CheckpointRecord,
  keys: readonly VerifyKey[],
): boolean | 'unknown-key' {
  const key = keys.find((k) => k.suite === r.suite && k.keyId === r.kid);
  if (!key) return 'unknown-key';
  return key.verify(checkpointMessage(r), Buffer.from(r.sig, 'base64'));
}

/** Where a walk of the chain starts or stands: after `n` rows, the last of them `seq` with hash `head` made by `alg`. */
export interface ChainStart {
  n: number;
  seq: number;
  head: string;
  alg: string;
  /** `audit_checkpoint.seq` the position comes from; null at the genesis. */
  checkpoint: number | null;
}

/** Why a chain cannot be walked from its start: the checkpoints or the removed prefix do not hold. */
export interface StartProblem {
  kind: 'checkpoint-forged' | 'checkpoint-unverified' | 'prefix-removed';
  message: string;
  seq?: number;
}

export interface StartOfChain {
  start: ChainStart;
  /**
   * Checkpoints whose rows are still there (a prune stopped between its checkpoint and its delete): the walk must
   * meet each one's row with its hash.
   */
  pending: CheckpointRow[];
  /** Checkpoints in seq order (all verified when `problem` is null). */
  checkpoints: CheckpointRow[];
  problem: StartProblem | null;
}

const GENESIS = '0'.repeat(64);

/**
 * Where verification starts: after the newest checkpoint whose rows are gone, once every checkpoint's signature
 * holds under `keys` and they only grow; the first remaining row must link to it (or to the genesis hash when no
 * checkpoint exists), else rows were removed without a checkpoint or after one.
 */
export async function startOfChain(db: DbOrTx, keys: readonly VerifyKey[]): Promise<StartOfChain> {
  const checkpoints = await db.select().from(auditCheckpoint).orderBy(asc(auditCheckpoint.seq));
  const genesis: ChainStart = { n: 0, seq: 0, head: GENESIS, alg: 'sha256', checkpoint: null };
  const fail = (problem: StartProblem): StartOfChain => ({
    start: genesis,
    pending: [],
    checkpoints,
    problem,
  });
  let prev: CheckpointRow | null = null;
  for (const c of checkpoints) {
    const holds = checkpointSignatureHolds(checkpointRecordOf(c), keys);
    if (holds === 'unknown-key')
      return fail({
        kind: 'checkpoint-unverified',
        message: `checkpoint ${c.seq} (rows up to seq ${c.lastSeq}) is signed by ${c.suite}:${c.keyId}, not a trusted key: its signature cannot be checked`,
      });
    if (!holds)
      return fail({
        kind: 'checkpoint-forged',
        message: `checkpoint ${c.seq} (rows up to seq ${c.lastSeq}) does not verify: its signature does not hold, so it was altered or forged`,
      });
    if (prev && (c.lastSeq <= prev.lastSeq || c.n !== prev.n + c.removed))
      return fail({
        kind: 'checkpoint-forged',
        message: `checkpoint ${c.seq} does not extend checkpoint ${prev.seq} (n ${prev.n} → ${c.n}, ${c.removed} removed)`,
      });
    prev = c;
  }
  const [first] = await db.select().from(auditLog).orderBy(asc(auditLog.seq)).limit(1);
  let start = genesis;
  const pending: CheckpointRow[] = [];
  for (const c of checkpoints) {
    if (!first || c.lastSeq < first.seq)
      start = { n: c.n, seq: c.lastSeq, head: c.hash, alg: c.hashAlg, checkpoint: c.seq };
    else pending.push(c);
  }
  if (first && first.prevHash !== start.head) {
    return {
      start,
      pending,
      checkpoints,
      problem: {
        kind: 'prefix-removed',
        seq: first.seq,
        message:
          start.checkpoint === null
            ? `the first row (seq ${first.seq}) does not link to the genesis hash and no checkpoint covers the rows before it: rows were removed without a checkpoint`
            : `the first remaining row (seq ${first.seq}) does not link to checkpoint ${start.checkpoint} (seq ${start.seq}): rows after the checkpoint were removed`,
      },
    };
  }
  return { start, pending, checkpoints, problem: null };
}

/** The newest checkpoint, or null. */
export async function newestCheckpoint(db: DbOrTx): Promise<CheckpointRow | null> {
  const [row] = await db.select().from(auditCheckpoint).orderBy(desc(auditCheckpoint.seq)).limit(1);
  return row ?? null;
}
