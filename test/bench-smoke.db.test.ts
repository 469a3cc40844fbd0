import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { freePort } from './app-process.js';

// `npm run bench -- --json` end to end on a tiny city, on the engine of this run (PGlite in a temporary directory,
// or a fresh PostgreSQL database with TEST_DATABASE_URL): it generates the city, starts the server in its own
// process, loads every part for a second and prints one JSON object with every key of issue 13 filled. Timing is
// not asserted (docs/performance.md holds the figures); what is asserted is that the benchmark runs and reports.
// It caught a reader of the server's CPU time declared after the loads that call it (a TDZ error at the first load).
const root = resolve(import.meta.dirname, '..');
const admin = process.env.TEST_DATABASE_URL;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function adminQuery(text: string) {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function engineEnv(): Promise<Record<string, string>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anxin-bench-smoke-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  if (!admin) return { DATA_DIR: dataDir };
  const name = `anxin_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  cleanups.push(() => adminQuery(`drop database if exists ${name} with (force)`));
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { DATA_DIR: dataDir, DATABASE_URL: u.toString() };
}

function runBench(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const { DATABASE_URL: _drop, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: root,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('exit', (code) => done({ code, out, err }));
  });
}

describe('npm run bench -- --json', () => {
  test('generates a tiny city and reports every key, with no failed request or flow', async () => {
    const env = await engineEnv();
    const port = await freePort();
    const r = await runBench(
      ['--json', '--generate=tiny', '--duration=1', '--connections=2', '--flows=10', `--port=${port}`],
      env,
    );
    expect(r.code, r.err.slice(-2000)).toBe(0);
    const result = JSON.parse(r.out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(result.engine).toBe(admin ? 'postgresql' : 'pglite');
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
    if (admin) expect(flows.db_cpu_ms_per_flow).toEqual(expect.any(Number));
    else expect(flows.db_cpu_ms_per_flow).toBeNull();
    expect((result.dataset as Record<string, number>).workers).toBeGreaterThan(0);
  }, 240_000);
});
