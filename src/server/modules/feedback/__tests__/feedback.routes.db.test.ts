import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { systemContext } from '../../../platform/http/context.js';
import { outboxEvent } from '../../../platform/outbox/outbox.tables.js';
import { complaint, complaintEvent, review } from '../feedback.tables.js';

// Reviews and complaints through the real app: real completed orders, real auth, the SLA job on a test clock.
// Each test drives several whole orders through the API; on a busy shared machine that takes minutes.
vi.setConfig({ testTimeout: 300_000 });
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }], '监管员');
});
afterAll(async () => t?.close());

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const inject = (method: 'GET' | 'POST', url: string, cookie?: string, payload?: object, headers = {}) =>
  t.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    ...(payload ? { payload } : {}),
  });

function slot(hours: number): string {
  const q = 15 * 60_000;
  return new Date(Math.ceil((t.clock.now.getTime() + hours * HOUR) / q) * q).toISOString();
}

/** A company with a green worker and a price, a resident, and an order in the wanted state. */
async function order(upTo: 'requested' | 'cancelled' | 'completed' = 'completed', parties?: Parties) {
  const p = parties ?? (await parties_());
  const res = await inject('POST', '/api/v1/orders', p.resident.cookie, {
    priceItemId: p.itemId,
    workerId: p.w.workerId,
    schedule: { mode: 'hourly', startAt: slot(1.5), hours: 2 },
    address: '广州市天河区林和西路100号3栋1201',
    district: '440106',
  });
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  if (upTo === 'cancelled') {
    expect(
      (await inject('POST', `/api/v1/orders/${id}/cancel`, p.resident.cookie, { reason: '不需要了' }))
        .statusCode,
    ).toBe(200);
  } else if (upTo === 'completed') {
    expect((await inject('POST', `/api/v1/orders/${id}/accept`, p.co.cookie, {})).statusCode).toBe(200);
    expect((await inject('POST', `/api/v1/orders/${id}/start`, p.w.cookie, {})).statusCode).toBe(200);
    expect((await inject('POST', `/api/v1/orders/${id}/confirm`, p.resident.cookie, {})).statusCode).toBe(
      200,
    );
  }
  // Each order in its own slot: move the clock past it so the next booking does not overlap.
  t.clock.advance(4 * HOUR);
  return { ...p, orderId: id };
}
type Parties = Awaited<ReturnType<typeof parties_>>;
async function parties_() {
  const co = await company(t);
  const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
  const item = await inject('POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
    category: 'cleaning',
    mode: 'hourly',
    priceFen: 5000,
    title: '日常保洁',
  });
  expect(item.statusCode).toBe(201);
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  return { co, w, itemId: item.json().id as string, resident };
}

const good = { quality: 5, punctuality: 4, attitude: 5, skill: 4 };
const count = async (table: typeof review | typeof complaint) =>
  (await t.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(table))[0]!.n;
const topics = async (topic: string) =>
  (await t.database.db.select().from(outboxEvent).where(eq(outboxEvent.topic, topic))).map(
    (e) => e.payload as Record<string, unknown>,
  );

describe('reviews', () => {
  test('only the parties of a completed order, once per side, with the verified-order badge', async () => {
    const open = await order('requested');
    const early = await inject('POST', '/api/v1/reviews', open.resident.cookie, {
      orderId: open.orderId,
      ratings: good,
      text: '还没做',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('REVIEW_ORDER_NOT_COMPLETED');

    const cancelled = await order('cancelled');
    const onCancelled = await inject('POST', '/api/v1/reviews', cancelled.resident.cookie, {
      orderId: cancelled.orderId,
      ratings: good,
      text: '刷好评',
    });
    expect(onCancelled.statusCode).toBe(409);
    expect(onCancelled.json().code).toBe('REVIEW_ORDER_NOT_COMPLETED');

    const o = await order('completed');
    const before = await count(review);
    const stranger = await account(t, [{ role: 'resident' }]);
    const notMine = await inject('POST', '/api/v1/reviews', stranger.cookie, {
      orderId: o.orderId,
      ratings: good,
      text: '好',
    });
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().code).toBe('FEEDBACK_ORDER_NOT_YOURS');
    for (const bad of [
      { quality: 6, punctuality: 4, attitude: 5, skill: 4 },
      { quality: 5, punctuality: 4, attitude: 5 },
      { quality: 5, punctuality: 4, attitude: 5, skill: 4, extra: 3 },
      { respect: 5, payment: 5, communication: 5, environment: 5 },
    ]) {
      const r = await inject('POST', '/api/v1/reviews', o.resident.cookie, {
        orderId: o.orderId,
        ratings: bad,
        text: '好',
      });
      expect(r.statusCode).toBe(422);
    }
    expect(await count(review)).toBe(before);

    const created = await inject('POST', '/api/v1/reviews', o.resident.cookie, {
      orderId: o.orderId,
      ratings: good,
      text: '阿姨很细心，准时到达',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      side: 'resident',
      verifiedOrder: true,
      overall: 4.5,
      state: 'published',
      worker: { id: o.w.workerId },
      company: { id: o.co.orgId },
    });
    expect(created.json().orderNumber).toMatch(/^DD/);
    const again = await inject('POST', '/api/v1/reviews', o.resident.cookie, {
      orderId: o.orderId,
      ratings: good,
      text: '再评',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('REVIEW_ALREADY_EXISTS');
    expect(await topics('feedback.review_published')).toContainEqual({
      reviewId: created.json().id,
      orderId: o.orderId,
      workerId: o.w.workerId,
      companyId: o.co.orgId,
      employerUserId: null,
    });

    // Public pages show it.
    const pub = await inject('GET', `/api/v1/public/workers/${o.w.workerId}/reviews`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().items.map((i: { id: string }) => i.id)).toEqual([created.json().id]);
    expect(pub.json().items[0].authorName).not.toBe('陈女士');

    // Mutual evaluation: the worker rates the employer; the company sees it when considering the next order.
    const emp = await inject('POST', '/api/v1/reviews', o.w.cookie, {
      orderId: o.orderId,
      ratings: { respect: 5, payment: 5, communication: 4, environment: 4 },
      text: '雇主很客气，按时付款',
    });
    expect(emp.statusCode).toBe(201);
    expect(emp.json()).toMatchObject({ side: 'provider', authorRole: 'worker', worker: null, company: null });
    const companyTwice = await inject('POST', '/api/v1/reviews', o.co.cookie, {
      orderId: o.orderId,
      ratings: { respect: 5, payment: 5, communication: 4, environment: 4 },
      text: '同一方第二次',
    });
    expect(companyTwice.json().code).toBe('REVIEW_ALREADY_EXISTS');
    const next = await order('requested', o);
    const ratings = await inject('GET', `/api/v1/orders/${next.orderId}/employer-ratings`, o.co.cookie);
    expect(ratings.statusCode).toBe(200);
    expect(ratings.json()).toMatchObject({ count: 1, average: 4.5 });
    const otherCo = await company(t, '别家公司');
    expect(
      (await inject('GET', `/api/v1/orders/${next.orderId}/employer-ratings`, otherCo.cookie)).statusCode,
    ).toBe(404);

    // The worker replies once; the resident cannot reply to their own review.
    expect(
      (
        await inject('POST', `/api/v1/reviews/${created.json().id}/reply`, o.resident.cookie, {
          text: '谢谢',
        })
      ).statusCode,
    ).toBe(409);
    const reply = await inject('POST', `/api/v1/reviews/${created.json().id}/reply`, o.w.cookie, {
      text: '谢谢您的认可',
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().reply.text).toBe('谢谢您的认可');
    expect(
      (
        await inject('POST', `/api/v1/reviews/${created.json().id}/reply`, o.co.cookie, { text: '再回' })
      ).json().code,
    ).toBe('REVIEW_REPLY_NOT_ALLOWED');
  });

  test('the review window closes after the configured days', async () => {
    const o = await order('completed');
    t.clock.advance(31 * DAY);
    const late = await inject('POST', '/api/v1/reviews', o.resident.cookie, {
      orderId: o.orderId,
      ratings: good,
      text: '迟到的评价',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('REVIEW_WINDOW_CLOSED');
  });

  test('reports go to the regulator, who hides the review with a reason; credit is told', async () => {
    const o = await order('completed');
    const r = (
      await inject('POST', '/api/v1/reviews', o.resident.cookie, {
        orderId: o.orderId,
        ratings: good,
        text: '辱骂内容',
      })
    ).json();
    const rep = await inject('POST', `/api/v1/reviews/${r.id}/report`, o.co.cookie, {
      reason: '含侮辱性语言',
    });
    expect(rep.statusCode).toBe(201);
    expect(
      (await inject('POST', `/api/v1/reviews/${r.id}/report`, o.co.cookie, { reason: '再举报' })).json().code,
    ).toBe('REVIEW_ALREADY_REPORTED');
    const queue = await inject('GET', '/api/v1/regulator/reviews/moderation', regulator.cookie);
    const item = queue.json().items.find((i: { id: string }) => i.id === r.id);
    expect(item.reports).toHaveLength(1);
    expect(
      (
        await inject('POST', `/api/v1/regulator/reviews/${r.id}/moderate`, o.co.cookie, {
          decision: 'hide',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const hidden = await inject('POST', `/api/v1/regulator/reviews/${r.id}/moderate`, regulator.cookie, {
      decision: 'hide',
      reason: '含侮辱性语言，违反评价规则',
    });
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json()).toMatchObject({ state: 'hidden', moderationReason: '含侮辱性语言，违反评价规则' });
    const pub = await inject('GET', `/api/v1/public/companies/${o.co.orgId}/reviews`);
    expect(pub.json().items).toEqual([]);
    expect((await topics('feedback.review_removed')).map((p) => p.reviewId)).toContain(r.id);
    const again = await inject('POST', `/api/v1/regulator/reviews/${r.id}/moderate`, regulator.cookie, {
      decision: 'hide',
      reason: '再次',
    });
    expect(again.json().code).toBe('REVIEW_MODERATION_INVALID');
  });
});

describe('complaints', () => {
  test('refused for an order you were not part of, or a subject that does not fit; nothing stored', async () => {
    const o = await order('completed');
    const before = await count(complaint);
    const stranger = await account(t, [{ role: 'resident' }]);
    const res = await inject(
      'POST',
      '/api/v1/complaints',
      stranger.cookie,
      { orderId: o.orderId, subject: 'worker', category: 'service_quality', description: '不是我的订单' },
      { 'idempotency-key': 'cmp-stranger-1' },
    );
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('FEEDBACK_ORDER_NOT_YOURS');
    const wrong = await inject(
      'POST',
      '/api/v1/complaints',
      o.resident.cookie,
      { orderId: o.orderId, subject: 'employer', category: 'service_quality', description: '投诉自己' },
      { 'idempotency-key': 'cmp-wrong-1' },
    );
    expect(wrong.json().code).toBe('COMPLAINT_SUBJECT_INVALID');
    const badCat = await inject('POST', '/api/v1/complaints', o.resident.cookie, {
      orderId: o.orderId,
      subject: 'worker',
      category: 'nonsense',
      description: 'x',
    });
    expect(badCat.statusCode).toBe(422);
    expect(await count(complaint)).toBe(before);
  });

  test('filed → responded → refused → escalated → investigated → upheld (certificate suspended) → appeal once', async () => {
    const o = await order('completed');
    const filed = await inject(
      'POST',
      '/api/v1/complaints',
      o.resident.cookie,
      {
        orderId: o.orderId,
        subject: 'worker',
        category: 'damage_or_theft',
        description: '打碎了花瓶且未告知',
      },
      { 'idempotency-key': 'cmp-flow-1' },
    );
    expect(filed.statusCode).toBe(201);
    const c = filed.json();
    expect(c).toMatchObject({
      state: 'filed',
      relation: 'complainant',
      actions: ['withdraw'],
      worker: { id: o.w.workerId },
    });
    expect(new Date(c.respondBy).getTime() - new Date(c.filedAt).getTime()).toBe(24 * HOUR);
    // Replaying the same key returns the same complaint, nothing new stored.
    const replay = await inject(
      'POST',
      '/api/v1/complaints',
      o.resident.cookie,
      {
        orderId: o.orderId,
        subject: 'worker',
        category: 'damage_or_theft',
        description: '打碎了花瓶且未告知',
      },
      { 'idempotency-key': 'cmp-flow-1' },
    );
    expect(replay.json().id).toBe(c.id);

    // Out of order: the resident cannot accept before the company answered; the company cannot decide.
    const early = await inject('POST', `/api/v1/complaints/${c.id}/accept`, o.resident.cookie, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('COMPLAINT_INVALID_TRANSITION');
    const inbox = await inject('GET', `/api/v1/orgs/${o.co.orgId}/complaints?state=filed`, o.co.cookie);
    expect(inbox.json().items[0]).toMatchObject({ id: c.id });
    expect(inbox.json().items[0].slaRemainingMs).toBeGreaterThan(23 * HOUR);
    const noReason = await inject('POST', `/api/v1/complaints/${c.id}/respond`, o.co.cookie, { reason: ' ' });
    expect(noReason.json().code).toBe('COMPLAINT_REASON_REQUIRED');
    t.clock.advance(3 * HOUR);
    const responded = await inject('POST', `/api/v1/complaints/${c.id}/respond`, o.co.cookie, {
      reason: '已联系家政员核实，愿赔偿 200 元',
    });
    expect(responded.statusCode).toBe(200);
    expect(responded.json()).toMatchObject({ state: 'responded', relation: 'company' });
    const companyUpholds = await inject('POST', `/api/v1/complaints/${c.id}/uphold`, o.co.cookie, {
      reason: 'x',
    });
    expect(companyUpholds.statusCode).toBe(409);
    const refused = await inject('POST', `/api/v1/complaints/${c.id}/refuse`, o.resident.cookie, {
      reason: '赔偿不足',
    });
    expect(refused.json()).toMatchObject({ state: 'escalated', escalatedBy: 'complainant' });
    const byCompany = await inject('POST', `/api/v1/complaints/${c.id}/investigate`, o.co.cookie, {});
    expect(byCompany.statusCode).toBe(403);
    expect(byCompany.json().code).toBe('COMPLAINT_NOT_YOUR_STEP');
    expect(
      (await inject('POST', `/api/v1/complaints/${c.id}/investigate`, regulator.cookie, {})).json().state,
    ).toBe('investigating');
    const upheld = await inject('POST', `/api/v1/complaints/${c.id}/uphold`, regulator.cookie, {
      reason: '经调查属实',
      certificateAction: 'suspend',
    });
    expect(upheld.statusCode).toBe(200);
    expect(upheld.json()).toMatchObject({ state: 'upheld', outcome: 'upheld', certificateAction: 'suspend' });
    const status = await t.app.services.certification.workerStatus(o.w.workerId);
    expect(status.certificate?.state).toBe('suspended');
    expect(await topics('feedback.complaint_decided')).toContainEqual({
      complaintId: c.id,
      workerId: o.w.workerId,
      companyId: o.co.orgId,
      outcome: 'upheld',
    });

    // The company appeals once; the regulator decides again; a second appeal is refused.
    expect(
      (await inject('POST', `/api/v1/complaints/${c.id}/appeal`, o.resident.cookie, { reason: 'x' }))
        .statusCode,
    ).toBe(403);
    const appeal = await inject('POST', `/api/v1/complaints/${c.id}/appeal`, o.co.cookie, {
      reason: '花瓶原本已有裂痕',
    });
    expect(appeal.json().state).toBe('investigating');
    await inject('POST', `/api/v1/complaints/${c.id}/uphold`, regulator.cookie, { reason: '维持原决定' });
    const second = await inject('POST', `/api/v1/complaints/${c.id}/appeal`, o.co.cookie, {
      reason: '再申诉',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('COMPLAINT_ALREADY_APPEALED');

    // Everyone involved sees it: resident, company, the worker it is about, the regulator's board; a stranger not.
    for (const cookie of [o.resident.cookie, o.co.cookie, o.w.cookie, regulator.cookie])
      expect((await inject('GET', `/api/v1/complaints/${c.id}`, cookie)).json().outcome).toBe('upheld');
    const other = await company(t, '无关公司');
    expect((await inject('GET', `/api/v1/complaints/${c.id}`, other.cookie)).statusCode).toBe(404);
    const board = await inject('GET', '/api/v1/regulator/complaints?state=upheld', regulator.cookie);
    expect(board.json().items.map((i: { id: string }) => i.id)).toContain(c.id);

    const history = await inject('GET', `/api/v1/complaints/${c.id}`, o.resident.cookie);
    expect(history.json().history.map((h: { action: string }) => h.action)).toEqual([
      'file',
      'respond',
      'refuse',
      'investigate',
      'uphold',
      'appeal',
      'uphold',
    ]);
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, c.id), eq(auditLog.objectType, 'complaint')));
    expect(audits.map((a) => a.action)).toContain('complaint.uphold');

    // The figures credit reads: one upheld complaint against the worker and the company, answered in 3 hours.
    const asOf = t.clock.now;
    const w = await t.app.services.feedback.statsFor({ type: 'worker', id: o.w.workerId }, asOf);
    expect(w).toMatchObject({ complaintCount: 1, upheldCount: 1, respondedCount: 0 });
    const co = await t.app.services.feedback.statsFor({ type: 'company', id: o.co.orgId }, asOf);
    expect(co).toMatchObject({
      complaintCount: 1,
      upheldCount: 1,
      respondedCount: 1,
      respondedInSlaCount: 1,
    });
    expect(co.responseHoursSum).toBeCloseTo(3, 5);
    const all = await t.database.db.execute(
      sql`select * from (${t.app.services.feedback.statsSql(asOf)}) as fb where subject_id in (${o.w.workerId}, ${o.co.orgId})`,
    );
    const rows = (all as unknown as { rows: Record<string, unknown>[] }).rows;
    const coRow = rows.find((r) => r.subject_id === o.co.orgId)!;
    expect(Number(coRow.upheld_count)).toBe(co.upheldCount);
    expect(Number(coRow.response_hours_sum)).toBeCloseTo(co.responseHoursSum, 5);
  });

  test('an unanswered complaint escalates to the regulator when the SLA passes (scheduled job)', async () => {
    const o = await order('completed');
    const c = (
      await inject(
        'POST',
        '/api/v1/complaints',
        o.resident.cookie,
        { orderId: o.orderId, subject: 'company', category: 'late_or_absent', description: '迟到两小时' },
        { 'idempotency-key': 'cmp-sla-1' },
      )
    ).json();
    const svc = t.app.services.feedback;
    t.clock.advance(23 * HOUR);
    await svc.runDue(systemContext('test'));
    expect((await inject('GET', `/api/v1/complaints/${c.id}`, o.resident.cookie)).json().state).toBe('filed');
    t.clock.advance(2 * HOUR);
    const run = await svc.runDue(systemContext('test'));
    expect(run.escalated).toBeGreaterThanOrEqual(1);
    const after = (await inject('GET', `/api/v1/complaints/${c.id}`, o.co.cookie)).json();
    expect(after).toMatchObject({ state: 'escalated', escalatedBy: 'system', actions: [] });
    // Too late to respond now.
    const late = await inject('POST', `/api/v1/complaints/${c.id}/respond`, o.co.cookie, { reason: '抱歉' });
    expect(late.json().code).toBe('COMPLAINT_INVALID_TRANSITION');
    expect((await topics('feedback.complaint_escalated')).map((p) => p.complaintId)).toContain(c.id);
    const ev = await t.database.db.select().from(complaintEvent).where(eq(complaintEvent.complaintId, c.id));
    expect(ev.find((e) => e.action === 'escalate')).toMatchObject({ party: 'system', actorId: null });
    // Company figures: answered none of it, so nothing in SLA.
    const co = await svc.statsFor({ type: 'company', id: o.co.orgId }, t.clock.now);
    expect(co).toMatchObject({ complaintCount: 1, respondedCount: 0, respondedInSlaCount: 0 });

    // A rejected complaint nobody appeals closes after the appeal window.
    await inject('POST', `/api/v1/complaints/${c.id}/investigate`, regulator.cookie, {});
    await inject('POST', `/api/v1/complaints/${c.id}/reject`, regulator.cookie, { reason: '证据不足' });
    t.clock.advance(8 * DAY);
    expect((await svc.runDue(systemContext('test'))).closed).toBeGreaterThanOrEqual(1);
    expect((await inject('GET', `/api/v1/complaints/${c.id}`, o.resident.cookie)).json().state).toBe(
      'closed',
    );
  });

  test('a disputed contract termination opens one complaint against the company, however often it is delivered', async () => {
    const o = await order('completed');
    const payload = {
      contractId: 'ctr_test_dispute_1',
      orderId: o.orderId,
      companyId: o.co.orgId,
      workerId: o.w.workerId,
      residentUserId: o.resident.userId,
      reason: '企业单方解除合同且不退押金',
    };
    const first = await t.app.services.feedback.openFromContractDispute(payload);
    const again = await t.app.services.feedback.openFromContractDispute(payload);
    expect(first).not.toBeNull();
    expect(again).toBe(first);
    const c = (await inject('GET', `/api/v1/complaints/${first}`, o.resident.cookie)).json();
    expect(c).toMatchObject({
      state: 'filed',
      subjectType: 'company',
      category: 'contract_breach',
      relation: 'complainant',
    });
    expect(
      await t.app.services.feedback.openFromContractDispute({ ...payload, companyId: 'org_other' }),
    ).toBeNull();
  });

  test('a worker complains about their company without an order (unpaid wages)', async () => {
    const p = await parties_();
    const res = await inject(
      'POST',
      '/api/v1/complaints',
      p.w.cookie,
      { subject: 'company', companyId: p.co.orgId, category: 'unpaid_wages', description: '三月工资未发' },
      { 'idempotency-key': 'cmp-wage-1' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      complainantRole: 'worker',
      subjectType: 'company',
      company: { id: p.co.orgId },
    });
    const mine = await inject('GET', '/api/v1/complaints/mine', p.w.cookie);
    expect(mine.json().items.map((i: { id: string }) => i.id)).toContain(res.json().id);
  });
});
