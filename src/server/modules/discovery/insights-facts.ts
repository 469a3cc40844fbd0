import { type SQL, sql } from 'drizzle-orm';
import { workerSearch } from './discovery.tables.js';

/**
 * Certified workers (holding a certificate that is not revoked) with their live 安心码 colour as the search
 * projection last computed it, as a subquery for FROM: worker_id, color ('green' | 'yellow' | 'red').
 */
export function certifiedColorInsightsSql(): SQL {
  return sql`select ${workerSearch.workerId} as worker_id, ${workerSearch.color} as color from ${workerSearch}`;
}
