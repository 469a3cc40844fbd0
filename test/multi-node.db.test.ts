import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { verifyAuditChain } from '../src/server/platform/audit/audit.js';
import { openDatabase, type Database } from '../src/server/platform/db/client.js';
import { createDevSmsSink } from '../src/server/platform/sms/sms.js';
import { cookieFrom, uniquePhone } from './app.js';
import { createTestDatabase } from './db.js';

// Two app nodes need a shared server database; one PGlite cannot be opened by two processes.
const onPostgres = !!process.env.TEST_DATABASE_URL;

describe.skipIf(!onPostgres)('two app nodes on one PostgreSQL', () => {
  let shared: Awaited<ReturnType<typeof createTestDatabase>>;
  let second: Database;
  let a: FastifyInstance;
  let b: FastifyInstance;
  const sms = createDevSmsSink();

  beforeAll(async () => {
    shared = await createTestDatabase();
    // A second, independent connection pool to the same database, as another process would have.
    second = await openDatabase({ databaseUrl: shared.url, poolSize: 5 });
    const dataDir = mkdtempSync(join(tmpdir(), 'anxin-nodes-'));
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      JOBS: 'off',
      SEED_DEMO: 'never',
    } as const;
    a = await buildApp({ config: loadConfig(env), database: shared, sms });
    b = await buildApp({ config: loadConfig(env), database: second, sms });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.close();
    await shared?.drop();
  });

  test('a session created on node A is valid on node B, and logout on B ends it on A', async () => {
    const phone = uniquePhone();
    await a.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone, purpose: 'register' } });
    const reg = await a.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { phone, code: sms.latest(phone)!.code, password: 'TwoNodes2026', name: '双节点' },
    });
    expect(reg.statusCode).toBe(201);
    const cookie = cookieFrom(reg);
    expect((await b.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(
      200,
    );
    expect(
      (await b.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode,
    ).toBe(204);
    expect((await a.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(
      401,
    );
  });

  test('a lock earned on node A holds on node B', async () => {
    const phone = uniquePhone();
    await a.services.identity.createAccount({
      phone,
      password: 'TwoNodes2026',
      name: '锁',
      roles: [{ role: 'resident' }],
    });
    for (let i = 0; i < 5; i++) {
      const node = i % 2 ? b : a;
      await node.inject({
        method: 'POST',
        url: '/api/v1/auth/login/password',
        payload: { phone, password: 'Wrong2026xx' },
      });
    }
    const res = await b.inject({
      method: 'POST',
      url: '/api/v1/auth/login/password',
      payload: { phone, password: 'TwoNodes2026' },
    });
    expect(res.json().code).toBe('ACCOUNT_LOCKED');
  });

  test('concurrent audited writes from both nodes keep one unbroken chain', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? b : a).inject({
        method: 'POST',
        url: '/api/v1/auth/login/password',
        payload: { phone: uniquePhone(), password: 'Wrong2026xx' },
      }),
    );
    await Promise.all(writes);
    const report = await verifyAuditChain(shared.db);
    expect(report.ok).toBe(true);
    expect(report.checked).toBeGreaterThanOrEqual(20);
  });

  test('a realtime message published on node A reaches a subscriber on node B', async () => {
    const got = new Promise<unknown>((resolve) => {
      void b.platform.bus.subscribe('nodes_test', (m) => resolve(m));
    });
    await new Promise((r) => setTimeout(r, 200));
    await a.platform.bus.publish('nodes_test', { hello: '世界' });
    await expect(got).resolves.toEqual({ hello: '世界' });
  });
});
