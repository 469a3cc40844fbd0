// Regressions found by the fuzz suite (`npm run assure -- --only fuzz`, scripts/assure/fuzz.ts) once its requests
// carried real ids and got past the handlers' lookups: each was a 500 on schema-valid input (a `YYYY-MM-DD` pattern
// that PostgreSQL then refused as no calendar date).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from './app.js';
import { createPrincipals, type PrincipalWorld } from './support/principals.js';
import { certifiedWorker } from './factories/workers.js';

let t: TestApp;
let world: PrincipalWorld;
let workerId: string;
beforeAll(async () => {
  t = await buildTestApp();
  world = await createPrincipals(t.app);
  ({
    w: { workerId },
  } = await certifiedWorker(t, { regulatorCookie: world.cookies.get('regulator')!, issue: false }));
});
afterAll(async () => t.close());

describe('a date that matches YYYY-MM-DD but names no day is refused (422), not a 500', () => {
  const cases: [string, object][] = [
    ['training', { courseName: '岗前培训', passed: true, score: 1, examDate: '1164-25-95' }],
    ['training', { courseName: '岗前培训', passed: true, examDate: '2023-02-29' }],
    ['training', { courseName: '岗前培训', passed: true, examDate: '0000-01-01' }],
    ['background-checks', { state: 'clear', checkedOn: '2024-04-31' }],
  ];
  test.each(cases)('POST /regulator/workers/:id/%s %j', async (what, body) => {
    const before = await t.app.database.raw.query<{ n: number }>(
      'select count(*)::int as n from pre_job_training',
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/regulator/workers/${workerId}/${what}`,
      headers: { cookie: world.cookies.get('regulator')! },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const after = await t.app.database.raw.query<{ n: number }>(
      'select count(*)::int as n from pre_job_training',
    );
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  test('a real leap day is still accepted', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/regulator/workers/${workerId}/training`,
      headers: { cookie: world.cookies.get('regulator')! },
      payload: { courseName: '岗前培训', passed: true, score: 88, examDate: '2024-02-29' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().examDate).toBe('2024-02-29');
  });
});

describe('a training class with a date that names no day is refused (422), not a 500', () => {
  test.each([
    ['8334-72-18', '9848-85-06'],
    ['2025-02-29', '2025-03-01'],
  ])('startsOn %s, endsOn %s', async (startsOn, endsOn) => {
    const cookie = world.cookies.get('training_staff')!;
    const course = await t.app.inject({
      method: 'POST',
      url: '/api/v1/training/courses',
      headers: { cookie },
      payload: { title: '家政服务员岗前培训', category: 'housework', kind: 'pre_job', requiredMinutes: 60 },
    });
    expect(course.statusCode, course.body).toBe(201);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/training/classes',
      headers: { cookie },
      payload: {
        courseId: course.json().id,
        title: '周末班',
        startsOn,
        endsOn,
        minutesPerDay: 60,
        venue: '天河区培训中心',
        capacity: 20,
      },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
