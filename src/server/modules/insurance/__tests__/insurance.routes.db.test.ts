import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pdfText } from '../../../../../test/support/pdf-text.js';
import { buildTestApp, cookieFrom, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company, day } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { systemContext } from '../../../platform/http/context.js';
import { insuranceClaim, insurancePolicy } from '../insurance.tables.js';
import { periodEnd } from '../premium.js';

// Insurance through the real app: products, bulk enrolment with the premium split, overlaps (the database decides),
// the insurer's confirmation, the verification page, claims through their state machine, settlement and exports.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const DAY = 86_400_000;
const inject = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  cookie?: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    ...(payload ? { payload } : {}),
  });

/** An active insurer with a signed-in staff member. */
async function insurer(name = '安心测试保险公司') {
  const { orgs } = t.app.services;
  const orgId = await orgs.createOrganization(t.database.db, { type: 'insurer', name, status: 'active' });
  const a = await account(t, [], '保险专员');
  await orgs.addMember(t.database.db, { orgId, userId: a.userId, role: 'admin' });
  const res = await inject('POST', '/api/v1/auth/login/password', undefined, {
    phone: a.phone,
    password: 'Factory2026pass',
  });
  return { orgId, ...a, cookie: cookieFrom(res) };
}

const productBody = {
  title: '家政服务人员意外+责任组合险',
  kind: 'combined',
  coverage: [
    { code: 'accident_death', amountFen: 50_000_000 },
    { code: 'accident_medical', amountFen: 2_000_000 },
    { code: 'liability_property', amountFen: 1_000_000 },
  ],
  premiumFen: 12_001,
  periodMonths: 12,
  categories: ['cleaning', 'maternity'],
  subsidyShareBp: 5_000,
  subsidyCapFen: 10_000,
  waitingDays: 0,
};

async function product(ins: { orgId: string; cookie: string }, patch: object = {}) {
  const res = await inject('POST', `/api/v1/insurers/${ins.orgId}/products`, ins.cookie, {
    ...productBody,
    ...patch,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

/** An insurer, its product, a company with two certified workers. */
async function setup(productPatch: object = {}) {
  const ins = await insurer();
  const p = await product(ins, productPatch);
  const co = await company(t);
  const a = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
  const b = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
  return { ins, p, co, a: a.w, b: b.w };
}

const enrol = (s: { co: { orgId: string; cookie: string } }, body: object, key = `k-${Math.random()}`) =>
  inject('POST', `/api/v1/companies/${s.co.orgId}/insurance/enrolments`, s.co.cookie, body, {
    'idempotency-key': key,
  });

describe('products', () => {
  test('an insurer defines a product; a coverage item the kind cannot carry is refused and nothing stored', async () => {
    const ins = await insurer();
    const p = await product(ins);
    const listed = await inject('GET', `/api/v1/insurers/${ins.orgId}/products`, ins.cookie);
    expect(listed.json().items.map((x: { id: string }) => x.id)).toContain(p.id);
    const bad = await inject('POST', `/api/v1/insurers/${ins.orgId}/products`, ins.cookie, {
      ...productBody,
      kind: 'accident',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('INSURANCE_COVERAGE_INVALID');
    const negative = await inject('POST', `/api/v1/insurers/${ins.orgId}/products`, ins.cookie, {
      ...productBody,
      premiumFen: -1,
    });
    expect(negative.statusCode).toBe(422);
    expect(
      (await inject('GET', `/api/v1/insurers/${ins.orgId}/products`, ins.cookie)).json().items,
    ).toHaveLength(1);
    // Another insurer's staff cannot see or add to this insurer's products.
    const other = await insurer('别家保险');
    expect((await inject('GET', `/api/v1/insurers/${ins.orgId}/products`, other.cookie)).statusCode).toBe(
      404,
    );
    expect(
      (await inject('PATCH', `/api/v1/insurance/products/${p.id}`, other.cookie, { active: false }))
        .statusCode,
    ).toBe(404);
  });
});

describe('enrolment', () => {
  test('a company enrols two workers: split computed and recorded (subsidy rounded down and capped), idempotent', async () => {
    const s = await setup();
    const key = `enrol-${Math.random()}`;
    const body = { productId: s.p.id, startsOn: day(t), workerIds: [s.a.workerId, s.b.workerId] };
    const res = await enrol(s, body, key);
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json();
    // 12 001 × 50% = 6000.5 → 6000 (down), under the 10 000 cap; the company pays the rest.
    expect(e.split).toEqual({ premiumFen: 12_001, subsidyFen: 6_000, companyFen: 6_001, workerFen: 0 });
    expect(e.policies).toHaveLength(2);
    expect(e.policies[0].state).toBe('pending');
    expect(e.policies[0].number).toMatch(/^BD\d{14}[0-9A-Z]$/);
    expect(e.policies[0].startsOn).toBe(day(t));
    expect(e.policies[0].endsOn).toBe(periodEnd(day(t), 12));
    const again = await enrol(s, body, key);
    expect(again.statusCode).toBe(201);
    expect(again.json().batchId).toBe(e.batchId);
    const stored = await t.database.db
      .select()
      .from(insurancePolicy)
      .where(eq(insurancePolicy.batchId, e.batchId));
    expect(stored).toHaveLength(2);
    for (const p of stored) expect(p.subsidyFen + p.companyFen + p.workerFen).toBe(p.premiumFen);
  });

  test('refused clearly and nothing stored: another company’s worker, a split that does not add up, an overlap, a past start', async () => {
    const s = await setup();
    const other = await company(t, '别家家政');
    const theirs = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: other });
    const foreign = await enrol(s, {
      productId: s.p.id,
      startsOn: day(t),
      workerIds: [s.a.workerId, theirs.w.workerId],
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().code).toBe('INSURANCE_WORKER_NOT_YOURS');
    expect(foreign.json().errors).toEqual([expect.objectContaining({ path: 'workerIds.1' })]);

    const mismatch = await enrol(s, {
      productId: s.p.id,
      startsOn: day(t),
      workerIds: [s.a.workerId],
      split: { companyFen: 3_000, workerFen: 3_000 },
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().code).toBe('INSURANCE_PREMIUM_MISMATCH');

    const past = await enrol(s, { productId: s.p.id, startsOn: day(t, -1), workerIds: [s.a.workerId] });
    expect(past.json().code).toBe('INSURANCE_START_IN_PAST');

    const none = await t.database.db
      .select()
      .from(insurancePolicy)
      .where(eq(insurancePolicy.workerId, s.a.workerId));
    expect(none).toHaveLength(0);

    const ok = await enrol(s, {
      productId: s.p.id,
      startsOn: day(t, 10),
      workerIds: [s.a.workerId],
      split: { companyFen: 3_000, workerFen: 3_001 },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().split).toEqual({
      premiumFen: 12_001,
      subsidyFen: 6_000,
      companyFen: 3_000,
      workerFen: 3_001,
    });
    const overlap = await enrol(s, { productId: s.p.id, startsOn: day(t, 100), workerIds: [s.a.workerId] });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().code).toBe('INSURANCE_POLICY_OVERLAP');
    // A different product over the same period is fine.
    const p2 = await product(s.ins, {
      title: '另一款意外险',
      kind: 'accident',
      coverage: [{ code: 'accident_medical', amountFen: 100_000 }],
    });
    expect(
      (await enrol(s, { productId: p2.id, startsOn: day(t, 100), workerIds: [s.a.workerId] })).statusCode,
    ).toBe(201);
  });

  test('the database refuses overlapping policies even when two enrolments race', async () => {
    const s = await setup();
    const body = (d: number) => ({ productId: s.p.id, startsOn: day(t, d), workerIds: [s.b.workerId] });
    const results = await Promise.all([enrol(s, body(1)), enrol(s, body(2))]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('INSURANCE_POLICY_OVERLAP');
    // Straight into the table, past every check: the exclusion constraint still says no.
    const [p] = await t.database.db
      .select()
      .from(insurancePolicy)
      .where(eq(insurancePolicy.workerId, s.b.workerId));
    await expect(
      t.database.db.insert(insurancePolicy).values({ ...p!, id: `pol_${'0'.repeat(26)}`, number: 'BDX' }),
    ).rejects.toThrow();
  });

  test('a worker enrols alone and pays what the subsidy does not; the insurer confirms; certificate PDF in Chinese', async () => {
    const s = await setup({ subsidyCapFen: 5_000 });
    const res = await inject(
      'POST',
      '/api/v1/workers/me/insurance/enrolments',
      s.a.cookie,
      { productId: s.p.id, startsOn: day(t) },
      { 'idempotency-key': `w-${Math.random()}` },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().split).toEqual({
      premiumFen: 12_001,
      subsidyFen: 5_000,
      companyFen: 0,
      workerFen: 7_001,
    });
    const pol = res.json().policies[0];
    expect(
      (await inject('GET', `/api/v1/insurance/policies/${pol.id}/certificate`, s.a.cookie)).statusCode,
    ).toBe(409);
    const c = await inject('POST', `/api/v1/insurance/policies/${pol.id}/confirm`, s.ins.cookie, {});
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().state).toBe('active');
    const twice = await inject('POST', `/api/v1/insurance/policies/${pol.id}/confirm`, s.ins.cookie, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('INSURANCE_INVALID_TRANSITION');
    const pdf = await inject('GET', `/api/v1/insurance/policies/${pol.id}/certificate`, s.a.cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('家政服务人员保险凭证');
    expect(text).toContain(pol.number);
    expect(text).toContain('张秀芳');
    // Another company cannot see the policy at all.
    const stranger = await company(t, '路人家政');
    expect((await inject('GET', `/api/v1/insurance/policies/${pol.id}`, stranger.cookie)).statusCode).toBe(
      404,
    );
  });
});

describe('confirmation, verification, expiry and reminders', () => {
  test('insured until <date> on the verification page; lapses to 未投保 after expiry; one renewal reminder', async () => {
    const s = await setup({ periodMonths: 1 });
    const cert = await t.app.services.certification.workerStatus(s.a.workerId);
    const number = cert.certificate!.number;
    const verify = async () =>
      (await inject('GET', `/api/v1/public/certificates/verify?number=${number}`)).json().insurance;
    expect(await verify()).toEqual({ status: 'none', label: '未投保' });
    const e = (
      await enrol(s, { productId: s.p.id, startsOn: day(t), workerIds: [s.a.workerId, s.b.workerId] })
    ).json();
    expect(await verify()).toEqual({ status: 'none', label: '未投保' }); // pending is not cover
    const bulk = await inject('POST', `/api/v1/insurers/${s.ins.orgId}/policies/confirm`, s.ins.cookie, {
      ids: e.policies.map((p: { id: string }) => p.id),
    });
    expect(bulk.json()).toEqual({ confirmed: 2 });
    const endsOn = e.policies[0].endsOn;
    expect(await verify()).toEqual({ status: 'insured', label: `已投保，保障至 ${endsOn}` });

    const svc = t.app.services.insurance;
    const first = await svc.runDue(systemContext('test'));
    expect(first.reminded).toBeGreaterThanOrEqual(2); // a one-month policy is inside the 30-day window
    const reminded = await t.database.db
      .select()
      .from(insurancePolicy)
      .where(eq(insurancePolicy.batchId, e.batchId));
    expect(reminded.every((p) => p.renewalRemindedAt)).toBe(true);
    const second = await svc.runDue(systemContext('test'));
    expect(second.reminded).toBe(0);

    const saved = t.clock.now;
    t.clock.now = new Date(Date.parse(`${endsOn}T00:00:00+08:00`) + 2 * DAY);
    try {
      const r = await svc.runDue(systemContext('test'));
      expect(r.expired).toBeGreaterThanOrEqual(2);
      expect(await verify()).toEqual({ status: 'none', label: '未投保' });
      // A claim for an incident after the last covered day is refused.
      const late = await inject(
        'POST',
        '/api/v1/insurance/claims',
        s.a.cookie,
        {
          policyId: e.policies.find((p: { worker: { id: string } }) => p.worker.id === s.a.workerId).id,
          coverageCode: 'accident_medical',
          incidentOn: day(t),
          place: '广州市天河区',
          description: '摔伤',
          claimedFen: 1_000,
        },
        { 'idempotency-key': `c-${Math.random()}` },
      );
      expect(late.statusCode).toBe(422);
      expect(late.json().code).toBe('INSURANCE_POLICY_NOT_IN_FORCE');
    } finally {
      t.clock.now = saved;
    }
  });
});

describe('claims', () => {
  async function insured(patch: object = {}) {
    const s = await setup(patch);
    const e = (await enrol(s, { productId: s.p.id, startsOn: day(t), workerIds: [s.a.workerId] })).json();
    const pol = e.policies[0];
    expect(
      (await inject('POST', `/api/v1/insurance/policies/${pol.id}/confirm`, s.ins.cookie, {})).statusCode,
    ).toBe(200);
    return { ...s, policyId: pol.id as string };
  }
  const claim = (cookie: string, body: object, key = `c-${Math.random()}`) =>
    inject('POST', '/api/v1/insurance/claims', cookie, body, { 'idempotency-key': key });
  const base = (policyId: string) => ({
    policyId,
    coverageCode: 'accident_medical',
    incidentOn: day(t),
    place: '广州市天河区体育西路1号',
    description: '打扫时从梯子上摔下，左手骨折',
    evidence: ['门诊病历', '医疗费发票'],
    claimedFen: 800_000,
  });

  test('filed by the worker, info asked and supplied, assessed, approved and paid; all parties notified; history kept', async () => {
    const s = await insured();
    const key = `claim-${Math.random()}`;
    const filed = await claim(s.a.cookie, base(s.policyId), key);
    expect(filed.statusCode, filed.body).toBe(201);
    const c = filed.json();
    expect(c.state).toBe('reported');
    expect(c.number).toMatch(/^LP\d{14}[0-9A-Z]$/);
    expect(c.turn).toBe('insurer');
    expect(Date.parse(c.dueAt) - t.clock.now.getTime()).toBe(2 * DAY);
    expect(c.place).toBe('广州市天河区体育西路1号');
    expect((await claim(s.a.cookie, base(s.policyId), key)).json().id).toBe(c.id);
    const [row] = await t.database.db.select().from(insuranceClaim).where(eq(insuranceClaim.id, c.id));
    expect(row!.placeEnc).not.toContain('体育西路');

    // Out of order: paying or approving a claim that was only reported.
    const early = await inject('POST', `/api/v1/insurance/claims/${c.id}/pay`, s.ins.cookie, {
      payoutRef: 'X1',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('INSURANCE_INVALID_TRANSITION');
    // The worker cannot assess their own claim, nor can another insurer.
    expect((await inject('POST', `/api/v1/insurance/claims/${c.id}/review`, s.a.cookie, {})).statusCode).toBe(
      403,
    );
    const other = await insurer('别家保险');
    expect(
      (await inject('POST', `/api/v1/insurance/claims/${c.id}/review`, other.cookie, {})).statusCode,
    ).toBe(404);

    const asked = await inject('POST', `/api/v1/insurance/claims/${c.id}/request-info`, s.ins.cookie, {
      reason: '请补充X光片',
    });
    expect(asked.json().state).toBe('info_requested');
    expect(asked.json().turn).toBe('claimant');
    const supplied = await inject('POST', `/api/v1/insurance/claims/${c.id}/supply`, s.a.cookie, {
      note: 'X光片已上传',
    });
    expect(supplied.json().state).toBe('under_review');
    expect(supplied.json().evidence).toHaveLength(3);
    const over = await inject('POST', `/api/v1/insurance/claims/${c.id}/approve`, s.ins.cookie, {
      amountFen: 800_001,
    });
    expect(over.json().code).toBe('INSURANCE_OVER_COVERAGE');
    const approved = await inject('POST', `/api/v1/insurance/claims/${c.id}/approve`, s.ins.cookie, {
      amountFen: 750_000,
    });
    expect(approved.json()).toMatchObject({ state: 'approved', approvedFen: 750_000 });
    const paid = await inject('POST', `/api/v1/insurance/claims/${c.id}/pay`, s.ins.cookie, {
      payoutRef: 'PAY-2026-001',
    });
    expect(paid.json()).toMatchObject({ state: 'paid', paidFen: 750_000, dueAt: null, actions: [] });
    expect(paid.json().history.map((h: { action: string }) => h.action)).toEqual([
      'report',
      'request_info',
      'supply',
      'approve',
      'pay',
    ]);
    // The company sees it, and was told.
    const companyView = await inject('GET', `/api/v1/insurance/claims/${c.id}`, s.co.cookie);
    expect(companyView.json().relation).toBe('company');
    const notes = await inject('GET', '/api/v1/me/notifications', s.a.cookie);
    expect(JSON.stringify(notes.json())).toContain(c.number);
    expect(t.sms.notices(s.a.phone).some((n) => n.template === 'INSURANCE_CLAIM_UPDATED')).toBe(true);
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, c.id));
    expect(audits.map((a) => a.action)).toContain('insurance.claim.pay');
    // The insurer's queue lists it.
    const queue = await inject('GET', `/api/v1/insurers/${s.ins.orgId}/claims?state=paid`, s.ins.cookie);
    expect(queue.json().items.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  test('a claim past its deadline: the party whose turn it is told once, with the deadline in Beijing time', async () => {
    const s = await insured();
    const c = (await claim(s.a.cookie, base(s.policyId))).json();
    const due = new Date(c.dueAt);
    const beijing = new Date(due.getTime() + 8 * 3600_000).toISOString();
    const saved = t.clock.now;
    t.clock.now = new Date(due.getTime() + DAY);
    try {
      await t.app.services.insurance.runDue(systemContext('test'));
      await t.app.services.insurance.runDue(systemContext('test'));
    } finally {
      t.clock.now = saved;
    }
    const sent = await t.app.database.raw.query<{ orgId: string; title: string; body: string }>(
      `select org_id as "orgId", title, body from notification where kind = 'insurance.claim_sla'`,
    );
    const mine = sent.filter((n) => n.title.includes(c.number));
    expect(mine).toEqual([
      {
        orgId: s.ins.orgId,
        title: `理赔 ${c.number} 已超过办理时限`,
        body: `状态：已报案，时限 ${beijing.slice(0, 10)} ${beijing.slice(11, 16)}（北京时间）`,
      },
    ]);
  });

  test('refused: over coverage, in the waiting period, a coverage item not on the policy, a stranger, bad input', async () => {
    const s = await insured();
    const over = await claim(s.a.cookie, { ...base(s.policyId), claimedFen: 2_000_001 });
    expect(over.json().code).toBe('INSURANCE_OVER_COVERAGE');
    const item = await claim(s.a.cookie, { ...base(s.policyId), coverageCode: 'hospital_allowance' });
    expect(item.json().code).toBe('INSURANCE_COVERAGE_INVALID');
    const future = await claim(s.a.cookie, { ...base(s.policyId), incidentOn: day(t, 3) });
    expect(future.statusCode).toBe(422);
    const stranger = await account(t, [{ role: 'resident' }]);
    expect((await claim(stranger.cookie, base(s.policyId))).statusCode).toBe(404);
    const bad = await claim(s.a.cookie, { ...base(s.policyId), claimedFen: 'lots' });
    expect(bad.statusCode).toBe(422);
    const none = await t.database.db
      .select()
      .from(insuranceClaim)
      .where(eq(insuranceClaim.policyId, s.policyId));
    expect(none).toHaveLength(0);

    const w = await insured({ waitingDays: 30 });
    const waiting = await claim(w.a.cookie, base(w.policyId));
    expect(waiting.json().code).toBe('INSURANCE_IN_WAITING_PERIOD');
  });

  test('a resident reports a liability claim on their order; the worker’s policy is found from the order', async () => {
    const s = await insured();
    const item = await inject('POST', `/api/v1/orgs/${s.co.orgId}/service-items`, s.co.cookie, {
      category: 'cleaning',
      mode: 'hourly',
      priceFen: 5_000,
      title: '日常保洁（小时）',
    });
    expect(item.statusCode, item.body).toBe(201);
    const resident = await account(t, [{ role: 'resident' }], '陈女士');
    const q = 15 * 60_000;
    const startAt = new Date(Math.ceil((t.clock.now.getTime() + 30 * 3600_000) / q) * q).toISOString();
    const o = await inject(
      'POST',
      '/api/v1/orders',
      resident.cookie,
      {
        priceItemId: item.json().id,
        workerId: s.a.workerId,
        schedule: { mode: 'hourly', startAt, hours: 2 },
        address: '广州市天河区体育西路1号2栋301',
        district: '440106',
      },
      { 'idempotency-key': `o-${Math.random()}` },
    );
    expect(o.statusCode, o.body).toBe(201);
    const body = {
      orderId: o.json().id,
      coverageCode: 'liability_property',
      incidentOn: day(t),
      place: '广州市天河区体育西路1号2栋301',
      description: '打碎花瓶',
      claimedFen: 50_000,
    };
    const medical = await claim(resident.cookie, { ...body, coverageCode: 'accident_medical' });
    expect(medical.json().code).toBe('INSURANCE_COVERAGE_INVALID');
    const res = await claim(resident.cookie, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      reporterKind: 'resident',
      policyId: s.policyId,
      relation: 'claimant',
    });
    const w = await inject('POST', `/api/v1/insurance/claims/${res.json().id}/withdraw`, resident.cookie, {});
    expect(w.json().state).toBe('withdrawn');
    // The company does not see the household's claim in its list.
    const list = await inject('GET', `/api/v1/companies/${s.co.orgId}/insurance/claims`, s.co.cookie);
    expect(list.json().items.map((x: { id: string }) => x.id)).not.toContain(res.json().id);
  });
});

describe('subsidy settlement', () => {
  test('totals by insurer and company equal the sum of their policies; xlsx and CSV exports carry them', async () => {
    const s = await setup();
    const e = (
      await enrol(s, { productId: s.p.id, startsOn: day(t), workerIds: [s.a.workerId, s.b.workerId] })
    ).json();
    for (const p of e.policies)
      expect(
        (await inject('POST', `/api/v1/insurance/policies/${p.id}/confirm`, s.ins.cookie, {})).statusCode,
      ).toBe(200);
    const single = await inject(
      'POST',
      '/api/v1/workers/me/insurance/enrolments',
      s.a.cookie,
      {
        productId: (
          await product(s.ins, {
            title: '个人意外险',
            kind: 'accident',
            coverage: [{ code: 'accident_medical', amountFen: 100_000 }],
            premiumFen: 3_333,
            subsidyShareBp: 3_333,
          })
        ).id,
        startsOn: day(t),
      },
      { 'idempotency-key': `w-${Math.random()}` },
    );
    await inject(
      'POST',
      `/api/v1/insurance/policies/${single.json().policies[0].id}/confirm`,
      s.ins.cookie,
      {},
    );

    const q = `from=${day(t, -1)}&to=${day(t, 1)}`;
    const res = await inject('GET', `/api/v1/insurance/settlement?${q}`, regulator.cookie);
    expect(res.statusCode, res.body).toBe(200);
    const mine = res.json().lines.filter((l: { insurer: { id: string } }) => l.insurer.id === s.ins.orgId);
    expect(mine).toHaveLength(2); // the company's two, and the individual one
    for (const l of mine) {
      const sum = (k: string) => l.policies.reduce((a: number, p: Record<string, number>) => a + p[k]!, 0);
      expect(l.subsidyFen).toBe(sum('subsidyFen'));
      expect(l.premiumFen).toBe(sum('premiumFen'));
      expect(l.companyFen + l.workerFen + l.subsidyFen).toBe(l.premiumFen);
      expect(l.policyCount).toBe(l.policies.length);
    }
    const co = mine.find((l: { company: unknown }) => l.company)!;
    expect(co.subsidyFen).toBe(12_000);
    const individual = mine.find((l: { company: unknown }) => !l.company)!;
    expect(individual.subsidyFen).toBe(1_110); // floor(3333 × 0.3333) = 1110.8889 → 1110
    expect(individual.policies[0].workerName).not.toBe('张秀芳'); // masked
    const total = res.json().total;
    expect(total.subsidyFen).toBe(
      res.json().lines.reduce((a: number, l: { subsidyFen: number }) => a + l.subsidyFen, 0),
    );

    // The insurer sees only its own lines.
    const own = await inject('GET', `/api/v1/insurance/settlement?${q}`, s.ins.cookie);
    expect(own.json().lines.every((l: { insurer: { id: string } }) => l.insurer.id === s.ins.orgId)).toBe(
      true,
    );

    const csv = await inject('GET', `/api/v1/insurance/settlement/export?${q}&format=csv`, regulator.cookie);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('财政补贴(元)');
    expect(csv.body).toContain('120.00');
    const xlsx = await inject('GET', `/api/v1/insurance/settlement/export?${q}`, regulator.cookie);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).getCell(11).text).toBe('财政补贴(元)');
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(1).text).toBe('合计');
    expect(last.getCell(11).text).toBe((total.subsidyFen / 100).toFixed(2));

    const bad = await inject(
      'GET',
      `/api/v1/insurance/settlement?from=${day(t, 1)}&to=${day(t, -1)}`,
      regulator.cookie,
    );
    expect(bad.statusCode).toBe(422);
  });
});

describe('bulk enrolment by list', () => {
  test('a CSV of worker ids enrols them; a bad list enrols nobody', async () => {
    const s = await setup();
    const send = (content: string, filename = 'list.csv') => {
      const boundary = `----anxin${Math.random().toString(16).slice(2)}`;
      const part = (name: string, v: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`;
      const payload = Buffer.concat([
        Buffer.from(part('productId', s.p.id) + part('startsOn', day(t))),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/companies/${s.co.orgId}/insurance/enrolments/upload`,
        headers: {
          cookie: s.co.cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'idempotency-key': `u-${Math.random()}`,
        },
        payload,
      });
    };
    const bad = await send('服务人员编号\nnonsense\n');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('INSURANCE_LIST_INVALID');
    const ok = await send(`姓名,服务人员编号\n甲,${s.a.workerId}\n乙,${s.b.workerId}\n`);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().policies).toHaveLength(2);
  });
});
