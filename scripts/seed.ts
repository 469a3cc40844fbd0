// `npm run seed`: seeds the demo city into the configured database (DATABASE_URL or data/pglite).
// `-- --force` seeds again even when organizations exist (new rows; existing ones are kept).
import { join } from 'node:path';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/platform/db/client.js';
import { runMigrations } from '../src/server/platform/db/migrate.js';
import { seedDemoCityIfEmpty } from '../src/server/seed/demo.js';

const force = process.argv.includes('--force');
const config = loadConfig({ ...process.env, JOBS: 'off' });
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: join(config.dataDir, 'pglite'),
});
await runMigrations(database);
const app = await buildApp({ config, database });
try {
  const started = Date.now();
  const out = await seedDemoCityIfEmpty(app, { force });
  console.log(
    out.created
      ? `demo city seeded in ${Date.now() - started} ms`
      : 'demo data already present (use -- --force to add another city)',
  );
} finally {
  await app.close();
  await database.close();
}
