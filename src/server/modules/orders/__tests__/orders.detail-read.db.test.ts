import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company, day } from '../../../../../test/factories/workers.js';
import { statementsOf } from '../../../../../test/support/statements.js';

// Issue 14 (load on PGlite): GET /orders/:id reads the order, its station, lists, worker and company names in one
// statement, and the order lists read names with their rows. The answer must be the one the multi-statement path
// gives — each lifecycle step still answers through it — on rich orders: a contract, two assignments, a month of
// held days, a timeline, follow-ups with notes; for the company, the resident and the assigned worker.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const HOUR = 3600_000;
const inject = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const slot = (hours: number) => {
  const q = 15 * 60_000;
  return new Date(Math.ceil((t.clock.now.getTime() + hours * HOUR) / q) * q).toISOString();
};
async function priceItem(co: { orgId: string; cookie: string }, over: Record<string, unknown>) {
  const res = await inject('POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
    category: 'cleaning',
    ...over,
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

/** A GET of the order right after a step: the same answer, through the one-statement read. */
async function expectSameAsStep(
  step: { statusCode: number; json(): Record<string, unknown> },
  cookie: string,
) {
  expect(step.statusCode).toBe(200);
  const body = step.json();
  const read = await statementsOf(t.database, () => inject('GET', `/api/v1/orders/${body.id}`, cookie));
  expect(read.result.statusCode).toBe(200);
  expect(read.result.json()).toEqual(body);
  return read;
}

describe('the order detail in one statement', () => {
  test('live-in with a contract and a replaced worker: the company sees what the step answered', async () => {
    const co = await company(t, '单语句详情家政');
    const first = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const second = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const item = await priceItem(co, { mode: 'live_in', priceFen: 700_000, title: '住家保姆（月）' });
    const resident = await account(t, [{ role: 'resident' }], '欧阳女士');
    if (new Date(t.clock.now.getTime() + 8 * HOUR).getUTCHours() >= 22) t.clock.advance(3 * HOUR);
    const booked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { cookie: resident.cookie },
      payload: {
        priceItemId: item,
        workerId: first.w.workerId,
        schedule: { mode: 'live_in', startDate: day(t, 1), months: 1 },
        address: '广州市天河区体育西路1号2栋301',
        district: '440106',
        note: '老人行动不便',
      },
    });
    expect(booked.statusCode).toBe(201);
    const id = booked.json().id as string;
    await expectSameAsStep(await inject('POST', `/api/v1/orders/${id}/accept`, co.cookie, {}), co.cookie);
    t.clock.advance(23 * HOUR);
    await expectSameAsStep(
      await inject('POST', `/api/v1/orders/${id}/contract`, co.cookie, {
        contractRef: '纸质合同 HT-2026-088',
      }),
      co.cookie,
    );
    await expectSameAsStep(await inject('POST', `/api/v1/orders/${id}/start`, co.cookie, {}), co.cookie);
    t.clock.advance(5 * 24 * HOUR);
    const replaced = await inject('POST', `/api/v1/orders/${id}/replace-worker`, co.cookie, {
      workerId: second.w.workerId,
      reason: '原阿姨家中有事',
    });
    const read = await expectSameAsStep(replaced, co.cookie);
    const body = replaced.json();
    expect(body).toMatchObject({
      contractRef: '纸质合同 HT-2026-088',
      company: { id: co.orgId, name: '单语句详情家政' },
      worker: { id: second.w.workerId },
      relation: 'company',
      // The company reaches the resident: the name in full, the phone masked (read in the detail's statement).
      resident: { name: '欧阳女士', phoneMasked: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/) },
    });
    expect(body.assignments).toHaveLength(2);
    expect(body.assignments.every((a: { workerName: string }) => a.workerName.length > 0)).toBe(true);
    expect(body.bookings.length).toBeGreaterThan(1);
    expect(body.history.map((h: { action: string }) => h.action)).toEqual([
      'request',
      'accept',
      'contract',
      'start',
      'replace_worker',
    ]);
    // Session, the detail (with the resident's profile, masked, from identity's subquery: a statement of its own
    // before) and the company's address read in the audit trail (a chain append: one statement).
    expect(read.statements).toHaveLength(3);
    expect(read.statements.filter((s) => /order_event/.test(s))).toHaveLength(1);

    // The resident's view of the same order, and the list: each item is the detail's summary.
    await inject('GET', '/api/v1/orders/mine', resident.cookie); // the session's once-a-minute last-seen write
    const mine = await statementsOf(t.database, () => inject('GET', '/api/v1/orders/mine', resident.cookie));
    expect(mine.statements).toHaveLength(2);
    const detail = (await inject('GET', `/api/v1/orders/${id}`, resident.cookie)).json();
    const [listed] = mine.result.json().items;
    expect(listed).toEqual(Object.fromEntries(Object.keys(listed).map((k) => [k, detail[k]])));
    expect(listed.worker.name).toMatch(/\*/);
    const board = (await inject('GET', `/api/v1/orgs/${co.orgId}/orders`, co.cookie)).json();
    expect(board.items[0]).toEqual(Object.fromEntries(Object.keys(listed).map((k) => [k, body[k]])));
  });

  test('hourly from request to completed: the worker and the resident see what their steps answered', async () => {
    const co = await company(t, '单语句钟点家政');
    const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const item = await priceItem(co, { mode: 'hourly', priceFen: 5000, title: '日常保洁（2小时起）' });
    const resident = await account(t, [{ role: 'resident' }], '陈女士');
    const booked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { cookie: resident.cookie },
      payload: {
        priceItemId: item,
        workerId: w.workerId,
        schedule: { mode: 'hourly', startAt: slot(1.5), hours: 2 },
        address: '广州市天河区林和西路100号3栋1201',
        district: '440106',
        note: '家里有猫',
      },
    });
    const id = booked.json().id as string;
    const fresh = await statementsOf(t.database, () =>
      inject('GET', `/api/v1/orders/${id}`, resident.cookie),
    );
    // The session and the detail: nothing else for a resident.
    expect(fresh.statements).toHaveLength(2);
    expect(fresh.result.json()).toEqual(booked.json());
    await inject('POST', `/api/v1/orders/${id}/accept`, co.cookie, {});
    await expectSameAsStep(await inject('POST', `/api/v1/orders/${id}/start`, w.cookie, {}), w.cookie);
    const done = await inject('POST', `/api/v1/orders/${id}/confirm`, resident.cookie, {});
    await expectSameAsStep(done, resident.cookie);
    expect(done.json().followUps.length).toBeGreaterThan(0);
    // Follow-up notes: the company reads them, the resident never does.
    const tasks = await inject('GET', `/api/v1/orgs/${co.orgId}/follow-ups?state=pending`, co.cookie);
    const task = tasks.json().items.find((i: { orderId: string }) => i.orderId === id);
    await inject('POST', `/api/v1/follow-ups/${task.id}`, co.cookie, {
      reached: true,
      satisfaction: 5,
      notes: '客户满意',
    });
    const forCompany = (await inject('GET', `/api/v1/orders/${id}`, co.cookie)).json();
    expect(forCompany.followUps.find((f: { id: string }) => f.id === task.id)).toMatchObject({
      notes: '客户满意',
      satisfaction: 5,
      reached: true,
    });
    const forResident = (await inject('GET', `/api/v1/orders/${id}`, resident.cookie)).json();
    expect(forResident.followUps.every((f: { notes: string | null }) => f.notes === null)).toBe(true);
    // Hidden from others: a stranger and an unknown id get 404 alike.
    const stranger = await account(t, [{ role: 'resident' }], '路人');
    expect((await inject('GET', `/api/v1/orders/${id}`, stranger.cookie)).statusCode).toBe(404);
    expect(
      (await inject('GET', '/api/v1/orders/ord_00000000000000000000000000', stranger.cookie)).statusCode,
    ).toBe(404);
  });
});
