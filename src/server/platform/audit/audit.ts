import { createHash } from 'node:crypto';
import { asc, gt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { RequestContext } from '../http/context.js';
import { auditLog } from './audit.tables.js';

export const GENESIS_HASH = '0'.repeat(64);

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

/** The row's hashed content after the previous hash: the tail of `JSON.stringify([prevHash, …fields])`. */
function hashTail(f: HashedFields): string {
  // JSON.stringify([prev, ...rest]) is '["' + prev + '",' + JSON.stringify(rest).slice(1) for a hex prev.
  return JSON.stringify([
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
  ]).slice(1);
}

/** The hash of one row: its content and the previous row's hash. */
export function hashRow(prevHash: string, f: HashedFields): string {
  return createHash('sha256')
    .update(`["${prevHash}",${hashTail(f)}`)
    .digest('hex');
}

/** The hash a stored row should carry after `prevHash` (what verification recomputes). */
export function hashStoredRow(prevHash: string, r: typeof auditLog.$inferSelect): string {
  return hashRow(prevHash, {
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
}

/**
 * Appends an audit row inside the caller's transaction, so the change and its record commit together.
 *
 * One statement moves the chain head (audit_chain_head, one row) and inserts the row linked to the old head, with
 * the same hash as hashRow() computed by the database. The head's row lock orders appends across app processes;
 * after waiting for it, PostgreSQL re-reads the head's committed value (READ COMMITTED), so each row links to
 * exactly one predecessor. Call it last in a transaction: the lock is held until commit.
 */
export async function appendAudit(
  tx: DbOrTx,
  ctx: RequestContext,
  entry: AuditEntry,
  now = new Date(),
): Promise<string> {
  // Millisecond precision: what a JS Date carries, so the hash survives the round trip.
  const at = new Date(Math.floor(now.getTime()));
  const f: HashedFields = {
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
  const result = await tx.execute(sql`
    with head as (
      update audit_chain_head
         set prev_hash = hash,
             hash = encode(sha256(convert_to('["' || hash || '",' || ${hashTail(f)}::text, 'UTF8')), 'hex')
       where id = 1
      returning prev_hash, hash
    )
    insert into audit_log
      (id, at, actor_id, actor_roles, action, object_type, object_id, outcome, request_id, ip, detail, prev_hash, hash)
    select ${f.id}, ${at.toISOString()}::timestamptz, ${f.actorId}, ${f.actorRoles}, ${f.action}, ${f.objectType},
           ${f.objectId}, ${f.outcome}, ${f.requestId}, ${f.ip},
           ${f.detail === null ? null : JSON.stringify(f.detail)}::jsonb, head.prev_hash, head.hash
      from head
    returning id`);
  // Fail closed: without its head row the chain cannot grow, and the change must not commit unaudited.
  const rows = (result as unknown as { rows: unknown[] }).rows;
  if (rows.length !== 1) throw new Error('audit chain head missing: the audit row was not written');
  return f.id;
}

/** Appends an audit row in its own transaction (for events with no other write, e.g. a failed login). */
export async function recordAudit(db: Db, ctx: RequestContext, entry: AuditEntry): Promise<string> {
  // A single statement is its own transaction: no BEGIN/COMMIT round trips while the head is locked.
  return appendAudit(db, ctx, entry);
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
      const expected = hashStoredRow(prevHash, r);
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
