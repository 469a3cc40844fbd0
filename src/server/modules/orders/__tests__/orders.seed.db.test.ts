import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { buildTestApp, cookieFrom, type TestApp } from '../../../../../test/app.js';
import { DEMO_SEED, seedSteps } from '../../../seed/demo.js';
import { createRandom } from '../../../seed/random.js';
import { orderStates } from '../order-status.js';
import {
  demand,
  demandOffer,
  followUp,
  orderEvent,
  referral,
  serviceOrder,
  workerBooking,
} from '../orders.tables.js';

/**
 * The latest 21:30 in Shanghai that is not in the future. The demo seed books relative to the wall clock, and it
 * once booked a slot under an hour away whenever it ran between 21:00 and midnight Shanghai time (CI at 13:00 UTC
 * went red); seeding at that hour every time keeps that window covered.
 */
function lateEveningShanghai(now = Date.now()): Date {
  const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
  const t = Date.parse(`${day}T21:30:00+08:00`);
  return new Date(t <= now ? t : t - 86_400_000);
}

let t: TestApp;
beforeAll(async () => {
  // Only Date is faked (timers stay real), and it keeps running from the chosen instant.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(lateEveningShanghai());
  t = await buildTestApp();
  const ctx = {
    app: t.app,
    random: createRandom(DEMO_SEED),
    ids: {},
    accounts: {} as Record<string, string>,
  };
  // The whole demo city, as `npm start` seeds it (the steps share one random sequence).
  for (const step of seedSteps) await step.run(ctx);
  (globalThis as { seedAccounts?: Record<string, string> }).seedAccounts = ctx.accounts;
  vi.useRealTimers();
}, 240_000);
afterAll(async () => t?.close());

const accounts = () => (globalThis as { seedAccounts?: Record<string, string> }).seedAccounts!;

test('the demo seed makes orders in every state, each history ending in its state', async () => {
  const db = t.database.db;
  const rows = await db.select().from(serviceOrder);
  const states = new Set(rows.map((o) => o.state));
  for (const s of orderStates) expect(states, `an order in state ${s}`).toContain(s);
  for (const o of rows) {
    const events = await db
      .select()
      .from(orderEvent)
      .where(eq(orderEvent.orderId, o.id))
      .orderBy(asc(orderEvent.at), asc(orderEvent.id));
    expect(events[0]!.toState).toBe('requested');
    expect(events.at(-1)!.toState, `history of ${o.number}`).toBe(o.state);
  }
  // The demo resident has orders; the demo company has requests waiting on its board.
  expect(rows.filter((o) => o.residentUserId === accounts().resident).length).toBeGreaterThanOrEqual(5);
  expect(rows.filter((o) => o.state === 'requested').length).toBeGreaterThanOrEqual(3);
});

test('no worker is booked twice at once', async () => {
  const overlapping = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(workerBooking)
    .innerJoin(
      sql`worker_booking b2`,
      sql`b2.worker_id = ${workerBooking.workerId} and b2.id <> ${workerBooking.id} and b2.active
          and ${workerBooking.active} and b2.starts_at < ${workerBooking.endsAt} and ${workerBooking.startsAt} < b2.ends_at`,
    );
  expect(overlapping[0]!.n).toBe(0);
  const active = await t.database.db.select().from(workerBooking).where(eq(workerBooking.active, true));
  expect(active.length).toBeGreaterThan(8);
});

test('demands with offers, a station referral, and follow-ups pending and done', async () => {
  const db = t.database.db;
  const open = await db.select().from(demand).where(eq(demand.state, 'open'));
  expect(open.length).toBeGreaterThanOrEqual(3);
  const pending = await db.select().from(demandOffer).where(eq(demandOffer.state, 'pending'));
  expect(pending.length).toBeGreaterThanOrEqual(1);
  expect((await db.select().from(referral)).length).toBeGreaterThanOrEqual(1);
  const done = await db.select().from(followUp).where(eq(followUp.state, 'done'));
  expect(done.map((f) => f.satisfaction)).toContain(5);
  const stationPending = await db
    .select()
    .from(followUp)
    .where(and(eq(followUp.state, 'pending'), eq(followUp.assigneeKind, 'station')));
  expect(stationPending.length).toBe(1);
});

test('the demo accounts see them through the API', async () => {
  const login = async (phone: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/password',
      payload: { phone, password: 'Anxin@2026' },
    });
    expect(res.statusCode).toBe(200);
    return cookieFrom(res);
  };
  const resident = await login('13900000001');
  const mine = await t.app.inject({
    method: 'GET',
    url: '/api/v1/orders/mine',
    headers: { cookie: resident },
  });
  expect(mine.statusCode).toBe(200);
  expect(mine.json().items.length).toBeGreaterThanOrEqual(5);
  const admin = await login('13900000003');
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: admin } });
  const companyId = me
    .json()
    .user.memberships.find((m: { orgType: string }) => m.orgType === 'company').orgId;
  const board = await t.app.inject({
    method: 'GET',
    url: `/api/v1/orgs/${companyId}/orders?state=requested`,
    headers: { cookie: admin },
  });
  expect(board.json().items.length).toBeGreaterThanOrEqual(3);
  const worker = await login('13900000002');
  const from = new Date(Date.now() - 3600_000).toISOString();
  const to = new Date(Date.now() + 14 * 86_400_000).toISOString();
  const agenda = await t.app.inject({
    method: 'GET',
    url: `/api/v1/workers/me/schedule?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    headers: { cookie: worker },
  });
  expect(agenda.statusCode).toBe(200);
  expect(agenda.json().items.length).toBeGreaterThanOrEqual(1);
});
