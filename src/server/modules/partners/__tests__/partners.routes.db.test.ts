import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { account, company, selfWorker } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { systemContext } from '../../../platform/http/context.js';
import { createEgress } from '../../../platform/net/egress.js';
import { createPartnersService } from '../partners.service.js';
import { partnerApiKey, partnerClient, partnerDelivery, partnerOrder } from '../partners.tables.js';
import { SIGNATURE_TOLERANCE_SECONDS, verifySignature } from '../signing.js';

// The partner API through the real app: keys (issue, rotate with overlap, expire, revoke), scopes on every partner
// route, IP allow-list, per-key rate limits and usage, worker consent, webhooks against a local receiver, orders.
let t: TestApp;
let admin: Awaited<ReturnType<typeof account>>;
const P = '/api/partner/v1';
const allScopes = [
  'certificates:verify',
  'companies:read',
  'statistics:read',
  'orders:write',
  'workers:read',
];

beforeAll(async () => {
  t = await buildTestApp();
  admin = await account(t, [{ role: 'platform_admin' }], '平台管理员');
});
afterAll(async () => t?.close());

const asAdmin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie: admin.cookie }, ...(payload ? { payload } : {}) });
const withKey = (
  key: string,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, ...headers },
    ...(payload ? { payload } : {}),
  });

async function newClient(over: Record<string, unknown> = {}) {
  const res = await asAdmin('POST', '/api/v1/admin/partners', {
    name: '广州市家政服务综合平台',
    organization: '广州市商务局',
    contactName: '梁志强',
    contactPhone: uniquePhone(),
    scopes: allScopes,
    ipAllowlist: [],
    rateLimitPerMinute: 1000,
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { client: { id: string }; key: { id: string; secret: string; prefix: string } };
  return { id: body.client.id, keyId: body.key.id, key: body.key.secret, prefix: body.key.prefix };
}

describe('API keys', () => {
  test('shown once, stored as a keyed hash, never listed again', async () => {
    const c = await newClient();
    expect(c.key).toMatch(/^ak_[A-Za-z0-9_-]{43}$/);
    expect(c.prefix).toBe(c.key.slice(0, 11));
    const [row] = await t.database.db.select().from(partnerApiKey).where(eq(partnerApiKey.id, c.keyId));
    expect(row!.keyHash).not.toContain(c.key.slice(3));
    const detail = await asAdmin('GET', `/api/v1/admin/partners/${c.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(c.key);
    expect(detail.json().keys[0]).toMatchObject({ id: c.keyId, state: 'active', prefix: c.prefix });
    expect(detail.json().contactPhoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
    const [stored] = await t.database.db.select().from(partnerClient).where(eq(partnerClient.id, c.id));
    expect(stored!.contactPhoneEnc).not.toMatch(/^1\d{10}$/);
  });

  test('missing, malformed, unknown keys are 401 with distinct codes; both headers work', async () => {
    const c = await newClient();
    const none = await t.app.inject({ method: 'GET', url: `${P}/statistics` });
    expect([none.statusCode, none.json().code]).toEqual([401, 'PARTNER_KEY_MISSING']);
    expect(none.headers['content-type']).toContain('application/problem+json');
    const bad = await withKey('nonsense', 'GET', `${P}/statistics`);
    expect([bad.statusCode, bad.json().code]).toEqual([401, 'PARTNER_KEY_INVALID']);
    const unknown = await withKey(`ak_${'A'.repeat(43)}`, 'GET', `${P}/statistics`);
    expect([unknown.statusCode, unknown.json().code]).toEqual([401, 'PARTNER_KEY_INVALID']);
    expect((await withKey(c.key, 'GET', `${P}/statistics`)).statusCode).toBe(200);
    const viaHeader = await t.app.inject({
      method: 'GET',
      url: `${P}/statistics`,
      headers: { 'x-api-key': c.key },
    });
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.json()).toMatchObject({ activeCompanies: expect.any(Number) });
    // A session cookie is no key.
    const cookie = await t.app.inject({
      method: 'GET',
      url: `${P}/statistics`,
      headers: { cookie: admin.cookie },
    });
    expect(cookie.statusCode).toBe(401);
  });

  test('rotation keeps the old key valid for the overlap, then it expires; revocation is immediate', async () => {
    const c = await newClient();
    const rotated = await asAdmin('POST', `/api/v1/admin/partners/${c.id}/keys`, {
      label: '2026 轮换',
      rotateKeyId: c.keyId,
      overlapHours: 2,
    });
    expect(rotated.statusCode, rotated.body).toBe(201);
    const fresh = rotated.json() as { id: string; secret: string };
    expect((await withKey(c.key, 'GET', `${P}/statistics`)).statusCode).toBe(200);
    expect((await withKey(fresh.secret, 'GET', `${P}/statistics`)).statusCode).toBe(200);
    const during = await asAdmin('GET', `/api/v1/admin/partners/${c.id}`);
    expect(during.json().keys.find((k: { id: string }) => k.id === c.keyId).state).toBe('rotating');
    // Rotating a key that is already rotating is refused.
    const again = await asAdmin('POST', `/api/v1/admin/partners/${c.id}/keys`, {
      label: 'x',
      rotateKeyId: c.keyId,
    });
    expect([again.statusCode, again.json().code]).toEqual([409, 'PARTNER_INVALID_TRANSITION']);

    t.clock.advance(2 * 3600_000 + 1000);
    const old = await withKey(c.key, 'GET', `${P}/statistics`);
    expect([old.statusCode, old.json().code]).toEqual([401, 'PARTNER_KEY_EXPIRED']);
    expect((await withKey(fresh.secret, 'GET', `${P}/statistics`)).statusCode).toBe(200);

    const revoke = await asAdmin('POST', `/api/v1/admin/partners/${c.id}/keys/${fresh.id}/revoke`);
    expect([revoke.statusCode, revoke.json().state]).toEqual([200, 'revoked']);
    const gone = await withKey(fresh.secret, 'GET', `${P}/statistics`);
    expect([gone.statusCode, gone.json().code]).toEqual([401, 'PARTNER_KEY_REVOKED']);
    const twice = await asAdmin('POST', `/api/v1/admin/partners/${c.id}/keys/${fresh.id}/revoke`);
    expect(twice.statusCode).toBe(409);
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, c.id));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['partner.client_created', 'partner.key_rotated', 'partner.key_revoked']),
    );
  });

  test('a key past its expiry is refused', async () => {
    const c = await newClient({ keyExpiresInDays: 1 });
    t.clock.advance(86_400_000 + 1000);
    const res = await withKey(c.key, 'GET', `${P}/statistics`);
    expect([res.statusCode, res.json().code]).toEqual([401, 'PARTNER_KEY_EXPIRED']);
  });

  test('a suspended client is refused until reactivated; the wrong step is a 409', async () => {
    const c = await newClient();
    expect((await asAdmin('POST', `/api/v1/admin/partners/${c.id}/suspend`)).json().status).toBe('suspended');
    const res = await withKey(c.key, 'GET', `${P}/statistics`);
    expect([res.statusCode, res.json().code]).toEqual([403, 'PARTNER_CLIENT_SUSPENDED']);
    expect((await asAdmin('POST', `/api/v1/admin/partners/${c.id}/suspend`)).statusCode).toBe(409);
    expect((await asAdmin('POST', `/api/v1/admin/partners/${c.id}/reactivate`)).statusCode).toBe(200);
    expect((await withKey(c.key, 'GET', `${P}/statistics`)).statusCode).toBe(200);
  });

  test('bad admin input is a 422 and stores nothing', async () => {
    const before = await t.database.db.select().from(partnerClient);
    for (const body of [
      { scopes: ['everything'] },
      { scopes: [] },
      { contactPhone: '12345' },
      { ipAllowlist: ['not an ip'] },
      { rateLimitPerMinute: 0 },
      { extra: true },
    ]) {
      const res = await asAdmin('POST', '/api/v1/admin/partners', {
        name: 'x',
        organization: 'y',
        contactName: 'z',
        contactPhone: uniquePhone(),
        scopes: ['statistics:read'],
        ipAllowlist: [],
        rateLimitPerMinute: 10,
        ...body,
      });
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
    }
    expect(await t.database.db.select().from(partnerClient)).toHaveLength(before.length);
  });
});

describe('scopes, IP allow-list and rate limits', () => {
  test('every partner route refuses a key without its scope and admits one with it', async () => {
    const routes = t.app.routeRegistry.filter((r) => 'partner' in r.authz);
    expect(routes.length).toBeGreaterThanOrEqual(7);
    for (const r of routes) {
      const scope = (r.authz as { partner: string }).partner;
      const without = await newClient({ scopes: allScopes.filter((s) => s !== scope) });
      const withIt = await newClient({ scopes: [scope] });
      const url = `${r.url.replace(':id', 'zz_00000000000000000000000000')}`;
      const call = (key: string) =>
        withKey(key, r.method as 'GET', url, r.method === 'POST' ? {} : undefined);
      const refused = await call(without.key);
      expect([refused.statusCode, refused.json().code], `${r.method} ${r.url}`).toEqual([
        403,
        'PARTNER_SCOPE_MISSING',
      ]);
      const admitted = await call(withIt.key);
      // Past the door: whatever the handler answers for a made-up id, it is not the gate refusing.
      expect([401, 429, 500], `${r.method} ${r.url}: ${admitted.body}`).not.toContain(admitted.statusCode);
      if (admitted.statusCode === 403) expect(admitted.json().code).toBe('PARTNER_CONSENT_REQUIRED');
    }
  });

  test('an address outside the allow-list is refused', async () => {
    const c = await newClient({ ipAllowlist: ['203.0.113.0/24'] });
    const res = await withKey(c.key, 'GET', `${P}/statistics`);
    expect([res.statusCode, res.json().code]).toEqual([403, 'PARTNER_IP_NOT_ALLOWED']);
    const ok = await t.app.inject({
      method: 'GET',
      url: `${P}/statistics`,
      remoteAddress: '203.0.113.7',
      headers: { authorization: `Bearer ${c.key}` },
    });
    expect(ok.statusCode).toBe(200);
  });

  test('over the per-key limit is a 429 with Retry-After; usage is counted per day', async () => {
    const c = await newClient({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await withKey(c.key, 'GET', `${P}/statistics`)).statusCode).toBe(200);
    const over = await withKey(c.key, 'GET', `${P}/statistics`);
    expect([over.statusCode, over.json().code]).toEqual([429, 'PARTNER_RATE_LIMITED']);
    const retry = Number(over.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    t.clock.advance(61_000);
    expect((await withKey(c.key, 'GET', `${P}/statistics`)).statusCode).toBe(200);
    const usage = (await asAdmin('GET', `/api/v1/admin/partners/${c.id}`)).json().usage as {
      requests: number;
      refused: number;
    }[];
    expect(usage.reduce((s, u) => s + u.requests, 0)).toBe(5);
    expect(usage.reduce((s, u) => s + u.refused, 0)).toBe(1);
  });
});

describe('worker consent', () => {
  test('no consent → 403; a grant lets the partner read (masked, logged); revocation and expiry end it', async () => {
    const c = await newClient();
    const w = await selfWorker(t);
    const url = `${P}/workers/${w.workerId}/record`;
    const before = await withKey(c.key, 'GET', url);
    expect([before.statusCode, before.json().code]).toEqual([403, 'PARTNER_CONSENT_REQUIRED']);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workers/me/partner-consents',
      headers: { cookie: w.cookie },
    });
    expect(list.json().partners.map((p: { id: string }) => p.id)).toContain(c.id);
    const grant = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workers/me/partner-consents',
      headers: { cookie: w.cookie },
      payload: { clientId: c.id, scope: 'basic', days: 7 },
    });
    expect(grant.statusCode, grant.body).toBe(201);
    expect(grant.json()).toMatchObject({ state: 'active', scope: 'basic', partner: { id: c.id } });

    const read = await withKey(c.key, 'GET', url);
    expect(read.statusCode, read.body).toBe(200);
    const rec = read.json();
    expect(rec.worker.id).toBe(w.workerId);
    expect(rec.worker.idNumberMasked).not.toBe(w.idNumber);
    expect(rec.worker.idNumberMasked).toContain('*');
    expect(read.body).not.toContain(w.idNumber);
    expect(rec.employment).toBeNull();

    const log = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workers/me/access-log',
      headers: { cookie: w.cookie },
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().items[0]).toMatchObject({ what: 'efile', viewer: { orgName: '广州市商务局' } });

    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/v1/workers/me/partner-consents/${grant.json().id}/revoke`,
      headers: { cookie: w.cookie },
    });
    expect([revoke.statusCode, revoke.json().state]).toEqual([200, 'revoked']);
    const after = await withKey(c.key, 'GET', url);
    expect([after.statusCode, after.json().code]).toEqual([403, 'PARTNER_CONSENT_REQUIRED']);

    // A second, short grant expires by itself.
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workers/me/partner-consents',
      headers: { cookie: w.cookie },
      payload: { clientId: c.id, scope: 'full', days: 1 },
    });
    expect(short.statusCode).toBe(201);
    const full = await withKey(c.key, 'GET', url);
    expect([full.statusCode, full.json().scope]).toEqual([200, 'full']);
    t.clock.advance(86_400_000 + 1000);
    expect((await withKey(c.key, 'GET', url)).statusCode).toBe(403);

    // Another partner never rides on this worker's grant to the first.
    const other = await newClient();
    expect((await withKey(other.key, 'GET', url)).statusCode).toBe(403);
    // Someone else's grant cannot be revoked.
    const stranger = await selfWorker(t);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/workers/me/partner-consents/${short.json().id}/revoke`,
      headers: { cookie: stranger.cookie },
    });
    expect(foreign.statusCode).toBe(404);
  });
});

/** A local webhook receiver: answers with the queued statuses (then 200) and keeps what it got. */
async function receiver(statuses: number[]) {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hooks`, got, close: () => new Promise((r) => server.close(r)) };
}

describe('webhooks', () => {
  test('signed deliveries, retried with backoff, replayed, verified with the documented recipe', async () => {
    const c = await newClient();
    const rx = await receiver([500]);
    try {
      const sub = await asAdmin('POST', `/api/v1/admin/partners/${c.id}/webhooks`, {
        url: rx.url,
        events: ['company.expelled'],
      });
      expect(sub.statusCode, sub.body).toBe(201);
      const secret = sub.json().secret as string;
      const { partners } = t.app.services;

      const ids = await partners.onEvent(
        'credit.company_expelled',
        { companyId: 'org_x' },
        { id: 'obx_expel_1' },
      );
      expect(ids).toHaveLength(1);
      // The same outbox event again (at-least-once delivery) makes no second delivery.
      expect(
        await partners.onEvent('credit.company_expelled', { companyId: 'org_x' }, { id: 'obx_expel_1' }),
      ).toEqual([]);
      const id = ids[0]!;

      expect(await partners.attemptDelivery(id)).toBe(false);
      let [d] = await t.database.db.select().from(partnerDelivery).where(eq(partnerDelivery.id, id));
      expect(d).toMatchObject({ status: 'retrying', attempts: 1, lastStatusCode: 500 });
      const wait = d!.nextAttemptAt!.getTime() - t.clock.now.getTime();
      expect(wait).toBeGreaterThanOrEqual(30_000);
      expect(wait).toBeLessThanOrEqual(33_000);
      expect(await partners.dueDeliveries()).not.toContain(id);
      t.clock.advance(34_000);
      expect(await partners.dueDeliveries()).toContain(id);
      expect(await partners.attemptDelivery(id)).toBe(true);
      [d] = await t.database.db.select().from(partnerDelivery).where(eq(partnerDelivery.id, id));
      expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });

      expect(rx.got).toHaveLength(2);
      for (const hit of rx.got) {
        const header = hit.headers['anxin-signature'] as string;
        const ts = Number(/t=(\d+)/.exec(header)![1]);
        expect(verifySignature(secret, hit.body, header, ts + 10)).toEqual({ ok: true });
        expect(verifySignature(secret, hit.body, header, ts + SIGNATURE_TOLERANCE_SECONDS + 1)).toEqual({
          ok: false,
          reason: 'stale',
        });
        expect(verifySignature('whsec_wrong', hit.body, header, ts)).toMatchObject({ ok: false });
        expect(JSON.parse(hit.body)).toEqual({
          id: 'obx_expel_1',
          type: 'company.expelled',
          createdAt: expect.any(String),
          data: { companyId: 'org_x' },
        });
        expect(hit.headers['anxin-event-id']).toBe('obx_expel_1');
      }

      const replay = await asAdmin('POST', `/api/v1/admin/partners/${c.id}/deliveries/${id}/replay`);
      expect(replay.statusCode, replay.body).toBe(200);
      expect(replay.json()).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(replay.json().log[0]).toMatchObject({ replay: true, statusCode: 200 });
      expect(rx.got).toHaveLength(3);
      expect(JSON.parse(rx.got[2]!.body).id).toBe('obx_expel_1');

      const listed = await asAdmin('GET', `/api/v1/admin/partners/${c.id}/deliveries`);
      expect(listed.json().items[0]).toMatchObject({ id, eventType: 'company.expelled' });
      expect(listed.json().items[0].log).toHaveLength(3);
    } finally {
      await rx.close();
    }
  });

  test('a receiver that never answers 2xx is given up after the last attempt', async () => {
    const c = await newClient();
    const rx = await receiver(Array(20).fill(503));
    try {
      await asAdmin('POST', `/api/v1/admin/partners/${c.id}/webhooks`, {
        url: rx.url,
        events: ['contract.filed'],
      });
      const [id] = await t.app.services.partners.onEvent(
        'contracts.filed',
        { contractId: 'ctr_1', filingNo: 'GZ-2026-1', residentUserId: 'usr_hidden' },
        { id: 'obx_filed_1' },
      );
      for (let i = 0; i < 8; i++) {
        expect(await t.app.services.partners.attemptDelivery(id!)).toBe(false);
        // Not due again until its backoff has passed: a second call now claims nothing.
        expect(await t.app.services.partners.attemptDelivery(id!)).toBe(false);
        t.clock.advance(3 * 3600_000);
      }
      expect(rx.got).toHaveLength(8);
      const [d] = await t.database.db.select().from(partnerDelivery).where(eq(partnerDelivery.id, id!));
      expect(d).toMatchObject({ status: 'dead', attempts: 8 });
      expect(JSON.parse(rx.got[0]!.body).data).toEqual({ contractId: 'ctr_1', filingNo: 'GZ-2026-1' });
    } finally {
      await rx.close();
    }
  });

  test('URLs to private or loopback addresses are refused when the guard is on; bad URLs always', async () => {
    const c = await newClient();
    const always = await asAdmin('POST', `/api/v1/admin/partners/${c.id}/webhooks`, {
      url: 'https://user:pw@partner.example.cn/h',
      events: ['company.expelled'],
    });
    expect([always.statusCode, always.json().code]).toEqual([422, 'PARTNER_WEBHOOK_URL_REFUSED']);
    const s = t.app.services;
    const guarded = createPartnersService({
      db: t.database.db,
      clock: () => t.clock.now,
      pii: t.app.pii,
      allowPrivateWebhooks: false,
      resolveHost: async (h) => (h === 'internal.example.cn' ? ['10.0.0.8'] : ['203.0.113.10']),
      egress: createEgress({ allow: { mode: 'all' } }),
      certification: s.certification,
      orgs: s.orgs,
      efile: s.efile,
      orders: s.orders,
      identity: s.identity,
      workers: s.workers,
      catalog: s.catalog,
    });
    const ctx = {
      ...systemContext('test'),
      actor: {
        userId: admin.userId,
        sessionId: 's',
        name: '',
        phoneMasked: '',
        roles: ['platform_admin' as const],
        memberships: [],
        regulatorDistrict: null,
      },
    };
    for (const url of [
      'https://127.0.0.1/h',
      'https://169.254.169.254/latest/meta-data',
      'https://internal.example.cn/h',
      'http://partner.example.cn/h',
    ])
      await expect(
        guarded.createWebhook(ctx, c.id, { url, events: ['company.expelled'] }),
      ).rejects.toMatchObject({
        code: 'PARTNER_WEBHOOK_URL_REFUSED',
      });
    const ok = await guarded.createWebhook(ctx, c.id, {
      url: 'https://partner.example.cn/h',
      events: ['company.expelled'],
    });
    expect(ok.url).toBe('https://partner.example.cn/h');
  });
});

describe('orders on behalf of a partner resident', () => {
  test('created once per Idempotency-Key, tracked only by their partner, events only to that partner', async () => {
    const co = await company(t);
    const item = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${co.orgId}/service-items`,
      headers: { cookie: co.cookie },
      payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（2小时起）' },
    });
    expect(item.statusCode, item.body).toBe(201);
    const a = await newClient();
    const b = await newClient();
    const rxA = await receiver([]);
    const rxB = await receiver([]);
    try {
      await asAdmin('POST', `/api/v1/admin/partners/${a.id}/webhooks`, {
        url: rxA.url,
        events: ['order.status_changed'],
      });
      await asAdmin('POST', `/api/v1/admin/partners/${b.id}/webhooks`, {
        url: rxB.url,
        events: ['order.status_changed'],
      });
      const q = 15 * 60_000;
      const startAt = new Date(Math.ceil((t.clock.now.getTime() + 48 * 3600_000) / q) * q).toISOString();
      const body = {
        externalUserId: 'gz-u-1001',
        externalRef: 'GZ-0001',
        resident: { name: '陈美玲', phone: uniquePhone() },
        priceItemId: item.json().id,
        schedule: { mode: 'hourly', startAt, hours: 2 },
        address: '广州市天河区体育西路100号1203房',
        district: '440106',
      };
      const first = await withKey(a.key, 'POST', `${P}/orders`, body, { 'idempotency-key': 'gz-order-0001' });
      expect(first.statusCode, first.body).toBe(201);
      const order = first.json();
      expect(order).toMatchObject({
        state: 'requested',
        externalUserId: 'gz-u-1001',
        externalRef: 'GZ-0001',
      });
      expect(first.body).not.toContain('体育西路100号');
      const again = await withKey(a.key, 'POST', `${P}/orders`, body, { 'idempotency-key': 'gz-order-0001' });
      expect([again.statusCode, again.json().id]).toEqual([201, order.id]);
      expect(
        await t.database.db.select().from(partnerOrder).where(eq(partnerOrder.clientId, a.id)),
      ).toHaveLength(1);

      expect((await withKey(a.key, 'GET', `${P}/orders/${order.id}`)).json().id).toBe(order.id);
      expect((await withKey(b.key, 'GET', `${P}/orders/${order.id}`)).statusCode).toBe(404);
      expect((await withKey(a.key, 'GET', `${P}/orders`)).json().items).toHaveLength(1);
      expect((await withKey(b.key, 'GET', `${P}/orders`)).json().items).toHaveLength(0);

      // The same external user books again through the same shadow account.
      const second = await withKey(a.key, 'POST', `${P}/orders`, {
        ...body,
        externalRef: 'GZ-0002',
        schedule: {
          mode: 'hourly',
          startAt: new Date(Date.parse(startAt) + 86_400_000).toISOString(),
          hours: 2,
        },
      });
      expect(second.statusCode, second.body).toBe(201);

      // Bad input stores nothing.
      const bad = await withKey(a.key, 'POST', `${P}/orders`, {
        ...body,
        priceItemId: 'svi_nope',
        externalUserId: 'gz-u-9',
      });
      expect(bad.statusCode).toBe(422);
      expect(
        await t.database.db.select().from(partnerOrder).where(eq(partnerOrder.clientId, a.id)),
      ).toHaveLength(2);

      // The company accepts: the outbox event becomes a delivery for partner A only.
      const accept = await t.app.inject({
        method: 'POST',
        url: `/api/v1/orders/${order.id}/decline`,
        headers: { cookie: co.cookie },
        payload: { reason: '该时段人手已满' },
      });
      expect(accept.statusCode, accept.body).toBe(200);
      await t.app.platform.outbox.drainOnce();
      for (const id of await t.app.services.partners.dueDeliveries())
        await t.app.services.partners.attemptDelivery(id);
      expect(rxA.got.map((g) => JSON.parse(g.body).data)).toContainEqual(
        expect.objectContaining({ orderId: order.id, state: 'declined' }),
      );
      expect(rxB.got).toHaveLength(0);
      expect((await withKey(a.key, 'GET', `${P}/orders/${order.id}`)).json().state).toBe('declined');
    } finally {
      await rxA.close();
      await rxB.close();
    }
  });
});

describe('OpenAPI', () => {
  test('every partner operation has a summary, a description, security and its error responses', () => {
    const doc = t.app.swagger() as {
      paths: Record<
        string,
        Record<
          string,
          {
            summary?: string;
            description?: string;
            security?: unknown[];
            responses?: Record<string, unknown>;
          }
        >
      >;
      components?: { securitySchemes?: Record<string, unknown> };
    };
    expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual(
      expect.arrayContaining(['partnerBearer', 'partnerApiKey']),
    );
    const partnerOps = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/partner/v1'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ at: `${method} ${path}`, op })));
    expect(partnerOps.length).toBe(t.app.routeRegistry.filter((r) => 'partner' in r.authz).length);
    for (const { at, op } of partnerOps) {
      expect(op.summary, at).toBeTruthy();
      expect(op.description, at).toBeTruthy();
      expect(op.security, at).toHaveLength(2);
      const codes = Object.keys(op.responses ?? {});
      expect(
        codes.some((c) => c === '200' || c === '201'),
        at,
      ).toBe(true);
      expect(codes, at).toEqual(expect.arrayContaining(['401', '403', '429']));
    }
  });
});
