import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { integer, jsonb, pgTable, text, timestamp, boolean, bigint, numeric } from 'drizzle-orm/pg-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database } from '../client.js';
import { preparedPglite } from '../pglite-prepared.js';
import { statementsOf } from '../../../../../test/support/statements.js';

// PGlite only: DML runs as named prepared statements (pglite-prepared.ts). Results, errors, transactions and the
// statement count must be what PGlite's own unnamed path gives on the same instance.
const thing = pgTable('prep_thing', {
  id: text('id').primaryKey(),
  n: integer('n').notNull(),
  big: bigint('big', { mode: 'number' }),
  price: numeric('price'),
  flag: boolean('flag'),
  doc: jsonb('doc'),
  tags: text('tags').array(),
  at: timestamp('at', { withTimezone: true }),
});

const onPostgres = !!process.env.TEST_DATABASE_URL;
let pg: PGlite;
let fast: Database;
let plain: ReturnType<typeof drizzle>;
beforeAll(async () => {
  if (onPostgres) return;
  pg = await PGlite.create('memory://');
  await pg.exec(`create table prep_thing (id text primary key, n integer not null check (n >= 0), big bigint,
    price numeric, flag boolean, doc jsonb, tags text[], at timestamptz)`);
  fast = await openDatabase({ pglite: pg });
  plain = drizzle(pg);
});
afterAll(async () => {
  if (!onPostgres) await pg.close();
});

const rows = [
  {
    id: 'a',
    n: 1,
    big: 9_007_199_254_740,
    price: '12.50',
    flag: true,
    doc: { 名字: '张三', list: [1, 2, { x: null }] },
    tags: ['保洁', 'with "quote"', 'back\\slash'],
    at: new Date('2026-11-29T10:11:12.345Z'),
  },
  { id: 'b', n: 2, big: null, price: null, flag: null, doc: null, tags: null, at: null },
];

describe.skipIf(onPostgres)('PGlite prepared statements', () => {
  test('reads and writes give what the unnamed path gives, and each text is prepared once', async () => {
    const inserted = await fast.db.insert(thing).values(rows).returning();
    expect(inserted).toEqual(rows);
    const wrapped = preparedPglite(pg);
    for (let i = 0; i < 3; i++) {
      const viaFast = await fast.db.select().from(thing).orderBy(thing.id);
      const viaPlain = await plain.select().from(thing).orderBy(thing.id);
      expect(viaFast).toEqual(viaPlain);
      expect(viaFast).toEqual(rows);
      // Raw rows (object mode, PGlite's own parsers: Dates, parsed json) match too.
      const q = 'select * from prep_thing where n > $1 order by id';
      expect(await wrapped.query(q, [0])).toMatchObject({ rows: (await pg.query(q, [0])).rows });
    }
    const updated = await fast.db
      .update(thing)
      .set({ n: sql`${thing.n} + 10` })
      .where(eq(thing.flag, true));
    expect(updated).toMatchObject({ affectedRows: 1 });
    const [a] = await fast.db.select({ n: thing.n }).from(thing).where(eq(thing.id, 'a'));
    expect(a!.n).toBe(11);
    // Same text, new parameters: one execution each, on the statement prepared the first time.
    const prepared = wrapped.prepared.size;
    const counted = await statementsOf(fast, async () => {
      await fast.db.select().from(thing).where(eq(thing.id, 'a'));
      await fast.db.select().from(thing).where(eq(thing.id, 'b'));
    });
    expect(counted.statements).toHaveLength(2);
    expect(counted.statements[0]).toMatch(/^select .* from "prep_thing" where "prep_thing"."id" = \$1$/);
    expect(wrapped.prepared.size).toBe(prepared + 1);
  });

  test('errors carry the SQLSTATE, leave the session usable and roll a transaction back', async () => {
    await fast.db.insert(thing).values({ id: 'e1', n: 5 });
    const dup = fast.db.insert(thing).values({ id: 'e1', n: 6 });
    await expect(dup).rejects.toSatisfy((e) => (e as { cause?: { code?: string } }).cause?.code === '23505');
    // The same prepared insert works for a fresh key.
    await fast.db.insert(thing).values({ id: 'e2', n: 6 });
    await expect(
      fast.db.transaction(async (tx) => {
        await tx.insert(thing).values({ id: 'e3', n: 7 });
        await tx.insert(thing).values({ id: 'e4', n: -1 }); // check constraint
      }),
    ).rejects.toSatisfy((e) => (e as { cause?: { code?: string } }).cause?.code === '23514');
    const ids = await fast.db.select({ id: thing.id }).from(thing).where(sql`${thing.id} like 'e%'`);
    expect(ids.map((r) => r.id).sort()).toEqual(['e1', 'e2']);
    // Nested savepoints through the wrapped transaction.
    await fast.db.transaction(async (tx) => {
      await tx.insert(thing).values({ id: 'e5', n: 1 });
      await tx
        .transaction(async (sp) => {
          await sp.insert(thing).values({ id: 'e6', n: 1 });
          throw new Error('undo the savepoint');
        })
        .catch(() => undefined);
    });
    const after = await fast.db.select({ id: thing.id }).from(thing).where(sql`${thing.id} in ('e5', 'e6')`);
    expect(after.map((r) => r.id)).toEqual(['e5']);
    expect(pg.isInTransaction()).toBe(false);
  });

  test('a statement whose table changed is prepared again', async () => {
    const read = async () => {
      const r = await fast.db.execute(sql`select * from prep_thing where id = ${'a'}`);
      return (r as unknown as { rows: Record<string, unknown>[] }).rows[0]!;
    };
    expect(Object.keys(await read())).not.toContain('extra');
    await pg.exec(`alter table prep_thing add column extra text default 'x'`);
    expect(await read()).toMatchObject({ id: 'a', extra: 'x' });
  });
});
