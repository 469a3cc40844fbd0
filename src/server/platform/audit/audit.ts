import { createHash } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { RequestContext } from '../http/context.js';
import { auditLog } from './audit.tables.js';

export const GENESIS_HASH = '0'.repeat(64);
// Serialises appends so each row links to exactly one predecessor, across app processes too.
const AUDIT_CHAIN_LOCK = 727_002;

export interface AuditEntry {
  action: string;
  objectType?: string | undefined;
  objectId?: string | undefined;
  outcome?: 'ok' | 'denied' | 'failed';
  /** Never personal data: ids, codes, reasons, changed field names. */
  detail?: Record<string, unknown> | undefined;
}

interface HashedFields {
  id: string;
  at: Date;
  actorId: string | null;
  actorRoles: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: string;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The hash of one row: its content and the previous row's hash. */
export function hashRow(prevHash: string, f: HashedFields): string {
  const material = JSON.stringify([
    prevHash,
    f.id,
    f.at.toISOString(),
    f.actorId,
    f.actorRoles,
    f.action,
    f.objectType,
    f.objectId,
    f.outcome,
    f.requestId,
    f.ip,
    canonical(f.detail),
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/** Appends an audit row inside the caller's transaction, so the change and its record commit together. */
export async function appendAudit(
  tx: DbOrTx,
  ctx: RequestContext,
  entry: AuditEntry,
  now = new Date(),
): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: what a JS Date carries, so the hash survives the round trip.
  const at = new Date(Math.floor(now.getTime()));
  const fields: HashedFields = {
    id: newId('aud'),
    at,
    actorId: ctx.actor?.userId ?? null,
    actorRoles: ctx.actor ? ctx.actor.roles.join(',') : null,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId ?? null,
    outcome: entry.outcome ?? 'ok',
    requestId: ctx.requestId,
    ip: ctx.ip,
    detail: entry.detail ?? null,
  };
  const hash = hashRow(prevHash, fields);
  await tx.insert(auditLog).values({ ...fields, prevHash, hash });
  return fields.id;
}

/** Appends an audit row in its own transaction (for events with no other write, e.g. a failed login). */
export async function recordAudit(db: Db, ctx: RequestContext, entry: AuditEntry): Promise<string> {
  return db.transaction((tx) => appendAudit(tx, ctx, entry));
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  firstBroken: { seq: number; id: string; reason: 'content-altered' | 'link-broken' } | null;
}

/** Walks the whole chain in order and reports the first row whose hash or link does not hold. */
export async function verifyAuditChain(db: DbOrTx, batchSize = 2000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  let head: ChainReport['head'] = null;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, lastSeq))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.prevHash !== prevHash) {
        return { ok: false, checked, head, firstBroken: { seq: r.seq, id: r.id, reason: 'link-broken' } };
      }
      const expected = hashRow(prevHash, {
        id: r.id,
        at: r.at,
        actorId: r.actorId,
        actorRoles: r.actorRoles,
        action: r.action,
        objectType: r.objectType,
        objectId: r.objectId,
        outcome: r.outcome,
        requestId: r.requestId,
        ip: r.ip,
        detail: r.detail ?? null,
      });
      if (expected !== r.hash) {
        return { ok: false, checked, head, firstBroken: { seq: r.seq, id: r.id, reason: 'content-altered' } };
      }
      prevHash = r.hash;
      lastSeq = r.seq;
      head = { seq: r.seq, hash: r.hash };
      checked++;
    }
  }
  return { ok: true, checked, head, firstBroken: null };
}
