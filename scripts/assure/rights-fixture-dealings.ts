// The rights fixture's dealings (docs/security.md, known gap 1): the worker's contracts, reviews and complaints, and
// messaging, each through the real routes as the people involved would produce them, so the export's coverage of
// those tables is checked on real rows.
import type { TestApp } from '../../test/app.js';
import { day, PNG } from '../../test/factories/workers.js';
import { book, hourly, inject, must, slot } from './support.js';

type Person = { cookie: string; phone: string };

const SIGNATURE = `data:image/png;base64,${PNG.toString('base64')}`;

/** Signs a contract as `who`: an SMS code to their phone, then the hand-drawn signature with the code. */
async function sign(t: TestApp, contractId: string, who: Person, what: string) {
  must(
    await inject(t, 'POST', `/api/v1/contracts/${contractId}/sign-code`, who.cookie, {}),
    200,
    `${what} code`,
  );
  const code = t.sms.latest(who.phone);
  if (code?.purpose !== 'contract_sign') throw new Error(`${what}: no contract sign code was sent`);
  must(
    await inject(
      t,
      'POST',
      `/api/v1/contracts/${contractId}/sign`,
      who.cookie,
      { code: code.code, signaturePng: SIGNATURE },
      { 'user-agent': 'rights-fixture-phone' },
    ),
    200,
    `${what} signature`,
  );
}

/**
 * The worker's dealings with a resident and the employing company:
 * - a live-in order, its three-party contract drafted by the company, signed by all three with SMS codes (sealed),
 *   then ended at the worker's request and confirmed by the others;
 * - a completed hourly order: the resident reviews the worker, the worker rates the employer and reports the
 *   resident's review; the resident complains about the worker and the worker about the employer;
 * - a conversation the resident opens from the worker's profile: messages both ways, the worker's read marker, a
 *   video interview (joined, outcome with the organizer's private notes), then the worker reports and blocks it.
 * Returns the ids the export test looks for.
 */
export async function exerciseDealings(
  t: TestApp,
  opts: {
    w: Person & { userId: string; workerId: string };
    /** The employer's admin; certifiedWorker's company carries its phone (typed optional there). */
    co: { orgId: string; cookie: string; phone?: string };
    resident: Person;
    /** The household's address on both orders (must not reach the export). */
    address?: string;
  },
) {
  const { w, co, resident } = opts;
  const address = opts.address ?? '广州市越秀区东风中路88号5楼';
  const post = (url: string, cookie: string, body: object = {}, headers: Record<string, string> = {}) =>
    inject(t, 'POST', url, cookie, body, headers);

  // Messaging first: the conversation is opened while nothing else is going on between them.
  const conversationId = must(
    await post('/api/v1/conversations', resident.cookie, { context: 'profile', workerId: w.workerId }),
    200,
    'open conversation',
  ).json().id;
  const say = async (who: Person, text: string) =>
    must(
      await post(`/api/v1/conversations/${conversationId}/messages`, who.cookie, { text }),
      201,
      'message',
    );
  await say(resident, '您好，想请您做住家保洁，我的电话 13912345678，方便时回电');
  const reply = (await say(w, '您好，可以的，下周都有空')).json();
  must(await post(`/api/v1/conversations/${conversationId}/read`, w.cookie, { seq: 2 }), 200, 'read marker');
  const interviewId = must(
    await post('/api/v1/interviews', resident.cookie, {
      workerId: w.workerId,
      scheduledAt: new Date(t.clock.now.getTime() + 3600_000).toISOString(),
      durationMinutes: 30,
      conversationId,
    }),
    201,
    'schedule interview',
  ).json().id;
  must(await post(`/api/v1/interviews/${interviewId}/join`, w.cookie), 200, 'join interview');
  must(
    await post(`/api/v1/interviews/${interviewId}/outcome`, resident.cookie, {
      outcome: 'proceed',
      notes: '面试备注：做事利落，可以录用',
    }),
    200,
    'interview outcome',
  );

  // A live-in order and its contract: drafted, signed by all three, then ended at the worker's request.
  const liveIn = must(
    await post(`/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
      category: 'cleaning',
      mode: 'live_in',
      priceFen: 700_000,
      title: '住家保洁（月）',
    }),
    201,
    'live-in price',
  ).json().id;
  const start = day(t, 20);
  const order = must(
    await book(t, resident.cookie, {
      priceItemId: liveIn,
      workerId: w.workerId,
      schedule: { mode: 'live_in', startDate: start, months: 3 },
      address,
      district: '440106',
    }),
    201,
    'live-in booking',
  ).json().id;
  must(await post(`/api/v1/orders/${order}/accept`, co.cookie), 200, 'live-in accept');
  const contractId = must(
    await post('/api/v1/contracts', co.cookie, { orderId: order }, { 'idempotency-key': `rights-${order}` }),
    201,
    'contract draft',
  ).json().id;
  await sign(t, contractId, resident, 'resident');
  if (!co.phone) throw new Error('the company admin has no phone to receive a sign code');
  await sign(t, contractId, { cookie: co.cookie, phone: co.phone }, 'company');
  await sign(t, contractId, w, 'worker');
  must(
    await post(`/api/v1/contracts/${contractId}/termination`, w.cookie, {
      reason: '家中老人生病，需回乡照顾',
      effectiveDate: day(t, 25),
    }),
    200,
    'termination request',
  );
  for (const who of [resident, co])
    must(await post(`/api/v1/contracts/${contractId}/termination/confirm`, who.cookie), 200, 'confirm');

  // A completed hourly order, reviewed both ways and complained about both ways.
  const item = must(
    await post(`/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
      category: 'cleaning',
      mode: 'hourly',
      priceFen: 6000,
      title: '深度保洁（2小时起）',
    }),
    201,
    'hourly price',
  ).json().id;
  const done = must(
    await book(t, resident.cookie, hourly(item, w.workerId, slot(t, 1.5), 2, address)),
    201,
    'hourly booking',
  ).json().id;
  must(await post(`/api/v1/orders/${done}/accept`, co.cookie), 200, 'accept');
  must(await post(`/api/v1/orders/${done}/start`, w.cookie), 200, 'start');
  must(await post(`/api/v1/orders/${done}/confirm`, resident.cookie), 200, 'confirm completion');
  const residentReview = must(
    await post('/api/v1/reviews', resident.cookie, {
      orderId: done,
      ratings: { quality: 2, punctuality: 3, attitude: 2, skill: 3 },
      text: '打扫不够仔细',
    }),
    201,
    'resident review',
  ).json().id;
  const workerReview = must(
    await post('/api/v1/reviews', w.cookie, {
      orderId: done,
      ratings: { respect: 4, payment: 5, communication: 4, environment: 4 },
      text: '雇主通情达理，按时结算',
    }),
    201,
    'worker review of the employer',
  ).json().id;
  const reviewReport = must(
    await post(`/api/v1/reviews/${residentReview}/report`, w.cookie, {
      reason: '评价与事实不符，已按要求打扫',
    }),
    201,
    'review report',
  ).json().id;
  const complaintAbout = must(
    await post(
      '/api/v1/complaints',
      resident.cookie,
      { orderId: done, subject: 'worker', category: 'attitude', description: '服务态度冷淡' },
      { 'idempotency-key': `rights-c1-${done}` },
    ),
    201,
    'complaint about the worker',
  ).json().id;
  const complaintFiled = must(
    await post(
      '/api/v1/complaints',
      w.cookie,
      { orderId: done, subject: 'employer', category: 'mistreatment', description: '雇主言语不尊重' },
      { 'idempotency-key': `rights-c2-${done}` },
    ),
    201,
    'complaint by the worker',
  ).json().id;

  // Last, the worker reports the conversation and blocks it.
  const conversationReport = must(
    await post(`/api/v1/conversations/${conversationId}/reports`, w.cookie, {
      reason: '对方索要私人联系方式',
    }),
    201,
    'conversation report',
  ).json().id;
  must(await post(`/api/v1/conversations/${conversationId}/block`, w.cookie), 200, 'block');

  return {
    conversationId,
    messageId: reply.id,
    interviewId,
    contractId,
    reviews: { residentReview, workerReview },
    reviewReport,
    complaints: { complaintAbout, complaintFiled },
    conversationReport,
  };
}
