import { date, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';
import { worker } from '../workers/workers.tables.js';

/**
 * A worker's authorisation for someone to see the detailed file (the MOFCOM model): a share link (only the
 * SHA-256 of its random token is stored) or an in-app grant to one account, always time-limited.
 */
export const efileGrant = pgTable(
  'efile_grant',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    /** 'link' | 'in_app' */
    kind: text('kind').notNull(),
    /** 'basic' | 'full' */
    scope: text('scope').notNull(),
    tokenHash: text('token_hash'),
    granteeUserId: text('grantee_user_id').references(() => user.id),
    granteeOrgId: text('grantee_org_id').references(() => organization.id),
    accessRequestId: text('access_request_id'),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('efile_grant_token_unique').on(t.tokenHash),
    index('efile_grant_worker_idx').on(t.workerId, t.id),
    index('efile_grant_grantee_idx').on(t.granteeUserId, t.workerId),
  ],
);

/** A resident's or company's in-app request to see a worker's detailed file, and the worker's decision. */
export const efileAccessRequest = pgTable(
  'efile_access_request',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    requesterUserId: text('requester_user_id')
      .notNull()
      .references(() => user.id),
    requesterOrgId: text('requester_org_id').references(() => organization.id),
    /** 'resident' | 'company' */
    requesterKind: text('requester_kind').notNull(),
    reason: text('reason').notNull(),
    /** 'pending' | 'approved' | 'declined' | 'closed' */
    state: text('state').notNull(),
    grantId: text('grant_id'),
    decidedAt: tstz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('efile_access_request_worker_idx').on(t.workerId, t.state, t.id),
    index('efile_access_request_requester_idx').on(t.requesterUserId, t.workerId),
  ],
);

/** A worker's request to delete their data; platform admins complete (erase) or refuse it by `due_on`. */
export const efileDeletionRequest = pgTable(
  'efile_deletion_request',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    requestedBy: text('requested_by')
      .notNull()
      .references(() => user.id),
    reason: text('reason').notNull(),
    /** 'pending' | 'completed' | 'refused' */
    state: text('state').notNull(),
    /** 15 working days (Mon–Fri, Asia/Shanghai) after the request. */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    decidedBy: text('decided_by').references(() => user.id),
    decidedAt: tstz('decided_at'),
    decisionReason: text('decision_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    index('efile_deletion_request_state_idx').on(t.state, t.id),
    index('efile_deletion_request_worker_idx').on(t.workerId),
  ],
);
