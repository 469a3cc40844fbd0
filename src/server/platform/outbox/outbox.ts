import {
  and,
  asc,
  count,
  DrizzleQueryError,
  eq,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  type SQL,
  sql,
} from 'drizzle-orm';
import { type BaseLogger, pino } from 'pino';
import type { Database, DbOrTx } from '../db/client.js';
import { newId } from '../db/ids.js';
import { outboxEvent } from './outbox.tables.js';

/** The logging surface the outbox needs; a pino logger or Fastify's `app.log` fits. */
export type OutboxLogger = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * Payload type per topic. A module declares its map (`interface OrderEvents { 'orders.completed': {…} }`)
 * next to its index.ts; payloads are JSON objects, so Dates arrive in handlers as ISO strings.
 */
export type OutboxEventMap = Record<string, object>;

/** One event to enqueue, discriminated by topic so the payload is checked against that topic's type. */
export type NewOutboxEvent<M extends Record<keyof M, object> = OutboxEventMap> = {
  [T in keyof M & string]: { topic: T; payload: M[T]; availableAt?: Date };
}[keyof M & string];

/** What a handler learns about the delivery besides the payload; `id` lets handlers de-duplicate. */
export interface OutboxEventMeta {
  id: string;
  topic: string;
  /** 1 on first delivery. */
  attempt: number;
  createdAt: Date;
}

/** Reacts to one event. Delivery is at least once, so a handler must be idempotent. */
export type OutboxHandler<P = object> = (payload: P, meta: OutboxEventMeta) => Promise<void>;

/** One handler per topic this process delivers; topics without a handler here are left for other processes. */
export type OutboxHandlers<M extends Record<keyof M, object> = OutboxEventMap> = {
  [T in keyof M & string]?: OutboxHandler<M[T]>;
};

/** A stored event as the dispatcher sees it. */
export type OutboxEventRow = typeof outboxEvent.$inferSelect;

/** Outcome of one drain pass. */
export interface DrainResult {
  claimed: number;
  published: number;
  /** Failed this time and scheduled again with backoff. */
  retried: number;
  /** Used up their attempts in this pass and now wait in the failed state. */
  failed: number;
}

/** Options for {@link createOutboxDispatcher}. */
export interface OutboxDispatcherOptions<M extends Record<keyof M, object> = OutboxEventMap> {
  database: Pick<Database, 'db'>;
  handlers: OutboxHandlers<M>;
  logger?: OutboxLogger;
  /** Events claimed per pass. Default 50. */
  batchSize?: number;
  /** Deliveries before an event is parked as failed. Default 10. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt. Default 1 s. */
  retryBaseMs?: number;
  /** Cap on the retry delay. Default 1 h. */
  retryMaxMs?: number;
  /** How long a claim is held before another process may take the event over. Default 5 min. */
  leaseMs?: number;
}

/** Delivers outbox events to handlers; run one per app process, they share the work through row locks. */
export interface OutboxDispatcher {
  /** Claims one batch (`FOR UPDATE SKIP LOCKED`), runs the handlers and records each outcome. */
  drainOnce(): Promise<DrainResult>;
  /** Drains every `intervalMs` (default 1000), and straight again while batches come back full. */
  start(intervalMs?: number): void;
  /** Stops the loop and waits for the pass in flight. */
  stop(): Promise<void>;
  /** Counts of undelivered events (for metrics and readiness). */
  stats(): Promise<{ pending: number; failed: number }>;
  /** Lists events parked as failed, oldest first. */
  listFailed(limit?: number): Promise<OutboxEventRow[]>;
  /** Puts failed events (all, or the given ids) back in line with a fresh attempt budget; returns how many. */
  retryFailed(ids?: string[]): Promise<number>;
}

const TOPIC_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const MAX_TOPIC_LENGTH = 100;
const MAX_ERROR_LENGTH = 2000;

/** Throws unless `topic` looks like `module.event_name` (lower case, dot separated). */
export function assertOutboxTopic(topic: string): void {
  if (topic.length > MAX_TOPIC_LENGTH || !TOPIC_PATTERN.test(topic)) {
    throw new Error(`Invalid outbox topic "${topic}": expected "module.event_name" in lower case`);
  }
}

/**
 * Records an event in the caller's transaction, so it commits (or rolls back) with the state change it
 * announces. Returns the event id.
 */
export async function enqueueEvent<M extends Record<keyof M, object> = OutboxEventMap>(
  tx: DbOrTx,
  event: NewOutboxEvent<M>,
): Promise<string> {
  assertOutboxTopic(event.topic);
  if (typeof event.payload !== 'object' || event.payload === null || Array.isArray(event.payload)) {
    throw new Error(`Outbox payload for "${event.topic}" must be a JSON object`);
  }
  const id = newId('obx');
  await tx.insert(outboxEvent).values({
    id,
    topic: event.topic,
    payload: event.payload,
    ...(event.availableAt ? { availableAt: event.availableAt } : {}),
  });
  return id;
}

/**
 * The insert of one event as an SQL statement, for a caller that sends it with its other writes in one statement
 * (as a data-modifying CTE); same checks and row as {@link enqueueEvent}.
 */
export function enqueueEventSql<M extends Record<keyof M, object> = OutboxEventMap>(
  event: NewOutboxEvent<M>,
): SQL {
  assertOutboxTopic(event.topic);
  if (typeof event.payload !== 'object' || event.payload === null || Array.isArray(event.payload)) {
    throw new Error(`Outbox payload for "${event.topic}" must be a JSON object`);
  }
  return event.availableAt
    ? sql`insert into outbox_event (id, topic, payload, available_at)
          values (${newId('obx')}, ${event.topic}, ${JSON.stringify(event.payload)}::jsonb,
                  ${event.availableAt.toISOString()}::timestamptz)`
    : sql`insert into outbox_event (id, topic, payload)
          values (${newId('obx')}, ${event.topic}, ${JSON.stringify(event.payload)}::jsonb)`;
}

/** Deletes events published before `before`; run it from a daily job. Returns how many were removed. */
export async function prunePublishedEvents(tx: DbOrTx, before: Date): Promise<number> {
  const rows = await tx
    .delete(outboxEvent)
    .where(and(isNotNull(outboxEvent.publishedAt), lt(outboxEvent.publishedAt, before)))
    .returning({ id: outboxEvent.id });
  return rows.length;
}

/** Retry delay after the given (1-based) failed attempt: base · 2^(attempt−1), capped. */
export function outboxBackoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}

// Drizzle's query error puts the bound parameters (possibly personal data) in its message; use the cause.
const rootError = (err: unknown): unknown =>
  err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err;

function errorText(thrown: unknown): string {
  const err = rootError(thrown);
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

const msFromNow = (ms: number) => sql`now() + (${ms}::double precision * interval '1 millisecond')`;

/** Creates the dispatcher that delivers outbox events to this process's handlers. */
export function createOutboxDispatcher<M extends Record<keyof M, object> = OutboxEventMap>(
  opts: OutboxDispatcherOptions<M>,
): OutboxDispatcher {
  const { db } = opts.database;
  const logger = opts.logger ?? pino({ level: 'silent' });
  const batchSize = opts.batchSize ?? 50;
  const maxAttempts = opts.maxAttempts ?? 10;
  const retryBaseMs = opts.retryBaseMs ?? 1000;
  const retryMaxMs = opts.retryMaxMs ?? 3_600_000;
  const leaseMs = opts.leaseMs ?? 300_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new Error('maxAttempts must be a positive integer');

  // Payloads were typed by topic when enqueued; here they come back from jsonb as plain objects.
  const handlers = opts.handlers as unknown as Record<string, OutboxHandler<object> | undefined>;
  const topics = Object.keys(handlers).filter((t) => handlers[t]);
  for (const topic of topics) assertOutboxTopic(topic);

  const inFlight = new Set<Promise<unknown>>();
  let running = false;
  let timer: NodeJS.Timeout | undefined;

  async function claim(): Promise<OutboxEventRow[]> {
    const candidates = db
      .select({ id: outboxEvent.id })
      .from(outboxEvent)
      .where(
        and(
          isNull(outboxEvent.publishedAt),
          isNull(outboxEvent.failedAt),
          lte(outboxEvent.availableAt, sql`now()`),
          inArray(outboxEvent.topic, topics),
        ),
      )
      .orderBy(asc(outboxEvent.availableAt))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    // One statement: rows locked by another claimer are skipped, and once this commits their
    // available_at lies in the future (the lease), so nobody else picks them until it runs out.
    const rows = await db
      .update(outboxEvent)
      .set({ attempts: sql`${outboxEvent.attempts} + 1`, availableAt: msFromNow(leaseMs) })
      .where(inArray(outboxEvent.id, candidates))
      .returning();
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  // Every write after the claim is fenced on the attempt number, so a process whose lease ran out and
  // whose event was taken over cannot overwrite the newer delivery's outcome.
  const fence = (row: OutboxEventRow) =>
    and(eq(outboxEvent.id, row.id), eq(outboxEvent.attempts, row.attempts), isNull(outboxEvent.publishedAt));

  async function markFailed(row: OutboxEventRow, error: string): Promise<boolean> {
    const done = await db
      .update(outboxEvent)
      .set({ failedAt: sql`now()`, lastError: error })
      .where(fence(row))
      .returning({ id: outboxEvent.id });
    if (done.length > 0) {
      logger.error(
        { eventId: row.id, topic: row.topic, attempts: row.attempts, error },
        'outbox event failed permanently; it stays undelivered until retried',
      );
    }
    return done.length > 0;
  }

  async function deliver(row: OutboxEventRow, result: DrainResult): Promise<void> {
    const handler = handlers[row.topic];
    if (!handler) return;
    if (row.attempts > maxAttempts) {
      // The previous holder died or overran its lease during the last allowed attempt.
      if (await markFailed(row, row.lastError ?? 'delivery interrupted (lease expired)')) result.failed++;
      return;
    }
    try {
      await handler(row.payload as object, {
        id: row.id,
        topic: row.topic,
        attempt: row.attempts,
        createdAt: row.createdAt,
      });
    } catch (err) {
      const error = errorText(err);
      if (row.attempts >= maxAttempts) {
        if (await markFailed(row, error)) result.failed++;
        return;
      }
      const delay = outboxBackoffMs(row.attempts, retryBaseMs, retryMaxMs);
      const updated = await db
        .update(outboxEvent)
        .set({ availableAt: msFromNow(delay), lastError: error })
        .where(fence(row))
        .returning({ id: outboxEvent.id });
      if (updated.length > 0) result.retried++;
      logger.warn(
        { eventId: row.id, topic: row.topic, attempt: row.attempts, retryInMs: delay, error },
        'outbox handler failed; will retry',
      );
      return;
    }
    const published = await db
      .update(outboxEvent)
      .set({ publishedAt: sql`now()`, lastError: null })
      .where(fence(row))
      .returning({ id: outboxEvent.id });
    if (published.length > 0) result.published++;
    else
      logger.warn(
        { eventId: row.id, topic: row.topic },
        'outbox lease lost before the event was marked published',
      );
  }

  async function drain(): Promise<DrainResult> {
    const result: DrainResult = { claimed: 0, published: 0, retried: 0, failed: 0 };
    if (topics.length === 0) return result;
    const rows = await claim();
    result.claimed = rows.length;
    for (const row of rows) await deliver(row, result);
    if (rows.length > 0) logger.debug({ ...result }, 'outbox drained');
    return result;
  }

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    const forget = () => inFlight.delete(p);
    p.then(forget, forget);
    return p;
  }

  async function tick(intervalMs: number): Promise<void> {
    timer = undefined;
    let full = false;
    try {
      full = (await track(drain())).claimed === batchSize;
    } catch (err) {
      logger.error({ error: errorText(err) }, 'outbox drain failed');
    }
    if (running) timer = setTimeout(() => void tick(intervalMs), full ? 0 : intervalMs);
  }

  return {
    drainOnce: () => track(drain()),
    start(intervalMs = 1000) {
      if (running) throw new Error('outbox dispatcher already started');
      running = true;
      timer = setTimeout(() => void tick(intervalMs), 0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([...inFlight]);
    },
    async stats() {
      const [pending] = await db
        .select({ n: count() })
        .from(outboxEvent)
        .where(and(isNull(outboxEvent.publishedAt), isNull(outboxEvent.failedAt)));
      const [failed] = await db
        .select({ n: count() })
        .from(outboxEvent)
        .where(isNotNull(outboxEvent.failedAt));
      return { pending: pending?.n ?? 0, failed: failed?.n ?? 0 };
    },
    listFailed(limit = 100) {
      return db
        .select()
        .from(outboxEvent)
        .where(isNotNull(outboxEvent.failedAt))
        .orderBy(asc(outboxEvent.failedAt))
        .limit(Math.min(Math.max(1, limit), 1000));
    },
    async retryFailed(ids) {
      const rows = await db
        .update(outboxEvent)
        .set({ failedAt: null, attempts: 0, availableAt: sql`now()` })
        .where(
          and(isNotNull(outboxEvent.failedAt), ids === undefined ? undefined : inArray(outboxEvent.id, ids)),
        )
        .returning({ id: outboxEvent.id });
      return rows.length;
    },
  };
}
