import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';

/**
 * Organizations of every type: company (家政企业), station (基层服务站), training institution, insurer,
 * regulator office.
 *
 * Decision: the company profile and application live on this row (no separate company_profile table).
 * Stations, training institutions and insurers share most of it (address, district, location, contact), an
 * application is 1:1 with its organization for life, and one row keeps public listings a single-table scan.
 * Company-only columns are null for the other types.
 */
export const organization = pgTable(
  'organization',
  {
    id: idColumn(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    district: text('district'),
    /** 'pending' | 'active' | 'suspended' | 'expelled' — only active ones appear publicly (application-status.ts). */
    status: text('status').notNull().default('pending'),
    /** Companies: 'draft' | 'submitted' | 'approved' | 'rejected' | 'needs_more_info'; null for other types. */
    applicationStatus: text('application_status'),
    /** Unified social credit code (GB 32100), normalised upper case. */
    uscc: text('uscc'),
    legalRepresentative: text('legal_representative'),
    /** 'employee' (员工制) | 'agency' (中介制). */
    model: text('model'),
    address: text('address'),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    /** The datum of lon/lat; map layers convert (tiles from Chinese providers are GCJ-02). */
    coordSystem: text('coord_system').notNull().default('wgs84'),
    serviceCategories: text('service_categories').array().notNull().default(sql`'{}'::text[]`),
    contactName: text('contact_name'),
    /** The contact mobile, AES-GCM encrypted (platform/pii, aad `organization.contact_phone`). */
    contactPhoneEnc: text('contact_phone_enc'),
    /** Storage key of the business licence (orgs/<orgId>/licence-….ext), its type, size and hash. */
    licenceKey: text('licence_key'),
    licenceMime: text('licence_mime'),
    licenceSize: integer('licence_size'),
    licenceSha256: text('licence_sha256'),
    licenceUploadedAt: tstz('licence_uploaded_at'),
    /** 5A … A, set by the credit module; null until rated. */
    creditGrade: text('credit_grade'),
    description: text('description'),
    submittedAt: tstz('submitted_at'),
    decidedAt: tstz('decided_at'),
    ...timestamps(),
  },
  (t) => [
    index('organization_type_status_idx').on(t.type, t.status),
    index('organization_type_status_district_idx').on(t.type, t.status, t.district, t.id),
    index('organization_application_idx').on(t.applicationStatus, t.id),
    index('organization_categories_idx').using('gin', t.serviceCategories),
    // A rejected application frees its code, so the company can apply again.
    uniqueIndex('organization_uscc_uq')
      .on(t.uscc)
      .where(sql`${t.uscc} is not null and ${t.applicationStatus} is distinct from 'rejected'`),
  ],
);

/** A person's role inside an organization, with history: ended memberships keep their end time. */
export const orgMembership = pgTable(
  'org_membership',
  {
    id: idColumn(),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id),
    userId: text('user_id')
      .notNull()
      .references(() => user.id),
    /** 'admin' | 'staff' */
    role: text('role').notNull(),
    startedAt: tstz('started_at').notNull().defaultNow(),
    endedAt: tstz('ended_at'),
    endedBy: text('ended_by').references(() => user.id),
  },
  (t) => [index('org_membership_user_idx').on(t.userId), index('org_membership_org_idx').on(t.orgId)],
);

/** Every decision on an organization's entry and standing: who, when, what, why. Append-only history. */
export const orgReview = pgTable(
  'org_review',
  {
    id: idColumn(),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id),
    /** create | submit | approve | reject | request_info | suspend | reinstate | expel */
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
    actorId: text('actor_id').references(() => user.id),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('org_review_org_idx').on(t.orgId, t.at)],
);

/** An invitation to join an organization, addressed to a phone kept only as a keyed hash and ciphertext. */
export const orgInvitation = pgTable(
  'org_invitation',
  {
    id: idColumn(),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id),
    /** 'admin' | 'staff' */
    role: text('role').notNull(),
    /** HMAC blind index of the normalised mobile (purpose `org_invitation.phone`). */
    phoneHash: text('phone_hash').notNull(),
    /** AES-GCM ciphertext of the mobile (aad `org_invitation.phone`), shown masked to the org admin. */
    phoneEnc: text('phone_enc').notNull(),
    /** 'pending' | 'accepted' | 'declined' | 'revoked' */
    status: text('status').notNull().default('pending'),
    invitedBy: text('invited_by').references(() => user.id),
    respondedBy: text('responded_by').references(() => user.id),
    expiresAt: tstz('expires_at').notNull(),
    respondedAt: tstz('responded_at'),
    ...timestamps(),
  },
  (t) => [
    index('org_invitation_phone_idx').on(t.phoneHash, t.status),
    index('org_invitation_org_idx').on(t.orgId, t.id),
    uniqueIndex('org_invitation_pending_uq').on(t.orgId, t.phoneHash).where(sql`${t.status} = 'pending'`),
  ],
);
