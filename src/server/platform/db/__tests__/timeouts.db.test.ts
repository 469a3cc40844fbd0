import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { registerErrorHandling } from '../../http/error-handler.js';
import { type Database, openDatabase } from '../client.js';
import { liftStatementTimeout, withStatementTimeout } from '../tx-hooks.js';
import { databaseUnavailableCode } from '../unavailable.js';

// Server-side timeouts only exist on PostgreSQL (PGlite runs in the app's own thread).
const onPostgres = !!process.env.TEST_DATABASE_URL;

const elapsed = async <T>(fn: () => Promise<T>) => {
  const t0 = performance.now();
  try {
    return { value: await fn(), error: null as unknown, ms: performance.now() - t0 };
  } catch (error) {
    return { value: null, error, ms: performance.now() - t0 };
  }
};

describe.skipIf(!onPostgres)('PostgreSQL pool timeouts', () => {
  let base: Awaited<ReturnType<typeof createTestDatabase>>;
  let timed: Database;
  let single: Database;
  let app: FastifyInstance;
  let locker: pg.Client;

  beforeAll(async () => {
    base = await createTestDatabase();
    await base.db.execute(sql`create table timeout_probe (id int primary key, v int not null)`);
    await base.db.execute(sql`insert into timeout_probe values (1, 0)`);
    const limits = { statementTimeoutMs: 300, connectTimeoutMs: 500, idleInTransactionTimeoutMs: 800 };
    timed = await openDatabase({ databaseUrl: base.url!, poolSize: 3, ...limits });
    single = await openDatabase({ databaseUrl: base.url!, poolSize: 1, ...limits });
    locker = new pg.Client({ connectionString: base.url! });
    await locker.connect();
    app = Fastify();
    registerErrorHandling(app);
    app.post('/bump', async () => {
      await timed.db.transaction(async (tx) => {
        await tx.execute(sql`update timeout_probe set v = v + 1 where id = 1`);
      });
      return { ok: true };
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await locker?.end();
    await timed?.close();
    await single?.close();
    await base?.drop();
  });

  test('a statement past statement_timeout fails fast with 57014', async () => {
    const r = await elapsed(() => timed.db.execute(sql`select pg_sleep(3)`));
    expect(databaseUnavailableCode(r.error)).toBe('57014');
    expect(r.ms).toBeLessThan(2500);
  });

  test('a write blocked by a lock held elsewhere answers 503 DATABASE_UNAVAILABLE, not a hang', async () => {
    await locker.query('begin');
    await locker.query('select * from timeout_probe where id = 1 for update');
    try {
      const t0 = performance.now();
      const res = await app.inject({ method: 'POST', url: '/bump' });
      const ms = performance.now() - t0;
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBe('5');
      const body = res.json();
      expect(body.code).toBe('DATABASE_UNAVAILABLE');
      expect(body.message['zh-CN']).toMatch(/数据库/);
      expect(body.message.en).toMatch(/database/i);
      expect(JSON.stringify(body)).not.toMatch(/timeout_probe|update|select/i);
      expect(ms).toBeLessThan(2500);
    } finally {
      await locker.query('rollback');
    }
    // The lock gone, the same route works and the row was not changed by the refused attempt.
    expect((await app.inject({ method: 'POST', url: '/bump' })).statusCode).toBe(200);
    const [row] = await base.raw.query<{ v: number }>('select v from timeout_probe where id = 1');
    expect(row!.v).toBe(1);
  });

  test('long jobs lift the limit for their own statements only, and the connection gets it back', async () => {
    const lifted = await elapsed(() =>
      withStatementTimeout(10_000, () => single.db.execute(sql`select pg_sleep(0.6)`)),
    );
    expect(lifted.error).toBeNull();
    const [shown] = await single.raw.query<{ statement_timeout: string }>('show statement_timeout');
    expect(shown!.statement_timeout).toBe('300ms');
    const inTx = await elapsed(() =>
      single.db.transaction(async (tx) => {
        await liftStatementTimeout(tx, 10_000);
        await tx.execute(sql`select pg_sleep(0.6)`);
      }),
    );
    expect(inTx.error).toBeNull();
    const after = await elapsed(() => single.db.execute(sql`select pg_sleep(1)`));
    expect(databaseUnavailableCode(after.error)).toBe('57014');
  });

  test('a transaction left idle past idle_in_transaction_session_timeout is ended by the server', async () => {
    const r = await elapsed(() =>
      timed.db.transaction(async (tx) => {
        await tx.execute(sql`update timeout_probe set v = v where id = 1`);
        await new Promise((done) => setTimeout(done, 1500));
        await tx.execute(sql`select 1`);
      }),
    );
    expect(databaseUnavailableCode(r.error)).not.toBeNull();
    // The pool replaces the dead connection: the next statement works.
    expect(await timed.raw.query('select 1 as one')).toEqual([{ one: 1 }]);
  });

  test('a database that accepts the connection and never answers fails the connect within the timeout', async () => {
    const sockets = new Set<net.Socket>();
    const stall = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((done) => stall.listen(0, '127.0.0.1', done));
    const port = (stall.address() as net.AddressInfo).port;
    const stalled = await openDatabase({
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/none`,
      connectTimeoutMs: 400,
      statementTimeoutMs: 300,
    });
    try {
      const r = await elapsed(() => stalled.db.execute(sql`select 1`));
      expect(databaseUnavailableCode(r.error)).not.toBeNull();
      expect(r.ms).toBeLessThan(2000);
    } finally {
      await stalled.close().catch(() => undefined);
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => stall.close(() => done()));
    }
  });
});
