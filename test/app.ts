import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDevSmsSink, type DevSmsSink } from '../src/server/platform/sms/sms.js';
import { createTestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  sms: DevSmsSink;
  clock: { now: Date; advance(ms: number): void };
  close(): Promise<void>;
}

/**
 * Module tests and clock-moving journeys jump by days while holding one cookie, so their sessions last a year; the
 * identity tests and the `auth` assure suite pass the shipped timeouts (SESSION_DEFAULTS) explicitly.
 */
export const YEAR_LONG_SESSIONS: Record<string, string> = {
  SESSION_IDLE_MIN_PRIVILEGED: '525600',
  SESSION_ABSOLUTE_MIN_PRIVILEGED: '525600',
  SESSION_IDLE_MIN: '525600',
  SESSION_ABSOLUTE_MIN: '525600',
};

/** The shipped session timeouts (config.ts defaults), for tests of the timeouts themselves. */
export const SESSION_DEFAULTS: Record<string, string> = {
  SESSION_IDLE_MIN_PRIVILEGED: '30',
  SESSION_ABSOLUTE_MIN_PRIVILEGED: '720',
  SESSION_IDLE_MIN: '120',
  SESSION_ABSOLUTE_MIN: '10080',
};

/** The real application on a fresh migrated database, with a controllable clock and the dev SMS sink. */
export async function buildTestApp(
  env: Record<string, string> = {},
  opts: { logStream?: { write(line: string): void } } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'anxin-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JOBS: 'off',
    SEED_DEMO: 'never',
    RATE_LIMIT_AUTH: '100000',
    RATE_LIMIT_OTP: '100000',
    RATE_LIMIT_GLOBAL: '1000000',
    ...YEAR_LONG_SESSIONS,
    ...env,
  });
  const sms = createDevSmsSink();
  const clock = {
    now: new Date(),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const app = await buildApp({
    config,
    database,
    sms,
    clock: () => clock.now,
    webRoot: join(dataDir, 'no-web'),
    ...(opts.logStream ? { logStream: opts.logStream } : {}),
  });
  return {
    app,
    database,
    sms,
    clock,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

// A per-process start plus a counter: unique within a process however long it runs. (Date.now() % 100000 wrapped
// every 100 s, so a long run such as `npm run assure` could hand out a phone it had already used.)
let phoneCounter = Math.floor(Math.random() * 50_000);
/** A unique valid mainland mobile number per call (per worker process). */
export function uniquePhone(): string {
  phoneCounter++;
  const base = (process.pid % 1000) * 100000 + (phoneCounter % 100000);
  return `139${String(base % 100_000_000).padStart(8, '0')}`;
}

/** Extracts the Cookie header value a browser would send back. */
export function cookieFrom(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((c) => c.split(';')[0]).join('; ');
}

/** Registers a resident through the public API and returns the session cookie. */
export async function registerResident(
  t: TestApp,
  opts: { phone?: string; name?: string; password?: string } = {},
) {
  const phone = opts.phone ?? uniquePhone();
  const password = opts.password ?? 'Anxin2026pass';
  const sent = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp',
    payload: { phone, purpose: 'register' },
  });
  if (sent.statusCode !== 202) throw new Error(`otp failed: ${sent.body}`);
  const code = t.sms.latest(phone)!.code;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { phone, code, password, name: opts.name ?? '测试居民' },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.body}`);
  return { phone, password, cookie: cookieFrom(res), user: res.json().user as { id: string } };
}
