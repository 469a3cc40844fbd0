import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../db/columns.js';

/** Remembers the outcome of a create request per (principal, key) so a retry returns the first response. */
export const idempotencyKey = pgTable(
  'idempotency_key',
  {
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    /** 'pending' while the first request runs, then 'done' */
    state: text('state').notNull(),
    /** Random token of the attempt that holds the key; a retry that takes the key over writes its own. */
    owner: text('owner'),
    /** The holder's lease: a retry after it may take over a pending key whose effect never committed. */
    lockedUntil: tstz('locked_until'),
    /** Set inside the attempt's first business transaction, so it commits (or not) with the effect itself. */
    effectAt: tstz('effect_at'),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] })],
);
