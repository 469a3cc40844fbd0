import { readFileSync } from 'node:fs';

/**
 * A process's CPU time so far (user + system), ms, from /proc/<pid>/stat (Linux; USER_HZ = 100); null where it
 * cannot be read. Used by the benchmark (bench/run.ts) and the load suite (scripts/assure/load.ts).
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
}
