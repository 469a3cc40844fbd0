import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';
import { worker } from '../workers/workers.tables.js';

/**
 * A conversation (会话) between a resident and a worker and/or a company, opened from a worker profile, an order,
 * a demand offer or (later) a job application. Company staff of `company_id` take part for their company.
 * `last_seq` hands out per-conversation message numbers, so history and catch-up are exact keyset reads.
 */
export const conversation = pgTable(
  'conversation',
  {
    id: idColumn(),
    residentUserId: text('resident_user_id')
      .notNull()
      .references(() => user.id),
    workerId: text('worker_id').references(() => worker.id),
    /** The worker's account at opening time: whom to deliver to without asking the workers module each time. */
    workerUserId: text('worker_user_id').references(() => user.id),
    companyId: text('company_id').references(() => organization.id),
    /** 'profile' | 'order' | 'demand_offer' | 'job_application' */
    contextKind: text('context_kind').notNull(),
    /** The order, offer or application id the conversation was opened from (null for a profile). */
    contextId: text('context_id'),
    /** Set for order conversations: order and contract events post system messages here. */
    orderId: text('order_id'),
    /** One conversation per (resident, worker, company, context): opening twice returns the same one. */
    dedupeKey: text('dedupe_key').notNull(),
    lastSeq: integer('last_seq').notNull().default(0),
    lastMessageAt: tstz('last_message_at').notNull().defaultNow(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('conversation_dedupe_unique').on(t.dedupeKey),
    index('conversation_resident_idx').on(t.residentUserId, t.lastMessageAt),
    index('conversation_worker_idx').on(t.workerId, t.lastMessageAt),
    index('conversation_company_idx').on(t.companyId, t.lastMessageAt),
    index('conversation_order_idx').on(t.orderId),
    check('conversation_counterpart', sql`${t.workerId} is not null or ${t.companyId} is not null`),
  ],
);

/** One message; `seq` is gap-free and increasing within its conversation. */
export const message = pgTable(
  'message',
  {
    id: idColumn(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversation.id),
    seq: integer('seq').notNull(),
    /** Null for system messages. */
    senderUserId: text('sender_user_id').references(() => user.id),
    /** 'resident' | 'worker' | 'company' | 'system' */
    senderSide: text('sender_side').notNull(),
    /** 'text' | 'image' | 'system' */
    kind: text('kind').notNull(),
    body: text('body'),
    imageKey: text('image_key'),
    imageMime: text('image_mime'),
    /** What a privacy scan found in the text: 'phone', 'id_number'. */
    privacyFlags: jsonb('privacy_flags').$type<string[]>().notNull().default([]),
    /** System messages: an event code ('orders.accepted') and its parameters (ids and states only). */
    systemCode: text('system_code'),
    systemParams: jsonb('system_params').$type<Record<string, string>>(),
    /** The client's id for the message, so a re-sent message after a reconnect is stored once. */
    clientKey: text('client_key'),
    /** The outbox event a system message came from, so a redelivered event posts nothing twice. */
    sourceEventId: text('source_event_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('message_seq_unique').on(t.conversationId, t.seq),
    uniqueIndex('message_client_key_unique').on(t.conversationId, t.senderUserId, t.clientKey),
    uniqueIndex('message_source_event_unique').on(t.conversationId, t.sourceEventId),
    index('message_sender_time_idx').on(t.senderUserId, t.createdAt),
    check('message_kind', sql`${t.kind} in ('text', 'image', 'system')`),
  ],
);

/** How far each person has read a conversation (read receipts and unread counts). */
export const conversationRead = pgTable(
  'conversation_read',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversation.id),
    userId: text('user_id')
      .notNull()
      .references(() => user.id),
    lastReadSeq: integer('last_read_seq').notNull().default(0),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index('conversation_read_user_idx').on(t.userId),
  ],
);

/** A person blocked the conversation: the other side can no longer write into it. */
export const conversationBlock = pgTable(
  'conversation_block',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversation.id),
    blockedByUserId: text('blocked_by_user_id')
      .notNull()
      .references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.blockedByUserId] })],
);

/** A participant reported a conversation; regulators review it (each read audited). */
export const conversationReport = pgTable(
  'conversation_report',
  {
    id: idColumn(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversation.id),
    reporterUserId: text('reporter_user_id')
      .notNull()
      .references(() => user.id),
    reason: text('reason').notNull(),
    /** 'open' | 'reviewed' */
    state: text('state').notNull().default('open'),
    reviewedByUserId: text('reviewed_by_user_id').references(() => user.id),
    reviewNote: text('review_note'),
    reviewedAt: tstz('reviewed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('conversation_report_state_idx').on(t.state, t.id),
    index('conversation_report_conversation_idx').on(t.conversationId),
  ],
);

/** A video interview (视频面试) between an organizer (resident or company staff) and a worker. */
export const interview = pgTable(
  'interview',
  {
    id: idColumn(),
    conversationId: text('conversation_id').references(() => conversation.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    workerUserId: text('worker_user_id')
      .notNull()
      .references(() => user.id),
    organizerUserId: text('organizer_user_id')
      .notNull()
      .references(() => user.id),
    /** Set when a company's staff member organized it for the company. */
    companyId: text('company_id').references(() => organization.id),
    scheduledAt: tstz('scheduled_at').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    /** interview-status.ts */
    state: text('state').notNull(),
    /** Organizer's notes on the interview (visible to the organizer side only). */
    notes: text('notes'),
    /** 'proceed' | 'decline' */
    outcome: text('outcome'),
    remindAt: tstz('remind_at').notNull(),
    remindedAt: tstz('reminded_at'),
    startedAt: tstz('started_at'),
    endedAt: tstz('ended_at'),
    ...timestamps(),
  },
  (t) => [
    index('interview_worker_user_idx').on(t.workerUserId, t.scheduledAt),
    index('interview_organizer_idx').on(t.organizerUserId, t.scheduledAt),
    index('interview_company_idx').on(t.companyId, t.scheduledAt),
    index('interview_remind_idx').on(t.state, t.remindAt),
    check('interview_duration', sql`${t.durationMinutes} between 5 and 180`),
  ],
);

/** A signaling frame too large for one NOTIFY (SDP offers can be), kept briefly for the other process. */
export const signalRelay = pgTable('signal_relay', {
  id: idColumn(),
  payload: jsonb('payload').notNull(),
  createdAt: createdAt(),
});
