import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  dueAt,
  plantComplaint,
  type RetentionBase,
  retentionAudits,
  retentionBase,
  retentionDeps,
} from '../../../../../test/factories/retention.js';
import { ANONYMISED } from '../../../platform/retention.js';
import { anonymiseClosedComplaints } from '../retention.js';

let t: TestApp;
let b: RetentionBase;
beforeAll(async () => {
  t = await buildTestApp();
  b = await retentionBase(t);
});
afterAll(async () => t?.close());

const complaint = async (id: string) => {
  const [c] = await t.app.database.raw.query<Record<string, unknown>>(
    'select description, evidence, response, state, worker_id from complaint where id = $1',
    [id],
  );
  const [e] = await t.app.database.raw.query<{ note: string | null }>(
    'select note from complaint_event where complaint_id = $1',
    [id],
  );
  const evidence = (typeof c!.evidence === 'string' ? JSON.parse(c!.evidence) : c!.evidence) as {
    fileId: string;
  }[];
  return { ...c!, evidence, note: e!.note };
};
const fileOf = async (id: string) => {
  const { evidence } = await complaint(id);
  return `feedback/${b.residentId.toLowerCase()}/${evidence[0]!.fileId}`;
};

describe('complaint retention (3 years after close, anonymised)', () => {
  test('anonymises closed complaints past 3 years and deletes their evidence; keeps the rest', async () => {
    const now = t.clock.now;
    const due = await plantComplaint(t, b, 'closed', dueAt(now, 3, -1));
    const dueWithdrawn = await plantComplaint(t, b, 'withdrawn', dueAt(now, 3, -1));
    const kept = await plantComplaint(t, b, 'closed', dueAt(now, 3, 1));
    const open = await plantComplaint(t, b, 'escalated', dueAt(now, 5, 0));
    const dueFile = await fileOf(due);
    const keptFile = await fileOf(kept);
    const before = (await retentionAudits(t, 'feedback.complaint_purge')).length;

    expect(await anonymiseClosedComplaints(retentionDeps(t, now))).toEqual({ complaints: 2, files: 2 });
    for (const id of [due, dueWithdrawn])
      expect(await complaint(id)).toMatchObject({
        description: ANONYMISED,
        evidence: [],
        response: null,
        note: null,
        worker_id: b.workerId, // the row stays for credit facts and insights
      });
    expect(await t.app.storage.exists(dueFile)).toBe(false);
    for (const id of [kept, open])
      expect(await complaint(id)).toMatchObject({ description: '阿姨打碎了花瓶', note: '详情' });
    expect(await t.app.storage.exists(keptFile)).toBe(true);

    expect(await anonymiseClosedComplaints(retentionDeps(t, now))).toEqual({ complaints: 0, files: 0 });
    const audits = await retentionAudits(t, 'feedback.complaint_purge');
    expect(audits.length).toBe(before + 2);
    expect(audits.at(-2)!.detail).toMatchObject({ complaints: 2, files: 2 });
    expect(JSON.stringify(audits)).not.toMatch(/花瓶|cmp_|feedback\//);

    expect(
      await anonymiseClosedComplaints(retentionDeps(t, new Date(now.getTime() + 2 * 86_400_000))),
    ).toEqual({
      complaints: 1,
      files: 1,
    });
    expect(await complaint(open)).toMatchObject({ description: '阿姨打碎了花瓶' });
  });
});
