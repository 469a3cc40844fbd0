import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort } from './app-process.js';
import { createStore, type Store } from '../scripts/assure/server-process.js';

// `npm run bench -- --json` end to end on a tiny city, on the engine of this run (PGlite in a temporary directory,
// or a fresh PostgreSQL database with TEST_DATABASE_URL): it generates the city, starts the server in its own
// process, loads every part for a second and prints one JSON object with every key of issue 13 filled. Timing is
// not asserted (docs/performance.md holds the figures); what is asserted is that the benchmark runs and reports.
// It caught a reader of the server's CPU time declared after the loads that call it (a TDZ error at the first load).
const root = resolve(import.meta.dirname, '..');
const onPostgres = !!process.env.TEST_DATABASE_URL;
let store: Store | null = null;
afterAll(async () => {
  await store?.drop();
});

/** The benchmark's exit code, its stdout (the JSON line last) and its stderr (progress, errors). */
async function runBench(args: string[], env: Record<string, string>) {
  const { DATABASE_URL: _drop, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', ...args],
      { cwd: root, env: { ...inherited, ...env }, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: failed.stdout ?? '', err: failed.stderr ?? String(e) };
  }
}

describe('npm run bench -- --json', () => {
  test('generates a tiny city and reports every key, with no failed request or flow', async () => {
    // A PGlite directory, or a fresh PostgreSQL database (the assurance suites' store, dropped afterwards).
    store = await createStore(onPostgres ? 'postgres' : 'pglite');
    const { DATA_DIR, DATABASE_URL } = store.env;
    const env: Record<string, string> = { DATA_DIR: DATA_DIR!, ...(DATABASE_URL ? { DATABASE_URL } : {}) };
    const port = await freePort();
    const r = await runBench(
      ['--json', '--generate=tiny', '--duration=1', '--connections=2', '--flows=10', `--port=${port}`],
      env,
    );
    expect(r.code, r.err.slice(-2000)).toBe(0);
    const result = JSON.parse(r.out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(result.engine).toBe(onPostgres ? 'postgresql' : 'pglite');
    for (const key of [
      'ceiling_hello_rps',
      'ceiling_pk_rps',
      'verify_rps',
      'verify_p99_ms',
      'verify_ratio_pk',
      'search_p50_ms',
      'search_p95_ms',
      'search_rps',
      'search_ratio_raw',
      'keyword_p95_ms',
      'order_flow_per_s',
      'credit_recompute_s',
      'dashboard_p95_ms',
      'seed_s',
    ])
      expect(result[key], key).toEqual(expect.any(Number));
    expect(result.missing).toEqual([]);
    expect(Object.values(result.failures as Record<string, number>).every((n) => n === 0)).toBe(true);
    const flows = result.order_flows as Record<string, unknown>;
    expect(flows).toMatchObject({ done: 10, failed: 0 });
    expect(flows.server_cpu_ms_per_flow).toEqual(expect.any(Number));
    expect(flows.load_generator_cpu_ms_per_flow).toEqual(expect.any(Number));
    // The database's own CPU per flow is read from its backends on this host (PostgreSQL only).
    if (onPostgres) expect(flows.db_cpu_ms_per_flow).toEqual(expect.any(Number));
    else expect(flows.db_cpu_ms_per_flow).toBeNull();
    expect((result.dataset as Record<string, number>).workers).toBeGreaterThan(0);
  }, 240_000);
});
