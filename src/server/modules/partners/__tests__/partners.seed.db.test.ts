import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, selfWorker } from '../../../../../test/factories/workers.js';
import { DEV_SANDBOX_KEY, seedPartners } from '../partners.seed.js';

// The demo seed goes through the real service: the documented dev sandbox key works, the demo worker's consent
// lets the sandbox read the record, the suspended client is refused; a production seed never uses the dev key.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('partners seed', () => {
  test('sandbox client with the dev key, a consent, a suspended client', async () => {
    const admin = await account(t, [{ role: 'platform_admin' }]);
    const w = await selfWorker(t);
    const out = await seedPartners({
      partners: t.app.services.partners,
      adminUserId: admin.userId,
      demoWorkerUserId: w.userId,
      production: false,
    });
    expect(out).toMatchObject({ clients: 3, consents: 1 });
    const headers = { authorization: `Bearer ${DEV_SANDBOX_KEY}` };
    const stats = await t.app.inject({ method: 'GET', url: '/api/partner/v1/statistics', headers });
    expect(stats.statusCode).toBe(200);
    const rec = await t.app.inject({
      method: 'GET',
      url: `/api/partner/v1/workers/${w.workerId}/record`,
      headers,
    });
    expect(rec.statusCode, rec.body).toBe(200);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/partners',
      headers: { cookie: admin.cookie },
    });
    const statuses = (list.json().items as { status: string; sandbox: boolean }[]).map((c) => [
      c.status,
      c.sandbox,
    ]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['active', true],
        ['suspended', false],
      ]),
    );
  });
});
