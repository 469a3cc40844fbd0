// P15 (ASVS 13.2.4/13.2.5, PIPL Art 21): outbound calls go only to OUTBOUND_ALLOW_HOSTS. Runs its own app with a list
// (`localhost`), triggers every outbound path the server has (partner webhook subscription and delivery, including a
// listed receiver that redirects off the list), and counts every TCP connect the process attempts: a listener on
// 127.0.0.1 (the same machine under a name that is not listed) must see no connection at all.
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createPartnersService } from '../../src/server/modules/partners/partners.service.js';
import { systemContext } from '../../src/server/platform/http/context.js';
import { createEgress } from '../../src/server/platform/net/egress.js';
import { buildTestApp, uniquePhone } from '../../test/app.js';
import { account } from '../../test/factories/workers.js';
import { codeOf, inject, type Suite } from './support.js';

async function listen(handler: Parameters<typeof createServer>[1]) {
  let connections = 0;
  const server: Server = createServer(handler);
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Records the target of every TCP connect made while installed (fetch/undici, http, pg all end in Socket#connect). */
function recordConnects() {
  const seen: { host: string; port: number }[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect() passes its normalised arguments as one array.
    const a = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    if (a && typeof a === 'object' && 'port' in a)
      seen.push({
        host: String((a as { host?: string }).host ?? 'localhost'),
        port: Number((a as { port: unknown }).port),
      });
    else if (typeof a === 'number' || (typeof a === 'string' && /^\d+$/.test(a)))
      seen.push({ host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(a) });
    return (original as (...x: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return { seen, restore: () => (net.Socket.prototype.connect = original) };
}

export const egress: Suite = async () => {
  const details: string[] = [];
  const outside = await listen((_req, res) => res.end('should never be reached'));
  // A listed receiver that answers 200 on /ok and redirects everything else to the unlisted one.
  const listed = await listen((req, res) => {
    if (req.url === '/ok') return res.end('ok');
    res.statusCode = 307;
    res.setHeader('location', `http://127.0.0.1:${outside.port}/stolen?token=1`);
    res.end();
  });
  const t = await buildTestApp({ OUTBOUND_ALLOW_HOSTS: 'localhost' });
  const dbUrl = process.env.TEST_DATABASE_URL ? new URL(process.env.TEST_DATABASE_URL) : null;
  const rec = recordConnects();
  try {
    const admin = await account(t, [{ role: 'platform_admin' }], '平台管理员');
    const client = await inject(t, 'POST', '/api/v1/admin/partners', admin.cookie, {
      name: '出站白名单探针',
      organization: '广州市商务局',
      contactName: '梁志强',
      contactPhone: uniquePhone(),
      scopes: ['companies:read'],
      ipAllowlist: [],
      rateLimitPerMinute: 1000,
    });
    if (client.statusCode !== 201) throw new Error(`partner client: ${client.body}`);
    const clientId = client.json().client.id as string;
    const subscribe = (url: string) =>
      inject(t, 'POST', `/api/v1/admin/partners/${clientId}/webhooks`, admin.cookie, {
        url,
        events: ['company.expelled', 'contract.filed'],
      });

    // 1. Subscriptions: an unlisted host is refused (422) and stored nothing; listed ones are accepted.
    const refused = await subscribe(`http://127.0.0.1:${outside.port}/hooks`);
    if (refused.statusCode !== 422 || codeOf(refused) !== 'PARTNER_WEBHOOK_URL_REFUSED')
      details.push(`unlisted subscription answered ${refused.statusCode}`);
    for (const path of ['/ok', '/redirect'])
      if ((await subscribe(`http://localhost:${listed.port}${path}`)).statusCode !== 201)
        details.push(`listed subscription ${path} refused`);
    // 2. A subscription made before the list was narrowed (written by a service without a list, same database).
    const s = t.app.services;
    await createPartnersService({
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
    }).createWebhook(
      {
        ...systemContext('assure'),
        actor: {
          userId: admin.userId,
          sessionId: 's',
          name: '',
          phoneMasked: '',
          roles: ['platform_admin'],
          memberships: [],
          regulatorDistrict: null,
        },
      },
      clientId,
      { url: `http://127.0.0.1:${outside.port}/old`, events: ['company.expelled', 'contract.filed'] },
    );

    // 3. Deliveries of every event the partner API sends, each attempted (and retried once).
    const ids = [
      ...(await s.partners.onEvent(
        'credit.company_expelled',
        { companyId: 'org_probe' },
        { id: 'obx_egress_a' },
      )),
      ...(await s.partners.onEvent(
        'contracts.filed',
        { contractId: 'ctr_probe', filingNo: 'GZ-2026-0', residentUserId: 'usr_x' },
        { id: 'obx_egress_b' },
      )),
    ];
    let delivered = 0;
    for (let round = 0; round < 2; round++) {
      for (const id of ids) if (await s.partners.attemptDelivery(id)) delivered++;
      t.clock.advance(3 * 3600_000);
    }
    const dbTarget = (h: string, p: number) =>
      dbUrl !== null &&
      p === Number(dbUrl.port || 5432) &&
      [dbUrl.hostname, 'localhost', '127.0.0.1'].includes(h);
    const offList = rec.seen.filter((c) => !dbTarget(c.host, c.port) && c.host !== 'localhost');
    const reachedOutside = outside.connections();
    if (offList.length) details.push(`connect attempts off the list: ${JSON.stringify(offList.slice(0, 5))}`);
    if (reachedOutside) details.push(`unlisted listener reached ${reachedOutside} times`);
    // Drill: a call that skips the list (egress with no list) must show up in the same count.
    const before = rec.seen.length;
    await (
      await createEgress({ allow: { mode: 'all' } }).fetch(`http://127.0.0.1:${outside.port}/drill`)
    ).text();
    const drillCaught = rec.seen
      .slice(before)
      .filter((c) => !dbTarget(c.host, c.port) && c.host !== 'localhost' && c.port === outside.port).length;
    if (drillCaught !== 1) details.push(`guard-bypass drill not detected (${drillCaught})`);
    const listedHits = rec.seen.filter((c) => c.host === 'localhost' && c.port === listed.port).length;
    if (delivered !== 2) details.push(`listed deliveries succeeded ${delivered}, expected 2 (one per event)`);
    return {
      name: 'egress',
      passed: details.length === 0,
      line: `OUTBOUND_ALLOW_HOSTS=localhost; deliveries attempted ${ids.length} × 2 rounds, delivered ${delivered}; connects recorded ${rec.seen.length} (listed receiver ${listedHits}, database ${rec.seen.filter((c) => dbTarget(c.host, c.port)).length}); outbound attempts to non-allowlisted hosts = ${offList.length}; unlisted listener connections ${reachedOutside}; unlisted subscription ${refused.statusCode}; redirect off the list followed 0; bypass drill caught ${drillCaught}/1`,
      figures: {
        offList: offList.length,
        outsideConnections: reachedOutside,
        delivered,
        connects: rec.seen.length,
      },
      details,
    };
  } finally {
    rec.restore();
    await t.close();
    await outside.close();
    await listed.close();
  }
};
