import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { createRandom } from '../../../seed/random.js';
import { seedDemoWorkers } from '../workers.seed.js';
import { account, company } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

test('the demo seed builds workers in realistic states, and a fully valid demo worker', async () => {
  const coA = await company(t);
  const coB = await company(t);
  const demo = await account(t, [{ role: 'worker' }], '张秀芳');
  const started = Date.now();
  const out = await seedDemoWorkers({
    db: t.database.db,
    pii: t.app.pii,
    storage: t.app.storage,
    random: createRandom(7),
    companyIds: [coA.orgId, coB.orgId],
    demoWorker: { userId: demo.userId, name: '张秀芳' },
    count: 300,
    now: t.clock.now,
  });
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(out.workerIds).toHaveLength(301);
  const svc = t.app.services.workers;
  const facts = await Promise.all(out.workerIds.map((id) => svc.trustFacts(id)));
  const health = facts.map((f) => f!.health.state);
  const expired = health.filter((s) => s === 'expired').length;
  expect(expired).toBeGreaterThan(15);
  expect(expired).toBeLessThan(50);
  expect(health.filter((s) => s === 'pending').length).toBeGreaterThan(5);
  expect(health.filter((s) => s === 'valid').length).toBeGreaterThan(200);
  expect(facts.filter((f) => f!.background.state === 'record_found')).toHaveLength(2);

  const mine = await svc.findWorkerIdByUser(demo.userId);
  const f = (await svc.trustFacts(mine!))!;
  expect(f).toMatchObject({
    companyId: coA.orgId,
    identity: { verified: true },
    health: { state: 'valid' },
    background: { state: 'clear' },
    skillCert: { state: 'valid' },
    training: { state: 'passed' },
  });
  expect(f.consent).not.toBeNull();
  const view = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me',
    headers: { cookie: demo.cookie },
  });
  expect(view.statusCode).toBe(200);
  expect(view.json().name).toBe('张秀芳');
});
