import { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { type Database, openDatabase } from '../../db/client.js';
import { idPattern } from '../../db/ids.js';
import {
  createOutboxDispatcher,
  enqueueEvent,
  type OutboxEventMeta,
  outboxBackoffMs,
  prunePublishedEvents,
} from '../outbox.js';
import { outboxEvent } from '../outbox.tables.js';

interface TestEvents {
  'test.happened': { n: number; label: string };
  'test.flaky': { n: number };
  'test.unhandled': { n: number };
}

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

async function row(id: string) {
  const [r] = await database.db.select().from(outboxEvent).where(eq(outboxEvent.id, id));
  if (!r) throw new Error(`no outbox row ${id}`);
  return r;
}

/** Seconds from the database's now() to the row's available_at. */
async function secondsUntilAvailable(id: string): Promise<number> {
  const [r] = await database.db
    .select({ s: sql<number>`extract(epoch from (${outboxEvent.availableAt} - now()))::float8` })
    .from(outboxEvent)
    .where(eq(outboxEvent.id, id));
  return Number(r?.s);
}

async function makeAvailableNow(id: string): Promise<void> {
  await database.db.update(outboxEvent).set({ availableAt: sql`now()` }).where(eq(outboxEvent.id, id));
}

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

// Each test uses its own topics or drains everything it enqueued, so tests do not see each other's events.
describe('enqueueEvent', () => {
  test('commits with the caller’s transaction and vanishes when it rolls back', async () => {
    const committed = await database.db.transaction((tx) =>
      enqueueEvent<TestEvents>(tx, { topic: 'test.unhandled', payload: { n: 1 } }),
    );
    expect(committed).toMatch(idPattern('obx'));
    const stored = await row(committed);
    expect(stored).toMatchObject({
      topic: 'test.unhandled',
      payload: { n: 1 },
      attempts: 0,
      publishedAt: null,
    });

    let rolledBack = '';
    await expect(
      database.db.transaction(async (tx) => {
        rolledBack = await enqueueEvent<TestEvents>(tx, { topic: 'test.unhandled', payload: { n: 2 } });
        throw new Error('state change refused');
      }),
    ).rejects.toThrow('state change refused');
    expect(rolledBack).toMatch(idPattern('obx'));
    expect(await database.db.select().from(outboxEvent).where(eq(outboxEvent.id, rolledBack))).toEqual([]);
  });

  test('refuses malformed topics and non-object payloads', async () => {
    await expect(enqueueEvent(database.db, { topic: 'NoModule', payload: {} })).rejects.toThrow(
      /Invalid outbox topic/,
    );
    await expect(enqueueEvent(database.db, { topic: 'orders.', payload: {} })).rejects.toThrow(
      /Invalid outbox topic/,
    );
    await expect(
      enqueueEvent(database.db, { topic: 'orders.completed', payload: [] as unknown as object }),
    ).rejects.toThrow(/JSON object/);
  });
});

describe('dispatcher', () => {
  test('delivers an event once with its payload and metadata, then marks it published', async () => {
    const seen: Array<{ payload: TestEvents['test.happened']; meta: OutboxEventMeta }> = [];
    const dispatcher = createOutboxDispatcher<TestEvents>({
      database,
      handlers: {
        'test.happened': async (payload, meta) => {
          seen.push({ payload, meta });
        },
      },
    });
    const id = await enqueueEvent<TestEvents>(database.db, {
      topic: 'test.happened',
      payload: { n: 7, label: '月嫂 booking' },
    });

    expect(await dispatcher.drainOnce()).toEqual({ claimed: 1, published: 1, retried: 0, failed: 0 });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.payload).toEqual({ n: 7, label: '月嫂 booking' });
    expect(seen[0]?.meta).toMatchObject({ id, topic: 'test.happened', attempt: 1 });
    expect(seen[0]?.meta.createdAt).toBeInstanceOf(Date);
    const stored = await row(id);
    expect(stored.publishedAt).toBeInstanceOf(Date);
    expect(stored.attempts).toBe(1);

    expect(await dispatcher.drainOnce()).toEqual({ claimed: 0, published: 0, retried: 0, failed: 0 });
    expect(seen).toHaveLength(1);
  });

  test('leaves topics it has no handler for, and events not yet available', async () => {
    const other = await enqueueEvent<TestEvents>(database.db, { topic: 'test.unhandled', payload: { n: 3 } });
    const later = await enqueueEvent<TestEvents>(database.db, {
      topic: 'test.happened',
      payload: { n: 4, label: 'later' },
      availableAt: new Date(Date.now() + 3_600_000),
    });
    const got: number[] = [];
    const dispatcher = createOutboxDispatcher<TestEvents>({
      database,
      handlers: {
        'test.happened': async (p) => {
          got.push(p.n);
        },
      },
    });
    await dispatcher.drainOnce();
    expect(got).toEqual([]);
    expect((await row(other)).attempts).toBe(0);
    expect((await row(later)).attempts).toBe(0);

    await makeAvailableNow(later);
    await dispatcher.drainOnce();
    expect(got).toEqual([4]);
  });

  test('retries with exponential backoff, parks the event as failed after maxAttempts, and reports it', async () => {
    const { logger, lines } = captureLogger();
    let calls = 0;
    const dispatcher = createOutboxDispatcher<TestEvents>({
      database,
      logger,
      maxAttempts: 3,
      retryBaseMs: 60_000,
      handlers: {
        'test.flaky': async () => {
          calls++;
          throw new Error(`downstream unavailable #${calls}`);
        },
      },
    });
    const id = await enqueueEvent<TestEvents>(database.db, { topic: 'test.flaky', payload: { n: 1 } });

    expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 1, retried: 1, failed: 0 });
    let stored = await row(id);
    expect(stored).toMatchObject({
      attempts: 1,
      lastError: 'Error: downstream unavailable #1',
      publishedAt: null,
    });
    expect(await secondsUntilAvailable(id)).toBeGreaterThan(55);
    expect(await secondsUntilAvailable(id)).toBeLessThanOrEqual(60);
    // Not yet due: nothing is claimed.
    expect((await dispatcher.drainOnce()).claimed).toBe(0);

    await makeAvailableNow(id);
    expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect(await secondsUntilAvailable(id)).toBeGreaterThan(115);
    expect(await secondsUntilAvailable(id)).toBeLessThanOrEqual(120);

    await makeAvailableNow(id);
    expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 1, retried: 0, failed: 1 });
    stored = await row(id);
    expect(stored.attempts).toBe(3);
    expect(stored.failedAt).toBeInstanceOf(Date);
    expect(stored.lastError).toBe('Error: downstream unavailable #3');
    expect(calls).toBe(3);

    // Failed stays failed, even once available_at has passed.
    await makeAvailableNow(id);
    expect((await dispatcher.drainOnce()).claimed).toBe(0);
    expect(await dispatcher.stats()).toMatchObject({ failed: 1 });
    expect((await dispatcher.listFailed()).map((r) => r.id)).toEqual([id]);

    const report = lines.find((l) => l.msg?.toString().includes('failed permanently'));
    expect(report).toMatchObject({ level: 50, eventId: id, topic: 'test.flaky', attempts: 3 });
    expect(JSON.stringify(lines)).not.toContain('"n":1');
    expect(lines.filter((l) => l.msg === 'outbox handler failed; will retry')).toHaveLength(2);

    expect(await dispatcher.retryFailed([id])).toBe(1);
    stored = await row(id);
    expect(stored).toMatchObject({ attempts: 0, failedAt: null });
    expect((await dispatcher.drainOnce()).claimed).toBe(1);
    expect(calls).toBe(4);
    // Clean up: park it again so the following tests see no due events of this topic.
    await database.db.update(outboxEvent).set({ failedAt: sql`now()` }).where(eq(outboxEvent.id, id));
  });

  test('a failed query in a handler is recorded and logged without its bound parameters', async () => {
    const { logger, lines } = captureLogger();
    const phone = '13800138000';
    const dispatcher = createOutboxDispatcher({
      database,
      logger,
      handlers: {
        'pii.leak': async (_p, meta) => {
          // Re-inserting an existing id fails with a DrizzleQueryError whose message lists the parameters.
          await database.db
            .insert(outboxEvent)
            .values({ id: meta.id, topic: 'pii.leak', payload: { phone } });
        },
      },
    });
    const id = await enqueueEvent(database.db, { topic: 'pii.leak', payload: { note: 'x' } });
    expect(await dispatcher.drainOnce()).toMatchObject({ claimed: 1, retried: 1 });
    const stored = await row(id);
    expect(stored.lastError).toMatch(/duplicate key value violates unique constraint/);
    expect(stored.lastError).not.toContain(phone);
    expect(JSON.stringify(lines)).not.toContain(phone);
    expect(lines.some((l) => l.msg === 'outbox handler failed; will retry' && l.eventId === id)).toBe(true);
  });

  test('a holder whose lease ran out cannot overwrite the delivery that took over', async () => {
    const { logger, lines } = captureLogger();
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const enteredSlow = new Promise<void>((r) => {
      entered = r;
    });
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = createOutboxDispatcher<TestEvents>({
      database,
      logger,
      leaseMs: 60_000,
      handlers: {
        'test.happened': async () => {
          entered();
          await gate;
        },
      },
    });
    const fastSeen: number[] = [];
    const fast = createOutboxDispatcher<TestEvents>({
      database,
      handlers: {
        'test.happened': async (_p, meta) => {
          fastSeen.push(meta.attempt);
        },
      },
    });
    const id = await enqueueEvent<TestEvents>(database.db, {
      topic: 'test.happened',
      payload: { n: 9, label: 'x' },
    });

    const slowPass = slow.drainOnce();
    await enteredSlow;
    // While the slow holder works, its lease hides the event from everyone else.
    expect((await fast.drainOnce()).claimed).toBe(0);
    // Simulate the lease running out (the holder hung or its process was paused).
    await makeAvailableNow(id);
    expect(await fast.drainOnce()).toMatchObject({ claimed: 1, published: 1 });
    expect(fastSeen).toEqual([2]);

    release();
    expect(await slowPass).toMatchObject({ claimed: 1, published: 0 });
    expect(lines.some((l) => l.msg === 'outbox lease lost before the event was marked published')).toBe(true);
    expect(await row(id)).toMatchObject({ attempts: 2 });
  });

  test('start() drains in the background and stop() waits for the pass in flight', async () => {
    const got: number[] = [];
    const dispatcher = createOutboxDispatcher<TestEvents>({
      database,
      batchSize: 5,
      handlers: {
        'test.happened': async (p) => {
          got.push(p.n);
        },
      },
    });
    for (let n = 100; n < 112; n++) {
      await enqueueEvent<TestEvents>(database.db, { topic: 'test.happened', payload: { n, label: 'bg' } });
    }
    dispatcher.start(20);
    expect(() => dispatcher.start(20)).toThrow(/already started/);
    const deadline = Date.now() + 20_000;
    while (got.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await dispatcher.stop();
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => 100 + i));
    const stillPending = await database.db
      .select({ id: outboxEvent.id })
      .from(outboxEvent)
      .where(sql`${outboxEvent.topic} = 'test.happened' and ${outboxEvent.publishedAt} is null`);
    expect(stillPending).toEqual([]);
  });

  test('prunePublishedEvents removes only published events older than the cutoff', async () => {
    const dispatcher = createOutboxDispatcher({
      database,
      handlers: { 'prune.done': async () => undefined },
    });
    const done = await enqueueEvent(database.db, { topic: 'prune.done', payload: {} });
    const waiting = await enqueueEvent(database.db, { topic: 'prune.waiting', payload: {} });
    await dispatcher.drainOnce();
    expect((await row(done)).publishedAt).toBeInstanceOf(Date);

    await prunePublishedEvents(database.db, new Date(Date.now() - 3_600_000));
    expect(await exists(done)).toBe(true);
    expect(await prunePublishedEvents(database.db, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await exists(done)).toBe(false);
    expect(await exists(waiting)).toBe(true);
  });
});

async function exists(id: string): Promise<boolean> {
  const rows = await database.db
    .select({ id: outboxEvent.id })
    .from(outboxEvent)
    .where(eq(outboxEvent.id, id));
  return rows.length === 1;
}

test('outboxBackoffMs doubles per attempt up to the cap', () => {
  expect([1, 2, 3, 4].map((a) => outboxBackoffMs(a, 1000, 5000))).toEqual([1000, 2000, 4000, 5000]);
  expect(outboxBackoffMs(500, 1000, 3_600_000)).toBe(3_600_000);
});

describe('two app processes', () => {
  let second: Database | undefined;
  beforeAll(async () => {
    // On PostgreSQL the second process gets its own pool; one PGlite cannot be opened twice, so there the
    // two dispatchers share the instance (still two independent claimers).
    const url = database.pool?.options.connectionString;
    second = url ? await openDatabase({ databaseUrl: url, poolSize: 5 }) : undefined;
  });
  afterAll(async () => second?.close());

  test('never deliver the same event twice while draining concurrently', async () => {
    const total = 150;
    const ids: string[] = [];
    for (let n = 0; n < total; n++) {
      ids.push(await enqueueEvent(database.db, { topic: 'race.delivered', payload: { n } }));
    }
    const deliveries = new Map<string, string[]>();
    const make = (name: string, db: Pick<Database, 'db'>) =>
      createOutboxDispatcher({
        database: db,
        batchSize: 7,
        handlers: {
          'race.delivered': async (_p, meta) => {
            deliveries.set(meta.id, [...(deliveries.get(meta.id) ?? []), name]);
            await new Promise((r) => setTimeout(r, 1));
          },
        },
      });
    const a = make('a', database);
    const b = make('b', second ?? database);
    const loop = async (d: ReturnType<typeof make>) => {
      let claimed = 0;
      for (;;) {
        const r = await d.drainOnce();
        if (r.claimed === 0) return claimed;
        claimed += r.claimed;
      }
    };
    const [ca, cb] = await Promise.all([loop(a), loop(b), loop(a), loop(b)]);
    expect(deliveries.size).toBe(total);
    const twice = [...deliveries.values()].filter((names) => names.length !== 1);
    expect(twice).toEqual([]);
    expect((ca ?? 0) + (cb ?? 0)).toBeGreaterThan(0);
    const unpublished = await database.db
      .select({ id: outboxEvent.id })
      .from(outboxEvent)
      .where(sql`${outboxEvent.topic} = 'race.delivered' and ${outboxEvent.publishedAt} is null`);
    expect(unpublished).toEqual([]);
  });
});
