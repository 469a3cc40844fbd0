import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, pgliteExtensions, type Database } from '../src/server/platform/db/client.js';
import { templatePath } from './db-paths.js';

/**
 * A fresh, migrated database for one test file: PGlite restored from the template tarball, or, when
 * TEST_DATABASE_URL is set, a new PostgreSQL database cloned from the migrated template.
 */
export async function createTestDatabase(): Promise<Database & { url?: string; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `anxin_t_${randomBytes(6).toString('hex')}`;
    // This run's migrated template (test/global-setup.ts); never another run's.
    const template = process.env.ANXIN_PG_TEMPLATE;
    if (!template) throw new Error('ANXIN_PG_TEMPLATE is not set: run through vitest (test/global-setup.ts)');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create database ${name} template ${template}`);
    } finally {
      await admin.end();
    }
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 5 });
    return {
      ...database,
      url: u.toString(),
      async drop() {
        await database.close();
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        try {
          await a.query(`drop database if exists ${name} with (force)`);
        } finally {
          await a.end();
        }
      },
    };
  }
  const blob = new Blob([readFileSync(templatePath)]);
  const pglite = await PGlite.create({ loadDataDir: blob, extensions: pgliteExtensions });
  const database = await openDatabase({ pglite });
  return { ...database, drop: () => database.close() };
}
