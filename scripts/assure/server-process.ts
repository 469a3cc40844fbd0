// The real server as a separate process for the `faults` and `load` suites: fixtures written in this process first
// (PGlite is single-process), then the server bundle `npm start` runs (`node dist/server/main.js`, built from
// src/server/main.ts by scripts/build-server.mjs) on a loopback port — pinned to CPU 0 with
// taskset when there are two or more cores, this process moved to CPU 1 — on a file-backed PGlite directory or a
// fresh PostgreSQL database. Plain HTTP over keep-alive sockets, so a drill can tell an answered request from a
// refused or reset one.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase, type Database } from '../../src/server/platform/db/client.js';
import { runMigrations } from '../../src/server/platform/db/migrate.js';
import { ensureServerBundle } from '../build-server.mjs';
import type { EngineName } from './support.js';

const root = resolve(import.meta.dirname, '../..');
const PASSWORD = 'Assure2026pass';

export const hasTaskset = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
let pinnedSelf = false;

/** Where the server's data lives: a PGlite directory, or a PostgreSQL database created for the drill. */
export interface Store {
  engine: EngineName;
  env: Record<string, string>;
  dataDir: string;
  /** PostgreSQL only: the database's own URL (the server may be given a proxied one). */
  databaseUrl?: string;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export async function createStore(engine: EngineName): Promise<Store> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anxin-assure-srv-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JOBS: 'off',
    SEED_DEMO: 'never',
    LOG_LEVEL: 'warn',
    // Each request carries its own client address (X-Forwarded-For), as many phones would.
    TRUST_PROXY: 'true',
    RATE_LIMIT_GLOBAL: '100000000',
    RATE_LIMIT_AUTH: '100000',
  };
  const admin = process.env.TEST_DATABASE_URL;
  if (engine === 'postgres' && admin) {
    const name = `anxin_srv_${randomBytes(6).toString('hex')}`;
    await adminQuery(admin, `create database ${name}`);
    const u = new URL(admin);
    u.pathname = `/${name}`;
    const databaseUrl = u.toString();
    return {
      engine,
      env: { ...env, DATABASE_URL: databaseUrl },
      dataDir,
      databaseUrl,
      open: () => openDatabase({ databaseUrl, poolSize: 3 }),
      async drop() {
        await adminQuery(admin, `drop database if exists ${name} with (force)`).catch(() => undefined);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  return {
    engine: 'pglite',
    env,
    dataDir,
    open: () => openDatabase({ pgliteDir: join(dataDir, 'pglite') }),
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export interface Fixtures {
  orgId: string;
  priceItemId: string;
  residents: { phone: string; userId: string }[];
  adminPhone: string;
  password: string;
}

/** Migrates the store and creates a company with an hourly price item and `residents` resident accounts. */
export async function writeFixtures(store: Store, residents: number): Promise<Fixtures> {
  const database = await store.open();
  try {
    await runMigrations(database);
    const app = await buildApp({ config: loadConfig({ ...store.env, LOG_LEVEL: 'silent' }), database });
    try {
      const { identity, orgs } = app.services;
      const phone = (k: number) =>
        `137${String(((process.pid % 9000) * 1000 + k) % 100_000_000).padStart(8, '0')}`;
      const adminPhone = phone(999);
      const adminId = await identity.createAccount({
        phone: adminPhone,
        password: PASSWORD,
        name: '压测公司管理员',
        roles: [],
      });
      const orgId = await orgs.createOrganization(database.db, {
        type: 'company',
        name: '压测家政',
        district: '440106',
      });
      await orgs.addMember(database.db, { orgId, userId: adminId, role: 'admin' });
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login/password',
        payload: { phone: adminPhone, password: PASSWORD },
      });
      if (login.statusCode !== 200) throw new Error(`fixture login failed: ${login.statusCode}`);
      const cookie = ([] as string[])
        .concat(login.headers['set-cookie'] ?? [])
        .map((c) => c.split(';')[0])
        .join('; ');
      const item = await app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/service-items`,
        headers: { cookie },
        payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（压测）' },
      });
      if (item.statusCode !== 201) throw new Error(`fixture price item failed: ${item.body}`);
      const list: Fixtures['residents'] = [];
      for (let k = 0; k < residents; k++) {
        const p = phone(k);
        const userId = await identity.createAccount({
          phone: p,
          password: PASSWORD,
          name: `压测居民${k}`,
          roles: [{ role: 'resident' }],
        });
        list.push({ phone: p, userId });
      }
      return {
        orgId,
        priceItemId: item.json().id as string,
        residents: list,
        adminPhone,
        password: PASSWORD,
      };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

export interface Server {
  base: string;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

let bundle: Promise<string> | undefined;

/** Starts the server (src/server/main.ts, as the bundle dist/server/main.js) on the store and waits until /readyz answers 200 (up to `timeoutMs`). */
export async function startServer(
  store: Store,
  opts: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Server> {
  const port = await freePort();
  // ASSURE_CPU_PROF=<dir>: each server process writes a V8 CPU profile there when it exits (read it with
  // `npx tsx bench/cpuprofile.ts <file>`), for finding where a suite's request time goes.
  const prof = process.env.ASSURE_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.ASSURE_CPU_PROF}`]
    : [];
  // The server bundle `npm start` runs (scripts/build-server.mjs), built once per run when stale.
  bundle ??= ensureServerBundle({ quiet: true });
  const cmd = [process.execPath, '--enable-source-maps', ...prof, await bundle];
  const child = spawn(hasTaskset ? 'taskset' : cmd[0]!, hasTaskset ? ['-c', '0', ...cmd] : cmd.slice(1), {
    cwd: root,
    env: { ...process.env, ...store.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  if (hasTaskset && !pinnedSelf) {
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
    pinnedSelf = true;
  }
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited while starting: ${err.slice(-300)}`);
    const r = await request(base, 'GET', '/readyz', { timeoutMs: 2000 }).catch(() => null);
    if (r?.status === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become ready: ${err.slice(-300)}`);
    }
    await sleep(200);
  }
  return { base, port, child, exited, stderr: () => err };
}

/** Gives this process all CPUs back after a drill pinned it to CPU 1. */
export function unpinSelf(): void {
  if (!pinnedSelf) return;
  execFileSync('taskset', ['-a', '-cp', `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  pinnedSelf = false;
}

/** Stops the server if it still runs (SIGTERM, then SIGKILL after 15 s). */
export async function stopServer(s: Server | null | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
  await s.exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = http.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (a && typeof a === 'object' ? done(a.port) : fail(new Error('no port'))));
    });
  });
}

let ipCounter = 0;
/** A fresh client address per request (X-Forwarded-For; the server trusts the proxy header in these drills). */
export function nextIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** One HTTP request; rejects on a connection error or after `timeoutMs` (default 30 s) without an answer. */
export function request(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; agent?: http.Agent; timeoutMs?: number } = {},
): Promise<Reply> {
  const started = performance.now();
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((done, fail) => {
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent: opts.agent ?? false,
        headers: {
          'x-forwarded-for': nextIp(),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...opts.headers,
        },
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Signs a resident (or admin) in over HTTP and returns the Cookie header value. */
export async function signIn(base: string, phone: string, password: string): Promise<string> {
  const r = await request(base, 'POST', '/api/v1/auth/login/password', { body: { phone, password } });
  if (r.status !== 200) throw new Error(`sign-in ${r.status}: ${r.body.slice(0, 200)}`);
  const raw = r.headers['set-cookie'] ?? [];
  return raw.map((c) => c.split(';')[0]).join('; ');
}

/** A booking body for the fixture's price item; `k` spreads the slots over the coming weeks. */
export function bookingBody(f: Fixtures, k: number, note: string) {
  const q = 15 * 60_000;
  const start = Math.ceil((Date.now() + 48 * 3600_000 + (k % 2000) * q) / q) * q;
  return {
    priceItemId: f.priceItemId,
    workerId: null,
    schedule: { mode: 'hourly', startAt: new Date(start).toISOString(), hours: 2 },
    address: '广州市天河区林和西路100号3栋1201',
    district: '440106',
    note,
  };
}
