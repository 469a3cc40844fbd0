import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company, day } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { systemContext } from '../../../platform/http/context.js';
import { followUp, orderEvent, serviceOrder, workerBooking } from '../orders.tables.js';

// Orders through the real app: catalog prices, green workers from the real trust record, the lifecycle, no
// double booking (the database decides), idempotent creation, and who may see and do what.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const HOUR = 3600_000;
type Cookie = string;
const inject = (
  method: 'GET' | 'POST',
  url: string,
  cookie?: Cookie,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    ...(payload ? { payload } : {}),
  });

/** A quarter-hour instant at least `hours` from the test clock. */
function slot(hours: number): string {
  const q = 15 * 60_000;
  return new Date(Math.ceil((t.clock.now.getTime() + hours * HOUR) / q) * q).toISOString();
}

async function priceItem(co: { orgId: string; cookie: Cookie }, over: Record<string, unknown> = {}) {
  const res = await inject('POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
    category: 'cleaning',
    mode: 'hourly',
    priceFen: 5000,
    title: '日常保洁（2小时起）',
    ...over,
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

/** A company with a green worker and an hourly cleaning price. */
async function setup() {
  const co = await company(t);
  const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
  const itemId = await priceItem(co);
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  return { co, w, itemId, resident };
}

const hourly = (itemId: string, workerId: string | null, startAt: string, hours = 2) => ({
  priceItemId: itemId,
  workerId,
  schedule: { mode: 'hourly', startAt, hours },
  address: '广州市天河区林和西路100号3栋1201',
  district: '440106',
  note: '家里有猫',
});

async function book(cookie: Cookie, body: object, key?: string) {
  return inject('POST', '/api/v1/orders', cookie, body, key ? { 'idempotency-key': key } : {});
}

const countOrders = async (residentUserId: string) =>
  (await t.database.db.select().from(serviceOrder).where(eq(serviceOrder.residentUserId, residentUserId)))
    .length;

describe('an hourly order from request to closed', () => {
  test('book → accept → start → confirm → follow-up closes it; every step in the history and the audit log', async () => {
    const { co, w, itemId, resident } = await setup();
    const created = await book(resident.cookie, hourly(itemId, w.workerId, slot(1.5), 3), 'k-happy-1');
    expect(created.statusCode).toBe(201);
    const o = created.json();
    expect(o).toMatchObject({
      state: 'requested',
      unit: 'hour',
      unitPriceFen: 5000,
      quantity: 3,
      totalFen: 15000,
      address: '广州市天河区林和西路100号3栋1201',
      relation: 'resident',
      actions: ['cancel'],
    });
    expect(o.number).toMatch(/^DD\d{14}[0-9A-Z]$/);
    expect(o.addressMasked).not.toContain('1201');

    // The company sees it on its board, with the full address (audited) and the resident's masked phone.
    const board = await inject('GET', `/api/v1/orgs/${co.orgId}/orders?state=requested`, co.cookie);
    expect(board.json().items.map((i: { id: string }) => i.id)).toEqual([o.id]);
    const seen = await inject('GET', `/api/v1/orders/${o.id}`, co.cookie);
    expect(seen.json()).toMatchObject({ relation: 'company', actions: ['accept', 'decline', 'cancel'] });
    expect(seen.json().resident.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
    const reads = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, o.id), eq(auditLog.action, 'order.address_read')));
    expect(reads).toHaveLength(1);

    const accepted = await inject('POST', `/api/v1/orders/${o.id}/accept`, co.cookie, {});
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'accepted', worker: { id: w.workerId } });
    expect(accepted.json().bookings).toHaveLength(1);
    expect(t.sms.notices(resident.phone).map((n) => n.template)).toEqual(['ORDER_ACCEPTED']);

    // The worker sees the visit on their schedule.
    const sched = await inject(
      'GET',
      `/api/v1/workers/me/schedule?from=${encodeURIComponent(t.clock.now.toISOString())}&to=${encodeURIComponent(new Date(t.clock.now.getTime() + 48 * HOUR).toISOString())}`,
      w.cookie,
    );
    expect(sched.json().items.map((i: { orderId: string }) => i.orderId)).toEqual([o.id]);

    const started = await inject('POST', `/api/v1/orders/${o.id}/start`, w.cookie, {});
    expect(started.statusCode).toBe(200);
    expect(started.json().state).toBe('in_service');

    const done = await inject('POST', `/api/v1/orders/${o.id}/confirm`, resident.cookie, {});
    expect(done.statusCode).toBe(200);
    expect(done.json().state).toBe('completed');
    const fups = done.json().followUps as { id: string; assigneeKind: string; state: string }[];
    expect(fups.filter((f) => f.assigneeKind === 'company')).toHaveLength(1);

    const tasks = await inject('GET', `/api/v1/orgs/${co.orgId}/follow-ups?state=pending`, co.cookie);
    const task = tasks.json().items.find((i: { orderId: string }) => i.orderId === o.id);
    const recorded = await inject('POST', `/api/v1/follow-ups/${task.id}`, co.cookie, {
      reached: true,
      satisfaction: 5,
      notes: '客户满意，阿姨很细心',
    });
    expect(recorded.statusCode).toBe(200);
    const again = await inject('POST', `/api/v1/follow-ups/${task.id}`, co.cookie, {
      reached: true,
      satisfaction: 4,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('FOLLOW_UP_DONE');

    const final = (await inject('GET', `/api/v1/orders/${o.id}`, resident.cookie)).json();
    expect(final.state).toBe('closed');
    expect(final.followUps.find((f: { assigneeKind: string }) => f.assigneeKind === 'company')).toMatchObject(
      {
        state: 'done',
        satisfaction: 5,
        notes: null,
      },
    );
    expect(final.history.map((h: { action: string }) => h.action)).toEqual([
      'request',
      'accept',
      'start',
      'confirm',
      'close',
    ]);
    // The detail's lists (read in one statement) are the stored rows, in order, to the millisecond.
    const db = t.database.db;
    const events = await db.select().from(orderEvent).where(eq(orderEvent.orderId, o.id));
    events.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
    expect(final.history).toEqual(
      events.map((e) => ({
        action: e.action,
        fromState: e.fromState,
        toState: e.toState,
        party: e.party,
        reason: e.reason,
        at: e.at.toISOString(),
      })),
    );
    const visits = await db.select().from(workerBooking).where(eq(workerBooking.orderId, o.id));
    expect(
      final.bookings.map((b: { id: string; startsAt: string; endsAt: string; status: string }) => [
        b.id,
        b.startsAt,
        b.endsAt,
        b.status,
      ]),
    ).toEqual(visits.map((b) => [b.id, b.startsAt.toISOString(), b.endsAt.toISOString(), b.status]));
    const fupRows = await db.select().from(followUp).where(eq(followUp.orderId, o.id));
    fupRows.sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(
      final.followUps.map(
        (f: { id: string; dueAt: string; recordedAt: string | null; reached: boolean | null }) => [
          f.id,
          f.dueAt,
          f.recordedAt,
          f.reached,
        ],
      ),
    ).toEqual(
      fupRows.map((f) => [f.id, f.dueAt.toISOString(), f.recordedAt?.toISOString() ?? null, f.reached]),
    );
    // The order lands in the worker's own record (一档) and export, without the household's name or address.
    const file = await inject('GET', '/api/v1/workers/me/file', w.cookie);
    expect(file.json().workHistory.orders.available).toBe(true);
    const served = file.json().workHistory.orders.items.find((i: { orderId: string }) => i.orderId === o.id);
    expect(served).toMatchObject({
      number: o.number,
      role: 'assigned',
      state: 'closed',
      category: 'cleaning',
    });
    expect(JSON.stringify(served)).not.toContain('林和西路');
    const audits = await t.database.db
      .select({ a: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.objectId, o.id));
    expect(audits.map((a) => a.a)).toEqual(
      expect.arrayContaining([
        'order.request',
        'order.accept',
        'order.start',
        'order.confirm',
        'order.follow_up',
        'order.close',
      ]),
    );
  });

  test('a replayed create with the same Idempotency-Key returns the same order and stores one', async () => {
    const { w, itemId, resident } = await setup();
    const body = hourly(itemId, w.workerId, slot(30));
    const a = await book(resident.cookie, body, 'k-replay-1');
    const b = await book(resident.cookie, body, 'k-replay-1');
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect(await countOrders(resident.userId)).toBe(1);
    const other = await book(resident.cookie, { ...body, note: '不同的请求' }, 'k-replay-1');
    expect(other.statusCode).toBe(422);
    expect(await countOrders(resident.userId)).toBe(1);
  });
});

describe('bad input is refused and stores nothing', () => {
  test('slots in the past, off-quarter, absurdly far; items of another mode; unknown fields', async () => {
    const { w, itemId, resident, co } = await setup();
    const liveIn = await priceItem(co, { mode: 'live_in', priceFen: 750_000, title: '住家保姆' });
    const cases: [object, number, string][] = [
      [
        hourly(itemId, w.workerId, new Date(t.clock.now.getTime() - HOUR).toISOString()),
        422,
        'ORDER_SLOT_IN_PAST',
      ],
      [hourly(itemId, w.workerId, slot(0.25)), 422, 'ORDER_SLOT_IN_PAST'],
      [hourly(itemId, w.workerId, slot(24 * 400)), 422, 'ORDER_SLOT_TOO_FAR'],
      [
        {
          ...hourly(itemId, w.workerId, slot(30)),
          schedule: {
            mode: 'hourly',
            startAt: new Date(Date.parse(slot(30)) + 60_000).toISOString(),
            hours: 2,
          },
        },
        422,
        'ORDER_BAD_SCHEDULE',
      ],
      [hourly(liveIn, w.workerId, slot(30)), 422, 'ORDER_PRICE_ITEM_INVALID'],
      [hourly('svi_nothing', w.workerId, slot(30)), 422, 'ORDER_PRICE_ITEM_INVALID'],
      [{ ...hourly(itemId, w.workerId, slot(30)), district: '999999' }, 422, 'VALIDATION_FAILED'],
      [{ ...hourly(itemId, w.workerId, slot(30)), price: 1 }, 422, 'VALIDATION_FAILED'],
      [
        {
          ...hourly(itemId, w.workerId, slot(30)),
          schedule: { mode: 'weekly', startAt: slot(30), hours: 2 },
        },
        422,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await book(resident.cookie, body);
      expect({ status: res.statusCode, code: res.json().code }).toEqual({ status, code });
      expect(res.json().title).toBeTruthy();
    }
    expect(await countOrders(resident.userId)).toBe(0);
  });

  test('a worker of another company, and a worker who is not green, cannot be booked', async () => {
    const { itemId, resident } = await setup();
    const other = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
    const res = await book(resident.cookie, hourly(itemId, other.w.workerId, slot(30)));
    expect(res.json().code).toBe('ORDER_WORKER_NOT_OFFERED');

    const co = await company(t);
    const noCert = await certifiedWorker(t, {
      regulatorCookie: regulator.cookie,
      employer: co,
      issue: false,
    });
    const item = await priceItem(co);
    const refused = await book(resident.cookie, hourly(item, noCert.w.workerId, slot(30)));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('ORDER_WORKER_NOT_GREEN');
    expect(await countOrders(resident.userId)).toBe(0);
  });

  test('a worker whose certificate turned yellow after the request cannot be assigned', async () => {
    const co = await company(t);
    const { w } = await certifiedWorker(t, {
      regulatorCookie: regulator.cookie,
      employer: co,
      healthDays: 3,
    });
    const item = await priceItem(co);
    const resident = await account(t);
    const o = (await book(resident.cookie, hourly(item, w.workerId, slot(24 * 5)))).json();
    t.clock.advance(4 * 24 * HOUR); // the health certificate has expired: yellow
    try {
      const res = await inject('POST', `/api/v1/orders/${o.id}/accept`, co.cookie, {});
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('ORDER_WORKER_NOT_GREEN');
      const stored = await t.database.db.select().from(workerBooking).where(eq(workerBooking.orderId, o.id));
      expect(stored).toHaveLength(0);
      expect((await inject('GET', `/api/v1/orders/${o.id}`, co.cookie)).json().state).toBe('requested');
    } finally {
      t.clock.advance(-4 * 24 * HOUR);
    }
  });
});

describe('transitions out of order and by the wrong party', () => {
  test('each refused with a clear code; the order is unchanged', async () => {
    const { co, w, itemId, resident } = await setup();
    const o = (await book(resident.cookie, hourly(itemId, w.workerId, slot(50)))).json();
    const tries: [string, Cookie, object, number, string][] = [
      ['confirm', resident.cookie, {}, 409, 'ORDER_INVALID_TRANSITION'],
      ['start', co.cookie, {}, 409, 'ORDER_INVALID_TRANSITION'],
      ['contract', co.cookie, { contractRef: 'HT-1' }, 409, 'ORDER_INVALID_TRANSITION'],
      ['accept', resident.cookie, {}, 403, 'FORBIDDEN'],
      ['decline', co.cookie, { reason: '' }, 422, 'VALIDATION_FAILED'],
      ['cancel', resident.cookie, {}, 422, 'VALIDATION_FAILED'],
    ];
    for (const [action, cookie, body, status, code] of tries) {
      const res = await inject('POST', `/api/v1/orders/${o.id}/${action}`, cookie, body);
      expect({ action, status: res.statusCode, code: res.json().code }).toEqual({ action, status, code });
    }
    expect((await inject('GET', `/api/v1/orders/${o.id}`, resident.cookie)).json().state).toBe('requested');
    const declined = await inject('POST', `/api/v1/orders/${o.id}/decline`, co.cookie, {
      reason: '该时段人手不足',
    });
    expect(declined.json()).toMatchObject({ state: 'declined', stateReason: '该时段人手不足' });
    const late = await inject('POST', `/api/v1/orders/${o.id}/accept`, co.cookie, {});
    expect(late.json().code).toBe('ORDER_INVALID_TRANSITION');
    const cancel = await inject('POST', `/api/v1/orders/${o.id}/cancel`, resident.cookie, {
      reason: '不需要了',
    });
    expect(cancel.json().code).toBe('ORDER_INVALID_TRANSITION');
  });

  test('cancelling: free while requested; 20% of a visit within 24 hours of an accepted one; free for the resident when the company cancels', async () => {
    const { co, w, itemId, resident } = await setup();
    const a = (await book(resident.cookie, hourly(itemId, w.workerId, slot(60)))).json();
    const c1 = await inject('POST', `/api/v1/orders/${a.id}/cancel`, resident.cookie, { reason: '计划有变' });
    expect(c1.json()).toMatchObject({ state: 'cancelled', cancelFeeFen: 0, cancelledBy: 'resident' });

    const b = (await book(resident.cookie, hourly(itemId, w.workerId, slot(5), 2))).json();
    await inject('POST', `/api/v1/orders/${b.id}/accept`, co.cookie, {});
    const c2 = await inject('POST', `/api/v1/orders/${b.id}/cancel`, resident.cookie, { reason: '临时出差' });
    expect(c2.json()).toMatchObject({ state: 'cancelled', cancelFeeFen: 2000 });
    const freed = await t.database.db
      .select()
      .from(workerBooking)
      .where(and(eq(workerBooking.orderId, b.id), eq(workerBooking.active, true)));
    expect(freed).toHaveLength(0);

    const c = (await book(resident.cookie, hourly(itemId, w.workerId, slot(6), 2))).json();
    await inject('POST', `/api/v1/orders/${c.id}/accept`, co.cookie, {});
    const c3 = await inject('POST', `/api/v1/orders/${c.id}/cancel`, co.cookie, { reason: '阿姨生病' });
    expect(c3.json()).toMatchObject({ state: 'cancelled', cancelFeeFen: 0, cancelledBy: 'company' });
    expect(t.sms.notices(resident.phone).map((n) => n.template)).toContain('ORDER_CANCELLED');
  });
});

describe('no double booking', () => {
  test('two concurrent accepts of overlapping orders for one worker: exactly one wins', async () => {
    const { co, w, itemId } = await setup();
    const r1 = await account(t);
    const r2 = await account(t);
    const start = slot(72);
    const o1 = (await book(r1.cookie, hourly(itemId, w.workerId, start, 3))).json();
    const o2 = (
      await book(r2.cookie, hourly(itemId, w.workerId, new Date(Date.parse(start) + HOUR).toISOString(), 3))
    ).json();
    const results = await Promise.all([
      inject('POST', `/api/v1/orders/${o1.id}/accept`, co.cookie, {}),
      inject('POST', `/api/v1/orders/${o2.id}/accept`, co.cookie, {}),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('ORDER_WORKER_UNAVAILABLE');
    const active = await t.database.db
      .select()
      .from(workerBooking)
      .where(and(eq(workerBooking.workerId, w.workerId), eq(workerBooking.active, true)));
    expect(active).toHaveLength(1);
    // The loser is still a request the company can assign to someone else or decline.
    const loser = results.findIndex((r) => r.statusCode === 409);
    expect((await inject('GET', `/api/v1/orders/${[o1, o2][loser].id}`, co.cookie)).json().state).toBe(
      'requested',
    );

    // A new request for the held time is refused at once.
    const r3 = await account(t);
    // 1–2 h after `start` overlaps whichever order won.
    const third = await book(
      r3.cookie,
      hourly(itemId, w.workerId, new Date(Date.parse(start) + HOUR).toISOString(), 1),
    );
    expect(third.json().code).toBe('ORDER_WORKER_UNAVAILABLE');
    // Back-to-back is fine: the held period is half-open.
    const after = new Date(Date.parse(start) + (loser === 0 ? 4 : 3) * HOUR).toISOString();
    expect((await book(r3.cookie, hourly(itemId, w.workerId, after, 1))).statusCode).toBe(201);
  });

  test('the database itself refuses an overlapping active booking', async () => {
    const { co, w, itemId, resident } = await setup();
    const o = (await book(resident.cookie, hourly(itemId, w.workerId, slot(90), 2))).json();
    await inject('POST', `/api/v1/orders/${o.id}/accept`, co.cookie, {});
    const [held] = await t.database.db.select().from(workerBooking).where(eq(workerBooking.orderId, o.id));
    const err = await t.database.db
      .insert(workerBooking)
      .values({
        id: `bkg_manual${Date.now()}`,
        orderId: o.id,
        workerId: w.workerId,
        startsAt: new Date(held!.startsAt.getTime() + 30 * 60_000),
        endsAt: new Date(held!.endsAt.getTime() + HOUR),
      })
      .catch((e) => e);
    const codeOf = (e: unknown): string | undefined => {
      for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause)
        if (typeof (c as { code?: unknown }).code === 'string') return (c as { code: string }).code;
      return undefined;
    };
    expect(codeOf(err)).toBe('23P01');
  });
});

describe('isolation', () => {
  test('another company, another resident and an unassigned worker get 404; a regulator sees but cannot act', async () => {
    const { co, w, itemId, resident } = await setup();
    const o = (await book(resident.cookie, hourly(itemId, w.workerId, slot(100)))).json();
    const otherCo = await company(t, '别家家政');
    const otherResident = await account(t);
    const otherWorker = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
    for (const cookie of [otherCo.cookie, otherResident.cookie, otherWorker.w.cookie]) {
      expect((await inject('GET', `/api/v1/orders/${o.id}`, cookie)).statusCode).toBe(404);
    }
    expect((await inject('POST', `/api/v1/orders/${o.id}/accept`, otherCo.cookie, {})).statusCode).toBe(404);
    expect(
      (await inject('POST', `/api/v1/orders/${o.id}/cancel`, otherResident.cookie, { reason: 'x' }))
        .statusCode,
    ).toBe(404);
    expect((await inject('GET', `/api/v1/orgs/${co.orgId}/orders`, otherCo.cookie)).statusCode).toBe(404);

    const reg = await inject('GET', `/api/v1/orders/${o.id}`, regulator.cookie);
    expect(reg.json()).toMatchObject({ relation: 'regulator', address: null, actions: [] });
    const haizhu = await account(t, [{ role: 'regulator', district: '440105' }]);
    expect((await inject('GET', `/api/v1/orders/${o.id}`, haizhu.cookie)).statusCode).toBe(404);
    const list = await inject('GET', '/api/v1/regulator/orders?district=440106&limit=100', regulator.cookie);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(o.id);

    // The company's unrelated order is not on the other company's board, nor the resident's list.
    const mine = await inject('GET', '/api/v1/orders/mine', otherResident.cookie);
    expect(mine.json().items).toEqual([]);
    // A company may not assign another company's worker.
    const foreign = await inject('POST', `/api/v1/orders/${o.id}/accept`, co.cookie, {
      workerId: otherWorker.w.workerId,
    });
    expect(foreign.json().code).toBe('ORDER_WORKER_NOT_OFFERED');
  });
});

describe('long-term and recurring orders', () => {
  test('live-in: contract before start; replacing the worker links the assignments and moves the held time', async () => {
    const co = await company(t);
    const first = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const second = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const item = await priceItem(co, { mode: 'live_in', priceFen: 700_000, title: '住家保姆（月）' });
    const resident = await account(t);
    // Tomorrow's midnight (Shanghai) must be over an hour away: after 22:00 the test first moves past midnight.
    if (new Date(t.clock.now.getTime() + 8 * HOUR).getUTCHours() >= 22) t.clock.advance(3 * HOUR);
    const res = await book(resident.cookie, {
      priceItemId: item,
      workerId: first.w.workerId,
      schedule: { mode: 'live_in', startDate: day(t, 1), months: 3 },
      address: '广州市天河区体育西路1号',
      district: '440106',
    });
    expect(res.statusCode).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({ quantity: 3, totalFen: 2_100_000 });
    await inject('POST', `/api/v1/orders/${o.id}/accept`, co.cookie, {});
    t.clock.advance(23 * HOUR);
    try {
      const early = await inject('POST', `/api/v1/orders/${o.id}/start`, co.cookie, {});
      expect(early.json().code).toBe('ORDER_INVALID_TRANSITION');
      expect(
        (
          await inject('POST', `/api/v1/orders/${o.id}/contract`, co.cookie, {
            contractRef: '纸质合同 HT-2026-001',
          })
        ).json().state,
      ).toBe('contracted');
      expect((await inject('POST', `/api/v1/orders/${o.id}/start`, co.cookie, {})).json().state).toBe(
        'in_service',
      );
      t.clock.advance(10 * 24 * HOUR);
      const replaced = await inject('POST', `/api/v1/orders/${o.id}/replace-worker`, co.cookie, {
        workerId: second.w.workerId,
        reason: '原阿姨家中有事',
      });
      expect(replaced.statusCode).toBe(200);
      const r = replaced.json();
      expect(r.worker.id).toBe(second.w.workerId);
      expect(r.assignments).toHaveLength(2);
      expect(r.assignments[0]).toMatchObject({
        workerId: first.w.workerId,
        replacedById: r.assignments[1].id,
        endedReason: '原阿姨家中有事',
      });
      expect(r.assignments[1].toAt).toBeNull();
      const active = r.bookings.filter((b: { status: string }) => b.status === 'scheduled');
      expect(active.map((b: { workerId: string }) => b.workerId).sort()).toEqual(
        [first.w.workerId, second.w.workerId].sort(),
      );
      const firstHeld = active.find((b: { workerId: string }) => b.workerId === first.w.workerId);
      expect(firstHeld.endsAt).toBe(t.clock.now.toISOString());
      // The first worker is free again for the rest of the term.
      const later = await book(
        (await account(t)).cookie,
        hourly(await priceItem(co), first.w.workerId, slot(24 * 20)),
      );
      expect(later.statusCode).toBe(201);
      expect(r.history.map((h: { action: string }) => h.action)).toEqual([
        'request',
        'accept',
        'contract',
        'start',
        'replace_worker',
      ]);
    } finally {
      t.clock.advance(-(23 + 240) * HOUR);
    }
  });

  test('recurring: a visit covered by a substitute, a pause frees the visits, and resume holds them again', async () => {
    const co = await company(t);
    const regular = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const sub = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const item = await priceItem(co, { mode: 'recurring', priceFen: 4500, title: '每周保洁' });
    const resident = await account(t);
    const o = (
      await book(resident.cookie, {
        priceItemId: item,
        workerId: regular.w.workerId,
        schedule: {
          mode: 'recurring',
          startDate: day(t, 2),
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          startTime: '09:00',
          hours: 2,
          weeks: 2,
        },
        address: '广州市天河区华穗路5号',
        district: '440106',
      })
    ).json();
    expect(o).toMatchObject({ visits: 14, quantity: 28, totalFen: 126_000 });
    const acc = (await inject('POST', `/api/v1/orders/${o.id}/accept`, co.cookie, {})).json();
    expect(acc.bookings).toHaveLength(14);
    const firstVisit = acc.bookings[0];
    const subbed = await inject('POST', `/api/v1/orders/${o.id}/substitute`, co.cookie, {
      bookingId: firstVisit.id,
      workerId: sub.w.workerId,
      reason: '阿姨请假一天',
    });
    expect(subbed.statusCode).toBe(200);
    const covering = subbed
      .json()
      .bookings.find((b: { substituteFor: string | null }) => b.substituteFor === firstVisit.id);
    expect(covering).toMatchObject({ workerId: sub.w.workerId, status: 'scheduled' });

    const pause = await inject('POST', `/api/v1/orders/${o.id}/pause`, resident.cookie, {
      from: day(t, 5),
      to: day(t, 7),
    });
    expect(pause.statusCode).toBe(200);
    expect(pause.json().bookings.filter((b: { status: string }) => b.status === 'paused')).toHaveLength(3);
    const resume = await inject('POST', `/api/v1/orders/${o.id}/pause`, resident.cookie, {
      from: day(t, 5),
      to: day(t, 7),
      resume: true,
    });
    expect(resume.json().bookings.filter((b: { status: string }) => b.status === 'paused')).toHaveLength(0);
  });
});

describe('deadlines run by the job', () => {
  test('unanswered requests expire; accepted visits start; services auto-confirm after 3 days; completed orders close after 15', async () => {
    const { co, w, itemId, resident } = await setup();
    const unanswered = (await book(resident.cookie, hourly(itemId, w.workerId, slot(30)))).json();
    const kept = (await book(resident.cookie, hourly(itemId, w.workerId, slot(6), 2))).json();
    await inject('POST', `/api/v1/orders/${kept.id}/accept`, co.cookie, {});
    const svc = t.app.services.orders;
    const ctx = systemContext('test');
    const before = t.clock.now;
    try {
      t.clock.advance(25 * HOUR);
      const r1 = await svc.runDue(ctx);
      expect(r1.expired).toBeGreaterThanOrEqual(1);
      expect(r1.started).toBeGreaterThanOrEqual(1);
      const states = async () =>
        Object.fromEntries(
          (
            await t.database.db
              .select()
              .from(serviceOrder)
              .where(eq(serviceOrder.residentUserId, resident.userId))
          ).map((o) => [o.id, o.state]),
        );
      expect(await states()).toMatchObject({ [unanswered.id]: 'expired', [kept.id]: 'in_service' });
      t.clock.advance(3 * 24 * HOUR);
      await svc.runDue(ctx);
      expect((await states())[kept.id]).toBe('completed');
      const f = await t.database.db.select().from(followUp).where(eq(followUp.orderId, kept.id));
      expect(f.map((x) => x.assigneeKind)).toContain('company');
      t.clock.advance(16 * 24 * HOUR);
      await svc.runDue(ctx);
      expect((await states())[kept.id]).toBe('closed');
      const ev = await t.database.db.select().from(orderEvent).where(eq(orderEvent.orderId, kept.id));
      expect(ev.map((e) => `${e.action}:${e.party}`)).toEqual([
        'request:resident',
        'accept:company',
        'start:system',
        'auto_confirm:system',
        'close:system',
      ]);
    } finally {
      t.clock.now = before;
    }
  });
});
