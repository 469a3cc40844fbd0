// `npm run crypto:switch -- --to gm|intl [--dry-run] [--batch 500]`: after PII_CRYPTO_PROFILE changed (every node
// restarted with it), reseals the PII tokens still in the other profile and recomputes the blind indexes with the new
// one, in resumable batches (src/server/crypto-switch.ts). `--to` must name the configured profile: it is a check
// that the operator and the configuration agree. After a PII_KEY rotation, `--to <current profile>` reseals the tokens
// of retired key versions. `--dry-run` only counts the rows still to move, per table and per kind of token (profile and
// key version), and names any version no configured key opens.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, piiOptionsOf } from '../src/server/config.js';
import { dryRunReport, ONE_WAY_HASHES, runProfileSwitch } from '../src/server/crypto-switch.js';
import { auditHashAlgOf, setAuditHashAlg } from '../src/server/platform/audit/audit.js';
import { openDatabase } from '../src/server/platform/db/client.js';
import { runMigrations } from '../src/server/platform/db/migrate.js';
import { createPii } from '../src/server/platform/pii/index.js';

const { values: args } = parseArgs({
  options: { to: { type: 'string' }, 'dry-run': { type: 'boolean' }, batch: { type: 'string' } },
});
const config = loadConfig();
if (args.to !== 'gm' && args.to !== 'intl') {
  console.error('usage: npm run crypto:switch -- --to gm|intl [--dry-run] [--batch 500]');
  process.exit(2);
}
if (args.to !== config.piiProfile) {
  console.error(
    `PII_CRYPTO_PROFILE is ${config.piiProfile}, not ${args.to}: set it (on every node) and restart first, then run this`,
  );
  process.exit(2);
}
const batchSize = args.batch ? Number(args.batch) : 500;
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
  console.error('--batch must be an integer from 1 to 10000');
  process.exit(2);
}
setAuditHashAlg(auditHashAlgOf(config.piiProfile));
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: join(config.dataDir, 'pglite'),
});
try {
  await runMigrations(database);
  const pii = createPii(piiOptionsOf(config));
  const started = performance.now();
  const result = await runProfileSwitch({
    db: database.db,
    pii,
    batchSize,
    dryRun: args['dry-run'] ?? false,
    onProgress: (p) =>
      console.log(`${p.table}: scanned ${p.scanned}, resealed ${p.resealed}, blind indexes ${p.reindexed}`),
  });
  const ms = Math.round(performance.now() - started);
  if (result.status === 'dry-run') {
    for (const line of dryRunReport(result, pii, Object.keys(config.piiOldKeys).map(Number)))
      console.log(line);
  } else {
    console.log(`crypto switch to ${result.to}: run ${result.run} ${result.status} in ${ms} ms`);
    console.log(
      `not recomputable (secrets never stored; checked under both profiles until replaced): ${Object.keys(ONE_WAY_HASHES).join(', ')}`,
    );
  }
} finally {
  await database.close();
}
