import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  account,
  certifiedWorker,
  company,
  selfWorker,
  upload,
} from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { newId } from '../../../platform/db/ids.js';
import { conversation, message } from '../messaging.tables.js';

// Conversations and interviews through the real app: who may read and write, ordering and paging, privacy
// warnings, rate limits, block and report, regulator review (audited), images, system messages, interviews.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, cookie?: string, payload?: object) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: cookie ? { cookie } : {},
    ...(payload ? { payload } : {}),
  });

async function pair() {
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  const worker = await selfWorker(t);
  const res = await inject('POST', '/conversations', resident.cookie, {
    context: 'profile',
    workerId: worker.workerId,
  });
  expect(res.statusCode).toBe(200);
  return { resident, worker, conversationId: res.json().id as string };
}

const say = (cookie: string, id: string, text: string, clientKey?: string) =>
  inject('POST', `/conversations/${id}/messages`, cookie, { text, ...(clientKey ? { clientKey } : {}) });

describe('conversations', () => {
  test('opening twice returns the same conversation; both sides see it, nobody else does', async () => {
    const { resident, worker, conversationId } = await pair();
    const again = await inject('POST', '/conversations', resident.cookie, {
      context: 'profile',
      workerId: worker.workerId,
    });
    expect(again.json().id).toBe(conversationId);
    expect(again.json()).toMatchObject({
      mySide: 'resident',
      contextKind: 'profile',
      worker: { name: '张秀芳' },
    });

    const inbox = await inject('GET', '/conversations', worker.cookie);
    expect(inbox.json().items.map((c: { id: string }) => c.id)).toContain(conversationId);
    expect((await inject('GET', `/conversations/${conversationId}`, worker.cookie)).json().mySide).toBe(
      'worker',
    );

    const stranger = await account(t);
    for (const res of [
      await inject('GET', `/conversations/${conversationId}`, stranger.cookie),
      await inject('GET', `/conversations/${conversationId}/messages`, stranger.cookie),
      await say(stranger.cookie, conversationId, '你好'),
      await inject('GET', `/conversations/${conversationId}`, regulator.cookie),
    ])
      expect(res.statusCode).toBe(404);
    expect(
      await t.database.db.select().from(message).where(eq(message.conversationId, conversationId)),
    ).toEqual([]);
    expect((await inject('GET', `/conversations/${conversationId}`)).statusCode).toBe(401);
  });

  test('job applications are a reserved context: refused clearly; unknown workers are 404', async () => {
    const resident = await account(t);
    const job = await inject('POST', '/conversations', resident.cookie, { context: 'job_application' });
    expect(job.statusCode).toBe(422);
    expect(job.json().code).toBe('MESSAGING_CONTEXT_UNSUPPORTED');
    const ghost = await inject('POST', '/conversations', resident.cookie, {
      context: 'profile',
      workerId: 'wk_00000000000000000000000000',
    });
    expect(ghost.statusCode).toBe(404);
  });

  test('messages are numbered in order; history pages back, `after` reads forward exactly', async () => {
    const { resident, worker, conversationId: id } = await pair();
    for (let i = 1; i <= 7; i++) {
      const res = await say(i % 2 ? resident.cookie : worker.cookie, id, `第${i}条`);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ seq: i, kind: 'text', body: `第${i}条`, mine: true });
    }
    const first = (await inject('GET', `/conversations/${id}/messages?limit=3`, worker.cookie)).json();
    expect(first.items.map((m: { seq: number }) => m.seq)).toEqual([7, 6, 5]);
    const second = (
      await inject('GET', `/conversations/${id}/messages?limit=3&cursor=${first.nextCursor}`, worker.cookie)
    ).json();
    expect(second.items.map((m: { seq: number }) => m.seq)).toEqual([4, 3, 2]);
    const third = (
      await inject('GET', `/conversations/${id}/messages?limit=3&cursor=${second.nextCursor}`, worker.cookie)
    ).json();
    expect(third.items.map((m: { seq: number }) => m.seq)).toEqual([1]);
    expect(third.nextCursor).toBeNull();

    const fwd = (await inject('GET', `/conversations/${id}/messages?after=4&limit=2`, worker.cookie)).json();
    expect(fwd.items.map((m: { seq: number }) => m.seq)).toEqual([5, 6]);
    const rest = (
      await inject('GET', `/conversations/${id}/messages?limit=2&cursor=${fwd.nextCursor}`, worker.cookie)
    ).json();
    expect(rest.items.map((m: { seq: number }) => m.seq)).toEqual([7]);
    expect(rest.nextCursor).toBeNull();
    expect((await inject('GET', `/conversations/${id}/messages?cursor=zzz`, worker.cookie)).statusCode).toBe(
      422,
    );
  });

  test('a re-sent message with the same client key is stored once', async () => {
    const { resident, conversationId: id } = await pair();
    const a = await say(resident.cookie, id, '明天上午可以面试吗', 'k-0001-abcdef');
    const b = await say(resident.cookie, id, '明天上午可以面试吗', 'k-0001-abcdef');
    expect(b.json().id).toBe(a.json().id);
    const rows = await t.database.db.select().from(message).where(eq(message.conversationId, id));
    expect(rows).toHaveLength(1);
  });

  test('bad input is refused and stores nothing', async () => {
    const { resident, conversationId: id } = await pair();
    expect((await say(resident.cookie, id, 'x'.repeat(2001))).statusCode).toBe(422);
    expect((await say(resident.cookie, id, '   ')).statusCode).toBe(422);
    expect(
      (await inject('POST', `/conversations/${id}/messages`, resident.cookie, { text: 'a', extra: 1 }))
        .statusCode,
    ).toBe(422);
    expect((await inject('GET', `/conversations/${id}/messages?limit=101`, resident.cookie)).statusCode).toBe(
      422,
    );
    expect(await t.database.db.select().from(message).where(eq(message.conversationId, id))).toEqual([]);
  });

  test('phone and ID numbers are flagged for a privacy warning, but still delivered', async () => {
    const { resident, worker, conversationId: id } = await pair();
    const res = await say(resident.cookie, id, '加我微信，电话 138 1234 5678，身份证 11010519491231002X');
    expect(res.statusCode).toBe(201);
    expect(res.json().privacyFlags).toEqual(['id_number', 'phone']);
    const seen = (await inject('GET', `/conversations/${id}/messages`, worker.cookie)).json().items[0];
    expect(seen.privacyFlags).toEqual(['id_number', 'phone']);
    expect((await say(resident.cookie, id, '订单号 20261129000123')).json().privacyFlags).toEqual([]);
  });

  test('unread counts and read receipts', async () => {
    const { resident, worker, conversationId: id } = await pair();
    await say(resident.cookie, id, '一');
    await say(resident.cookie, id, '二');
    expect((await inject('GET', '/conversations/unread', worker.cookie)).json().unread).toBe(2);
    const inbox = (await inject('GET', '/conversations', worker.cookie))
      .json()
      .items.find((c: { id: string }) => c.id === id);
    expect(inbox).toMatchObject({ unread: 2, lastMessage: { kind: 'text', preview: '二' } });
    const read = await inject('POST', `/conversations/${id}/read`, worker.cookie, { seq: 99 });
    expect(read.json()).toMatchObject({ myReadSeq: 2, unread: 0 });
    expect((await inject('GET', `/conversations/${id}`, resident.cookie)).json().othersReadSeq).toBe(2);
    expect((await inject('GET', '/conversations/unread', worker.cookie)).json().unread).toBe(0);
  });

  test('search within a conversation, with LIKE wildcards taken literally', async () => {
    const { resident, worker, conversationId: id } = await pair();
    await say(resident.cookie, id, '请问会做月子餐吗');
    await say(worker.cookie, id, '会的，月子餐和催乳汤都会');
    await say(resident.cookie, id, '100% 满意');
    const hits = (
      await inject(
        'GET',
        `/conversations/${id}/messages/search?q=${encodeURIComponent('月子餐')}`,
        resident.cookie,
      )
    ).json();
    expect(hits.items.map((m: { seq: number }) => m.seq)).toEqual([2, 1]);
    const pct = (
      await inject(
        'GET',
        `/conversations/${id}/messages/search?q=${encodeURIComponent('%')}`,
        resident.cookie,
      )
    ).json();
    expect(pct.items.map((m: { seq: number }) => m.seq)).toEqual([3]);
  });

  test('a flood is rate limited (429), and allowed again after a minute', async () => {
    const { resident, conversationId: id } = await pair();
    for (let i = 0; i < 20; i++) expect((await say(resident.cookie, id, `刷屏${i}`)).statusCode).toBe(201);
    const limited = await say(resident.cookie, id, '再来一条');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('60');
    t.clock.advance(61_000);
    expect((await say(resident.cookie, id, '一分钟后')).statusCode).toBe(201);
  });

  test('block and unblock, audited', async () => {
    const { resident, worker, conversationId: id } = await pair();
    expect((await inject('POST', `/conversations/${id}/block`, worker.cookie)).json().blockedByMe).toBe(true);
    const refused = await say(resident.cookie, id, '在吗');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('MESSAGING_BLOCKED');
    expect((await inject('GET', `/conversations/${id}`, resident.cookie)).json().blockedByOther).toBe(true);
    await inject('DELETE', `/conversations/${id}/block`, worker.cookie);
    expect((await say(resident.cookie, id, '在吗')).statusCode).toBe(201);
    const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, id));
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['messaging.blocked', 'messaging.unblocked', 'messaging.conversation_opened']),
    );
  });

  test('a reported conversation is reviewed by a regulator; every read is audited', async () => {
    const { resident, worker, conversationId: id } = await pair();
    await say(worker.cookie, id, '先转定金给我私人账户');
    const rep = await inject('POST', `/conversations/${id}/reports`, resident.cookie, {
      reason: '要求私下转账',
    });
    expect(rep.statusCode).toBe(201);
    const reportId = rep.json().id as string;
    expect((await inject('GET', '/regulator/message-reports', resident.cookie)).statusCode).toBe(403);
    const list = (await inject('GET', '/regulator/message-reports?state=open', regulator.cookie)).json();
    expect(list.items.map((r: { id: string }) => r.id)).toContain(reportId);
    const view = await inject('GET', `/regulator/message-reports/${reportId}`, regulator.cookie);
    expect(view.statusCode).toBe(200);
    expect(view.json().messages.items[0].body).toBe('先转定金给我私人账户');
    const reads = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'messaging.report_read'), eq(auditLog.objectId, id)));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.actorId).toBe(regulator.userId);
    const reviewed = await inject('POST', `/regulator/message-reports/${reportId}/review`, regulator.cookie, {
      note: '已约谈公司',
    });
    expect(reviewed.json().state).toBe('reviewed');
    const twice = await inject('POST', `/regulator/message-reports/${reportId}/review`, regulator.cookie, {
      note: '再次',
    });
    expect(twice.json().code).toBe('MESSAGING_REPORT_REVIEWED');
  });

  test('images are checked by content and size; only participants fetch them', async () => {
    const { resident, worker, conversationId: id } = await pair();
    const sent = await upload(t, resident.cookie, {}, `/api/v1/conversations/${id}/images`);
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ kind: 'image', seq: 1 });
    const img = await t.app.inject({
      method: 'GET',
      url: sent.json().imageUrl,
      headers: { cookie: worker.cookie },
    });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    const stranger = await account(t);
    expect(
      (await t.app.inject({ method: 'GET', url: sent.json().imageUrl, headers: { cookie: stranger.cookie } }))
        .statusCode,
    ).toBe(404);

    const boundary = '----anxinTest';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.from('<html><script>alert(1)</script></html>'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const fake = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/images`,
      headers: { cookie: resident.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(fake.statusCode).toBe(415);
    const big = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.alloc(2 * 1024 * 1024 + 10, 1),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const tooBig = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/images`,
      headers: { cookie: resident.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: big,
    });
    expect([413]).toContain(tooBig.statusCode);
    expect((await t.database.db.select().from(message).where(eq(message.conversationId, id))).length).toBe(1);
  });

  test("company staff take part in their company's conversations; other companies do not", async () => {
    const employer = await company(t, '安心员工制家政');
    const other = await company(t, '别家家政');
    const w = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer });
    const resident = await account(t);
    const opened = await inject('POST', '/conversations', resident.cookie, {
      context: 'profile',
      workerId: w.w.workerId,
    });
    const id = opened.json().id as string;
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().company.id).toBe(employer.orgId);
    const staff = await say(employer.cookie, id, '您好，我是公司客服');
    expect(staff.statusCode).toBe(201);
    expect(staff.json().side).toBe('company');
    expect((await say(other.cookie, id, '插一句')).statusCode).toBe(404);
    const inbox = (await inject('GET', '/conversations', employer.cookie)).json();
    expect(inbox.items.map((c: { id: string }) => c.id)).toContain(id);
  });

  test('order and contract events post one system message each, even when delivered twice', async () => {
    const { resident, worker } = await pair();
    const orderId = newId('ord');
    const id = newId('cnv');
    await t.database.db.insert(conversation).values({
      id,
      residentUserId: resident.userId,
      workerId: worker.workerId,
      workerUserId: worker.userId,
      contextKind: 'order',
      contextId: orderId,
      orderId,
      dedupeKey: `test|${id}`,
    });
    const svc = t.app.services.messaging;
    await svc.onOrderEvent('orders.accepted', { orderId, state: 'accepted' }, 'obx_event_1');
    await svc.onOrderEvent('orders.accepted', { orderId, state: 'accepted' }, 'obx_event_1');
    await svc.onOrderEvent('contracts.sealed', { orderId, contractId: 'ctr_1' }, 'obx_event_2');
    const items = (await inject('GET', `/conversations/${id}/messages?after=0`, resident.cookie)).json()
      .items;
    expect(items.map((m: { systemCode: string; seq: number }) => [m.seq, m.systemCode])).toEqual([
      [1, 'orders.accepted'],
      [2, 'contracts.sealed'],
    ]);
    expect(items[0]).toMatchObject({
      kind: 'system',
      side: 'system',
      sender: null,
      systemParams: { orderId, state: 'accepted' },
    });
  });
});

describe('interviews', () => {
  const soon = () => new Date(t.clock.now.getTime() + 3600_000).toISOString();

  test('schedule, join, record the outcome; strangers stay out of the room', async () => {
    const { resident, worker, conversationId } = await pair();
    const past = await inject('POST', '/interviews', resident.cookie, {
      workerId: worker.workerId,
      scheduledAt: new Date(t.clock.now.getTime() - 60_000).toISOString(),
    });
    expect(past.json().code).toBe('INTERVIEW_TIME_INVALID');
    const res = await inject('POST', '/interviews', resident.cookie, {
      workerId: worker.workerId,
      scheduledAt: soon(),
      durationMinutes: 30,
      conversationId,
    });
    expect(res.statusCode).toBe(201);
    const iv = res.json();
    expect(iv).toMatchObject({ state: 'scheduled', myParty: 'organizer', canJoinRoom: true });

    const stranger = await account(t);
    expect((await inject('GET', `/interviews/${iv.id}`, stranger.cookie)).statusCode).toBe(404);
    expect((await inject('POST', `/interviews/${iv.id}/join`, stranger.cookie)).statusCode).toBe(404);
    const self = await inject('POST', '/interviews', worker.cookie, {
      workerId: worker.workerId,
      scheduledAt: soon(),
    });
    expect(self.json().code).toBe('MESSAGING_CONTEXT_UNSUPPORTED');

    const joined = await inject('POST', `/interviews/${iv.id}/join`, worker.cookie);
    expect(joined.json()).toMatchObject({ state: 'in_progress', myParty: 'worker', iceServers: [] });
    const byWorker = await inject('POST', `/interviews/${iv.id}/outcome`, worker.cookie, {
      outcome: 'proceed',
    });
    expect(byWorker.statusCode).toBe(403);
    const done = await inject('POST', `/interviews/${iv.id}/outcome`, resident.cookie, {
      outcome: 'proceed',
      notes: '沟通顺畅，经验丰富',
    });
    expect(done.json()).toMatchObject({
      state: 'completed',
      outcome: 'proceed',
      notes: '沟通顺畅，经验丰富',
      bookingPath: `/resident/find/workers/${worker.workerId}`,
    });
    expect((await inject('GET', `/interviews/${iv.id}`, worker.cookie)).json().notes).toBeNull();
    const again = await inject('POST', `/interviews/${iv.id}/join`, worker.cookie);
    expect(again.json().code).toBe('INTERVIEW_INVALID_TRANSITION');
    const sys = (
      await inject('GET', `/conversations/${conversationId}/messages?after=0`, worker.cookie)
    ).json().items;
    expect(sys.map((m: { systemCode: string }) => m.systemCode)).toEqual([
      'interview.scheduled',
      'interview.complete',
    ]);
  });

  test('interview notices give the time in Beijing time, not a UTC ISO string', async () => {
    const { resident, worker } = await pair();
    const now = t.clock.now;
    // 16:30 UTC two days from now is 00:30 of the day after in Beijing.
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2, 16, 30));
    const beijingDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3))
      .toISOString()
      .slice(0, 10);
    const res = await inject('POST', '/interviews', resident.cookie, {
      workerId: worker.workerId,
      scheduledAt: at.toISOString(),
    });
    expect(res.statusCode).toBe(201);
    expect((await inject('POST', `/interviews/${res.json().id}/cancel`, resident.cookie)).statusCode).toBe(
      200,
    );
    const bodies = await t.app.database.raw.query<{ kind: string; body: string }>(
      `select kind, body from notification where user_id = $1 and kind like 'interview.%'`,
      [worker.userId],
    );
    expect(bodies).toEqual(
      expect.arrayContaining([
        { kind: 'interview.scheduled', body: `面试时间 ${beijingDay} 00:30（北京时间）` },
      ]),
    );
    for (const n of bodies) expect(n.body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  test('the reminder job notifies both sides once', async () => {
    const { resident, worker } = await pair();
    const iv = (
      await inject('POST', '/interviews', resident.cookie, {
        workerId: worker.workerId,
        scheduledAt: new Date(t.clock.now.getTime() + 2 * 3600_000).toISOString(),
      })
    ).json();
    const svc = t.app.services.messaging;
    await svc.runReminders();
    const kinds = async (userId: string) =>
      (await t.app.services.notifications.allFor(userId))
        .map((n) => n.kind)
        .filter((k) => k === 'interview.reminder');
    expect(await kinds(worker.userId)).toEqual([]);
    t.clock.advance(2 * 3600_000 - 10 * 60_000);
    expect(await svc.runReminders()).toBeGreaterThanOrEqual(1);
    await svc.runReminders();
    expect(await kinds(worker.userId)).toEqual(['interview.reminder']);
    expect(await kinds(resident.userId)).toEqual(['interview.reminder']);
    const cancelled = await inject('POST', `/interviews/${iv.id}/cancel`, worker.cookie);
    expect(cancelled.json().state).toBe('cancelled');
  });
});
