import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { count, sql } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { createTestDatabase } from '../../../../../test/db.js';
import { registerErrorHandling } from '../../http/error-handler.js';
import { randomBytes } from 'node:crypto';
import { createPii } from '../../pii/index.js';
import { idempotencyKey } from '../idempotency.tables.js';
import { purgeExpiredIdempotencyKeys, registerIdempotency } from '../idempotency.js';

const widget = pgTable('idem_test_widget', { id: text('id').primaryKey(), name: text('name').notNull() });

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: FastifyInstance;
let now = new Date('2026-11-28T10:00:00Z');
let failNext = false;
let release: (() => void) | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`create table idem_test_widget (id text primary key, name text not null)`);
  app = Fastify();
  registerErrorHandling(app);
  app.decorateRequest('actor', null);
  registerIdempotency(app, {
    db: database.db,
    clock: () => now,
    pii: createPii({ key: randomBytes(32), hashKey: randomBytes(32) }),
  });
  let n = 0;
  app.post('/widgets', { config: { idempotent: true } }, async (req, reply) => {
    if (failNext) {
      failNext = false;
      throw new Error('boom');
    }
    if (release === null && (req.body as { slow?: boolean }).slow)
      await new Promise<void>((r) => (release = r));
    const id = `w${++n}`;
    await database.db.insert(widget).values({ id, name: (req.body as { name: string }).name });
    return reply.status(201).send({ id });
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const create = (body: object, key?: string) =>
  app.inject({
    method: 'POST',
    url: '/widgets',
    payload: body,
    headers: key ? { 'idempotency-key': key } : {},
  });
const widgets = async () => (await database.db.select({ n: count() }).from(widget))[0]!.n;

describe('Idempotency-Key', () => {
  test('a retry with the same key returns the first response and creates nothing more', async () => {
    const before = await widgets();
    const first = await create({ name: 'a' }, 'key-aaaaaaaa');
    const again = await create({ name: 'a' }, 'key-aaaaaaaa');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await widgets()).toBe(before + 1);
  });

  test('the stored response is encrypted at rest (it may hold a home address) and still replays', async () => {
    const first = await create({ name: '天河区林和西路100号' }, 'key-encrypted-1');
    const [row] = await database.db
      .select()
      .from(idempotencyKey)
      .where(sql`${idempotencyKey.key} = 'key-encrypted-1'`);
    expect(JSON.stringify(row!.responseBody)).not.toContain(first.json().id);
    expect(row!.responseBody).toEqual({ enc: expect.any(String) });
    const again = await create({ name: '天河区林和西路100号' }, 'key-encrypted-1');
    expect(again.json()).toEqual(first.json());
  });

  test('the same key with another body is refused', async () => {
    await create({ name: 'b' }, 'key-bbbbbbbb');
    const res = await create({ name: 'other' }, 'key-bbbbbbbb');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  test('a malformed key is refused and nothing is created', async () => {
    const before = await widgets();
    const res = await create({ name: 'c' }, 'bad key!');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await widgets()).toBe(before);
  });

  test('without a key every request creates', async () => {
    const before = await widgets();
    await create({ name: 'd' });
    await create({ name: 'd' });
    expect(await widgets()).toBe(before + 2);
  });

  test('a failed first attempt can be retried with the same key', async () => {
    failNext = true;
    const failed = await create({ name: 'e' }, 'key-eeeeeeee');
    expect(failed.statusCode).toBe(500);
    const retried = await create({ name: 'e' }, 'key-eeeeeeee');
    expect(retried.statusCode).toBe(201);
  });

  test('a retry while the first is still running gets 409', async () => {
    const slow = create({ name: 'f', slow: true }, 'key-ffffffff');
    while (!release) await new Promise((r) => setTimeout(r, 5));
    const concurrent = await create({ name: 'f', slow: true }, 'key-ffffffff');
    expect(concurrent.statusCode).toBe(409);
    expect(concurrent.json().code).toBe('IDEMPOTENCY_IN_PROGRESS');
    (release as () => void)();
    expect((await slow).statusCode).toBe(201);
  });

  test('keys expire after a day', async () => {
    await create({ name: 'g' }, 'key-gggggggg');
    now = new Date(now.getTime() + 25 * 3600_000);
    const purged = await purgeExpiredIdempotencyKeys(database.db, now);
    expect(purged).toBeGreaterThan(0);
    const before = await widgets();
    expect((await create({ name: 'g' }, 'key-gggggggg')).headers['idempotent-replayed']).toBeUndefined();
    expect(await widgets()).toBe(before + 1);
  });
});
