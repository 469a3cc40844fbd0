import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  dueAt,
  plantConsent,
  type RetentionBase,
  retentionAudits,
  retentionBase,
  retentionDeps,
} from '../../../../../test/factories/retention.js';
import { retentionJobs } from '../../../retention-jobs.js';
import { purgeWithdrawnConsents } from '../retention.js';

let t: TestApp;
let b: RetentionBase;
beforeAll(async () => {
  t = await buildTestApp();
  b = await retentionBase(t);
});
afterAll(async () => t?.close());

const exists = async (id: string) =>
  (await t.app.database.raw.query('select 1 from worker_consent where id = $1', [id])).length === 1;

describe('consent retention (3 years after withdrawal)', () => {
  test('deletes consents withdrawn over 3 years ago, in batches; keeps younger and active ones; audited once per run', async () => {
    const now = t.clock.now;
    const kept = await plantConsent(t, b, dueAt(now, 3, 1));
    const active = await plantConsent(t, b, null);
    const due1 = await plantConsent(t, b, dueAt(now, 3, -1));
    const due2 = await plantConsent(t, b, dueAt(now, 4, 0));
    const before = (await retentionAudits(t, 'workers.consent_purge')).length;

    // Batches of one: three transactions for two rows, both gone.
    expect(await purgeWithdrawnConsents(retentionDeps(t, now, 1))).toEqual({ consents: 2 });
    expect(await exists(due1)).toBe(false);
    expect(await exists(due2)).toBe(false);
    expect(await exists(kept)).toBe(true);
    expect(await exists(active)).toBe(true);

    // Twice is a no-op.
    expect(await purgeWithdrawnConsents(retentionDeps(t, now))).toEqual({ consents: 0 });
    expect(await exists(kept)).toBe(true);

    const audits = await retentionAudits(t, 'workers.consent_purge');
    expect(audits.length).toBe(before + 2);
    expect(audits.at(-2)!.detail).toMatchObject({ consents: 2 });
    expect(audits.at(-1)!.detail).toMatchObject({ consents: 0 });
    expect(JSON.stringify(audits)).not.toMatch(/203\.0\.113|wk_|留存/);

    // Two days later the "one day before due" row is due.
    expect(await purgeWithdrawnConsents(retentionDeps(t, new Date(now.getTime() + 2 * 86_400_000)))).toEqual({
      consents: 1,
    });
    expect(await exists(kept)).toBe(false);
    expect(await exists(active)).toBe(true);
  });

  test('every retention job is scheduled daily and runs through the job runner on the app clock', async () => {
    const jobs = t.app.platform.jobs;
    await jobs.start();
    try {
      const names = (await jobs.schedules()).map((s) => s.name);
      for (const [name] of retentionJobs) expect(names).toContain(name);
      const due = await plantConsent(t, b, dueAt(t.clock.now, 3, -1));
      const runs = (await retentionAudits(t, 'workers.consent_purge')).length;
      const id = await jobs.send('workers.consent_purge', {});
      const deadline = Date.now() + 30_000;
      let state: string | undefined;
      while (Date.now() < deadline) {
        state = (await jobs.find('workers.consent_purge', id!))?.state;
        if (state === 'completed' || state === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(state).toBe('completed');
      expect(await exists(due)).toBe(false);
      expect((await retentionAudits(t, 'workers.consent_purge')).length).toBe(runs + 1);
    } finally {
      await jobs.stop();
    }
  });
});
