import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, company } from '../../../../../test/factories/workers.js';

// A booking's quote reads only the guide that applies to its item (issue 14): its flag must be the one the price
// list shows (which reads every guide in force): the district's guide before the city-wide one, the newest first.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('order quote guide flag', () => {
  test('priceForOrder flags an item as the public price list does, through district and republished guides', async () => {
    const reg = await account(t, [{ role: 'regulator' }], '市监管');
    const guide = async (payload: Record<string, unknown>) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/regulator/guide-prices',
        headers: { cookie: reg.cookie },
        payload: { category: 'maternity', unit: 'month', ...payload },
      });
      expect(r.statusCode, r.body).toBe(201);
    };
    const tianhe = await company(t, '报价测试家政天河'); // 440106
    const yuexiu = await company(t, '报价测试家政越秀', { district: '440104' });
    const items: { id: string; orgId: string }[] = [];
    for (const co of [tianhe, yuexiu])
      for (const priceFen of [300_000, 600_000, 900_000]) {
        const r = await t.app.inject({
          method: 'POST',
          url: `/api/v1/orgs/${co.orgId}/service-items`,
          headers: { cookie: co.cookie },
          payload: { category: 'maternity', mode: 'live_in', priceFen, title: `月嫂 ${priceFen / 100} 元` },
        });
        expect(r.statusCode, r.body).toBe(201);
        items.push({ id: r.json().id, orgId: co.orgId });
      }
    const check = async (expected: (string | null)[]) => {
      const listed = new Map<string, unknown>();
      for (const orgId of [tianhe.orgId, yuexiu.orgId]) {
        const r = await t.app.inject({
          method: 'GET',
          url: `/api/v1/public/companies/${orgId}/service-items`,
        });
        for (const i of r.json().items as { id: string; guideFlag: unknown }[]) listed.set(i.id, i.guideFlag);
      }
      const quoted = [];
      for (const i of items) quoted.push((await t.app.services.catalog.priceForOrder(i.id))?.guideFlag);
      expect(quoted).toEqual(items.map((i) => listed.get(i.id)));
      expect(quoted).toEqual(expected);
    };
    await check([null, null, null, null, null, null]);
    await guide({ minFen: 500_000, maxFen: 800_000 }); // city-wide
    await check(['below', null, 'above', 'below', null, 'above']);
    await guide({ district: '440106', minFen: 200_000, maxFen: 700_000 }); // 天河 only
    await check([null, null, 'above', 'below', null, 'above']);
    await guide({ minFen: 100_000, maxFen: 500_000 }); // city-wide again: the newest in force counts
    await check([null, null, 'above', null, 'above', 'above']);
  });
});
