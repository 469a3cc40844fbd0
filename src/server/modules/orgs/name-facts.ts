import { type SQL, sql } from 'drizzle-orm';
import { organization } from './orgs.tables.js';

/**
 * An organization's name as a scalar subquery (null for an unknown id; any status, as `getOrganization` reads it): for
 * other modules' one-statement reads (an order's detail and lists). `orgId` is an SQL expression.
 */
export function organizationNameSql(orgId: SQL): SQL<string | null> {
  return sql<string | null>`(select o.name from ${organization} o where o.id = ${orgId})`;
}

/**
 * What an order's quote needs of the company behind a price item, as one json scalar subquery (null for an unknown
 * id): `{ type, name, status, district }`. For the catalog's one-statement quote read. `orgId` is an SQL expression.
 */
export function organizationQuoteJsonSql(orgId: SQL): SQL<unknown> {
  return sql`(select json_build_object('type', o.type, 'name', o.name, 'status', o.status, 'district', o.district)
    from ${organization} o where o.id = ${orgId})`;
}
