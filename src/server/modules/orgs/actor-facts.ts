import { type SQL, sql } from 'drizzle-orm';
import { organization, orgMembership } from './orgs.tables.js';

/**
 * A person's current memberships as one JSON array `[{orgId, orgName, orgType, role}]` (expelled organizations
 * left out, as `activeMembershipsOf` does): a scalar subquery for identity's one-statement session lookup.
 * `userId` is an SQL expression.
 */
export function activeMembershipsJsonSql(userId: SQL): SQL {
  return sql`(select coalesce(json_agg(json_build_object('orgId', o.id, 'orgName', o.name, 'orgType', o.type,
      'role', m.role) order by m.started_at, m.id), '[]'::json)
    from ${orgMembership} m join ${organization} o on o.id = m.org_id
    where m.user_id = ${userId} and m.ended_at is null and o.status <> 'expelled')`;
}
