import { asc, count, desc, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type AuditHashAlg, auditHashAlg, GENESIS_HASH, hashStoredRow } from '../audit/audit.js';
import { auditLog } from '../audit/audit.tables.js';
import { newestCheckpoint } from '../audit/checkpoint.js';
import { SIGN_ALGORITHM, type SigningKey, type SignSuite } from '../crypto-sign/index.js';
import type { DbOrTx } from '../db/client.js';
import { auditAnchor } from './audit-anchor.tables.js';
import { deliverAnchor, pendingSinks, plannedSinks, rebuildRecord } from './delivery.js';
import type { AnchorSink } from './sink.js';

/**
 * External anchors of the audit chain (ASSURANCE.md §4.6, after Certificate Transparency's signed tree head): every
 * N rows or T minutes a job signs {n, seq of the n-th row, its hash, time, suite, key id} with a key that lives in
 * config, not in the database, and appends it to a sink outside the database. The chain alone cannot show that its
 * tail was cut off, nor that its whole prefix was rewritten with fresh hashes; a signed (n, h_n) kept elsewhere can.
 */

/** One checkpoint as written to the sink (one JSON line). v1 lines (before hash algorithms) anchor SHA-256 rows. */
export interface AnchorRecord {
  v: 1 | 2;
  /** Chain length: rows from the first to the anchored one. */
  n: number;
  /** `audit_log.seq` of the n-th row (0 when n = 0). */
  seq: number;
  /** Hash of the n-th row; the genesis hash when n = 0. */
  head: string;
  /** v2: the hash function of the n-th row ('sha256' or 'sm3'; for n = 0 the deployment's). */
  halg?: AuditHashAlg;
  at: string;
  suite: SignSuite;
  alg: string;
  kid: string;
  /** base64 signature over `anchorMessage`. */
  sig: string;
}

const anchorFields = {
  n: z.number().int().min(0),
  seq: z.number().int().min(0),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime(),
  suite: z.enum(['intl', 'gm']),
  alg: z.string(),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  sig: z.base64(),
};

export const anchorRecordSchema = z.union([
  z.strictObject({ v: z.literal(1), ...anchorFields }),
  z.strictObject({ v: z.literal(2), ...anchorFields, halg: z.enum(['sha256', 'sm3']) }),
]);

/** The exact bytes signed: a domain label, then the checkpoint's fields in a fixed order (v2 adds the hash function). */
export function anchorMessage(r: Omit<AnchorRecord, 'sig' | 'alg'>): Buffer {
  if (r.v === 1)
    return Buffer.from(
      `anxin-audit-anchor:v1\n${JSON.stringify([r.n, r.seq, r.head, r.at, r.suite, r.kid])}`,
    );
  return Buffer.from(
    `anxin-audit-anchor:v2\n${JSON.stringify([r.n, r.seq, r.head, r.halg, r.at, r.suite, r.kid])}`,
  );
}

/** Where a walk of the chain stands: after `n` rows, the last of them `seq` with hash `head` made by `alg`. */
export interface ChainPosition {
  n: number;
  seq: number;
  head: string;
  alg: string;
}

export const CHAIN_START: ChainPosition = { n: 0, seq: 0, head: GENESIS_HASH, alg: 'sha256' };

/** A row whose link or content does not hold, met while walking the chain. */
export class ChainBrokenError extends Error {
  constructor(
    readonly seq: number,
    readonly id: string,
    readonly reason: 'content-altered' | 'link-broken',
    readonly position: ChainPosition,
  ) {
    super(`audit chain broken at seq ${seq} (${reason}) after ${position.n} rows`);
  }
}

/**
 * Walks the chain after `from` in seq order, checking each row's link and hash, calling `onRow` with the position
 * after each row. Throws ChainBrokenError at the first row that does not hold.
 */
export async function walkChain(
  db: DbOrTx,
  from: ChainPosition,
  onRow?: (pos: ChainPosition) => void,
  batchSize = 2000,
): Promise<ChainPosition> {
  let pos = from;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, pos.seq))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    for (const r of rows) {
      if (r.prevHash !== pos.head) throw new ChainBrokenError(r.seq, r.id, 'link-broken', pos);
      const expected = hashStoredRow(pos.head, r);
      if (expected !== r.hash) throw new ChainBrokenError(r.seq, r.id, 'content-altered', pos);
      pos = { n: pos.n + 1, seq: r.seq, head: r.hash, alg: r.hashAlg };
      onRow?.(pos);
    }
    if (rows.length < batchSize) return pos;
  }
}

export interface AuditAnchorerOptions {
  db: DbOrTx;
  key: SigningKey;
  /** One sink, or several (directory and HTTPS): each anchor is written to every one. */
  sink: AnchorSink | readonly AnchorSink[];
  /** Anchor once this many rows were appended since the last anchor. Default 1000. */
  everyRows?: number;
  /** Anchor once this many minutes passed since the last anchor, even with no new rows. Default 60. */
  everyMinutes?: number;
  clock?: () => Date;
}

export interface AuditAnchorer {
  /** Writes an anchor when N rows or T minutes have passed since the last one; returns it, or null if not due. */
  runDue(): Promise<AnchorRecord | null>;
  /** Walks the rows since the last anchor, signs the new head and writes it to the sink, then to `audit_anchor`. */
  anchorNow(): Promise<AnchorRecord>;
  readonly key: SigningKey;
  /** The first sink, the one read back by default. */
  readonly sink: AnchorSink;
  readonly sinks: readonly AnchorSink[];
}

/** The anchor job's logic; the app registers `runDue` as `platform.audit_anchor` (every minute). */
export function createAuditAnchorer(opts: AuditAnchorerOptions): AuditAnchorer {
  const { db, key } = opts;
  const sinks = ([] as AnchorSink[]).concat(opts.sink);
  if (sinks.length === 0 || new Set(sinks.map((s) => s.name)).size !== sinks.length)
    throw new Error('audit anchors need at least one sink, each of a different kind');
  const everyRows = opts.everyRows ?? 1000;
  const everyMs = (opts.everyMinutes ?? 60) * 60_000;
  const clock = opts.clock ?? (() => new Date());

  const last = async () => {
    const [row] = await db.select().from(auditAnchor).orderBy(desc(auditAnchor.seq)).limit(1);
    return row ?? null;
  };

  /** Finishes the delivery of an anchor some sink has not acknowledged yet (the same line, sent again). */
  const settle = async (row: NonNullable<Awaited<ReturnType<typeof last>>>) =>
    deliverAnchor(db, row, sinks, rebuildRecord(row, key));

  async function anchorNow(): Promise<AnchorRecord> {
    const prev = await last();
    if (prev && pendingSinks(prev, sinks).length > 0) await settle(prev);
    // Start from the previous anchor's position: each run hashes only the rows since, and refuses to sign a chain
    // that no longer extends it (ChainBrokenError fails the job, which is logged and alerts).
    let from = prev ? { n: prev.n, seq: prev.lastSeq, head: prev.head, alg: prev.hashAlg } : CHAIN_START;
    // Rows before the newest checkpoint of a pruned prefix are gone: the walk resumes from its (verified) position.
    const cp = await newestCheckpoint(db);
    if (cp && cp.lastSeq > from.seq) from = { n: cp.n, seq: cp.lastSeq, head: cp.hash, alg: cp.hashAlg };
    const pos = await walkChain(db, from);
    const at = new Date(Math.max(clock().getTime(), prev ? prev.at.getTime() : 0)).toISOString();
    const halg = (pos.n === 0 ? auditHashAlg() : pos.alg) as AuditHashAlg;
    const unsigned = {
      v: 2 as const,
      n: pos.n,
      seq: pos.seq,
      head: pos.head,
      halg,
      at,
      suite: key.suite,
      kid: key.keyId,
    };
    const record: AnchorRecord = {
      ...unsigned,
      alg: SIGN_ALGORITHM[key.suite],
      sig: key.sign(anchorMessage(unsigned)).toString('base64'),
    };
    // Recorded as pending first, then written to each sink: a write that fails leaves the anchor pending and the next
    // run sends exactly this line again (the HTTPS receiver drops a repeat by its hash): none lost, none doubled.
    // The row itself proves nothing; verification reads only the sinks.
    const [row] = await db
      .insert(auditAnchor)
      .values({
        n: record.n,
        lastSeq: record.seq,
        head: record.head,
        hashAlg: halg,
        at: new Date(record.at),
        suite: record.suite,
        keyId: record.kid,
        signature: record.sig,
        sink: plannedSinks(sinks),
      })
      .returning();
    return deliverAnchor(db, row!, sinks, record);
  }

  async function runDue(): Promise<AnchorRecord | null> {
    const prev = await last();
    if (!prev) return anchorNow();
    if (pendingSinks(prev, sinks).length > 0) return settle(prev);
    if (clock().getTime() - prev.at.getTime() >= everyMs) return anchorNow();
    // Bounded count: at most everyRows index entries past the last anchor.
    const [pending] = await db.select({ c: count() }).from(
      db
        .select({ one: sql`1`.as('one') })
        .from(auditLog)
        .where(gt(auditLog.seq, prev.lastSeq))
        .limit(everyRows)
        .as('pending'),
    );
    return (pending?.c ?? 0) >= everyRows ? anchorNow() : null;
  }

  return { runDue, anchorNow, key, sink: sinks[0]!, sinks };
}
