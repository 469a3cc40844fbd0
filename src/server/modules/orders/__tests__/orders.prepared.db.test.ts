import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { followUp, orderAssignment, orderEvent, workerBooking } from '../orders.tables.js';

// The booking flow's prepared statements (order by id, held periods, the day's number, the detail's lists) and
// the company name taken from the member's session, against plain reads of the same tables.
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

/** The detail's lists as plain Drizzle reads give them (Dates to ISO strings), the reference. */
async function reference(orderId: string) {
  const db = t.database.db;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const events = await db
    .select()
    .from(orderEvent)
    .where(eq(orderEvent.orderId, orderId))
    .orderBy(asc(orderEvent.at), asc(orderEvent.id));
  const assignments = await db
    .select()
    .from(orderAssignment)
    .where(eq(orderAssignment.orderId, orderId))
    .orderBy(asc(orderAssignment.fromAt), asc(orderAssignment.id));
  const bookings = await db
    .select()
    .from(workerBooking)
    .where(eq(workerBooking.orderId, orderId))
    .orderBy(asc(workerBooking.startsAt), asc(workerBooking.id));
  const follow = await db
    .select()
    .from(followUp)
    .where(eq(followUp.orderId, orderId))
    .orderBy(asc(followUp.id));
  return {
    history: events.map((e) => ({
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      party: e.party,
      reason: e.reason,
      at: iso(e.at),
    })),
    assignments: assignments.map((a) => ({
      id: a.id,
      workerId: a.workerId,
      fromAt: iso(a.fromAt),
      toAt: iso(a.toAt),
      endedReason: a.endedReason,
      replacedById: a.replacedById,
    })),
    bookings: bookings.map((b) => ({
      id: b.id,
      workerId: b.workerId,
      startsAt: iso(b.startsAt),
      endsAt: iso(b.endsAt),
      status: b.status,
      substituteFor: b.substituteFor,
    })),
    followUps: follow.map((f) => ({
      id: f.id,
      assigneeKind: f.assigneeKind,
      state: f.state,
      dueAt: iso(f.dueAt),
      reached: f.reached,
      satisfaction: f.satisfaction,
      recordedAt: iso(f.recordedAt),
    })),
  };
}

function lists(body: Record<string, unknown>) {
  const strip = <T extends object>(xs: T[], key: string) =>
    xs.map((x) => Object.fromEntries(Object.entries(x).filter(([k]) => k !== key)));
  return {
    history: body.history,
    assignments: strip(body.assignments as object[], 'workerName'),
    bookings: strip(body.bookings as object[], 'workerName'),
    followUps: strip(body.followUps as object[], 'notes'),
  };
}

describe('the booking flow on prepared statements', () => {
  test('every step answers with the lists and names the tables hold', async () => {
    const co = await company(t, '预编译测试家政');
    const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const item = await inject('POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
      category: 'cleaning',
      mode: 'hourly',
      priceFen: 5000,
      title: '日常保洁（2小时起）',
    });
    const resident = await account(t, [{ role: 'resident' }], '陈女士');
    const body = (startAt: string) => ({
      priceItemId: item.json().id,
      workerId: w.workerId,
      schedule: { mode: 'hourly', startAt, hours: 2 },
      address: '广州市天河区林和西路100号3栋1201',
      district: '440106',
    });
    const start = slot(1.5);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { cookie: resident.cookie, 'idempotency-key': 'k-prepared-1' },
      payload: body(start),
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    // The day's counter (prepared on the pool) keeps numbers consecutive.
    const second = await inject('POST', '/api/v1/orders', resident.cookie, body(slot(30)));
    expect(second.statusCode).toBe(201);
    const seq = (n: string) => Number(n.slice(10, 16));
    expect(seq(second.json().number)).toBe(seq(created.json().number) + 1);

    const steps: [string, string, string][] = [
      ['created', '', resident.cookie],
      ['accept', `/api/v1/orders/${id}/accept`, co.cookie],
      ['start', `/api/v1/orders/${id}/start`, co.cookie],
      ['confirm', `/api/v1/orders/${id}/confirm`, resident.cookie],
    ];
    for (const [name, url, cookie] of steps) {
      const res = name === 'created' ? created : await inject('POST', url, cookie, {});
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200 + (name === 'created' ? 1 : 0));
      expect(lists(res.json())).toEqual(await reference(id));
      // The company's name, from the member's session or from the orgs module, is the organization's.
      expect(res.json().company).toEqual({ id: co.orgId, name: '预编译测试家政' });
      // A fresh read through GET (order by id, prepared) answers the same.
      const again = await inject('GET', `/api/v1/orders/${id}`, cookie);
      expect(again.json()).toMatchObject({ state: res.json().state, company: res.json().company });
      expect(lists(again.json())).toEqual(lists(res.json()));
    }
    const done = await reference(id);
    expect(done.history.map((h) => h.action)).toEqual(['request', 'accept', 'start', 'confirm']);
    expect(done.assignments[0]).toMatchObject({ workerId: w.workerId, endedReason: 'completed' });
    expect(done.bookings).toHaveLength(1);
    expect(done.followUps.length).toBeGreaterThan(0);

    // Held periods (prepared) still refuse an overlap with the second order, and free time once it is cancelled.
    const clash = await inject('POST', '/api/v1/orders', resident.cookie, body(slot(30)));
    expect(clash.statusCode).toBe(201); // a request does not hold time yet
    const acceptSecond = await inject('POST', `/api/v1/orders/${second.json().id}/accept`, co.cookie, {});
    expect(acceptSecond.statusCode).toBe(200);
    const refused = await inject('POST', '/api/v1/orders', resident.cookie, body(slot(30)));
    expect(refused.json().code).toBe('ORDER_WORKER_UNAVAILABLE');
    const acceptClash = await inject('POST', `/api/v1/orders/${clash.json().id}/accept`, co.cookie, {});
    expect(acceptClash.json().code).toBe('ORDER_WORKER_UNAVAILABLE');
    // The refused accept stored nothing: no booking or assignment, still a request.
    expect((await reference(clash.json().id)).bookings).toEqual([]);
    expect((await reference(clash.json().id)).assignments).toEqual([]);
    expect((await inject('GET', `/api/v1/orders/${clash.json().id}`, co.cookie)).json().state).toBe(
      'requested',
    );
  });
});
