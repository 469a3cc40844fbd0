import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { statementsOf } from '../../../../../test/support/statements.js';

// Issue 14 (docs/security.md known gap 11): a booking reads its price item, company and guide in one statement and
// renders its answer from what it wrote, without reading the new order's lists back; the answer is the order as GET
// shows it.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const HOUR = 3600_000;
const slot = (hours: number) => {
  const q = 15 * 60_000;
  return new Date(Math.ceil((t.clock.now.getTime() + hours * HOUR) / q) * q).toISOString();
};
const orgReads = (statements: string[]) =>
  statements.filter((s) => /^\s*select\b/i.test(s) && /\bfrom "organization"/.test(s)).length;
const listReads = (statements: string[]) => statements.filter((s) => /from order_event e\b/.test(s)).length;

describe('booking statements', () => {
  test.each([
    ['without a worker', false],
    ['naming a green worker', true],
  ])('a booking %s reads its company once, not its lists, and answers what GET shows', async (_, named) => {
    const co = await company(t, '预约语句家政');
    const worker = named
      ? (await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co })).w
      : null;
    const item = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${co.orgId}/service-items`,
      headers: { cookie: co.cookie },
      payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（2小时起）' },
    });
    expect(item.statusCode, item.body).toBe(201);
    const resident = await account(t, [{ role: 'resident' }], '陈女士');
    const booked = await statementsOf(t.database, () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { cookie: resident.cookie, 'idempotency-key': randomUUID() },
        payload: {
          priceItemId: item.json().id,
          workerId: worker?.workerId ?? null,
          schedule: { mode: 'hourly', startAt: slot(48), hours: 2 },
          address: '广州市天河区林和西路100号3栋1201',
          district: '440106',
          note: '请带鞋套',
        },
      }),
    );
    expect(booked.result.statusCode, booked.result.body).toBe(201);
    expect(orgReads(booked.statements)).toBe(1);
    // The quote (item, company, guide) is one statement: the one that reads the item also reads the other two.
    const quoteReads = booked.statements.filter((s) =>
      /\bfrom "(service_item|guide_price|organization)"/.test(s),
    );
    expect(quoteReads).toHaveLength(1);
    expect(quoteReads[0]).toMatch(/from "service_item"/);
    expect(quoteReads[0]).toMatch(/"guide_price"/);
    expect(quoteReads[0]).toMatch(/"organization"/);
    expect(listReads(booked.statements)).toBe(0);
    const created = booked.result.json();
    expect(created.history).toHaveLength(1);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orders/${created.id}`,
      headers: { cookie: resident.cookie },
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(created).toEqual(read.json());
  });

  test('a company suspended after listing its item gets no booking, and nothing is stored', async () => {
    const co = await company(t, '预约语句家政二');
    const item = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${co.orgId}/service-items`,
      headers: { cookie: co.cookie },
      payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（2小时起）' },
    });
    expect(item.statusCode, item.body).toBe(201);
    await t.database.raw.query(`update organization set status = 'suspended' where id = $1`, [co.orgId]);
    const resident = await account(t, [{ role: 'resident' }], '陈女士');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { cookie: resident.cookie, 'idempotency-key': randomUUID() },
      payload: {
        priceItemId: item.json().id,
        schedule: { mode: 'hourly', startAt: slot(48), hours: 2 },
        address: '广州市天河区林和西路100号3栋1201',
        district: '440106',
      },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().code).toBe('ORDER_PRICE_ITEM_INVALID');
    const rows = await t.database.raw.query<{ n: number }>(
      'select count(*)::int as n from service_order where company_id = $1',
      [co.orgId],
    );
    expect(rows[0]!.n).toBe(0);
  });
});
