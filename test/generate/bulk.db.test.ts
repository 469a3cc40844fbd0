import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ordersBulkTables } from '../../src/server/modules/orders/index.js';
import { workersBulkTables } from '../../src/server/modules/workers/index.js';
import { workerSearch } from '../../src/server/modules/discovery/discovery.tables.js';
import {
  copyRows,
  copyText,
  createBulkWriter,
  deferIndexes,
  tablesEmpty,
} from '../../src/server/platform/db/bulk.js';
import { buildTestApp, type TestApp } from '../app.js';

// COPY loading for the generator (issue 13): values survive the text format exactly as an INSERT stores them.
const tricky = (id: string, over: Partial<typeof workerSearch.$inferInsert> = {}) => ({
  workerId: id,
  maskedName: '王**',
  age: 41,
  sex: null,
  categories: ['maternity', 'a"b', 'c\\d', 'e,f', '{g}', 'NULL', ''],
  skillLevel: null,
  maternityStars: 5,
  yearsExperience: 0,
  nativePlace: '广东\t梅州',
  languages: [],
  district: '440106',
  lon: 113.3612345678,
  lat: -23.125,
  location: { x: 104.1234567, y: 23.1 },
  color: 'green',
  certificateNumber: 'AX\\N',
  companyId: null,
  companyName: '安心\n"家政"\r\\公司',
  companyGrade: '5A',
  creditRank: -3,
  workerCreditScore: null,
  priceFrom: { hourly: { fen: 4500, unit: 'hour' }, note: { fen: 0, unit: 'a\tb\n"c"\\' } },
  minPriceFen: 4500,
  ratingAvg: 4.75,
  ratingCount: 12,
  intro: '\\N',
  skills: ['月嫂', '育婴员'],
  searchTokens: ['月', '月嫂'],
  searchText: 'line1\nline2\\',
  updatedAt: new Date('2026-11-20T04:00:00.123Z'),
  ...over,
});

describe('bulk loading (COPY)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('copyText escapes what COPY reserves and writes null as \\N', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText(true)).toBe('t');
    expect(copyText(12.5)).toBe('12.5');
    expect(copyText(new Date('2026-01-02T03:04:05.006Z'))).toBe('2026-01-02T03:04:05.006Z');
  });

  test('rows written by COPY read back equal to the same rows written by INSERT', async () => {
    const db = t.app.database.db;
    await db.insert(workerSearch).values([tricky('wk_ins_1'), tricky('wk_ins_2', { intro: null })]);
    await copyRows(db, workerSearch, [tricky('wk_cpy_1'), tricky('wk_cpy_2', { intro: null })]);
    const rows = await db.select().from(workerSearch).orderBy(asc(workerSearch.workerId));
    // hit_json is generated from the row's columns, its id among them.
    const by = new Map(
      rows.map((r) => [r.workerId, { ...r, workerId: '', hitJson: r.hitJson.replace(r.workerId, '') }]),
    );
    expect(by.get('wk_cpy_1')).toEqual(by.get('wk_ins_1'));
    expect(by.get('wk_cpy_2')).toEqual(by.get('wk_ins_2'));
    expect(by.get('wk_cpy_1')!.companyName).toBe('安心\n"家政"\r\\公司');
    expect(by.get('wk_cpy_1')!.categories).toEqual(['maternity', 'a"b', 'c\\d', 'e,f', '{g}', 'NULL', '']);
    expect(by.get('wk_cpy_2')!.intro).toBeNull();
  });

  test('a column with a default set in some rows only is refused, and nothing is stored', async () => {
    const db = t.app.database.db;
    const rows = [tricky('wk_def_1'), { ...tricky('wk_def_2'), updatedAt: undefined }];
    await expect(copyRows(db, workerSearch, rows)).rejects.toThrow(/updated_at/);
    const [n] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(workerSearch)
      .where(sql`${workerSearch.workerId} like 'wk_def_%'`);
    expect(n!.n).toBe(0);
  });

  test('the background writer keeps the order of writes and reports the first failure', async () => {
    const db = t.app.database.db;
    const w = createBulkWriter(db, { maxQueuedRows: 1 });
    for (let i = 0; i < 5; i++) await w.write(workerSearch, [tricky(`wk_q_${i}`)]);
    await w.flush();
    const [n] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(workerSearch)
      .where(sql`${workerSearch.workerId} like 'wk_q_%'`);
    expect(n!.n).toBe(5);
    const bad = createBulkWriter(db);
    await bad.write(workerSearch, [tricky('wk_q_0')]); // duplicate key
    await expect(bad.flush()).rejects.toThrow();
  });

  test('deferIndexes drops secondary indexes and constraints and puts the same ones back', async () => {
    const db = t.app.database.db;
    const tables = [...workersBulkTables, ...ordersBulkTables];
    expect(await tablesEmpty(db, tables)).toBe(true);
    const shape = async () =>
      (
        (await db.execute(sql`
          select i.indexname as name, i.indexdef as def from pg_indexes i
           where i.schemaname = 'public' and i.tablename in ('worker', 'worker_document', 'service_order',
             'order_event', 'worker_booking', 'order_assignment', 'employment')
          union all
          select c.conname, pg_get_constraintdef(c.oid) from pg_constraint c
           where c.conrelid::regclass::text in ('worker', 'worker_document', 'service_order', 'order_event',
             'worker_booking', 'order_assignment', 'employment')
           order by 1, 2`)) as unknown as { rows: { name: string; def: string }[] }
      ).rows;
    const before = await shape();
    const restore = await deferIndexes(db, tables);
    const during = await shape();
    expect(during.length).toBeLessThan(before.length);
    // Primary keys stay during the load.
    expect(during.filter((r) => r.def.startsWith('PRIMARY KEY')).length).toBe(
      before.filter((r) => r.def.startsWith('PRIMARY KEY')).length,
    );
    expect(during.some((r) => r.def.startsWith('EXCLUDE') || r.def.startsWith('FOREIGN KEY'))).toBe(false);
    await restore();
    expect(await shape()).toEqual(before);
  });
});
