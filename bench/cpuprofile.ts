// `tsx bench/cpuprofile.ts <file.cpuprofile> [--top=30] [--filter=<substring of a url>]`
//
// Summarises a V8 CPU profile (node --cpu-prof; `npm run bench -- --cpu-prof=<dir>` writes one for the server):
// self and inclusive time per function, self time per package or source directory, and the share of time idle,
// in the program (parsing, compiling) and in garbage collection. Plain text, for reading, not for tests.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const argv = process.argv.slice(2);
const file = argv.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: tsx bench/cpuprofile.ts <file.cpuprofile> [--top=30] [--filter=src/]');
const top = Number(argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 30);
const filter = argv.find((a) => a.startsWith('--filter='))?.slice(9);
// --window=<from>,<to>: only the samples between these seconds of the profile (skip start-up and fixtures).
const window = argv
  .find((a) => a.startsWith('--window='))
  ?.slice(9)
  .split(',')
  .map((x) => Number(x) * 1e6);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node: each sample is charged the time until the next one.
const selfUs = new Map<number, number>();
// A timeline: the busy (not idle) share of each second, to choose a window.
const busyPerS: number[] = [];
const idleId = p.nodes.find((n) => n.callFrame.functionName === '(idle)')?.id;
let t = 0;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i] ?? 0;
  const dt = p.timeDeltas[i + 1] ?? 0;
  const sec = Math.floor(t / 1e6);
  busyPerS[sec] = (busyPerS[sec] ?? 0) + (p.samples[i] === idleId ? 0 : dt);
  if (window && (t < window[0]! || t > window[1]!)) continue;
  selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + dt);
}
console.log(`busy % per second: ${busyPerS.map((us) => Math.round((us ?? 0) / 1e4)).join(' ')}`);
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const short = (url: string) => {
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 14).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = u.indexOf('/src/');
  if (src >= 0) return u.slice(src + 1);
  return u || '(native)';
};
const fileOf = (url: string) => {
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  return nm >= 0 ? u.slice(nm + 14) : u.slice(u.indexOf('/src/') + 1) || '(native)';
};
const keyOf = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${fileOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const incl = new Map<string, number>();
const pkgSelf = new Map<string, number>();
const pkgIncl = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  self.set(keyOf(n), (self.get(keyOf(n)) ?? 0) + us);
  const pkg = n.callFrame.url ? short(n.callFrame.url) : n.callFrame.functionName;
  pkgSelf.set(pkg, (pkgSelf.get(pkg) ?? 0) + us);
  // Inclusive: every distinct function (and package) on the stack gets the sample once.
  const seen = new Set<string>();
  const seenPkg = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const c = byId.get(cur)!;
    const k = keyOf(c);
    if (!seen.has(k)) {
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + us);
    }
    if (c.callFrame.url) {
      const pk = short(c.callFrame.url);
      if (!seenPkg.has(pk)) {
        seenPkg.add(pk);
        pkgIncl.set(pk, (pkgIncl.get(pk) ?? 0) + us);
      }
    }
  }
}

const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const show = (title: string, m: Map<string, number>, n = top) => {
  console.log(`\n## ${title}`);
  for (const [k, us] of [...m]
    .filter(([k]) => !filter || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n))
    console.log(`${ms(us)} ${pct(us)}  ${k}`);
};
console.log(`profile: ${(total / 1e6).toFixed(1)} s sampled, ${p.samples.length} samples`);
const special = ['(idle)', '(program)', '(garbage collector)'].map((k) => [k, pkgSelf.get(k) ?? 0] as const);
console.log(special.map(([k, us]) => `${k} ${pct(us).trim()}`).join(', '));
show('self time by function', self);
show('inclusive time by function', incl);
show('self time by package / source file', pkgSelf, 25);
show('inclusive time by package / source file', pkgIncl, 25);
