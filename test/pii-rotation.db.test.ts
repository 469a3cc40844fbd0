import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { dryRunReport, runProfileSwitch } from '../src/server/crypto-switch.js';
import { createPii } from '../src/server/platform/pii/index.js';
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
// Workers registered before (sealed with key v1) and after (key v2) the restart, by the first test.
let before: Awaited<ReturnType<typeof selfWorker>>;
let after: Awaited<ReturnType<typeof selfWorker>>;

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
    before = await selfWorker(t);
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
    after = await selfWorker({ ...t, app: rotated });
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

  test('`crypto:switch --dry-run` counts per table the rows holding tokens of a retired key version or the other profile, and writes nothing', async () => {
    const rotated = await restartWith({ PII_KEY: newKey, PII_KEY_VERSION: '2', PII_OLD_KEYS: `1:${oldKey}` });
    // Phones planted as a node on old settings would have written them: the worker sealed with key v1 gets a second
    // v1 token (its row counts once), the worker sealed with key v2 gets a 国密 token of key v2 (the other profile).
    const v1 = createPii({
      key: Buffer.from(oldKey, 'base64'),
      hashKey: Buffer.from(shared.PII_HASH_KEY, 'base64'),
    });
    const gm = createPii({
      key: Buffer.from(newKey, 'base64'),
      keyVersion: 2,
      hashKey: Buffer.from(shared.PII_HASH_KEY, 'base64'),
      profile: 'gm',
    });
    await t.database.raw.query('update worker set phone_enc = $1 where id = $2', [
      v1.encrypt('13800138001', 'worker.phone'),
      before.workerId,
    ]);
    await t.database.raw.query('update worker set phone_enc = $1 where id = $2', [
      gm.encrypt('13800138002', 'worker.phone'),
      after.workerId,
    ]);
    const state = async () => ({
      workers: await t.database.raw.query(
        'select id, id_number_enc, phone_enc, id_number_hash from worker order by id',
      ),
      runs: await t.database.raw.query('select count(*)::int as n from pii_profile_switch'),
      audit: await t.database.raw.query('select count(*)::int as n from audit_log'),
    });
    const was = await state();

    const plan = await runProfileSwitch({ db: t.database.db, pii: rotated.pii, dryRun: true });
    expect(plan).toMatchObject({ status: 'dry-run', run: null, tables: [] });
    expect(plan.remaining.worker).toBe(2);
    expect(plan.kinds?.worker).toEqual({ 'intl key v1': 1, 'gm key v2': 1 });
    // Tables without such tokens say 0.
    expect(plan.remaining.demand).toBe(0);
    expect(plan.kinds?.demand).toEqual({});
    expect(await state()).toEqual(was);

    const report = dryRunReport(plan, rotated.pii, [1]);
    expect(report).toContain(
      'worker: 2 rows to reseal; rows by kind: gm key v2 (other profile) 1, intl key v1 (retired key version) 1',
    );
    expect(report).toContain('demand: 0 rows to reseal');
    expect(report.some((l) => l.startsWith('no configured key'))).toBe(false);
    // Without key v1 configured the run would stop at the first v1 token: the plan says so before anything is written.
    expect(dryRunReport(plan, rotated.pii, []).at(-1)).toBe(
      'no configured key opens intl key v1: add it to PII_OLD_KEYS first, or the run stops at the first such token',
    );
  });

  test('`npm run crypto:switch -- --to <current profile>` reseals the retired version tokens with the current key', async () => {
    const rotated = await restartWith({ PII_KEY: newKey, PII_KEY_VERSION: '2', PII_OLD_KEYS: `1:${oldKey}` });
    const [{ n: onV1 } = { n: 0 }] = await t.database.raw.query<{ n: number | string }>(
      `select count(*) as n from worker where id_number_enc like 'v1.1.%'`,
    );
    expect(Number(onV1)).toBeGreaterThan(0);
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
    // The dry run now plans nothing, anywhere.
    const plan = await runProfileSwitch({ db: t.database.db, pii: rotated.pii, dryRun: true });
    expect(Object.entries(plan.remaining).filter(([, n]) => n > 0)).toEqual([]);
    expect(Object.values(plan.kinds ?? {}).every((k) => Object.keys(k).length === 0)).toBe(true);
  });
});
