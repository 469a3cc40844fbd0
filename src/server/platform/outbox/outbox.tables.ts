import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../db/columns.js';

/**
 * Transactional outbox: a module inserts an event in the same transaction as its state change, and the
 * dispatcher delivers it afterwards (at least once). `available_at` doubles as the claim lease and the retry
 * backoff; `failed_at` marks an event that used up its attempts and waits for an operator.
 */
export const outboxEvent = pgTable(
  'outbox_event',
  {
    id: idColumn(),
    topic: text('topic').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    createdAt: createdAt(),
    availableAt: tstz('available_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    publishedAt: tstz('published_at'),
    failedAt: tstz('failed_at'),
  },
  (t) => [
    index('outbox_event_pending_idx')
      .on(t.availableAt)
      .where(sql`${t.publishedAt} is null and ${t.failedAt} is null`),
    index('outbox_event_failed_idx').on(t.failedAt).where(sql`${t.failedAt} is not null`),
  ],
);
