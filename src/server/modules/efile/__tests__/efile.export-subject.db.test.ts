import { afterAll, beforeAll, expect, test } from 'vitest';
import { exerciseSubjectRows } from '../../../../../scripts/assure/rights.js';
import { priceItem } from '../../../../../scripts/assure/support.js';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker } from '../../../../../test/factories/workers.js';
import { pdfText, squash } from '../../../../../test/support/pdf-text.js';

// PIPL Art 45: the export carries every row naming the worker or their account. These rows (training progress,
// expiry reminders, staff seats, the account's own needs, offers naming the worker) were missing before; each must
// be in the export by its id, or by its key (`ref`) where the table has no id.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
}, 120_000);
afterAll(async () => t?.close());

const rowsOf = (sql: string, params: unknown[]) => t.app.database.raw.query<{ k: string }>(sql, params);

test('the export carries the training, reminder, membership, need and offer rows of the worker, keyed', async () => {
  const regulator = await account(t, [{ role: 'regulator' }]);
  const { w, co } = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
  const itemId = await priceItem(t, co);
  const resident = await account(t, [{ role: 'resident' }], '孙女士');
  await exerciseSubjectRows(t, { w, co, itemId, resident });

  const res = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/export.json',
    headers: { cookie: w.cookie },
  });
  expect(res.statusCode).toBe(200);
  const x = res.json();
  const keys = <T extends { k: string }>(rows: T[]) => rows.map((r) => r.k).sort();

  const enrolments = await rowsOf('select class_id as k from training_enrolment where worker_id = $1', [
    w.workerId,
  ]);
  expect(enrolments).toHaveLength(1);
  expect(x.trainingProgress.enrolments.map((e: { ref: string }) => e.ref)).toEqual(keys(enrolments));
  expect(x.trainingProgress.enrolments[0]).toMatchObject({
    classTitle: '第 1 期',
    courseTitle: '母婴护理技能提升班',
  });

  const attendance = await rowsOf(
    `select class_id || '/' || day::text as k from training_attendance where worker_id = $1`,
    [w.workerId],
  );
  expect(attendance).toHaveLength(1);
  expect(x.trainingProgress.attendance.map((a: { ref: string }) => a.ref)).toEqual(keys(attendance));
  expect(x.trainingProgress.attendance[0].minutes).toBe(480);

  const lessons = await rowsOf('select lesson_id as k from training_lesson_progress where worker_id = $1', [
    w.workerId,
  ]);
  expect(x.trainingProgress.lessons.map((l: { ref: string }) => l.ref)).toEqual(keys(lessons));
  expect(x.trainingProgress.lessons[0].lessonTitle).toBe('新生儿护理要点');
  expect(x.trainingProgress.openAttempts).toEqual([]);

  const attempts = await rowsOf('select id as k from training_attempt where worker_id = $1', [w.workerId]);
  expect(x.trainingRecords.exams.map((e: { id: string }) => e.id)).toEqual(keys(attempts));
  const certs = await rowsOf('select id as k from training_certificate where worker_id = $1', [w.workerId]);
  expect(certs).toHaveLength(1);
  expect(x.trainingRecords.certificates.map((c: { id: string }) => c.id)).toEqual(keys(certs));

  const reminders = await rowsOf(
    `select document || '/' || expires_on::text || '/' || threshold as k from expiry_reminder where worker_id = $1`,
    [w.workerId],
  );
  expect(reminders.length).toBeGreaterThan(0);
  expect(x.expiryReminders.map((r: { ref: string }) => r.ref).sort()).toEqual(keys(reminders));
  expect(x.expiryReminders[0]).toMatchObject({ document: 'health', threshold: 'due_30d' });

  const seats = await rowsOf('select id as k from org_membership where user_id = $1', [w.userId]);
  expect(x.account.memberships.map((m: { id: string }) => m.id)).toEqual(keys(seats));
  expect(x.account.memberships[0]).toMatchObject({ role: 'staff', orgType: 'company', endedAt: null });

  const own = await rowsOf('select id as k from demand where resident_user_id = $1', [w.userId]);
  expect(own).toHaveLength(1);
  expect(x.account.demands.map((d: { id: string }) => d.id)).toEqual(keys(own));
  const offers = await rowsOf('select id as k from demand_offer where worker_id = $1', [w.workerId]);
  expect(offers).toHaveLength(1);
  expect(x.demandOffers.map((o: { id: string }) => o.id)).toEqual(keys(offers));
  expect(x.demandOffers[0]).toMatchObject({ companyName: expect.any(String), state: 'pending' });
  // The other resident's need is not the worker's: its address stays out of the export (and so does the worker's own,
  // which the account's own demand view shows).
  expect(res.body).not.toContain('体育西路');

  // The PDF copy carries these sections too, in Chinese, without the other resident's address.
  const pdf = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/export.pdf',
    headers: { cookie: w.cookie },
  });
  expect(pdf.statusCode).toBe(200);
  const text = await pdfText(pdf.rawPayload);
  for (const heading of [
    '培训进度',
    '报名的培训班',
    '签到记录',
    '已完成的课时',
    '进行中的考试无记录',
    '证件到期提醒',
    '企业推荐我的需求报价',
    '账号',
    '账号角色',
    '机构任职',
    '我发布的服务需求',
    '通知',
  ])
    expect(text).toContain(heading);
  for (const value of [
    '母婴护理技能提升班·第 1 期',
    '480 分钟',
    '新生儿护理要点',
    '健康证（有效期至',
    '30 天内到期',
    x.demandOffers[0].companyName,
    '待选择', // orders.offerState.pending
    x.account.memberships[0].orgName,
    '员工', // org.role.staff
  ])
    expect(text).toContain(squash(value));
  expect(text).not.toContain('体育西路');
});
