import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';

/**
 * The 安心服务证. `worker_id` names a worker of the workers module (no foreign key: that module owns its table
 * and may be deployed later). At most one certificate per worker is not revoked.
 */
export const certificate = pgTable(
  'certificate',
  {
    id: idColumn(),
    /** Public number with a check character, see certificate-number.ts. */
    number: text('number').notNull(),
    workerId: text('worker_id').notNull(),
    companyId: text('company_id').references(() => organization.id),
    /** GB/T 2260 district the certificate was issued in; scopes district regulators. */
    district: text('district').notNull(),
    categories: text('categories').array().notNull(),
    skillLevel: text('skill_level'),
    issuedAt: tstz('issued_at').notNull(),
    validFrom: tstz('valid_from').notNull(),
    validUntil: tstz('valid_until').notNull(),
    /** 'active' | 'suspended' | 'revoked' — see certificate-status.ts. */
    state: text('state').notNull(),
    stateReason: text('state_reason'),
    issuedBy: text('issued_by').references(() => user.id),
    /** Key the QR token is signed with; changes only when that key is retired and the card is re-printed. */
    qrKid: text('qr_kid').notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('certificate_number_uq').on(t.number),
    uniqueIndex('certificate_worker_live_uq').on(t.workerId).where(sql`${t.state} <> 'revoked'`),
    // A worker's certificates including revoked ones (workerStatus' latest pick, the e-file): without it each
    // status check was a parallel scan of the whole table (23 ms at gz, on every order create and accept).
    index('certificate_worker_idx').on(t.workerId),
    index('certificate_district_idx').on(t.district, t.id),
    index('certificate_valid_until_idx').on(t.validUntil),
  ],
);

/** Per district and year, the last sequence number handed out (certificate numbers are gap-free per bucket). */
export const certificateNumberSeq = pgTable(
  'certificate_number_seq',
  {
    district: text('district').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.district, t.year] })],
);

/** HMAC keys for QR tokens. The secret is encrypted with the PII key; retired keys no longer verify. */
export const qrSigningKey = pgTable(
  'qr_signing_key',
  {
    kid: text('kid').primaryKey(),
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(false),
    createdAt: tstz('created_at').notNull().defaultNow(),
    retiredAt: tstz('retired_at'),
  },
  (t) => [uniqueIndex('qr_signing_key_active_uq').on(t.active).where(sql`${t.active}`)],
);

/** How often each certificate was verified per day and channel: counts only, no viewer data. */
export const certificateVerificationCount = pgTable(
  'certificate_verification_count',
  {
    certificateId: text('certificate_id')
      .notNull()
      .references(() => certificate.id),
    day: date('day', { mode: 'string' }).notNull(),
    /** 'qr' (the /v/ page) | 'number' (lookup by number) */
    channel: text('channel').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.certificateId, t.day, t.channel] })],
);

/** One row per reminder sent, so the daily job notifies once per document, expiry date and threshold. */
export const expiryReminder = pgTable(
  'expiry_reminder',
  {
    workerId: text('worker_id').notNull(),
    /** 'health' | 'certificate' */
    document: text('document').notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    /** 'due_30d' | 'expired' */
    threshold: text('threshold').notNull(),
    sentAt: tstz('sent_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workerId, t.document, t.expiresOn, t.threshold] })],
);
