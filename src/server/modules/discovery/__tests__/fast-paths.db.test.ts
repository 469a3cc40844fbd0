import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { districtByCode } from '../../../../shared/districts.js';
import type { WorkerQuery } from '../discovery.service.js';
import { metresToUnits, scaledPoint } from '../geo.js';
import { indexTokens, normalise } from '../tokens.js';
import { insertRows, projectionRow } from './rows.js';

// The nearest-first walk and the keyword's ordered walk must answer exactly what the plain (key, id)-ordered
// query answers, page by page; the data is made so that pages end inside groups of equal distances (many
// workers on one ~100 m grid point, as rounded bases are) and so that a word is frequent, middling or rare.
let t: TestApp;
const N = 900;
const centre = { lon: 113.33, lat: 23.12 };
const rows = Array.from({ length: N }, (_, i) => i).map((i) => {
  // 30 grid points hold 20 workers each (ties); the other 300 workers have a point of their own.
  const shared = i < 600;
  const k = shared ? i % 30 : i;
  const lon = centre.lon + (((k * 7919) % 200) - 100) / 2000;
  const lat = centre.lat + (((k * 104_729) % 200) - 100) / 2000;
  const intro = [
    i % 2 === 0 ? '常见词语' : '其他介绍',
    i % 25 === 0 ? '中等频率' : '',
    i === 17 || i === 401 ? '罕见技能' : '',
  ].join('，');
  const text = normalise(intro);
  return projectionRow(i, {
    workerId: `wk_fast${String((i * 7_777) % 100_000).padStart(5, '0')}_${i}`,
    lon,
    lat,
    location: scaledPoint(lon, lat),
    ratingAvg: i % 9 === 0 ? null : (i % 5) + 0.5,
    intro,
    searchText: text,
    searchTokens: indexTokens(text),
  });
});

beforeAll(async () => {
  t = await buildTestApp();
  await insertRows(t.database.db, rows);
  await t.database.db.execute(sql`analyze worker_search`);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const svc = () => t.app.services.discovery;

/** Every page of a search, following the cursors. */
async function pages(q: Omit<WorkerQuery, 'cursor'>): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const page = await svc().searchWorkers({ ...q, cursor });
    out.push(...page.items.map((h) => h.workerId));
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

async function idsOf(query: ReturnType<typeof sql>): Promise<string[]> {
  const res = (await t.database.db.execute(query)) as unknown as { rows: { worker_id: string }[] };
  return res.rows.map((r) => r.worker_id);
}

describe('nearest first: a KNN walk of the GiST index, same pages as the (distance, id) order', () => {
  test('radius searches, pages ending inside groups of equal distances', async () => {
    const p = scaledPoint(centre.lon, centre.lat);
    for (const [radiusM, category, limit] of [
      [1500, undefined, 3],
      [3000, undefined, 7],
      [3000, 'cleaning', 4],
      [2000, 'maternity', 20],
      [6000, undefined, 20],
    ] as const) {
      const want = await idsOf(sql`
        select worker_id from worker_search
        where location <@ circle(point(${p.x}::float8, ${p.y}::float8), ${metresToUnits(radiusM)}::float8)
          and color = 'green' ${category ? sql`and categories @> array[${category}]::text[]` : sql``}
        order by location <-> point(${p.x}::float8, ${p.y}::float8), worker_id`);
      expect(want.length, `${radiusM} ${category}`).toBeGreaterThan(0);
      const got = await pages({ ...centre, radiusM, category, limit, sort: 'distance' });
      expect(got, `${radiusM} ${category} ${limit}`).toEqual(want);
    }
  });

  test('without a radius (a district centre), and with a keyword inside a radius', async () => {
    const d = districtByCode.get('440106')!;
    const p = scaledPoint(d.lon, d.lat);
    const want = await idsOf(sql`
      select worker_id from worker_search where color = 'green' and district = '440106'
      order by location <-> point(${p.x}::float8, ${p.y}::float8), worker_id`);
    expect(await pages({ district: '440106', sort: 'distance', limit: 9 })).toEqual(want);

    const c = scaledPoint(centre.lon, centre.lat);
    const near = await idsOf(sql`
      select worker_id from worker_search
      where location <@ circle(point(${c.x}::float8, ${c.y}::float8), ${metresToUnits(2500)}::float8)
        and color = 'green' and position('中等' in search_text) > 0
      order by location <-> point(${c.x}::float8, ${c.y}::float8), worker_id`);
    expect(near.length).toBeGreaterThan(0);
    expect(await pages({ ...centre, radiusM: 2500, q: '中等', limit: 2 })).toEqual(near);
  });

  test('a category of green workers with other filters, on its partial index: same pages as the plain query', async () => {
    const p = scaledPoint(centre.lon, centre.lat);
    // Filters that keep most, some or none of the category's rows near the centre; radii the matches fill or
    // not (the walk then runs past the radius); colours that leave the partial index (green and yellow).
    const cases: [Omit<WorkerQuery, 'cursor' | 'limit'>, ReturnType<typeof sql>][] = [
      [{ radiusM: 3000, category: 'cleaning' }, sql`categories @> '{cleaning}' and color = 'green'`],
      [
        { radiusM: 4000, category: 'maternity', sex: 'F', ageMin: 30 },
        sql`categories @> '{maternity}' and color = 'green' and sex = 'F' and age >= 30`,
      ],
      [
        { radiusM: 6000, category: 'elder_care', district: '440104', minLevel: 'level4' },
        sql`categories @> '{elder_care}' and color = 'green' and district = '440104'
          and skill_level in ('level4', 'level3', 'level2')`,
      ],
      [
        { radiusM: 3000, category: 'cooking', colors: ['green', 'yellow'] },
        sql`categories @> '{cooking}' and color in ('green', 'yellow')`,
      ],
      [
        { radiusM: 2000, category: 'infant_care', nativePlace: '梅州' },
        sql`categories @> '{infant_care}' and color = 'green' and position('梅州' in native_place) > 0`,
      ],
      [
        { radiusM: 2500, category: 'hourly', ageMin: 80 },
        sql`categories @> '{hourly}' and color = 'green' and age >= 80`,
      ],
    ];
    for (const [q, filter] of cases) {
      const want = await idsOf(sql`
        select worker_id from worker_search
        where location <@ circle(point(${p.x}::float8, ${p.y}::float8), ${metresToUnits(q.radiusM!)}::float8)
          and ${filter}
        order by location <-> point(${p.x}::float8, ${p.y}::float8), worker_id`);
      // Every case finds workers but the last, where none passes (the walk then reads a page past the radius).
      expect(want.length > 0, JSON.stringify(q)).toBe(q.ageMin !== 80);
      for (const limit of [3, 20])
        expect(await pages({ ...centre, ...q, limit, sort: 'distance' }), JSON.stringify(q)).toEqual(want);
    }
    // Without a radius (a district centre) the category's walk stops at the page too.
    const d = districtByCode.get('440106')!;
    const dp = scaledPoint(d.lon, d.lat);
    const want = await idsOf(sql`
      select worker_id from worker_search where color = 'green' and categories @> '{cleaning}' and district = '440106'
      order by location <-> point(${dp.x}::float8, ${dp.y}::float8), worker_id`);
    expect(await pages({ district: '440106', category: 'cleaning', sort: 'distance', limit: 4 })).toEqual(
      want,
    );
  });

  test("the plan walks a GiST index in distance order: the category's own for green workers", async () => {
    const green = await svc().explainWorkers({ ...centre, radiusM: 3000, category: 'cleaning', limit: 20 });
    expect(green).toMatch(
      /Index Scan using worker_search_green_cleaning_gist[\s\S]*Order By: \(location <->/,
    );
    expect(green).not.toMatch(/Bitmap Heap Scan on worker_search/);
    const filtered = await svc().explainWorkers({
      ...centre,
      radiusM: 3000,
      category: 'maternity',
      sex: 'F',
      limit: 20,
    });
    expect(filtered).toMatch(
      /Index Scan using worker_search_green_maternity_gist[\s\S]*Order By: \(location <->/,
    );
    const others: WorkerQuery[] = [
      { ...centre, radiusM: 3000, limit: 20 },
      { ...centre, radiusM: 3000, category: 'cleaning', colors: ['green', 'yellow'], limit: 20 },
    ];
    for (const q of others) {
      const plan = await svc().explainWorkers(q);
      expect(plan).toMatch(/Index Scan using worker_search_location_gist[\s\S]*Order By: \(location <->/);
      expect(plan).not.toMatch(/Bitmap Heap Scan on worker_search/);
    }
  });
});

describe("keyword search in a sort's order: the ordered walk answers as the GIN index does", () => {
  const orderOf = {
    credit: sql`credit_rank desc nulls last, worker_id`,
    price: sql`coalesce(min_price_fen, 2147483647), worker_id`,
    rating: sql`coalesce(rating_avg, -1) desc nulls last, worker_id`,
  } as const;

  test('frequent (half the rows), middling (4%) and rare (2 rows) words, every sort, page by page', async () => {
    for (const word of ['常见', '中等频率', '罕见技能']) {
      for (const sort of ['credit', 'price', 'rating'] as const) {
        const want = await idsOf(sql`
          select worker_id from worker_search where color = 'green' and position(${word} in search_text) > 0
          order by ${orderOf[sort]}`);
        expect(want.length, word).toBeGreaterThan(0);
        for (const limit of [5, 20])
          expect(await pages({ q: word, sort, limit }), `${word} ${sort} ${limit}`).toEqual(want);
      }
    }
  });

  test('a word in no row answers an empty page in every sort (its plan: explain.db.test.ts)', async () => {
    for (const sort of ['credit', 'price', 'rating'] as const)
      expect(await pages({ q: '做饭', sort, limit: 20 }), sort).toEqual([]);
  });

  test('the ordered walk keeps the walked order (the GIN plan of a rare word: explain.db.test.ts)', async () => {
    const walk = await svc().explainWorkers(
      { q: '常见', sort: 'credit', limit: 20 },
      { path: 'orderedWalk' },
    );
    // The outer query keeps the walked rows' order: nothing is sorted above the walk's own Limit.
    expect(walk.split('Subquery Scan on worker_search')[0]).not.toMatch(/Sort/);
  });
});
