import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  dueAt,
  plantConversation,
  plantInterview,
  plantReport,
  type RetentionBase,
  retentionAudits,
  retentionBase,
  retentionDeps,
} from '../../../../../test/factories/retention.js';
import { purgeOldConversations } from '../retention.js';

let t: TestApp;
let b: RetentionBase;
beforeAll(async () => {
  t = await buildTestApp();
  b = await retentionBase(t);
});
afterAll(async () => t?.close());

const n = async (sql: string, id: string) =>
  Number((await t.app.database.raw.query<{ n: number }>(`select count(*)::int n from ${sql}`, [id]))[0]!.n);
const messages = (conversationId: string) => n('message where conversation_id = $1', conversationId);
const conversation = (id: string) => n('conversation where id = $1', id);
const report = (id: string) => n('conversation_report where id = $1', id);
const interview = (id: string) => n('interview where id = $1', id);

describe('chat, report and interview retention', () => {
  test('deletes chat 3 years after the last message, reviewed reports 3 years after review, interviews after a year', async () => {
    const now = t.clock.now;
    const stale = await plantConversation(t, b, dueAt(now, 3, -1));
    const fresh = await plantConversation(t, b, dueAt(now, 3, 1));
    // Stale, but a report on it is still open: kept as evidence.
    const underReview = await plantConversation(t, b, dueAt(now, 4, 0));
    const openReport = await plantReport(t, b, underReview.conversationId, null);
    // Stale, with an old reviewed report (due) and a kept one: messages go, the row stays for the kept report.
    const reported = await plantConversation(t, b, dueAt(now, 4, 0));
    const dueReport = await plantReport(t, b, reported.conversationId, dueAt(now, 3, -1));
    const keptReport = await plantReport(t, b, reported.conversationId, dueAt(now, 3, 1));
    const dueInterview = await plantInterview(t, b, 'completed', dueAt(now, 1, -1));
    const dueCancelled = await plantInterview(t, b, 'cancelled', dueAt(now, 1, -1));
    const keptInterview = await plantInterview(t, b, 'completed', dueAt(now, 1, 1));
    const scheduled = await plantInterview(t, b, 'scheduled', dueAt(now, 2, 0));
    const before = (await retentionAudits(t, 'messaging.retention_purge')).length;

    expect(await purgeOldConversations(retentionDeps(t, now, 1))).toEqual({
      messages: 4,
      files: 2,
      conversations: 1,
      reports: 1,
      interviews: 2,
    });
    expect(await messages(stale.conversationId)).toBe(0);
    expect(await conversation(stale.conversationId)).toBe(0);
    expect(await t.app.storage.exists(stale.imageKey)).toBe(false);
    expect(await messages(reported.conversationId)).toBe(0);
    expect(await conversation(reported.conversationId)).toBe(1);
    expect(await report(dueReport)).toBe(0);
    expect(await report(keptReport)).toBe(1);
    expect(await messages(fresh.conversationId)).toBe(2);
    expect(await t.app.storage.exists(fresh.imageKey)).toBe(true);
    expect(await messages(underReview.conversationId)).toBe(2);
    expect(await report(openReport)).toBe(1);
    expect(await interview(dueInterview)).toBe(0);
    expect(await interview(dueCancelled)).toBe(0);
    expect(await interview(keptInterview)).toBe(1);
    expect(await interview(scheduled)).toBe(1);

    expect(await purgeOldConversations(retentionDeps(t, now))).toEqual({
      messages: 0,
      files: 0,
      conversations: 0,
      reports: 0,
      interviews: 0,
    });
    const audits = await retentionAudits(t, 'messaging.retention_purge');
    expect(audits.length).toBe(before + 2);
    expect(audits.at(-2)!.detail).toMatchObject({ messages: 4, conversations: 1, reports: 1, interviews: 2 });
    expect(JSON.stringify(audits)).not.toMatch(/留存|骚扰|cv_|msg_|messages\//);

    // Two days on: the younger conversation, report and interview fall due; the emptied conversation goes with
    // its last report; the scheduled interview and the conversation under review never do.
    expect(await purgeOldConversations(retentionDeps(t, new Date(now.getTime() + 2 * 86_400_000)))).toEqual({
      messages: 2,
      files: 1,
      conversations: 2,
      reports: 1,
      interviews: 1,
    });
    expect(await conversation(reported.conversationId)).toBe(0);
    expect(await messages(underReview.conversationId)).toBe(2);
    expect(await interview(scheduled)).toBe(1);
  });
});
