import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { scaledPoint } from '../geo.js';
import { indexTokens, normalise } from '../tokens.js';
import { insertRows, projectionRow } from './rows.js';

// Phrases a worker's introduction is made of; each two-character word lands in a few percent of rows, as in a city.
const phrases = [
  '日常保洁',
  '育婴员',
  '养老护理',
  '钟点工',
  '粤菜烹饪',
  '整理收纳',
  '病患陪护',
  '催乳师',
  '产后修复',
  '家电清洗',
  '开荒保洁',
  '做事细心',
  '吃苦耐劳',
  '性格开朗',
  '会讲粤语',
  '照顾老人',
  '新生儿护理',
  '辅食制作',
  '早教启蒙',
  '住家保姆',
  '经验丰富',
  '手脚麻利',
  '干净卫生',
  '客家菜',
  '湘菜',
  '川菜',
  '面点',
  '煲汤',
  '擦玻璃',
  '熨烫衣物',
  '接送孩子',
];

let t: TestApp;
const N = 20_000;
beforeAll(async () => {
  t = await buildTestApp();
  const rows = Array.from({ length: N }, (_, i) => {
    // Deterministic spread over the city and over phrases.
    const lon = 113.15 + (((i * 7919) % 10_000) / 10_000) * 0.5;
    const lat = 22.95 + (((i * 104_729) % 10_000) / 10_000) * 0.5;
    // About 2% of workers are 月嫂, as in Guangzhou's certified pool.
    const intro = [
      i % 50 === 0 ? '持证月嫂' : i % 200 === 1 ? '医院护工' : phrases[i % phrases.length],
      phrases[(i * 7) % phrases.length],
      phrases[(i * 13 + 5) % phrases.length],
    ].join('，');
    const text = normalise(intro);
    return projectionRow(i, {
      lon,
      lat,
      location: scaledPoint(lon, lat),
      intro,
      searchText: text,
      searchTokens: indexTokens(text),
    });
  });
  await insertRows(t.database.db, rows);
  // What autovacuum does after a bulk load (and rebuildAll does itself): flush GIN's pending list, gather stats.
  await t.database.db.execute(sql`vacuum analyze worker_search`);
}, 240_000);
afterAll(async () => {
  await t?.close();
});

const plans: Record<string, string> = {};

describe('worker search uses the indexes at 20k rows', () => {
  test('a selective 2-character word (护工, 0.5% of rows) uses the GIN index on search_tokens', async () => {
    const plan = await t.app.services.discovery.explainWorkers({ q: '护工', sort: 'credit', limit: 20 });
    plans['q=护工&sort=credit'] = plan;
    expect(plan).toContain('worker_search_tokens_gin');
    expect(plan).not.toMatch(/Seq Scan on worker_search/);
  });

  test('a common word (月嫂, 2%) is answered by an index too: GIN, or the sort index walked until the page is full', async () => {
    for (const sort of ['credit', 'price', 'rating'] as const) {
      const plan = await t.app.services.discovery.explainWorkers({ q: '月嫂', sort, limit: 20 });
      plans[`q=月嫂&sort=${sort}`] = plan;
      expect(plan).toMatch(/worker_search_tokens_gin|worker_search_(credit|price|rating)_sort_idx/);
      if (sort === 'credit') expect(plan).toContain('worker_search_tokens_gin');
      expect(plan).not.toMatch(/Seq Scan on worker_search/);
    }
  });

  test('a word ANALYZE has no frequency for (做饭, in no row) is taken from the GIN index, never by walking a sort index', async () => {
    // PostgreSQL guesses such a word in hundreds of rows and would walk the sort index to fill the page: every row
    // of the table when the word is in none (4.4 s at 1M workers). The search takes the keywordIndex path for it.
    for (const sort of ['credit', 'price', 'rating'] as const) {
      const plan = await t.app.services.discovery.explainWorkers(
        { q: '做饭', sort, limit: 20 },
        { path: 'keywordIndex' },
      );
      plans[`q=做饭&sort=${sort} (keywordIndex)`] = plan;
      expect(plan, sort).toContain('worker_search_tokens_gin');
      expect(plan, sort).not.toMatch(/worker_search_(credit|price|rating)_sort_idx/);
      expect(plan, sort).not.toMatch(/Seq Scan on worker_search/);
    }
    const page = await t.app.services.discovery.searchWorkers({ q: '做饭', sort: 'credit', limit: 20 });
    expect(page.items).toEqual([]);
  });

  test('a longer phrase (新生儿护理) too', async () => {
    const plan = await t.app.services.discovery.explainWorkers({ q: '新生儿护理', sort: 'price', limit: 20 });
    plans['q=新生儿护理&sort=price'] = plan;
    expect(plan).toContain('worker_search_tokens_gin');
    expect(plan).not.toMatch(/Seq Scan on worker_search/);
  });

  test('radius around a point, nearest first, uses the GiST index on location', async () => {
    const plan = await t.app.services.discovery.explainWorkers({
      lon: 113.33,
      lat: 23.12,
      radiusM: 1500,
      sort: 'distance',
      limit: 20,
    });
    plans['lon,lat,radiusM=1500&sort=distance'] = plan;
    expect(plan).toContain('worker_search_location_gist');
    expect(plan).not.toMatch(/Seq Scan on worker_search/);
  });

  test('radius with a category and a keyword still avoids a sequential scan', async () => {
    const plan = await t.app.services.discovery.explainWorkers({
      lon: 113.33,
      lat: 23.12,
      radiusM: 3000,
      category: 'maternity',
      q: '月嫂',
      limit: 20,
    });
    plans['lon,lat,radiusM=3000&category=maternity&q=月嫂'] = plan;
    expect(plan).not.toMatch(/Seq Scan on worker_search/);
  });

  test('the API answers the same searches', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/search/workers?q=${encodeURIComponent('月嫂')}&lon=113.33&lat=23.12&radiusM=3000`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(0);
    for (const h of res.json().items) expect(h.distanceM).toBeLessThanOrEqual(3020);
    // Plans go to a file so docs/discovery.md can quote them (engine in the name).
    writeFileSync(
      join(tmpdir(), `anxin-discovery-plans-${t.database.kind}.txt`),
      Object.entries(plans)
        .map(([k, v]) => `-- ${k}\n${v}`)
        .join('\n\n'),
    );
  });
});
