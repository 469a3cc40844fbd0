import { randomBytes } from 'node:crypto';
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
 * and on PostgreSQL (TEST_DATABASE_URL) a template database each test file clones. The PostgreSQL template is this
 * run's own (`anxin_template_<pid>_<random>`, named to the test files through ANXIN_PG_TEMPLATE, which the forked
 * workers inherit) and is dropped by the returned teardown, so two runs on one server never drop each other's.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `anxin_template_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 1 });
    await runMigrations(database);
    await database.close();
    process.env.ANXIN_PG_TEMPLATE = name;
    return async () => {
      if (process.env.ANXIN_PG_TEMPLATE === name) delete process.env.ANXIN_PG_TEMPLATE;
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      try {
        await a.query(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    };
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
  return undefined;
}
