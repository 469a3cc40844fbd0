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
