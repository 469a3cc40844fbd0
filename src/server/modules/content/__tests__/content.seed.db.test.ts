import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { DEMO_SEED, seedSteps } from '../../../seed/demo.js';
import { createRandom } from '../../../seed/random.js';

// The demo content step: published news, policies and notices in Chinese, a policy with a real PDF, one draft.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

test('the demo seed publishes Guangzhou content, with a Chinese PDF attached to a policy and a draft kept back', async () => {
  const ctx = { app: t.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} } as Parameters<
    (typeof seedSteps)[number]['run']
  >[0];
  for (const step of seedSteps.filter((s) => ['organizations', 'accounts', 'content'].includes(s.name)))
    await step.run(ctx);

  const list = (await t.app.inject({ method: 'GET', url: '/api/v1/public/content?limit=100' })).json();
  expect(list.items.length).toBeGreaterThanOrEqual(8);
  expect(new Set(list.items.map((i: { category: string }) => i.category))).toEqual(
    new Set(['news', 'policy', 'notice', 'standard']),
  );
  expect(list.items.map((i: { title: string }) => i.title).join()).not.toContain('草稿');

  const policy = (
    await t.app.inject({ method: 'GET', url: '/api/v1/public/content/gz-domestic-service-quality-measures' })
  ).json();
  expect(policy.attachments).toHaveLength(1);
  const pdf = await t.app.inject({ method: 'GET', url: policy.attachments[0].url });
  expect(pdf.statusCode).toBe(200);
  expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  // The CJK face is embedded (subset), so the Chinese text renders anywhere.
  expect(pdf.rawPayload.toString('latin1')).toContain('NotoSansCJK');
});
