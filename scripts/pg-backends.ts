import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { processCpuMs } from './proc-stat.js';

// The PostgreSQL backends that serve one database on this host, for the load suite (scripts/assure/load.ts) and the
// benchmark (bench/run.ts): both pin the app server to CPU 0 and the load generator to CPU 1. A backend is forked
// per connection and runs where the scheduler puts it, often beside the server that just woke it (a loopback send
// runs the receiving side in the sender's context): it took a quarter of the server's pinned core in a booking mix.
// Both move the backends of their database to CPU 1, beside the load generator, so the server has its core to itself
// as with the database on its own host, and report the backends' CPU per request beside the server's own
// (docs/performance.md, "The database's backends on the load generator's core").

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether a PostgreSQL URL names a server on this host (loopback TCP, or a unix socket directory). */
export function isLocalDatabase(databaseUrl: string): boolean {
  let u: URL;
  try {
    u = new URL(databaseUrl);
  } catch {
    return false; // not a URL this can read: treated as remote, nothing is measured or moved
  }
  const host = decodeURIComponent(u.hostname) || u.searchParams.get('host') || '';
  return LOOPBACK.has(host) || host.startsWith('/');
}

function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The pids of the client backends connected to this URL's database (other than the one asking), when the server
 * is on this host and each pid is a `postgres` process here; [] otherwise (a remote server's pids mean nothing here).
 */
export async function localBackendPids(databaseUrl: string): Promise<number[]> {
  if (!isLocalDatabase(databaseUrl)) return [];
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query<{ pid: number }>(
      `select pid from pg_stat_activity
        where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()`,
    );
    return r.rows.map((row) => Number(row.pid)).filter((pid) => commOf(pid) === 'postgres');
  } finally {
    await c.end();
  }
}

/** Moves these processes to one CPU (taskset); returns how many moved (needs the right to: root or the same user). */
export function pinProcesses(pids: readonly number[], cpu: number): number {
  let moved = 0;
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
      moved++;
    } catch {
      // gone since it was listed, or not ours to move
    }
  }
  return moved;
}

/** Each process's CPU time (user + system) so far, ms; the ones gone are left out. */
export function cpuSnapshot(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms !== null) out.set(pid, ms);
  }
  return out;
}

/**
 * The CPU time these processes ran between two snapshots, ms: a process only in the later one started in between
 * (all its time counts); one that ended in between is missed (its time is no longer readable).
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/**
 * The client backends of this URL's database on this host, moved to `pinTo` first when given (see pinProcesses),
 * and their CPU time so far; `pinned` counts the ones moved. Empty on a remote database.
 */
export async function backendsCpu(
  databaseUrl: string,
  pinTo?: number,
): Promise<{ snapshot: Map<number, number>; pinned: number }> {
  const pids = await localBackendPids(databaseUrl);
  const pinned = pinTo === undefined ? 0 : pinProcesses(pids, pinTo);
  return { snapshot: cpuSnapshot(pids), pinned };
}

/** The CPU time this database's backends ran since `before` (backendsCpu), those opened since included, ms. */
export async function backendsCpuSince(databaseUrl: string, before: Map<number, number>): Promise<number> {
  const now = await localBackendPids(databaseUrl);
  return cpuBetween(before, cpuSnapshot([...new Set([...before.keys(), ...now])]));
}
