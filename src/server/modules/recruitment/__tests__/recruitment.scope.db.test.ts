import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import { account, company, day, PASSWORD, selfWorker } from '../../../../../test/factories/workers.js';
import { newId } from '../../../platform/db/ids.js';
import { medianDays } from '../cohort-stats.js';
import {
  recruitmentApplication,
  recruitmentFair,
  recruitmentFairRegistration,
  recruitmentPost,
} from '../recruitment.tables.js';

// District scoping of regulators (fairs, cohorts, reports, 当家政), the SQL employment statistics checked against a
// direct count, the signed-out fair pages, and likely-worker identification with its opt-in.
let t: TestApp;
let city: Awaited<ReturnType<typeof account>>;
let tianhe: Awaited<ReturnType<typeof account>>;
let haizhu: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  city = await account(t, [{ role: 'regulator' }]);
  tianhe = await account(t, [{ role: 'regulator', district: '440106' }]);
  haizhu = await account(t, [{ role: 'regulator', district: '440105' }]);
});
afterAll(async () => t?.close());

const DAY = 86_400_000;
const inject = (method: 'GET' | 'POST' | 'PUT', url: string, cookie?: string, payload?: object) =>
  t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

const fairBody = (patch: object = {}) => {
  const start = new Date(t.clock.now.getTime() + 2 * DAY);
  return {
    title: '家政专场招聘会',
    format: 'venue',
    venue: '区人力资源市场三楼',
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 6 * 3600_000).toISOString(),
    ...patch,
  };
};
const postBody = (patch: object = {}) => ({
  title: '住家育婴员',
  category: 'maternity',
  mode: 'live_in',
  district: '440106',
  location: '珠江新城',
  salaryMinFen: 800_000,
  salaryMaxFen: 1_200_000,
  minAge: 25,
  maxAge: 55,
  description: '照顾新生儿和产妇。',
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
  return res.json() as { id: string };
}
const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((x) => x.id);

describe('district regulators', () => {
  test('fairs: created in their own district only; another district’s fair is visible but not theirs to run', async () => {
    const [before] = await t.database.db.select({ n: count() }).from(recruitmentFair);
    const other = await inject(
      'POST',
      '/api/v1/recruitment/fairs',
      tianhe.cookie,
      fairBody({ district: '440105' }),
    );
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'RECRUITMENT_OUT_OF_DISTRICT' });
    expect(other.json().message['zh-CN']).toBeTruthy();
    const [after] = await t.database.db.select({ n: count() }).from(recruitmentFair);
    expect(after?.n).toBe(before?.n);

    const own = await inject('POST', '/api/v1/recruitment/fairs', tianhe.cookie, fairBody());
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().district).toBe('440106');
    const haizhuFair = await inject(
      'POST',
      '/api/v1/recruitment/fairs',
      city.cookie,
      fairBody({ district: '440105' }),
    );
    expect(haizhuFair.statusCode).toBe(201);
    const citywide = await inject(
      'POST',
      '/api/v1/recruitment/fairs',
      city.cookie,
      fairBody({ format: 'online' }),
    );
    expect(citywide.json().district).toBeNull();

    for (const path of ['outcomes', 'checkin']) {
      const res = await inject(
        'GET',
        `/api/v1/recruitment/fairs/${haizhuFair.json().id}/${path}`,
        tianhe.cookie,
      );
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('RECRUITMENT_OUT_OF_DISTRICT');
      expect(
        (await inject('GET', `/api/v1/recruitment/fairs/${own.json().id}/${path}`, tianhe.cookie)).statusCode,
      ).toBe(200);
      expect(
        (await inject('GET', `/api/v1/recruitment/fairs/${haizhuFair.json().id}/${path}`, city.cookie))
          .statusCode,
      ).toBe(200);
    }
    const mine = await inject('GET', '/api/v1/recruitment/fairs', tianhe.cookie);
    expect(ids(mine)).toContain(own.json().id);
    expect(ids(mine)).not.toContain(haizhuFair.json().id);
    expect(ids(mine)).not.toContain(citywide.json().id);
    expect((await inject('GET', '/api/v1/recruitment/fairs?district=440105', tianhe.cookie)).statusCode).toBe(
      403,
    );
    const all = await inject('GET', '/api/v1/recruitment/fairs', city.cookie);
    expect(ids(all)).toEqual(
      expect.arrayContaining([own.json().id, haizhuFair.json().id, citywide.json().id]),
    );
    const w = await selfWorker(t);
    expect(ids(await inject('GET', '/api/v1/recruitment/fairs', w.cookie))).toEqual(
      expect.arrayContaining([own.json().id, haizhuFair.json().id]),
    );
  });

  test('cohorts: placed in their district; another district’s cohort is hidden (404) and not in their report', async () => {
    const cohort = (cookie: string, patch: object = {}) =>
      inject('POST', '/api/v1/recruitment/cohorts', cookie, {
        name: '毕节家政订单班',
        sourceRegionCode: '520500',
        sourceRegionName: '贵州省毕节市',
        plannedArrivalOn: day(t, -1),
        ...patch,
      });
    const refused = await cohort(tianhe.cookie, { destinationDistrict: '440105' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('RECRUITMENT_OUT_OF_DISTRICT');
    const own = await cohort(tianhe.cookie, { sourceRegionCode: '511300', sourceRegionName: '四川省南充市' });
    expect(own.json().destinationDistrict).toBe('440106');
    const theirs = await cohort(city.cookie, { destinationDistrict: '440105' });
    expect(theirs.statusCode).toBe(201);
    const theirsId = theirs.json().id as string;
    const w = await selfWorker(t);
    expect((await inject('GET', `/api/v1/recruitment/cohorts/${theirsId}`, tianhe.cookie)).statusCode).toBe(
      404,
    );
    const add = await inject('POST', `/api/v1/recruitment/cohorts/${theirsId}/trainees`, tianhe.cookie, {
      workerIds: [w.workerId],
    });
    expect(add.statusCode).toBe(404);
    const arrive = await inject('POST', `/api/v1/recruitment/cohorts/${theirsId}/arrival`, tianhe.cookie, {
      arrivedOn: day(t),
    });
    expect(arrive.statusCode).toBe(404);
    expect(
      (
        await inject('POST', `/api/v1/recruitment/cohorts/${theirsId}/trainees`, haizhu.cookie, {
          workerIds: [w.workerId],
        })
      ).statusCode,
    ).toBe(200);
    expect(ids(await inject('GET', '/api/v1/recruitment/cohorts', tianhe.cookie))).toEqual([own.json().id]);
    expect(ids(await inject('GET', '/api/v1/recruitment/cohorts', city.cookie))).toEqual(
      expect.arrayContaining([own.json().id, theirsId]),
    );
    const report = await inject('GET', '/api/v1/recruitment/reports/regions', tianhe.cookie);
    expect(report.json().items).toEqual([
      expect.objectContaining({ sourceRegionCode: '511300', trainees: 0 }),
    ]);
    const haizhuReport = await inject('GET', '/api/v1/recruitment/reports/regions', haizhu.cookie);
    expect(haizhuReport.json().items).toEqual([
      expect.objectContaining({ sourceRegionCode: '520500', trainees: 1 }),
    ]);
    expect(
      (await inject('GET', '/api/v1/recruitment/reports/regions?district=440105', tianhe.cookie)).statusCode,
    ).toBe(403);
    const cityOnHaizhu = await inject(
      'GET',
      '/api/v1/recruitment/reports/regions?district=440105',
      city.cookie,
    );
    expect(cityOnHaizhu.json().items).toEqual([expect.objectContaining({ sourceRegionCode: '520500' })]);
  });
});

describe('employment statistics in SQL', () => {
  test('per month, category and district they equal a direct count of crafted rows; the median too', async () => {
    const co = await company(t);
    const tianhePost = await publish(co);
    const tianheCleaning = await publish(co, { category: 'cleaning', title: '保洁员' });
    const haizhuPost = await publish(co, { district: '440105', title: '海珠住家育婴员' });
    const workers = await Promise.all([1, 2, 3, 4, 5].map(() => selfWorker(t)));
    // Shanghai month boundaries: 15:59Z on the last day of a month is already the next month in Shanghai.
    const base = Date.UTC(2026, 5, 10, 2); // 2026-06-10 10:00 +08
    const rows: [string, number, number | null][] = [
      [tianhePost.id, base, base + 3 * DAY],
      [tianhePost.id, base + 5 * DAY, base + 25 * DAY], // hired in July
      [tianheCleaning.id, base + 20 * DAY + 14.5 * 3600_000, null], // 2026-06-30 16:30Z = 07-01 00:30 in Shanghai
      [tianheCleaning.id, base + 30 * DAY, base + 31.6 * DAY], // 1.6 days → 2
      [haizhuPost.id, base + 2 * DAY, base + 9 * DAY],
      [haizhuPost.id, base + 40 * DAY, null],
    ];
    const fairId = (
      await inject('POST', '/api/v1/recruitment/fairs', city.cookie, fairBody({ district: '440105' }))
    ).json().id as string;
    await t.database.db.insert(recruitmentApplication).values(
      rows.map(([postId, created, hired], i) => ({
        id: newId('app'),
        postId,
        companyId: co.orgId,
        workerId: workers[i % workers.length]!.workerId,
        state: hired ? 'hired' : 'new',
        createdAt: new Date(created),
        updatedAt: new Date(created),
        hiredAt: hired ? new Date(hired) : null,
      })),
    );
    await t.database.db.insert(recruitmentFairRegistration).values(
      workers.slice(0, 3).map((w, i) => ({
        id: newId('jfr'),
        fairId,
        workerId: w.workerId,
        createdAt: new Date(base + i * 15 * DAY),
      })),
    );

    // The direct count: every row in the database read into memory and counted by hand.
    const shanghaiMonth = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
    const apps = await t.database.db.select().from(recruitmentApplication);
    const posts = new Map((await t.database.db.select().from(recruitmentPost)).map((p) => [p.id, p]));
    const fairs = new Map((await t.database.db.select().from(recruitmentFair)).map((f) => [f.id, f]));
    const regs = await t.database.db.select().from(recruitmentFairRegistration);
    const months = ['2026-05', '2026-06', '2026-07', '2026-08'];
    const inMonths = (d: Date | null) => !!d && months.includes(shanghaiMonth(d));
    function direct(district: string | null) {
      const mine = apps.filter((a) => !district || posts.get(a.postId)!.district.startsWith(district));
      const myRegs = regs.filter(
        (r) => !district || (fairs.get(r.fairId)!.district ?? '').startsWith(district),
      );
      const cats = [
        ...new Set(
          mine
            .filter((a) => inMonths(a.createdAt) || inMonths(a.hiredAt))
            .map((a) => posts.get(a.postId)!.category),
        ),
      ].sort();
      return {
        perMonth: months.map((month) => ({
          month,
          applications: mine.filter((a) => shanghaiMonth(a.createdAt) === month).length,
          hires: mine.filter((a) => a.hiredAt && shanghaiMonth(a.hiredAt) === month).length,
          fairRegistrations: myRegs.filter((r) => shanghaiMonth(r.createdAt) === month).length,
        })),
        byCategory: cats.map((category) => ({
          category,
          applications: mine.filter(
            (a) => posts.get(a.postId)!.category === category && inMonths(a.createdAt),
          ).length,
          hires: mine.filter((a) => posts.get(a.postId)!.category === category && inMonths(a.hiredAt)).length,
        })),
        medianDaysToHire: medianDays(
          mine
            .filter((a) => inMonths(a.hiredAt))
            .map((a) => Math.round((a.hiredAt!.getTime() - a.createdAt.getTime()) / DAY)),
        ),
      };
    }
    const stats = async (cookie: string, q = '') => {
      const res = await inject(
        'GET',
        `/api/v1/recruitment/reports/employment?from=2026-05&to=2026-08${q}`,
        cookie,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      return {
        district: body.district,
        perMonth: body.perMonth,
        byCategory: body.byCategory.map(({ categoryLabel: _, ...c }: { categoryLabel: string }) => c),
        medianDaysToHire: body.medianDaysToHire,
      };
    };
    expect(await stats(city.cookie)).toEqual({ district: null, ...direct(null) });
    expect(await stats(tianhe.cookie)).toEqual({ district: '440106', ...direct('440106') });
    expect(await stats(city.cookie, '&district=440105')).toEqual({ district: '440105', ...direct('440105') });
    // The crafted rows themselves, so a shared mistake in both counts cannot pass unseen.
    const th = await stats(tianhe.cookie);
    expect(th.perMonth.map((m: { applications: number }) => m.applications)).toEqual([0, 2, 2, 0]);
    expect(th.perMonth.map((m: { hires: number }) => m.hires)).toEqual([0, 1, 2, 0]);
    expect(th.medianDaysToHire).toBe(3); // days 3, 20, 2 → 3
    const hz = await stats(haizhu.cookie);
    expect(hz.perMonth.map((m: { fairRegistrations: number }) => m.fairRegistrations)).toEqual([0, 2, 1, 0]);
    const refused = await inject(
      'GET',
      '/api/v1/recruitment/reports/employment?from=2026-05&to=2026-08&district=440105',
      tianhe.cookie,
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('RECRUITMENT_OUT_OF_DISTRICT');
  });
});

describe('public fair pages', () => {
  test('signed out: upcoming and running fairs with companies and open posts, cacheable, no personal data', async () => {
    const fair = await inject(
      'POST',
      '/api/v1/recruitment/fairs',
      city.cookie,
      fairBody({ title: '公开招聘会', district: '440106' }),
    );
    const fairId = fair.json().id as string;
    const co = await company(t, '公开家政公司');
    await inject('POST', `/api/v1/companies/${co.orgId}/recruitment/fairs/${fairId}/join`, co.cookie);
    const open = await publish(co, { fairId, title: '招聘会月嫂' });
    const closed = await publish(co, { fairId, title: '已关闭岗位' });
    await inject('POST', `/api/v1/recruitment/posts/${closed.id}/close`, co.cookie);
    const w = await selfWorker(t);
    await inject('POST', `/api/v1/recruitment/fairs/${fairId}/registrations`, w.cookie);
    const ended = await inject(
      'POST',
      '/api/v1/recruitment/fairs',
      city.cookie,
      fairBody({
        title: '已结束',
        startsAt: new Date(t.clock.now.getTime() - 3 * DAY).toISOString(),
        endsAt: new Date(t.clock.now.getTime() - 2 * DAY).toISOString(),
      }),
    );

    const list = await inject('GET', '/api/v1/public/recruitment/fairs');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.headers['cache-control']).toBe('public, max-age=60');
    expect(ids(list)).toContain(fairId);
    expect(ids(list)).not.toContain(ended.json().id);
    const one = await inject('GET', `/api/v1/public/recruitment/fairs/${fairId}`);
    expect(one.statusCode).toBe(200);
    expect(one.headers['cache-control']).toBe('public, max-age=60');
    expect(one.json()).toMatchObject({
      id: fairId,
      venue: '区人力资源市场三楼',
      phase: 'upcoming',
      companies: [{ id: co.orgId, name: '公开家政公司', posts: [expect.objectContaining({ id: open.id })] }],
    });
    expect(one.json().companies[0].posts).toHaveLength(1);
    for (const leak of [
      'checkinCode',
      'registrations',
      'checkedIn',
      'myRegistration',
      'applications',
      '张秀芳',
      w.workerId,
    ])
      expect(one.body).not.toContain(leak);
    const missing = await inject('GET', '/api/v1/public/recruitment/fairs/jf_nope');
    expect(missing.statusCode).toBe(404);
  });

  test('the list pages soonest first with a cursor; a forged cursor or limit is refused', async () => {
    for (const d of [5, 6, 6, 7])
      await inject(
        'POST',
        '/api/v1/recruitment/fairs',
        city.cookie,
        fairBody({
          title: `第 ${d} 天招聘会`,
          startsAt: new Date(t.clock.now.getTime() + d * DAY).toISOString(),
          endsAt: new Date(t.clock.now.getTime() + d * DAY + 3600_000).toISOString(),
        }),
      );
    const all = await inject('GET', '/api/v1/public/recruitment/fairs?limit=50');
    expect(all.json().nextCursor).toBeNull();
    const expected = ids(all);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    const starts = all.json().items.map((f: { startsAt: string }) => f.startsAt);
    expect([...starts].sort()).toEqual(starts);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await inject(
        'GET',
        `/api/v1/public/recruitment/fairs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    for (const bad of ['cursor=not-a-cursor', 'limit=0', 'limit=51'])
      expect((await inject('GET', `/api/v1/public/recruitment/fairs?${bad}`)).json().code).toBe(
        'VALIDATION_FAILED',
      );
  });
});

describe('当家政: likely workers', () => {
  test('counted by signal in the district; listed and invited only with their opt-in; invitations spaced', async () => {
    const seeker = await selfWorker(t); // a fair registration, opts in
    const saver = await selfWorker(t); // a saved search, no opt-in
    const hired = await selfWorker(t); // registered for a fair but already employed
    const idle = await selfWorker(t); // no signal
    const fairId = (await inject('POST', '/api/v1/recruitment/fairs', tianhe.cookie, fairBody())).json()
      .id as string;
    for (const w of [seeker, hired])
      expect(
        (await inject('POST', `/api/v1/recruitment/fairs/${fairId}/registrations`, w.cookie)).statusCode,
      ).toBe(200);
    await inject('POST', '/api/v1/workers/me/recruitment/saved-searches', saver.cookie, {
      name: '天河月嫂',
      categories: ['maternity'],
    });
    const co = await company(t);
    const hireRes = await inject(
      'POST',
      `/api/v1/companies/${co.orgId}/workers/${hired.workerId}/employment`,
      co.cookie,
      {
        idNumber: hired.idNumber,
      },
    );
    expect(hireRes.statusCode, hireRes.body).toBeLessThan(300);

    expect(
      (await inject('GET', '/api/v1/workers/me/recruitment/contact-consent', seeker.cookie)).json(),
    ).toMatchObject({
      optedIn: false,
    });
    const opt = await inject('PUT', '/api/v1/workers/me/recruitment/contact-consent', seeker.cookie, {
      optedIn: true,
    });
    expect(opt.json()).toMatchObject({ optedIn: true, grantedAt: expect.any(String), withdrawnAt: null });

    const list = await inject('GET', '/api/v1/recruitment/likely-workers', tianhe.cookie);
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json();
    expect(body.district).toBe('440106');
    const listed = body.contacts.map((c: { workerId: string }) => c.workerId);
    expect(listed).toContain(seeker.workerId);
    for (const w of [saver, hired, idle]) expect(listed).not.toContain(w.workerId);
    expect(body.contacts.find((c: { workerId: string }) => c.workerId === seeker.workerId)).toMatchObject({
      name: '张秀芳',
      signals: ['fair'],
      missing: expect.arrayContaining(['identity', 'background', 'training']),
      lastInvitedAt: null,
    });
    expect(body.contacts.every((c: { optedInAt: string }) => c.optedInAt)).toBe(true);
    expect(body.optedIn).toBe(body.contacts.length);
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.bySignal.saved_search).toBeGreaterThanOrEqual(1);

    // The saver counts but is not listed; withdrawing the opt-in removes the seeker from the list and the count.
    const withSaver = body.total;
    const other = await inject('GET', '/api/v1/recruitment/likely-workers', haizhu.cookie);
    expect(other.json().contacts.map((c: { workerId: string }) => c.workerId)).not.toContain(seeker.workerId);
    expect(
      (await inject('GET', '/api/v1/recruitment/likely-workers?district=440106', haizhu.cookie)).statusCode,
    ).toBe(403);

    const invite = await inject(
      'POST',
      `/api/v1/recruitment/likely-workers/${seeker.workerId}/invite`,
      tianhe.cookie,
    );
    expect(invite.statusCode, invite.body).toBe(200);
    const notes = await inject('GET', '/api/v1/me/notifications', seeker.cookie);
    expect(notes.json().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'recruitment.invitation', link: '/worker' })]),
    );
    const again = await inject(
      'POST',
      `/api/v1/recruitment/likely-workers/${seeker.workerId}/invite`,
      tianhe.cookie,
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('RECRUITMENT_INVITED_RECENTLY');
    for (const [who, cookie] of [
      [saver.workerId, tianhe.cookie],
      [hired.workerId, tianhe.cookie],
      [seeker.workerId, haizhu.cookie],
    ] as const)
      expect(
        (await inject('POST', `/api/v1/recruitment/likely-workers/${who}/invite`, cookie)).statusCode,
      ).toBe(404);

    await inject('PUT', '/api/v1/workers/me/recruitment/contact-consent', seeker.cookie, { optedIn: false });
    const after = (await inject('GET', '/api/v1/recruitment/likely-workers', tianhe.cookie)).json();
    expect(after.contacts.map((c: { workerId: string }) => c.workerId)).not.toContain(seeker.workerId);
    expect(after.total).toBe(withSaver);
    t.clock.advance(31 * DAY);
    expect(
      (await inject('POST', `/api/v1/recruitment/likely-workers/${seeker.workerId}/invite`, tianhe.cookie))
        .statusCode,
    ).toBe(404);
  });
  test('enrolment in a training class is a signal (read from the training module)', async () => {
    const trainee = await selfWorker(t);
    const before = (await inject('GET', '/api/v1/recruitment/likely-workers', tianhe.cookie)).json();
    const { orgs } = t.app.services;
    const schoolId = await orgs.createOrganization(t.database.db, {
      type: 'training',
      name: '天河家政培训学校',
      district: '440106',
      status: 'active',
    });
    const staff = await account(t, [], '陈老师');
    await orgs.addMember(t.database.db, { orgId: schoolId, userId: staff.userId, role: 'admin' });
    const school = await signInWithPassword(t.app, staff.phone, PASSWORD);
    const course = await inject('POST', '/api/v1/training/courses', school, {
      title: '养老护理入门班',
      category: 'elder_care',
      kind: 'skill',
      skillLevel: 'level5',
      requiredMinutes: 480,
    });
    expect(course.statusCode, course.body).toBe(201);
    const today = new Date(t.clock.now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const klass = await inject('POST', '/api/v1/training/classes', school, {
      courseId: course.json().id,
      title: '第 1 期',
      startsOn: today,
      endsOn: today,
      minutesPerDay: 480,
      venue: '天河路 385 号',
      lon: 113.32,
      lat: 23.13,
      capacity: 10,
    });
    expect(klass.statusCode, klass.body).toBe(201);
    await inject('POST', `/api/v1/training/courses/${course.json().id}/publish`, school);
    const enrol = await inject(
      'POST',
      `/api/v1/workers/me/training/classes/${klass.json().id}/enrol`,
      trainee.cookie,
    );
    expect(enrol.statusCode, enrol.body).toBeLessThan(300);
    await inject('PUT', '/api/v1/workers/me/recruitment/contact-consent', trainee.cookie, { optedIn: true });

    const after = (await inject('GET', '/api/v1/recruitment/likely-workers', tianhe.cookie)).json();
    expect(after.bySignal.training).toBe(before.bySignal.training + 1);
    expect(after.total).toBe(before.total + 1);
    expect(after.contacts.find((c: { workerId: string }) => c.workerId === trainee.workerId)).toMatchObject({
      signals: ['training'],
    });
  });
});
