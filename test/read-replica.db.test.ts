import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { openDatabase, type Database } from '../src/server/platform/db/client.js';
import { createDevSmsSink } from '../src/server/platform/sms/sms.js';
import { uniquePhone } from './app.js';
import { createTestDatabase } from './db.js';

// Routing needs two pools; "two URLs pointing at the same server" stands in for a primary and its replica.
const onPostgres = !!process.env.TEST_DATABASE_URL;

describe.skipIf(!onPostgres)('read replica routing (DATABASE_READ_URL)', () => {
  let shared: Awaited<ReturnType<typeof createTestDatabase>>;
  let routed: Database;
  let app: FastifyInstance;
  const sms = createDevSmsSink();
  const used = { primary: 0, replica: 0 };

  beforeAll(async () => {
    shared = await createTestDatabase();
    routed = await openDatabase({ databaseUrl: shared.url, readUrl: shared.url, poolSize: 3 });
    routed.pool!.on('acquire', () => used.primary++);
    routed.readPool!.on('acquire', () => used.replica++);
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-replica-')),
      JOBS: 'off',
      SEED_DEMO: 'never',
    };
    app = await buildApp({ config: loadConfig(env), database: routed, sms });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await routed?.close();
    await shared?.drop();
  });

  const delta = async (run: () => Promise<unknown>) => {
    const before = { ...used };
    await run();
    return { primary: used.primary - before.primary, replica: used.replica - before.replica };
  };

  test('the replica pool is a separate session, named so operators can tell it apart', async () => {
    expect(routed.readDb).not.toBe(routed.db);
    const rows = await routed.readPool!.query<{ name: string }>('select current_setting($1) as name', [
      'application_name',
    ]);
    expect(rows.rows[0]!.name).toBe('anxin-read');
    const primary = await routed.pool!.query<{ name: string }>('select current_setting($1) as name', [
      'application_name',
    ]);
    expect(primary.rows[0]!.name).toBe('anxin');
  });

  test('worker, company and station searches read from the replica only', async () => {
    for (const url of [
      '/api/v1/search/workers?lon=113.36&lat=23.12&radiusM=5000',
      '/api/v1/search/companies?district=440106',
      '/api/v1/search/stations?lon=113.36&lat=23.12',
    ]) {
      const d = await delta(async () => {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
      });
      expect(d.replica, url).toBeGreaterThan(0);
      expect(d.primary, url).toBe(0);
    }
  });

  test('writes, and reads of what the caller just wrote, stay on the primary', async () => {
    const phone = uniquePhone();
    const d = await delta(async () => {
      await app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone, purpose: 'register' } });
      const reg = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { phone, code: sms.latest(phone)!.code, password: 'Replica2026', name: '主库' },
      });
      expect(reg.statusCode).toBe(201);
    });
    expect(d.primary).toBeGreaterThan(0);
    expect(d.replica).toBe(0);
  });
});
