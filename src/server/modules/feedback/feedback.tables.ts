import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';
import { worker } from '../workers/workers.tables.js';

/** An uploaded photo or evidence file kept in app.storage. */
export interface FeedbackFile {
  fileId: string;
  name: string;
  contentType: string;
  size: number;
}

/**
 * A review (评价) of a completed order. `side` 'resident' rates the worker and the company of the order;
 * side 'provider' (the assigned worker or the company) rates the employer (双向评价). One per order per side.
 * `overall` is the mean of the 1–5 dimension ratings, stored so credit can sum it in SQL.
 */
export const review = pgTable(
  'review',
  {
    id: idColumn(),
    orderId: text('order_id').notNull(),
    /** The public order number, shown as the "verified order" proof. */
    orderNumber: text('order_number').notNull(),
    /** The signed contract of the order, when the contracts module recorded one (filled from the order's contractRef). */
    contractId: text('contract_id'),
    /** 'resident' | 'provider' */
    side: text('side').notNull(),
    authorUserId: text('author_user_id')
      .notNull()
      .references(() => user.id),
    /** 'resident' | 'worker' | 'company' */
    authorRole: text('author_role').notNull(),
    workerId: text('worker_id').references(() => worker.id),
    companyId: text('company_id').references(() => organization.id),
    /** The employer (resident) rated by a provider review; null on resident reviews. */
    employerUserId: text('employer_user_id').references(() => user.id),
    /** Dimension → 1..5 (resident: quality, punctuality, attitude, skill; provider: respect, payment, communication, environment). */
    ratings: jsonb('ratings').$type<Record<string, number>>().notNull(),
    overall: doublePrecision('overall').notNull(),
    text: text('text').notNull(),
    photos: jsonb('photos').$type<FeedbackFile[]>().notNull().default([]),
    /** 'published' | 'flagged' (held for moderation: fraud signal) | 'hidden' (removed by the regulator) */
    state: text('state').notNull(),
    flagReason: text('flag_reason'),
    moderationReason: text('moderation_reason'),
    moderatedBy: text('moderated_by').references(() => user.id),
    moderatedAt: tstz('moderated_at'),
    replyText: text('reply_text'),
    replyBy: text('reply_by').references(() => user.id),
    repliedAt: tstz('replied_at'),
    district: text('district').notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('review_order_side_unique').on(t.orderId, t.side),
    index('review_worker_idx').on(t.workerId, t.state, t.id),
    index('review_company_idx').on(t.companyId, t.state, t.id),
    index('review_employer_idx').on(t.employerUserId, t.state, t.id),
    index('review_author_idx').on(t.authorUserId, t.createdAt),
    index('review_state_idx').on(t.state, t.id),
    check('review_overall_range', sql`${t.overall} >= 1 and ${t.overall} <= 5`),
  ],
);

/** A report of an abusive review (举报), decided by the regulator. */
export const reviewReport = pgTable(
  'review_report',
  {
    id: idColumn(),
    reviewId: text('review_id')
      .notNull()
      .references(() => review.id),
    reporterUserId: text('reporter_user_id')
      .notNull()
      .references(() => user.id),
    reason: text('reason').notNull(),
    /** 'open' | 'upheld' | 'dismissed' */
    state: text('state').notNull(),
    decisionReason: text('decision_reason'),
    decidedBy: text('decided_by').references(() => user.id),
    decidedAt: tstz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('review_report_state_idx').on(t.state, t.id),
    uniqueIndex('review_report_once').on(t.reviewId, t.reporterUserId),
  ],
);

/**
 * A complaint (投诉) by a resident (about an order, worker or company) or a worker (about an employer or a
 * company). `companyId` is the organization that must respond; `state` follows complaint-status.ts.
 */
export const complaint = pgTable(
  'complaint',
  {
    id: idColumn(),
    /** 'resident' | 'worker' */
    complainantRole: text('complainant_role').notNull(),
    complainantUserId: text('complainant_user_id')
      .notNull()
      .references(() => user.id),
    orderId: text('order_id'),
    orderNumber: text('order_number'),
    /** 'worker' | 'company' | 'employer' */
    subjectType: text('subject_type').notNull(),
    workerId: text('worker_id').references(() => worker.id),
    companyId: text('company_id').references(() => organization.id),
    employerUserId: text('employer_user_id').references(() => user.id),
    category: text('category').notNull(),
    description: text('description').notNull(),
    evidence: jsonb('evidence').$type<FeedbackFile[]>().notNull().default([]),
    district: text('district').notNull(),
    state: text('state').notNull(),
    filedAt: tstz('filed_at').notNull(),
    /** SLA: the company must answer before this (config COMPLAINT_RESPONSE_HOURS). */
    respondBy: tstz('respond_by').notNull(),
    respondedAt: tstz('responded_at'),
    response: text('response'),
    escalatedAt: tstz('escalated_at'),
    /** 'system' (SLA missed) | 'complainant' (resolution refused) */
    escalatedBy: text('escalated_by'),
    /** 'upheld' | 'rejected' */
    outcome: text('outcome'),
    decisionReason: text('decision_reason'),
    decidedAt: tstz('decided_at'),
    /** 'none' | 'suspend' | 'revoke' — the regulator's certificate decision on upholding. */
    certificateAction: text('certificate_action'),
    appealedAt: tstz('appealed_at'),
    appealReason: text('appeal_reason'),
    /** 'complainant' | 'company' */
    appealedBy: text('appealed_by'),
    closedAt: tstz('closed_at'),
    ...timestamps(),
  },
  (t) => [
    index('complaint_company_idx').on(t.companyId, t.state, t.id),
    index('complaint_worker_idx').on(t.workerId, t.id),
    index('complaint_complainant_idx').on(t.complainantUserId, t.id),
    index('complaint_due_idx').on(t.state, t.respondBy),
    index('complaint_district_idx').on(t.district, t.state, t.id),
  ],
);

/** Each step of a complaint, timestamped (the audit log carries the same, hash-chained). */
export const complaintEvent = pgTable(
  'complaint_event',
  {
    id: idColumn(),
    complaintId: text('complaint_id')
      .notNull()
      .references(() => complaint.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    /** 'complainant' | 'company' | 'regulator' | 'system' */
    party: text('party').notNull(),
    actorId: text('actor_id').references(() => user.id),
    note: text('note'),
    at: tstz('at').notNull(),
  },
  (t) => [index('complaint_event_complaint_idx').on(t.complaintId, t.at)],
);
