import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';

/**
 * Organizations of every type: company (家政企业), station (基层服务站), training institution, insurer,
 * regulator office. The trust-record module adds the company application fields.
 */
export const organization = pgTable(
  'organization',
  {
    id: idColumn(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    district: text('district'),
    /** 'pending' | 'active' | 'suspended' | 'expelled' — only active ones appear publicly. */
    status: text('status').notNull().default('pending'),
    ...timestamps(),
  },
  (t) => [index('organization_type_status_idx').on(t.type, t.status)],
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
  },
  (t) => [index('org_membership_user_idx').on(t.userId), index('org_membership_org_idx').on(t.orgId)],
);
