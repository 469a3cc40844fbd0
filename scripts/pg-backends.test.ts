import { describe, expect, test } from 'vitest';
import { cpuBetween, cpuSnapshot, isLocalDatabase } from './pg-backends.js';

describe('pg-backends', () => {
  test('only a database on this host has backends whose pids mean something here', () => {
    expect(isLocalDatabase('postgres://u@127.0.0.1:5432/x')).toBe(true);
    expect(isLocalDatabase('postgres://u@localhost/x')).toBe(true);
    expect(isLocalDatabase('postgres://u@[::1]:5432/x')).toBe(true);
    expect(isLocalDatabase('postgres:///x?host=/var/run/postgresql')).toBe(true);
    expect(isLocalDatabase('not a url')).toBe(false);
    expect(isLocalDatabase('postgres://u@db.internal:5432/x')).toBe(false);
    expect(isLocalDatabase('postgres://u@10.0.0.5/x')).toBe(false);
  });

  test('CPU between two snapshots: a process that started in between counts whole, one that ended is left out', () => {
    const before = new Map([
      [10, 100],
      [11, 50],
    ]);
    const after = new Map([
      [10, 130],
      [12, 7],
    ]);
    expect(cpuBetween(before, after)).toBe(37);
  });

  test('a snapshot reads this process and leaves out a pid that is not there', () => {
    const snap = cpuSnapshot([process.pid, 2 ** 22 + 1]);
    if (process.platform !== 'linux') return;
    expect([...snap.keys()]).toEqual([process.pid]);
    expect(snap.get(process.pid)).toBeGreaterThanOrEqual(0);
  });
});
