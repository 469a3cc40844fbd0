// `npm run bench -- --json [--generate=tiny|small|gz|1m] [--duration=10] [--connections=10] [--flows=400]`
//   [--only=ceiling,verify,search,keyword,flow,credit,dashboard]   (a subset; the others print null)
//   [--cpu-prof=<dir>]   (a V8 CPU profile of the server process, summarised by `tsx bench/cpuprofile.ts <file>`)
//   [--statements=<file>] (the order flows' SQL statements, counted per text, written there as JSON)
//
// Benchmarks of issue 13. Reads a few fixtures from the database in this process (QR tokens, ids, points,
// the benchmark accounts of scripts/generate/city.ts), closes it, then starts the real server (src/server/main.ts,
// with BENCH_ROUTES=1 for the ceiling routes) in a separate process on a loopback port — pinned to CPU 0 with
// taskset when there are two or more cores, this process on CPU 1 — and loads it with autocannon. Prints one
// JSON object. PostgreSQL when DATABASE_URL is set, PGlite under DATA_DIR (default ./data) otherwise.
// With --generate=<scale> it first generates that city into the (empty) database and reports seed_s.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { sampleVerifyTokens } from '../src/server/modules/certification/index.js';
import { openDatabase } from '../src/server/platform/db/client.js';
import { systemContext } from '../src/server/platform/http/context.js';
import { runMigrations } from '../src/server/platform/db/migrate.js';
import { BENCH_PASSWORD, BENCH_RESIDENTS, benchResidentPhone } from '../scripts/generate/city.js';
import { backendsCpu, backendsCpuSince } from '../scripts/pg-backends.js';
import { processCpuMs } from '../scripts/proc-stat.js';

const root = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const asJson = argv.includes('--json');
const duration = Number(arg('duration') ?? 10);
const connections = Number(arg('connections') ?? 10);
const maxFlows = Number(arg('flows') ?? 400);
const onlyArg = arg('only');
const parts = ['ceiling', 'verify', 'search', 'keyword', 'flow', 'credit', 'dashboard'] as const;
const only = onlyArg ? new Set(onlyArg.split(',')) : null;
for (const p of only ?? [])
  if (!(parts as readonly string[]).includes(p)) throw new Error(`--only: unknown part ${p}`);
const want = (part: (typeof parts)[number]) => !only || only.has(part);
const port = Number(arg('port') ?? 39_000 + (process.pid % 1000));
const say = (line: string) => {
  if (!asJson) console.log(line);
  else process.stderr.write(`${line}\n`);
};

const missing: { key: string; why: string }[] = [];

// ---- optional generation ----------------------------------------------------------------------------------
let seedS: number | null = null;
let generated: Record<string, unknown> | null = null;
const scale = arg('generate');
if (scale) {
  say(`generating --scale=${scale} …`);
  const out = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', `--scale=${scale}`], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !last.startsWith('{')) {
    console.error(out.stdout);
    throw new Error('generation failed');
  }
  generated = JSON.parse(last) as Record<string, unknown>;
  seedS = generated.seed_s as number;
} else missing.push({ key: 'seed_s', why: 'not generated in this run (pass --generate=<scale>)' });

// ---- fixtures, read before the server owns the database (PGlite is single-process) --------------------------
const config = loadConfig({ ...process.env, JOBS: 'off', LOG_LEVEL: 'silent' });
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: join(config.dataDir, 'pglite'),
});
await runMigrations(database);
const app = await buildApp({ config, database });
const db = database.db;
const rows = async <T>(q: ReturnType<typeof sql>) => (await db.execute(q)) as unknown as { rows: T[] };
const count = async (q: ReturnType<typeof sql>) => Number((await rows<{ n: string }>(q)).rows[0]?.n ?? 0);

const dataset = {
  companies: await count(sql`select count(*) n from organization where type = 'company'`),
  stations: await count(sql`select count(*) n from organization where type = 'station'`),
  users: await count(sql`select count(*) n from "user"`),
  workers: await count(sql`select count(*) n from worker`),
  worker_documents: await count(sql`select count(*) n from worker_document`),
  certificates: await count(sql`select count(*) n from certificate`),
  price_items: await count(sql`select count(*) n from service_item`),
  orders: await count(sql`select count(*) n from service_order`),
  order_events: await count(sql`select count(*) n from order_event`),
  worker_bookings: await count(sql`select count(*) n from worker_booking`),
  worker_search: await count(sql`select count(*) n from worker_search`),
};
if (!dataset.worker_search) throw new Error('no workers in the search projection: generate a city first');
say(`dataset: ${JSON.stringify(dataset)}`);

const tokens = (await sampleVerifyTokens(db, app.pii, 2000)).map((t) => t.token);
const certIds = (await rows<{ id: string }>(sql`select id from certificate order by id limit 2000`)).rows.map(
  (r) => r.id,
);
const points = (
  await rows<{ lon: number; lat: number }>(
    sql`select lon, lat from worker_search order by worker_id limit 500`,
  )
).rows.map((r) => ({ lon: Number(r.lon), lat: Number(r.lat) }));
const categories = ['cleaning', 'hourly', 'infant_care', 'elder_care', 'maternity', 'cooking'];
const SHANGHAI = 8 * 3600_000;
const tomorrow = new Date(Date.now() + SHANGHAI + 86_400_000).toISOString().slice(0, 10);
const availableFrom = `${tomorrow}T10:00:00+08:00`;
const availableTo = `${tomorrow}T12:00:00+08:00`;

// Order flows: each bench company's hourly items and its green workers free around the flow's slot.
const HOUR = 3600_000;
const slotStart = new Date(Math.ceil((Date.now() + 70 * 60_000) / (15 * 60_000)) * 15 * 60_000);
const slotEnd = new Date(slotStart.getTime() + HOUR);
const benchCompanies = (
  await rows<{ org_id: string; phone: string }>(sql`
    select m.org_id, u.phone_number as phone from org_membership m join "user" u on u.id = m.user_id
    where m.ended_at is null and u.phone_number like '13810%' order by u.phone_number`)
).rows;
const pairs: { phone: string; itemId: string; workerId: string; district: string }[] = [];
// Only for the order flows: at 1M this reads every active booking once per item (half a minute).
for (const c of want('flow') ? benchCompanies : []) {
  const items = (await app.services.catalog.publicItems(c.org_id)).filter(
    (i) => i.active && i.current && i.mode === 'hourly',
  );
  for (const item of items) {
    const ws = (
      await rows<{ worker_id: string; district: string }>(sql`
        select worker_id, district from worker_search
        where company_id = ${c.org_id} and color = 'green' and categories @> array[${item.category}]::text[]
          and worker_id not in (select worker_id from worker_booking
            where active and starts_at < ${slotEnd} and ends_at > ${slotStart})
        order by worker_id`)
    ).rows;
    for (const w of ws)
      if (!pairs.some((p) => p.workerId === w.worker_id))
        pairs.push({ phone: c.phone, itemId: item.id, workerId: w.worker_id, district: w.district });
  }
}
// The nightly full credit recompute (set-based SQL over every worker and company), timed in this process.
let creditRecomputeS: number | null = null;
if (want('credit')) {
  say('credit: full recompute …');
  const creditStarted = performance.now();
  const creditOut = await app.services.credit.recomputeAll();
  creditRecomputeS = Math.round((performance.now() - creditStarted) / 100) / 10;
  say(`credit: ${JSON.stringify(creditOut)} in ${creditRecomputeS} s`);
}
// The insights rollups the dashboard reads (an hourly job in production), built once before the server starts.
if (want('dashboard'))
  say(`insights: ${JSON.stringify(await app.services.insights.refresh(systemContext('bench'), 'job'))}`);
await app.close();
await database.close();
say(`fixtures: ${tokens.length} tokens, ${certIds.length} ids, ${pairs.length} order-flow workers`);

// ---- the server, in its own process --------------------------------------------------------------------------
const hasTaskset = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
// --cpu-prof=<dir>: the server writes a V8 CPU profile there when it exits (read it with bench/cpuprofile.ts).
const cpuProfDir = arg('cpu-prof');
const serverCmd = [
  process.execPath,
  ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProfDir)}`] : []),
  '--import',
  'tsx',
  // Counts the SQL statements the server sends (bench/statement-count.ts), read over the IPC channel. Only when the
  // order flows are measured: the hook costs the server a few per cent, which would tax the other figures.
  ...(want('flow') || arg('statements') ? ['--import', './bench/statement-count.ts'] : []),
  'src/server/main.ts',
];
const statementsFile = arg('statements');
const server = spawn(
  hasTaskset ? 'taskset' : serverCmd[0]!,
  hasTaskset ? ['-c', '0', ...serverCmd] : serverCmd.slice(1),
  {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      BENCH_ROUTES: '1',
      JOBS: 'off',
      SEED_DEMO: 'never',
      LOG_LEVEL: 'warn',
      // Every request below carries its own client address (X-Forwarded-For): the limiter runs, as it would for
      // many phones, without cutting a single load generator off.
      TRUST_PROXY: 'true',
      RATE_LIMIT_GLOBAL: '100000000',
      ...(statementsFile ? { BENCH_STATEMENT_TEXTS: '1' } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  },
);
if (hasTaskset) execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
const base = `http://127.0.0.1:${port}`;
/** The server process's CPU time so far (user + system, from /proc on Linux), or null where it cannot be read. */
const serverCpuMs = () => processCpuMs(server.pid);
const stop = () => {
  if (server.exitCode === null) server.kill('SIGTERM');
};
process.on('exit', stop);
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/api/v1/bench/hello`)).ok) break;
  } catch {
    // not listening yet
  }
  if (i > 600 || server.exitCode !== null) throw new Error('the server did not start');
  await new Promise((r) => setTimeout(r, 200));
}

let ipCounter = 0;
const ip = () => {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const pct = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100;
};

interface Load {
  rps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU per answered request (user + system, from /proc): the server process and its database's backends. */
  cpu_ms?: { server: number | null; db: number | null };
}
/**
 * PostgreSQL on this host: the backends serving the bench's database (the server's pool), moved to CPU 1 beside this
 * load generator so the server has CPU 0 to itself (scripts/pg-backends.ts), and their CPU time so far by pid; null
 * on PGlite or a remote database. Called before each measured window: the pool opens connections as load grows.
 */
let dbBackendsPinned = 0;
async function dbBackends(): Promise<Map<number, number> | null> {
  if (!config.databaseUrl) return null;
  const { snapshot, pinned } = await backendsCpu(config.databaseUrl, hasTaskset ? 1 : undefined);
  dbBackendsPinned = Math.max(dbBackendsPinned, pinned);
  return snapshot.size ? snapshot : null;
}
const dbCpuSince = async (before: Map<number, number> | null) =>
  before && config.databaseUrl ? backendsCpuSince(config.databaseUrl, before) : null;
async function load(
  name: string,
  path: () => string,
  seconds = duration,
  headers: Record<string, string> = {},
): Promise<Load> {
  const run = (secs: number) =>
    new Promise<{ result: Result; latencies: number[] }>((done) => {
      const latencies: number[] = [];
      const inst = autocannon({
        url: base,
        connections,
        duration: secs,
        timeout: 30,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: path(),
              headers: { ...req.headers, ...headers, 'x-forwarded-for': ip() },
            }),
          },
        ],
      });
      inst.on('response', (_c, status, _b, ms) => {
        if (status < 400) latencies.push(ms);
      });
      inst.on('done', (result) => done({ result, latencies }));
    });
  await run(2); // warm-up (JIT, plan and buffer caches), not counted
  const dbBefore = await dbBackends();
  const serverBefore = serverCpuMs();
  const { result, latencies } = await run(seconds);
  const serverAfter = serverCpuMs();
  const dbMs = await dbCpuSince(dbBefore);
  const perReq = (ms: number | null) =>
    ms === null || !latencies.length ? null : Math.round((ms / latencies.length) * 1000) / 1000;
  const out: Load = {
    rps: Math.round(latencies.length / result.duration),
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpu_ms: {
      server: perReq(serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore),
      db: perReq(dbMs),
    },
  };
  say(`${name}: ${JSON.stringify(out)}`);
  return out;
}

const searchPath = (raw: boolean) => () => {
  const p = pick(points);
  const qs = new URLSearchParams({
    category: pick(categories),
    lon: (p.lon + (Math.random() - 0.5) * 0.02).toFixed(5),
    lat: (p.lat + (Math.random() - 0.5) * 0.02).toFixed(5),
    radiusM: '3000',
    availableFrom,
    availableTo,
    // The credit filter: workers of companies graded 3A or above (company grades are there from the generator on;
    // worker scores only after a credit run).
    companyGrades: '5A,4A,3A',
    ...(raw ? {} : { sort: 'distance' }),
  });
  return `/api/v1/${raw ? 'bench/search-raw' : 'search/workers'}?${qs}`;
};
const keywords = ['月嫂', '保洁', '育婴', '做饭', '护理', '经验丰富', '新生儿照顾', '失能老人', '整理收纳'];

const skipped: Load = { rps: 0, p50: null, p95: null, p99: null, requests: 0, non2xx: 0, errors: 0 };
// The verify ratio needs the pk ceiling, the search ratio its raw route: they run with their part.
const hello = want('ceiling') ? await load('hello', () => '/api/v1/bench/hello') : skipped;
const pk =
  want('ceiling') || want('verify') ? await load('pk', () => `/api/v1/bench/pk/${pick(certIds)}`) : skipped;
const verify = want('verify') ? await load('verify', () => `/v/${pick(tokens)}`) : skipped;
const search = want('search') ? await load('search', searchPath(false)) : skipped;
const searchRaw = want('search') ? await load('search-raw', searchPath(true)) : skipped;
const keyword = want('keyword')
  ? await load('keyword', () => `/api/v1/search/workers?q=${encodeURIComponent(pick(keywords))}`)
  : skipped;

// ---- order flows through the HTTP API with real sessions ------------------------------------------------------
async function call(
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': ip(),
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, res };
}
async function login(phone: string): Promise<string> {
  const r = await call('POST', '/api/v1/auth/login/password', '', { phone, password: BENCH_PASSWORD });
  if (r.status !== 200) throw new Error(`login ${phone}: ${r.status} ${JSON.stringify(r.json)}`);
  const cookieOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  const cookie = cookieOf(r.res);
  // A regulator confirms the SMS code (identity MFA); the development SMS sink hands it out. The step rotates the
  // session: the cookie the verify response sets replaces the pre-MFA one.
  if ((r.json.user as { mfaPending?: boolean } | undefined)?.mfaPending) {
    const sms = await call('GET', `/api/v1/dev/sms/latest?phone=${phone}`, '');
    const ok = await call('POST', '/api/v1/auth/mfa/verify', cookie, { code: sms.json.code });
    if (ok.status !== 200) throw new Error(`MFA ${phone}: ${ok.status} ${JSON.stringify(ok.json)}`);
    return cookieOf(ok.res);
  }
  return cookie;
}
let orderFlowPerS: number | null = null;
let flowServerCpuMs: number | null = null;
/** The statements the server has sent so far (bench/statement-count.ts), or null when it does not answer. */
function serverStatements(): Promise<{ statements: number; texts: Record<string, number> | null } | null> {
  return new Promise((done) => {
    if (!server.connected) return done(null);
    const timer = setTimeout(() => finish(null), 5_000);
    const onMessage = (m: unknown) => {
      if (m && typeof m === 'object' && 'statements' in m) finish(m as never);
    };
    const finish = (v: Parameters<typeof done>[0]) => {
      clearTimeout(timer);
      server.off('message', onMessage);
      done(v);
    };
    server.on('message', onMessage);
    server.send('statements');
  });
}
let flowStatements: number | null = null;
/** CPU per flow of the database's backends (PostgreSQL on this host) and of this process (the load generator). */
let flowDbCpuMs: number | null = null;
let flowLoadCpuMs: number | null = null;
let flowsDone = 0;
let flowsFailed = 0;
const flowErrors: Record<string, number> = {};
if (pairs.length && want('flow')) {
  const residents = await Promise.all(
    Array.from({ length: BENCH_RESIDENTS }, (_, k) => login(benchResidentPhone(k + 1))),
  );
  const admins = new Map<string, string>();
  for (const phone of new Set(pairs.map((p) => p.phone))) admins.set(phone, await login(phone));
  const queue = pairs.slice(0, maxFlows);
  const statementsBefore = await serverStatements();
  const dbBefore = await dbBackends();
  // The pool may open connections as the lanes start: they join the others on CPU 1 within a second.
  const repin = setInterval(() => void dbBackends().catch(() => undefined), 1_000);
  const genBefore = process.cpuUsage();
  const cpuBefore = serverCpuMs();
  const started = Date.now();
  let next = 0;
  const lane = async (k: number) => {
    const resident = residents[k % residents.length]!;
    for (let i = next++; i < queue.length; i = next++) {
      const p = queue[i]!;
      const admin = admins.get(p.phone)!;
      const steps: [string, () => ReturnType<typeof call>][] = [];
      let orderId = '';
      steps.push([
        'create',
        async () => {
          const r = await call(
            'POST',
            '/api/v1/orders',
            resident,
            {
              priceItemId: p.itemId,
              workerId: p.workerId,
              schedule: { mode: 'hourly', startAt: slotStart.toISOString(), hours: 1 },
              address: `广东省广州市天河路${100 + i}号`,
              district: p.district,
            },
            { 'idempotency-key': randomUUID() },
          );
          orderId = String(r.json.id ?? '');
          return r;
        },
      ]);
      steps.push([
        'accept',
        () => call('POST', `/api/v1/orders/${orderId}/accept`, admin, { workerId: p.workerId }),
      ]);
      steps.push(['start', () => call('POST', `/api/v1/orders/${orderId}/start`, admin, {})]);
      steps.push(['confirm', () => call('POST', `/api/v1/orders/${orderId}/confirm`, resident, {})]);
      let ok = true;
      for (const [name, run] of steps) {
        const r = await run();
        if (r.status >= 300) {
          const code = `${name}:${r.status}:${String(r.json.code ?? '')}`;
          flowErrors[code] = (flowErrors[code] ?? 0) + 1;
          ok = false;
          break;
        }
      }
      if (ok) flowsDone++;
      else flowsFailed++;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, k) => lane(k)));
  const secs = (Date.now() - started) / 1000;
  orderFlowPerS = Math.round((flowsDone / secs) * 10) / 10;
  const cpuAfter = serverCpuMs();
  const gen = process.cpuUsage(genBefore);
  clearInterval(repin);
  const dbMs = await dbCpuSince(dbBefore);
  const perFlow = (ms: number | null) =>
    ms === null || !flowsDone ? null : Math.round((ms / flowsDone) * 10) / 10;
  flowDbCpuMs = perFlow(dbMs);
  flowLoadCpuMs = perFlow((gen.user + gen.system) / 1000);
  const statementsAfter = await serverStatements();
  if (statementsBefore && statementsAfter && flowsDone) {
    flowStatements =
      Math.round(((statementsAfter.statements - statementsBefore.statements) / flowsDone) * 10) / 10;
    if (statementsFile && statementsAfter.texts) {
      const per = Object.entries(statementsAfter.texts)
        .map(([text, n]) => ({ text, perFlow: (n - (statementsBefore.texts?.[text] ?? 0)) / flowsDone }))
        .filter((r) => r.perFlow > 0)
        .sort((a, b) => b.perFlow - a.perFlow);
      writeFileSync(
        statementsFile,
        JSON.stringify({ flows: flowsDone, statementsPerFlow: flowStatements, per }, null, 1),
      );
    }
  }
  // CPU time the server process was actually given (user + system), so a loaded machine does not inflate it.
  if (cpuBefore !== null && cpuAfter !== null && flowsDone)
    flowServerCpuMs = Math.round(((cpuAfter - cpuBefore) / flowsDone) * 10) / 10;
  say(
    `order flows: ${flowsDone} done, ${flowsFailed} failed in ${secs.toFixed(1)} s ${JSON.stringify(flowErrors)}`,
  );
} else if (want('flow'))
  missing.push({ key: 'order_flow_per_s', why: 'no benchmark company with a free green hourly worker' });

// ---- the regulator dashboard's main figures (reads the rollups only), with a regulator's session ------------
let dashboard: Load | null = null;
if (want('dashboard'))
  try {
    const cookie = await login('13800009999');
    dashboard = await load('dashboard', () => '/api/v1/insights/dashboard', duration, { cookie });
  } catch (e) {
    missing.push({ key: 'dashboard_p95_ms', why: `no bench regulator session (${(e as Error).message})` });
  }

stop();
const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
const ran = <T>(l: Load, value: T) => (l === skipped ? null : value);
const result = {
  engine: config.databaseUrl ? 'postgresql' : 'pglite',
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? '',
    node: process.version,
    taskset: hasTaskset,
    // How many of the database's backends were moved to the load generator's CPU (0: PGlite, remote, or no taskset).
    db_backends_on_cpu1: dbBackendsPinned,
  },
  connections,
  duration_s: duration,
  only: only ? [...only] : null,
  ceiling_hello_rps: ran(hello, hello.rps),
  ceiling_pk_rps: ran(pk, pk.rps),
  verify_rps: ran(verify, verify.rps),
  verify_p99_ms: ran(verify, verify.p99),
  verify_ratio_pk: ran(verify, ratio(verify.rps, pk.rps)),
  search_p50_ms: ran(search, search.p50),
  search_p95_ms: ran(search, search.p95),
  search_rps: ran(search, search.rps),
  search_ratio_raw: ran(search, ratio(search.rps, searchRaw.rps)),
  search_raw_rps: ran(searchRaw, searchRaw.rps),
  keyword_p95_ms: ran(keyword, keyword.p95),
  keyword_rps: ran(keyword, keyword.rps),
  // CPU per request of each load (server process, database backends): comparable across machine loads.
  cpu_ms_per_request: Object.fromEntries(
    Object.entries({ hello, pk, verify, search, searchRaw, keyword })
      .filter(([, l]) => l !== skipped)
      .map(([k, l]) => [k, l.cpu_ms ?? null]),
  ),
  order_flow_per_s: orderFlowPerS,
  order_flows: {
    done: flowsDone,
    failed: flowsFailed,
    errors: flowErrors,
    server_cpu_ms_per_flow: flowServerCpuMs,
    db_cpu_ms_per_flow: flowDbCpuMs,
    load_generator_cpu_ms_per_flow: flowLoadCpuMs,
    // Failed flows (and their statements) count too; compare runs with no failures.
    statements_per_flow: flowStatements,
  },
  credit_recompute_s: creditRecomputeS,
  dashboard_p95_ms: dashboard?.p95 ?? null,
  seed_s: seedS,
  generated: generated ? { scale: generated.scale, steps: generated.steps } : null,
  dataset,
  failures: Object.fromEntries(
    Object.entries({ hello, pk, verify, search, searchRaw, keyword }).map(([k, v]) => [
      k,
      v.non2xx + v.errors,
    ]),
  ),
  missing,
};
console.log(JSON.stringify(result, null, asJson ? 0 : 2));
await new Promise<void>((r) => (server.exitCode !== null ? r() : server.once('exit', () => r())));
