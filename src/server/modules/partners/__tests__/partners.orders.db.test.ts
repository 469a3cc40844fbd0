import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { systemContext } from '../../../platform/http/context.js';
import { partnerOrder, partnerResident } from '../partners.tables.js';

// Orders a partner books for its resident: cancelling them under the orders module's own rules, and no account
// left behind when a first booking is refused.
let t: TestApp;
let admin: Awaited<ReturnType<typeof account>>;
let regulator: Awaited<ReturnType<typeof account>>;
const P = '/api/partner/v1';
const HOUR = 3600_000;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await account(t, [{ role: 'platform_admin' }], '平台管理员');
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const withKey = (key: string, method: 'GET' | 'POST', url: string, payload?: object, headers = {}) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, ...headers },
    ...(payload ? { payload } : {}),
  });

async function newClient(scopes = ['orders:write']) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/partners',
    headers: { cookie: admin.cookie },
    payload: {
      name: '广州市家政服务综合平台',
      organization: '广州市商务局',
      contactName: '梁志强',
      contactPhone: uniquePhone(),
      scopes,
      ipAllowlist: [],
      rateLimitPerMinute: 1000,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { client: { id: string }; key: { secret: string } };
  return { id: body.client.id, key: body.key.secret };
}

/** A quarter-hour instant at least `hours` from the test clock. */
function slot(hours: number): string {
  const q = 15 * 60_000;
  return new Date(Math.ceil((t.clock.now.getTime() + hours * HOUR) / q) * q).toISOString();
}

async function priceItem(co: { orgId: string; cookie: string }) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/orgs/${co.orgId}/service-items`,
    headers: { cookie: co.cookie },
    payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（2小时起）' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const orderBody = (priceItemId: string, externalUserId: string, startAt: string, over: object = {}) => ({
  externalUserId,
  resident: { name: '陈美玲', phone: uniquePhone() },
  priceItemId,
  schedule: { mode: 'hourly', startAt, hours: 2 },
  address: '广州市天河区体育西路100号1203房',
  district: '440106',
  ...over,
});

// Other modules' tables are read with plain SQL: a module's tests import only its own tables.
const accountsWith = (phone: string) =>
  t.database.raw.query<{ id: string }>('select id from "user" where phone_number = $1', [phone]);
const storedOrder = async (id: string) =>
  (
    await t.database.raw.query<{ state: string; cancelled_by: string | null; cancel_fee_fen: number | null }>(
      'select state, cancelled_by, cancel_fee_fen from service_order where id = $1',
      [id],
    )
  )[0];

async function receiver() {
  const got: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      got.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hooks`, got, close: () => new Promise((r) => server.close(r)) };
}

describe('partner order cancellation', () => {
  test('free while requested, idempotent, order.status_changed to the partner; only its own orders; once', async () => {
    const co = await company(t);
    const itemId = await priceItem(co);
    const a = await newClient();
    const b = await newClient();
    const rx = await receiver();
    try {
      const sub = await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/partners/${a.id}/webhooks`,
        headers: { cookie: admin.cookie },
        payload: { url: rx.url, events: ['order.status_changed'] },
      });
      expect(sub.statusCode, sub.body).toBe(201);
      const made = await withKey(a.key, 'POST', `${P}/orders`, orderBody(itemId, 'gz-c-1', slot(60)));
      expect(made.statusCode, made.body).toBe(201);
      const id = made.json().id as string;

      // Another partner's key, no reason, or a key without the scope: refused, nothing changes.
      expect(
        (await withKey(b.key, 'POST', `${P}/orders/${id}/cancel`, { reason: '不需要了' })).statusCode,
      ).toBe(404);
      const noReason = await withKey(a.key, 'POST', `${P}/orders/${id}/cancel`, {});
      expect([noReason.statusCode, noReason.json().code]).toEqual([422, 'VALIDATION_FAILED']);
      const narrow = await newClient(['statistics:read']);
      const scoped = await withKey(narrow.key, 'POST', `${P}/orders/${id}/cancel`, { reason: '不需要了' });
      expect([scoped.statusCode, scoped.json().code]).toEqual([403, 'PARTNER_SCOPE_MISSING']);
      expect((await storedOrder(id))?.state).toBe('requested');

      const headers = { 'idempotency-key': 'gz-cancel-0001' };
      const res = await withKey(a.key, 'POST', `${P}/orders/${id}/cancel`, { reason: '计划有变' }, headers);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id, state: 'cancelled', cancelledBy: 'resident', cancelFeeFen: 0 });
      const replay = await withKey(
        a.key,
        'POST',
        `${P}/orders/${id}/cancel`,
        { reason: '计划有变' },
        headers,
      );
      expect([replay.statusCode, replay.headers['idempotent-replayed'], replay.json().id]).toEqual([
        200,
        'true',
        id,
      ]);
      const twice = await withKey(a.key, 'POST', `${P}/orders/${id}/cancel`, { reason: '再取消一次' });
      expect([twice.statusCode, twice.json().code]).toEqual([409, 'ORDER_INVALID_TRANSITION']);

      // The orders module recorded the resident's step; the partner's call is audited under its client.
      expect(await storedOrder(id)).toEqual({
        state: 'cancelled',
        cancelled_by: 'resident',
        cancel_fee_fen: 0,
      });
      const audits = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'partner.order_cancelled'), eq(auditLog.objectId, id)));
      expect(audits).toHaveLength(1);

      await t.app.platform.outbox.drainOnce();
      for (const d of await t.app.services.partners.dueDeliveries())
        await t.app.services.partners.attemptDelivery(d);
      const events = rx.got.map((g) => JSON.parse(g) as { type: string; data: Record<string, unknown> });
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'order.status_changed',
          data: expect.objectContaining({ orderId: id, state: 'cancelled' }),
        }),
      );
    } finally {
      await rx.close();
    }
  });

  test('an accepted order within 24 hours of its start costs the resident 20% of the visit, as in the app', async () => {
    const co = await company(t);
    const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const itemId = await priceItem(co);
    const a = await newClient();
    const made = await withKey(
      a.key,
      'POST',
      `${P}/orders`,
      orderBody(itemId, 'gz-c-2', slot(5), { workerId: w.workerId }),
    );
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    const accept = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${id}/accept`,
      headers: { cookie: co.cookie },
      payload: {},
    });
    expect(accept.statusCode, accept.body).toBe(200);
    const res = await withKey(a.key, 'POST', `${P}/orders/${id}/cancel`, { reason: '临时出差' });
    expect(res.statusCode, res.body).toBe(200);
    // 2 hours × 50.00 yuan = 10000 fen; 20% of the one visit.
    expect(res.json()).toMatchObject({ state: 'cancelled', cancelledBy: 'resident', cancelFeeFen: 2000 });
  });
});

describe('the shadow resident of a refused first order', () => {
  test('is removed with its link when the booking fails after the account was made', async () => {
    const co = await company(t);
    const itemId = await priceItem(co);
    const a = await newClient();
    const body = orderBody(itemId, 'gz-shadow-1', new Date(t.clock.now.getTime() - 2 * HOUR).toISOString());
    const res = await withKey(a.key, 'POST', `${P}/orders`, body);
    expect([res.statusCode, res.json().code]).toEqual([422, 'ORDER_SLOT_IN_PAST']);
    // Nothing stored: no account with the resident's mobile, no link, no order.
    const phone = body.resident.phone;
    expect(await accountsWith(phone)).toEqual([]);
    expect(
      await t.database.db
        .select()
        .from(partnerResident)
        .where(and(eq(partnerResident.clientId, a.id), eq(partnerResident.externalUserId, 'gz-shadow-1'))),
    ).toEqual([]);
    expect(await t.database.db.select().from(partnerOrder).where(eq(partnerOrder.clientId, a.id))).toEqual(
      [],
    );

    // The same person books properly afterwards: the mobile is free, one account is made.
    const ok = await withKey(a.key, 'POST', `${P}/orders`, {
      ...body,
      schedule: { ...body.schedule, startAt: slot(48) },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await accountsWith(phone)).toHaveLength(1);
  });

  test('an existing shadow resident is kept when a later booking of theirs fails', async () => {
    const co = await company(t);
    const itemId = await priceItem(co);
    const a = await newClient();
    const body = orderBody(itemId, 'gz-shadow-2', slot(48));
    expect((await withKey(a.key, 'POST', `${P}/orders`, body)).statusCode).toBe(201);
    const past = {
      ...body,
      schedule: { ...body.schedule, startAt: new Date(t.clock.now.getTime() - HOUR).toISOString() },
    };
    expect((await withKey(a.key, 'POST', `${P}/orders`, past)).statusCode).toBe(422);
    expect(await accountsWith(body.resident.phone)).toHaveLength(1);
    expect(
      await t.database.db
        .select()
        .from(partnerResident)
        .where(and(eq(partnerResident.clientId, a.id), eq(partnerResident.externalUserId, 'gz-shadow-2'))),
    ).toHaveLength(1);
  });

  test('the identity clean-up removes only an account nothing refers to', async () => {
    const co = await company(t);
    const itemId = await priceItem(co);
    const a = await newClient();
    const body = orderBody(itemId, 'gz-shadow-3', slot(48));
    expect((await withKey(a.key, 'POST', `${P}/orders`, body)).statusCode).toBe(201);
    const [link] = await t.database.db
      .select()
      .from(partnerResident)
      .where(and(eq(partnerResident.clientId, a.id), eq(partnerResident.externalUserId, 'gz-shadow-3')));
    const ctx = systemContext('test');
    // Its order (and the partner link) refer to it: kept.
    expect(await t.app.services.identity.removeAccountIfUnused(ctx, link!.userId)).toBe(false);
    expect(await accountsWith(body.resident.phone)).toHaveLength(1);
    const phone = uniquePhone();
    const lone = await t.app.services.identity.createAccount({
      phone,
      password: 'Anxin2026pass',
      name: '王芳',
      roles: [{ role: 'resident' }],
    });
    expect(await t.app.services.identity.removeAccountIfUnused(ctx, lone)).toBe(true);
    expect(await accountsWith(phone)).toEqual([]);
  });
});
