import { bigint, index, jsonb, pgTable, smallint, text } from 'drizzle-orm/pg-core';
import { tstz } from '../db/columns.js';

/**
 * Append-only, hash-chained audit trail. Each row's hash covers its content and the previous row's hash,
 * so an edited or deleted row breaks the chain from that point. Triggers refuse UPDATE and DELETE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    id: text('id').notNull().unique(),
    at: tstz('at').notNull(),
    actorId: text('actor_id'),
    actorRoles: text('actor_roles'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    /** 'ok' | 'denied' | 'failed' */
    outcome: text('outcome').notNull(),
    requestId: text('request_id'),
    ip: text('ip'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /** The hash function of this row's `hash`: 'sha256' (intl profile) or 'sm3' (gm); rows before 0027 are sha256. */
    hashAlg: text('hash_alg').notNull().default('sha256'),
  },
  (t) => [
    index('audit_log_object_idx').on(t.objectType, t.objectId),
    index('audit_log_actor_idx').on(t.actorId),
  ],
);

/**
 * The chain's head: one row (id 1) holding the last appended row's hash. An append updates it and inserts the row
 * in one statement, so the row lock that orders the chain is held only until that statement's commit (it replaced
 * an advisory lock taken before a separate read of the last row). Verification never trusts it: it walks the rows.
 */
export const auditChainHead = pgTable('audit_chain_head', {
  id: smallint('id').primaryKey(),
  /** Hash of the row before the head (what the last append linked to). */
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  /** The hash function of the head row ('sha256' or 'sm3'). */
  hashAlg: text('hash_alg').notNull().default('sha256'),
});

/**
 * Checkpoints of audit retention (platform.audit_prune): before the oldest rows past their retention are removed, a
 * checkpoint names the last removed row (its seq, hash and hash function), how many rows the chain had up to it (n)
 * and how many this prune removes, with their time range, signed like an anchor and sent to the anchor sinks.
 * Verification starts from the newest one: the first remaining row must link to its hash. Triggers (migration 0030)
 * keep it append-only except for the delivery column, and check a new row against the chain.
 */
export const auditCheckpoint = pgTable('audit_checkpoint', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  /** Rows of the chain from its first ever row through `last_seq` (the removed prefix, all prunes together). */
  n: bigint('n', { mode: 'number' }).notNull(),
  /** `audit_log.seq` of the last removed row. */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  /** Hash of the last removed row: the first remaining row's prev_hash. */
  hash: text('hash').notNull(),
  /** The hash function of the last removed row ('sha256' or 'sm3'). */
  hashAlg: text('hash_alg').notNull(),
  /** Rows this prune removes (after the previous checkpoint, through `last_seq`). */
  removed: bigint('removed', { mode: 'number' }).notNull(),
  /** Time range of the removed rows' `at`. */
  firstAt: tstz('first_at').notNull(),
  lastAt: tstz('last_at').notNull(),
  /** When the checkpoint was signed (the app's clock). */
  at: tstz('at').notNull(),
  /** `intl` (Ed25519) or `gm` (SM2-SM3): the anchor signing key's suite. */
  suite: text('suite').notNull(),
  keyId: text('key_id').notNull(),
  /** base64 signature over `checkpointMessage` (audit/checkpoint.ts). */
  signature: text('signature').notNull(),
  /** Delivery per anchor sink, as `audit_anchor.sink`: `<sink>:?` while pending, then where the line went. */
  sink: text('sink').notNull(),
});
