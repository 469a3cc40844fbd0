import { createHash, randomUUID } from 'node:crypto';
import { and, eq, isNull, lt, lte, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { runInTxScope, type TxScope } from '../db/tx-hooks.js';
import { AppError } from '../errors.js';
import type { Pii } from '../pii/index.js';
import { idempotencyKey } from './idempotency.tables.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route creates something (order, contract, claim, payment) and honours `Idempotency-Key`. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: { principal: string; key: string; owner: string; scope: TxScope } | null;
  }
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Default lease of a pending key: how long a retry waits before it may take over an attempt that never committed. */
export const IDEMPOTENCY_LEASE_MS = 30_000;
const REPLAY_HEADER = 'idempotent-replayed';

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method}\n${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

const BODY_AAD = 'idempotency_key.response_body';

/**
 * Exactly-once creates from the client's view: the first request with a key runs and its response is kept;
 * a retry with the same key and body gets that response again, a different body gets 422, and a retry while
 * the first is still running gets 409. Keys are scoped to the caller, so two callers never collide.
 *
 * Crash safety: the pending key carries an owner token and a lease, and the request's first business
 * transaction marks the key's effect (`effect_at`) in the same commit (platform/db/tx-hooks). After a crash, a
 * retry once the lease is over takes the key over and runs again when no effect committed; when the effect
 * committed but the response was never kept it answers 409 IDEMPOTENCY_ALREADY_APPLIED. A takeover waits on the
 * row lock the first attempt's open transaction holds, so the two can never both commit.
 */
export function registerIdempotency(
  app: FastifyInstance,
  deps: { db: Db; clock: () => Date; pii: Pick<Pii, 'encrypt' | 'decrypt'>; leaseMs?: number },
): void {
  const { db, clock, pii } = deps;
  const leaseMs = deps.leaseMs ?? IDEMPOTENCY_LEASE_MS;
  // Stored responses can hold personal data (an order's home address): encrypted at rest like any PII field.
  const seal = (body: unknown) => ({ enc: pii.encrypt(JSON.stringify(body), BODY_AAD) });
  const unseal = (stored: unknown): unknown =>
    stored && typeof stored === 'object' && typeof (stored as { enc?: unknown }).enc === 'string'
      ? JSON.parse(pii.decrypt((stored as { enc: string }).enc, BODY_AAD))
      : stored;
  const pk = (principal: string, key: string) =>
    and(eq(idempotencyKey.principal, principal), eq(idempotencyKey.key, key));
  const inProgress = (until: Date | null, now: Date) =>
    new AppError('IDEMPOTENCY_IN_PROGRESS', {
      headers: {
        'retry-after': String(
          Math.max(1, Math.ceil(((until?.getTime() ?? now.getTime()) - now.getTime()) / 1000)),
        ),
      },
    });
  app.decorateRequest('idempotency', null);

  /** The marker written inside the request's first business transaction; refuses when the key was taken over. */
  const markEffect =
    (principal: string, key: string, owner: string) =>
    async (tx: Parameters<NonNullable<TxScope['onFirstTransaction']>>[0]) => {
      const now = clock();
      const marked = await tx
        .update(idempotencyKey)
        .set({ effectAt: now, lockedUntil: new Date(now.getTime() + leaseMs) })
        .where(and(pk(principal, key), eq(idempotencyKey.owner, owner), eq(idempotencyKey.state, 'pending')))
        .returning({ key: idempotencyKey.key });
      // This attempt outlived its lease and a retry holds the key now: roll the business work back.
      if (!marked.length) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    };

  // The two statements every keyed create runs outside its transaction, built once (named on PostgreSQL).
  const p = <T extends string>(name: T) => sql.placeholder(name);
  const claimStmt = db
    .insert(idempotencyKey)
    .values({
      principal: p('principal'),
      key: p('key'),
      method: p('method'),
      path: p('path'),
      requestHash: p('requestHash'),
      state: 'pending',
      owner: p('owner'),
      lockedUntil: p('lockedUntil'),
      expiresAt: p('expiresAt'),
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKey.key })
    .prepare('idempotency_claim');
  const doneStmt = db
    .update(idempotencyKey)
    // Update values take no placeholder: plain parameters, the body as the jsonb text the column mapping writes.
    .set({ state: 'done', responseStatus: sql`${p('status')}`, responseBody: sql`${p('body')}` })
    .where(
      and(
        eq(idempotencyKey.principal, p('principal')),
        eq(idempotencyKey.key, p('key')),
        eq(idempotencyKey.owner, p('owner')),
      ),
    )
    .prepare('idempotency_done');

  /** Claims the key for this request, or answers for it (replay, 409, 422). Returns the owner token when claimed. */
  async function claim(request: FastifyRequest, reply: FastifyReply, principal: string, key: string) {
    const hash = requestHash(request);
    const now = clock();
    const owner = randomUUID();
    const insert = () =>
      claimStmt.execute({
        principal,
        key,
        method: request.method,
        path: request.routeOptions.url ?? request.url,
        requestHash: hash,
        owner,
        lockedUntil: new Date(now.getTime() + leaseMs),
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      });
    // A fresh key (the usual case) is one statement; an expired one the purge job has not removed yet is replaced.
    if ((await insert()).length) return owner;
    let [existing] = await db.select().from(idempotencyKey).where(pk(principal, key));
    if (existing && existing.expiresAt < now) {
      await db.delete(idempotencyKey).where(and(pk(principal, key), lt(idempotencyKey.expiresAt, now)));
      if ((await insert()).length) return owner;
      [existing] = await db.select().from(idempotencyKey).where(pk(principal, key));
    }
    if (!existing) throw inProgress(null, now);
    if (existing.requestHash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (existing.state === 'done') {
      reply.header(REPLAY_HEADER, 'true');
      reply.status(existing.responseStatus ?? 200).send(unseal(existing.responseBody));
      return null;
    }
    // Pending. A row from before leases (no lease) keeps the old rule: 409 until it expires.
    if (!existing.lockedUntil || existing.lockedUntil > now) throw inProgress(existing.lockedUntil, now);
    if (existing.effectAt) throw new AppError('IDEMPOTENCY_ALREADY_APPLIED');
    // The holder is gone (or far too slow) and nothing of it committed: take the key over. If its transaction
    // is open right now this waits for it, then finds effect_at set and takes nothing.
    const taken = await db
      .update(idempotencyKey)
      .set({ owner, lockedUntil: new Date(now.getTime() + leaseMs) })
      .where(
        and(
          pk(principal, key),
          eq(idempotencyKey.state, 'pending'),
          isNull(idempotencyKey.effectAt),
          lte(idempotencyKey.lockedUntil, now),
        ),
      )
      .returning({ key: idempotencyKey.key });
    if (taken.length) return owner;
    // Lost the race: the holder committed meanwhile (or another retry took the key); answer as it stands now.
    const [again] = await db.select().from(idempotencyKey).where(pk(principal, key));
    if (again?.state === 'done') {
      reply.header(REPLAY_HEADER, 'true');
      reply.status(again.responseStatus ?? 200).send(unseal(again.responseBody));
      return null;
    }
    if (again?.effectAt && again.lockedUntil && again.lockedUntil <= now)
      throw new AppError('IDEMPOTENCY_ALREADY_APPLIED');
    throw inProgress(again?.lockedUntil ?? null, now);
  }

  // Callback style: the handler must run inside the transaction scope, so `done` is called within it.
  app.addHook('preHandler', (request, reply, done) => {
    if (!request.routeOptions.config?.idempotent) return done();
    const raw = request.headers['idempotency-key'];
    if (raw === undefined) return done();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || !KEY_PATTERN.test(key)) return done(new AppError('IDEMPOTENCY_KEY_INVALID'));
    // A partner system's keys are scoped to its client, so two partners behind one address never collide.
    const principal =
      request.actor?.userId ?? (request.partner ? `partner:${request.partner.clientId}` : `ip:${request.ip}`);
    claim(request, reply, principal, key).then(
      (owner) => {
        if (!owner) return; // answered from the stored response
        const scope: TxScope = { onFirstTransaction: markEffect(principal, key, owner) };
        request.idempotency = { principal, key, owner, scope };
        runInTxScope(scope, () => done());
      },
      (e: Error) => done(e),
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = null;
    idem.scope.onFirstTransaction = null;
    const where = and(pk(idem.principal, idem.key), eq(idempotencyKey.owner, idem.owner));
    try {
      if (reply.statusCode >= 500) {
        // Nothing committed: let a retry run it again. Committed, then failed: a retry learns it was applied.
        const dropped = await db
          .delete(idempotencyKey)
          .where(and(where, isNull(idempotencyKey.effectAt)))
          .returning({ key: idempotencyKey.key });
        if (!dropped.length) await db.update(idempotencyKey).set({ lockedUntil: clock() }).where(where);
        return payload;
      }
      let body: unknown = null;
      if (typeof payload === 'string' && payload.length) {
        try {
          body = JSON.parse(payload);
        } catch {
          body = payload;
        }
      }
      await doneStmt.execute({
        principal: idem.principal,
        key: idem.key,
        owner: idem.owner,
        status: reply.statusCode,
        body: JSON.stringify(seal(body)),
      });
    } catch (err) {
      // The database is gone mid-answer: the key stays pending and its lease decides, as after a crash.
      request.log.warn({ err }, 'idempotency key outcome not stored');
    }
    return payload;
  });
}

/** Removes expired keys; run by a scheduled job. */
export async function purgeExpiredIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(idempotencyKey)
    .where(lt(idempotencyKey.expiresAt, now))
    .returning({ key: idempotencyKey.key });
  return rows.length;
}
