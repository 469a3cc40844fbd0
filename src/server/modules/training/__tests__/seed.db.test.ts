import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { createRandom } from '../../../seed/random.js';
import { seedDemoWorkers } from '../../workers/index.js';
import { drawPaper } from '../draw.js';
import { seedTraining } from '../seed.js';
import { preJobQuestions } from '../seed-questions.js';
import { trainingAttempt, trainingCertificate, trainingExam, trainingQuestion } from '../training.tables.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

test('the demo training matches the workers’ pre-job records; the bank satisfies the 岗前考试’s rules', async () => {
  const { orgs, workers } = t.app.services;
  const db = t.database.db;
  const companyId = await orgs.createOrganization(db, {
    type: 'company',
    name: '演示家政',
    district: '440106',
    status: 'active',
  });
  const institutionId = await orgs.createOrganization(db, {
    type: 'training',
    name: '演示培训学校',
    district: '440104',
  });
  const { workerIds } = await seedDemoWorkers({
    db,
    pii: t.app.pii,
    storage: t.app.storage,
    random: createRandom(42),
    companyIds: [companyId],
    count: 40,
    now: t.clock.now,
  });
  const out = await seedTraining({
    db,
    workers,
    institutionId,
    institutionUserId: null,
    regulatorUserId: null,
    workerIds,
    now: t.clock.now,
  });
  expect(out.questionCount).toBeGreaterThanOrEqual(40);
  expect(preJobQuestions.length).toBe(out.questionCount);

  const [exam] = await db.select().from(trainingExam).where(eq(trainingExam.id, out.preJobExamId));
  const pool = await db.select().from(trainingQuestion).where(eq(trainingQuestion.bankId, exam!.bankId));
  expect(drawPaper(pool, exam!.rules, 'any').ok).toBe(true);

  let compared = 0;
  for (const workerId of workerIds) {
    const facts = await workers.trustFacts(workerId);
    const attempts = await db.select().from(trainingAttempt).where(eq(trainingAttempt.workerId, workerId));
    const certs = await db
      .select()
      .from(trainingCertificate)
      .where(eq(trainingCertificate.workerId, workerId));
    if (facts!.training.state === 'missing') {
      expect(attempts).toEqual([]);
      continue;
    }
    compared++;
    const passed = facts!.training.state === 'passed';
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.passed).toBe(passed);
    expect(attempts[0]!.score! >= 80).toBe(passed);
    expect(certs).toHaveLength(passed ? 1 : 0);
    if (passed) {
      // On the day the worker passed (Asia/Shanghai).
      const day = new Date(attempts[0]!.startedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      expect(day).toBe(facts!.training.passedOn);
      expect(certs[0]!.number).toMatch(/^PX-\d{4}-\d{6}-[0-9A-Z]$/);
    }
  }
  expect(compared).toBeGreaterThan(20);
});
