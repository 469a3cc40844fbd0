// `npm run drill -- pitr|failover [--async]`: the PostgreSQL recovery drills on scratch clusters of their own
// (src/server/drill). Prints progress on stderr, then one human summary line and one JSON object with the figures
// on stdout; exit 1 when a check fails or the drill breaks off (the error on stderr, a FAIL line on stdout), 2 when
// the drill cannot run here. No path ends the process without a line on stdout (see the exit hook below).
import { loadavg } from 'node:os';
import { findPgBinaries } from '../src/server/drill/cluster.js';
import { runFailoverDrill } from '../src/server/drill/failover.js';
import { runPitrDrill } from '../src/server/drill/pitr.js';

const args = process.argv.slice(2);
const which = args.find((a) => !a.startsWith('-'));
if (which !== 'pitr' && which !== 'failover') {
  console.error('usage: npm run drill -- pitr | failover [--async]');
  process.exit(2);
}
const bins = findPgBinaries();
if (!bins) {
  console.error(
    'PostgreSQL server binaries not found (initdb, pg_ctl, pg_basebackup): install postgresql or set PG_BIN',
  );
  process.exit(2);
}
const log = (line: string) => console.error(`  ${which}: ${line}`);
let reported = false;
// The last word on every exit path. Node ends a process whose event loop runs dry while the drill still awaits
// something (exit code 13, "unsettled top-level await"), and a signal or a stray process.exit ends it too: each used
// to leave stdout empty. Writes to a pipe or file are synchronous here, so this line is not lost.
process.on('exit', (code) => {
  if (reported) return;
  process.stdout.write(`FAIL ${which} drill ended without a result (exit code ${code})\n`);
  if (code === 0) process.exitCode = 1;
});
// Through process.exit, so the drill's exit hook stops its scratch servers and removes their directory.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    console.error(`  ${which}: interrupted by ${signal}`);
    process.exit(130);
  });
const load = loadavg().map((x) => Number(x.toFixed(2)));
let out: string;
let passed = false;
try {
  const result =
    which === 'pitr'
      ? await runPitrDrill({ bins, log })
      : await runFailoverDrill({ bins, log, synchronous: !args.includes('--async') });
  passed = result.passed;
  out = `${result.passed ? 'ok  ' : 'FAIL'} ${result.summary}\n${JSON.stringify({ ...result, loadAverage: load }, null, 2)}\n`;
} catch (e) {
  // The error carries the scratch servers' log tails: stderr. stdout gets the verdict and its first line.
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  out = `FAIL ${which} drill broke off: ${message}\n${JSON.stringify({ drill: which, passed: false, error: message, loadAverage: load }, null, 2)}\n`;
}
reported = true;
// Exit only once stdout has taken everything (a pipe may be written asynchronously).
process.stdout.write(out, () => process.exit(passed ? 0 : 1));
