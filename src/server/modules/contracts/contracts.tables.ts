import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { serviceOrder } from '../orders/orders.tables.js';
import { organization } from '../orgs/orgs.tables.js';
import { worker } from '../workers/workers.tables.js';

/** A versioned contract template (中介制 'agency' or 员工制 'employee'); the regulator adds versions, never edits one. */
export const contractTemplate = pgTable(
  'contract_template',
  {
    id: idColumn(),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    /** [{ key, title, body with {{variables}} }] (contract-template.ts). */
    clauses: jsonb('clauses').notNull(),
    createdBy: text('created_by').references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('contract_template_kind_version_uq').on(t.kind, t.version)],
);

/**
 * A contract made from an order: structured terms (contract-terms.ts), its state (contract-status.ts), and once
 * every party signed, the sealed PDF's and the terms' SHA-256 and the filing (备案) number. A sealed row's terms
 * never change (the service refuses; the hashes would show it). A replacement version links to the one before.
 */
export const contract = pgTable(
  'contract',
  {
    id: idColumn(),
    /** `HT<yyyy><seq6><check>` (ISO 7064 MOD 37,36). */
    number: text('number').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => serviceOrder.id),
    templateId: text('template_id')
      .notNull()
      .references(() => contractTemplate.id),
    kind: text('kind').notNull(),
    state: text('state').notNull(),
    revision: integer('revision').notNull(),
    terms: jsonb('terms').notNull(),
    /**
     * How the clauses state the terms (contract-template.ts ClauseFormat): 1 = amounts as `12000.00 元` (contracts made
     * before 2026-11-30 keep it, so they read as signed), 2 = `人民币 12,000.00 元（大写：…）`. The service sets it.
     */
    clauseFormat: smallint('clause_format').notNull().default(1),
    /** The service address, AES-GCM encrypted (aad `contract.address`). */
    addressEnc: text('address_enc').notNull(),
    residentUserId: text('resident_user_id')
      .notNull()
      .references(() => user.id),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    category: text('category').notNull(),
    mode: text('mode').notNull(),
    district: text('district').notNull(),
    /** The version this one replaces (换人), and the one that replaced it: the chain. */
    previousId: text('previous_id'),
    replacedById: text('replaced_by_id'),
    pdfKey: text('pdf_key'),
    pdfSha256: text('pdf_sha256'),
    termsSha256: text('terms_sha256'),
    filingNo: text('filing_no'),
    sealedAt: tstz('sealed_at'),
    terminatedAt: tstz('terminated_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('contract_number_uq').on(t.number),
    uniqueIndex('contract_filing_no_uq').on(t.filingNo),
    // One contract being drafted or signed per order: a double submit cannot make two.
    uniqueIndex('contract_order_open_uq').on(t.orderId).where(sql`${t.state} in ('draft', 'signing')`),
    index('contract_order_idx').on(t.orderId, t.id),
    index('contract_company_idx').on(t.companyId, t.id),
    index('contract_resident_idx').on(t.residentUserId, t.id),
    index('contract_worker_idx').on(t.workerId, t.id),
    index('contract_filed_idx').on(t.sealedAt, t.district, t.category),
  ],
);

/** Every revision of the terms before signing (who changed which fields). */
export const contractRevision = pgTable(
  'contract_revision',
  {
    id: idColumn(),
    contractId: text('contract_id')
      .notNull()
      .references(() => contract.id),
    revision: integer('revision').notNull(),
    terms: jsonb('terms').notNull(),
    party: text('party').notNull(),
    actorId: text('actor_id').references(() => user.id),
    changed: jsonb('changed').notNull(),
    at: tstz('at').notNull(),
  },
  (t) => [uniqueIndex('contract_revision_uq').on(t.contractId, t.revision)],
);

/** A party's signature: who, when, from where, and the digest of the hand-drawn image (kept in file storage). */
export const contractSignature = pgTable(
  'contract_signature',
  {
    id: idColumn(),
    contractId: text('contract_id')
      .notNull()
      .references(() => contract.id),
    party: text('party').notNull(),
    signerUserId: text('signer_user_id')
      .notNull()
      .references(() => user.id),
    revision: integer('revision').notNull(),
    signerIp: text('signer_ip'),
    signerUserAgent: text('signer_user_agent'),
    signatureSha256: text('signature_sha256').notNull(),
    signatureKey: text('signature_key').notNull(),
    signedAt: tstz('signed_at').notNull(),
  },
  (t) => [uniqueIndex('contract_signature_party_uq').on(t.contractId, t.party)],
);

/** SMS codes confirming a signature: only a keyed hash, 5-minute expiry, limited attempts. */
export const contractSignCode = pgTable(
  'contract_sign_code',
  {
    id: idColumn(),
    contractId: text('contract_id')
      .notNull()
      .references(() => contract.id),
    party: text('party').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id),
    codeHash: text('code_hash').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: tstz('used_at'),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [index('contract_sign_code_idx').on(t.contractId, t.party, t.createdAt)],
);

/** Sequences for contract and filing numbers, per key (`HT-2026`, `BA-440106-2026`). */
export const contractNumberSeq = pgTable('contract_number_seq', {
  key: text('key').primaryKey(),
  last: integer('last').notNull(),
});

/** A termination (解除合约): reason, effective date, the computed settlement, and each party's answer. */
export const contractTermination = pgTable(
  'contract_termination',
  {
    id: idColumn(),
    contractId: text('contract_id')
      .notNull()
      .references(() => contract.id),
    requestedBy: text('requested_by').notNull(),
    requestedByUserId: text('requested_by_user_id').references(() => user.id),
    reason: text('reason').notNull(),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    settlement: jsonb('settlement').notNull(),
    /** Parties that confirmed, in order. */
    confirmedBy: jsonb('confirmed_by').notNull(),
    /** 'pending' | 'agreed' | 'disputed' */
    state: text('state').notNull(),
    disputedBy: text('disputed_by'),
    disputeReason: text('dispute_reason'),
    createdAt: tstz('created_at').notNull(),
    resolvedAt: tstz('resolved_at'),
  },
  (t) => [index('contract_termination_contract_idx').on(t.contractId, t.createdAt)],
);
