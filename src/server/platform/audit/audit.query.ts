import { and, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { auditLog } from './audit.tables.js';

/** Filters of an audit-log read (all optional, combined with AND). */
export interface AuditFilter {
  /** Inclusive lower and exclusive upper bound on `at`. */
  from?: Date | undefined;
  to?: Date | undefined;
  /** An exact action (`identity.login`) or a prefix ending in `.` (`identity.`). */
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  actorId?: string | undefined;
  outcome?: 'ok' | 'denied' | 'failed' | undefined;
}

export type AuditRow = typeof auditLog.$inferSelect;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function conditions(f: AuditFilter, beforeSeq?: number): SQL | undefined {
  const c: SQL[] = [];
  if (f.from) c.push(gte(auditLog.at, f.from));
  if (f.to) c.push(lt(auditLog.at, f.to));
  if (f.action) {
    c.push(
      f.action.endsWith('.')
        ? like(auditLog.action, `${escapeLike(f.action)}%`)
        : eq(auditLog.action, f.action),
    );
  }
  if (f.objectType) c.push(eq(auditLog.objectType, f.objectType));
  if (f.objectId) c.push(eq(auditLog.objectId, f.objectId));
  if (f.actorId) c.push(eq(auditLog.actorId, f.actorId));
  if (f.outcome) c.push(eq(auditLog.outcome, f.outcome));
  if (beforeSeq !== undefined) c.push(lt(auditLog.seq, beforeSeq));
  return c.length ? and(...c) : undefined;
}

/**
 * Audit rows matching a filter, newest first, keyset-paged by `seq` (pass the last row's seq as `beforeSeq`).
 * Read-only: the chain itself is only written by `appendAudit`.
 */
export async function queryAuditLog(
  db: DbOrTx,
  filter: AuditFilter,
  page: { limit: number; beforeSeq?: number | undefined },
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(conditions(filter, page.beforeSeq))
    .orderBy(desc(auditLog.seq))
    .limit(page.limit);
}
