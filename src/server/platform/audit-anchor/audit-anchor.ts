import { asc, count, desc, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { GENESIS_HASH, hashStoredRow } from '../audit/audit.js';
import { auditLog } from '../audit/audit.tables.js';
import { SIGN_ALGORITHM, type SigningKey, type SignSuite } from '../crypto-sign/index.js';
import type { DbOrTx } from '../db/client.js';
import { auditAnchor } from './audit-anchor.tables.js';
import type { AnchorSink } from './sink.js';

/**
 * External anchors of the audit chain (ASSURANCE.md §4.6, after Certificate Transparency's signed tree head): every
 * N rows or T minutes a job signs {n, seq of the n-th row, its hash, time, suite, key id} with a key that lives in
 * config, not in the database, and appends it to a sink outside the database. The chain alone cannot show that its
 * tail was cut off, nor that its whole prefix was rewritten with fresh hashes; a signed (n, h_n) kept elsewhere can.
 */

/** One checkpoint as written to the sink (one JSON line). */
export interface AnchorRecord {
  v: 1;
  /** Chain length: rows from the first to the anchored one. */
  n: number;
  /** `audit_log.seq` of the n-th row (0 when n = 0). */
  seq: number;
  /** Hash of the n-th row; the genesis hash when n = 0. */
  head: string;
  at: string;
  suite: SignSuite;
  alg: string;
  kid: string;
  /** base64 signature over `anchorMessage`. */
  sig: string;
}

export const anchorRecordSchema = z.strictObject({
  v: z.literal(1),
  n: z.number().int().min(0),
  seq: z.number().int().min(0),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime(),
  suite: z.enum(['intl', 'gm']),
  alg: z.string(),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  sig: z.base64(),
});

/** The exact bytes signed: a domain label, then the checkpoint's fields in a fixed order. */
export function anchorMessage(r: Omit<AnchorRecord, 'sig' | 'alg' | 'v'>): Buffer {
  return Buffer.from(`anxin-audit-anchor:v1\n${JSON.stringify([r.n, r.seq, r.head, r.at, r.suite, r.kid])}`);
}

/** Where a walk of the chain stands: after `n` rows, the last of them `seq` with hash `head`. */
export interface ChainPosition {
  n: number;
  seq: number;
  head: string;
}

export const CHAIN_START: ChainPosition = { n: 0, seq: 0, head: GENESIS_HASH };

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
      pos = { n: pos.n + 1, seq: r.seq, head: r.hash };
      onRow?.(pos);
    }
    if (rows.length < batchSize) return pos;
  }
}

export interface AuditAnchorerOptions {
  db: DbOrTx;
  key: SigningKey;
  sink: AnchorSink;
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
  readonly sink: AnchorSink;
}

/** The anchor job's logic; the app registers `runDue` as `platform.audit_anchor` (every minute). */
export function createAuditAnchorer(opts: AuditAnchorerOptions): AuditAnchorer {
  const { db, key, sink } = opts;
  const everyRows = opts.everyRows ?? 1000;
  const everyMs = (opts.everyMinutes ?? 60) * 60_000;
  const clock = opts.clock ?? (() => new Date());

  const last = async () => {
    const [row] = await db.select().from(auditAnchor).orderBy(desc(auditAnchor.seq)).limit(1);
    return row ?? null;
  };

  async function anchorNow(): Promise<AnchorRecord> {
    const prev = await last();
    // Start from the previous anchor's position: each run hashes only the rows since, and refuses to sign a chain
    // that no longer extends it (ChainBrokenError fails the job, which is logged and alerts).
    const from = prev ? { n: prev.n, seq: prev.lastSeq, head: prev.head } : CHAIN_START;
    const pos = await walkChain(db, from);
    const at = new Date(Math.max(clock().getTime(), prev ? prev.at.getTime() : 0)).toISOString();
    const unsigned = { n: pos.n, seq: pos.seq, head: pos.head, at, suite: key.suite, kid: key.keyId };
    const record: AnchorRecord = {
      v: 1,
      ...unsigned,
      alg: SIGN_ALGORITHM[key.suite],
      sig: key.sign(anchorMessage(unsigned)).toString('base64'),
    };
    // The external copy first: a checkpoint only in the database would be worth nothing.
    const where = await sink.append(record);
    await db.insert(auditAnchor).values({
      n: record.n,
      lastSeq: record.seq,
      head: record.head,
      at: new Date(record.at),
      suite: record.suite,
      keyId: record.kid,
      signature: record.sig,
      sink: where,
    });
    return record;
  }

  async function runDue(): Promise<AnchorRecord | null> {
    const prev = await last();
    if (!prev) return anchorNow();
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

  return { runDue, anchorNow, key, sink };
}
