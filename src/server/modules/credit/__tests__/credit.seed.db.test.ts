import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { DEMO_SEED, seedSteps } from '../../../seed/demo.js';
import { createRandom } from '../../../seed/random.js';
import {
  creditAppeal,
  creditExpulsion,
  creditListEntry,
  creditScore,
  creditScorecard,
} from '../credit.tables.js';

// The demo credit step on the demo city: every grade and every number of stars, a red-listed demo company,
// an expelled company on the black list, a pending appeal by the demo worker, two scorecard versions.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

test('the demo seed shows credit across the range', async () => {
  const ctx = { app: t.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} } as Parameters<
    (typeof seedSteps)[number]['run']
  >[0];
  const steps = ['organizations', 'accounts', 'workers', 'certificates', 'catalog-discovery', 'credit'];
  for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
  const ids = ctx.ids as Record<string, string[]>;
  const db = t.database.db;
  expect((await db.select().from(creditScorecard)).map((v) => v.version).sort()).toEqual([1, 2]);
  const scores = await db.select().from(creditScore);
  const companyLevels = new Set(scores.filter((s) => s.subjectType === 'company').map((s) => s.level));
  expect([...companyLevels].sort()).toEqual(['2A', '3A', '4A', '5A', 'A']);
  const stars = new Set(scores.filter((s) => s.subjectType === 'worker').map((s) => s.level));
  expect([...stars].sort()).toEqual(['1', '2', '3', '4', '5']);
  const live = await db.select().from(creditListEntry).where(isNull(creditListEntry.removedAt));
  expect(live).toContainEqual(expect.objectContaining({ subjectId: ids.company![0], list: 'red' }));
  const [expelled] = await db.select().from(creditExpulsion);
  expect(expelled).toBeDefined();
  expect(live).toContainEqual(expect.objectContaining({ subjectId: expelled!.companyId, list: 'black' }));
  expect((await t.app.services.orgs.getOrganization(expelled!.companyId))?.status).toBe('expelled');
  const demoWorker = await t.app.services.workers.findWorkerIdByUser(ctx.accounts.worker!);
  const appeals = await db
    .select()
    .from(creditAppeal)
    .where(and(eq(creditAppeal.subjectId, demoWorker!), eq(creditAppeal.state, 'submitted')));
  expect(appeals).toHaveLength(1);
  const pub = await t.app.inject({ method: 'GET', url: '/api/v1/credit/5a?limit=100' });
  expect(pub.json().items.length).toBeGreaterThan(0);
});
