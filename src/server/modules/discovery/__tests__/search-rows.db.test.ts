import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { workerHit } from '../discovery.routes.js';
import { hitText, searchRowAt, type WorkerHit, type WorkerQuery } from '../discovery.service.js';
import { workerSearch } from '../discovery.tables.js';
import { insertRows, projectionRow } from './rows.js';

// A search sends each hit as the JSON text PostgreSQL keeps in the row (`hit_json`, written by worker_search_hit from
// the row's own columns) with its distance added. Every field of every hit must be the row's, as the API's WorkerHit
// defines it, on every search path, and stay so when the row's columns are updated in place.
let t: TestApp;
const rows = Array.from({ length: 60 }, (_, i) =>
  projectionRow(i, {
    workerCreditScore: 600 + i,
    ratingAvg: i % 4 === 0 ? null : 3.5 + (i % 3) / 2,
    ratingCount: i % 4 === 0 ? 0 : i,
    priceFrom:
      i % 2 ? { cleaning: { fen: 4500 + i, unit: 'hour' }, hourly: { fen: 3900, unit: 'hour' } } : {},
    intro: i % 5 === 0 ? null : `第${i}位，做事细心，擅长日常保洁。"引号"与\\反斜杠\n换行`,
    ...(i % 6 === 1 ? { companyId: null, companyName: null, companyGrade: null } : {}),
    ...(i % 11 === 3 ? { age: null, sex: null, nativePlace: null, district: null, skillLevel: null } : {}),
  }),
);

beforeAll(async () => {
  t = await buildTestApp();
  await insertRows(t.database.db, rows);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const svc = () => t.app.services.discovery;

/** The hit a row stands for, as the API defines it (the former toHit), from the row as drizzle maps it. */
async function expectedHit(workerId: string): Promise<Omit<WorkerHit, 'distanceM'>> {
  const [r] = await t.database.db.select().from(workerSearch).where(eq(workerSearch.workerId, workerId));
  if (!r) throw new Error(`no row ${workerId}`);
  return {
    workerId: r.workerId,
    maskedName: r.maskedName,
    age: r.age,
    sex: r.sex,
    categories: r.categories,
    skillLevel: r.skillLevel,
    maternityStars: r.maternityStars,
    yearsExperience: r.yearsExperience,
    nativePlace: r.nativePlace,
    languages: r.languages,
    district: r.district,
    color: r.color as WorkerHit['color'],
    bookable: r.color === 'green',
    company: r.companyId ? { id: r.companyId, name: r.companyName ?? '', creditGrade: r.companyGrade } : null,
    priceFrom: r.priceFrom,
    minPriceFen: r.minPriceFen,
    ratingAvg: r.ratingAvg,
    ratingCount: r.ratingCount,
    workerCreditScore: r.workerCreditScore,
    intro: r.intro,
  };
}
const schemaKeys = Object.keys(workerHit.shape).sort();

test('searchRowAt reads the worker, the hit, the distance and the sort key by position', () => {
  expect(searchRowAt(['wk_1', '{"a":1}', 0.25, null])).toEqual({
    workerId: 'wk_1',
    hit: '{"a":1}',
    dist: 0.25,
    key: null,
  });
  expect(searchRowAt(['wk_1', '{}', null, 42])).toEqual({ workerId: 'wk_1', hit: '{}', dist: null, key: 42 });
  // The nearest-first statements end at the distance.
  expect(searchRowAt(['wk_1', '{}', 0.5]).key).toBeNull();
});

test('hitText puts the distance, to 10 m, first in the hit', () => {
  expect(JSON.parse(hitText('{"workerId":"wk_1","age":30}', null))).toEqual({
    distanceM: null,
    workerId: 'wk_1',
    age: 30,
  });
  // 0.01 units of latitude ≈ 1,112 m, shown as 1,110.
  const hit = JSON.parse(hitText('{"workerId":"wk_1"}', 0.01)) as { distanceM: number };
  expect(hit.distanceM % 10).toBe(0);
  expect(hit.distanceM).toBeGreaterThan(1100);
  expect(hit.distanceM).toBeLessThan(1120);
});

describe('every field of a hit is the row’s own, on every path', () => {
  const { lon, lat } = rows[0]!;
  const paths: [string, WorkerQuery][] = [
    ['the prepared nearest-first search', { category: 'cleaning', lon, lat, radiusM: 50_000, limit: 8 }],
    ['the nearest-first search built per request', { category: 'cleaning', lon, lat, sex: 'F', limit: 8 }],
    [
      'nearest first of every colour, no category',
      { lon, lat, colors: ['green', 'yellow', 'red'], limit: 8 },
    ],
    ['the credit order', { category: 'cleaning', limit: 8 }],
    ['a keyword in the rating order', { q: '保洁', sort: 'rating', limit: 8 }],
    ['a keyword in the price order, on its index', { q: '细心', sort: 'price', limit: 8 }],
  ];
  test.each(paths)('%s', async (_, q) => {
    const page = await svc().searchWorkerTexts(q);
    expect(page.items.length).toBeGreaterThan(3);
    for (const text of page.items) {
      const { distanceM, ...hit } = JSON.parse(text) as WorkerHit;
      // Exactly the schema's fields: nothing of the row beyond them is sent.
      expect(Object.keys({ distanceM, ...hit }).sort()).toEqual(schemaKeys);
      expect(hit).toEqual(await expectedHit(hit.workerId));
      if (q.lon !== undefined) expect(distanceM).toEqual(expect.any(Number));
      else expect(distanceM).toBeNull();
    }
    // The parsed form is the same page.
    const parsed = await svc().searchWorkers(q);
    expect(parsed.items).toEqual(page.items.map((x) => JSON.parse(x)));
    expect(parsed.nextCursor).toBe(page.nextCursor);
  });

  test('the page after the cursor continues each order without a gap or a repeat', async () => {
    for (const q of paths.map(([, q]) => q)) {
      const first = await svc().searchWorkers({ ...q, limit: 3 });
      const second = await svc().searchWorkers({ ...q, limit: 3, cursor: first.nextCursor ?? undefined });
      const both = await svc().searchWorkers({ ...q, limit: 6 });
      expect([...first.items, ...second.items].map((h) => h.workerId)).toEqual(
        both.items.map((h) => h.workerId),
      );
    }
  });

  test('the route sends the same hits, parsed by any JSON reader', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/search/workers?category=cleaning&lon=${lon}&lat=${lat}&limit=5`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json() as { items: WorkerHit[]; nextCursor: string | null };
    expect(body.items).toEqual(
      (await svc().searchWorkers({ category: 'cleaning', lon, lat, limit: 5 })).items,
    );
    expect(body.nextCursor).toEqual(expect.any(String));
    expect(body.items.some((h) => h.intro?.includes('"引号"与\\反斜杠\n换行'))).toBe(true);
  });
});

test('a set-based update of the row (applyCredit) is in the hit at once', async () => {
  const id = rows[2]!.workerId; // cleaning is every 6th from 1; 2 is infant_care, employed by org_test2
  const before = (await expectedHit(id)) as WorkerHit;
  const res = await svc().applyCredit({
    grades: [{ companyId: before.company!.id, grade: '4A' }],
    workers: [{ workerId: id, score: 777, ratingAvg: 4.3, ratingCount: 12 }],
  });
  expect(res.workerRows).toBeGreaterThan(0);
  const page = await svc().searchWorkers({ category: 'infant_care', limit: 100 });
  const hit = page.items.find((h) => h.workerId === id)!;
  expect(hit).toMatchObject({
    workerCreditScore: 777,
    ratingAvg: 4.3,
    ratingCount: 12,
    company: { id: before.company!.id, creditGrade: '4A' },
  });
  const { distanceM: _, ...rest } = hit;
  expect(rest).toEqual(await expectedHit(id));
});
