import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { runProfileSwitch } from '../src/server/crypto-switch.js';
import { buildTestApp, type TestApp } from './app.js';
import { selfWorker } from './factories/workers.js';

// Issue 14: a deployment rotates PII_KEY by restarting with the new key as PII_KEY, PII_KEY_VERSION raised and the
// old key in PII_OLD_KEYS; data sealed under the old key stays readable and new data is sealed under the new one.
const oldKey = randomBytes(32).toString('base64');
const newKey = randomBytes(32).toString('base64');
const shared = {
  PII_HASH_KEY: randomBytes(32).toString('base64'),
  // Shared, so a session cookie from the first app is good on the restarted one.
  AUTH_SECRET: randomBytes(32).toString('base64'),
};
let t: TestApp;
const others: FastifyInstance[] = [];

/** Another app process on the same database with the given PII key settings (a restart with a new env). */
async function restartWith(env: Record<string, string>): Promise<FastifyInstance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-rotate-')),
    LOG_LEVEL: 'silent',
    JOBS: 'off',
    SEED_DEMO: 'never',
    ...shared,
    ...env,
  });
  const app = await buildApp({ config, database: t.database, sms: t.sms, clock: () => t.clock.now });
  others.push(app);
  return app;
}

async function idNumberTokenOf(workerId: string): Promise<string> {
  const [row] = await t.database.raw.query<{ enc: string }>(
    'select id_number_enc as enc from worker where id = $1',
    [workerId],
  );
  return row!.enc;
}

beforeAll(async () => {
  t = await buildTestApp({ ...shared, PII_KEY: oldKey });
});
afterAll(async () => {
  for (const app of others) await app.close();
  await t?.close();
});

describe('PII key rotation (PII_KEY_VERSION, PII_OLD_KEYS)', () => {
  test('after a restart with key v2 and v1 retired, old values read and new values are sealed as v1.2.', async () => {
    const before = await selfWorker(t);
    const oldToken = await idNumberTokenOf(before.workerId);
    expect(oldToken.startsWith('v1.1.')).toBe(true);

    // Without the retired key the old token cannot be opened: that is what PII_OLD_KEYS is for.
    const forgetful = await restartWith({ PII_KEY: newKey, PII_KEY_VERSION: '2' });
    expect(() => forgetful.pii.decrypt(oldToken, 'worker.id_number')).toThrow();

    const rotated = await restartWith({ PII_KEY: newKey, PII_KEY_VERSION: '2', PII_OLD_KEYS: `1:${oldKey}` });
    expect(rotated.pii.keyVersion).toBe(2);
    // The worker's own view decrypts the v1 token with the retired key.
    const me = await rotated.inject({
      method: 'GET',
      url: '/api/v1/workers/me',
      headers: { cookie: before.cookie },
    });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().idNumber).toBe(before.idNumber);
    expect(rotated.pii.needsReencrypt(oldToken)).toBe(true);

    // A worker registered after the restart is sealed with key v2.
    const after = await selfWorker({ ...t, app: rotated });
    const newToken = await idNumberTokenOf(after.workerId);
    expect(newToken.startsWith('v1.2.')).toBe(true);
    expect(rotated.pii.needsReencrypt(newToken)).toBe(false);
    expect(rotated.pii.decrypt(newToken, 'worker.id_number')).toBe(after.idNumber);
    // And reads back through the API.
    const dup = await rotated.inject({
      method: 'GET',
      url: '/api/v1/workers/me',
      headers: { cookie: after.cookie },
    });
    expect(dup.statusCode, dup.body).toBe(200);
    expect(dup.json().idNumber).toBe(after.idNumber);
  });

  test('`npm run crypto:switch -- --to <current profile>` reseals the retired version tokens with the current key', async () => {
    const rotated = await restartWith({ PII_KEY: newKey, PII_KEY_VERSION: '2', PII_OLD_KEYS: `1:${oldKey}` });
    const [{ n: before } = { n: 0 }] = await t.database.raw.query<{ n: number | string }>(
      `select count(*) as n from worker where id_number_enc like 'v1.1.%'`,
    );
    expect(Number(before)).toBeGreaterThan(0);
    const [hashesBefore] = await t.database.raw.query<{ h: string }>(
      "select string_agg(id_number_hash, ',' order by id) as h from worker",
    );
    const result = await runProfileSwitch({ db: t.database.db, pii: rotated.pii, clock: () => t.clock.now });
    expect(result.status).toBe('done');
    const rows = await t.database.raw.query<{ id: string; enc: string }>(
      'select id, id_number_enc as enc from worker',
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) {
      expect(r.enc.startsWith('v1.2.'), r.id).toBe(true);
      expect(rotated.pii.needsReencrypt(r.enc)).toBe(false);
    }
    // Same profile: the blind indexes are untouched, and key v1 is no longer needed for these columns.
    const [hashesAfter] = await t.database.raw.query<{ h: string }>(
      "select string_agg(id_number_hash, ',' order by id) as h from worker",
    );
    expect(hashesAfter!.h).toBe(hashesBefore!.h);
    const withoutOld = await restartWith({ PII_KEY: newKey, PII_KEY_VERSION: '2' });
    for (const r of rows) expect(() => withoutOld.pii.decrypt(r.enc, 'worker.id_number')).not.toThrow();
  });
});
