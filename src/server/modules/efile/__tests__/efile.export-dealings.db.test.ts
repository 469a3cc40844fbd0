import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { exerciseDealings } from '../../../../../scripts/assure/rights-fixture-dealings.js';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker } from '../../../../../test/factories/workers.js';
import { pdfText, shanghaiMinute, squash } from '../../../../../test/support/pdf-text.js';

// PIPL Art 45: the export carries the worker's contracts (any state, own signatures, terminations), reviews and
// complaints (about them, by them, their review reports) and messaging (conversations, own messages, read markers,
// blocks, reports, interviews), each by id or by its key (`ref`) — and none of the counterpart's personal data.
// A whole certified worker plus two orders, a signed contract and a conversation: minutes on a busy machine.
vi.setConfig({ testTimeout: 300_000 });
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
}, 120_000);
afterAll(async () => t?.close());

const ids = async (sql: string, params: unknown[]) =>
  (await t.app.database.raw.query<{ k: string }>(sql, params)).map((r) => r.k).sort();
const sorted = <T>(rows: T[], key: (r: T) => string) => rows.map(key).sort();

test('the export carries the contract, feedback and messaging rows of the worker, without the counterpart', async () => {
  const regulator = await account(t, [{ role: 'regulator' }]);
  const { w, co } = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
  const resident = await account(t, [{ role: 'resident' }], '欧阳娜娜');
  const address = '广州市越秀区东风中路88号5楼';
  const f = await exerciseDealings(t, { w, co, resident, address });

  const res = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/export.json',
    headers: { cookie: w.cookie },
  });
  expect(res.statusCode).toBe(200);
  const x = res.json();

  // Contracts: every contract naming the worker, the worker's own signature, the termination they asked for.
  const contracts = await ids('select id as k from contract where worker_id = $1', [w.workerId]);
  expect(contracts).toEqual([f.contractId]);
  expect(sorted(x.contractRecords, (c: { id: string }) => c.id)).toEqual(contracts);
  const [c] = x.contractRecords;
  expect(c).toMatchObject({
    state: 'terminated',
    mode: 'live_in',
    companyName: expect.any(String),
    filingNo: expect.any(String),
    sealedAt: expect.any(String),
    terminatedAt: expect.any(String),
  });
  expect(c.monthlyWageFen).toBeGreaterThan(0);
  const signatures = await ids('select id as k from contract_signature where signer_user_id = $1', [
    w.userId,
  ]);
  expect(signatures).toHaveLength(1);
  expect(sorted(c.signatures, (s: { id: string }) => s.id)).toEqual(signatures);
  expect(c.signatures[0]).toMatchObject({ party: 'worker', signerUserAgent: 'rights-fixture-phone' });
  const terminations = await ids('select id as k from contract_termination where requested_by_user_id = $1', [
    w.userId,
  ]);
  expect(terminations).toHaveLength(1);
  expect(sorted(c.terminations, (t: { id: string }) => t.id)).toEqual(terminations);
  expect(c.terminations[0]).toMatchObject({
    requestedBy: 'worker',
    requestedByYou: true,
    state: 'agreed',
    reason: '家中老人生病，需回乡照顾',
  });
  // Sign codes are credentials: neither their ids nor their hashes leave.
  const codes = await t.app.database.raw.query<{ id: string; code_hash: string }>(
    'select id, code_hash from contract_sign_code where contract_id = $1',
    [f.contractId],
  );
  expect(codes.length).toBe(3);
  for (const code of codes) {
    expect(res.body).not.toContain(code.id);
    expect(res.body).not.toContain(code.code_hash);
  }

  // Reviews: about the worker and written by them; the worker's report; complaints both ways.
  const reviews = await ids(
    'select id as k from review where worker_id = $1 or author_user_id = $2 or employer_user_id = $2',
    [w.workerId, w.userId],
  );
  expect(reviews).toEqual([f.reviews.residentReview, f.reviews.workerReview].sort());
  expect(sorted(x.feedbackRecords.reviews, (r: { id: string }) => r.id)).toEqual(reviews);
  const byId = (rows: { id: string }[], id: string) => rows.find((r) => r.id === id);
  expect(byId(x.feedbackRecords.reviews, f.reviews.residentReview)).toMatchObject({
    relation: 'about',
    side: 'resident',
    text: '打扫不够仔细',
    state: 'published',
    photoCount: 0,
  });
  expect(byId(x.feedbackRecords.reviews, f.reviews.workerReview)).toMatchObject({
    relation: 'author',
    side: 'provider',
    authorRole: 'worker',
  });
  expect(x.feedbackRecords.reviewReports).toEqual([
    expect.objectContaining({ id: f.reviewReport, reviewId: f.reviews.residentReview, state: 'open' }),
  ]);
  expect(await ids('select id as k from review_report where reporter_user_id = $1', [w.userId])).toEqual([
    f.reviewReport,
  ]);
  const complaints = await ids(
    'select id as k from complaint where worker_id = $1 or complainant_user_id = $2 or employer_user_id = $2',
    [w.workerId, w.userId],
  );
  expect(complaints).toEqual([f.complaints.complaintAbout, f.complaints.complaintFiled].sort());
  expect(sorted(x.feedbackRecords.complaints, (r: { id: string }) => r.id)).toEqual(complaints);
  expect(byId(x.feedbackRecords.complaints, f.complaints.complaintAbout)).toMatchObject({
    relation: 'about',
    complainantRole: 'resident',
    category: 'attitude',
    description: '服务态度冷淡',
  });
  expect(byId(x.feedbackRecords.complaints, f.complaints.complaintFiled)).toMatchObject({
    relation: 'filed',
    subjectType: 'employer',
  });

  // Messaging: the conversation, only the worker's own messages, the read marker and block (keyed by the
  // conversation), the worker's report, the interview without the organizer's private notes.
  const convs = await ids('select id as k from conversation where worker_id = $1 or resident_user_id = $2', [
    w.workerId,
    w.userId,
  ]);
  expect(convs).toEqual([f.conversationId]);
  expect(x.messaging.conversations).toEqual([
    expect.objectContaining({ id: f.conversationId, mySide: 'worker', contextKind: 'profile' }),
  ]);
  const own = await ids('select id as k from message where sender_user_id = $1', [w.userId]);
  expect(own).toEqual([f.messageId]);
  expect(sorted(x.messaging.messages, (m: { id: string }) => m.id)).toEqual(own);
  expect(x.messaging.messages[0]).toMatchObject({ body: '您好，可以的，下周都有空', seq: 2 });
  expect(x.messaging.readMarkers).toEqual([
    expect.objectContaining({ ref: f.conversationId, lastReadSeq: 2 }),
  ]);
  expect(x.messaging.blocks).toEqual([expect.objectContaining({ ref: f.conversationId })]);
  expect(x.messaging.reports).toEqual([
    expect.objectContaining({ id: f.conversationReport, conversationId: f.conversationId, state: 'open' }),
  ]);
  const interviews = await ids('select id as k from interview where worker_id = $1', [w.workerId]);
  expect(interviews).toEqual([f.interviewId]);
  expect(x.messaging.interviews).toEqual([
    expect.objectContaining({
      id: f.interviewId,
      myParty: 'worker',
      state: 'completed',
      outcome: 'proceed',
      notes: null,
    }),
  ]);

  // None of the counterpart's personal data: the resident's name, phone (also the number they typed into the
  // chat), account id or the household's address; nor the organizer's private notes.
  for (const secret of [
    '欧阳娜娜',
    resident.phone,
    resident.userId,
    '13912345678',
    address,
    '东风中路',
    '面试备注',
  ])
    expect(res.body).not.toContain(secret);

  // The PDF copy carries the same sections, in Chinese, with the same exclusions.
  const pdf = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/export.pdf',
    headers: { cookie: w.cookie },
  });
  expect(pdf.statusCode).toBe(200);
  const text = await pdfText(pdf.rawPayload);
  for (const heading of [
    '合同往来（全部状态、本人签名与解除）',
    '本人签名',
    '解除申请与结算',
    '评价与投诉往来（全部状态）',
    '我举报的评价',
    '消息与视频面试',
    '我发送的消息',
    '已读位置',
    '我屏蔽的会话',
    '我举报的会话',
    '视频面试',
  ])
    expect(text).toContain(heading);
  for (const value of [
    c.number,
    c.filingNo,
    '已解除', // contracts.state.terminated, as the app shows it
    '丙方（家政服务员）',
    'rights-fixture-phone',
    '家中老人生病，需回乡照顾',
    '打扫不够仔细',
    '雇主通情达理，按时结算',
    '评价与事实不符，已按要求打扫',
    '服务态度冷淡',
    '雇主言语不尊重',
    '态度恶劣', // feedback.category.attitude
    '您好，可以的，下周都有空',
    '对方索要私人联系方式',
    '满意，继续下单', // the interview's outcome
    // Times in Asia/Shanghai, to the minute.
    `${shanghaiMinute(x.messaging.messages[0].createdAt)}会话1第2条`,
  ])
    expect(text).toContain(squash(value));
  for (const secret of [
    '欧阳娜娜',
    resident.phone,
    '13912345678',
    address,
    '东风中路',
    '面试备注',
    '做事利落',
  ])
    expect(text).not.toContain(squash(secret));
});
