import { eq } from 'drizzle-orm';
import type { AuditHashAlg } from '../audit/audit.js';
import { SIGN_ALGORITHM, type SignSuite, type VerifyKey } from '../crypto-sign/index.js';
import type { DbOrTx } from '../db/client.js';
import { type AnchorRecord, anchorMessage } from './audit-anchor.js';
import { auditAnchor } from './audit-anchor.tables.js';
import type { AnchorSink } from './sink.js';

/**
 * Delivery of an anchor to every configured sink, tracked in `audit_anchor.sink`: a space-separated list with one
 * token per sink, `<name>:?` while that sink has not acknowledged the line and `<name>:<where>` once it has (the row is
 * written first, with every token pending). Rows from before this tracking carry no `:?` token and are never pending.
 */

type AnchorRow = typeof auditAnchor.$inferSelect;

const PENDING = ':?';

/** The `sink` value of a new row: every sink pending. */
export const plannedSinks = (sinks: readonly AnchorSink[]): string =>
  sinks.map((s) => `${s.name}${PENDING}`).join(' ');

/** Sinks that still owe `row` an acknowledgement (a pending token for a sink no longer configured is ignored). */
export function pendingSinks(row: Pick<AnchorRow, 'sink'>, sinks: readonly AnchorSink[]): AnchorSink[] {
  const tokens = row.sink.split(' ');
  return sinks.filter((s) => tokens.includes(`${s.name}${PENDING}`));
}

/**
 * The exact record a row was signed as, to send it again: the current line format (with the row's hash function) or
 * the v1 one, whichever the signature verifies under `key`. Throws when neither does (a corrupted row), rather than
 * send a line that would fail verification.
 */
export function rebuildRecord(row: AnchorRow, key: VerifyKey): AnchorRecord {
  const suite = row.suite as SignSuite;
  const base = {
    n: row.n,
    seq: row.lastSeq,
    head: row.head,
    at: row.at.toISOString(),
    suite,
    kid: row.keyId,
  };
  const sig = Buffer.from(row.signature, 'base64');
  const candidates: Omit<AnchorRecord, 'sig' | 'alg'>[] = [
    { v: 2, ...base, halg: row.hashAlg as AuditHashAlg },
    { v: 1, ...base },
  ];
  // Signed by a key since rotated out: this process cannot check it; the current format is sent and the verifier,
  // which trusts retired keys, judges it.
  const sameKey = row.keyId === key.keyId && suite === key.suite;
  const signed = sameKey ? candidates.find((c) => key.verify(anchorMessage(c), sig)) : candidates[0];
  if (!signed)
    throw new Error(
      `pending anchor seq ${row.seq} cannot be rebuilt: its signature does not verify under key ${key.suite}:${key.keyId}`,
    );
  return { ...signed, alg: SIGN_ALGORITHM[suite], sig: row.signature };
}

/**
 * Sends `record` (the row's anchor) to each sink that has not acknowledged it, recording each acknowledgement as it
 * comes; the first failure is thrown and leaves the rest pending for the next run.
 */
export async function deliverAnchor(
  db: DbOrTx,
  row: AnchorRow,
  sinks: readonly AnchorSink[],
  record: AnchorRecord,
): Promise<AnchorRecord> {
  const tokens = row.sink.split(' ').filter(Boolean);
  for (const s of pendingSinks(row, sinks)) {
    const where = await s.append(record);
    tokens[tokens.indexOf(`${s.name}${PENDING}`)] = where.replace(/\s/g, '_');
    await db
      .update(auditAnchor)
      .set({ sink: tokens.join(' ') })
      .where(eq(auditAnchor.seq, row.seq));
  }
  return record;
}
