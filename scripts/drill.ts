// `npm run drill -- pitr|failover [--async]`: the PostgreSQL recovery drills on scratch clusters of their own
// (src/server/drill). Prints progress on stderr, then one human summary line and one JSON object with the figures
// on stdout; exit 1 when a check fails, 2 when the drill cannot run here.
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
// Through process.exit, so the drill's exit hook stops its scratch servers and removes their directory.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
const load = loadavg().map((x) => Number(x.toFixed(2)));
const result =
  which === 'pitr'
    ? await runPitrDrill({ bins, log })
    : await runFailoverDrill({ bins, log, synchronous: !args.includes('--async') });
const out = `${result.passed ? 'ok  ' : 'FAIL'} ${result.summary}\n${JSON.stringify({ ...result, loadAverage: load }, null, 2)}\n`;
// Exit only once stdout has taken everything (a pipe is written asynchronously).
process.stdout.write(out, () => process.exit(result.passed ? 0 : 1));
