import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';

/**
 * In-app notices. Addressed to one person (`user_id`) or to an organization (`org_id`: every current member sees
 * it, and one member reading it marks it read for all). Never holds ID numbers or other sensitive data.
 */
export const notification = pgTable(
  'notification',
  {
    id: idColumn(),
    userId: text('user_id').references(() => user.id),
    orgId: text('org_id').references(() => organization.id),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    createdAt: createdAt(),
    readAt: tstz('read_at'),
  },
  (t) => [index('notification_user_idx').on(t.userId, t.id), index('notification_org_idx').on(t.orgId, t.id)],
);
