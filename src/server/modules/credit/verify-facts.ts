import { type SQL, sql } from 'drizzle-orm';
import { creditScore } from './credit.tables.js';

/**
 * A worker's credit level ('1'…'5' stars) or null until rated: a scalar subquery for the public QR verification's
 * one-statement read; `Number()` of it is what `workerStars` returns.
 */
export function workerStarsSql(workerId: SQL): SQL {
  return sql`(select s.level from ${creditScore} s where s.subject_type = 'worker' and s.subject_id = ${workerId})`;
}
