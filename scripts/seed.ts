// `npm run seed`: seeds the demo city into the configured database (DATABASE_URL or data/pglite).
// `-- --force` seeds again even when organizations exist (new rows; existing ones are kept).
// `-- --scale=tiny|small|gz|1m [--seed=N] [--now=ISO]` generates a benchmark city instead (scripts/generate/city.ts)
// into an empty database (the same seed and --now give the same rows; dates are relative to now); it prints
// progress and, last, one JSON line with the timings and row counts.
import { join } from 'node:path';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/platform/db/client.js';
import { runMigrations } from '../src/server/platform/db/migrate.js';
import { seedDemoCityIfEmpty } from '../src/server/seed/demo.js';
import { generateCity, scales } from './generate/city.js';

const force = process.argv.includes('--force');
const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;
const scaleName = arg('scale');
if (scaleName !== undefined && !scales[scaleName]) {
  console.error(`unknown --scale=${scaleName} (one of ${Object.keys(scales).join(', ')})`);
  process.exit(2);
}
const config = loadConfig({ ...process.env, JOBS: 'off' });
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: join(config.dataDir, 'pglite'),
});
await runMigrations(database);
const app = await buildApp({ config, database });
try {
  if (scaleName) {
    if ((await app.services.orgs.countOrganizations()) > 0 && !force) {
      console.error('the database already has organizations: generate into an empty one (or pass --force)');
      process.exitCode = 1;
    } else {
      const out = await generateCity(app, {
        scale: scales[scaleName]!,
        seed: Number(arg('seed') ?? 20261128),
        ...(arg('now') ? { now: new Date(arg('now')!) } : {}),
        log: (line) => console.log(line),
      });
      console.log(
        JSON.stringify({ scale: scaleName, seed_s: out.seconds, steps: out.steps, dataset: out.dataset }),
      );
    }
  }
  const started = Date.now();
  const out = scaleName ? { created: false, skipped: true } : await seedDemoCityIfEmpty(app, { force });
  if (!('skipped' in out))
    console.log(
      out.created
        ? `demo city seeded in ${Date.now() - started} ms`
        : 'demo data already present (use -- --force to add another city)',
    );
} finally {
  await app.close();
  await database.close();
}
