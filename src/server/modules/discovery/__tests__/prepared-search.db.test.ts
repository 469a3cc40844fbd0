import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { type Database, openDatabase } from '../../../platform/db/client.js';
import { createDiscoveryService, type DiscoveryService, type WorkerQuery } from '../discovery.service.js';
import { workerSearch } from '../discovery.tables.js';
import { scaledPoint } from '../geo.js';
import { insertRows, projectionRow } from './rows.js';

// The common search (one category's green workers near a point, maybe free in a period) runs as a prepared
// statement built once per shape; it must answer exactly what the statement built per request answers, hit by hit
// and cursor by cursor, in every shape it covers, on both engines.
let t: TestApp;
let perRequest: DiscoveryService;
const centre = { lon: 113.33, lat: 23.12 };
// 3,000 rows: with 700 the planner's generic plan for a later page (the cursor's filter) chose a bitmap scan of the
// whole category and a sort over a walk of 29 rows; at a city's size it walks (checked at gz, docs/performance.md).
const rows = Array.from({ length: 3000 }, (_, i) => {
  // Half the workers share 25 grid points (ties in distance, so pages end inside groups of equal distances).
  const k = i < 350 ? i % 25 : i;
  const lon = centre.lon + (((k * 7919) % 200) - 100) / 2000;
  const lat = centre.lat + (((k * 104_729) % 200) - 100) / 2000;
  return projectionRow(i, {
    workerId: `wk_prep${String((i * 7_777) % 100_000).padStart(5, '0')}_${i}`,
    lon,
    lat,
    location: scaledPoint(lon, lat),
    priceFrom: i % 4 ? { cleaning: { fen: 4000 + i, unit: 'hour' } } : {},
    ratingAvg: i % 9 === 0 ? null : (i % 5) + 0.5,
    ratingCount: i % 9,
    workerCreditScore: i % 3 ? 60 + (i % 40) : null,
  });
});

beforeAll(async () => {
  t = await buildTestApp();
  await insertRows(t.database.db, rows);
  await t.database.db.execute(sql`analyze worker_search`);
  perRequest = discoveryOn(t.database.db, false);
}, 120_000);

/** A discovery service of the app's modules on `db`, with or without the prepared common search. */
function discoveryOn(db: Database['db'], preparedSearch: boolean): DiscoveryService {
  const s = t.app.services;
  return createDiscoveryService({
    db,
    clock: () => t.clock.now,
    workers: s.workers,
    certification: s.certification,
    orgs: s.orgs,
    catalog: s.catalog,
    availability: s.orders,
    preparedSearch,
  });
}
afterAll(async () => {
  await t?.close();
});

type Page = Awaited<ReturnType<DiscoveryService['searchWorkers']>>;
/** Every page of a search through one service, following its cursors (the whole hits, not only their ids). */
async function pages(svc: DiscoveryService, q: Omit<WorkerQuery, 'cursor'>): Promise<Page[]> {
  const out: Page[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 300; guard++) {
    const page = await svc.searchWorkers({ ...q, cursor });
    out.push(page);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

describe('the prepared common search answers as the per-request statement', () => {
  test('radius or none, a period or none, first and later pages, every category', async () => {
    const from = new Date(t.clock.now.getTime() + 86_400_000);
    const to = new Date(from.getTime() + 2 * 3600_000);
    const cases: Omit<WorkerQuery, 'cursor'>[] = [
      { ...centre, radiusM: 3000, category: 'cleaning', limit: 4, sort: 'distance' },
      { ...centre, radiusM: 5000, category: 'maternity', limit: 20, sort: 'distance' },
      { ...centre, radiusM: 2000, category: 'elder_care', limit: 3, availableFrom: from, availableTo: to },
      { ...centre, category: 'hourly', limit: 25, sort: 'distance' },
      { ...centre, category: 'infant_care', limit: 7, availableFrom: from, availableTo: to },
      { ...centre, radiusM: 3000, category: 'cooking', colors: ['green'], limit: 5 },
      // Nothing that far out: an empty page.
      { lon: 100, lat: 30, radiusM: 1000, category: 'cleaning', limit: 20 },
      // The credit filters: a worker score (a third of the rows unscored), company grades, both, with a period.
      { ...centre, radiusM: 3000, category: 'cleaning', limit: 6, minWorkerCredit: 80 },
      {
        ...centre,
        category: 'maternity',
        limit: 9,
        minWorkerCredit: 70,
        availableFrom: from,
        availableTo: to,
      },
      { ...centre, radiusM: 4000, category: 'elder_care', limit: 5, companyGrades: ['5A'] },
      {
        ...centre,
        radiusM: 5000,
        category: 'hourly',
        limit: 8,
        companyGrades: ['3A', '5A'],
        minWorkerCredit: 65,
        availableFrom: from,
        availableTo: to,
      },
      // A score nobody has: the walk reads the circle and answers an empty page.
      { ...centre, radiusM: 2000, category: 'cooking', limit: 20, minWorkerCredit: 101 },
    ];
    let hits = 0;
    for (const q of cases) {
      const want = await pages(perRequest, q);
      const got = await pages(t.app.services.discovery, q);
      expect(got, JSON.stringify(q)).toEqual(want);
      hits += want.reduce((n, p) => n + p.items.length, 0);
    }
    expect(hits).toBeGreaterThan(200);
    // Each shape above ran as a prepared statement (its plan is the prepared one), the credit filters' too.
    for (const q of cases) {
      const plan = await t.app.services.discovery.explainWorkers(q, { path: 'prepared' });
      expect(plan, JSON.stringify(q)).toMatch(/Index Scan using worker_search_green_\w+_gist/);
    }
    // Asked twice, the statement built once answers the same again.
    expect(await pages(t.app.services.discovery, cases[0]!)).toEqual(await pages(perRequest, cases[0]!));
  });

  test("its generic plan (what a connection keeps) still walks the category's partial GiST index", async () => {
    const from = new Date(t.clock.now.getTime() + 86_400_000);
    const to = new Date(from.getTime() + 2 * 3600_000);
    for (const q of [
      { ...centre, radiusM: 3000, category: 'cleaning', limit: 20 },
      { ...centre, radiusM: 3000, category: 'maternity', limit: 20, availableFrom: from, availableTo: to },
      { ...centre, category: 'hourly', limit: 20, cursor: 'x' },
    ] as WorkerQuery[]) {
      const query = {
        ...q,
        cursor: q.cursor
          ? ((await t.app.services.discovery.searchWorkers({ ...q, cursor: undefined, limit: 3 }))
              .nextCursor ?? undefined)
          : undefined,
      };
      const plan = await t.app.services.discovery.explainWorkers(query, { path: 'prepared' });
      expect(plan, JSON.stringify(q)).toMatch(
        new RegExp(
          `Index Scan using worker_search_green_${q.category}_gist[\\s\\S]*Order By: \\(location <->`,
        ),
      );
      expect(plan).not.toMatch(/Bitmap Heap Scan on worker_search|Seq Scan on worker_search/);
      // The availability probe reads the bookings' own index (worker, end, start; active ones only).
      if (q.availableFrom)
        expect(plan).toMatch(/Index Only Scan using worker_booking_free_idx on worker_booking/);
    }
  });

  test.skipIf(!process.env.TEST_DATABASE_URL)(
    'PostgreSQL: a connection moves to the generic plan after its first executions (it planned every one before)',
    async () => {
      // One connection, so pg_prepared_statements shows that connection's plan counts.
      const one = await openDatabase({ databaseUrl: t.database.url!, poolSize: 1 });
      try {
        const svc = discoveryOn(one.db, true);
        const from = new Date(t.clock.now.getTime() + 86_400_000);
        const to = new Date(from.getTime() + 2 * 3600_000);
        for (let i = 0; i < 10; i++)
          await svc.searchWorkers({
            lon: centre.lon + i / 1000,
            lat: centre.lat,
            radiusM: 3000,
            category: 'cleaning',
            limit: 20,
            availableFrom: from,
            availableTo: to,
          });
        const plans = (
          (await one.db.execute(
            sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
                 where name like 'discovery_nearest_cleaning%'`,
          )) as unknown as { rows: { generic: number; custom: number }[] }
        ).rows;
        expect(plans).toEqual([{ generic: 5, custom: 5 }]);
      } finally {
        await one.close();
      }
    },
  );

  test('bad input is refused the same way (unknown category, a radius without a point, a reversed period)', async () => {
    const from = new Date(t.clock.now.getTime() + 86_400_000);
    const bad: WorkerQuery[] = [
      { ...centre, radiusM: 3000, category: 'nope', limit: 20 },
      { district: '440106', radiusM: 3000, category: 'cleaning', limit: 20, sort: 'distance' },
      { ...centre, category: 'cleaning', limit: 20, availableFrom: from, availableTo: from },
      { ...centre, category: 'cleaning', limit: 20, cursor: 'not-a-cursor' },
    ];
    for (const q of bad) {
      const want = await perRequest.searchWorkers(q).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
      const got = await t.app.services.discovery.searchWorkers(q).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
      expect(want, JSON.stringify(q)).not.toBe('ok');
      expect(got, JSON.stringify(q)).toBe(want);
    }
  });

  test('a booked worker drops out of the prepared search for overlapping times only (real booking flow)', async () => {
    const regulator = await account(t, [{ role: 'regulator' }]);
    const co = await company(t, '预编译检索家政');
    const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const item = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${co.orgId}/service-items`,
      headers: { cookie: co.cookie },
      payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁' },
    });
    expect(item.statusCode, item.body).toBe(201);
    const resident = await account(t, [{ role: 'resident' }], '周女士');
    const q15 = 15 * 60_000;
    const start = new Date(Math.ceil((t.clock.now.getTime() + 26 * 3600_000) / q15) * q15);
    const order = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { cookie: resident.cookie },
      payload: {
        priceItemId: item.json().id,
        workerId: w.workerId,
        schedule: { mode: 'hourly', startAt: start.toISOString(), hours: 3 },
        address: '广州市天河区林和西路100号3栋1201',
        district: '440106',
      },
    });
    expect(order.statusCode, order.body).toBe(201);
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.json().id}/accept`,
      headers: { cookie: co.cookie },
      payload: {},
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    await t.app.services.discovery.refreshWorker(w.workerId);
    const [at] = await t.database.db
      .select({ lon: workerSearch.lon, lat: workerSearch.lat, categories: workerSearch.categories })
      .from(workerSearch)
      .where(eq(workerSearch.workerId, w.workerId));
    expect(at?.categories).toContain('cleaning');
    const HOUR = 3600_000;
    const found = async (svc: DiscoveryService, fromH: number, toH: number) =>
      (
        await svc.searchWorkers({
          lon: at!.lon,
          lat: at!.lat,
          radiusM: 500,
          category: 'cleaning',
          limit: 100,
          availableFrom: new Date(start.getTime() + fromH * HOUR),
          availableTo: new Date(start.getTime() + toH * HOUR),
        })
      ).items.map((h) => h.workerId);
    for (const svc of [t.app.services.discovery, perRequest]) {
      expect(await found(svc, 1, 2)).not.toContain(w.workerId);
      expect(await found(svc, 4, 6)).toContain(w.workerId);
    }
  });
});
