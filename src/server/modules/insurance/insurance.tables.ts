import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';
import { worker } from '../workers/workers.tables.js';

/** One coverage item of a product: what is covered and up to how much (fen). */
export interface CoverageItem {
  code: string;
  label: string;
  amountFen: number;
}

/** A claim's evidence or supplied document: a description the claimant gives, when and by whom. */
export interface EvidenceItem {
  note: string;
  at: string;
  by: 'worker' | 'company' | 'resident';
}

/**
 * An insurer's product (保险产品) for domestic workers: "商业+公益" cover whose premium per person per period is
 * partly paid by a public subsidy (share in basis points, capped per person per period).
 */
export const insuranceProduct = pgTable(
  'insurance_product',
  {
    id: idColumn(),
    insurerId: text('insurer_id')
      .notNull()
      .references(() => organization.id),
    title: text('title').notNull(),
    /** 'accident' | 'liability' | 'combined' */
    kind: text('kind').notNull(),
    coverage: jsonb('coverage').$type<CoverageItem[]>().notNull(),
    premiumFen: integer('premium_fen').notNull(),
    periodMonths: integer('period_months').notNull(),
    categories: text('categories').array().notNull(),
    subsidyShareBp: integer('subsidy_share_bp').notNull(),
    subsidyCapFen: integer('subsidy_cap_fen').notNull(),
    waitingDays: integer('waiting_days').notNull(),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    index('insurance_product_insurer_idx').on(t.insurerId, t.id),
    check('insurance_product_premium', sql`${t.premiumFen} > 0`),
    check('insurance_product_share', sql`${t.subsidyShareBp} between 0 and 10000`),
    check('insurance_product_cap', sql`${t.subsidyCapFen} >= 0`),
  ],
);

/**
 * A worker's policy (保单) under a product for one period, with the premium split recorded at enrolment. The
 * database refuses two pending/active policies of the same product for one worker over overlapping periods
 * (migration insurance_no_overlap).
 */
export const insurancePolicy = pgTable(
  'insurance_policy',
  {
    id: idColumn(),
    /** Public policy number `BD<yyyymmdd><6-digit seq><check>` (ISO 7064 MOD 37,36). */
    number: text('number').notNull(),
    productId: text('product_id')
      .notNull()
      .references(() => insuranceProduct.id),
    insurerId: text('insurer_id')
      .notNull()
      .references(() => organization.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    /** The employer at enrolment (null for a worker enrolling alone). */
    companyId: text('company_id').references(() => organization.id),
    /** 'company' | 'worker' */
    enrolledBy: text('enrolled_by').notNull(),
    enrolledByUserId: text('enrolled_by_user_id')
      .notNull()
      .references(() => user.id),
    /** Groups the policies of one bulk enrolment. */
    batchId: text('batch_id').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    premiumFen: integer('premium_fen').notNull(),
    subsidyFen: integer('subsidy_fen').notNull(),
    companyFen: integer('company_fen').notNull(),
    workerFen: integer('worker_fen').notNull(),
    state: text('state').notNull(),
    stateReason: text('state_reason'),
    confirmedAt: tstz('confirmed_at'),
    renewalRemindedAt: tstz('renewal_reminded_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('insurance_policy_number_uq').on(t.number),
    index('insurance_policy_worker_idx').on(t.workerId, t.endsOn),
    index('insurance_policy_insurer_idx').on(t.insurerId, t.state, t.id),
    index('insurance_policy_company_idx').on(t.companyId, t.id),
    index('insurance_policy_confirmed_idx').on(t.confirmedAt),
    check('insurance_policy_period', sql`${t.endsOn} >= ${t.startsOn}`),
    check(
      'insurance_policy_split',
      sql`${t.subsidyFen} >= 0 and ${t.companyFen} >= 0 and ${t.workerFen} >= 0 and ${t.subsidyFen} + ${t.companyFen} + ${t.workerFen} = ${t.premiumFen}`,
    ),
  ],
);

/**
 * A claim (理赔) on a policy: reported by the insured worker, their company, or a resident (liability), linked to
 * an order where there is one. The incident place may be a home address, so it is encrypted.
 */
export const insuranceClaim = pgTable(
  'insurance_claim',
  {
    id: idColumn(),
    /** Public claim number `LP<yyyymmdd><6-digit seq><check>`. */
    number: text('number').notNull(),
    policyId: text('policy_id')
      .notNull()
      .references(() => insurancePolicy.id),
    insurerId: text('insurer_id')
      .notNull()
      .references(() => organization.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    companyId: text('company_id').references(() => organization.id),
    reporterUserId: text('reporter_user_id')
      .notNull()
      .references(() => user.id),
    /** 'worker' | 'company' | 'resident' */
    reporterKind: text('reporter_kind').notNull(),
    /** The company org the reporter acted for (when reporterKind = company). */
    reporterOrgId: text('reporter_org_id').references(() => organization.id),
    orderId: text('order_id'),
    coverageCode: text('coverage_code').notNull(),
    incidentOn: date('incident_on', { mode: 'string' }).notNull(),
    placeEnc: text('place_enc').notNull(),
    description: text('description').notNull(),
    evidence: jsonb('evidence').$type<EvidenceItem[]>().notNull(),
    claimedFen: integer('claimed_fen').notNull(),
    approvedFen: integer('approved_fen'),
    paidFen: integer('paid_fen'),
    payoutRef: text('payout_ref'),
    paidAt: tstz('paid_at'),
    state: text('state').notNull(),
    stateReason: text('state_reason'),
    /** When the party whose turn it is must act (SLA); null in final states. */
    dueAt: tstz('due_at'),
    slaBreachNotifiedAt: tstz('sla_breach_notified_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('insurance_claim_number_uq').on(t.number),
    index('insurance_claim_insurer_idx').on(t.insurerId, t.state, t.id),
    index('insurance_claim_policy_idx').on(t.policyId),
    index('insurance_claim_worker_idx').on(t.workerId, t.id),
    index('insurance_claim_reporter_idx').on(t.reporterUserId, t.id),
    index('insurance_claim_due_idx').on(t.dueAt),
    check('insurance_claim_amount', sql`${t.claimedFen} > 0`),
  ],
);

/** Each step of a claim: the traceable history shown to every party. */
export const insuranceClaimEvent = pgTable(
  'insurance_claim_event',
  {
    id: idColumn(),
    claimId: text('claim_id')
      .notNull()
      .references(() => insuranceClaim.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    party: text('party').notNull(),
    actorId: text('actor_id'),
    reason: text('reason'),
    amountFen: integer('amount_fen'),
    at: createdAt(),
  },
  (t) => [index('insurance_claim_event_claim_idx').on(t.claimId, t.at)],
);

/** Daily counters behind policy and claim numbers. */
export const insuranceNumberSeq = pgTable(
  'insurance_number_seq',
  {
    /** 'BD' (policy) | 'LP' (claim) */
    kind: text('kind').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    last: integer('last').notNull(),
  },
  (t) => [uniqueIndex('insurance_number_seq_uq').on(t.kind, t.day)],
);
