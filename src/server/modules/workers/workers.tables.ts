import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';

/**
 * A domestic worker's real-name record (一人一档). The ID number and phone are encrypted and found by keyed
 * hash; `user_id` stays null while a company-created registration awaits the worker's SMS confirmation.
 */
export const worker = pgTable(
  'worker',
  {
    id: idColumn(),
    userId: text('user_id').references(() => user.id),
    name: text('name').notNull(),
    idNumberEnc: text('id_number_enc').notNull(),
    idNumberHash: text('id_number_hash').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    /** 'M' | 'F', derived from the ID number. */
    sex: text('sex').notNull(),
    phoneEnc: text('phone_enc'),
    phoneHash: text('phone_hash'),
    district: text('district'),
    nativePlace: text('native_place'),
    education: text('education'),
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    skillLevel: text('skill_level'),
    maternityStars: integer('maternity_stars'),
    yearsExperience: integer('years_experience'),
    intro: text('intro'),
    /** Approximate service base (WGS-84), rounded to 0.001° (~100 m) for privacy; search falls back to the district centre. */
    baseLon: doublePrecision('base_lon'),
    baseLat: doublePrecision('base_lat'),
    photoFileKey: text('photo_file_key'),
    /** 'pending_confirmation' | 'active' | 'deletion_requested' | 'deleted' */
    status: text('status').notNull(),
    /** 'self' | 'company' */
    registeredVia: text('registered_via').notNull(),
    /** The company that entered a registration on the worker's behalf. */
    registeredByOrgId: text('registered_by_org_id').references(() => organization.id),
    /** Set when both ID card sides are approved by a regulator (人证合一). */
    identityVerifiedAt: tstz('identity_verified_at'),
    /** Hash of the pending SMS confirmation code (company registrations), its expiry and wrong tries. */
    confirmCodeHash: text('confirm_code_hash'),
    confirmExpiresAt: tstz('confirm_expires_at'),
    confirmFailures: integer('confirm_failures').notNull().default(0),
    createdBy: text('created_by').references(() => user.id),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('worker_user_unique').on(t.userId),
    uniqueIndex('worker_id_number_unique').on(t.idNumberHash),
    index('worker_phone_hash_idx').on(t.phoneHash),
    index('worker_district_idx').on(t.district),
    index('worker_registered_by_idx').on(t.registeredByOrgId),
  ],
);

/** Acceptance of the data-authorisation letter (信用信息授权书): which text, when, by which account. */
export const workerConsent = pgTable(
  'worker_consent',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    /** The accepting account; null only for letters signed on paper and entered in bulk (imports, demo). */
    userId: text('user_id').references(() => user.id),
    textVersion: text('text_version').notNull(),
    textSha256: text('text_sha256').notNull(),
    acceptedAt: tstz('accepted_at').notNull(),
    ip: text('ip'),
    withdrawnAt: tstz('withdrawn_at'),
  },
  (t) => [index('worker_consent_worker_idx').on(t.workerId)],
);

/** An uploaded proof (ID sides, health certificate …) and its review; a newer upload of a kind supersedes. */
export const workerDocument = pgTable(
  'worker_document',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    kind: text('kind').notNull(),
    fileKey: text('file_key').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }),
    number: text('number'),
    /** 'pending' | 'approved' | 'rejected' */
    state: text('state').notNull().default('pending'),
    reason: text('reason'),
    reviewedBy: text('reviewed_by').references(() => user.id),
    reviewedAt: tstz('reviewed_at'),
    uploadedBy: text('uploaded_by').references(() => user.id),
    supersededAt: tstz('superseded_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('worker_document_worker_idx').on(t.workerId),
    uniqueIndex('worker_document_current_unique').on(t.workerId, t.kind).where(sql`superseded_at is null`),
    index('worker_document_queue_idx').on(t.state, t.id),
    index('worker_document_expiry_idx').on(t.kind, t.expiresOn),
  ],
);

/** Result of a criminal-record / background check, recorded by hand or by a plugged-in provider. */
export const backgroundCheck = pgTable(
  'background_check',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    provider: text('provider').notNull(),
    /** 'pending' | 'clear' | 'record_found' */
    state: text('state').notNull(),
    checkedOn: date('checked_on', { mode: 'string' }),
    reference: text('reference'),
    evidenceDocumentId: text('evidence_document_id').references(() => workerDocument.id),
    recordedBy: text('recorded_by').references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [index('background_check_worker_idx').on(t.workerId, t.createdAt)],
);

/** Interim pre-job training and exam result, entered by a regulator until the training module exists. */
export const preJobTraining = pgTable(
  'pre_job_training',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    courseName: text('course_name').notNull(),
    passed: boolean('passed').notNull(),
    score: integer('score'),
    examDate: date('exam_date', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by').references(() => user.id),
    /** 'regulator' | 'training' */
    source: text('source').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('pre_job_training_worker_idx').on(t.workerId)],
);

/** A worker's employment by a company (员工制); history kept, at most one open at a time. */
export const employment = pgTable(
  'employment',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    startedAt: tstz('started_at').notNull(),
    endedAt: tstz('ended_at'),
    endedReason: text('ended_reason'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('employment_open_unique').on(t.workerId).where(sql`ended_at is null`),
    index('employment_company_idx').on(t.companyId, t.endedAt),
  ],
);
