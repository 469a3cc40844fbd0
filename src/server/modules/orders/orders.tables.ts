import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';
import { worker } from '../workers/workers.tables.js';

/**
 * A service order (订单): who ordered what from which company, the assigned worker, the schedule, the price
 * quoted at ordering time (kept even if the company changes its list), and where it is in its lifecycle
 * (order-status.ts). The service address is encrypted; `district` and the rounded point stay clear for
 * dispatch and statistics.
 */
export const serviceOrder = pgTable(
  'service_order',
  {
    id: idColumn(),
    /** Public order number `DD<yyyymmdd><6-digit seq><check>` (ISO 7064 MOD 37,36). */
    number: text('number').notNull(),
    residentUserId: text('resident_user_id')
      .notNull()
      .references(() => user.id),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    /** The worker of the current assignment (order_assignment keeps the history). */
    workerId: text('worker_id').references(() => worker.id),
    category: text('category').notNull(),
    mode: text('mode').notNull(),
    state: text('state').notNull(),
    /** The schedule as asked (schedule.ts `Schedule`). */
    schedule: jsonb('schedule').notNull(),
    serviceStart: tstz('service_start').notNull(),
    serviceEnd: tstz('service_end').notNull(),
    visits: integer('visits').notNull(),
    /** The catalog item quoted, and its terms at ordering time. */
    priceItemId: text('price_item_id').notNull(),
    priceTitle: text('price_title').notNull(),
    unit: text('unit').notNull(),
    unitPriceFen: integer('unit_price_fen').notNull(),
    quantity: integer('quantity').notNull(),
    totalFen: integer('total_fen').notNull(),
    /** 'below' | 'above' the regulator's guide range at ordering time, or null. */
    guideFlag: text('guide_flag'),
    addressEnc: text('address_enc').notNull(),
    addressMasked: text('address_masked').notNull(),
    district: text('district').notNull(),
    note: text('note'),
    demandId: text('demand_id'),
    /** The station referral the order came from (转介), if any. */
    referralId: text('referral_id'),
    /** The contract that allowed a long-term order to start (contracts module) or an uploaded signed copy. */
    contractRef: text('contract_ref'),
    expiresAt: tstz('expires_at'),
    acceptedAt: tstz('accepted_at'),
    startedAt: tstz('started_at'),
    completedAt: tstz('completed_at'),
    closedAt: tstz('closed_at'),
    cancelledAt: tstz('cancelled_at'),
    /** 'resident' | 'company' | 'system' */
    cancelledBy: text('cancelled_by'),
    cancelFeeFen: integer('cancel_fee_fen'),
    stateReason: text('state_reason'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('service_order_number_unique').on(t.number),
    index('service_order_resident_idx').on(t.residentUserId, t.id),
    index('service_order_company_idx').on(t.companyId, t.state, t.id),
    index('service_order_worker_idx').on(t.workerId, t.serviceStart),
    index('service_order_due_idx').on(t.state, t.expiresAt),
    index('service_order_district_idx').on(t.district, t.category),
    check('service_order_money', sql`${t.unitPriceFen} > 0 and ${t.quantity} > 0 and ${t.totalFen} > 0`),
  ],
);

/** Order number sequence per Shanghai day. */
export const orderNumberSeq = pgTable('order_number_seq', {
  day: date('day', { mode: 'string' }).primaryKey(),
  last: integer('last').notNull(),
});

/** Each step of an order: the traceable history (可追溯). Audit rows carry the same, hash-chained. */
export const orderEvent = pgTable(
  'order_event',
  {
    id: idColumn(),
    orderId: text('order_id')
      .notNull()
      .references(() => serviceOrder.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    /** 'resident' | 'company' | 'worker' | 'station' | 'system' */
    party: text('party').notNull(),
    actorId: text('actor_id').references(() => user.id),
    reason: text('reason'),
    detail: jsonb('detail'),
    at: tstz('at').notNull(),
  },
  (t) => [index('order_event_order_idx').on(t.orderId, t.at)],
);

/** A worker assigned to an order for a span; a replacement ends one assignment and links the next (换人). */
export const orderAssignment = pgTable(
  'order_assignment',
  {
    id: idColumn(),
    orderId: text('order_id')
      .notNull()
      .references(() => serviceOrder.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    fromAt: tstz('from_at').notNull(),
    toAt: tstz('to_at'),
    endedReason: text('ended_reason'),
    replacedById: text('replaced_by_id'),
    createdBy: text('created_by').references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('order_assignment_order_idx').on(t.orderId, t.fromAt),
    uniqueIndex('order_assignment_open_unique').on(t.orderId).where(sql`to_at is null`),
  ],
);

/**
 * The worker's held time: one row per visit (hourly, recurring) or one span (long-term). Active rows may not
 * overlap for one worker — an exclusion constraint in the database (migration `orders_no_double_booking`), so
 * two concurrent accepts cannot both win.
 */
export const workerBooking = pgTable(
  'worker_booking',
  {
    id: idColumn(),
    orderId: text('order_id')
      .notNull()
      .references(() => serviceOrder.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    /** 'scheduled' | 'paused' | 'cancelled' | 'released' (replaced or ended) */
    status: text('status').notNull().default('scheduled'),
    active: boolean('active').notNull().default(true),
    /** For a visit covered by a substitute: the regular worker's booking it stands in for. */
    substituteFor: text('substitute_for'),
    createdAt: createdAt(),
  },
  (t) => [
    index('worker_booking_worker_idx').on(t.workerId, t.startsAt),
    // The search's availability probe (`workerBusySql`): a worker's active bookings ending after the period's start,
    // read from the index alone (index-only: no heap page per probe, the worker's past bookings skipped).
    index('worker_booking_free_idx').on(t.workerId, t.endsAt, t.startsAt).where(sql`active`),
    index('worker_booking_order_idx').on(t.orderId, t.startsAt),
    check('worker_booking_period', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** A resident's published need (需求发布), seen by companies serving the district and by the area's station. */
export const demand = pgTable(
  'demand',
  {
    id: idColumn(),
    residentUserId: text('resident_user_id')
      .notNull()
      .references(() => user.id),
    category: text('category').notNull(),
    mode: text('mode').notNull(),
    district: text('district').notNull(),
    addressEnc: text('address_enc').notNull(),
    addressMasked: text('address_masked').notNull(),
    /** The schedule wanted (schedule.ts `Schedule`), checked like an order's. */
    schedule: jsonb('schedule').notNull(),
    budgetMinFen: integer('budget_min_fen'),
    budgetMaxFen: integer('budget_max_fen'),
    description: text('description').notNull(),
    /** 'open' | 'matched' | 'withdrawn' | 'expired' */
    state: text('state').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    orderId: text('order_id'),
    ...timestamps(),
  },
  (t) => [
    index('demand_open_idx').on(t.state, t.district, t.category, t.id),
    index('demand_resident_idx').on(t.residentUserId, t.id),
  ],
);

/** A company's answer to a demand: a green worker and a price item. Accepting one makes an order. */
export const demandOffer = pgTable(
  'demand_offer',
  {
    id: idColumn(),
    demandId: text('demand_id')
      .notNull()
      .references(() => demand.id),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    priceItemId: text('price_item_id').notNull(),
    message: text('message'),
    /** 'pending' | 'accepted' | 'rejected' | 'withdrawn' */
    state: text('state').notNull(),
    referralId: text('referral_id'),
    createdBy: text('created_by').references(() => user.id),
    ...timestamps(),
  },
  (t) => [
    index('demand_offer_demand_idx').on(t.demandId, t.id),
    uniqueIndex('demand_offer_company_unique').on(t.demandId, t.companyId).where(sql`state = 'pending'`),
  ],
);

/** A community station's referral (转介) of a demand to a company, and what came of it. */
export const referral = pgTable(
  'referral',
  {
    id: idColumn(),
    demandId: text('demand_id')
      .notNull()
      .references(() => demand.id),
    stationId: text('station_id')
      .notNull()
      .references(() => organization.id),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    note: text('note'),
    createdBy: text('created_by').references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('referral_unique').on(t.demandId, t.companyId),
    index('referral_station_idx').on(t.stationId, t.id),
    index('referral_company_idx').on(t.companyId, t.id),
  ],
);

/** A follow-up visit (回访) after completion: the company's own, or a sample for the station or regulator. */
export const followUp = pgTable(
  'follow_up',
  {
    id: idColumn(),
    orderId: text('order_id')
      .notNull()
      .references(() => serviceOrder.id),
    /** 'company' | 'station' | 'regulator' */
    assigneeKind: text('assignee_kind').notNull(),
    /** The company or station organization; null for the regulator sample (district-scoped). */
    assigneeOrgId: text('assignee_org_id').references(() => organization.id),
    district: text('district').notNull(),
    dueAt: tstz('due_at').notNull(),
    /** 'pending' | 'done' */
    state: text('state').notNull(),
    reached: boolean('reached'),
    /** 1..5 */
    satisfaction: integer('satisfaction'),
    notes: text('notes'),
    recordedBy: text('recorded_by').references(() => user.id),
    recordedAt: tstz('recorded_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('follow_up_assignee_idx').on(t.assigneeKind, t.assigneeOrgId, t.state, t.dueAt),
    index('follow_up_order_idx').on(t.orderId),
    uniqueIndex('follow_up_unique').on(t.orderId, t.assigneeKind),
    check('follow_up_satisfaction', sql`${t.satisfaction} is null or ${t.satisfaction} between 1 and 5`),
  ],
);
