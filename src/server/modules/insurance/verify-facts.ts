import { type SQL, sql } from 'drizzle-orm';
import { insurancePolicy } from './insurance.tables.js';

/**
 * The last day (YYYY-MM-DD) of the worker's active cover on `today`, or null: a scalar subquery for the public QR
 * verification's one-statement read; the same policy `verificationStatus` picks. Map it with `coverOf`.
 */
export function coverUntilSql(workerId: SQL, today: SQL): SQL {
  return sql`(select p.ends_on::text from ${insurancePolicy} p where p.worker_id = ${workerId}
    and p.state = 'active' and p.starts_on <= ${today} and p.ends_on >= ${today}
    order by p.ends_on desc limit 1)`;
}

/** What the verification page says about cover, from `coverUntilSql`'s value (as `verificationStatus`). */
export function coverOf(endsOn: string | null): { status: 'insured' | 'none'; label: string } {
  return endsOn
    ? { status: 'insured', label: `已投保，保障至 ${endsOn}` }
    : { status: 'none', label: '未投保' };
}
