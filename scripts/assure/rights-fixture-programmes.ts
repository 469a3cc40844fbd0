// The rights suite's fixture for the programmes a worker takes part in (insurance, partner platforms, recruitment):
// each step through the real HTTP route, as the people and systems involved would take it. rights.ts calls it after
// the worker's core record is built; the e-file's export test shares it.
import type { LightMyRequestResponse } from 'fastify';
import { type TestApp, uniquePhone } from '../../test/app.js';
import { signInWithPassword } from '../../test/factories/sign-in.js';
import { account, company, day, PASSWORD } from '../../test/factories/workers.js';

type Res = LightMyRequestResponse;
type Method = 'GET' | 'POST' | 'PUT';

/** Fails the fixture loudly: a step that did not happen would show up as "not exercised", hiding the cause. */
function ok(res: Res, what: string) {
  if (res.statusCode >= 300) throw new Error(`${what} failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string } & Record<string, unknown>;
}

function call(t: TestApp, method: Method, url: string, headers: Record<string, string>, payload?: object) {
  return t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}

/** What the programmes fixture made, for the tests that assert the export's content. */
export interface ProgrammeRows {
  policyId: string;
  claimId: string;
  partnerClientId: string;
  consentId: string;
  postApplied: string;
  postPublished: string;
  applicationId: string;
  savedSearchId: string;
  fairId: string;
  cohortId: string;
}

/**
 * The worker's programmes, through the real routes:
 * - insurance: an insurer's product; the employer enrols the worker, the insurer confirms, the worker files a claim;
 * - partners: a platform admin registers a partner platform (its own API key); the worker consents to it reading
 *   their record, and the partner reads it through the open API with that key;
 * - recruitment: another company posts a job and the worker applies; the worker saves a search, registers for a
 *   regulator's job fair, is added to a regulator's cohort (订单班) and opts in to be contacted; and, on the staff
 *   seat the worker holds at their company (given earlier in the fixture), publishes that company's own job post.
 */
export async function exerciseProgrammeRows(
  t: TestApp,
  opts: {
    w: { cookie: string; userId: string; workerId: string };
    co: { orgId: string; cookie: string };
  },
): Promise<ProgrammeRows> {
  const { w, co } = opts;
  const as = (
    cookie: string,
    method: Method,
    url: string,
    payload?: object,
    more: Record<string, string> = {},
  ) => call(t, method, url, { cookie, ...more }, payload);
  const key = (what: string) => ({
    'idempotency-key': `rights-${what}-${Math.random().toString(36).slice(2)}`,
  });

  // Insurance.
  const { orgs } = t.app.services;
  const insurerId = await orgs.createOrganization(t.database.db, {
    type: 'insurer',
    name: '权利测试保险公司',
    status: 'active',
  });
  const agent = await account(t, [], '保险专员');
  await orgs.addMember(t.database.db, { orgId: insurerId, userId: agent.userId, role: 'admin' });
  const insurer = await signInWithPassword(t.app, agent.phone, PASSWORD);
  const product = ok(
    await as(insurer, 'POST', `/api/v1/insurers/${insurerId}/products`, {
      title: '家政服务人员意外+责任组合险',
      kind: 'combined',
      coverage: [
        { code: 'accident_medical', amountFen: 2_000_000 },
        { code: 'liability_property', amountFen: 1_000_000 },
      ],
      premiumFen: 12_000,
      periodMonths: 12,
      categories: ['cleaning', 'maternity'],
      subsidyShareBp: 5_000,
      subsidyCapFen: 10_000,
      waitingDays: 0,
    }),
    'insurance product',
  ).id;
  const enrolled = ok(
    await as(
      co.cookie,
      'POST',
      `/api/v1/companies/${co.orgId}/insurance/enrolments`,
      { productId: product, startsOn: day(t), workerIds: [w.workerId] },
      key('enrol'),
    ),
    'insurance enrolment',
  ) as unknown as { policies: { id: string }[] };
  const policyId = enrolled.policies[0]!.id;
  ok(await as(insurer, 'POST', `/api/v1/insurance/policies/${policyId}/confirm`, {}), 'policy confirm');
  const claimId = ok(
    await as(
      w.cookie,
      'POST',
      '/api/v1/insurance/claims',
      {
        policyId,
        coverageCode: 'accident_medical',
        incidentOn: day(t),
        place: '广州市越秀区东风中路8号',
        description: '擦窗时扭伤右脚踝',
        evidence: ['门诊病历'],
        claimedFen: 120_000,
      },
      key('claim'),
    ),
    'insurance claim',
  ).id;

  // Partners: the open API, with the partner's own key.
  const admin = await account(t, [{ role: 'platform_admin' }], '平台管理员');
  const partner = ok(
    await as(admin.cookie, 'POST', '/api/v1/admin/partners', {
      name: '权利测试家政服务平台',
      organization: '广州市商务局',
      contactName: '梁志强',
      contactPhone: uniquePhone(),
      scopes: ['workers:read', 'certificates:verify'],
      ipAllowlist: [],
      rateLimitPerMinute: 1000,
    }),
    'partner client',
  ) as unknown as { client: { id: string }; key: { secret: string } };
  const consentId = ok(
    await as(w.cookie, 'POST', '/api/v1/workers/me/partner-consents', {
      clientId: partner.client.id,
      scope: 'basic',
      days: 30,
    }),
    'partner consent',
  ).id;
  ok(
    await call(t, 'GET', `/api/partner/v1/workers/${w.workerId}/record`, {
      authorization: `Bearer ${partner.key.secret}`,
    }),
    'partner reads the record',
  );

  // Recruitment.
  const post = (patch: object = {}) => ({
    title: '天河区住家育婴员',
    category: 'maternity',
    mode: 'live_in',
    district: '440106',
    location: '天河区珠江新城',
    salaryMinFen: 800_000,
    salaryMaxFen: 1_200_000,
    certificateRequired: false,
    minExperienceYears: 0,
    minAge: 18,
    maxAge: 60,
    benefits: ['accident_insurance', 'meals'],
    description: '照顾新生儿和产妇，26 天一单，包吃住。',
    headcount: 2,
    closesOn: day(t, 30),
    ...patch,
  });
  const hiring = await company(t, '权利测试招聘家政公司');
  const postApplied = ok(
    await as(hiring.cookie, 'POST', `/api/v1/companies/${hiring.orgId}/recruitment/posts`, post()),
    'recruitment post',
  ).id;
  const applicationId = ok(
    await as(w.cookie, 'POST', `/api/v1/recruitment/posts/${postApplied}/applications`, {
      coverNote: '有五年育婴经验',
    }),
    'application',
  ).id;
  const savedSearchId = ok(
    await as(w.cookie, 'POST', '/api/v1/workers/me/recruitment/saved-searches', {
      name: '天河住家',
      categories: ['maternity'],
      modes: ['live_in'],
      district: '440106',
    }),
    'saved search',
  ).id;
  const official = await account(t, [{ role: 'regulator' }], '人社专员');
  const start = new Date(t.clock.now.getTime() + 3 * 86_400_000);
  const fairId = ok(
    await as(official.cookie, 'POST', '/api/v1/recruitment/fairs', {
      title: '天河区家政专场招聘会',
      format: 'venue',
      venue: '天河区人力资源市场三楼',
      district: '440106',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 6 * 3600_000).toISOString(),
    }),
    'fair',
  ).id;
  ok(await as(w.cookie, 'POST', `/api/v1/recruitment/fairs/${fairId}/registrations`), 'fair registration');
  const cohortId = ok(
    await as(official.cookie, 'POST', '/api/v1/recruitment/cohorts', {
      name: '毕节家政订单班（第5期）',
      sourceRegionCode: '520500',
      sourceRegionName: '贵州省毕节市',
      plannedArrivalOn: day(t, -1),
    }),
    'cohort',
  ).id;
  ok(
    await as(official.cookie, 'POST', `/api/v1/recruitment/cohorts/${cohortId}/trainees`, {
      workerIds: [w.workerId],
    }),
    'cohort trainee',
  );
  ok(
    await as(w.cookie, 'PUT', '/api/v1/workers/me/recruitment/contact-consent', { optedIn: true }),
    'contact consent',
  );
  // The worker's staff seat at their company: as its recruiter, they publish the company's post.
  const postPublished = ok(
    await as(
      w.cookie,
      'POST',
      `/api/v1/companies/${co.orgId}/recruitment/posts`,
      post({
        title: '海珠区钟点保洁员',
        category: 'cleaning',
        mode: 'hourly',
        salaryMinFen: 3_000,
        salaryMaxFen: 4_000,
      }),
    ),
    "the worker's post as their company's recruiter",
  ).id;
  return {
    policyId,
    claimId,
    partnerClientId: partner.client.id,
    consentId,
    postApplied,
    postPublished,
    applicationId,
    savedSearchId,
    fairId,
    cohortId,
  };
}
