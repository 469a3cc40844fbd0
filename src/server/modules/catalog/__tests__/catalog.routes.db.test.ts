import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, company } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { guidePrice, serviceItem } from '../catalog.tables.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

const item = (over: Record<string, unknown> = {}) => ({
  category: 'hourly',
  mode: 'hourly',
  priceFen: 5000,
  title: '钟点工（2小时起）',
  ...over,
});

async function post(cookie: string, orgId: string, payload: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/orgs/${orgId}/service-items`,
    headers: { cookie },
    payload,
  });
}
const countItems = async (orgId: string) =>
  (await t.database.db.select().from(serviceItem).where(eq(serviceItem.companyId, orgId))).length;

describe('company price lists', () => {
  test('a company publishes an item; the default unit follows the mode; an audit row is written', async () => {
    const co = await company(t, '价目测试家政A');
    const res = await post(co.cookie, co.orgId, item());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      unit: 'hour',
      priceFen: 5000,
      version: 1,
      current: true,
      active: true,
      guideFlag: null,
    });
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, body.id));
    expect(audits.map((a) => a.action)).toEqual(['catalog.item.create']);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${co.orgId}/service-items`,
      headers: { cookie: co.cookie },
    });
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([body.id]);
  });

  test('bad input: unknown category, negative/zero/fractional/absurd price, unit not fitting the mode — 422, nothing stored', async () => {
    const co = await company(t, '价目测试家政B');
    const cases: [Record<string, unknown>, string][] = [
      [item({ category: 'plumbing' }), 'CATALOG_CATEGORY_UNKNOWN'],
      [item({ priceFen: -100 }), 'CATALOG_PRICE_INVALID'],
      [item({ priceFen: 0 }), 'CATALOG_PRICE_INVALID'],
      [item({ priceFen: 50.5 }), 'CATALOG_PRICE_INVALID'],
      [item({ priceFen: 100_000_000 }), 'CATALOG_PRICE_INVALID'],
      [item({ priceFen: 5000, priceMaxFen: 4000 }), 'CATALOG_PRICE_INVALID'],
      [item({ mode: 'live_in', unit: 'hour' }), 'CATALOG_UNIT_MISMATCH'],
      [item({ category: 'cleaning', mode: 'maternity' }), 'CATALOG_MODE_MISMATCH'],
      [item({ mode: 'weekly' }), 'VALIDATION_FAILED'],
    ];
    for (const [payload, code] of cases) {
      const res = await post(co.cookie, co.orgId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().code).toBe(code);
      expect(res.json().message).toBeTruthy();
    }
    expect(await countItems(co.orgId)).toBe(0);
  });

  test('isolation: a company edits and lists only its own price list (404 for another, nothing stored)', async () => {
    const a = await company(t, '价目测试家政C');
    const b = await company(t, '价目测试家政D');
    const created = (await post(a.cookie, a.orgId, item())).json();
    const listB = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${a.orgId}/service-items`,
      headers: { cookie: b.cookie },
    });
    expect(listB.statusCode).toBe(404);
    const postB = await post(b.cookie, a.orgId, item());
    expect(postB.statusCode).toBe(404);
    const putB = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${a.orgId}/service-items/${created.id}`,
      headers: { cookie: b.cookie },
      payload: item({ priceFen: 1 }),
    });
    expect(putB.statusCode).toBe(404);
    // Through its own org path, b cannot reach a's item either.
    const putViaOwn = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${b.orgId}/service-items/${created.id}`,
      headers: { cookie: b.cookie },
      payload: item({ priceFen: 1 }),
    });
    expect(putViaOwn.statusCode).toBe(404);
    expect(await countItems(a.orgId)).toBe(1);
    expect(await countItems(b.orgId)).toBe(0);
    const denied = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, a.orgId));
    expect(denied.some((r) => r.outcome === 'denied')).toBe(true);
  });

  test('editing creates a new version; the quoted old version is kept and no longer quotable; stale edits are 409', async () => {
    const co = await company(t, '价目测试家政E');
    const v1 = (await post(co.cookie, co.orgId, item())).json();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${co.orgId}/service-items/${v1.id}`,
      headers: { cookie: co.cookie },
      payload: item({ priceFen: 5500 }),
    });
    expect(put.statusCode).toBe(200);
    const v2 = put.json();
    expect(v2).toMatchObject({ lineageId: v1.id, version: 2, priceFen: 5500, current: true });
    const { catalog } = t.app.services;
    expect(await catalog.priceForOrder(v1.id)).toBeNull();
    expect(await catalog.priceForOrder(v2.id)).toMatchObject({
      itemId: v2.id,
      priceFen: 5500,
      companyId: co.orgId,
    });
    expect(await catalog.itemVersion(v1.id)).toMatchObject({ priceFen: 5000, current: false });
    const stale = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${co.orgId}/service-items/${v1.id}`,
      headers: { cookie: co.cookie },
      payload: item({ priceFen: 6000 }),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CATALOG_ITEM_SUPERSEDED');
    const versions = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${co.orgId}/service-items/${v2.id}/versions`,
      headers: { cookie: co.cookie },
    });
    expect(versions.json().items.map((i: { version: number }) => i.version)).toEqual([2, 1]);
    // Withdrawn: not quotable, not public, still in the company's own list.
    const off = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${co.orgId}/service-items/${v2.id}`,
      headers: { cookie: co.cookie },
      payload: item({ priceFen: 5500, active: false }),
    });
    expect(off.json()).toMatchObject({ version: 3, active: false });
    expect(await catalog.priceForOrder(off.json().id)).toBeNull();
    const pub = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/companies/${co.orgId}/service-items`,
    });
    expect(pub.json().items).toEqual([]);
    expect(await catalog.priceForOrder('svi_doesnotexist')).toBeNull();
  });
});

describe('guide prices', () => {
  test('a regulator publishes guides; items outside are flagged (district guide beats city-wide), never hidden', async () => {
    const reg = await account(t, [{ role: 'regulator' }], '市监管');
    const city = await t.app.inject({
      method: 'POST',
      url: '/api/v1/regulator/guide-prices',
      headers: { cookie: reg.cookie },
      payload: { category: 'elder_care', unit: 'month', minFen: 500_000, maxFen: 800_000 },
    });
    expect(city.statusCode).toBe(201);
    const co = await company(t, '价目测试家政F'); // in 天河 440106
    const cheap = (
      await post(co.cookie, co.orgId, item({ category: 'elder_care', mode: 'live_in', priceFen: 300_000 }))
    ).json();
    const dear = (
      await post(co.cookie, co.orgId, item({ category: 'elder_care', mode: 'live_in', priceFen: 900_000 }))
    ).json();
    const fair = (
      await post(co.cookie, co.orgId, item({ category: 'elder_care', mode: 'live_in', priceFen: 600_000 }))
    ).json();
    expect([cheap.guideFlag, dear.guideFlag, fair.guideFlag]).toEqual(['below', 'above', null]);
    const pub = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/companies/${co.orgId}/service-items`,
    });
    expect(pub.json().items).toHaveLength(3);
    expect(await t.app.services.catalog.priceForOrder(dear.id)).toMatchObject({ guideFlag: 'above' });

    // A 天河 guide takes precedence over the city-wide one for 天河 companies.
    const district = await t.app.inject({
      method: 'POST',
      url: '/api/v1/regulator/guide-prices',
      headers: { cookie: reg.cookie },
      payload: {
        category: 'elder_care',
        district: '440106',
        unit: 'month',
        minFen: 200_000,
        maxFen: 1_000_000,
      },
    });
    expect(district.statusCode).toBe(201);
    const after = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/companies/${co.orgId}/service-items`,
    });
    expect(after.json().items.every((i: { guideFlag: unknown }) => i.guideFlag === null)).toBe(true);

    // Publishing again for the same key ends the earlier guide (history kept).
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/regulator/guide-prices',
      headers: { cookie: reg.cookie },
      payload: { category: 'elder_care', unit: 'month', minFen: 550_000, maxFen: 850_000 },
    });
    const inForce = (
      await t.app.inject({ method: 'GET', url: '/api/v1/public/guide-prices?category=elder_care' })
    ).json();
    expect(inForce.items.filter((g: { district: null | string }) => g.district === null)).toHaveLength(1);
    const history = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/regulator/guide-prices?category=elder_care',
        headers: { cookie: reg.cookie },
      })
    ).json();
    expect(history.items.filter((g: { district: null | string }) => g.district === null)).toHaveLength(2);

    const ended = await t.app.inject({
      method: 'POST',
      url: `/api/v1/regulator/guide-prices/${district.json().id}/end`,
      headers: { cookie: reg.cookie },
    });
    expect(ended.statusCode, ended.body).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/regulator/guide-prices/${district.json().id}/end`,
      headers: { cookie: reg.cookie },
    });
    expect(again.json().code).toBe('GUIDE_PERIOD_INVALID');
  });

  test('bad guides (unknown category, inverted or absurd range, past start) are 422 and nothing is stored', async () => {
    const reg = await account(t, [{ role: 'regulator' }], '市监管');
    const before = (await t.database.db.select().from(guidePrice)).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ category: 'plumbing', unit: 'hour', minFen: 100, maxFen: 200 }, 'CATALOG_CATEGORY_UNKNOWN'],
      [{ category: 'hourly', unit: 'hour', minFen: 6000, maxFen: 4000 }, 'CATALOG_PRICE_INVALID'],
      [{ category: 'hourly', unit: 'hour', minFen: -1, maxFen: 4000 }, 'CATALOG_PRICE_INVALID'],
      [{ category: 'hourly', unit: 'hour', minFen: 100, maxFen: 99_999_999 }, 'CATALOG_PRICE_INVALID'],
      [
        { category: 'hourly', unit: 'hour', minFen: 100, maxFen: 200, effectiveFrom: '2020-01-01' },
        'GUIDE_PERIOD_INVALID',
      ],
    ];
    for (const [payload, code] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/regulator/guide-prices',
        headers: { cookie: reg.cookie },
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json().code).toBe(code);
    }
    expect((await t.database.db.select().from(guidePrice)).length).toBe(before);
  });

  test('a district regulator publishes only for their district', async () => {
    const reg = await account(t, [{ role: 'regulator', district: '440105' }], '海珠监管');
    const city = await t.app.inject({
      method: 'POST',
      url: '/api/v1/regulator/guide-prices',
      headers: { cookie: reg.cookie },
      payload: { category: 'hourly', unit: 'hour', minFen: 4000, maxFen: 6000 },
    });
    expect(city.statusCode).toBe(403);
    expect(city.json().code).toBe('GUIDE_OUT_OF_DISTRICT');
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/v1/regulator/guide-prices',
      headers: { cookie: reg.cookie },
      payload: { category: 'hourly', district: '440105', unit: 'hour', minFen: 4000, maxFen: 6000 },
    });
    expect(own.statusCode).toBe(201);
  });
});
