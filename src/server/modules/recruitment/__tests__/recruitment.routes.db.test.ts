import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company, day, selfWorker } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { recruitmentApplication, recruitmentPost } from '../recruitment.tables.js';

// Recruitment through the real app: lawful posts only, search and recommendations, saved-search alerts, applying
// with the e-file grant, the screening board's state machine, the hand-off to employment, fairs, cohorts, reports.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const DAY = 86_400_000;
const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, cookie?: string, payload?: object) =>
  t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

const postBody = (patch: object = {}) => ({
  title: '天河区住家育婴员',
  category: 'maternity',
  mode: 'live_in',
  district: '440106',
  location: '天河区珠江新城',
  salaryMinFen: 800_000,
  salaryMaxFen: 1_200_000,
  minLevel: 'level5',
  certificateRequired: false,
  minExperienceYears: 2,
  minAge: 25,
  maxAge: 55,
  benefits: ['accident_insurance', 'housing', 'meals'],
  description: '照顾新生儿和产妇，26 天一单，包吃住。',
  headcount: 2,
  closesOn: day(t, 30),
  ...patch,
});

async function publish(co: { orgId: string; cookie: string }, patch: object = {}) {
  const res = await inject(
    'POST',
    `/api/v1/companies/${co.orgId}/recruitment/posts`,
    co.cookie,
    postBody(patch),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; open: boolean };
}

async function postCount() {
  const [r] = await t.database.db.select({ n: count() }).from(recruitmentPost);
  return Number(r?.n);
}

describe('posts', () => {
  test('unlawful terms are refused with a stable code and nothing is stored', async () => {
    const co = await company(t);
    const before = await postCount();
    const cases: [object, string, string][] = [
      [{ minAge: 15 }, 'RECRUITMENT_AGE_UNLAWFUL', 'minAge'],
      [{ salaryMinFen: 240_000 }, 'RECRUITMENT_BELOW_MINIMUM_WAGE', 'salaryMinFen'],
      [
        { mode: 'hourly', salaryMinFen: 2_000, salaryMaxFen: 3_000 },
        'RECRUITMENT_BELOW_MINIMUM_WAGE',
        'salaryMinFen',
      ],
      [{ description: '限女性，本地户口优先' }, 'RECRUITMENT_DISCRIMINATORY', 'description'],
      [{ title: '住家保姆（已婚已育）' }, 'RECRUITMENT_DISCRIMINATORY', 'title'],
    ];
    for (const [patch, code, path] of cases) {
      const res = await inject(
        'POST',
        `/api/v1/companies/${co.orgId}/recruitment/posts`,
        co.cookie,
        postBody(patch),
      );
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({
        code,
        errors: expect.arrayContaining([expect.objectContaining({ path })]),
      });
      expect(res.json().message['zh-CN']).toBeTruthy();
    }
    const sexField = await inject(
      'POST',
      `/api/v1/companies/${co.orgId}/recruitment/posts`,
      co.cookie,
      postBody({ sex: 'F' }),
    );
    expect(sexField.statusCode).toBe(422);
    expect(await postCount()).toBe(before);
  });

  test('another company cannot publish for a company, or close its post', async () => {
    const a = await company(t);
    const b = await company(t, '另一家家政公司');
    const res = await inject('POST', `/api/v1/companies/${a.orgId}/recruitment/posts`, b.cookie, postBody());
    expect(res.statusCode).toBe(404);
    const p = await publish(a);
    expect((await inject('POST', `/api/v1/recruitment/posts/${p.id}/close`, b.cookie)).statusCode).toBe(404);
    const closed = await inject('POST', `/api/v1/recruitment/posts/${p.id}/close`, a.cookie);
    expect(closed.json()).toMatchObject({ open: false });
    expect((await inject('POST', `/api/v1/recruitment/posts/${p.id}/close`, a.cookie)).json().code).toBe(
      'RECRUITMENT_POST_CLOSED',
    );
  });

  test('search filters open posts; recommendations rank eligible posts in the worker’s categories', async () => {
    const co = await company(t, '海珠家政', { district: '440105' });
    const w = await selfWorker(t);
    const near = await publish(co, { title: '天河月嫂招聘' });
    const far = await publish(co, { title: '番禺月嫂招聘', district: '440113' });
    const tooOld = await publish(co, { title: '年轻月嫂', maxAge: 30 });
    const other = await publish(co, { title: '钟点保洁', category: 'elder_care' });
    const search = await inject(
      'GET',
      '/api/v1/recruitment/posts?keyword=%E6%9C%88%E5%AB%82&limit=100',
      w.cookie,
    );
    const ids = search.json().items.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([near.id, far.id]));
    expect(ids).not.toContain(other.id);
    const rec = await inject('GET', '/api/v1/workers/me/recruitment/recommendations', w.cookie);
    expect(rec.statusCode, rec.body).toBe(200);
    const recIds = rec.json().items.map((p: { id: string }) => p.id);
    expect(recIds.indexOf(near.id)).toBeLessThan(recIds.indexOf(far.id));
    expect(recIds).not.toContain(tooOld.id);
    expect(recIds).not.toContain(other.id);
    const detail = await inject('GET', `/api/v1/recruitment/posts/${tooOld.id}`, w.cookie);
    expect(detail.json().mine).toEqual({ eligible: false, unmet: ['age'], applicationId: null });
    expect(detail.json().minimumWageFen).toBe(250_000);
  });

  test('a saved search alerts its worker once per matching post, even when the event is redelivered', async () => {
    const co = await company(t);
    const w = await selfWorker(t);
    const saved = await inject('POST', '/api/v1/workers/me/recruitment/saved-searches', w.cookie, {
      name: '天河住家',
      categories: ['maternity'],
      modes: ['live_in'],
      district: '440106',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const p = await publish(co);
    const miss = await publish(co, { district: '440113' });
    const { recruitment } = t.app.services;
    expect(await recruitment.alertSavedSearches(p.id)).toBeGreaterThanOrEqual(1);
    expect(await recruitment.alertSavedSearches(p.id)).toBe(0);
    await recruitment.alertSavedSearches(miss.id);
    const notes = await inject('GET', '/api/v1/me/notifications', w.cookie);
    const alerts = notes.json().items.filter((n: { kind: string }) => n.kind === 'recruitment.alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].link).toBe(`/worker/jobs/posts/${p.id}`);
    const del = await inject(
      'DELETE',
      `/api/v1/workers/me/recruitment/saved-searches/${saved.json().id}`,
      w.cookie,
    );
    expect(del.statusCode).toBe(200);
  });
});

describe('applications', () => {
  test('post → apply → shortlist → interview → offer → accept: hired and on the company staff list', async () => {
    const co = await company(t);
    const other = await company(t, '别家公司');
    const w = await selfWorker(t);
    const p = await publish(co);
    const applied = await inject('POST', `/api/v1/recruitment/posts/${p.id}/applications`, w.cookie, {
      coverNote: '有 5 年月嫂经验',
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const app = applied.json();
    expect(app).toMatchObject({ state: 'new', actions: ['withdraw'] });

    // Applying twice is refused; the worker's grants show the company's time-limited view.
    const twice = await inject('POST', `/api/v1/recruitment/posts/${p.id}/applications`, w.cookie, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('RECRUITMENT_ALREADY_APPLIED');
    const grants = await inject('GET', '/api/v1/workers/me/grants', w.cookie);
    expect(grants.json().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'in_app', scope: 'basic', state: 'active' })]),
    );

    // Another company neither sees it nor moves it.
    expect((await inject('GET', `/api/v1/recruitment/applications/${app.id}`, other.cookie)).statusCode).toBe(
      404,
    );
    const board = await inject(
      'GET',
      `/api/v1/companies/${other.orgId}/recruitment/applications`,
      other.cookie,
    );
    expect(board.json().items).toEqual([]);
    const peek = await inject('GET', `/api/v1/companies/${co.orgId}/recruitment/applications`, other.cookie);
    expect(peek.statusCode).toBe(404);
    const steal = await inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, other.cookie, {
      action: 'shortlist',
    });
    expect(steal.statusCode).toBe(404);

    // The worker cannot screen themselves.
    const self = await inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, w.cookie, {
      action: 'shortlist',
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('RECRUITMENT_NOT_YOUR_STEP');

    const act = (cookie: string, action: string, reason?: string) =>
      inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, cookie, { action, reason });
    expect((await act(co.cookie, 'shortlist')).json().state).toBe('shortlisted');
    const note = await inject('POST', `/api/v1/recruitment/applications/${app.id}/notes`, co.cookie, {
      note: '电话沟通良好',
    });
    expect(note.json().history.at(-1)).toMatchObject({ action: 'note', note: '电话沟通良好' });
    const itv = await inject('POST', `/api/v1/recruitment/applications/${app.id}/interview`, co.cookie, {
      scheduledAt: new Date(t.clock.now.getTime() + DAY).toISOString(),
      durationMinutes: 30,
    });
    expect(itv.statusCode, itv.body).toBe(200);
    expect(itv.json()).toMatchObject({ state: 'interview', interviewId: expect.stringMatching(/^itv_/) });
    const offered = await act(co.cookie, 'offer');
    expect(offered.json()).toMatchObject({ state: 'offer' });
    // The worker sees the steps but not the company's notes.
    const mine = await inject('GET', `/api/v1/recruitment/applications/${app.id}`, w.cookie);
    expect(mine.json().history.map((h: { action: string }) => h.action)).toEqual([
      'apply',
      'shortlist',
      'interview',
      'offer',
    ]);
    expect(mine.json().actions).toEqual(['accept', 'decline']);

    const hired = await act(w.cookie, 'accept');
    expect(hired.statusCode, hired.body).toBe(200);
    expect(hired.json()).toMatchObject({ state: 'hired', employmentId: expect.stringMatching(/^emp_/) });
    const staff = await inject('GET', `/api/v1/companies/${co.orgId}/workers`, co.cookie);
    expect(staff.json().items.map((x: { id: string }) => x.id)).toContain(w.workerId);
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, app.id));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['recruitment.application.apply', 'recruitment.application.accept']),
    );
    // Final: nothing more to do.
    expect((await act(co.cookie, 'reject', '岗位已满')).json().code).toBe('RECRUITMENT_INVALID_TRANSITION');
  });

  test('offers on a closed post are refused; rejecting needs a reason and revokes the e-file view', async () => {
    const co = await company(t);
    const w = await selfWorker(t);
    const p = await publish(co);
    const app = (await inject('POST', `/api/v1/recruitment/posts/${p.id}/applications`, w.cookie, {})).json();
    const act = (action: string, reason?: string) =>
      inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, co.cookie, { action, reason });
    await act('shortlist');
    await inject('POST', `/api/v1/recruitment/posts/${p.id}/close`, co.cookie);
    const offer = await act('offer');
    expect(offer.statusCode).toBe(409);
    expect(offer.json().code).toBe('RECRUITMENT_POST_CLOSED');
    const [row] = await t.database.db
      .select()
      .from(recruitmentApplication)
      .where(eq(recruitmentApplication.id, app.id));
    expect(row!.state).toBe('shortlisted');
    expect((await act('reject')).json().code).toBe('RECRUITMENT_REASON_REQUIRED');
    expect((await act('reject', '经验不符')).json().state).toBe('rejected');
    const grants = await inject('GET', '/api/v1/workers/me/grants', w.cookie);
    expect(grants.json().items[0]).toMatchObject({ kind: 'in_app', state: 'revoked' });
    // Applying to a closed post is refused too.
    const w2 = await selfWorker(t);
    const late = await inject('POST', `/api/v1/recruitment/posts/${p.id}/applications`, w2.cookie, {});
    expect(late.json().code).toBe('RECRUITMENT_POST_CLOSED');
  });

  test('requirements the worker does not meet are refused; offers stop at the headcount', async () => {
    const co = await company(t);
    const certOnly = await publish(co, { certificateRequired: true });
    const w = await selfWorker(t);
    const res = await inject('POST', `/api/v1/recruitment/posts/${certOnly.id}/applications`, w.cookie, {});
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'RECRUITMENT_NOT_ELIGIBLE', errors: [{ path: 'certificate' }] });

    const one = await publish(co, { headcount: 1 });
    const apps = [];
    for (let i = 0; i < 2; i++) {
      const wk = await selfWorker(t);
      apps.push(
        (await inject('POST', `/api/v1/recruitment/posts/${one.id}/applications`, wk.cookie, {})).json(),
      );
    }
    for (const a of apps)
      await inject('POST', `/api/v1/recruitment/applications/${a.id}/actions`, co.cookie, {
        action: 'shortlist',
      });
    const first = await inject('POST', `/api/v1/recruitment/applications/${apps[0].id}/actions`, co.cookie, {
      action: 'offer',
    });
    expect(first.json().state).toBe('offer');
    const second = await inject('POST', `/api/v1/recruitment/applications/${apps[1].id}/actions`, co.cookie, {
      action: 'offer',
    });
    expect(second.json().code).toBe('RECRUITMENT_HEADCOUNT_FILLED');
  });

  test('a worker already employed cannot accept an offer elsewhere; the application stays at offer', async () => {
    const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
    const co = await company(t);
    const p = await publish(co);
    const app = (await inject('POST', `/api/v1/recruitment/posts/${p.id}/applications`, w.cookie, {})).json();
    await inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, co.cookie, {
      action: 'shortlist',
    });
    await inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, co.cookie, {
      action: 'offer',
    });
    const accept = await inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, w.cookie, {
      action: 'accept',
    });
    expect(accept.statusCode).toBe(409);
    expect(accept.json().code).toBe('WORKER_ALREADY_EMPLOYED');
    const again = await inject('GET', `/api/v1/recruitment/applications/${app.id}`, w.cookie);
    expect(again.json().state).toBe('offer');
  });
});

describe('fairs, cohorts and reports', () => {
  test('a fair: companies join, workers register and check in by code while it runs; outcomes counted', async () => {
    const start = new Date(t.clock.now.getTime() + 3 * DAY);
    const fair = await inject('POST', '/api/v1/recruitment/fairs', regulator.cookie, {
      title: '天河区家政专场招聘会',
      format: 'venue',
      venue: '天河区人力资源市场三楼',
      district: '440106',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 6 * 3600_000).toISOString(),
    });
    expect(fair.statusCode, fair.body).toBe(201);
    const fairId = fair.json().id as string;
    const co = await company(t);
    const notJoined = await inject(
      'POST',
      `/api/v1/companies/${co.orgId}/recruitment/posts`,
      co.cookie,
      postBody({ fairId }),
    );
    expect(notJoined.statusCode).toBe(422);
    await inject('POST', `/api/v1/companies/${co.orgId}/recruitment/fairs/${fairId}/join`, co.cookie);
    const p = await publish(co, { fairId });
    const w = await selfWorker(t);
    // Registering is audited once (a repeat changes nothing and writes nothing).
    const registrations = () =>
      t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'recruitment.fair.register'), eq(auditLog.objectId, fairId)));
    for (let i = 0; i < 2; i++)
      expect(
        (await inject('POST', `/api/v1/recruitment/fairs/${fairId}/registrations`, w.cookie)).statusCode,
      ).toBe(200);
    expect(await registrations()).toHaveLength(1);
    const { code } = (
      await inject('GET', `/api/v1/recruitment/fairs/${fairId}/checkin`, regulator.cookie)
    ).json();
    const early = await inject('POST', `/api/v1/recruitment/fairs/${fairId}/check-in`, w.cookie, { code });
    expect(early.json().code).toBe('RECRUITMENT_CHECKIN_INVALID');
    t.clock.advance(3 * DAY);
    const wrong = await inject('POST', `/api/v1/recruitment/fairs/${fairId}/check-in`, w.cookie, {
      code: 'nope',
    });
    expect(wrong.statusCode).toBe(422);
    const ok = await inject('POST', `/api/v1/recruitment/fairs/${fairId}/check-in`, w.cookie, { code });
    expect(ok.json()).toMatchObject({
      phase: 'running',
      myRegistration: { checkedInAt: expect.any(String) },
    });
    expect(ok.json().posts.map((x: { id: string }) => x.id)).toEqual([p.id]);
    await inject('POST', `/api/v1/recruitment/posts/${p.id}/applications`, w.cookie, {});
    const out = await inject('GET', `/api/v1/recruitment/fairs/${fairId}/outcomes`, regulator.cookie);
    expect(out.json()).toMatchObject({
      companies: 1,
      registrations: 1,
      checkedIn: 1,
      posts: 1,
      applications: 1,
      hired: 0,
    });
    expect((await inject('GET', `/api/v1/recruitment/fairs/${fairId}/outcomes`, co.cookie)).statusCode).toBe(
      403,
    );
  });

  test('a 毕节 cohort: trainees placed through hiring, retained after 3 months, reported by source region', async () => {
    const cohort = await inject('POST', '/api/v1/recruitment/cohorts', regulator.cookie, {
      name: '毕节家政订单班（第3期）',
      sourceRegionCode: '520500',
      sourceRegionName: '贵州省毕节市',
      plannedArrivalOn: day(t, -1),
    });
    expect(cohort.statusCode, cohort.body).toBe(201);
    const cohortId = cohort.json().id as string;
    const a = await selfWorker(t);
    const b = await selfWorker(t);
    const added = await inject('POST', `/api/v1/recruitment/cohorts/${cohortId}/trainees`, regulator.cookie, {
      workerIds: [a.workerId, b.workerId],
    });
    expect(added.json().summary).toMatchObject({ trainees: 2, placed: 0 });
    const other = await inject('POST', '/api/v1/recruitment/cohorts', regulator.cookie, {
      name: '四川订单班',
      sourceRegionCode: '511300',
      sourceRegionName: '四川省南充市',
      plannedArrivalOn: day(t),
    });
    const taken = await inject(
      'POST',
      `/api/v1/recruitment/cohorts/${other.json().id}/trainees`,
      regulator.cookie,
      {
        workerIds: [a.workerId],
      },
    );
    expect(taken.json().code).toBe('RECRUITMENT_TRAINEE_TAKEN');
    await inject('POST', `/api/v1/recruitment/cohorts/${cohortId}/arrival`, regulator.cookie, {
      arrivedOn: day(t),
    });

    const co = await company(t);
    const p = await publish(co);
    const app = (await inject('POST', `/api/v1/recruitment/posts/${p.id}/applications`, a.cookie, {})).json();
    await inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, co.cookie, {
      action: 'shortlist',
    });
    t.clock.advance(2 * DAY);
    await inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, co.cookie, {
      action: 'offer',
    });
    await inject('POST', `/api/v1/recruitment/applications/${app.id}/actions`, a.cookie, {
      action: 'accept',
    });

    const now = await inject('GET', `/api/v1/recruitment/cohorts/${cohortId}`, regulator.cookie);
    expect(now.json().summary).toMatchObject({ trainees: 2, placed: 1, due3: 0 });
    const placed = now.json().trainees.find((x: { workerId: string }) => x.workerId === a.workerId);
    expect(placed).toMatchObject({ placed: true, company: { id: co.orgId }, retained3: null });
    t.clock.advance(95 * DAY);
    const later = await inject('GET', `/api/v1/recruitment/cohorts/${cohortId}`, regulator.cookie);
    expect(later.json().summary).toMatchObject({ placed: 1, due3: 1, retained3: 1, due6: 0 });
    const regions = await inject('GET', '/api/v1/recruitment/reports/regions', regulator.cookie);
    expect(regions.json().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sourceRegionCode: '520500',
          cohorts: 1,
          trainees: 2,
          placed: 1,
          retained3: 1,
        }),
      ]),
    );
    const month = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
    const from = month(new Date(t.clock.now.getTime() - 200 * DAY));
    const stats = await inject(
      'GET',
      `/api/v1/recruitment/reports/employment?from=${from}&to=${month(t.clock.now)}`,
      regulator.cookie,
    );
    expect(stats.statusCode, stats.body).toBe(200);
    expect(stats.json().totals.hires).toBeGreaterThanOrEqual(1);
    expect(stats.json().medianDaysToHire).not.toBeNull();
    expect(stats.json().byCategory).toEqual(
      expect.arrayContaining([expect.objectContaining({ category: 'maternity' })]),
    );
    const bad = await inject(
      'GET',
      '/api/v1/recruitment/reports/employment?from=2026-05&to=2026-01',
      regulator.cookie,
    );
    expect(bad.statusCode).toBe(422);
    expect((await inject('GET', '/api/v1/recruitment/cohorts', co.cookie)).statusCode).toBe(403);
  });
});
