import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { statementsOf } from '../../../../../test/support/statements.js';
import { verifyAuditChain } from '../../../platform/audit/audit.js';

// Issue 13 (order flow statements): a step moves the order with one `update … where state = <the state read>` (no
// `select … for update` first) and writes its history row, outbox event and audit row in one statement. These pin
// what that must keep: one winner among concurrent steps, nothing written by a refused one, a chained audit row and
// an outbox event per transition.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
let co: Awaited<ReturnType<typeof company>>;
let w: Awaited<ReturnType<typeof certifiedWorker>>['w'];
let itemId: string;
let resident: Awaited<ReturnType<typeof account>>;
const HOUR = 3600_000;
let slot = 0;

beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
  co = await company(t, '步骤守卫家政');
  ({ w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co }));
  const item = await t.app.inject({
    method: 'POST',
    url: `/api/v1/orgs/${co.orgId}/service-items`,
    headers: { cookie: co.cookie },
    payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（2小时起）' },
  });
  itemId = item.json().id as string;
  resident = await account(t, [{ role: 'resident' }], '林女士');
});
afterAll(async () => t?.close());

/** A new request for the worker starting `hoursAhead` from now (each test its own slot, so the worker is free). */
async function requestOrder(hoursAhead: number): Promise<string> {
  const q = 15 * 60_000;
  slot++;
  const startAt = new Date(Math.ceil((t.clock.now.getTime() + hoursAhead * HOUR) / q) * q).toISOString();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { cookie: resident.cookie, 'idempotency-key': `k-steps-${slot}-${Date.now()}` },
    payload: {
      priceItemId: itemId,
      workerId: w.workerId,
      schedule: { mode: 'hourly', startAt, hours: 2 },
      address: '广州市海珠区新港中路100号2栋801',
      district: '440105',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const stepOf = (orderId: string, action: string, cookie: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/${action}`,
    headers: { cookie },
    payload: {},
  });

/** What the order's transitions left behind: history rows, audit rows and outbox events, by action/topic. */
async function trail(orderId: string) {
  const rows = async (q: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(q)) as unknown as { rows: Record<string, unknown>[] }).rows;
  const events = await rows(
    sql`select action, from_state, to_state from order_event where order_id = ${orderId} order by at, id`,
  );
  const audits = await rows(sql`select action, detail from audit_log
    where object_type = 'order' and object_id = ${orderId} and action <> 'order.address_read' order by seq`);
  const outbox = await rows(sql`select topic, payload from outbox_event
    where payload->>'orderId' = ${orderId} order by created_at, id`);
  const bookings = await rows(sql`select id from worker_booking where order_id = ${orderId} and active`);
  const [order] = await rows(
    sql`select state, worker_id, accepted_at from service_order where id = ${orderId}`,
  );
  return { events, audits, outbox, bookings: bookings.length, order: order! };
}

describe('order steps', () => {
  test('of two concurrent accepts of one order exactly one wins; the other is 409 and writes nothing', async () => {
    const id = await requestOrder(7);
    const results = await Promise.all([stepOf(id, 'accept', co.cookie), stepOf(id, 'accept', co.cookie)]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses, results.map((r) => r.body).join('\n')).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('ORDER_INVALID_TRANSITION');
    const tr = await trail(id);
    expect(tr.order.state).toBe('accepted');
    expect(tr.order.worker_id).toBe(w.workerId);
    expect(tr.events.map((e) => e.action)).toEqual(['request', 'accept']);
    expect(tr.audits.map((a) => a.action)).toEqual(['order.request', 'order.accept']);
    expect(tr.outbox.map((o) => o.topic)).toEqual(['orders.requested', 'orders.accepted']);
    expect(tr.bookings).toBe(1);
  });

  test('a step refused by the state machine is 409, opens no transaction and writes nothing', async () => {
    const id = await requestOrder(10);
    const before = await trail(id);
    for (const [action, cookie] of [
      ['start', co.cookie],
      ['confirm', resident.cookie],
    ] as const) {
      const { result, statements } = await statementsOf(t.database, () => stepOf(id, action, cookie));
      expect(result.statusCode, result.body).toBe(409);
      expect(result.json().code).toBe('ORDER_INVALID_TRANSITION');
      // (The session's last-seen write is identity's, at most once a minute; none of the order's tables is written.)
      const writes = statements.filter(
        (s) =>
          /^\s*begin/i.test(s) ||
          (/^\s*(insert|update|delete|with)/i.test(s) &&
            /service_order|order_event|audit_log|outbox_event|worker_booking|order_assignment|notification/.test(
              s,
            )),
      );
      expect(writes, action).toEqual([]);
    }
    expect(await trail(id)).toEqual(before);
  });

  test('each transition writes its history, outbox event and chained audit row; no locking read first', async () => {
    const id = await requestOrder(1.5);
    for (const [action, cookie] of [
      ['accept', co.cookie],
      ['start', co.cookie],
      ['confirm', resident.cookie],
    ] as const) {
      const { result, statements } = await statementsOf(t.database, () => stepOf(id, action, cookie));
      expect(result.statusCode, `${action}: ${result.body}`).toBe(200);
      const s = statements.map((x) => x.replace(/\s+/g, ' ').trim().toLowerCase());
      expect(
        s.filter((x) => x.includes(' for update')),
        action,
      ).toEqual([]);
      expect(
        s.filter((x) => /^insert into "(order_event|outbox_event|audit_log)"/.test(x)),
        action,
      ).toEqual([]);
      // PGlite's driver sends a statement's text once (then only executes it by name): exact lists on PostgreSQL.
      if (t.database.pglite) continue;
      // The guarded order update, the step's writes, history, outbox and audit: ONE statement between BEGIN and
      // COMMIT (the update first, so its row lock is taken before the chain head's).
      const combined = s.filter((x) => x.includes('insert into "order_event"'));
      expect(combined, action).toHaveLength(1);
      expect(combined[0]).toMatch(
        /^with o as \(update "service_order" set .*"service_order"\."state" = \$\d+\)/,
      );
      expect(combined[0]).toContain('insert into outbox_event');
      expect(combined[0]).toContain('insert into audit_log');
      expect(
        s.filter((x) => x.startsWith('update "service_order"')),
        action,
      ).toEqual([]);
      const begin = s.indexOf('begin');
      expect(s.slice(begin, begin + 3), action).toEqual(['begin', combined[0], 'commit']);
    }
    const tr = await trail(id);
    expect(tr.order.state).toBe('completed');
    expect(tr.events.map((e) => `${e.action}:${e.from_state}>${e.to_state}`)).toEqual([
      'request:null>requested',
      'accept:requested>accepted',
      'start:accepted>in_service',
      'confirm:in_service>completed',
    ]);
    expect(tr.audits.map((a) => [a.action, (a.detail as { to: string }).to])).toEqual([
      ['order.request', 'requested'],
      ['order.accept', 'accepted'],
      ['order.start', 'in_service'],
      ['order.confirm', 'completed'],
    ]);
    expect(tr.outbox.map((o) => [o.topic, (o.payload as { state: string; workerId: string }).state])).toEqual(
      [
        ['orders.requested', 'requested'],
        ['orders.accepted', 'accepted'],
        ['orders.started', 'in_service'],
        ['orders.completed', 'completed'],
      ],
    );
    expect(tr.outbox.slice(1).every((o) => (o.payload as { workerId: string }).workerId === w.workerId)).toBe(
      true,
    );
    const chain = await verifyAuditChain(t.database.db);
    expect(chain.ok, JSON.stringify(chain.firstBroken)).toBe(true);
  });

  // Two connections are needed to hold the row while the step runs: PostgreSQL only (PGlite has one).
  test.skipIf(!process.env.TEST_DATABASE_URL)(
    'a step whose order moved after it was read decides again on the new state',
    async () => {
      const id = await requestOrder(13);
      // Another transaction accepts the order (state only) and holds the row while the resident cancels.
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      const other = t.database.db.transaction(async (tx) => {
        await tx.execute(
          sql`update service_order set state = 'accepted', accepted_at = now() where id = ${id}`,
        );
        locked();
        await held;
      });
      await isLocked;
      const cancel = t.app.inject({
        method: 'POST',
        url: `/api/v1/orders/${id}/cancel`,
        headers: { cookie: resident.cookie },
        payload: { reason: '计划有变' },
      });
      await new Promise((r) => setTimeout(r, 300));
      release();
      await other;
      const res = await cancel;
      expect(res.statusCode, res.body).toBe(200);
      const tr = await trail(id);
      expect(tr.order.state).toBe('cancelled');
      // The history records the state it really left, not the one first read.
      expect(tr.events.map((e) => `${e.action}:${e.from_state}>${e.to_state}`)).toEqual([
        'request:null>requested',
        'cancel:accepted>cancelled',
      ]);
      expect(tr.audits.map((a) => a.action)).toEqual(['order.request', 'order.cancel']);
    },
  );
});
