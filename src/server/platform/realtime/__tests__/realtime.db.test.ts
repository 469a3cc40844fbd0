import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { type Database, openDatabase } from '../../db/client.js';
import {
  createRealtimeBus,
  NOTIFY_PAYLOAD_MAX_BYTES,
  publishOnCommit,
  type RealtimeBus,
  RealtimeError,
} from '../realtime.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let bus: RealtimeBus;
beforeAll(async () => {
  database = await createTestDatabase();
  bus = createRealtimeBus(database);
});
afterAll(async () => {
  await bus?.close();
  await database?.drop();
});

/** Collects messages of one subscription and lets a test wait for the next ones. */
async function collector(target: RealtimeBus, channel: string) {
  const received: unknown[] = [];
  const waiters: Array<() => void> = [];
  const unsubscribe = await target.subscribe(channel, (m) => {
    received.push(m);
    for (const w of waiters.splice(0)) w();
  });
  return {
    received,
    unsubscribe,
    async waitFor(count: number): Promise<unknown[]> {
      const deadline = Date.now() + 10_000;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`got ${received.length} of ${count} messages on ${channel}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return received;
    },
  };
}

test('a published message reaches the subscriber as parsed JSON', async () => {
  const chat = await collector(bus, 'chat_thread_1');
  const message = { type: 'message.created', threadId: 'thr_1', text: '阿姨明天九点到', n: 3, ok: true };
  await bus.publish('chat_thread_1', message);
  expect(await chat.waitFor(1)).toEqual([message]);
  await chat.unsubscribe();
});

test('channels are isolated and every handler of a channel is called', async () => {
  const a1 = await collector(bus, 'iso_a');
  const a2 = await collector(bus, 'iso_a');
  const b = await collector(bus, 'iso_b');
  await bus.publish('iso_a', { to: 'a' });
  await bus.publish('iso_b', { to: 'b' });
  expect(await a1.waitFor(1)).toEqual([{ to: 'a' }]);
  expect(await a2.waitFor(1)).toEqual([{ to: 'a' }]);
  expect(await b.waitFor(1)).toEqual([{ to: 'b' }]);
  await Promise.all([a1.unsubscribe(), a2.unsubscribe(), b.unsubscribe()]);
});

test('an unsubscribed handler hears nothing more, while others on the channel still do', async () => {
  const leaving = await collector(bus, 'unsub');
  const staying = await collector(bus, 'unsub');
  await bus.publish('unsub', { seq: 1 });
  await leaving.waitFor(1);
  await staying.waitFor(1);

  await leaving.unsubscribe();
  await leaving.unsubscribe(); // idempotent
  await bus.publish('unsub', { seq: 2 });
  // NOTIFYs are delivered in commit order, so once `staying` has seq 2, `leaving` would have had it too.
  await staying.waitFor(2);
  expect(leaving.received).toEqual([{ seq: 1 }]);
  expect(staying.received).toEqual([{ seq: 1 }, { seq: 2 }]);

  // The last handler leaving UNLISTENs; a fresh subscriber afterwards still works.
  await staying.unsubscribe();
  await bus.publish('unsub', { seq: 3 });
  const again = await collector(bus, 'unsub');
  await bus.publish('unsub', { seq: 4 });
  expect(await again.waitFor(1)).toEqual([{ seq: 4 }]);
  expect(staying.received).toHaveLength(2);
  await again.unsubscribe();
});

test('a throwing handler does not stop delivery to the others', async () => {
  await bus.subscribe('faulty', () => {
    throw new Error('handler bug');
  });
  await bus.subscribe('faulty', async () => {
    throw new Error('async handler bug');
  });
  const healthy = await collector(bus, 'faulty');
  await bus.publish('faulty', { x: 1 });
  await bus.publish('faulty', { x: 2 });
  expect(await healthy.waitFor(2)).toEqual([{ x: 1 }, { x: 2 }]);
});

test('channel names are validated on publish and subscribe', async () => {
  for (const bad of ['', 'Chat', 'chat-1', 'chat.1', 'a'.repeat(49), 'x; drop table user']) {
    await expect(bus.publish(bad, {})).rejects.toMatchObject({ code: 'REALTIME_CHANNEL_INVALID' });
    await expect(bus.subscribe(bad, () => undefined)).rejects.toBeInstanceOf(RealtimeError);
  }
  const longest = await collector(bus, 'a'.repeat(48));
  await bus.publish('a'.repeat(48), { ok: 1 });
  expect(await longest.waitFor(1)).toEqual([{ ok: 1 }]);
  await longest.unsubscribe();
});

test('payloads up to the NOTIFY limit are delivered; larger ones are refused before reaching the database', async () => {
  const big = await collector(bus, 'big');
  const overhead = JSON.stringify({ s: '' }).length;
  const fits = { s: 'x'.repeat(NOTIFY_PAYLOAD_MAX_BYTES - overhead) };
  expect(Buffer.byteLength(JSON.stringify(fits))).toBe(7999);
  await bus.publish('big', fits);
  expect(await big.waitFor(1)).toEqual([fits]);

  const tooBig = { s: 'x'.repeat(NOTIFY_PAYLOAD_MAX_BYTES - overhead + 1) };
  await expect(bus.publish('big', tooBig)).rejects.toMatchObject({
    code: 'REALTIME_PAYLOAD_TOO_LARGE',
    message: expect.stringContaining('8000 bytes'),
  });
  // The constant is PostgreSQL's own limit, on both engines.
  const refused = await database.db.execute(sql`select pg_notify('rt_unheard', ${'x'.repeat(8000)})`).then(
    () => undefined,
    (err: Error) => err,
  );
  expect(String((refused?.cause as Error | undefined)?.message)).toMatch(/payload string too long/);
  await database.db.execute(sql`select pg_notify('rt_unheard', ${'x'.repeat(7999)})`);
  // Multi-byte characters count as bytes, not characters: 2667 × 3 bytes of Chinese is over the limit.
  await expect(bus.publish('big', { s: '家'.repeat(2667) })).rejects.toMatchObject({
    code: 'REALTIME_PAYLOAD_TOO_LARGE',
  });
  await big.unsubscribe();
});

test('publishOnCommit delivers only when the caller’s transaction commits', async () => {
  const tx = await collector(bus, 'tx_events');
  await expect(
    database.db.transaction(async (t) => {
      await publishOnCommit(t, 'tx_events', { state: 'rolled back' });
      throw new Error('refused');
    }),
  ).rejects.toThrow('refused');
  await database.db.transaction(async (t) => {
    await publishOnCommit(t, 'tx_events', { state: 'committed' });
  });
  await bus.publish('tx_events', { state: 'after' });
  expect(await tx.waitFor(2)).toEqual([{ state: 'committed' }, { state: 'after' }]);
  await tx.unsubscribe();
});

test('a closed bus refuses further use', async () => {
  const temporary = createRealtimeBus(database);
  const sub = await collector(temporary, 'closing');
  await temporary.close();
  await temporary.close();
  await expect(temporary.publish('closing', {})).rejects.toMatchObject({ code: 'REALTIME_CLOSED' });
  await expect(temporary.subscribe('closing', () => undefined)).rejects.toMatchObject({
    code: 'REALTIME_CLOSED',
  });
  await sub.unsubscribe();
  await bus.publish('closing', { late: true });
  await new Promise((r) => setTimeout(r, 200));
  expect(sub.received).toEqual([]);
});

describe('on PostgreSQL', () => {
  let second: Database | undefined;
  beforeAll(async () => {
    const url = database.pool?.options.connectionString;
    if (url) second = await openDatabase({ databaseUrl: url, poolSize: 2 });
  });
  afterAll(async () => second?.close());

  test.skipIf(!onPostgres)(
    'two bus instances (two app processes) deliver each other’s messages',
    async () => {
      const nodeA = createRealtimeBus(database);
      const nodeB = createRealtimeBus(second!);
      try {
        const onA = await collector(nodeA, 'interview_room_7');
        const onB = await collector(nodeB, 'interview_room_7');
        await nodeA.publish('interview_room_7', { from: 'a', sdp: 'offer' });
        await nodeB.publish('interview_room_7', { from: 'b', sdp: 'answer' });
        expect(await onA.waitFor(2)).toEqual([
          { from: 'a', sdp: 'offer' },
          { from: 'b', sdp: 'answer' },
        ]);
        expect(await onB.waitFor(2)).toEqual(onA.received);
      } finally {
        await Promise.all([nodeA.close(), nodeB.close()]);
      }
    },
  );

  test.skipIf(!onPostgres)(
    'the listener reconnects after its connection is killed and LISTENs again',
    async () => {
      let reconnects = 0;
      const node = createRealtimeBus(second!, {
        reconnectBaseDelayMs: 50,
        onReconnect: () => {
          reconnects++;
        },
      });
      try {
        const sub = await collector(node, 'resilient');
        await node.publish('resilient', { n: 1 });
        await sub.waitFor(1);

        const killed = await database.raw.query<{ pid: number }>(
          `select pg_terminate_backend(pid) as killed, pid from pg_stat_activity
          where datname = current_database() and application_name = 'anxin-realtime'`,
        );
        expect(killed.length).toBeGreaterThan(0);
        const deadline = Date.now() + 10_000;
        while (reconnects === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
        expect(reconnects).toBe(1);

        await node.publish('resilient', { n: 2 });
        expect(await sub.waitFor(2)).toEqual([{ n: 1 }, { n: 2 }]);
      } finally {
        await node.close();
      }
    },
  );
});
