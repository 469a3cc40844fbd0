import { type SQL, sql } from 'drizzle-orm';
import { organization } from './orgs.tables.js';

/**
 * Companies per district, status and credit grade, for the insights rollups, as a subquery for FROM: district
 * (null when unknown), status, credit_grade (null when unrated), companies (count). Pending applications count too
 * (their status says so).
 */
export function companyInsightsSql(): SQL {
  return sql`select ${organization.district} as district, ${organization.status} as status,
    ${organization.creditGrade} as credit_grade, count(*)::int as companies
    from ${organization} where ${organization.type} = 'company'
    group by ${organization.district}, ${organization.status}, ${organization.creditGrade}`;
}

/**
 * Companies for the regulator's drill-down list (public business facts only): id, name, district, status,
 * credit_grade. Filter and order outside (keyset on id).
 */
export function companyListInsightsSql(): SQL {
  return sql`select ${organization.id} as id, ${organization.name} as name, ${organization.district} as district,
    ${organization.status} as status, ${organization.creditGrade} as credit_grade
    from ${organization} where ${organization.type} = 'company'`;
}
