import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from './db.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

test('the test database is migrated', async () => {
  const rows = await database.db.execute(
    sql`select count(*)::int as n from information_schema.tables where table_name = 'audit_log'`,
  );
  expect(
    (rows as unknown as { rows: { n: number }[] }).rows?.[0]?.n ?? (rows as unknown as { n: number }[])[0]?.n,
  ).toBe(1);
});
