// P10, P12 / ASVS V16.5.2–16.5.4; 等保 L3-CES1-29..31 (availability part): fault drills against the real server
// process (scripts/assure/server-process.ts) on a file-backed PGlite directory or a fresh PostgreSQL database.
//  - crash: writers book with an Idempotency-Key each (the key is also the order's note); SIGKILL mid-load;
//    restart on the same data; every unanswered key is retried with the same key and body. Checked in the
//    database afterwards: acknowledged writes lost 0, keys with more than one order 0, audit chain intact. A key
//    the kill left `pending` answers 409 IDEMPOTENCY_IN_PROGRESS (with Retry-After) only while its lease runs; the
//    retry waits it out, then either runs again (its booking never committed) or gets 409
//    IDEMPOTENCY_ALREADY_APPLIED (committed, response lost: the order must then exist, exactly once). A key still
//    stuck after the lease fails the suite.
//  - drain: SIGTERM while bookings are in flight: those complete, connections after it are refused (or 503),
//    exit code 0 within 10 s.
//  - dependency down (PostgreSQL): the server reaches the database through a loopback TCP proxy this process
//    controls. Proxy refusing → /readyz 503 within 2 s; proxy stalling (a partition) → /readyz answers within
//    10 s; proxy back → ready again without a restart. Restarting the shared PostgreSQL service itself is not done
//    (it serves every session on this machine); that variant is documented, not run.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { verifyAuditChain } from '../../src/server/platform/audit/audit.js';
import {
  bookingBody,
  createStore,
  type Fixtures,
  request,
  type Server,
  type Store,
  signIn,
  sleep,
  startServer,
  stopServer,
  unpinSelf,
  writeFixtures,
} from './server-process.js';
import type { Suite } from './support.js';

interface Attempt {
  key: string;
  body: object;
  cookie: string;
  orderId?: string;
  /** Status of the last answer when it was not 201. */
  other?: number;
  /** Problem code of that answer. */
  code?: string;
  /** Retry-After of that answer, seconds. */
  retryAfter?: number;
  /** The retry got the stored response back (header idempotent-replayed). */
  replayed?: boolean;
}

const codeOf = (body: string) => {
  try {
    return (JSON.parse(body) as { code?: string }).code;
  } catch {
    return undefined;
  }
};

interface CrashFigures {
  cycles: number;
  attempts: number;
  acked: number;
  lost: number;
  duplicates: number;
  stuckPending: number;
  retried: number;
  /** Retries answered by running the booking again (the killed attempt never committed). */
  reran: number;
  /** Retries answered 409 IDEMPOTENCY_ALREADY_APPLIED (committed before the kill, response never kept). */
  appliedNoResponse: number;
  /** The server's IDEMPOTENCY_LEASE_SECONDS in the drill. */
  leaseSeconds: number;
  /** Retried keys answered 409 IDEMPOTENCY_IN_PROGRESS at least once (the lease of the killed attempt held). */
  metLease: number;
  /** Seconds the retries waited for leases to run out. */
  leaseWaitS: number;
  chainOk: boolean;
  restartMs: number[];
}

async function crashDrill(
  store: Store,
  f: Fixtures,
  cycles: number,
  leaseSeconds: number,
  details: string[],
): Promise<CrashFigures> {
  const attempts = new Map<string, Attempt>();
  // The lease is the server's own setting (IDEMPOTENCY_LEASE_SECONDS). The quick profile runs the drill with 12 s,
  // still longer than a restart (~6 s), so the retries still meet 409 IDEMPOTENCY_IN_PROGRESS and wait it out, but
  // for seconds instead of the default's half minute; the full profile keeps the production default.
  const env = { IDEMPOTENCY_LEASE_SECONDS: String(leaseSeconds) };
  let server: Server | null = await startServer(store, { env });
  const restartMs: number[] = [];
  let seq = 0;
  try {
    const cookies: string[] = [];
    for (const r of f.residents) cookies.push(await signIn(server.base, r.phone, f.password));
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const base = server.base;
      let up = true;
      const writer = async (w: number) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        while (up) {
          const k = seq++;
          const key = `crash-${cycle}-${k}-${randomBytes(4).toString('hex')}`;
          const a: Attempt = { key, body: bookingBody(f, k, key), cookie: cookies[w % cookies.length]! };
          attempts.set(key, a);
          try {
            const r = await request(base, 'POST', '/api/v1/orders', {
              agent,
              body: a.body,
              headers: { cookie: a.cookie, 'idempotency-key': key },
              timeoutMs: 10_000,
            });
            if (r.status === 201) a.orderId = JSON.parse(r.body).id as string;
            else {
              a.other = r.status;
              a.code = codeOf(r.body);
            }
          } catch {
            // No answer: the client does not know whether the write happened; it retries after the restart.
            break;
          }
        }
        agent.destroy();
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      // Kill at a varying point: 1.5–3.5 s into the load.
      await sleep(1500 + ((cycle * 7919) % 2000));
      server.child.kill('SIGKILL');
      up = false;
      await server.exited;
      await Promise.all(writers);
      const t0 = Date.now();
      server = null;
      server = await startServer(store, { env });
      restartMs.push(Date.now() - t0);
    }
    // Retry every key that never got a 201, with the same key and body, as a client would: a 409 "in progress"
    // is retried after its Retry-After until the leases of the killed attempts have run out.
    const inProgress = (a: Attempt) => a.other === 409 && a.code === 'IDEMPOTENCY_IN_PROGRESS';
    let pending = [...attempts.values()].filter(
      (a) => !a.orderId && (!a.other || a.other >= 500 || inProgress(a)),
    );
    const retried = pending.length;
    let reran = 0;
    /** Keys whose first retry after the restart met the killed attempt's lease (409 in progress). */
    const metLease = new Set<string>();
    const waitStarted = Date.now();
    // Bounded: the lease plus slack; a key still in progress after it is stuck.
    const giveUpAt = Date.now() + (leaseSeconds + 45) * 1000;
    while (pending.length) {
      for (const a of pending) {
        const r = await request(server.base, 'POST', '/api/v1/orders', {
          body: a.body,
          headers: { cookie: a.cookie, 'idempotency-key': a.key },
        });
        a.replayed = r.headers['idempotent-replayed'] === 'true';
        if (r.status === 201) {
          a.orderId = JSON.parse(r.body).id as string;
          a.other = undefined;
          a.code = undefined;
          if (!a.replayed) reran++;
        } else {
          a.other = r.status;
          a.code = codeOf(r.body);
          a.retryAfter = Number(r.headers['retry-after'] ?? 1) || 1;
          if (inProgress(a)) metLease.add(a.key);
        }
      }
      pending = pending.filter(inProgress);
      if (!pending.length || Date.now() > giveUpAt) break;
      await sleep(Math.min(10, Math.max(...pending.map((a) => a.retryAfter ?? 1))) * 1000);
    }
    const leaseWaitS = Math.round((Date.now() - waitStarted) / 1000);
    await stopServer(server);
    server = null;

    // The database after the drill: every acknowledged key has its one order, and no key has two.
    const database = await store.open();
    try {
      const rows = await database.raw.query<{ id: string; note: string | null }>(
        `select id, note from service_order where note like 'crash-%'`,
      );
      const byKey = new Map<string, string[]>();
      for (const r of rows) byKey.set(r.note!, [...(byKey.get(r.note!) ?? []), r.id]);
      const acked = [...attempts.values()].filter((a) => a.orderId);
      const lost = acked.filter((a) => !byKey.get(a.key)?.includes(a.orderId!));
      const duplicates = [...byKey.values()].filter((ids) => ids.length > 1);
      for (const a of lost.slice(0, 5)) details.push(`acknowledged write lost: ${a.key} → ${a.orderId}`);
      for (const ids of duplicates.slice(0, 5))
        details.push(`duplicate orders for one key: ${ids.join(', ')}`);
      const stuck = [...attempts.values()].filter((a) => !a.orderId && inProgress(a));
      for (const a of stuck.slice(0, 3))
        details.push(`idempotency key ${a.key} still 409 in progress after the lease (stranded)`);
      // Committed before the kill, response lost: the order must be in the database, exactly once.
      const applied = [...attempts.values()].filter(
        (a) => !a.orderId && a.other === 409 && a.code === 'IDEMPOTENCY_ALREADY_APPLIED',
      );
      for (const a of applied.filter((x) => (byKey.get(x.key)?.length ?? 0) !== 1).slice(0, 3))
        details.push(`key ${a.key} answered ALREADY_APPLIED but has ${byKey.get(a.key)?.length ?? 0} orders`);
      const app = await buildApp({ config: loadConfig({ ...store.env, LOG_LEVEL: 'silent' }), database });
      const chain = await verifyAuditChain(app.database.db);
      await app.close();
      if (!chain.ok)
        details.push(`audit chain broken after the crashes at ${JSON.stringify(chain.firstBroken)}`);
      const unexpected = [...attempts.values()].filter(
        (a) => !a.orderId && !inProgress(a) && !applied.includes(a),
      );
      for (const a of unexpected.slice(0, 3))
        details.push(`write ${a.key} answered ${a.other ?? 'nothing'} ${a.code ?? ''}`);
      return {
        cycles,
        attempts: attempts.size,
        acked: acked.length,
        lost: lost.length,
        duplicates: duplicates.length,
        stuckPending: stuck.length,
        retried,
        reran,
        appliedNoResponse: applied.length,
        leaseSeconds,
        metLease: metLease.size,
        leaseWaitS,
        chainOk: chain.ok && unexpected.length === 0,
        restartMs,
      };
    } finally {
      await database.close();
    }
  } finally {
    if (server) await stopServer(server);
  }
}

interface DrainFigures {
  inFlightAtSignal: number;
  completed: number;
  failedInFlight: number;
  lateRefused: number;
  lateAccepted: number;
  exitCode: number | null;
  exitMs: number;
}

async function drainDrill(store: Store, f: Fixtures, details: string[]): Promise<DrainFigures> {
  const server = await startServer(store);
  try {
    const cookie = await signIn(server.base, f.residents[0]!.phone, f.password);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const n = 24;
    // Open the connections first, so the bookings below are on the wire before the signal.
    await Promise.all(Array.from({ length: n }, () => request(server.base, 'GET', '/healthz', { agent })));
    let settled = 0;
    const inflight = Array.from({ length: n }, (_, k) => {
      const key = `drain-${k}-${randomBytes(4).toString('hex')}`;
      return request(server.base, 'POST', '/api/v1/orders', {
        agent,
        body: bookingBody(f, 5000 + k, key),
        headers: { cookie, 'idempotency-key': key },
      })
        .then((r) => r.status)
        .catch(() => 0)
        .finally(() => settled++);
    });
    // Signal once the server is visibly working through them (the first answer is back).
    await Promise.race(inflight);
    const inFlightAtSignal = n - settled;
    const t0 = Date.now();
    server.child.kill('SIGTERM');
    // Wait until the listener is closed, then try new work on fresh connections.
    for (let i = 0; i < 500; i++) {
      const r = await request(server.base, 'GET', '/healthz', { timeoutMs: 1000 }).catch(() => null);
      if (!r || r.status === 503) break;
      await sleep(10);
    }
    const late = await Promise.all(
      Array.from({ length: 5 }, (_, k) =>
        request(server.base, 'POST', '/api/v1/orders', {
          body: bookingBody(f, 6000 + k, `late-${k}`),
          headers: { cookie, 'idempotency-key': `late-${k}-${randomBytes(4).toString('hex')}` },
          timeoutMs: 5000,
        })
          .then((r) => r.status)
          .catch(() => 0),
      ),
    );
    const statuses = await Promise.all(inflight);
    const exit = await Promise.race([server.exited, sleep(15_000).then(() => null)]);
    const exitMs = Date.now() - t0;
    agent.destroy();
    const completed = statuses.filter((s) => s === 201).length;
    if (!exit) details.push('the server had not exited 15 s after SIGTERM');
    const lateAccepted = late.filter((s) => s >= 200 && s < 300).length;
    if (completed < n)
      details.push(
        `in-flight bookings failed during shutdown: ${statuses.filter((s) => s !== 201).join(',')}`,
      );
    if (lateAccepted) details.push(`${lateAccepted} requests after SIGTERM were accepted`);
    if (inFlightAtSignal === 0) details.push('no booking was in flight at SIGTERM (vacuous drill)');
    return {
      inFlightAtSignal,
      completed,
      failedInFlight: n - completed,
      lateRefused: late.length - lateAccepted,
      lateAccepted,
      exitCode: exit ? exit.code : null,
      exitMs,
    };
  } finally {
    await stopServer(server);
  }
}

/** A loopback TCP proxy in front of PostgreSQL that can pass, refuse or stall connections. */
async function pgProxy(target: URL) {
  let mode: 'pass' | 'refuse' | 'stall' = 'pass';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (mode !== 'pass') {
      if (mode === 'refuse') client.destroy();
      return; // stall: accept and never answer
    }
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    set(next: typeof mode) {
      mode = next;
      if (next !== 'pass') {
        // Existing connections: cut them (refuse), or stop all traffic on them (stall).
        for (const s of sockets) {
          if (next === 'refuse') s.destroy();
          else s.pause();
        }
      } else for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

interface DependencyFigures {
  refuseStatus: number;
  refuseMs: number;
  stallStatus: number;
  stallMs: number;
  recovered: boolean;
  recoverMs: number;
}

async function dependencyDrill(store: Store, details: string[]): Promise<DependencyFigures> {
  const target = new URL(store.databaseUrl!);
  const proxy = await pgProxy(target);
  const via = new URL(store.databaseUrl!);
  via.hostname = '127.0.0.1';
  via.port = String(proxy.port);
  const server = await startServer(store, { env: { DATABASE_URL: via.toString() } });
  const probe = async (timeoutMs: number) => {
    const t0 = performance.now();
    const r = await request(server.base, 'GET', '/readyz', { timeoutMs }).catch(() => null);
    return {
      status: r?.status ?? 0,
      ms: Math.round(performance.now() - t0),
      retryAfter: r?.headers['retry-after'],
    };
  };
  try {
    proxy.set('refuse');
    const refused = await probe(10_000);
    if (refused.status !== 503 || refused.ms > 2000)
      details.push(`database refusing: /readyz ${refused.status || 'no answer'} after ${refused.ms} ms`);
    proxy.set('stall');
    const stalled = await probe(12_000);
    if (stalled.status !== 503 || stalled.ms > 10_000)
      details.push(
        `database stalled (partition): /readyz ${stalled.status || 'no answer'} after ${stalled.ms} ms`,
      );
    proxy.set('pass');
    const t0 = Date.now();
    let recovered = false;
    while (Date.now() - t0 < 30_000) {
      if ((await probe(5000)).status === 200) {
        recovered = true;
        break;
      }
      await sleep(200);
    }
    if (!recovered) details.push('the server did not become ready again after the database came back');
    return {
      refuseStatus: refused.status,
      refuseMs: refused.ms,
      stallStatus: stalled.status,
      stallMs: stalled.ms,
      recovered,
      recoverMs: Date.now() - t0,
    };
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
    await proxy.close();
  }
}

export const faults: Suite = async ({ engine, full }) => {
  const details: string[] = [];
  const knownGaps: string[] = [];
  const store = await createStore(engine);
  try {
    const f = await writeFixtures(store, 4);
    const crash = await crashDrill(store, f, full ? 5 : 1, full ? 30 : 12, details);
    const drain = await drainDrill(store, f, details);
    const dep = store.engine === 'postgres' ? await dependencyDrill(store, details) : null;
    const passed =
      crash.lost === 0 &&
      crash.duplicates === 0 &&
      crash.stuckPending === 0 &&
      crash.acked > 0 &&
      crash.chainOk &&
      drain.failedInFlight === 0 &&
      drain.lateAccepted === 0 &&
      drain.inFlightAtSignal > 0 &&
      drain.exitCode === 0 &&
      drain.exitMs < 10_000 &&
      details.length === 0;
    const depLine = dep
      ? `database refusing → /readyz ${dep.refuseStatus} in ${dep.refuseMs} ms, stalled → ${dep.stallStatus || 'no answer'} in ${dep.stallMs} ms, back → ready in ${dep.recoverMs} ms without restart`
      : 'dependency down: n/a on PGlite (in-process database; run on PostgreSQL)';
    return {
      name: 'faults',
      passed,
      line:
        `${store.engine} SIGKILL ×${crash.cycles} mid-load: attempts ${crash.attempts}, acked ${crash.acked}, lost ${crash.lost}, dup ${crash.duplicates}, ` +
        `retried ${crash.retried} (ran again ${crash.reran}, applied-no-response ${crash.appliedNoResponse}, lease ${crash.leaseSeconds} s: met by ${crash.metLease}, waited ${crash.leaseWaitS} s), stuck pending ${crash.stuckPending}, restart ${crash.restartMs.join('/')} ms, chain ${crash.chainOk ? 'ok' : 'BROKEN'}; ` +
        `SIGTERM with ${drain.inFlightAtSignal} in flight: completed ${drain.completed}, failed ${drain.failedInFlight}, new refused ${drain.lateRefused}/${drain.lateRefused + drain.lateAccepted}, exit ${drain.exitCode} in ${drain.exitMs} ms; ${depLine}; ` +
        'PostgreSQL service restart: not run (shared service)',
      figures: {
        cycles: crash.cycles,
        attempts: crash.attempts,
        acked: crash.acked,
        lost: crash.lost,
        duplicates: crash.duplicates,
        stuckPending: crash.stuckPending,
        retried: crash.retried,
        reran: crash.reran,
        appliedNoResponse: crash.appliedNoResponse,
        leaseSeconds: crash.leaseSeconds,
        metLease: crash.metLease,
        leaseWaitS: crash.leaseWaitS,
        inFlightAtSigterm: drain.inFlightAtSignal,
        failedInFlight: drain.failedInFlight,
        lateAccepted: drain.lateAccepted,
        exitMs: drain.exitMs,
        ...(dep
          ? {
              refuseMs: dep.refuseMs,
              refuseStatus: dep.refuseStatus,
              stallMs: dep.stallMs,
              stallStatus: dep.stallStatus,
            }
          : {}),
      },
      details,
      knownGaps,
    };
  } finally {
    unpinSelf();
    await store.drop();
  }
};
