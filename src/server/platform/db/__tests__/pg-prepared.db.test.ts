import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { type Database, openDatabase } from '../client.js';
import { statementName } from '../pg-prepared.js';

// PostgreSQL only: drizzle's data statements run as named prepared statements once their text recurs
// (pg-prepared.ts). One connection (pool of 1), so `pg_prepared_statements` sees what the statements left there.
const onPostgres = !!process.env.TEST_DATABASE_URL;

describe.skipIf(!onPostgres)('PostgreSQL named statements', () => {
  let base: Awaited<ReturnType<typeof createTestDatabase>>;
  let one: Database;
  let plain: Database;

  const rowsOf = async (q: Promise<unknown>) => ((await q) as { rows: Record<string, unknown>[] }).rows;
  const preparedOn = async (d: Database) =>
    (
      (await d.db.execute(sql.raw('select name, statement from pg_prepared_statements'))) as unknown as {
        rows: { name: string; statement: string }[];
      }
    ).rows;

  beforeAll(async () => {
    base = await createTestDatabase();
    await base.db.execute(sql`create table prep_probe (id int primary key, v text not null)`);
    one = await openDatabase({ databaseUrl: base.url!, poolSize: 1 });
    plain = await openDatabase({ databaseUrl: base.url!, poolSize: 1, pgPlain: true });
  });
  afterAll(async () => {
    await one?.close();
    await plain?.close();
    await base?.drop();
  });

  test('a recurring data statement is named by its text; the results are those of the unnamed path', async () => {
    const insert = (id: number, v: string) =>
      sql`insert into prep_probe (id, v) values (${id}, ${v}) returning id, v`;
    const rows: unknown[] = [];
    for (let i = 1; i <= 7; i++) rows.push(...(await rowsOf(one.db.execute(insert(i, `值${i}`)))));
    expect(rows).toEqual(Array.from({ length: 7 }, (_, i) => ({ id: i + 1, v: `值${i + 1}` })));

    const text = 'insert into prep_probe (id, v) values ($1, $2) returning id, v';
    const prepared = await preparedOn(one);
    const mine = prepared.filter((p) => p.statement === text);
    expect(mine.map((p) => p.name)).toEqual([statementName(text)]);

    // The same reads by both paths give the same rows, nulls and types included.
    const read = (d: Database, id: number) =>
      d.db.execute(
        sql`select id, v, null::int as n, ${id}::int + 1 as next from prep_probe where id <= ${id} order by id`,
      );
    for (const id of [3, 5, 7, 2]) expect(await rowsOf(read(one, id))).toEqual(await rowsOf(read(plain, id)));
    // The unnamed pool prepared nothing.
    expect(await preparedOn(plain)).toEqual([]);
  });

  test('a text seen once, a statement without parameters and a utility statement stay unnamed', async () => {
    const once = "select 1 as one, v from prep_probe where id = $1 and v <> 'once'";
    await one.db.execute(sql`select 1 as one, v from prep_probe where id = ${1} and v <> 'once'`);
    await one.db.execute(sql`select count(*)::int as n from prep_probe`);
    await one.db.execute(sql`select count(*)::int as n from prep_probe`);
    await one.db.execute(sql`set local statement_timeout = 1000`);
    const texts = (await preparedOn(one)).map((p) => p.statement);
    expect(texts).not.toContain(once);
    expect(texts).not.toContain('select count(*)::int as n from prep_probe');
  });

  test('texts seen once are forgotten past a budget of characters: long one-off statements cannot pile up', async () => {
    const probe = () => one.db.execute(sql`select v from prep_probe where id = ${2} and v <> 'budget'`);
    const text = `select v from prep_probe where id = $1 and v <> 'budget'`;
    const isNamed = async () => (await preparedOn(one)).some((p) => p.statement === text);
    await probe();
    // 4.5 million characters of statements seen once each (the budget is 4 million): the probe's sighting is dropped.
    const pad = 'x'.repeat(100_000);
    for (let i = 0; i < 45; i++)
      await one.db.execute(sql`select ${i}::int as n ${sql.raw(`/* ${pad} ${i} */`)}`);
    await probe();
    expect(await isNamed()).toBe(false);
    await probe();
    expect(await isNamed()).toBe(true);
  });

  test('a statement whose table changed under it fails once, then runs unnamed on every connection', async () => {
    const two = await openDatabase({ databaseUrl: base.url!, poolSize: 1 });
    try {
      const read = (d: Database) => d.db.execute(sql`select * from prep_probe where id = ${1}`);
      for (let i = 0; i < 3; i++) await read(one);
      await read(two);
      const text = 'select * from prep_probe where id = $1';
      expect((await preparedOn(one)).map((p) => p.statement)).toContain(text);
      expect((await preparedOn(two)).map((p) => p.statement)).toContain(text);
      await base.db.execute(sql`alter table prep_probe add column w int`);
      // PostgreSQL refuses a prepared statement whose result changed shape ("cached plan must not change result
      // type"), once per connection that prepared it.
      await expect(read(one)).rejects.toMatchObject({ cause: { code: '0A000' } });
      // The text is not named again: the other connection, which holds it prepared too, runs it unnamed.
      expect(await rowsOf(read(two))).toEqual([{ id: 1, v: '值1', w: null }]);
      expect(await rowsOf(read(one))).toEqual([{ id: 1, v: '值1', w: null }]);
    } finally {
      await two.close();
    }
  });
});
