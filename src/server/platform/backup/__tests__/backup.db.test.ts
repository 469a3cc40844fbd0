import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, cookieFrom, type TestApp } from '../../../../../test/app.js';
import { PASSWORD, selfWorker } from '../../../../../test/factories/workers.js';
import { buildApp } from '../../../app.js';
import { loadConfig } from '../../../config.js';
import type { Database } from '../../db/client.js';
import {
  BackupError,
  backupKey,
  backupKeys,
  compareFingerprints,
  createBackup,
  fingerprint,
  openBackup,
  restoreBackup,
} from '../backup.js';

// The backup and restore drill (等保 L3-CES1-29): a real app's data backed up, restored into a fresh instance of the
// same engine, equal table by table and in its audit chain, readable by an app with the same keys; any changed
// byte or a wrong key refuses; no personal data in plaintext in the file.
const secrets = {
  PII_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
  AUTH_SECRET: randomBytes(32).toString('base64'),
};
const key = backupKey(Buffer.from(secrets.PII_KEY, 'base64'));
let t: TestApp;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  t = await buildTestApp(secrets);
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await t?.close();
});

/** A fresh restore target of the test's engine: PGlite in memory, or a new empty PostgreSQL database. */
async function target(): Promise<{ pgliteDir?: string; databaseUrl?: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return { pgliteDir: 'memory://' };
  const name = `anxin_r_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const a = new pg.Client({ connectionString: url });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  });
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { databaseUrl: u.toString() };
}

test('backup → restore into a fresh instance: equal fingerprints and chain; the restored app reads the encrypted data', async () => {
  const w = await selfWorker(t);
  const before = await fingerprint(t.database);
  expect(before.tables.worker!.rows).toBeGreaterThan(0);
  expect(before.audit.length).toBeGreaterThan(0);

  const { file, manifest } = await createBackup(t.database, key);
  expect(manifest.engine).toBe(t.database.kind);
  expect(compareFingerprints(manifest.fingerprint, before)).toEqual([]);
  // Encrypted as a whole: neither the worker's ID number nor her name appear in the file.
  expect(file.includes(Buffer.from(w.idNumber))).toBe(false);
  expect(file.includes(Buffer.from('张秀芳'))).toBe(false);

  const restored: Database = (await restoreBackup(file, key, await target())).database;
  cleanups.push(() => restored.close());
  expect(compareFingerprints(before, await fingerprint(restored))).toEqual([]);

  // An app on the restored database, with the same keys, signs the worker in and decrypts her ID number.
  const app = await buildApp({
    config: loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-restore-')),
      LOG_LEVEL: 'silent',
      JOBS: 'off',
      SEED_DEMO: 'never',
      ...secrets,
    }),
    database: restored,
  });
  cleanups.push(() => app.close());
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/password',
    payload: { phone: w.phone, password: PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const file2 = await app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/file',
    headers: { cookie: cookieFrom(login) },
  });
  expect(file2.statusCode).toBe(200);
  expect(file2.json().profile.idNumber).toBe(w.idNumber);
}, 300_000);

test('one changed byte anywhere, a truncated file or the wrong key: the restore refuses before touching a database', async () => {
  const { file } = await createBackup(t.database, key);
  const manifestEnd = 12 + file.readUInt32BE(8);
  for (const at of [2, 10, 20, manifestEnd + 3, manifestEnd + 20, file.length - 1]) {
    const bad = Buffer.from(file);
    bad[at] = bad[at]! ^ 0x01;
    expect(() => openBackup(bad, key), `byte ${at}`).toThrow(BackupError);
  }
  expect(() => openBackup(file.subarray(0, file.length - 100), key)).toThrow(BackupError);
  expect(() => openBackup(file, backupKey(randomBytes(32)))).toThrow(/altered or the key is wrong/);
  // The untouched file still opens.
  expect(openBackup(file, key).manifest.format).toBe('anxin-backup');
}, 300_000);

test('after a PII_KEY rotation a backup made under the retired key opens with backupKeys(new, old keys) only', async () => {
  const { file } = await createBackup(t.database, key);
  const oldPii = Buffer.from(secrets.PII_KEY, 'base64');
  const newPii = randomBytes(32);
  // The new key alone refuses (this is what `npm run backup -- --restore` did before PII_OLD_KEYS was passed on).
  expect(() => openBackup(file, backupKeys(newPii))).toThrow(/altered or the key is wrong/);
  const keys = backupKeys(newPii, { 1: oldPii, 2: randomBytes(32) });
  expect(keys).toHaveLength(3);
  expect(keys[0]!.equals(backupKey(newPii))).toBe(true);
  expect(keys[2]!.equals(key)).toBe(true);
  expect(openBackup(file, keys).manifest.format).toBe('anxin-backup');
  // A changed byte is still refused under every key.
  const bad = Buffer.from(file);
  bad[file.length - 1] = bad[file.length - 1]! ^ 0x01;
  expect(() => openBackup(bad, keys)).toThrow(BackupError);
}, 300_000);
