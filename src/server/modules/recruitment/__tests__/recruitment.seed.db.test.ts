import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { DEMO_SEED, seedSteps } from '../../../seed/demo.js';
import { createRandom } from '../../../seed/random.js';
import type { RequestContext } from '../../../platform/http/context.js';

// The demo recruitment step on the demo city: posts, applications in every state, a fair, a placed 毕节 cohort.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

test('the demo seed gives every recruitment page data with a true history', async () => {
  const ctx = { app: t.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} } as Parameters<
    (typeof seedSteps)[number]['run']
  >[0];
  const steps = [
    'organizations',
    'accounts',
    'workers',
    'certificates',
    'training',
    'messaging',
    'recruitment',
  ];
  for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
  const apps = await t.database.db.query.recruitmentApplication.findMany();
  expect(new Set(apps.map((a) => a.state))).toEqual(
    new Set(['new', 'shortlisted', 'interview', 'offer', 'hired', 'rejected', 'withdrawn', 'declined']),
  );
  const regulator: RequestContext = {
    actor: {
      userId: (ctx.accounts as Record<string, string>).regulator!,
      sessionId: 's',
      name: 'r',
      phoneMasked: '',
      roles: ['regulator'],
      memberships: [],
      regulatorDistrict: null,
    },
    requestId: 'test',
    ip: null,
  };
  const { recruitment } = t.app.services;
  const regions = await recruitment.regionReport(regulator);
  expect(regions.items).toEqual([
    expect.objectContaining({
      sourceRegionCode: '520500',
      trainees: 6,
      placed: 4,
      due3: 4,
      retained3: 3,
      due6: 0,
    }),
  ]);
  const fairs = await recruitment.listFairs(regulator);
  expect(fairs.items[0]).toMatchObject({ phase: 'running', companies: 2, registrations: 4, checkedIn: 2 });
  const month = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
  const stats = await recruitment.employmentStats(regulator, {
    from: month(new Date(Date.now() - 200 * 86_400_000)),
    to: month(new Date()),
  });
  expect(stats.totals.hires).toBe(5);
  expect(stats.perMonth.filter((m) => m.applications > 0).length).toBeGreaterThan(3);
  // 当家政: fair registrants who opted in are on the contact list; the 天河 regulator sees the cohort too.
  const likely = await recruitment.likelyWorkers(regulator);
  expect(likely.contacts.length).toBeGreaterThan(0);
  expect(likely.total).toBeGreaterThanOrEqual(likely.contacts.length);
  const tianhe = { ...regulator, actor: { ...regulator.actor!, regulatorDistrict: '440106' } };
  expect((await recruitment.listCohorts(tianhe)).items).toHaveLength(1);
}, 600_000);
