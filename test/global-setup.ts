import { mkdirSync, writeFileSync, existsSync, statSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, pgliteExtensions } from '../src/server/platform/db/client.js';
import { migrationsFolder, runMigrations } from '../src/server/platform/db/migrate.js';
import { templatePath } from './db-paths.js';

function newestMigrationMtime(): number {
  return Math.max(
    ...readdirSync(migrationsFolder, { recursive: true }).map(
      (f) => statSync(join(migrationsFolder, String(f))).mtimeMs,
    ),
  );
}

/**
 * Builds the migrated database template once per run: a PGlite data-dir tarball each test file restores from,
 * and on PostgreSQL (TEST_DATABASE_URL) a template database each test file clones.
 */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('drop database if exists anxin_template with (force)');
      await admin.query('create database anxin_template');
    } finally {
      await admin.end();
    }
    const u = new URL(url);
    u.pathname = '/anxin_template';
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 1 });
    await runMigrations(database);
    await database.close();
    return;
  }
  if (existsSync(templatePath) && statSync(templatePath).mtimeMs > newestMigrationMtime()) return;
  const pglite = await PGlite.create('memory://', { extensions: pgliteExtensions });
  const database = await openDatabase({ pglite });
  await runMigrations(database);
  const dump = await pglite.dumpDataDir('gzip');
  mkdirSync(join(templatePath, '..'), { recursive: true });
  // Written aside and renamed, so a concurrent run never restores a half-written template.
  const partial = `${templatePath}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, templatePath);
  await pglite.close();
}
