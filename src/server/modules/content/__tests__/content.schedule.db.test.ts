import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { systemContext } from '../../../platform/http/context.js';
import { contentItem } from '../content.tables.js';

// Scheduled publishing with the injectable clock: an item scheduled for a future time stays out of public view
// until the job runs at or after that time; it is then published, dated at its scheduled time, with an audit row.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }], '林处长');
}, 120_000);
afterAll(async () => t?.close());

const HOUR = 3600_000;
const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = regulator.cookie) =>
  t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

let seq = 0;
async function draft(over: Record<string, unknown> = {}) {
  seq++;
  const res = await inject('POST', '/api/v1/content/items', {
    category: 'notice',
    title: `定时通知第${seq}条`,
    bodyHtml: '<p>家政服务招聘会通知。</p>',
    authorOrg: '广州市商务局',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; slug: string };
}
const step = (id: string, body: object) => inject('POST', `/api/v1/content/items/${id}/transitions`, body);
const publicGet = (slug: string) => inject('GET', `/api/v1/public/content/${slug}`, undefined, '');
const publishDue = () => t.app.services.content.publishDue(systemContext('content.publish_due'));
const rowOf = async (id: string) =>
  (await t.database.db.select().from(contentItem).where(eq(contentItem.id, id)))[0]!;

describe('scheduled publishing', () => {
  test('a scheduled notice with an event date goes public only when the job runs at its time', async () => {
    const eventAt = new Date(t.clock.now.getTime() + 10 * 24 * HOUR).toISOString();
    const item = await draft({ eventAt });
    const at = new Date(t.clock.now.getTime() + 2 * HOUR);
    const res = await step(item.id, { action: 'schedule', publishAt: at.toISOString() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      state: 'scheduled',
      scheduledAt: at.toISOString(),
      eventAt,
      actions: ['publish', 'unschedule'],
      publicUrl: null,
    });
    expect((await publicGet(item.slug)).statusCode).toBe(404);

    // The job before the time: nothing happens.
    t.clock.advance(HOUR);
    expect(await publishDue()).toEqual([]);
    expect((await rowOf(item.id)).state).toBe('scheduled');
    expect((await publicGet(item.slug)).statusCode).toBe(404);

    // A job that runs late publishes it, dated at the time the editor chose.
    t.clock.advance(HOUR + 5 * 60_000);
    expect(await publishDue()).toEqual([item.id]);
    const row = await rowOf(item.id);
    expect(row).toMatchObject({ state: 'published', scheduledAt: null });
    expect(row.publishedAt!.toISOString()).toBe(at.toISOString());
    expect(row.firstPublishedAt!.toISOString()).toBe(at.toISOString());
    const pub = await publicGet(item.slug);
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ publishedAt: at.toISOString(), eventAt });
    const list = await inject('GET', '/api/v1/public/content?category=notice&limit=100', undefined, '');
    expect(list.json().items.find((i: { slug: string }) => i.slug === item.slug)).toMatchObject({ eventAt });

    // Once only: a second run finds nothing.
    expect(await publishDue()).toEqual([]);
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, item.id)));
    const actions = audits.map((a) => a.action);
    expect(actions.filter((a) => a === 'content.schedule')).toHaveLength(1);
    expect(actions.filter((a) => a === 'content.publish')).toHaveLength(1);
  });

  test('unschedule returns the item to draft and the job leaves it; publish now works from scheduled', async () => {
    const a = await draft();
    const b = await draft();
    const at = new Date(t.clock.now.getTime() + HOUR).toISOString();
    expect((await step(a.id, { action: 'schedule', publishAt: at })).statusCode).toBe(200);
    expect((await step(b.id, { action: 'schedule', publishAt: at })).statusCode).toBe(200);
    const un = await step(a.id, { action: 'unschedule' });
    expect(un.statusCode, un.body).toBe(200);
    expect(un.json()).toMatchObject({ state: 'draft', scheduledAt: null });
    const now = await step(b.id, { action: 'publish' });
    expect(now.json()).toMatchObject({ state: 'published', scheduledAt: null });
    expect(now.json().publishedAt).toBe(t.clock.now.toISOString());
    t.clock.advance(2 * HOUR);
    expect(await publishDue()).toEqual([]);
    expect((await rowOf(a.id)).state).toBe('draft');
  });

  test('a time in the past, now, more than a year ahead or missing is refused, and nothing changes', async () => {
    const item = await draft();
    const now = t.clock.now.getTime();
    for (const publishAt of [
      new Date(now - 60_000).toISOString(),
      new Date(now).toISOString(),
      new Date(now + 367 * 24 * HOUR).toISOString(),
      undefined,
    ]) {
      const res = await step(item.id, { action: 'schedule', ...(publishAt ? { publishAt } : {}) });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().code).toBe('CONTENT_SCHEDULE_INVALID');
    }
    const bad = await step(item.id, { action: 'schedule', publishAt: 'tomorrow' });
    expect(bad.statusCode).toBe(422);
    const stray = await step(item.id, { action: 'publish', publishAt: new Date(now + HOUR).toISOString() });
    expect(stray.statusCode).toBe(422);
    expect(stray.json().code).toBe('CONTENT_SCHEDULE_INVALID');
    expect(await rowOf(item.id)).toMatchObject({ state: 'draft', scheduledAt: null });
  });

  test('a published item cannot be scheduled (withdraw first); only regulators schedule', async () => {
    const item = await draft();
    expect((await step(item.id, { action: 'publish' })).statusCode).toBe(200);
    const at = new Date(t.clock.now.getTime() + HOUR).toISOString();
    const res = await step(item.id, { action: 'schedule', publishAt: at });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CONTENT_INVALID_TRANSITION');
    const resident = await account(t, [{ role: 'resident' }]);
    const other = await draft();
    const forbidden = await inject(
      'POST',
      `/api/v1/content/items/${other.id}/transitions`,
      { action: 'schedule', publishAt: at },
      resident.cookie,
    );
    expect(forbidden.statusCode).toBe(403);
    expect((await rowOf(other.id)).state).toBe('draft');
  });

  test('an event date can be set and cleared on edit; a malformed one is 422', async () => {
    const item = await draft();
    const eventAt = '2027-01-15T01:30:00.000Z';
    const set = await inject('PATCH', `/api/v1/content/items/${item.id}`, { eventAt });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().eventAt).toBe(eventAt);
    const bad = await inject('PATCH', `/api/v1/content/items/${item.id}`, { eventAt: '15/01/2027' });
    expect(bad.statusCode).toBe(422);
    const cleared = await inject('PATCH', `/api/v1/content/items/${item.id}`, { eventAt: null });
    expect(cleared.json().eventAt).toBeNull();
  });
});
