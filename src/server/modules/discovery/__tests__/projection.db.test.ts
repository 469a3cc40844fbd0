import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, company, selfWorker } from '../../../../../test/factories/workers.js';
import { seedCertificates } from '../../certification/index.js';
import { seedDemoWorkers } from '../../workers/index.js';
import { createRandom } from '../../../seed/random.js';
import type { RequestContext } from '../../../platform/http/context.js';
import { orgSearch, workerSearch } from '../discovery.tables.js';

let t: TestApp;
let co: Awaited<ReturnType<typeof company>>;
let regCtx: RequestContext;
let workerIds: string[];
beforeAll(async () => {
  t = await buildTestApp();
  co = await company(t, '投影测试家政');
  const { orgs } = t.app.services;
  await t.database.db.execute(
    // The factory company has no map point; give it one in 天河 (the orgs module's own column).
    sql`update organization set lon = 113.361, lat = 23.125, credit_grade = '4A', service_categories = '{cleaning,maternity}' where id = ${co.orgId}`,
  );
  await orgs.createOrganization(t.database.db, {
    type: 'station',
    name: '石牌街基层服务站',
    district: '440106',
    lon: 113.345,
    lat: 23.132,
    address: '广州市天河区石牌街',
  });
  const reg = await account(t, [{ role: 'regulator' }], '林处长');
  regCtx = {
    actor: {
      userId: reg.userId,
      sessionId: 's',
      name: '林处长',
      phoneMasked: '',
      roles: ['regulator'],
      memberships: [],
      regulatorDistrict: null,
    },
    requestId: 'test',
    ip: null,
  };
  const out = await seedDemoWorkers({
    db: t.database.db,
    pii: t.app.pii,
    storage: t.app.storage,
    random: createRandom(11),
    companyIds: [co.orgId],
    count: 30,
    now: t.clock.now,
  });
  workerIds = out.workerIds;
  await seedCertificates(t.app.services.certification, t.app.services.workers, regCtx, t.clock.now);
  // A published price for the company's cleaning and maternity items.
  for (const payload of [
    { category: 'cleaning', mode: 'recurring', priceFen: 4500, title: '日常保洁' },
    {
      category: 'maternity',
      mode: 'maternity',
      priceFen: 1_500_000,
      priceMaxFen: 1_900_000,
      title: '4星月嫂',
    },
  ])
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${co.orgId}/service-items`,
      headers: { cookie: co.cookie },
      payload,
    });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('search projection', () => {
  test('rebuild projects exactly the certified active workers, with public fields only', async () => {
    const out = await t.app.services.discovery.rebuildAll({ batchSize: 7 });
    const rows = await t.database.db.select().from(workerSearch);
    expect(out.workers).toBe(rows.length);
    const { certification } = t.app.services;
    let certified = 0;
    for (const id of workerIds) {
      const st = await certification.workerStatus(id);
      const row = rows.find((r) => r.workerId === id);
      if (!st.certificate) {
        expect(row, id).toBeUndefined();
        continue;
      }
      certified++;
      expect(row, id).toBeDefined();
      expect(row!.color).toBe(st.status.color);
      expect(row!.maskedName).toMatch(/^\p{Script=Han}\*\*$/u);
      expect(row!.companyGrade).toBe('4A');
      if (row!.categories.includes('cleaning'))
        expect(row!.priceFrom.cleaning).toEqual({ fen: 4500, unit: 'hour' });
    }
    expect(certified).toBeGreaterThan(10);
    // Workers have no base yet: they sit at their district's centre.
    expect(rows.every((r) => r.lon > 113 && r.lon < 114.1 && r.lat > 22.5 && r.lat < 23.9)).toBe(true);
    const orgs = await t.database.db.select().from(orgSearch);
    expect(orgs.find((o) => o.orgId === co.orgId)).toMatchObject({
      type: 'company',
      creditGrade: '4A',
      staffCount: rows.length,
    });
    expect(orgs.some((o) => o.type === 'station' && o.name === '石牌街基层服务站')).toBe(true);
    // Running it again changes nothing.
    const again = await t.app.services.discovery.rebuildAll();
    expect(again.workers).toBe(out.workers);
  });

  test('public profile: no ID number, phone, birth date or full name; prices, availability, empty reviews', async () => {
    const [row] = await t.database.db
      .select()
      .from(workerSearch)
      .where(eq(workerSearch.color, 'green'))
      .limit(1);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/workers/${row!.workerId}/public` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ workerId: row!.workerId, bookable: true, reviews: { count: 0, items: [] } });
    expect(body.availability.known).toBe(true);
    for (const key of ['idNumber', 'phone', 'phoneMasked', 'birthDate', 'name', 'address'])
      expect(body).not.toHaveProperty(key);
    expect(body.items.every((i: { category: string }) => row!.categories.includes(i.category))).toBe(true);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/workers/wk_nope/public' });
    expect(missing.statusCode).toBe(404);
  });

  test('company page: grade, prices with flags, staff count, map point; unknown or inactive is 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/companies/${co.orgId}/public` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const staff = (
      await t.database.db.select().from(workerSearch).where(eq(workerSearch.companyId, co.orgId))
    ).length;
    expect(body).toMatchObject({
      creditGrade: '4A',
      staffCount: staff,
      location: { lon: 113.361, lat: 23.125 },
    });
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toHaveProperty('guideFlag');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/companies/org_nope/public' })).statusCode).toBe(
      404,
    );
  });

  test('companies and stations search: near a point, by grade and category', async () => {
    const near = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search/stations?lon=113.35&lat=23.13&radiusM=3000',
    });
    expect(near.statusCode).toBe(200);
    expect(near.json().items[0]).toMatchObject({ name: '石牌街基层服务站', type: 'station' });
    expect(near.json().items[0].distanceM).toBeLessThan(1000);
    const far = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search/stations?lon=113.587&lat=23.548&radiusM=2000',
    });
    expect(far.json().items).toEqual([]);
    const cos = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search/companies?companyGrades=4A&category=maternity',
    });
    expect(cos.json().items.map((c: { id: string }) => c.id)).toEqual([co.orgId]);
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/search/companies?companyGrades=5A' });
    expect(none.json().items).toEqual([]);
  });

  test('events keep the projection current: a revoked certificate turns the row red; a base location moves it', async () => {
    const { certification, discovery } = t.app.services;
    const [row] = await t.database.db
      .select()
      .from(workerSearch)
      .where(eq(workerSearch.color, 'green'))
      .limit(1);
    const st = await certification.workerStatus(row!.workerId);
    await certification.revoke(regCtx, st.certificate!.id, '测试：严重投诉属实');
    // Deliver the outbox events the revocation enqueued (the dispatcher is off in tests).
    while ((await t.app.platform.outbox.drainOnce()).claimed > 0);
    const [after] = await t.database.db
      .select()
      .from(workerSearch)
      .where(eq(workerSearch.workerId, row!.workerId));
    expect(after!.color).toBe('red');
    const search = await t.app.inject({ method: 'GET', url: '/api/v1/search/workers?sort=credit&limit=100' });
    expect(search.json().items.map((h: { workerId: string }) => h.workerId)).not.toContain(row!.workerId);

    const [other] = await t.database.db
      .select()
      .from(workerSearch)
      .where(eq(workerSearch.color, 'green'))
      .limit(1);
    await t.app.services.workers.setBaseLocations([
      { workerId: other!.workerId, lon: 113.40041, lat: 23.1508 },
    ]);
    await discovery.refreshWorker(other!.workerId);
    const [moved] = await t.database.db
      .select()
      .from(workerSearch)
      .where(eq(workerSearch.workerId, other!.workerId));
    expect({ lon: moved!.lon, lat: moved!.lat }).toEqual({ lon: 113.4, lat: 23.151 });
  });

  test('a worker sets an approximate base: stored rounded to ~100 m; half a point is refused and nothing stored', async () => {
    const w = await selfWorker(t);
    const half = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/workers/me',
      headers: { cookie: w.cookie },
      payload: { baseLon: 113.32149 },
    });
    expect(half.statusCode).toBe(422);
    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/workers/me',
      headers: { cookie: w.cookie },
      payload: { baseLon: 113.32149, baseLat: 23.10051 },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ baseLon: 113.321, baseLat: 23.101 });
    // Far outside China is not a service base.
    const far = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/workers/me',
      headers: { cookie: w.cookie },
      payload: { baseLon: 2.35, baseLat: 48.85 },
    });
    expect(far.statusCode).toBe(422);
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workers/me',
      headers: { cookie: w.cookie },
    });
    expect(mine.json()).toMatchObject({ baseLon: 113.321, baseLat: 23.101 });
  });
});
