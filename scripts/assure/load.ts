// P11 / ASVS V15.1.3, V15.2.2; API4:2023: load on loopback against the real server process
// (scripts/assure/server-process.ts), server pinned to CPU 0 and this load generator (autocannon, in this
// process) to CPU 1 when taskset and two cores are there. On a PostgreSQL on this host, the backends serving the
// drill's database are moved to CPU 1 too once the warm-up has opened them (scripts/pg-backends.ts): the server then
// has its core to itself, as with the database on its own host, and the backends' CPU is reported on its own.
//  - read mix: a resident reads one of their own orders by id (GET /api/v1/orders/:id, tenant-filtered) or lists
//    their orders (GET /api/v1/orders/mine), 16 connections, each request with its own session and client address;
//  - write mix: a resident books (POST /api/v1/orders) with a fresh Idempotency-Key per request (order insert,
//    idempotency row and hash-chained audit row in one go), 16 connections.
// Gates (docs/security.md): reads ≥ 300 req/s with p99 < 100 ms, writes ≥ 100 req/s with p99 < 250 ms, 0 errors,
// 0 non-2xx. The thresholds are not loosened on a busy machine: the figures are reported as measured.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon, { type Result } from 'autocannon';
import {
  bookingBody,
  createStore,
  type Fixtures,
  hasTaskset,
  nextIp,
  request,
  signIn,
  startServer,
  stopServer,
  unpinSelf,
  writeFixtures,
} from './server-process.js';
import { backendsCpu, backendsCpuSince } from '../pg-backends.js';
import { processCpuMs } from '../proc-stat.js';
import type { Suite } from './support.js';

export const LOAD_GATES = {
  read: { rps: 300, p99: 100 },
  write: { rps: 100, p99: 250 },
} as const;
const CONNECTIONS = 16;

interface Mix {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** Seconds of warm-up before the measured window. */
  warmSeconds: number;
  /** The server process's CPU time (user + system) per answered request in the measured window, ms. */
  cpuMsPerReq: number | null;
  /** Of the measured window's wall time, the share the server ran (100 = one core, its whole pinned CPU). */
  cpuSharePct: number | null;
  /** Of the server's CPU (CPU 0 when pinned) in that window, the share other processes ran (the database, …). */
  othersOnCorePct: number | null;
  /** PostgreSQL on this host: the CPU time of the drill database's backends per answered request, ms. */
  dbCpuMsPerReq: number | null;
  /** PostgreSQL on this host with taskset: how many of those backends were moved to the load generator's CPU. */
  dbBackendsPinned: number | null;
}

/** Busy and total time of one CPU (/proc/stat `cpuN`), ms; null where it cannot be read. */
function coreTimes(cpu: number): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`cpu${cpu} `));
    if (!line) return null;
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
    const total = v.reduce((a, b) => a + b, 0) * 10;
    return { busy: total - (v[3]! + v[4]!) * 10, total };
  } catch {
    return null;
  }
}

function run(
  base: string,
  seconds: number,
  setup: () => { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<Result> {
  return new Promise((done) => {
    const inst = autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: seconds,
      timeout: 10,
      requests: [{ setupRequest: (req) => ({ ...req, ...setup() }) }],
    });
    inst.on('done', done);
  });
}

/** Warm-up windows of 2 s each, until one's throughput is within 10 % of the one before, at most this many. */
const WARM_WINDOWS = 6;

async function measure(
  base: string,
  pid: number,
  seconds: number,
  setup: Parameters<typeof run>[2],
  /** PostgreSQL only: the drill database's URL, whose backends are pinned and measured. */
  databaseUrl?: string,
): Promise<Mix> {
  // The backends are forked as the server's pool opens connections, during the first warm-up window; they are moved
  // to CPU 1 after each warm-up window (the pool may still grow), the last time as the measured window starts.
  const pinTo = hasTaskset ? 1 : undefined;
  let pinned: number | null = null;
  const pinBackends = async () => {
    if (!databaseUrl) return null;
    const b = await backendsCpu(databaseUrl, pinTo);
    if (pinTo !== undefined) pinned = Math.max(pinned ?? 0, b.pinned);
    return b.snapshot;
  };
  // Warm-up, not counted: the server's JIT and PGlite's WebAssembly (compiled lazily, hot functions tiered up by
  // V8 in the background) take 10–30 s of a write path's traffic to reach their steady speed on a slow 2-core
  // machine; 2 s was not enough, and the first window measured 30–45 % fewer bookings per second than the third.
  // The measured window starts once two warm-up windows agree (docs/security.md, known gap 11).
  let warm = 0;
  let last = 0;
  for (let w = 0; w < WARM_WINDOWS; w++) {
    const r = await run(base, 2, setup);
    warm += 2;
    await pinBackends();
    const rps = r['2xx'] / r.duration;
    if (last > 0 && Math.abs(rps - last) <= 0.1 * last) break;
    last = rps;
  }
  // Where the window's time went on the server's side: its own CPU per request and the share of its core it got.
  // A window that misses its gate with the same CPU per request but a smaller share was short of CPU (the host, the
  // database on the same core), not slower code.
  const core = hasTaskset ? 0 : null;
  const db0 = await pinBackends();
  const cpu0 = processCpuMs(pid);
  const core0 = core === null ? null : coreTimes(core);
  const t0 = performance.now();
  const r = await run(base, seconds, setup);
  const wall = performance.now() - t0;
  const cpu1 = processCpuMs(pid);
  const core1 = core === null ? null : coreTimes(core);
  const dbMs = db0 && databaseUrl ? await backendsCpuSince(databaseUrl, db0) : null;
  const server = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
  const coreBusy = core0 && core1 ? core1.busy - core0.busy : null;
  return {
    cpuMsPerReq: server === null || !r['2xx'] ? null : Math.round((server / r['2xx']) * 100) / 100,
    cpuSharePct: server === null ? null : Math.round((server / wall) * 100),
    othersOnCorePct:
      server === null || coreBusy === null || !core0 || !core1
        ? null
        : Math.max(0, Math.round(((coreBusy - server) / (core1.total - core0.total)) * 100)),
    dbCpuMsPerReq:
      dbMs === null || !db0?.size || !r['2xx'] ? null : Math.round((dbMs / r['2xx']) * 100) / 100,
    dbBackendsPinned: pinned,
    rps: Math.round(r['2xx'] / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    warmSeconds: warm,
  };
}

const rssKb = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

export const load: Suite = async ({ engine, full }) => {
  const seconds = full ? 60 : 10;
  const details: string[] = [];
  const store = await createStore(engine);
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const f: Fixtures = await writeFixtures(store, 8);
    server = await startServer(store);
    const base = server.base;
    const cookies: string[] = [];
    for (const r of f.residents) cookies.push(await signIn(base, r.phone, f.password));
    // Orders to read: a few per resident, booked over HTTP.
    const own: { cookie: string; id: string }[] = [];
    for (let k = 0; k < 40; k++) {
      const cookie = cookies[k % cookies.length]!;
      const r = await request(base, 'POST', '/api/v1/orders', {
        body: bookingBody(f, 3000 + k, `load-seed-${k}`),
        headers: { cookie, 'idempotency-key': randomUUID() },
      });
      if (r.status !== 201) throw new Error(`seeding an order failed: ${r.status} ${r.body.slice(0, 200)}`);
      own.push({ cookie, id: JSON.parse(r.body).id as string });
    }
    const rssBefore = rssKb(server.child.pid!);
    let i = 0;
    const pid = server.child.pid!;
    const read = await measure(
      base,
      pid,
      seconds,
      () => {
        const o = own[i++ % own.length]!;
        const list = i % 4 === 0;
        return {
          method: 'GET',
          path: list ? '/api/v1/orders/mine' : `/api/v1/orders/${o.id}`,
          headers: { cookie: o.cookie, 'x-forwarded-for': nextIp() },
        };
      },
      store.databaseUrl,
    );
    let k = 0;
    const write = await measure(
      base,
      pid,
      seconds,
      () => {
        k++;
        return {
          method: 'POST',
          path: '/api/v1/orders',
          headers: {
            cookie: cookies[k % cookies.length]!,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
            'x-forwarded-for': nextIp(),
          },
          body: JSON.stringify(bookingBody(f, 10_000 + k, `load-${k}`)),
        };
      },
      store.databaseUrl,
    );
    const rssDeltaMb = Math.round((rssKb(server.child.pid!) - rssBefore) / 1024);
    // Errors fail the run. A throughput or latency gate missed is a known gap (docs/security.md, known gap 11):
    // reported with its figures on every run, never hidden, until the request path is fast enough to meet it.
    const gaps: string[] = [];
    const check = (name: string, m: Mix, g: { rps: number; p99: number }) => {
      if (m.rps < g.rps) gaps.push(`load gate missed (${store.engine}) ${name}: ${m.rps} req/s < ${g.rps}`);
      if (m.p99 >= g.p99)
        gaps.push(`load gate missed (${store.engine}) ${name}: p99 ${m.p99} ms ≥ ${g.p99} ms`);
      if (m.errors || m.non2xx) details.push(`${name}: errors ${m.errors}, non-2xx ${m.non2xx}`);
    };
    check('reads', read, LOAD_GATES.read);
    check('writes', write, LOAD_GATES.write);
    const cpu = (m: Mix) =>
      m.cpuMsPerReq === null
        ? ''
        : `, server CPU ${m.cpuMsPerReq} ms/req at ${m.cpuSharePct} % of a core${m.othersOnCorePct === null ? '' : ` (others on its core ${m.othersOnCorePct} %)`}${m.dbCpuMsPerReq === null ? '' : `, database ${m.dbCpuMsPerReq} ms/req${m.dbBackendsPinned === null ? '' : ` (${m.dbBackendsPinned} backends on CPU 1)`}`}`;
    const fmt = (name: string, m: Mix, g: { rps: number; p99: number }) =>
      `${name} ${seconds} s @${CONNECTIONS} (after ${m.warmSeconds} s warm-up): ${m.rps} req/s p50 ${m.p50} ms p99 ${m.p99} ms${cpu(m)}, errors ${m.errors}, non-2xx ${m.non2xx} [≥${g.rps} rps, p99<${g.p99} ms]`;
    return {
      name: 'load',
      passed: details.length === 0,
      line: `${store.engine} ${hasTaskset ? 'server CPU 0, load CPU 1' : 'unpinned'}: ${fmt('GET mix', read, LOAD_GATES.read)}; ${fmt('POST mix', write, LOAD_GATES.write)}; server RSS ${rssDeltaMb >= 0 ? '+' : ''}${rssDeltaMb} MB`,
      figures: {
        seconds,
        readRps: read.rps,
        readP50: read.p50,
        readP99: read.p99,
        readErrors: read.errors + read.non2xx,
        readWarmSeconds: read.warmSeconds,
        writeRps: write.rps,
        writeP50: write.p50,
        writeP99: write.p99,
        writeErrors: write.errors + write.non2xx,
        writeWarmSeconds: write.warmSeconds,
        // Where /proc can be read (Linux).
        ...Object.fromEntries(
          Object.entries({
            readCpuMsPerReq: read.cpuMsPerReq,
            readCpuSharePct: read.cpuSharePct,
            readOthersOnCorePct: read.othersOnCorePct,
            writeCpuMsPerReq: write.cpuMsPerReq,
            writeCpuSharePct: write.cpuSharePct,
            writeOthersOnCorePct: write.othersOnCorePct,
            readDbCpuMsPerReq: read.dbCpuMsPerReq,
            writeDbCpuMsPerReq: write.dbCpuMsPerReq,
            dbBackendsPinned: write.dbBackendsPinned,
          }).filter((e): e is [string, number] => e[1] !== null),
        ),
        rssDeltaMb,
      },
      details,
      knownGaps: gaps,
    };
  } finally {
    await stopServer(server);
    unpinSelf();
    await store.drop();
  }
};
