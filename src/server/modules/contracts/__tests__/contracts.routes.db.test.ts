import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { pdfText } from '../../../../../test/support/pdf-text.js';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company, day, PNG } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { outboxEvent } from '../../../platform/outbox/outbox.tables.js';
import { orderEvent, serviceOrder, workerBooking } from '../../../platform/db/schema.js';
import { systemContext } from '../../../platform/http/context.js';
import { contract, contractRevision, contractSignature, contractSignCode } from '../contracts.tables.js';

// Contracts through the real app: drafted from a real accepted live-in order, edited, signed by three parties
// with SMS codes, sealed and filed, verified (a one-byte change is caught), terminated, and replaced.
// Each case builds its own company, certified workers and order through the real routes: slow on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const HOUR = 3600_000;
type Who = { cookie: string; phone: string };
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
const SIG = `data:image/png;base64,${PNG.toString('base64')}`;

/** A company with two green workers, a live-in price, and a resident's accepted 3-month order. */
async function acceptedOrder(opts: { second?: boolean } = {}) {
  const co = await company(t);
  const first = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
  const second = opts.second
    ? await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co })
    : null;
  const item = await inject('POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
    category: 'cleaning',
    mode: 'live_in',
    priceFen: 700_000,
    title: '住家保姆（月）',
  });
  expect(item.statusCode).toBe(201);
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  const o = await inject('POST', '/api/v1/orders', resident.cookie, {
    priceItemId: item.json().id,
    workerId: first.w.workerId,
    schedule: { mode: 'live_in', startDate: day(t, 2), months: 3 },
    address: '广州市天河区体育西路1号2栋301',
    district: '440106',
  });
  expect(o.statusCode).toBe(201);
  expect((await inject('POST', `/api/v1/orders/${o.json().id}/accept`, co.cookie, {})).statusCode).toBe(200);
  return { co, worker: first.w, second: second?.w, resident, orderId: o.json().id as string };
}

async function draft(s: Awaited<ReturnType<typeof acceptedOrder>>, key = `k-${Math.random()}`) {
  return inject('POST', '/api/v1/contracts', s.co.cookie, { orderId: s.orderId }, { 'idempotency-key': key });
}

async function signAs(id: string, who: Who) {
  const sent = await inject('POST', `/api/v1/contracts/${id}/sign-code`, who.cookie, {});
  expect(sent.statusCode, sent.body).toBe(200);
  const code = t.sms.latest(who.phone)!;
  expect(code.purpose).toBe('contract_sign');
  return inject(
    'POST',
    `/api/v1/contracts/${id}/sign`,
    who.cookie,
    { code: code.code, signaturePng: SIG },
    { 'user-agent': 'vitest-phone' },
  );
}

/** A filed contract and everything around it. */
async function filed(opts: { second?: boolean } = {}) {
  const s = await acceptedOrder(opts);
  const c = (await draft(s)).json();
  for (const who of [s.resident, s.co, s.worker]) expect((await signAs(c.id, who)).statusCode).toBe(200);
  return { ...s, id: c.id as string };
}

describe('drafting from an order', () => {
  test('the company drafts from an accepted live-in order: variables filled from the order, company, worker and resident', async () => {
    const s = await acceptedOrder();
    const res = await draft(s, 'k-draft-1');
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      state: 'draft',
      effective: false,
      kind: 'agency',
      revision: 1,
      relation: 'company',
      signers: ['resident', 'company', 'worker'],
    });
    expect(c.number).toMatch(/^HT\d{10}[0-9A-Z]$/);
    expect(c.terms).toMatchObject({
      mode: 'live_in',
      category: 'cleaning',
      consumer: { name: '陈女士' },
      worker: { name: '张秀芳', trainingPassed: true },
      monthlyFeeFen: 700_000,
      totalFeeFen: 2_100_000,
      restDaysPerMonth: 4,
      sleepHoursPerDay: 8,
      startDate: day(t, 2),
    });
    expect(c.terms.paymentSchedule.reduce((a: number, p: { amountFen: number }) => a + p.amountFen, 0)).toBe(
      2_100_000,
    );
    expect(c.violations).toEqual([]);
    expect(c.address).toBe('广州市天河区体育西路1号2栋301');
    const body = c.clauses.map((x: { body: string }) => x.body).join('');
    expect(body).toContain('甲方（消费者）：陈女士');
    expect(body).toContain('体育西路1号2栋301');
    expect(body).toContain('服务费每月 人民币 7,000.00 元（大写：柒仟元整）');
    expect(body).not.toContain('{{');
    // The same key replays; a second contract for the order is refused.
    expect((await draft(s, 'k-draft-1')).json().id).toBe(c.id);
    expect((await draft(s, 'k-draft-2')).json().code).toBe('CONTRACT_EXISTS');
    // Stored encrypted.
    const [row] = await t.database.db.select().from(contract).where(eq(contract.id, c.id));
    expect(row!.addressEnc).not.toContain('体育西路');
  });

  test('not for another company, an unknown order, or a short-term order', async () => {
    const s = await acceptedOrder();
    const other = await company(t, '别家公司');
    expect((await inject('POST', '/api/v1/contracts', other.cookie, { orderId: s.orderId })).statusCode).toBe(
      404,
    );
    expect((await inject('POST', '/api/v1/contracts', s.co.cookie, { orderId: 'ord_nope' })).statusCode).toBe(
      404,
    );
    expect(
      (await inject('POST', '/api/v1/contracts', s.co.cookie, { orderId: s.orderId, extra: 1 })).statusCode,
    ).toBe(422);
    const hourlyItem = await inject('POST', `/api/v1/orgs/${s.co.orgId}/service-items`, s.co.cookie, {
      category: 'cleaning',
      mode: 'hourly',
      priceFen: 5000,
      title: '保洁',
    });
    const q = 15 * 60_000;
    const o = await inject('POST', '/api/v1/orders', s.resident.cookie, {
      priceItemId: hourlyItem.json().id,
      schedule: {
        mode: 'hourly',
        startAt: new Date(Math.ceil((t.clock.now.getTime() + 30 * HOUR) / q) * q).toISOString(),
        hours: 2,
      },
      address: '广州市天河区林和西路1号',
      district: '440106',
    });
    const res = await inject('POST', '/api/v1/contracts', s.co.cookie, { orderId: o.json().id });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CONTRACT_ORDER_NOT_READY');
    expect(await t.database.db.select().from(contract).where(eq(contract.orderId, o.json().id))).toEqual([]);
  });
});

describe('editing before signing', () => {
  test('parties edit negotiable fields; every revision is kept; a broken mandatory clause is refused and nothing stored', async () => {
    const s = await acceptedOrder();
    const c = (await draft(s)).json();
    const edited = await inject('PATCH', `/api/v1/contracts/${c.id}`, s.resident.cookie, {
      restDaysPerMonth: 6,
      trialDays: 10,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ revision: 2, terms: { restDaysPerMonth: 6, trialDays: 10 } });
    const byWorker = await inject('PATCH', `/api/v1/contracts/${c.id}`, s.worker.cookie, {
      sleepHoursPerDay: 9,
    });
    expect(
      byWorker
        .json()
        .revisions.map((r: { revision: number; party: string; changed: string[] }) => [
          r.revision,
          r.party,
          r.changed,
        ]),
    ).toEqual([
      [1, 'company', []],
      [2, 'resident', ['restDaysPerMonth', 'trialDays']],
      [3, 'worker', ['sleepHoursPerDay']],
    ]);

    const bad = await inject('PATCH', `/api/v1/contracts/${c.id}`, s.co.cookie, { restDaysPerMonth: 1 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('CONTRACT_CLAUSE_VIOLATION');
    expect(bad.json().errors[0].path).toBe('restDaysPerMonth');
    // A fixed field is not editable at all.
    expect(
      (await inject('PATCH', `/api/v1/contracts/${c.id}`, s.co.cookie, { totalFeeFen: 1 })).statusCode,
    ).toBe(422);
    const after = (await inject('GET', `/api/v1/contracts/${c.id}`, s.co.cookie)).json();
    expect(after).toMatchObject({ revision: 3, terms: { restDaysPerMonth: 6, totalFeeFen: 2_100_000 } });
    expect(
      await t.database.db.select().from(contractRevision).where(eq(contractRevision.contractId, c.id)),
    ).toHaveLength(3);
  });
});

describe('signing', () => {
  test('three parties sign on their own devices; only the last signature seals, files and moves the order to contracted', async () => {
    const s = await acceptedOrder();
    const c = (await draft(s)).json();
    const r1 = await signAs(c.id, s.resident);
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json()).toMatchObject({ state: 'signing', effective: false, filingNo: null, pdfSha256: null });
    // Once someone signed, the terms are locked.
    const locked = await inject('PATCH', `/api/v1/contracts/${c.id}`, s.co.cookie, { trialDays: 5 });
    expect(locked.json().code).toBe('CONTRACT_LOCKED');
    // Half-signed is not effective, not filed, and the public check says so.
    const half = (await inject('GET', `/api/v1/contracts/verify/${c.number}`)).json();
    expect(half).toMatchObject({ found: true, effective: false, filed: false, state: 'signing' });

    expect((await signAs(c.id, s.co)).json().state).toBe('signing');
    const last = await signAs(c.id, s.worker);
    expect(last.statusCode, last.body).toBe(200);
    const done = last.json();
    expect(done).toMatchObject({ state: 'filed', effective: true });
    expect(done.filingNo).toMatch(/^BA440106\d{10}[0-9A-Z]$/);
    expect(done.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(done.termsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(done.signatures.map((x: { party: string }) => x.party)).toEqual(['resident', 'company', 'worker']);

    const sigs = await t.database.db
      .select()
      .from(contractSignature)
      .where(eq(contractSignature.contractId, c.id));
    expect(
      sigs.every(
        (x) =>
          x.signerUserAgent === 'vitest-phone' && !!x.signerIp && /^[0-9a-f]{64}$/.test(x.signatureSha256),
      ),
    ).toBe(true);
    const o = (await inject('GET', `/api/v1/orders/${s.orderId}`, s.resident.cookie)).json();
    expect(o).toMatchObject({ state: 'contracted', contractRef: c.id });
    const topics = (await t.database.db.select().from(outboxEvent))
      .filter((e) => (e.payload as { contractId?: string }).contractId === c.id)
      .map((e) => e.topic);
    expect(topics).toEqual(expect.arrayContaining(['contracts.sealed', 'contracts.filed']));
    const auditRows = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, c.id));
    const audits = auditRows.map((a) => a.action);
    expect(audits).toEqual(
      expect.arrayContaining([
        'contract.drafted',
        'contract.sign_code_sent',
        'contract.signed',
        'contract.sealed',
      ]),
    );
    // Each issued signing code is audited (party and code id, never the code), one per signature here.
    const issued = auditRows.filter((a) => a.action === 'contract.sign_code_sent');
    expect(issued.length).toBe(audits.filter((a) => a === 'contract.signed').length);
    for (const a of issued) expect(Object.keys(a.detail ?? {}).sort()).toEqual(['codeId', 'number', 'party']);

    // A sealed contract never changes.
    const edit = await inject('PATCH', `/api/v1/contracts/${c.id}`, s.resident.cookie, { trialDays: 5 });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('CONTRACT_SEALED');
    expect(
      (await inject('POST', `/api/v1/contracts/${c.id}/sign-code`, s.worker.cookie, {})).json().code,
    ).toBe('CONTRACT_SEALED');

    // The filed PDF reads back in Chinese, with the number, the filing number and page numbers.
    const pdf = await inject('GET', `/api/v1/contracts/${c.id}/pdf`, s.resident.cookie);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    for (const want of [
      '家政服务合同',
      '甲方（消费者）：陈女士',
      '丙方（家政服务员）：张秀芳',
      '每月休息4天',
      c.number,
      done.filingNo,
      '第1页',
      '体育西路1号2栋301',
      // Money as the clauses state it: 人民币, the figure and the capitals (the PDF prints the template's text).
      '服务费每月人民币7,000.00元（大写：柒仟元整）',
      '合同期内合计人民币21,000.00元（大写：贰万壹仟元整）',
    ])
      expect(text).toContain(want);
    expect(text).not.toContain('预览稿');
    expect(pdf.rawPayload.length).toBeLessThan(1_000_000);
  });

  test('refused: signing twice, a non-party, a wrong or expired code, too many tries, a bad signature image', async () => {
    const s = await acceptedOrder();
    const c = (await draft(s)).json();
    expect((await signAs(c.id, s.resident)).statusCode).toBe(200);
    const again = await inject('POST', `/api/v1/contracts/${c.id}/sign-code`, s.resident.cookie, {});
    expect(again.json().code).toBe('CONTRACT_ALREADY_SIGNED');

    // Someone unrelated does not even see it; the regulator sees it but is not a party.
    const stranger = await account(t, [{ role: 'resident' }]);
    expect(
      (await inject('POST', `/api/v1/contracts/${c.id}/sign-code`, stranger.cookie, {})).statusCode,
    ).toBe(404);
    const reg = await inject('POST', `/api/v1/contracts/${c.id}/sign-code`, regulator.cookie, {});
    expect(reg.statusCode).toBe(403);

    // The company's code: wrong, then too soon to resend, then expired.
    expect((await inject('POST', `/api/v1/contracts/${c.id}/sign-code`, s.co.cookie, {})).statusCode).toBe(
      200,
    );
    const good = t.sms.latest(s.co.phone)!.code;
    const wrong = good === '000000' ? '111111' : '000000';
    const w1 = await inject('POST', `/api/v1/contracts/${c.id}/sign`, s.co.cookie, {
      code: wrong,
      signaturePng: SIG,
    });
    expect(w1.statusCode).toBe(422);
    expect(w1.json().code).toBe('CONTRACT_CODE_INVALID');
    expect((await inject('POST', `/api/v1/contracts/${c.id}/sign-code`, s.co.cookie, {})).json().code).toBe(
      'CONTRACT_CODE_TOO_SOON',
    );
    const notPng = await inject('POST', `/api/v1/contracts/${c.id}/sign`, s.co.cookie, {
      code: good,
      signaturePng: Buffer.from(
        'GIF89a-not-a-png-at-all-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      ).toString('base64'),
    });
    expect(notPng.json().code).toBe('CONTRACT_SIGNATURE_INVALID');
    t.clock.advance(5 * 60_000 + 1000);
    const expired = await inject('POST', `/api/v1/contracts/${c.id}/sign`, s.co.cookie, {
      code: good,
      signaturePng: SIG,
    });
    expect(expired.json().code).toBe('CONTRACT_CODE_INVALID');

    // A fresh code, five wrong tries, then even the right code is locked out.
    expect((await inject('POST', `/api/v1/contracts/${c.id}/sign-code`, s.co.cookie, {})).statusCode).toBe(
      200,
    );
    const fresh = t.sms.latest(s.co.phone)!.code;
    const bad = fresh === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      await inject('POST', `/api/v1/contracts/${c.id}/sign`, s.co.cookie, { code: bad, signaturePng: SIG });
    const lockedOut = await inject('POST', `/api/v1/contracts/${c.id}/sign`, s.co.cookie, {
      code: fresh,
      signaturePng: SIG,
    });
    expect(lockedOut.statusCode).toBe(429);
    expect(lockedOut.json().code).toBe('CONTRACT_CODE_LOCKED');
    // Only a keyed hash of codes is stored.
    const codes = await t.database.db
      .select()
      .from(contractSignCode)
      .where(eq(contractSignCode.contractId, c.id));
    expect(codes.every((x) => x.codeHash !== fresh && x.codeHash.length > 20)).toBe(true);

    const now = (await inject('GET', `/api/v1/contracts/${c.id}`, s.co.cookie)).json();
    expect(now).toMatchObject({ state: 'signing', effective: false });
    expect(now.signatures).toHaveLength(1);
  });
});

describe('a worker who also holds a seat at their own company', () => {
  test('signs their own contract as the worker, never as the company', async () => {
    const s = await acceptedOrder();
    // The worker is also staff of the company that employs them (a team leader, say).
    await t.app.services.orgs.addMember(t.database.db, {
      orgId: s.co.orgId,
      userId: s.worker.userId,
      role: 'staff',
    });
    const c = (await draft(s)).json();
    const mine = await signAs(c.id, s.worker);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().signatures.map((x: { party: string }) => x.party)).toEqual(['worker']);
    // The company's signature is still the company admin's to give.
    const co = await signAs(c.id, s.co);
    expect(co.statusCode, co.body).toBe(200);
    expect(
      co
        .json()
        .signatures.map((x: { party: string }) => x.party)
        .sort(),
    ).toEqual(['company', 'worker']);
    expect((await signAs(c.id, s.resident)).json().state).toBe('filed');
  });
});

describe('verification', () => {
  test('by number and by PDF: the filed bytes match; a one-byte change is detected; a bad check character is caught', async () => {
    const f = await filed();
    const c = (await inject('GET', `/api/v1/contracts/${f.id}`, f.co.cookie)).json();
    const byNo = await inject('GET', `/api/v1/contracts/verify/${c.number}`);
    expect(byNo.statusCode).toBe(200);
    expect(byNo.json()).toMatchObject({
      found: true,
      effective: true,
      filed: true,
      filingNo: c.filingNo,
      pdfSha256: c.pdfSha256,
    });
    expect(JSON.stringify(byNo.json())).not.toContain('陈女士');

    const pdf = (await inject('GET', `/api/v1/contracts/${f.id}/pdf`, f.worker.cookie)).rawPayload;
    const ok = await inject('POST', '/api/v1/contracts/verify', undefined, {
      number: c.number,
      pdfBase64: pdf.toString('base64'),
    });
    expect(ok.json()).toMatchObject({ matches: true, uploadedSha256: c.pdfSha256 });
    const tampered = Buffer.from(pdf);
    const mid = Math.floor(tampered.length / 2);
    tampered.writeUInt8(tampered.readUInt8(mid) ^ 0x01, mid);
    const bad = await inject('POST', '/api/v1/contracts/verify', undefined, {
      number: c.number,
      pdfBase64: tampered.toString('base64'),
    });
    expect(bad.json()).toMatchObject({ found: true, matches: false });

    const wrongCheck = c.number.slice(0, -1) + (c.number.endsWith('0') ? '1' : '0');
    expect((await inject('GET', `/api/v1/contracts/verify/${wrongCheck}`)).json()).toMatchObject({
      found: false,
      checkCharacterValid: false,
    });
  });
});

describe('termination', () => {
  test('requested with reason and date; the settlement is shown; all parties confirm → terminated', async () => {
    const f = await filed();
    const c = (await inject('GET', `/api/v1/contracts/${f.id}`, f.co.cookie)).json();
    const past = await inject('POST', `/api/v1/contracts/${f.id}/termination`, f.resident.cookie, {
      reason: '老人住院',
      effectiveDate: day(t, -1),
    });
    expect(past.json().code).toBe('CONTRACT_TERMINATION_INVALID');
    const eff = day(t, 2 + 20);
    const req = await inject('POST', `/api/v1/contracts/${f.id}/termination`, f.resident.cookie, {
      reason: '老人住院',
      effectiveDate: eff,
    });
    expect(req.statusCode, req.body).toBe(200);
    const term = req.json().termination;
    expect(req.json()).toMatchObject({ state: 'terminating', effective: true });
    expect(term.settlement).toMatchObject({
      servedDays: 20,
      paidFen: 700_000,
      depositRefundFen: c.terms.depositFen,
    });
    expect(term.settlement.feeRefundFen).toBe(700_000 - term.settlement.servedFeeFen);
    expect(term.confirmedBy).toEqual(['resident']);
    expect(
      (await inject('POST', `/api/v1/contracts/${f.id}/termination/confirm`, f.resident.cookie, {}))
        .statusCode,
    ).toBe(409);
    expect(
      (await inject('POST', `/api/v1/contracts/${f.id}/termination/confirm`, f.co.cookie, {})).json().state,
    ).toBe('terminating');
    const end = await inject('POST', `/api/v1/contracts/${f.id}/termination/confirm`, f.worker.cookie, {});
    expect(end.json()).toMatchObject({
      state: 'terminated',
      effective: false,
      termination: { state: 'agreed' },
    });
    const topics = (await t.database.db.select().from(outboxEvent))
      .filter((e) => (e.payload as { contractId?: string }).contractId === f.id)
      .map((e) => e.topic);
    expect(topics).toContain('contracts.terminated');
    // The order follows: its service now ends on the effective day, and the worker's later days are free again.
    while ((await t.app.platform.outbox.drainOnce()).claimed > 0);
    const [o] = await t.database.db.select().from(serviceOrder).where(eq(serviceOrder.id, f.orderId));
    expect(o!.state).toBe('contracted');
    expect(o!.serviceEnd.toISOString()).toBe(
      new Date(Date.parse(`${eff}T00:00:00+08:00`) + 86_400_000).toISOString(),
    );
    const events = await t.database.db.select().from(orderEvent).where(eq(orderEvent.orderId, f.orderId));
    expect(events.find((e) => e.action === 'service_shortened')?.reason).toContain(c.number);
    const held = await t.database.db.select().from(workerBooking).where(eq(workerBooking.orderId, f.orderId));
    expect(held.some((b) => b.active)).toBe(true);
    expect(held.filter((b) => b.active && b.endsAt > o!.serviceEnd)).toEqual([]);
    // A redelivered event changes nothing more.
    await t.app.services.orders.onContractTerminated(systemContext('test'), {
      orderId: f.orderId,
      contractNumber: c.number,
      effectiveDate: eff,
    });
    expect(
      (await t.database.db.select().from(orderEvent).where(eq(orderEvent.orderId, f.orderId))).length,
    ).toBe(events.length);
  });

  test('a termination effective before the service would start cancels the order, without a fee', async () => {
    const f = await filed();
    const eff = day(t, 0);
    const req = await inject('POST', `/api/v1/contracts/${f.id}/termination`, f.resident.cookie, {
      reason: '计划有变',
      effectiveDate: eff,
    });
    expect(req.statusCode, req.body).toBe(200);
    for (const who of [f.co, f.worker])
      expect(
        (await inject('POST', `/api/v1/contracts/${f.id}/termination/confirm`, who.cookie, {})).statusCode,
      ).toBe(200);
    while ((await t.app.platform.outbox.drainOnce()).claimed > 0);
    const [o] = await t.database.db.select().from(serviceOrder).where(eq(serviceOrder.id, f.orderId));
    expect(o).toMatchObject({ state: 'cancelled', cancelledBy: 'system', cancelFeeFen: 0 });
    expect(o!.stateReason).toContain('已解除');
    const held = await t.database.db.select().from(workerBooking).where(eq(workerBooking.orderId, f.orderId));
    expect(held.filter((b) => b.active)).toEqual([]);
  });

  test('a termination whose day has passed when it is processed ends a service under way (completed)', async () => {
    const f = await filed();
    t.clock.advance(2 * 86_400_000);
    const started = await inject('POST', `/api/v1/orders/${f.orderId}/start`, f.co.cookie, {});
    expect(started.statusCode, started.body).toBe(200);
    const eff = day(t, 0);
    expect(
      (
        await inject('POST', `/api/v1/contracts/${f.id}/termination`, f.co.cookie, {
          reason: '雇主搬家',
          effectiveDate: eff,
        })
      ).statusCode,
    ).toBe(200);
    for (const who of [f.resident, f.worker])
      expect(
        (await inject('POST', `/api/v1/contracts/${f.id}/termination/confirm`, who.cookie, {})).statusCode,
      ).toBe(200);
    // The outbox is delivered after the effective day (a backlog): the order ends at once.
    t.clock.advance(86_400_000);
    while ((await t.app.platform.outbox.drainOnce()).claimed > 0);
    const [o] = await t.database.db.select().from(serviceOrder).where(eq(serviceOrder.id, f.orderId));
    expect(o!.state).toBe('completed');
    const events = await t.database.db.select().from(orderEvent).where(eq(orderEvent.orderId, f.orderId));
    expect(events.at(-1)).toMatchObject({ action: 'end_early', party: 'system', toState: 'completed' });
    const held = await t.database.db.select().from(workerBooking).where(eq(workerBooking.orderId, f.orderId));
    // The service ended with the effective day: nothing holds the worker after it.
    const end = new Date(Date.parse(`${eff}T00:00:00+08:00`) + 86_400_000);
    expect(o!.serviceEnd.toISOString()).toBe(end.toISOString());
    expect(held.filter((b) => b.active && b.endsAt > end)).toEqual([]);
  });

  test('a party disputes: the contract is disputed and the complaint flow is told', async () => {
    const f = await filed();
    await inject('POST', `/api/v1/contracts/${f.id}/termination`, f.co.cookie, {
      reason: '客户多次拖欠',
      effectiveDate: day(t, 10),
    });
    const d = await inject('POST', `/api/v1/contracts/${f.id}/termination/dispute`, f.resident.cookie, {
      reason: '不同意结算',
    });
    expect(d.json()).toMatchObject({
      state: 'disputed',
      termination: { state: 'disputed', disputeReason: '不同意结算' },
    });
    const ev = (await t.database.db.select().from(outboxEvent)).find(
      (e) =>
        e.topic === 'contracts.termination_disputed' &&
        (e.payload as { contractId: string }).contractId === f.id,
    );
    expect(ev!.payload).toMatchObject({ orderId: f.orderId, companyId: f.co.orgId, reason: '不同意结算' });
  });
});

describe('worker replacement chain', () => {
  test('replacing the worker of a contracted order creates a new version linked to the filed one; sealing it supersedes the old', async () => {
    const f = await filed({ second: true });
    const second = f.second!;
    t.clock.advance(3 * 24 * HOUR);
    const rep = await inject('POST', `/api/v1/orders/${f.orderId}/replace-worker`, f.co.cookie, {
      workerId: second.workerId,
      reason: '原阿姨家中有事',
    });
    expect(rep.statusCode, rep.body).toBe(200);
    while ((await t.app.platform.outbox.drainOnce()).claimed > 0);
    // Delivered twice (at least once): still one new version.
    await t.app.services.contracts.onWorkerReplaced(
      { actor: null, requestId: 'test', ip: null },
      { orderId: f.orderId, workerId: second.workerId },
    );
    const old = (await inject('GET', `/api/v1/contracts/${f.id}`, f.co.cookie)).json();
    expect(old.state).toBe('filed');
    expect(old.replacedById).toBeTruthy();
    expect(old.chain).toHaveLength(2);
    const next = (await inject('GET', `/api/v1/contracts/${old.replacedById}`, f.co.cookie)).json();
    expect(next).toMatchObject({ state: 'draft', previousId: f.id, terms: { worker: { name: '张秀芳' } } });
    expect(next.terms.restDaysPerMonth).toBe(old.terms.restDaysPerMonth);

    // The new worker signs with the resident and the company; the old version is superseded, kept in the chain.
    const newWorker = { cookie: second.cookie, phone: second.phone };
    for (const who of [f.resident, f.co, newWorker])
      expect((await signAs(next.id, who)).statusCode).toBe(200);
    const oldAfter = (await inject('GET', `/api/v1/contracts/${f.id}`, f.resident.cookie)).json();
    expect(oldAfter.state).toBe('superseded');
    expect(oldAfter.chain.map((x: { id: string; state: string }) => [x.id, x.state])).toEqual([
      [f.id, 'superseded'],
      [next.id, 'filed'],
    ]);
    expect(await t.app.services.contracts.contractForOrder(f.orderId)).toMatchObject({
      id: next.id,
      state: 'filed',
    });
  });
});

describe('clause text format', () => {
  // Contracts made before amounts were written as 人民币 … 元（大写：…） keep format 1 (the migration's default):
  // the detail view and the PDF re-fill clauses from the terms, and must read as the parties saw and signed them.
  const setFormat = (id: string, f: number) =>
    t.database.db.update(contract).set({ clauseFormat: f }).where(eq(contract.id, id));
  const storedFormat = async (id: string) =>
    (await t.database.db.select().from(contract).where(eq(contract.id, id)))[0]!.clauseFormat;
  const bodies = (c: { clauses: { body: string }[] }) => c.clauses.map((x) => x.body).join('\n');
  const pdfOf = async (id: string, cookie: string) =>
    (await inject('GET', `/api/v1/contracts/${id}/pdf`, cookie)).rawPayload;

  test('a half-signed old-format contract previews, seals and reads in its own format; its replacement and new contracts use the 大写 form', async () => {
    const s = await acceptedOrder({ second: true });
    const c = (await draft(s)).json();
    // A new contract: format 2 stored, the legal form in the detail and in the preview.
    expect(await storedFormat(c.id)).toBe(2);
    expect(bodies(c)).toContain(
      '服务费每月 人民币 7,000.00 元（大写：柒仟元整），合同期内合计 人民币 21,000.00 元（大写：贰万壹仟元整）。',
    );
    const preview2 = await pdfText(await pdfOf(c.id, s.resident.cookie));
    expect(preview2).toContain('服务费每月人民币7,000.00元（大写：柒仟元整）');
    expect(preview2).toContain('预览稿');

    // The resident signs; then the row is made as if drafted before the change.
    expect((await signAs(c.id, s.resident)).statusCode).toBe(200);
    await setFormat(c.id, 1);
    const due = c.terms.paymentSchedule[0].dueDate as string;
    const half = (await inject('GET', `/api/v1/contracts/${c.id}`, s.co.cookie)).json();
    expect(half.state).toBe('signing');
    const oldText = bodies(half);
    expect(oldText).toContain('服务费每月 7000.00 元，合同期内合计 21000.00 元。');
    expect(oldText).toContain(`第1期 ${due} 前支付 7000.00 元`);
    expect(oldText).toContain('家政服务员月工资 5950.00 元');
    expect(oldText).not.toMatch(/人民币|大写/);
    const preview1 = await pdfText(await pdfOf(c.id, s.co.cookie));
    expect(preview1).toContain('服务费每月7000.00元，合同期内合计21000.00元。');
    expect(preview1).not.toMatch(/人民币|大写/);

    // The other two sign: the sealed PDF is the text the resident signed, and the detail still reads the same.
    expect((await signAs(c.id, s.co)).statusCode).toBe(200);
    const done = (await signAs(c.id, s.worker)).json();
    expect(done.state).toBe('filed');
    expect(bodies(done)).toBe(oldText);
    expect(await storedFormat(c.id)).toBe(1);
    const sealedPdf = await pdfOf(c.id, s.resident.cookie);
    expect(createHash('sha256').update(sealedPdf).digest('hex')).toBe(done.pdfSha256);
    const sealed = await pdfText(sealedPdf);
    expect(sealed).toContain('服务费每月7000.00元，合同期内合计21000.00元。');
    expect(sealed).toContain(`第1期${due}前支付7000.00元`);
    expect(sealed).not.toMatch(/人民币|大写|预览稿/);
    for (const who of [s.resident, s.worker])
      expect(bodies((await inject('GET', `/api/v1/contracts/${c.id}`, who.cookie)).json())).toBe(oldText);

    // Replacing the worker makes a new version to be signed again: it is new text, in the 大写 form.
    t.clock.advance(3 * 24 * HOUR);
    const rep = await inject('POST', `/api/v1/orders/${s.orderId}/replace-worker`, s.co.cookie, {
      workerId: s.second!.workerId,
      reason: '原阿姨家中有事',
    });
    expect(rep.statusCode, rep.body).toBe(200);
    while ((await t.app.platform.outbox.drainOnce()).claimed > 0);
    const old = (await inject('GET', `/api/v1/contracts/${c.id}`, s.co.cookie)).json();
    expect(old.replacedById).toBeTruthy();
    expect(bodies(old)).toBe(oldText);
    const next = (await inject('GET', `/api/v1/contracts/${old.replacedById}`, s.co.cookie)).json();
    expect(await storedFormat(next.id)).toBe(2);
    expect(bodies(next)).toContain('服务费每月 人民币 7,000.00 元（大写：柒仟元整）');
  });

  test('an old-format draft nobody signed takes the 大写 form with its next revision', async () => {
    const s = await acceptedOrder();
    const c = (await draft(s)).json();
    await setFormat(c.id, 1);
    const before = (await inject('GET', `/api/v1/contracts/${c.id}`, s.resident.cookie)).json();
    expect(bodies(before)).toContain('服务费每月 7000.00 元');
    expect(bodies(before)).not.toContain('大写');
    const edited = await inject('PATCH', `/api/v1/contracts/${c.id}`, s.resident.cookie, {
      restDaysPerMonth: 6,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().revision).toBe(2);
    expect(bodies(edited.json())).toContain('服务费每月 人民币 7,000.00 元（大写：柒仟元整）');
    expect(await storedFormat(c.id)).toBe(2);
    // The format is internal: not part of the response.
    expect(JSON.stringify(edited.json())).not.toMatch(/clauseFormat|clause_format/);
  });
});

describe('lists, regulator search and statistics, wage samples', () => {
  test('each party lists its contracts; the regulator searches filed ones and sees clause statistics', async () => {
    const f = await filed();
    const mine = (await inject('GET', '/api/v1/contracts/mine', f.resident.cookie)).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toEqual([f.id]);
    const asWorker = (await inject('GET', '/api/v1/contracts/mine', f.worker.cookie)).json();
    expect(asWorker.items.map((x: { id: string }) => x.id)).toContain(f.id);
    const co = (await inject('GET', `/api/v1/orgs/${f.co.orgId}/contracts?limit=1`, f.co.cookie)).json();
    expect(co.items).toHaveLength(1);
    const other = await company(t, '别家');
    expect((await inject('GET', `/api/v1/orgs/${f.co.orgId}/contracts`, other.cookie)).statusCode).toBe(404);
    expect((await inject('GET', `/api/v1/contracts/${f.id}`, other.cookie)).statusCode).toBe(404);

    const search = (
      await inject(
        'GET',
        `/api/v1/regulator/contracts?companyId=${f.co.orgId}&category=cleaning`,
        regulator.cookie,
      )
    ).json();
    expect(search.items.map((x: { id: string }) => x.id)).toEqual([f.id]);
    const regView = (await inject('GET', `/api/v1/contracts/${f.id}`, regulator.cookie)).json();
    expect(regView).toMatchObject({ relation: 'regulator', address: null, actions: [] });
    const stats = (await inject('GET', '/api/v1/regulator/contracts/stats', regulator.cookie)).json();
    expect(stats.total).toBeGreaterThanOrEqual(1);
    expect(stats.clauses.find((x: { rule: string }) => x.rule === 'rest_days')).toMatchObject({
      passed: stats.total,
    });
    expect(stats.insuredShare).toBe(1);

    const samples = await t.app.services.contracts.wageSamples(
      new Date(t.clock.now.getTime() - 24 * HOUR),
      new Date(t.clock.now.getTime() + HOUR),
    );
    expect(samples.some((x) => x.category === 'cleaning' && x.monthlyWageFen === 595_000)).toBe(true);
  });

  test('the regulator publishes a template version; a broken one is refused', async () => {
    const cur = (await inject('GET', '/api/v1/contract-templates', regulator.cookie)).json();
    const agency = cur.find((x: { kind: string }) => x.kind === 'agency');
    const clauses = agency.clauses.map((c: { key: string; title: string; body: string }) => ({
      key: c.key,
      title: c.title,
      body: c.body,
    }));
    const ok = await inject('POST', '/api/v1/regulator/contract-templates', regulator.cookie, {
      kind: 'agency',
      title: '家政服务合同（中介制·三方）2026版',
      clauses,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().version).toBe(agency.version + 1);
    const broken = await inject('POST', '/api/v1/regulator/contract-templates', regulator.cookie, {
      kind: 'agency',
      title: '坏模板',
      clauses: clauses.filter((c: { key: string }) => c.key !== 'insurance'),
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().code).toBe('CONTRACT_TEMPLATE_INVALID');
  });
});
