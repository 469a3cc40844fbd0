import { type SQL, sql } from 'drizzle-orm';
import { organization } from './orgs.tables.js';

/**
 * Every company for the credit scorecard, as a subquery for FROM: company_id, name, district, status,
 * active_since (approval time, else creation), credit_grade (the grade last set by credit). Credit rates the
 * active and suspended ones.
 */
export function companyCreditFactsSql(): SQL {
  return sql`select ${organization.id} as company_id, ${organization.name} as name, ${organization.district} as district,
    ${organization.status} as status,
    coalesce(${organization.decidedAt}, ${organization.createdAt}) as active_since, ${organization.creditGrade} as credit_grade
    from ${organization} where ${organization.type} = 'company'`;
}
