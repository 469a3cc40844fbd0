import { type SQL, sql } from 'drizzle-orm';
import { organization } from './orgs.tables.js';

/**
 * An organization's name as a scalar subquery (null for an unknown id; any status, as `getOrganization` reads it): for
 * other modules' one-statement reads (an order's detail and lists). `orgId` is an SQL expression.
 */
export function organizationNameSql(orgId: SQL): SQL<string | null> {
  return sql<string | null>`(select o.name from ${organization} o where o.id = ${orgId})`;
}
