import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { account } from '../../../../../test/factories/workers.js';
import { systemContext } from '../../../platform/http/context.js';
import { createEgress } from '../../../platform/net/egress.js';
import { createPartnersService } from '../partners.service.js';
import { partnerDelivery, partnerWebhook } from '../partners.tables.js';

// Webhooks under OUTBOUND_ALLOW_HOSTS: `localhost` is listed, `127.0.0.1` (the same machine) is not, so a receiver
// reached by the unlisted name proves the refusal happens before any connection.
let t: TestApp;
let admin: Awaited<ReturnType<typeof account>>;

/** A local receiver that counts TCP connections and requests. */
async function receiver() {
  let connections = 0;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    counts: () => ({ connections, requests }),
    close: () => new Promise((r) => server.close(r)),
  };
}

beforeAll(async () => {
  t = await buildTestApp({ OUTBOUND_ALLOW_HOSTS: 'localhost,*.partner.example.cn' });
  admin = await account(t, [{ role: 'platform_admin' }], '平台管理员');
});
afterAll(async () => t?.close());

async function newClient() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/partners',
    headers: { cookie: admin.cookie },
    payload: {
      name: '广州市家政服务综合平台',
      organization: '广州市商务局',
      contactName: '梁志强',
      contactPhone: uniquePhone(),
      scopes: ['companies:read'],
      ipAllowlist: [],
      rateLimitPerMinute: 1000,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().client.id as string;
}

const subscribe = (clientId: string, url: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/partners/${clientId}/webhooks`,
    headers: { cookie: admin.cookie },
    payload: { url, events: ['company.expelled'] },
  });

describe('webhooks and the outbound allow-list', () => {
  test('a subscription to a host not on the list is refused (422) and stores nothing', async () => {
    const clientId = await newClient();
    const rx = await receiver();
    try {
      const before = await t.database.db.select().from(partnerWebhook);
      const res = await subscribe(clientId, `http://127.0.0.1:${rx.port}/hooks`);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({
        code: 'PARTNER_WEBHOOK_URL_REFUSED',
        message: { en: expect.stringContaining('outbound allow-list') },
        errors: [{ path: 'url', message: expect.stringContaining('OUTBOUND_ALLOW_HOSTS') }],
      });
      expect(await t.database.db.select().from(partnerWebhook)).toHaveLength(before.length);
      expect(rx.counts()).toEqual({ connections: 0, requests: 0 });
      // A listed name on the same machine is accepted.
      expect((await subscribe(clientId, `http://localhost:${rx.port}/hooks`)).statusCode).toBe(201);
    } finally {
      await rx.close();
    }
  });

  test('a delivery to a host no longer on the list is refused before connecting; a listed one is delivered', async () => {
    const clientId = await newClient();
    const listed = await receiver();
    const unlisted = await receiver();
    try {
      expect((await subscribe(clientId, `http://localhost:${listed.port}/hooks`)).statusCode).toBe(201);
      // The subscription made before the list was narrowed: the same database, a service with no list.
      const s = t.app.services;
      const unrestricted = createPartnersService({
        db: t.database.db,
        clock: () => t.clock.now,
        pii: t.app.pii,
        allowPrivateWebhooks: true,
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
      const old = await unrestricted.createWebhook(ctx, clientId, {
        url: `http://127.0.0.1:${unlisted.port}/hooks`,
        events: ['company.expelled'],
      });

      const ids = await s.partners.onEvent(
        'credit.company_expelled',
        { companyId: 'org_egress' },
        { id: 'obx_egress_1' },
      );
      const mine = await t.database.db
        .select({ id: partnerWebhook.id })
        .from(partnerWebhook)
        .where(eq(partnerWebhook.clientId, clientId));
      const delivered = (await t.database.db.select().from(partnerDelivery)).filter(
        (r) => ids.includes(r.id) && mine.some((w) => w.id === r.webhookId),
      );
      expect(delivered).toHaveLength(2);
      const results = new Map<string, boolean>();
      for (const d of delivered) results.set(d.id, await s.partners.attemptDelivery(d.id));
      const rows = await t.database.db.select().from(partnerDelivery);
      const toOld = rows.find((r) => ids.includes(r.id) && r.webhookId === old.id)!;
      const toListed = rows.find((r) => r.id !== toOld.id && delivered.some((d) => d.id === r.id))!;
      expect(results.get(toOld.id)).toBe(false);
      expect(toOld).toMatchObject({
        status: 'retrying',
        lastStatusCode: null,
        lastError: 'refused: host not on the outbound allow-list',
      });
      expect(unlisted.counts()).toEqual({ connections: 0, requests: 0 });
      expect(results.get(toListed.id)).toBe(true);
      expect(toListed).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
      expect(listed.counts().requests).toBe(1);

      // Retried later, still refused, still nothing sent.
      t.clock.advance(3600_000);
      expect(await s.partners.attemptDelivery(toOld.id)).toBe(false);
      expect(unlisted.counts()).toEqual({ connections: 0, requests: 0 });
      const [again] = await t.database.db
        .select()
        .from(partnerDelivery)
        .where(eq(partnerDelivery.id, toOld.id));
      expect(again!.attempts).toBe(2);
    } finally {
      await listed.close();
      await unlisted.close();
    }
  });
});
