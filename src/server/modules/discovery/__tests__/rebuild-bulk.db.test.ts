import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { seedDemoCityIfEmpty } from '../../../seed/demo.js';
import type { DiscoveryDeps } from '../discovery.service.js';
import { orderByLocation, rebuildAllBulk } from '../rebuild-bulk.js';

// The generator's rebuild (COPY into the emptied projection, indexes built after) leaves exactly the rows the
// service's own rebuild (page-sized upserts) leaves, on the demo city, and the projection's indexes as they were.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await seedDemoCityIfEmpty(t.app);
}, 300_000);
afterAll(async () => t?.close());

const rowsOf = async <T>(q: ReturnType<typeof sql>) =>
  ((await t.database.db.execute(q)) as unknown as { rows: T[] }).rows;

/** Both projections, every column but the rebuild's timestamp, in key order. */
async function projection() {
  const strip = (r: Record<string, unknown>): Record<string, unknown> => ({ ...r, updated_at: null });
  return {
    workers: (await rowsOf<Record<string, unknown>>(sql`select * from worker_search order by worker_id`)).map(
      strip,
    ),
    orgs: (await rowsOf<Record<string, unknown>>(sql`select * from org_search order by org_id`)).map(strip),
  };
}

const indexes = () =>
  rowsOf<{ indexname: string; indexdef: string }>(
    sql`select indexname, indexdef from pg_indexes where tablename in ('worker_search', 'org_search') order by 1`,
  );

const clustered = async () =>
  (
    await rowsOf<{ name: string }>(
      sql`select indexrelid::regclass::text as name from pg_index where indrelid = 'worker_search'::regclass and indisclustered`,
    )
  ).map((r) => r.name);

/** The mean distance between rows next to each other in the heap (scaled degrees). */
const step = async () =>
  Number(
    (
      await rowsOf<{ d: string }>(
        sql`select avg(d) as d from (select location <-> lag(location) over (order by ctid) as d from worker_search) x`,
      )
    )[0]!.d,
  );

function deps(over: Partial<DiscoveryDeps> = {}): DiscoveryDeps {
  const s = t.app.services;
  return {
    db: t.database.db,
    clock: () => t.clock.now,
    workers: s.workers,
    certification: s.certification,
    orgs: s.orgs,
    catalog: s.catalog,
    credit: s.credit,
    ...over,
  };
}

describe('rebuildAllBulk', () => {
  test('into an empty projection: the same rows as the service rebuild, indexes restored', async () => {
    // Both from an empty projection (the clock stands still here, so a sweep by time would keep stale rows).
    await t.database.db.execute(sql`truncate worker_search, org_search`);
    await t.app.services.discovery.rebuildAll({ batchSize: 13 });
    const reference = await projection();
    const before = await indexes();
    // The demo city covers every colour, employed and unemployed workers, prices, and credit scores.
    expect(reference.workers.length).toBeGreaterThan(50);
    expect(new Set(reference.workers.map((r) => r.color))).toEqual(new Set(['green', 'yellow', 'red']));
    expect(reference.workers.some((r) => r.worker_credit_score !== null)).toBe(true);
    expect(reference.workers.some((r) => r.min_price_fen !== null)).toBe(true);

    await t.database.db.execute(sql`truncate worker_search, org_search`);
    const out = await rebuildAllBulk(deps(), { batchSize: 17 });
    const bulk = await projection();
    expect(out).toEqual({ workers: reference.workers.length, orgs: reference.orgs.length });
    expect(bulk.workers.length).toBe(reference.workers.length);
    for (let i = 0; i < reference.workers.length; i++)
      expect(bulk.workers[i], String(reference.workers[i]!.worker_id)).toEqual(reference.workers[i]);
    expect(bulk.orgs).toEqual(reference.orgs);
    expect(await indexes()).toEqual(before);
    // The location index is the one a plain `CLUSTER worker_search` orders by (docs/operations.md), as migration
    // 0036 left it before the indexes were dropped and built again.
    expect(await clustered()).toEqual(['worker_search_location_gist']);

    // Over a filled projection it takes the service's upsert path: still the same rows.
    await rebuildAllBulk(deps(), { batchSize: 50 });
    expect(await projection()).toEqual(reference);
  }, 120_000);

  test('a rebuild that fails halfway still leaves the projection its indexes', async () => {
    const before = await indexes();
    await t.database.db.execute(sql`truncate worker_search, org_search`);
    let pages = 0;
    const workers: DiscoveryDeps['workers'] = {
      async searchSources(q) {
        if (!q.ids && ++pages > 2) throw new Error('source read failed');
        return t.app.services.workers.searchSources(q);
      },
    };
    await expect(rebuildAllBulk(deps({ workers }), { batchSize: 5, ahead: 1 })).rejects.toThrow(
      'source read failed',
    );
    expect(await indexes()).toEqual(before);
    expect(await clustered()).toEqual(['worker_search_location_gist']);
    // The next rebuild starts over cleanly.
    await t.database.db.execute(sql`truncate worker_search, org_search`);
    await rebuildAllBulk(deps());
    expect((await projection()).workers.length).toBeGreaterThan(50);
  }, 120_000);

  test('orderByLocation puts the rows in the order of the map, changing none of them', async () => {
    expect(await clustered()).toEqual(['worker_search_location_gist']);
    await t.database.db.execute(sql`truncate worker_search, org_search`);
    // More rows than one leaf of a GiST index holds (≈ 290 points), ids in an order that says nothing of place: 3,000
    // points spread over ≈ 0.5° (deterministic, from the id), inserted in id order.
    await t.database.db.execute(sql`
      insert into worker_search (worker_id, masked_name, categories, languages, lon, lat, location, color, credit_rank,
        price_from, skills, search_tokens, search_text)
      select 'w' || lpad(i::text, 5, '0'), '王*', '{cleaning}', '{}', 0, 0,
        point(104 + (abs(hashint4(i)) % 100000) / 200000.0, 23 + (abs(hashint4(i + 7919)) % 100000) / 200000.0),
        'green', 52, '{}', '{}', '{}', ''
      from generate_series(1, 3000) i`);
    const rows = () => rowsOf<Record<string, unknown>>(sql`select * from worker_search order by worker_id`);
    const before = await rows();
    const random = await step();
    expect(random).toBeGreaterThan(0.1);

    await orderByLocation(t.database.db);
    // Neighbours in the heap are now neighbours on the map: a mean step well under a tenth of the random one.
    expect(await step()).toBeLessThan(random / 10);
    expect(await rows()).toEqual(before);
    // The temporary index is gone, the mark on the location index stays.
    expect((await indexes()).map((i) => i.indexname)).not.toContain('worker_search_load_order');
    expect(await clustered()).toEqual(['worker_search_location_gist']);

    await t.database.db.execute(sql`truncate worker_search, org_search`);
    await rebuildAllBulk(deps());
    expect((await projection()).workers.length).toBeGreaterThan(50);
  }, 120_000);
});
