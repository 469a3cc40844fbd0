// The drills' writes go through the real application: accounts and a company through the services, bookings over
// HTTP (`inject`) with an Idempotency-Key, so every order also writes its audit rows in the same transaction.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { type Database, openDatabase } from '../platform/db/client.js';
import { runMigrations } from '../platform/db/migrate.js';

const PASSWORD = 'Drill2026pass';

export interface Fixtures {
  orgId: string;
  priceItemId: string;
  /** Cookie header values of the resident accounts. */
  residents: string[];
}

/** What one booking attempt got: 201 with the order id, another status, or no answer (thrown). */
export interface Attempt {
  key: string;
  k: number;
  status: number | null;
  orderId?: string;
  code?: string;
}

/** The environment an in-process drill app runs with; the same DATA_DIR gives every instance the same keys. */
export function drillEnv(dataDir: string, databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    JOBS: 'off',
    SEED_DEMO: 'never',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_GLOBAL: '100000000',
    RATE_LIMIT_AUTH: '100000',
    // A booking cut off by the failover leaves its key pending; the retry on the new primary waits this long.
    IDEMPOTENCY_LEASE_SECONDS: '3',
  };
}

export interface DrillApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** Opens the database as the server does (pool timeouts included), migrates it, and builds the app on it. */
export async function startApp(dataDir: string, databaseUrl: string): Promise<DrillApp> {
  const config = loadConfig(drillEnv(dataDir, databaseUrl));
  const database = await openDatabase({
    databaseUrl,
    poolSize: 6,
    connectTimeoutMs: 2000,
    statementTimeoutMs: config.databaseTimeouts.statementMs,
    idleInTransactionTimeoutMs: config.databaseTimeouts.idleInTransactionMs,
  });
  try {
    await runMigrations(database);
    const app = await buildApp({ config, database });
    return {
      app,
      database,
      async close() {
        // Bounded: a pool that cannot end (a connection lost mid-checkout) must not keep the drill from reporting.
        await bounded(app.close(), 15_000);
        await bounded(database.close(), 15_000);
      },
    };
  } catch (e) {
    await database.close().catch(() => undefined);
    throw e;
  }
}

/** Waits for `p` (its failure ignored), at most `ms`. */
async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.catch(() => undefined),
    new Promise<void>((done) => {
      timer = setTimeout(done, ms);
    }),
  ]);
  clearTimeout(timer);
}

const cookieOf = (setCookie: string | string[] | undefined) =>
  ([] as string[])
    .concat(setCookie ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');

async function signIn(app: FastifyInstance, phone: string): Promise<string> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/password',
    payload: { phone, password: PASSWORD },
  });
  if (r.statusCode !== 200) throw new Error(`drill sign-in failed: ${r.statusCode} ${r.body.slice(0, 200)}`);
  return cookieOf(r.headers['set-cookie']);
}

/** A company admin, an hourly price item and `residents` signed-in resident accounts. */
export async function writeFixtures(app: FastifyInstance, residents: number): Promise<Fixtures> {
  const { identity, orgs } = app.services;
  const db = app.database.db;
  // Distinct per process and run, so two drills on one machine never share a phone number.
  const base = (process.pid % 900) * 100_000 + (Date.now() % 1000) * 100;
  const phone = (k: number) => `136${String((base + k) % 100_000_000).padStart(8, '0')}`;
  const adminPhone = phone(99);
  const adminId = await identity.createAccount({
    phone: adminPhone,
    password: PASSWORD,
    name: '演练公司管理员',
    roles: [],
  });
  const orgId = await orgs.createOrganization(db, { type: 'company', name: '演练家政', district: '440106' });
  await orgs.addMember(db, { orgId, userId: adminId, role: 'admin' });
  const adminCookie = await signIn(app, adminPhone);
  const item = await app.inject({
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/service-items`,
    headers: { cookie: adminCookie },
    payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（演练）' },
  });
  if (item.statusCode !== 201) throw new Error(`drill price item failed: ${item.body.slice(0, 200)}`);
  const cookies: string[] = [];
  for (let k = 0; k < residents; k++) {
    await identity.createAccount({
      phone: phone(k),
      password: PASSWORD,
      name: `演练居民${k}`,
      roles: [{ role: 'resident' }],
    });
    cookies.push(await signIn(app, phone(k)));
  }
  return { orgId, priceItemId: item.json().id as string, residents: cookies };
}

/** Books one hourly cleaning; the Idempotency-Key is also the order's note, so the database can be searched by it. */
export async function book(app: FastifyInstance, f: Fixtures, k: number, key: string): Promise<Attempt> {
  const q = 15 * 60_000;
  const start = Math.ceil((Date.now() + 48 * 3600_000 + (k % 2000) * q) / q) * q;
  const body = {
    priceItemId: f.priceItemId,
    workerId: null,
    schedule: { mode: 'hourly', startAt: new Date(start).toISOString(), hours: 2 },
    address: '广州市天河区林和西路100号3栋1201',
    district: '440106',
    note: key,
  };
  try {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { cookie: f.residents[k % f.residents.length]!, 'idempotency-key': key },
      payload: body,
    });
    if (r.statusCode === 201) return { key, k, status: 201, orderId: r.json().id as string };
    let code: string | undefined;
    try {
      code = (r.json() as { code?: string }).code;
    } catch {
      code = undefined;
    }
    return { key, k, status: r.statusCode, ...(code ? { code } : {}) };
  } catch {
    return { key, k, status: null };
  }
}

/** Books `n` orders one after another; throws unless every one is acknowledged (201). */
export async function bookMany(app: FastifyInstance, f: Fixtures, tag: string, from: number, n: number) {
  const out: Attempt[] = [];
  for (let k = from; k < from + n; k++) {
    const a = await book(app, f, k, `${tag}-${k}`);
    if (a.status !== 201) throw new Error(`booking ${a.key} answered ${a.status} ${a.code ?? ''}`);
    out.push(a);
  }
  return out;
}
