import { type SQL, sql } from 'drizzle-orm';
import { worker } from './workers.tables.js';

/**
 * A worker's name as a scalar subquery (null for an unknown id), as `namesOf` reads it: for other modules' one-statement
 * reads (an order's detail and lists). `workerId` is an SQL expression.
 */
export function workerNameSql(workerId: SQL): SQL<string | null> {
  return sql<string | null>`(select w.name from ${worker} w where w.id = ${workerId})`;
}

/** A worker's account id as a scalar subquery (null for an unknown id or a worker without an account). */
export function workerUserIdSql(workerId: SQL): SQL<string | null> {
  return sql<string | null>`(select w.user_id from ${worker} w where w.id = ${workerId})`;
}
