import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';

// "Available on given dates" and the profile calendar read the orders module's bookings (workerBusySql,
// busyPeriods) through the real booking flow.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

const HOUR = 3600_000;
const slot = (hours: number) => {
  const q = 15 * 60_000;
  return new Date(Math.ceil((t.clock.now.getTime() + hours * HOUR) / q) * q);
};

test('a booked worker drops out of searches for overlapping times only, and the calendar shows the booking', async () => {
  const regulator = await account(t, [{ role: 'regulator' }]);
  const co = await company(t, '档期测试家政');
  const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
  const item = await t.app.inject({
    method: 'POST',
    url: `/api/v1/orgs/${co.orgId}/service-items`,
    headers: { cookie: co.cookie },
    payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁' },
  });
  expect(item.statusCode).toBe(201);
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  const start = slot(26);
  const booked = await t.app.inject({
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
  expect(booked.statusCode, booked.body).toBe(201);
  const acc = await t.app.inject({
    method: 'POST',
    url: `/api/v1/orders/${booked.json().id}/accept`,
    headers: { cookie: co.cookie },
    payload: {},
  });
  expect(acc.statusCode, acc.body).toBe(200);
  await t.app.services.discovery.refreshWorker(w.workerId);

  const search = async (from: Date, to: Date) =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/search/workers?sort=credit&limit=100&availableFrom=${encodeURIComponent(from.toISOString())}&availableTo=${encodeURIComponent(to.toISOString())}`,
      })
    )
      .json()
      .items.map((h: { workerId: string }) => h.workerId);
  expect(await search(new Date(start.getTime() + HOUR), new Date(start.getTime() + 2 * HOUR))).not.toContain(
    w.workerId,
  );
  expect(await search(new Date(start.getTime() + 4 * HOUR), new Date(start.getTime() + 6 * HOUR))).toContain(
    w.workerId,
  );

  const profile = (await t.app.inject({ method: 'GET', url: `/api/v1/workers/${w.workerId}/public` })).json();
  expect(profile.availability.known).toBe(true);
  expect(profile.availability.busy).toEqual([
    { from: start.toISOString(), to: new Date(start.getTime() + 3 * HOUR).toISOString() },
  ]);
});
