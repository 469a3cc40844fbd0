import { afterAll, beforeAll, expect, test } from 'vitest';
import { exerciseProgrammeRows } from '../../../../../scripts/assure/rights-fixture-programmes.js';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker } from '../../../../../test/factories/workers.js';
import { pdfText, squash } from '../../../../../test/support/pdf-text.js';

// PIPL Art 45: the export carries the worker's programme rows — insurance policies and claims, consents to partner
// platforms (and a partner's link to the account), recruitment applications, saved searches, fair registrations, the
// cohort, the contact opt-in and the posts the account published as a recruiter — each by its id (or key), and
// nothing of other people's or of the partner's credentials.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
}, 120_000);
afterAll(async () => t?.close());

const ids = async (sql: string, params: unknown[]) =>
  (await t.app.database.raw.query<{ k: string }>(sql, params)).map((r) => r.k).sort();
const idsOf = (items: { id: string }[]) => items.map((i) => i.id).sort();

test('the export carries the insurance, partner and recruitment rows of the worker, and no one else’s data', async () => {
  const regulator = await account(t, [{ role: 'regulator' }]);
  const { w, co } = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
  // The staff seat the rights fixture gives the worker (their company's recruiter).
  await t.app.services.orgs.addMember(t.database.db, { orgId: co.orgId, userId: w.userId, role: 'staff' });
  const made = await exerciseProgrammeRows(t, { w, co });

  const res = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/export.json',
    headers: { cookie: w.cookie },
  });
  expect(res.statusCode).toBe(200);
  const x = res.json();

  // Insurance.
  const { policies, claims } = x.insuranceRecords;
  expect(idsOf(policies)).toEqual(
    await ids('select id as k from insurance_policy where worker_id = $1', [w.workerId]),
  );
  expect(policies).toEqual([
    expect.objectContaining({
      id: made.policyId,
      number: expect.stringMatching(/^BD/),
      productTitle: '家政服务人员意外+责任组合险',
      insurerName: '权利测试保险公司',
      companyName: '安心测试家政公司',
      enrolledBy: 'company',
      premiumFen: 12_000,
      state: 'active',
    }),
  ]);
  expect(policies[0].subsidyFen + policies[0].companyFen + policies[0].workerFen).toBe(12_000);
  expect(idsOf(claims)).toEqual(
    await ids('select id as k from insurance_claim where worker_id = $1', [w.workerId]),
  );
  expect(claims[0]).toMatchObject({
    id: made.claimId,
    policyNumber: policies[0].number,
    aboutMe: true,
    reportedByMe: true,
    reporterKind: 'worker',
    coverageCode: 'accident_medical',
    description: '擦窗时扭伤右脚踝',
    claimedFen: 120_000,
    state: 'reported',
  });
  // The incident place can be a household's address: not in the export.
  expect(res.body).not.toContain('东风中路');

  // Partners: the consent, never the partner's key or contact.
  const { consents, residentLinks } = x.partnerRecords;
  expect(idsOf(consents)).toEqual(
    await ids('select id as k from partner_consent where worker_id = $1', [w.workerId]),
  );
  expect(consents[0]).toMatchObject({
    id: made.consentId,
    partnerName: '权利测试家政服务平台',
    scope: 'basic',
    revokedAt: null,
  });
  expect(residentLinks).toEqual([]);
  const [client] = await t.app.database.raw.query<{ contact_phone_enc: string }>(
    'select contact_phone_enc from partner_client where id = $1',
    [made.partnerClientId],
  );
  const [key] = await t.app.database.raw.query<{ key_hash: string; prefix: string }>(
    'select key_hash, prefix from partner_api_key where client_id = $1',
    [made.partnerClientId],
  );
  for (const secret of [client!.contact_phone_enc, key!.key_hash, key!.prefix, '梁志强'])
    expect(res.body).not.toContain(secret);

  // Recruitment.
  const r = x.recruitment;
  expect(idsOf(r.applications)).toEqual([made.applicationId]);
  expect(r.applications[0]).toMatchObject({
    postTitle: '天河区住家育婴员',
    companyName: '权利测试招聘家政公司',
    coverNote: '有五年育婴经验',
    state: 'new',
    history: [{ action: 'apply', toState: 'new', at: expect.any(String) }],
  });
  expect(idsOf(r.savedSearches)).toEqual([made.savedSearchId]);
  expect(r.savedSearches[0]).toMatchObject({ name: '天河住家', categories: ['maternity'], alerts: true });
  expect(r.fairRegistrations).toEqual([
    expect.objectContaining({
      id: (
        await ids('select id as k from recruitment_fair_registration where worker_id = $1', [w.workerId])
      )[0],
      fairTitle: '天河区家政专场招聘会',
      venue: '天河区人力资源市场三楼',
      checkedInAt: null,
    }),
  ]);
  // The venue's check-in code is a secret of the fair, not the worker's data.
  const [fair] = await t.app.database.raw.query<{ checkin_code: string }>(
    'select checkin_code from recruitment_fair where id = $1',
    [made.fairId],
  );
  expect(res.body).not.toContain(fair!.checkin_code);
  expect(r.cohort).toMatchObject({
    ref: made.cohortId,
    name: '毕节家政订单班（第5期）',
    sourceRegionName: '贵州省毕节市',
  });
  expect(r.contactConsent).toMatchObject({ grantedAt: expect.any(String), withdrawnAt: null });
  expect(idsOf(r.postsPublished)).toEqual(
    await ids('select id as k from recruitment_post where created_by_user_id = $1', [w.userId]),
  );
  expect(r.postsPublished).toEqual([
    expect.objectContaining({
      id: made.postPublished,
      title: '海珠区钟点保洁员',
      companyName: '安心测试家政公司',
    }),
  ]);
  // The post the worker applied to was published by another company's recruiter: not among the account's posts.
  expect(idsOf(r.postsPublished)).not.toContain(made.postApplied);

  // The PDF copy carries the same sections, in Chinese, with the same exclusions; an empty part says 无记录.
  const pdf = await t.app.inject({
    method: 'GET',
    url: '/api/v1/workers/me/export.pdf',
    headers: { cookie: w.cookie },
  });
  expect(pdf.statusCode).toBe(200);
  const text = await pdfText(pdf.rawPayload);
  for (const heading of [
    '保险记录（保单与理赔）',
    '保单',
    '理赔',
    '合作平台',
    '授权合作平台查看我的档案',
    '求职与招聘',
    '求职申请',
    '保存的职位搜索',
    '招聘会报名',
    '订单班',
    '同意接收招聘联系',
    '我发布的招聘岗位',
  ])
    expect(text).toContain(heading);
  for (const value of [
    policies[0].number,
    claims[0].number,
    '家政服务人员意外+责任组合险',
    '保费120.00元',
    '擦窗时扭伤右脚踝',
    '意外医疗', // insurance.coverage.accident_medical
    '已报案', // insurance.claimState.reported
    '权利测试家政服务平台',
    '天河区住家育婴员',
    '有五年育婴经验',
    '新申请', // recruitment.state.new
    '投递申请', // recruitment.action.apply
    '天河住家',
    '天河区家政专场招聘会',
    '天河区人力资源市场三楼',
    '毕节家政订单班（第5期）',
    '贵州省毕节市',
    '海珠区钟点保洁员',
  ])
    expect(text).toContain(squash(value));
  expect(text).toContain('合作平台账号关联无记录');
  for (const secret of ['东风中路', '梁志强', fair!.checkin_code, key!.prefix, key!.key_hash])
    expect(text).not.toContain(squash(secret));
});

test('a partner platform’s link to the account is exported by its key, without the partner’s secrets', async () => {
  const regulator = await account(t, [{ role: 'regulator' }]);
  const { w, co } = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
  await t.app.services.orgs.addMember(t.database.db, { orgId: co.orgId, userId: w.userId, role: 'staff' });
  const made = await exerciseProgrammeRows(t, { w, co });
  // An account that began as a partner's shadow resident and later registered as a worker (the real path needs an SMS
  // take-over of the shadow account); the link row is written as the partners module writes it.
  await t.app.database.raw.query(
    'insert into partner_resident (client_id, external_user_id, user_id, created_at) values ($1, $2, $3, now())',
    [made.partnerClientId, 'ext-7731', w.userId],
  );
  const x = (
    await t.app.inject({
      method: 'GET',
      url: '/api/v1/workers/me/export.json',
      headers: { cookie: w.cookie },
    })
  ).json();
  expect(x.partnerRecords.residentLinks).toEqual([
    {
      ref: `${made.partnerClientId}/ext-7731`,
      partnerName: '权利测试家政服务平台',
      externalUserId: 'ext-7731',
      createdAt: expect.any(String),
    },
  ]);
});
