import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { DEMO_SEED, seedSteps } from '../../../seed/demo.js';
import { createRandom } from '../../../seed/random.js';
import { systemContext } from '../../../platform/http/context.js';

// The demo insurance step on the demo city: products, enrolled staff, claims; the demo insurer's pages have data.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

test('the demo seed gives the demo insurer products, confirmed and pending policies, and claims', async () => {
  const ctx = { app: t.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} } as Parameters<
    (typeof seedSteps)[number]['run']
  >[0];
  const steps = ['organizations', 'accounts', 'workers', 'certificates', 'insurance'];
  for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
  const ids = ctx.ids as Record<string, string[]>;
  const insurerId = ids.insurer![0]!;
  const companyId = ids.company![0]!;
  const rows = await t.database.db.query.insurancePolicy.findMany();
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.some((p) => p.state === 'active')).toBe(true);
  expect(rows.every((p) => p.insurerId === insurerId && p.companyId === companyId)).toBe(true);
  const claims = await t.database.db.query.insuranceClaim.findMany();
  expect(claims.map((c) => c.state).sort()).toEqual(
    claims.length > 1 ? ['info_requested', 'paid'] : ['info_requested'],
  );
  // The job has nothing to expire on day one.
  expect((await t.app.services.insurance.runDue(systemContext('test'))).expired).toBe(0);
}, 600_000);
