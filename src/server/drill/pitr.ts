// Point-in-time recovery drill (等保 L3-CES1-29/30; ../shared/ASSURANCE.md "point-in-time restore"): a scratch
// primary archives its WAL to a directory; the real app writes bookings (with audit rows) before and after a base
// backup, then a marker booking and a named restore point, then more bookings. The primary is stopped, the base
// backup restored with restore_command and recovery_target_name, promoted, and the app started on it. Checked:
// every booking committed up to the restore point is there, none after it is, the audit chain verifies and its
// head is the one the primary had at the restore point. RPO = acknowledged writes up to the target that are
// missing (0); RTO = seconds from "start restore" to "the app answers /readyz on the restored database".
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain } from '../platform/audit/audit.js';
import { type Cluster, findPgBinaries, type PgBinaries, Scratch } from './cluster.js';
import { type Attempt, bookMany, startApp, writeFixtures } from './workload.js';

export interface PitrOptions {
  bins?: PgBinaries;
  residents?: number;
  /** Bookings before the base backup, between it and the target, and after the target. */
  before?: number;
  between?: number;
  after?: number;
  log?: (line: string) => void;
}

export interface PitrResult {
  drill: 'pitr';
  at: string;
  postgres: number;
  passed: boolean;
  target: { name: string; lsn: string; time: string };
  bookings: { beforeBackup: number; beforeTarget: number; afterTarget: number };
  /** Acknowledged bookings committed up to the target that the restored database lacks: the RPO in writes. */
  lostBeforeTarget: number;
  /** Bookings committed after the target that the restored database has (must be 0). */
  presentAfterTarget: number;
  markerPresent: boolean;
  /** The restored server logged that it stopped at the restore point. */
  stoppedAtTarget: boolean;
  chain: { ok: boolean; entries: number; headMatchesTarget: boolean; entriesAtTarget: number };
  baseBackup: { bytes: number; ms: number; verified: boolean };
  archivedSegments: number;
  /** RTO and its parts, milliseconds: copy the base backup, replay to the target and promote, app ready. */
  rtoMs: number;
  copyMs: number;
  recoveryMs: number;
  appReadyMs: number;
  summary: string;
}

const dirBytes = (dir: string): number =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);

/** Runs the PITR drill in its own scratch clusters and removes them afterwards. */
export async function runPitrDrill(opts: PitrOptions = {}): Promise<PitrResult> {
  const bins = opts.bins ?? findPgBinaries();
  if (!bins)
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found; set PG_BIN');
  const log = opts.log ?? (() => undefined);
  const residents = opts.residents ?? 5;
  const nBefore = opts.before ?? 20;
  const nBetween = opts.between ?? 20;
  const nAfter = opts.after ?? 20;
  const scratch = new Scratch(bins);
  // The app's DATA_DIR (its dev keys) lives in the scratch directory, so every exit path removes it.
  const dataDir = join(scratch.root, 'app');
  mkdirSync(dataDir);
  const run = randomBytes(3).toString('hex');
  try {
    const archive = scratch.mkdir('archive');
    const primary = await scratch.initCluster('primary', {
      wal_level: 'replica',
      archive_mode: 'on',
      archive_command: `test ! -f ${archive}/%f && cp %p ${archive}/%f`,
      max_wal_senders: 4,
    });
    await primary.start();
    await primary.query('create database anxin');
    log(`primary on :${primary.port}, WAL archived to ${archive}`);

    const app1 = await startApp(dataDir, primary.url('anxin'));
    let before: Attempt[];
    let between: Attempt[];
    let after: Attempt[];
    let marker: Attempt;
    let target: PitrResult['target'];
    let chainAtTarget: Awaited<ReturnType<typeof verifyAuditChain>>;
    const base = join(scratch.root, 'base');
    let backupMs: number;
    let verified = false;
    try {
      const f = await writeFixtures(app1.app, residents);
      before = await bookMany(app1.app, f, `pitr-${run}-a`, 0, nBefore);

      const b0 = performance.now();
      await scratch.run('pg_basebackup', [
        '-d',
        primary.url(),
        '-D',
        base,
        '-Fp',
        '-X',
        'stream',
        '-c',
        'fast',
      ]);
      backupMs = performance.now() - b0;
      verified = await scratch.run('pg_verifybackup', [base]).then(
        () => true,
        () => false,
      );
      log(`base backup ${Math.round(backupMs)} ms, pg_verifybackup ${verified ? 'ok' : 'FAILED'}`);

      between = await bookMany(app1.app, f, `pitr-${run}-b`, nBefore, nBetween);
      marker = (await bookMany(app1.app, f, `pitr-${run}-marker`, nBefore + nBetween, 1))[0]!;
      // Nothing writes between the marker and the restore point (JOBS=off, one writer): the chain head now is
      // exactly what the restored database must end with.
      chainAtTarget = await verifyAuditChain(app1.database.db);
      const name = `anxin_pitr_${run}`;
      const [rp] = await primary.query<{ lsn: string; time: Date }>(
        'select pg_create_restore_point($1)::text as lsn, clock_timestamp() as time',
        [name],
        'anxin',
      );
      target = { name, lsn: rp!.lsn, time: new Date(rp!.time).toISOString() };
      log(`restore point ${name} at ${target.lsn} (${target.time})`);

      after = await bookMany(app1.app, f, `pitr-${run}-c`, nBefore + nBetween + 1, nAfter);
      const [{ n } = { n: 0 }] = await primary.query<{ n: number }>(
        `select count(*)::int as n from service_order where note like $1`,
        [`pitr-${run}-%`],
        'anxin',
      );
      if (n !== nBefore + nBetween + 1 + nAfter) throw new Error(`primary holds ${n} drill bookings`);
    } finally {
      await app1.close();
    }

    // Every segment up to the last write reaches the archive before the primary goes away.
    const [sw] = await primary.query<{ wal: string }>('select pg_walfile_name(pg_switch_wal()) as wal');
    await primary.waitFor(
      `select coalesce(last_archived_wal >= '${sw!.wal}', false) as ok from pg_stat_archiver`,
      60_000,
    );
    await primary.stop('fast');
    const archivedSegments = readdirSync(archive).filter((s) => /^[0-9A-F]{24}$/.test(s)).length;
    log(`primary stopped; ${archivedSegments} WAL segments archived`);

    // The restore: a copy of the base backup, recovery settings, recovery.signal, start, promote at the target.
    const t0 = performance.now();
    await scratch.shell(`cp -a ${base} ${join(scratch.root, 'restored')}`);
    const copyMs = performance.now() - t0;
    const restored: Cluster = await scratch.adoptCluster('restored', {
      restore_command: `cp ${archive}/%f %p`,
      recovery_target_name: target.name,
      recovery_target_action: 'promote',
      // The restored primary archives its new timeline elsewhere, leaving the drill's archive as it was.
      archive_command: `test ! -f ${archive}-restored/%f && cp %p ${archive}-restored/%f`,
    });
    scratch.mkdir('archive-restored');
    writeFileSync(join(restored.dir, 'recovery.signal'), '');
    scratch.own(join(restored.dir, 'recovery.signal'));
    await restored.start();
    await restored.waitFor('select not pg_is_in_recovery() as ok', 120_000);
    const recoveryMs = performance.now() - t0 - copyMs;
    // The server's own word that replay ended at the named point (not at the end of the archive).
    const stoppedAtTarget = readFileSync(restored.logFile, 'utf8').includes(
      `recovery stopping at restore point "${target.name}"`,
    );
    const r0 = performance.now();
    const app2 = await startApp(dataDir, restored.url('anxin'));
    let result: PitrResult;
    try {
      const ready = await app2.app.inject({ method: 'GET', url: '/readyz' });
      const health = await app2.app.inject({ method: 'GET', url: '/healthz' });
      if (ready.statusCode !== 200 || health.statusCode !== 200)
        throw new Error(`restored app not ready: /readyz ${ready.statusCode} /healthz ${health.statusCode}`);
      const appReadyMs = performance.now() - r0;
      const rtoMs = performance.now() - t0;

      const rows = await app2.database.raw.query<{ id: string }>(
        `select id from service_order where note like $1`,
        [`pitr-${run}-%`],
      );
      const have = new Set(rows.map((r) => r.id));
      const upToTarget = [...before, ...between, marker];
      const lostBeforeTarget = upToTarget.filter((a) => !have.has(a.orderId!)).length;
      const presentAfterTarget = after.filter((a) => have.has(a.orderId!)).length;
      const markerPresent = have.has(marker.orderId!);
      const chain = await verifyAuditChain(app2.database.db);
      const headMatchesTarget = chain.ok && chain.head?.hash === chainAtTarget.head?.hash;
      const passed =
        verified &&
        stoppedAtTarget &&
        lostBeforeTarget === 0 &&
        presentAfterTarget === 0 &&
        markerPresent &&
        chain.ok &&
        headMatchesTarget;
      const summary =
        `PITR to restore point ${target.name} (${target.lsn}): bookings ≤ target ${upToTarget.length} → present ` +
        `${upToTarget.length - lostBeforeTarget} (RPO ${lostBeforeTarget} writes${stoppedAtTarget ? ', stopped at the point' : ', NOT stopped at the point'}), after target ${after.length} → ` +
        `present ${presentAfterTarget}; audit chain ${chain.ok ? 'ok' : 'BROKEN'} ${chain.checked} entries, head ` +
        `${headMatchesTarget ? '=' : '≠'} target's; base backup ${(dirBytes(base) / 1e6).toFixed(1)} MB ` +
        `${verified ? 'verified' : 'NOT verified'}; RTO ${(rtoMs / 1000).toFixed(1)} s (copy ${Math.round(copyMs)} ms, ` +
        `replay+promote ${Math.round(recoveryMs)} ms, app ready ${Math.round(appReadyMs)} ms)`;
      result = {
        drill: 'pitr',
        at: new Date().toISOString(),
        postgres: bins.major,
        passed,
        target,
        bookings: { beforeBackup: before.length, beforeTarget: upToTarget.length, afterTarget: after.length },
        lostBeforeTarget,
        presentAfterTarget,
        markerPresent,
        stoppedAtTarget,
        chain: {
          ok: chain.ok,
          entries: chain.checked,
          headMatchesTarget,
          entriesAtTarget: chainAtTarget.checked,
        },
        baseBackup: { bytes: dirBytes(base), ms: Math.round(backupMs), verified },
        archivedSegments,
        rtoMs: Math.round(rtoMs),
        copyMs: Math.round(copyMs),
        recoveryMs: Math.round(recoveryMs),
        appReadyMs: Math.round(appReadyMs),
        summary,
      };
    } finally {
      await app2.close();
    }
    return result;
  } catch (e) {
    throw new Error(`PITR drill failed: ${(e as Error).message}\n${scratch.logTails()}`);
  } finally {
    await scratch.cleanup();
  }
}
