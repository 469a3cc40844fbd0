import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, test } from 'vitest';
import { generateCity, scales } from '../../scripts/generate/city.js';
import { buildTestApp, type TestApp } from '../app.js';

// The generator drops secondary indexes and constraints for its load and rebuilds them (bulk.ts deferIndexes,
// discovery's rebuild-bulk.ts): afterwards the schema must be exactly what the migrations make.
const NOW = new Date('2026-11-20T04:00:00Z');

const rowsOf = async <T>(t: TestApp, q: ReturnType<typeof sql>) =>
  ((await t.app.database.db.execute(q)) as unknown as { rows: T[] }).rows;

/** Every index and constraint of the public schema, with its definition. */
async function schemaObjects(t: TestApp) {
  const indexes = await rowsOf<{ table: string; name: string; def: string }>(
    t,
    sql`select tablename as table, indexname as name, indexdef as def from pg_indexes
        where schemaname = 'public' order by tablename, indexname`,
  );
  const constraints = await rowsOf<{ table: string; name: string; def: string; valid: boolean }>(
    t,
    sql`select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def,
          c.convalidated as valid
        from pg_constraint c where c.connamespace = 'public'::regnamespace order by 1, 2`,
  );
  return { indexes, constraints };
}

describe('generateCity leaves the migrated schema', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  test('after a generated city, pg_indexes and the constraints equal those of a migrated empty database', async () => {
    const empty = await buildTestApp();
    apps.push(empty);
    const expected = await schemaObjects(empty);
    expect(expected.indexes.some((i) => i.name === 'worker_search_tokens_gin')).toBe(true);
    expect(expected.constraints.some((c) => c.name === 'worker_booking_no_overlap')).toBe(true);

    const t = await buildTestApp();
    apps.push(t);
    t.clock.now = NOW;
    const out = await generateCity(t.app, { scale: scales.tiny!, seed: 11, now: NOW });
    expect(out.dataset.workers).toBe(scales.tiny!.workers);
    expect(await schemaObjects(t)).toEqual(expected);
  });
});
