import { join } from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './client.js';
import { projectRoot } from '../paths.js';
import { withStatementTimeout } from './tx-hooks.js';

export const migrationsFolder = join(projectRoot, 'drizzle');

// Any constant works; it only has to be the same in every app process.
const MIGRATION_LOCK = 727_001;

/** Applies committed SQL migrations. On PostgreSQL an advisory lock makes concurrent app starts take turns. */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  // No statement limit: waiting for another node's migration, or building an index on a large table, takes long.
  const client = await withStatementTimeout(0, () => database.pool!.connect());
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
