// Failover drill (等保 L3-CES1-30/31; ../shared/ASSURANCE.md "replication and failover drill"): a scratch primary and
// a streaming standby (pg_basebackup + standby.signal), synchronous by default (synchronous_standby_names names the standby,
// synchronous_commit on). The real app books orders from several writers; the primary is killed
// (pg_ctl stop -m immediate: no checkpoint, no goodbye); the standby is promoted; a second app instance starts on
// it (a restart with the new DATABASE_URL) and the writers move there. Every attempt that got no 201 is retried
// with its Idempotency-Key on the new primary. Checked there: acknowledged bookings lost 0, duplicates 0, audit
// chain intact. Figures: standby visibility of a primary write, promote time, time to the first write after it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain } from '../platform/audit/audit.js';
import { findPgBinaries, type PgBinaries, Scratch } from './cluster.js';
import { type Attempt, book, bookMany, type DrillApp, startApp, writeFixtures } from './workload.js';

export interface FailoverOptions {
  bins?: PgBinaries;
  /** Synchronous replication (default); false measures what asynchronous replication loses. */
  synchronous?: boolean;
  writers?: number;
  residents?: number;
  /** How long the writers run on the primary before it is killed, and on the new primary after the first write. */
  beforeKillMs?: number;
  afterSwitchMs?: number;
  log?: (line: string) => void;
}

export interface FailoverResult {
  drill: 'failover';
  at: string;
  postgres: number;
  passed: boolean;
  mode: 'synchronous' | 'asynchronous';
  /** The standby's state in pg_stat_replication before the kill, and how soon it showed a primary write. */
  replication: { syncState: string; visibleMs: number };
  attempts: number;
  acked: number;
  ackedOnOldPrimary: number;
  /** Acknowledged bookings missing on the new primary. */
  lost: number;
  /** Idempotency keys with more than one order. */
  duplicates: number;
  retried: number;
  retryOutcomes: { created: number; alreadyApplied: number; failed: number };
  promoteMs: number;
  /** Building the app on the new primary (the restart with the new URL). */
  appSwitchMs: number;
  /** From the end of `pg_ctl promote` to the first acknowledged write on the new primary. */
  firstWriteAfterPromoteMs: number;
  /** From the kill to the first acknowledged write on the new primary: the writers' outage. */
  writeOutageMs: number;
  chain: { ok: boolean; entries: number };
  summary: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((done) => {
    timer = setTimeout(() => done(fallback), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
const STANDBY = 'anxin_standby';

/** Runs the failover drill in its own scratch clusters and removes them afterwards. */
export async function runFailoverDrill(opts: FailoverOptions = {}): Promise<FailoverResult> {
  const bins = opts.bins ?? findPgBinaries();
  if (!bins)
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found; set PG_BIN');
  const log = opts.log ?? (() => undefined);
  const synchronous = opts.synchronous ?? true;
  const nWriters = opts.writers ?? 4;
  const scratch = new Scratch(bins);
  // The app's DATA_DIR (its dev keys) lives in the scratch directory, so every exit path removes it.
  const dataDir = join(scratch.root, 'app');
  mkdirSync(dataDir);
  const run = randomBytes(3).toString('hex');
  const apps: DrillApp[] = [];
  // Hoisted so every exit path stops the writers before their apps are closed: a writer left running after a failure
  // would keep booking against a closed app for ever.
  let stop = false;
  let writing: Promise<void>[] = [];
  try {
    const primary = await scratch.initCluster('primary', {
      wal_level: 'replica',
      max_wal_senders: 4,
      hot_standby: 'on',
    });
    await primary.start();
    await primary.query('create database anxin');
    const appA = await startApp(dataDir, primary.url('anxin'));
    apps.push(appA);
    const f = await writeFixtures(appA.app, opts.residents ?? 8);
    await bookMany(appA.app, f, `fo-${run}-warm`, 0, 5);

    // No -R: the standby gets its conninfo (with the application_name synchronous_standby_names matches) and
    // standby.signal here, so postgresql.auto.conf (read last) holds no second primary_conninfo.
    await scratch.run('pg_basebackup', [
      '-d',
      primary.url(),
      '-D',
      join(scratch.root, 'standby'),
      '-X',
      'stream',
      '-c',
      'fast',
    ]);
    const standby = await scratch.adoptCluster('standby', {
      primary_conninfo: `host=127.0.0.1 port=${primary.port} user=postgres application_name=${STANDBY}`,
      hot_standby: 'on',
    });
    writeFileSync(join(standby.dir, 'standby.signal'), '');
    scratch.own(join(standby.dir, 'standby.signal'));
    await standby.start();
    await primary.waitFor(
      `select exists (select 1 from pg_stat_replication where application_name = '${STANDBY}' and state = 'streaming') as ok`,
      60_000,
    );
    if (synchronous) {
      await primary.query(`alter system set synchronous_standby_names = '${STANDBY}'`);
      await primary.query('select pg_reload_conf()');
      await primary.waitFor(
        `select exists (select 1 from pg_stat_replication where application_name = '${STANDBY}' and sync_state = 'sync') as ok`,
        30_000,
      );
    }
    const [rep] = await primary.query<{ sync_state: string }>(
      `select sync_state from pg_stat_replication where application_name = $1`,
      [STANDBY],
    );
    log(`primary :${primary.port}, standby :${standby.port} streaming (${rep?.sync_state})`);

    // A write on the primary shows on the standby within 1 s (ASSURANCE's gate; synchronous_commit=on waits for
    // the standby's flush, not its replay, so this is measured rather than implied).
    const [probe] = await bookMany(appA.app, f, `fo-${run}-probe`, 5, 1);
    const visibleMs = await standby.waitFor(
      `select exists (select 1 from service_order where id = '${probe!.orderId}') as ok`,
      10_000,
      'anxin',
    );

    // Writers book against whichever app is current; an attempt without a 201 is kept for the retry.
    let current: DrillApp = appA;
    let next = 100;
    let killedAt = 0;
    let firstAckOnB = 0;
    const attempts: (Attempt & { on: 'A' | 'B'; at: number })[] = [];
    const writer = async () => {
      while (!stop) {
        const k = next++;
        const on = current === appA ? 'A' : 'B';
        // A client gives up on a request after 10 s (counted as unanswered and retried like any other).
        const a = await withTimeout(book(current.app, f, k, `fo-${run}-${k}`), 10_000, {
          key: `fo-${run}-${k}`,
          k,
          status: null,
        });
        attempts.push({ ...a, on, at: performance.now() });
        if (a.status === 201 && on === 'B' && !firstAckOnB) firstAckOnB = performance.now();
        if (a.status !== 201) await sleep(200);
      }
    };
    writing = Array.from({ length: nWriters }, () => writer());
    await sleep(opts.beforeKillMs ?? 3000);

    killedAt = performance.now();
    await primary.stop('immediate');
    log('primary killed (immediate)');
    const p0 = performance.now();
    await standby.promote();
    const promotedAt = performance.now();
    const appB = await startApp(dataDir, standby.url('anxin'));
    apps.push(appB);
    const appSwitchMs = performance.now() - promotedAt;
    current = appB;
    log(
      `standby promoted in ${Math.round(promotedAt - p0)} ms; app restarted on it in ${Math.round(appSwitchMs)} ms`,
    );
    const deadline = performance.now() + 30_000;
    while (!firstAckOnB && performance.now() < deadline) await sleep(20);
    await sleep(opts.afterSwitchMs ?? 2000);
    stop = true;
    await Promise.all(writing);
    log(`writers stopped: ${attempts.length} attempts`);

    // Retry every attempt that got no 201 with the same key (as a client would), on the new primary.
    const outcomes = { created: 0, alreadyApplied: 0, failed: 0 };
    const unanswered = attempts.filter((a) => a.status !== 201);
    for (const a of unanswered) {
      const unanswered = { key: a.key, k: a.k, status: null };
      let r = await withTimeout(book(appB.app, f, a.k, a.key), 10_000, unanswered);
      for (let i = 0; i < 20 && r.status === 409 && r.code === 'IDEMPOTENCY_IN_PROGRESS'; i++) {
        await sleep(1000);
        r = await withTimeout(book(appB.app, f, a.k, a.key), 10_000, unanswered);
      }
      if (r.status === 201) outcomes.created++;
      else if (r.code === 'IDEMPOTENCY_ALREADY_APPLIED') outcomes.alreadyApplied++;
      else outcomes.failed++;
    }

    const rows = await appB.database.raw.query<{ id: string; note: string }>(
      `select id, note from service_order where note like $1`,
      [`fo-${run}-%`],
    );
    const ids = new Set(rows.map((r) => r.id));
    const perKey = new Map<string, number>();
    for (const r of rows) perKey.set(r.note, (perKey.get(r.note) ?? 0) + 1);
    const acked = attempts.filter((a) => a.status === 201);
    const lost = acked.filter((a) => !ids.has(a.orderId!)).length;
    const duplicates = [...perKey.values()].filter((n) => n > 1).length;
    const chain = await verifyAuditChain(appB.database.db);
    const [tl] = await standby.query<{ in_recovery: boolean }>('select pg_is_in_recovery() as in_recovery');

    const promoteMs = promotedAt - p0;
    const firstWriteAfterPromoteMs = firstAckOnB ? firstAckOnB - promotedAt : -1;
    const writeOutageMs = firstAckOnB ? firstAckOnB - killedAt : -1;
    const ackedOnOldPrimary = acked.filter((a) => a.on === 'A').length;
    const passed =
      lost === 0 &&
      duplicates === 0 &&
      outcomes.failed === 0 &&
      chain.ok &&
      firstAckOnB > 0 &&
      tl?.in_recovery === false &&
      ackedOnOldPrimary > 0 &&
      visibleMs <= 1000 &&
      (!synchronous || rep?.sync_state === 'sync');
    const summary =
      `failover (${synchronous ? 'synchronous' : 'asynchronous'} standby, ${nWriters} writers): attempts ` +
      `${attempts.length}, acked ${acked.length} (${ackedOnOldPrimary} on the old primary), lost ${lost}, ` +
      `dup ${duplicates}; retried ${unanswered.length} → created ${outcomes.created}, already applied ` +
      `${outcomes.alreadyApplied}, failed ${outcomes.failed}; standby saw a write in ${Math.round(visibleMs)} ms; ` +
      `promote ${Math.round(promoteMs)} ms, app restart ${Math.round(appSwitchMs)} ms, first write ` +
      `${Math.round(firstWriteAfterPromoteMs)} ms after promote (${(writeOutageMs / 1000).toFixed(1)} s after the ` +
      `kill); audit chain ${chain.ok ? 'ok' : 'BROKEN'} ${chain.checked} entries`;
    return {
      drill: 'failover',
      at: new Date().toISOString(),
      postgres: bins.major,
      passed,
      mode: synchronous ? 'synchronous' : 'asynchronous',
      replication: { syncState: rep?.sync_state ?? 'none', visibleMs: Math.round(visibleMs) },
      attempts: attempts.length,
      acked: acked.length,
      ackedOnOldPrimary,
      lost,
      duplicates,
      retried: unanswered.length,
      retryOutcomes: outcomes,
      promoteMs: Math.round(promoteMs),
      appSwitchMs: Math.round(appSwitchMs),
      firstWriteAfterPromoteMs: Math.round(firstWriteAfterPromoteMs),
      writeOutageMs: Math.round(writeOutageMs),
      chain: { ok: chain.ok, entries: chain.checked },
      summary,
    };
  } catch (e) {
    throw new Error(`failover drill failed: ${(e as Error).message}\n${scratch.logTails()}`);
  } finally {
    stop = true;
    // Each writer's turn is bounded (10 s), and a writer never throws (book() catches).
    await Promise.all(writing);
    for (const a of apps) await a.close();
    await scratch.cleanup();
  }
}
