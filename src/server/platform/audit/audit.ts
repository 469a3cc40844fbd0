import { createHash } from 'node:crypto';
import { asc, gt, type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { newId } from '../db/ids.js';
import type { RequestContext } from '../http/context.js';
import type { VerifyKey } from '../crypto-sign/index.js';
import { loadAlgPolicy } from './alg-policy.js';
import { auditLog } from './audit.tables.js';
import { type StartProblem, startOfChain } from './checkpoint.js';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash function of a chain row: SHA-256 under the `intl` crypto profile, SM3 (GB/T 32905) under `gm`. Each row
 * records its own, and its hash is H(`["<previous row's hash>",…fields]`) with that H, so a chain that switched
 * profile verifies end to end: the first SM3 row links to the last SHA-256 row's hex hash like any other row.
 */
export type AuditHashAlg = 'sha256' | 'sm3';

export const AUDIT_HASH_ALGS: readonly AuditHashAlg[] = ['sha256', 'sm3'];

/** The hash function for a crypto profile. */
export function auditHashAlgOf(profile: 'intl' | 'gm'): AuditHashAlg {
  return profile === 'gm' ? 'sm3' : 'sha256';
}

// The deployment's choice, set once at start-up (buildApp, CLIs) from PII_CRYPTO_PROFILE; new rows use it.
let currentAlg: AuditHashAlg = 'sha256';

/** Sets the hash function new audit rows chain with (from the deployment's crypto profile). */
export function setAuditHashAlg(alg: AuditHashAlg): void {
  if (!AUDIT_HASH_ALGS.includes(alg)) throw new RangeError(`unknown audit hash algorithm "${alg}"`);
  currentAlg = alg;
}

/** The hash function new audit rows chain with. */
export function auditHashAlg(): AuditHashAlg {
  return currentAlg;
}

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

/** The hash of one row: its content and the previous row's hash, with the row's hash function. */
export function hashRow(prevHash: string, f: HashedFields, alg: AuditHashAlg = 'sha256'): string {
  return createHash(alg)
    .update(`["${prevHash}",${hashTail(f)}`)
    .digest('hex');
}

/**
 * The hash a stored row should carry after `prevHash` (what verification recomputes) with the function the row names;
 * null when it names none we accept, which verification reports as altered content.
 */
export function hashStoredRow(prevHash: string, r: typeof auditLog.$inferSelect): string | null {
  const alg = r.hashAlg as AuditHashAlg;
  if (!AUDIT_HASH_ALGS.includes(alg)) return null;
  return hashRow(
    prevHash,
    {
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
    },
    alg,
  );
}

/**
 * Appends an audit row inside the caller's transaction, so the change and its record commit together.
 *
 * One statement moves the chain head (audit_chain_head, one row) and inserts the row linked to the old head, with
 * the same hash as hashRow() computed by the database. The head's row lock orders appends across app processes;
 * after waiting for it, PostgreSQL re-reads the head's committed value (READ COMMITTED), so each row links to
 * exactly one predecessor. Call it last in a transaction: the lock is held until commit. Under SM3 (gm profile) the
 * hash is computed here instead, and the head moves by compare-and-set (see below); the row records its algorithm.
 *
 * Several entries (an array) are one append: the head moves once, past all of them, and the rows go in one insert,
 * chained in the array's order (increasing seq): one head lock and one commit for what the caller records together.
 * Returns the first row's id.
 */
export async function appendAudit(
  tx: DbOrTx,
  ctx: RequestContext,
  entry: AuditEntry | readonly AuditEntry[],
  now = new Date(),
  /**
   * Data-modifying CTEs (`name as (insert …)`) the caller's change still has to write: they run in the append's own
   * statement (one round trip; the head is locked only from that statement to commit).
   */
  alongside?: SQL,
): Promise<string> {
  return (await appendAuditWith(tx, ctx, entry, now, alongside ? { writes: alongside } : undefined)).id;
}

/** The caller's writes that share the append's statement (appendAuditWith). */
export interface AuditAlongside {
  /** Data-modifying CTEs (`name as (update … returning …)`, …), comma-separated, without `with`. */
  writes: SQL;
  /**
   * A scalar expression over those CTEs (`(select row_to_json(o) from o)`), handed back as `result`. It is computed
   * BEFORE the chain head is locked, and with it every CTE it reads: a write that may wait for another transaction
   * (a row lock, an exclusion constraint) must be read here, or it could wait while holding the head.
   */
  result?: SQL;
}

/**
 * appendAudit with the caller's change in the same statement: the writes run with the append, `result` is read
 * before the head is locked and returned (null without one). A caller whose change turns out not to apply (`result`
 * says so) throws, and its transaction rolls the audit rows back with the change.
 */
export async function appendAuditWith(
  tx: DbOrTx,
  ctx: RequestContext,
  entry: AuditEntry | readonly AuditEntry[],
  now: Date,
  alongside: AuditAlongside | undefined,
): Promise<{ id: string; result: unknown }> {
  // Millisecond precision: what a JS Date carries, so the hash survives the round trip.
  const at = new Date(Math.floor(now.getTime()));
  const entries: readonly AuditEntry[] = Array.isArray(entry) ? entry : [entry as AuditEntry];
  if (entries.length === 0) throw new RangeError('appendAudit: no entry');
  const fields: HashedFields[] = entries.map((e) => ({
    id: newId('aud'),
    at,
    actorId: ctx.actor?.userId ?? null,
    actorRoles: ctx.actor ? ctx.actor.roles.join(',') : null,
    action: e.action,
    objectType: e.objectType ?? null,
    objectId: e.objectId ?? null,
    outcome: e.outcome ?? 'ok',
    requestId: ctx.requestId,
    ip: ctx.ip,
    detail: e.detail ?? null,
  }));
  const n = fields.length;
  // Row i's values, linked by the SQL expressions `prev` and `hash` (over the CTE `h`).
  const rowSql = (f: HashedFields, prev: SQL, hash: SQL, alg: SQL) => {
    const detail = f.detail === null ? null : JSON.stringify(f.detail);
    return sql`select ${f.id}, ${at.toISOString()}::timestamptz, ${f.actorId}, ${f.actorRoles}, ${f.action},
           ${f.objectType}, ${f.objectId}, ${f.outcome}, ${f.requestId}, ${f.ip}, ${detail}::jsonb, ${prev}, ${hash},
           ${alg} from h`;
  };
  const insertRows = (rows: SQL[], returning: SQL = sql``) => sql`
    insert into audit_log
      (id, at, actor_id, actor_roles, action, object_type, object_id, outcome, request_id, ip, detail, prev_hash, hash,
       hash_alg)
    ${sql.join(rows, sql` union all `)}
    returning id${returning}`;
  if (currentAlg === 'sha256') {
    // H(prev, row i) in SQL; the head's new hash chains through every entry, and `returning` gives each link (the
    // update evaluates both on the head it locked, after any wait: the committed head, never a stale read).
    const link = (prev: SQL, f: HashedFields) =>
      sql`encode(sha256(convert_to('["' || ${prev} || '",' || ${hashTail(f)}::text, 'UTF8')), 'hex')`;
    const chainFrom = (start: SQL, upTo: number) => fields.slice(0, upTo).reduce((p, f) => link(p, f), start);
    const links = Array.from(
      { length: n - 1 },
      (_, i) => sql`, ${chainFrom(sql`prev_hash`, i + 1)} as l${sql.raw(String(i + 1))}`,
    );
    // `r` is read by the head's update condition, so it (and the writes it reads) is computed before the head row is
    // locked; the head lock is then held only from here to commit, never while waiting on another transaction.
    const withResult = alongside?.result !== undefined;
    const result = await tx.execute(sql`
      with ${alongside ? sql`${alongside.writes},` : sql``}${withResult ? sql` r as (select ${alongside.result} as v),` : sql``} h as (
        update audit_chain_head
           set prev_hash = hash,
               hash = ${chainFrom(sql`hash`, n)},
               hash_alg = 'sha256'
         where id = 1${withResult ? sql` and exists (select 1 from r)` : sql``}
        returning prev_hash, hash, hash_alg${sql.join(links, sql``)}
      ) ${insertRows(
        fields.map((f, i) =>
          rowSql(
            f,
            i === 0 ? sql`h.prev_hash` : sql.raw(`h.l${i}`),
            i === n - 1 ? sql`h.hash` : sql.raw(`h.l${i + 1}`),
            sql`h.hash_alg`,
          ),
        ),
        withResult ? sql`, (select v from r) as r` : sql``,
      )}`);
    const rows = rowsOf(result) as { r?: unknown }[];
    // Fail closed: without its head row the chain cannot grow, and the change must not commit unaudited.
    if (rows.length !== n) throw new Error('audit chain head missing: the audit row was not written');
    return { id: fields[0]!.id, result: withResult ? rows[0]!.r : null };
  }
  // PostgreSQL has no SM3: read the head, hash here, then move the head only if it still holds what was read (the
  // update waits for a concurrent append's row lock and re-checks its condition on the committed head, so a lost race
  // updates nothing and is retried against the new head). The caller's CTEs run once, before, not on every attempt.
  let extra: unknown = null;
  if (alongside) {
    const r = rowsOf(
      await tx.execute(sql`with ${alongside.writes} select ${alongside.result ?? sql`null`} as r`),
    ) as { r: unknown }[];
    extra = r[0]?.r ?? null;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const heads = rowsOf(await tx.execute(sql`select hash from audit_chain_head where id = 1`)) as {
      hash: string;
    }[];
    const head = heads[0];
    if (!head) throw new Error('audit chain head missing: the audit row was not written');
    const hashes: string[] = [];
    for (const f of fields) hashes.push(hashRow(hashes.at(-1) ?? head.hash, f, currentAlg));
    const result = await tx.execute(sql`
      with h as (
        update audit_chain_head set prev_hash = hash, hash = ${hashes[n - 1]}, hash_alg = ${currentAlg}
         where id = 1 and hash = ${head.hash}
        returning prev_hash, hash, hash_alg
      ) ${insertRows(
        fields.map((f, i) =>
          rowSql(f, i === 0 ? sql`h.prev_hash` : sql`${hashes[i - 1]}`, sql`${hashes[i]}`, sql`h.hash_alg`),
        ),
      )}`);
    if (rowsOf(result).length === n) return { id: fields[0]!.id, result: extra };
  }
  throw new Error('audit chain head kept moving: the audit row was not written');
}

function rowsOf(result: unknown): unknown[] {
  return (result as { rows: unknown[] }).rows;
}

/** Appends an audit row in its own transaction (for events with no other write, e.g. a failed login). */
export async function recordAudit(db: Db, ctx: RequestContext, entry: AuditEntry): Promise<string> {
  // A single statement is its own transaction: no BEGIN/COMMIT round trips while the head is locked.
  return appendAudit(db, ctx, entry);
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string; hashAlg: string } | null;
  /** Rows verified per hash function (a chain that switched profile has both). */
  byAlg: Record<string, number>;
  firstBroken: { seq: number; id: string; reason: 'content-altered' | 'link-broken' } | null;
  /** Where the walk started: the genesis, or the newest checkpoint of a pruned prefix (`n` rows removed before it). */
  start: { n: number; seq: number; checkpoint: number | null };
  /**
   * What does not hold besides a broken row, said in words: a forged or unverifiable checkpoint, rows removed without
   * or after a checkpoint, a checkpoint the chain does not meet, a row whose hash function breaks the profile history.
   */
  problem: {
    kind: StartProblem['kind'] | 'checkpoint-mismatch' | 'hash-alg';
    message: string;
    seq?: number;
  } | null;
}

// The anchor key's public halves (current and retired), set once at start-up like the hash function: checkpoints of a
// pruned prefix are checked against them.
let trustedKeys: readonly VerifyKey[] = [];

/** Adds keys checkpoint signatures are verified with (config.auditAnchor.trustedKeys; one app per process). */
export function setAuditTrustedKeys(keys: readonly VerifyKey[]): void {
  const known = new Set(trustedKeys.map((k) => `${k.suite}:${k.keyId}`));
  trustedKeys = [...trustedKeys, ...keys.filter((k) => !known.has(`${k.suite}:${k.keyId}`))];
}

export interface VerifyOptions {
  batchSize?: number;
  /** Keys a checkpoint must be signed by; default those set at start-up (setAuditTrustedKeys). */
  keys?: readonly VerifyKey[];
}

/**
 * Walks the chain in order from its start (the genesis, or the newest checkpoint of a pruned prefix, whose signature
 * must hold) and reports the first row whose hash or link does not hold, or whose hash function breaks the recorded
 * profile history (SM3 after a switch to gm).
 */
export async function verifyAuditChain(db: DbOrTx, opts: number | VerifyOptions = {}): Promise<ChainReport> {
  const o: VerifyOptions = typeof opts === 'number' ? { batchSize: opts } : opts;
  const batchSize = o.batchSize ?? 2000;
  const begin = await startOfChain(db, o.keys ?? trustedKeys);
  const start = { n: begin.start.n, seq: begin.start.seq, checkpoint: begin.start.checkpoint };
  let prevHash = begin.start.head;
  let lastSeq = begin.start.seq;
  let checked = 0;
  let head: ChainReport['head'] = null;
  const byAlg: Record<string, number> = {};
  const result = (
    firstBroken: ChainReport['firstBroken'],
    problem: ChainReport['problem'] = null,
  ): ChainReport => ({
    ok: !firstBroken && !problem,
    checked,
    head,
    byAlg,
    firstBroken,
    start,
    problem,
  });
  if (begin.problem) return result(null, begin.problem);
  const policy = await loadAlgPolicy(db);
  const pending = [...begin.pending];
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, lastSeq))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.prevHash !== prevHash) return result({ seq: r.seq, id: r.id, reason: 'link-broken' });
      const expected = hashStoredRow(prevHash, r);
      if (expected !== r.hash) return result({ seq: r.seq, id: r.id, reason: 'content-altered' });
      const violation = policy(r);
      if (violation) return result(null, { kind: 'hash-alg', seq: r.seq, message: violation.message });
      const cp = pending[0];
      if (cp && r.seq >= cp.lastSeq) {
        if (r.seq !== cp.lastSeq || r.hash !== cp.hash || r.hashAlg !== cp.hashAlg)
          return result(null, {
            kind: 'checkpoint-mismatch',
            seq: r.seq,
            message: `checkpoint ${cp.seq} names seq ${cp.lastSeq} with hash ${cp.hash.slice(0, 16)}…, the chain does not have that row there`,
          });
        pending.shift();
      }
      prevHash = r.hash;
      lastSeq = r.seq;
      head = { seq: r.seq, hash: r.hash, hashAlg: r.hashAlg };
      byAlg[r.hashAlg] = (byAlg[r.hashAlg] ?? 0) + 1;
      checked++;
    }
  }
  const missed = pending[0];
  if (missed)
    return result(null, {
      kind: 'checkpoint-mismatch',
      seq: missed.lastSeq,
      message: `checkpoint ${missed.seq} covers rows up to seq ${missed.lastSeq}, the chain ends before it: rows were removed from the tail`,
    });
  return result(null);
}
