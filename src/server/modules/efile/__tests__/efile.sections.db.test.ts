import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pdfPlainText as pdfText } from '../../../../../test/support/pdf-text.js';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import { complaint, contract, creditScore, insurancePolicy, review } from '../../../platform/db/schema.js';
import { DEMO_PASSWORD, DEMO_SEED, seedSteps } from '../../../seed/demo.js';
import { createRandom } from '../../../seed/random.js';

// The e-file (一档) gathers every later module's part of a worker's record: contracts, reviews, complaints,
// credit and insurance. On the demo city, each section must hold exactly what its module holds for the worker.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  const ctx = { app: t.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} } as Parameters<
    (typeof seedSteps)[number]['run']
  >[0];
  const steps = [
    'organizations',
    'accounts',
    'workers',
    'certificates',
    'catalog-discovery',
    'orders',
    'contracts',
    'insurance',
    'credit',
    'feedback',
  ];
  for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
}, 900_000);
afterAll(async () => t?.close());

async function signIn(phone: string) {
  return signInWithPassword(t.app, phone, DEMO_PASSWORD);
}

async function demoWorker() {
  const cookie = await signIn('13900000002');
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/workers/me/file', headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return { cookie, file: res.json() };
}

test('each later section equals its module’s rows for the worker, and the export and PDF carry them', async () => {
  const { cookie, file } = await demoWorker();
  const workerId: string = file.profile.id;
  const db = t.database.db;

  const policies = await db.select().from(insurancePolicy).where(eq(insurancePolicy.workerId, workerId));
  expect(policies.length).toBeGreaterThan(0);
  expect(file.insurance.available).toBe(true);
  expect(file.insurance.items.map((p: { number: string }) => p.number).sort()).toEqual(
    policies.map((p) => p.number).sort(),
  );

  const [score] = await db
    .select()
    .from(creditScore)
    .where(and(eq(creditScore.subjectType, 'worker'), eq(creditScore.subjectId, workerId)));
  expect(score).toBeDefined();
  expect(file.credit).toMatchObject({
    available: true,
    score: Math.round(score!.scoreCenti / 100),
    stars: Number(score!.level),
  });

  const sealed = await db
    .select()
    .from(contract)
    .where(and(eq(contract.workerId, workerId), isNotNull(contract.sealedAt)));
  expect(file.workHistory.contracts.available).toBe(true);
  expect(file.workHistory.contracts.items.map((c: { number: string }) => c.number).sort()).toEqual(
    sealed.map((c) => c.number).sort(),
  );

  const reviews = await db
    .select()
    .from(review)
    .where(and(eq(review.workerId, workerId), eq(review.state, 'published'), eq(review.side, 'resident')));
  expect(file.reviews.available).toBe(true);
  expect(file.reviews.items.map((r: { id: string }) => r.id).sort()).toEqual(reviews.map((r) => r.id).sort());

  const complaints = await db
    .select()
    .from(complaint)
    .where(and(eq(complaint.workerId, workerId), ne(complaint.state, 'withdrawn')));
  expect(file.complaints.available).toBe(true);
  expect(file.complaints.items.map((c: { id: string }) => c.id).sort()).toEqual(
    complaints.map((c) => c.id).sort(),
  );
  // Reviews and complaints never name the resident who wrote them.
  expect(JSON.stringify(file.reviews)).not.toMatch(/authorUserId|complainant/);

  const json = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/export.json',
    headers: { cookie },
  });
  expect(json.statusCode).toBe(200);
  const x = json.json();
  expect(x.insurance).toEqual(file.insurance);
  expect(x.credit).toEqual(file.credit);
  expect(x.workHistory.contracts).toEqual(file.workHistory.contracts);

  const pdf = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/export.pdf',
    headers: { cookie },
  });
  expect(pdf.statusCode).toBe(200);
  const text = await pdfText(pdf.rawPayload);
  expect(text).toContain(policies[0]!.number);
  expect(text).toContain(`${Math.round(score!.scoreCenti / 100)} 分`);
  expect(text).not.toContain('尚未上线');
}, 600_000);
