import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

// `npm run drill` must say how it ended on stdout whatever happens: a drill that breaks off (here: initdb fails, from
// fake server binaries in PG_BIN) used to end through an unhandled top-level rejection, with nothing on stdout.
const bin = mkdtempSync(join(tmpdir(), 'anxin-fake-pg-'));
// Readable by the `postgres` user the drill runs server binaries as when it is root.
chmodSync(bin, 0o755);
for (const [name, body] of [
  ['postgres', 'echo "postgres (PostgreSQL) 15.99"'],
  ['initdb', 'echo "initdb: simulated failure" >&2; exit 1'],
  ['pg_ctl', 'exit 1'],
  ['pg_basebackup', 'exit 1'],
]) {
  writeFileSync(join(bin, name!), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name!), 0o755);
}
afterAll(() => rmSync(bin, { recursive: true, force: true }));

test('a failover drill that breaks off prints a FAIL line and a JSON verdict on stdout and exits 1', () => {
  const r = spawnSync('npx', ['tsx', 'scripts/drill.ts', 'failover'], {
    cwd: join(import.meta.dirname, '../../../..'),
    env: { ...process.env, PG_BIN: bin },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(1);
  const [line, ...json] = r.stdout.split('\n');
  expect(line).toMatch(/^FAIL failover drill broke off: failover drill failed: initdb .*exited 1/);
  expect(JSON.parse(json.join('\n'))).toMatchObject({ drill: 'failover', passed: false });
  expect(r.stderr).toContain('simulated failure');
  // The exit hook stays quiet when the verdict was printed.
  expect(r.stdout).not.toContain('ended without a result');
}, 130_000);
