import { type SQL, sql } from 'drizzle-orm';
import { organization } from './orgs.tables.js';

/**
 * A company's name, status and credit grade as one JSON value `{name, status, creditGrade}` (null when absent):
 * a scalar subquery for the public QR verification's one-statement read. `companyId` is an SQL expression.
 */
export function companyVerifyJsonSql(companyId: SQL): SQL {
  return sql`(select json_build_object('name', o.name, 'status', o.status, 'creditGrade', o.credit_grade)
    from ${organization} o where o.id = ${companyId})`;
}
