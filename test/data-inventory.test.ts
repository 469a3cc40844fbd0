import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, test } from 'vitest';
import { schema } from '../src/server/platform/db/schema.js';
import { dataInventory, personalNamePattern } from './data-inventory.js';

// The personal-data inventory and the schema must agree: every column that looks personal is classified, and
// every entry names a column that exists.
const columns = Object.values(schema)
  .filter((v: unknown): v is PgTable => v instanceof PgTable)
  .flatMap((t) => {
    const c = getTableConfig(t);
    return c.columns.map((col) => `${c.name}.${col.name}`);
  });

describe('personal-data inventory', () => {
  test('every column whose name looks personal has an entry (unclassified = 0)', () => {
    const unclassified = columns.filter(
      (k) => personalNamePattern.test(k.split('.')[1]!) && !(k in dataInventory),
    );
    expect(unclassified).toEqual([]);
  });

  test('no entry names a column that does not exist (stale = 0)', () => {
    const known = new Set(columns);
    expect(Object.keys(dataInventory).filter((k) => !known.has(k))).toEqual([]);
  });

  test('encrypted columns are named *_enc and hashed ones *_hash; sensitive data is never stored plain unless it is a search point', () => {
    for (const [k, e] of Object.entries(dataInventory)) {
      if (!e.personal) continue;
      // Field-encrypted columns are named *_enc; the idempotency store seals whole JSON responses ({ enc }).
      if (k.endsWith('_enc')) expect(e.atRest).toBe('aes-256-gcm');
      if (e.atRest === 'keyed-hash') expect(k).toMatch(/_hash$/);
      expect(e.purpose.length).toBeGreaterThan(3);
      expect(e.retention.length).toBeGreaterThan(3);
    }
    const plainSensitive = Object.entries(dataInventory)
      .filter(([, e]) => e.personal && e.class === 'sensitive' && e.atRest === 'plain')
      .map(([k]) => k);
    // Only approximate locations used for distance search may be plain: they are rounded and never shown.
    expect(plainSensitive.every((k) => /\.(base_lon|base_lat|lon|lat|location)$/.test(k))).toBe(true);
  });
});
