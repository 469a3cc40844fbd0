import { bigint, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from '../db/columns.js';

/**
 * A copy of each signed checkpoint of the audit chain, for the job's bookkeeping (where the last anchor ended) and for
 * operators. Verification never trusts it: the anchors that count are the lines in the external sink.
 */
export const auditAnchor = pgTable('audit_anchor', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  /** Chain length: the number of audit rows the checkpoint covers. */
  n: bigint('n', { mode: 'number' }).notNull(),
  /** `audit_log.seq` of the n-th row (0 for an empty chain). */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  /** Hash of the n-th row (the genesis hash for an empty chain). */
  head: text('head').notNull(),
  /** The hash function of the anchored row ('sha256' or 'sm3'). */
  hashAlg: text('hash_alg').notNull().default('sha256'),
  at: tstz('at').notNull(),
  /** `intl` (Ed25519) or `gm` (SM2-SM3). */
  suite: text('suite').notNull(),
  keyId: text('key_id').notNull(),
  /** base64 signature over the checkpoint (see audit-anchor.ts `anchorMessage`). */
  signature: text('signature').notNull(),
  /**
   * Delivery per sink, space-separated: `<sink>:?` while pending, then where the line went, e.g.
   * `dir:audit-anchors-2026-11-29.jsonl https:anchors.example.cn` (delivery.ts).
   */
  sink: text('sink').notNull(),
});
