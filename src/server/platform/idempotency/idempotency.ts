import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { Pii } from '../pii/index.js';
import { idempotencyKey } from './idempotency.tables.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route creates something (order, contract, claim, payment) and honours `Idempotency-Key`. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: { principal: string; key: string } | null;
  }
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
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
 */
export function registerIdempotency(
  app: FastifyInstance,
  deps: { db: Db; clock: () => Date; pii: Pick<Pii, 'encrypt' | 'decrypt'> },
): void {
  const { db, clock, pii } = deps;
  // Stored responses can hold personal data (an order's home address): encrypted at rest like any PII field.
  const seal = (body: unknown) => ({ enc: pii.encrypt(JSON.stringify(body), BODY_AAD) });
  const unseal = (stored: unknown): unknown =>
    stored && typeof stored === 'object' && typeof (stored as { enc?: unknown }).enc === 'string'
      ? JSON.parse(pii.decrypt((stored as { enc: string }).enc, BODY_AAD))
      : stored;
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config?.idempotent) return;
    const raw = request.headers['idempotency-key'];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || !KEY_PATTERN.test(key)) throw new AppError('IDEMPOTENCY_KEY_INVALID');
    // A partner system's keys are scoped to its client, so two partners behind one address never collide.
    const principal =
      request.actor?.userId ?? (request.partner ? `partner:${request.partner.clientId}` : `ip:${request.ip}`);
    const hash = requestHash(request);
    const now = clock();
    await db
      .delete(idempotencyKey)
      .where(
        and(
          eq(idempotencyKey.principal, principal),
          eq(idempotencyKey.key, key),
          lt(idempotencyKey.expiresAt, now),
        ),
      );
    const inserted = await db
      .insert(idempotencyKey)
      .values({
        principal,
        key,
        method: request.method,
        path: request.routeOptions.url ?? request.url,
        requestHash: hash,
        state: 'pending',
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKey.key });
    if (inserted.length) {
      request.idempotency = { principal, key };
      return;
    }
    const [existing] = await db
      .select()
      .from(idempotencyKey)
      .where(and(eq(idempotencyKey.principal, principal), eq(idempotencyKey.key, key)));
    if (!existing) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    if (existing.requestHash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (existing.state !== 'done') throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    reply.header(REPLAY_HEADER, 'true');
    return reply.status(existing.responseStatus ?? 200).send(unseal(existing.responseBody));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = null;
    const where = and(eq(idempotencyKey.principal, idem.principal), eq(idempotencyKey.key, idem.key));
    if (reply.statusCode >= 500) {
      // The work did not happen (or its outcome is unknown to the client): let a retry run it again.
      await db.delete(idempotencyKey).where(where);
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
    await db
      .update(idempotencyKey)
      .set({ state: 'done', responseStatus: reply.statusCode, responseBody: seal(body) })
      .where(where);
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
