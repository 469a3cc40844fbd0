import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { verifyAnchors } from '../verify-anchors.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

test('the app schedules platform.audit_anchor every minute, and a run writes a verifiable anchor to its sink', async () => {
  const jobs = t.app.platform.jobs;
  await jobs.start();
  try {
    const schedule = (await jobs.schedules('platform.audit_anchor'))[0];
    expect(schedule?.cron).toBe('* * * * *');
    const id = await jobs.send('platform.audit_anchor', {});
    const deadline = Date.now() + 30_000;
    let state: string | undefined;
    while (Date.now() < deadline) {
      state = (await jobs.find('platform.audit_anchor', id!))?.state;
      if (state === 'completed' || state === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('completed');
  } finally {
    await jobs.stop();
  }
  const lines = await t.app.auditAnchor.sink.read();
  expect(lines.length).toBeGreaterThanOrEqual(1);
  const report = await verifyAnchors(t.app.database.db, lines, [t.app.auditAnchor.key]);
  expect(report).toMatchObject({ ok: true, verified: lines.length });
});
