import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, cookieFrom, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { makeIdCard, maskIdCard } from '../../../../shared/validators/index.js';
import { employment, worker, workerConsent, workerDocument } from '../workers.tables.js';
import {
  ELF,
  JPEG,
  PDF,
  PNG,
  account,
  company,
  consent,
  day,
  registration,
  selfWorker,
  signIn,
  uniqueIdNumber,
  upload,
} from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const auditOf = (workerId: string, action: string) =>
  t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.objectId, workerId), eq(auditLog.action, action)));

async function get(url: string, cookie?: string) {
  return t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
}
async function post(url: string, payload: unknown, cookie?: string) {
  return t.app.inject({ method: 'POST', url, payload: payload as object, headers: cookie ? { cookie } : {} });
}
const workerCount = async () => (await t.database.db.select({ id: worker.id }).from(worker)).length;

describe('consent and self-registration', () => {
  test('the consent letter is public, in Chinese, with version and hash', async () => {
    const res = await get('/api/v1/workers/consent-text');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.version).toBe(consent.version);
    expect(body.text).toContain('信用信息授权书');
    expect(body.text).toContain('无犯罪记录');
    expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('registration without accepting the current letter stores nothing', async () => {
    const a = await account(t);
    const before = await workerCount();
    for (const c of [
      { version: consent.version, accepted: false },
      { version: 'old', accepted: true },
    ]) {
      const res = await post('/api/v1/workers/me', registration({ consent: c }), a.cookie);
      expect(res.statusCode).toBe(422);
      expect(res.json().code).toBe('WORKER_CONSENT_REQUIRED');
    }
    const missing = await post('/api/v1/workers/me', { ...registration(), consent: undefined }, a.cookie);
    expect(missing.statusCode).toBe(422);
    expect(await workerCount()).toBe(before);
  });

  test('a signed-in account becomes a worker: derived birth date and sex, role, consent stored, audited', async () => {
    const a = await account(t);
    const idNumber = makeIdCard('440106', '1988-03-15', 124);
    const res = await post('/api/v1/workers/me', registration({ idNumber }), a.cookie);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      idNumber,
      idNumberMasked: false,
      birthDate: '1988-03-15',
      sex: 'F',
      status: 'active',
      registeredVia: 'self',
      maternityStars: 3,
    });
    const me = await get('/api/v1/auth/me', a.cookie);
    expect(me.json().user.roles).toContain('worker');
    const [row] = await t.database.db.select().from(worker).where(eq(worker.id, body.id));
    expect(row!.idNumberEnc).not.toContain(idNumber);
    const consents = await t.database.db
      .select()
      .from(workerConsent)
      .where(eq(workerConsent.workerId, body.id));
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({ userId: a.userId, textVersion: consent.version });
    expect(await auditOf(body.id, 'worker.registered')).toHaveLength(1);
    expect(await auditOf(body.id, 'worker.consent_accepted')).toHaveLength(1);
    // A second registration by the same account is a conflict.
    const again = await post('/api/v1/workers/me', registration(), a.cookie);
    expect(again.json().code).toBe('WORKER_ALREADY_REGISTERED');
  });

  test.each([
    [
      'checksum',
      () => {
        const v = makeIdCard('440106', '1990-01-01', 11);
        return v.slice(0, 17) + (v[17] === '1' ? '2' : '1');
      },
    ],
    ['birthdate', () => '440106199002300012'],
    ['format', () => '44010619900101'],
    ['region', () => makeIdCard('440106', '1990-01-01', 11).replace(/^44/, '99')],
    ['under_16', () => makeIdCard('440106', `${new Date().getUTCFullYear() - 15}-01-01`, 11)],
  ])('an invalid ID number (%s) is a 422 naming the reason; nothing stored', async (reason, make) => {
    const a = await account(t);
    const before = await workerCount();
    const res = await post('/api/v1/workers/me', registration({ idNumber: make() }), a.cookie);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('WORKER_ID_INVALID');
    expect(res.json().errors[0].path).toBe('idNumber');
    expect(res.json().errors[0].message.startsWith(reason)).toBe(true);
    expect(await workerCount()).toBe(before);
  });

  test('the same person registering twice gets 409 WORKER_DUPLICATE_PERSON', async () => {
    const w = await selfWorker(t);
    const other = await account(t);
    const res = await post(
      '/api/v1/workers/me',
      registration({ idNumber: w.idNumber.toLowerCase() }),
      other.cookie,
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('WORKER_DUPLICATE_PERSON');
  });

  test('maternity stars without the maternity category, unknown fields and bad districts are refused', async () => {
    const a = await account(t);
    for (const body of [
      registration({ categories: ['cleaning'], maternityStars: 2 }),
      registration({ extra: 1 }),
      registration({ district: '110101' }),
      registration({ maternityStars: 6 }),
    ]) {
      const res = await post('/api/v1/workers/me', body, a.cookie);
      expect(res.statusCode).toBe(422);
    }
  });

  test('the worker reads and updates their profile', async () => {
    const w = await selfWorker(t);
    const me = await get('/api/v1/workers/me', w.cookie);
    expect(me.statusCode).toBe(200);
    expect(me.json().idNumber).toBe(w.idNumber);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/workers/me',
      headers: { cookie: w.cookie },
      payload: { intro: '做事细心，擅长照顾新生儿', categories: ['cleaning'] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      intro: '做事细心，擅长照顾新生儿',
      categories: ['cleaning'],
      maternityStars: null,
    });
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/workers/me',
      headers: { cookie: w.cookie },
      payload: { idNumber: uniqueIdNumber() },
    });
    expect(bad.statusCode).toBe(422);
  });
});

describe('registration by a company with SMS confirmation', () => {
  test('pending until the worker confirms; confirmation creates the account and the employment', async () => {
    const co = await company(t, { role: 'staff' });
    const phone = uniquePhone();
    const idNumber = uniqueIdNumber();
    const body = { ...registration({ idNumber }), phone };
    delete (body as Record<string, unknown>).consent;
    const res = await post(`/api/v1/companies/${co.orgId}/workers`, body, co.cookie);
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.status).toBe('pending_confirmation');
    expect(created.idNumber).toBe(maskIdCard(idNumber));
    expect(res.body).not.toContain(idNumber);
    const sms = t.sms.latest(phone)!;
    expect(sms.purpose).toBe('worker_confirm');

    const list = await get(`/api/v1/companies/${co.orgId}/workers`, co.cookie);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(created.id);
    expect(list.body).not.toContain(idNumber);

    // Nothing is processed for a pending registration.
    const regulator = await account(t, [{ role: 'regulator' }]);
    const check = await post(
      `/api/v1/regulator/workers/${created.id}/background-checks`,
      { state: 'clear', checkedOn: day(t) },
      regulator.cookie,
    );
    expect(check.statusCode).toBe(409);
    expect(check.json().code).toBe('WORKER_NOT_ACTIVE');

    const wrong = await post('/api/v1/workers/confirm', {
      phone,
      code: sms.code === '000000' ? '111111' : '000000',
      password: 'Worker2026pass',
      consent,
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('WORKER_CONFIRM_INVALID');
    const noConsent = await post('/api/v1/workers/confirm', {
      phone,
      code: sms.code,
      password: 'Worker2026pass',
      consent: { ...consent, accepted: false },
    });
    expect(noConsent.json().code).toBe('WORKER_CONSENT_REQUIRED');

    const ok = await post('/api/v1/workers/confirm', {
      phone,
      code: sms.code,
      password: 'Worker2026pass',
      consent,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ workerId: created.id, status: 'active', accountCreated: true });
    const again = await post('/api/v1/workers/confirm', {
      phone,
      code: sms.code,
      password: 'Worker2026pass',
      consent,
    });
    expect(again.statusCode).toBe(422);

    const cookie = await signIn(t, phone, 'Worker2026pass');
    const me = await get('/api/v1/workers/me', cookie);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: created.id, idNumber, status: 'active', companyId: co.orgId });
    const facts = await t.app.services.workers.trustFacts(created.id);
    expect(facts!.consent).not.toBeNull();
    expect(facts!.companyId).toBe(co.orgId);
  });

  test('a signed-in account confirms by linking; an inactive company cannot register', async () => {
    const co = await company(t);
    const existing = await account(t);
    const res = await post(
      `/api/v1/companies/${co.orgId}/workers`,
      { ...registration(), consent: undefined, phone: existing.phone },
      co.cookie,
    );
    expect(res.statusCode).toBe(201);
    const code = t.sms.latest(existing.phone)!.code;
    // Not signed in, the number already has an account: sign in first.
    const anon = await post('/api/v1/workers/confirm', {
      phone: existing.phone,
      code,
      password: 'Another2026pass',
      consent,
    });
    expect(anon.json().code).toBe('PHONE_TAKEN');
    const linked = await post(
      '/api/v1/workers/confirm',
      { phone: existing.phone, code, consent },
      existing.cookie,
    );
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toMatchObject({ userId: existing.userId, accountCreated: false });

    const pending = await company(t, { status: 'pending' });
    const refused = await post(
      `/api/v1/companies/${pending.orgId}/workers`,
      { ...registration(), consent: undefined, phone: uniquePhone() },
      pending.cookie,
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('COMPANY_NOT_ACTIVE');
  });
});

describe('masking, scoping and cross-company isolation', () => {
  test('each role sees what it needs: full ID for worker and regulator, masked for the employer, 404 otherwise', async () => {
    const w = await selfWorker(t);
    const coA = await company(t);
    const coB = await company(t);
    const hire = await post(
      `/api/v1/companies/${coA.orgId}/workers/${w.workerId}/employment`,
      { idNumber: w.idNumber },
      coA.cookie,
    );
    expect(hire.statusCode).toBe(201);

    const regulator = await account(t, [{ role: 'regulator' }]);
    const districtReg = await account(t, [{ role: 'regulator', district: '440106' }]);
    const otherDistrictReg = await account(t, [{ role: 'regulator', district: '440103' }]);
    const resident = await account(t);
    const admin = await account(t, [{ role: 'platform_admin' }]);

    const full = await get(`/api/v1/workers/${w.workerId}`, regulator.cookie);
    expect(full.statusCode).toBe(200);
    expect(full.json().idNumber).toBe(w.idNumber);
    expect((await get(`/api/v1/workers/${w.workerId}`, districtReg.cookie)).json().idNumber).toBe(w.idNumber);

    const employer = await get(`/api/v1/workers/${w.workerId}`, coA.cookie);
    expect(employer.statusCode).toBe(200);
    expect(employer.json()).toMatchObject({
      idNumber: maskIdCard(w.idNumber),
      idNumberMasked: true,
      birthDate: null,
    });
    expect(employer.body).not.toContain(w.idNumber);
    expect(employer.json().background.detail).toBeNull();

    for (const other of [coB.cookie, resident.cookie, otherDistrictReg.cookie, admin.cookie]) {
      const res = await get(`/api/v1/workers/${w.workerId}`, other);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(w.idNumber);
      expect((await get(`/api/v1/workers/${w.workerId}/documents`, other)).statusCode).toBe(404);
    }
    // Company B cannot list, hire or end A's worker.
    const listB = await get(`/api/v1/companies/${coB.orgId}/workers`, coB.cookie);
    expect(listB.json().items.map((i: { id: string }) => i.id)).not.toContain(w.workerId);
    expect((await get(`/api/v1/companies/${coA.orgId}/workers`, coB.cookie)).statusCode).toBe(404);
    const hireB = await post(
      `/api/v1/companies/${coB.orgId}/workers/${w.workerId}/employment`,
      { idNumber: uniqueIdNumber() },
      coB.cookie,
    );
    expect(hireB.statusCode).toBe(404);
    const endB = await post(
      `/api/v1/companies/${coB.orgId}/workers/${w.workerId}/employment/end`,
      { reason: 'x' },
      coB.cookie,
    );
    expect(endB.statusCode).toBe(404);
    const actAsA = await post(
      `/api/v1/companies/${coA.orgId}/workers/${w.workerId}/employment/end`,
      { reason: 'x' },
      coB.cookie,
    );
    expect(actAsA.statusCode).toBe(404);

    // The company list masks too.
    const listA = await get(`/api/v1/companies/${coA.orgId}/workers`, coA.cookie);
    expect(listA.body).not.toContain(w.idNumber);
    expect(listA.json().items[0].idNumberMasked).toBe(maskIdCard(w.idNumber));

    const viewed = await auditOf(w.workerId, 'worker.viewed');
    expect(viewed.filter((r) => r.outcome === 'ok').length).toBeGreaterThanOrEqual(3);
    expect(viewed.filter((r) => r.outcome === 'denied').length).toBeGreaterThanOrEqual(4);
    expect((await auditOf(w.workerId, 'worker.pii_viewed')).length).toBeGreaterThanOrEqual(2);
  });

  test('a district regulator works only in their district', async () => {
    const w = await selfWorker(t, { district: '440103' });
    const tianhe = await account(t, [{ role: 'regulator', district: '440106' }]);
    const check = await post(
      `/api/v1/regulator/workers/${w.workerId}/background-checks`,
      { state: 'clear', checkedOn: day(t) },
      tianhe.cookie,
    );
    expect(check.statusCode).toBe(404);
    const training = await post(
      `/api/v1/regulator/workers/${w.workerId}/training`,
      { courseName: '岗前培训', passed: true, score: 90, examDate: day(t) },
      tianhe.cookie,
    );
    expect(training.statusCode).toBe(404);
    const list = await get('/api/v1/regulator/workers?district=440103', tianhe.cookie);
    expect(list.json().items).toEqual([]);
    const own = await get('/api/v1/regulator/workers', tianhe.cookie);
    expect(own.json().items.every((i: { district: string }) => i.district === '440106')).toBe(true);
  });
});

describe('documents', () => {
  test('JPEG, PNG and PDF are stored; the file streams only to those who may see it, each view audited', async () => {
    const w = await selfWorker(t);
    const files = [
      { data: JPEG, filename: 'a.jpg', type: 'image/jpeg', kind: 'id_front', mime: 'image/jpeg' },
      { data: PNG, filename: 'b.png', type: 'image/png', kind: 'id_back', mime: 'image/png' },
      {
        data: PDF,
        filename: 'c.pdf',
        type: 'application/pdf',
        kind: 'criminal_record',
        mime: 'application/pdf',
      },
    ];
    const ids: Record<string, string> = {};
    for (const f of files) {
      const res = await upload(t, w.cookie, { kind: f.kind }, f);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ kind: f.kind, mime: f.mime, state: 'pending', current: true });
      ids[f.kind] = res.json().id;
    }
    const health = await upload(t, w.cookie, {
      kind: 'health',
      issuedOn: day(t, -10),
      expiresOn: day(t, 300),
      number: 'JK2026-001',
    });
    expect(health.statusCode).toBe(201);
    ids.health = health.json().id;

    const own = await get(`/api/v1/documents/${ids.id_front}/file`, w.cookie);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/jpeg');
    expect(own.headers['content-disposition']).toMatch(/^attachment/);
    expect(own.headers['cache-control']).toBe('no-store');
    expect(own.rawPayload.equals(JPEG)).toBe(true);

    const co = await company(t);
    await post(
      `/api/v1/companies/${co.orgId}/workers/${w.workerId}/employment`,
      { idNumber: w.idNumber },
      co.cookie,
    );
    expect((await get(`/api/v1/documents/${ids.health}/file`, co.cookie)).statusCode).toBe(200);
    expect((await get(`/api/v1/documents/${ids.criminal_record}/file`, co.cookie)).statusCode).toBe(404);
    expect((await get(`/api/v1/documents/${ids.id_front}/file`, co.cookie)).statusCode).toBe(404);
    const coDocs = await get(`/api/v1/workers/${w.workerId}/documents`, co.cookie);
    expect(coDocs.json().items.map((d: { kind: string }) => d.kind)).toEqual(['health']);
    expect(coDocs.json().items[0].number).toBeNull();

    const regulator = await account(t, [{ role: 'regulator' }]);
    const reg = await get(`/api/v1/documents/${ids.criminal_record}/file`, regulator.cookie);
    expect(reg.statusCode).toBe(200);
    expect(reg.headers['content-type']).toBe('application/pdf');
    const stranger = await account(t);
    expect((await get(`/api/v1/documents/${ids.health}/file`, stranger.cookie)).statusCode).toBe(404);

    const views = await auditOf(w.workerId, 'worker.document_viewed');
    expect(views.filter((v) => v.outcome === 'ok')).toHaveLength(3);
    expect(views.filter((v) => v.outcome === 'denied')).toHaveLength(3);

    const mine = await get('/api/v1/workers/me/documents', w.cookie);
    expect(mine.json().items).toHaveLength(4);
  });

  test('a renamed executable is 415 and an oversized file 413; nothing stored', async () => {
    const w = await selfWorker(t);
    const count = async () =>
      (await t.database.db.select().from(workerDocument).where(eq(workerDocument.workerId, w.workerId)))
        .length;
    const elf = await upload(
      t,
      w.cookie,
      { kind: 'health', issuedOn: day(t, -1), expiresOn: day(t, 200) },
      { data: ELF, filename: 'health.jpg', type: 'image/jpeg' },
    );
    expect(elf.statusCode).toBe(415);
    expect(elf.json().code).toBe('FILE_TYPE_NOT_ALLOWED');
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 + 10, 0)]);
    const tooBig = await upload(
      t,
      w.cookie,
      { kind: 'skill' },
      { data: big, filename: 'big.png', type: 'image/png' },
    );
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('FILE_TOO_LARGE');
    const json = await post('/api/v1/workers/me/documents', { kind: 'skill' }, w.cookie);
    expect(json.statusCode).toBe(415);
    expect(await count()).toBe(0);
    expect(await t.app.storage.exists(`workers/${w.workerId}`)).toBe(false);
  });

  test('a health certificate needs an expiry at most one year after issue', async () => {
    const w = await selfWorker(t);
    const cases: Record<string, string>[] = [
      { kind: 'health', issuedOn: day(t, -10) },
      { kind: 'health', issuedOn: day(t, -10), expiresOn: day(t, 400) },
      { kind: 'health', issuedOn: day(t, -10), expiresOn: day(t, -20) },
      { kind: 'passport' },
      { kind: 'health', issuedOn: '2026-13-01', expiresOn: day(t, 10) },
    ];
    for (const fields of cases) {
      const res = await upload(t, w.cookie, fields);
      expect(res.statusCode).toBe(422);
    }
  });

  test('review queue: filters, keyset pages, reason to reject, bulk, ID sides verify identity, district scope', async () => {
    const w = await selfWorker(t, { district: '440105' });
    const front = (await upload(t, w.cookie, { kind: 'id_front' })).json().id;
    const back = (await upload(t, w.cookie, { kind: 'id_back' })).json().id;
    const skill = (await upload(t, w.cookie, { kind: 'skill' })).json().id;
    const regulator = await account(t, [{ role: 'regulator' }]);
    const haizhu = await account(t, [{ role: 'regulator', district: '440105' }]);
    const tianhe = await account(t, [{ role: 'regulator', district: '440106' }]);

    const page1 = await get('/api/v1/regulator/documents?district=440105&limit=2', regulator.cookie);
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items).toHaveLength(2);
    const page2 = await get(
      `/api/v1/regulator/documents?district=440105&limit=2&cursor=${page1.json().nextCursor}`,
      regulator.cookie,
    );
    const seen = [...page1.json().items, ...page2.json().items].map((d: { id: string }) => d.id);
    expect(seen).toEqual(expect.arrayContaining([front, back, skill]));
    const tianheQueue = await get('/api/v1/regulator/documents?limit=100', tianhe.cookie);
    expect(tianheQueue.json().items.map((d: { id: string }) => d.id)).not.toContain(front);
    expect((await get('/api/v1/regulator/documents?limit=101', regulator.cookie)).statusCode).toBe(422);
    const kindOnly = await get('/api/v1/regulator/documents?kind=skill&district=440105', regulator.cookie);
    expect(kindOnly.json().items.map((d: { id: string }) => d.id)).toEqual([skill]);

    expect(
      (await post(`/api/v1/regulator/documents/${front}/review`, { decision: 'approve' }, tianhe.cookie))
        .statusCode,
    ).toBe(404);
    const noReason = await post(
      `/api/v1/regulator/documents/${skill}/review`,
      { decision: 'reject' },
      haizhu.cookie,
    );
    expect(noReason.statusCode).toBe(422);
    const rejected = await post(
      `/api/v1/regulator/documents/${skill}/review`,
      { decision: 'reject', reason: '证书照片模糊' },
      haizhu.cookie,
    );
    expect(rejected.json()).toMatchObject({ state: 'rejected', reason: '证书照片模糊' });
    const twice = await post(
      `/api/v1/regulator/documents/${skill}/review`,
      { decision: 'approve' },
      haizhu.cookie,
    );
    expect(twice.statusCode).toBe(409);

    const bulk = await post(
      '/api/v1/regulator/documents/review',
      { ids: [front, back, skill], decision: 'approve' },
      regulator.cookie,
    );
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json().results).toEqual([
      { id: front, ok: true, code: null },
      { id: back, ok: true, code: null },
      { id: skill, ok: false, code: 'DOCUMENT_ALREADY_REVIEWED' },
    ]);
    const facts = await t.app.services.workers.trustFacts(w.workerId);
    expect(facts!.identity.verified).toBe(true);
    expect(facts!.skillCert.state).toBe('rejected');
    expect((await auditOf(w.workerId, 'worker.document_reviewed')).length).toBe(3);
    // The bulk request is audited as a whole, refused items included; one whose items all fail too.
    const none = await post(
      '/api/v1/regulator/documents/review',
      { ids: ['doc_00000000000000000000000000'], decision: 'approve' },
      regulator.cookie,
    );
    expect(none.json().results).toEqual([
      { id: 'doc_00000000000000000000000000', ok: false, code: 'NOT_FOUND' },
    ]);
    const bulkRows = await t.database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, 'worker.documents_bulk_reviewed'), eq(auditLog.actorId, regulator.userId)),
      )
      .orderBy(auditLog.seq);
    expect(bulkRows.slice(-2).map((r) => r.detail)).toEqual([
      { decision: 'approve', reviewed: 2, refused: [{ id: skill, code: 'DOCUMENT_ALREADY_REVIEWED' }] },
      {
        decision: 'approve',
        reviewed: 0,
        refused: [{ id: 'doc_00000000000000000000000000', code: 'NOT_FOUND' }],
      },
    ]);

    // A new ID scan supersedes the old one and needs matching again.
    const newFront = await upload(t, w.cookie, { kind: 'id_front' });
    expect(newFront.statusCode).toBe(201);
    expect((await t.app.services.workers.trustFacts(w.workerId))!.identity.verified).toBe(false);
    const old = await post(
      `/api/v1/regulator/documents/${front}/review`,
      { decision: 'approve' },
      regulator.cookie,
    );
    expect(old.statusCode).toBe(409);
  });
});

describe('checks, training, employment and trust facts', () => {
  test('trust facts follow each state, with health expiry by the clock', async () => {
    const w = await selfWorker(t);
    const svc = t.app.services.workers;
    let f = (await svc.trustFacts(w.workerId))!;
    expect(f).toMatchObject({
      workerId: w.workerId,
      userId: w.userId,
      name: '张秀芳',
      photoKey: null,
      district: '440106',
      categories: ['cleaning', 'maternity'],
      skillLevel: 'level4',
      maternityStars: 3,
      companyId: null,
      identity: { verified: false, verifiedAt: null },
      health: { state: 'missing', validUntil: null },
      background: { state: 'missing', checkedOn: null },
      skillCert: { state: 'missing' },
      training: { state: 'missing', passedOn: null },
    });
    expect(f.consent!.acceptedAt).toBeInstanceOf(Date);
    expect(await svc.trustFacts('wk_00000000000000000000000000')).toBeNull();
    expect(await svc.findWorkerIdByUser(w.userId)).toBe(w.workerId);

    const regulator = await account(t, [{ role: 'regulator' }]);
    const validUntil = day(t, 30);
    const health = (
      await upload(t, w.cookie, { kind: 'health', issuedOn: day(t, -300), expiresOn: validUntil })
    ).json().id;
    const skill = (await upload(t, w.cookie, { kind: 'skill', issuedOn: day(t, -300) })).json().id;
    f = (await svc.trustFacts(w.workerId))!;
    expect(f.health.state).toBe('pending');
    expect(f.skillCert.state).toBe('pending');
    await post(
      '/api/v1/regulator/documents/review',
      { ids: [health, skill], decision: 'approve' },
      regulator.cookie,
    );

    const pendingCheck = await post(
      `/api/v1/regulator/workers/${w.workerId}/background-checks`,
      { state: 'pending' },
      regulator.cookie,
    );
    expect(pendingCheck.json()).toMatchObject({ provider: 'manual', reference: `manual-${w.workerId}` });
    expect((await svc.trustFacts(w.workerId))!.background.state).toBe('pending');
    const evidence = (
      await upload(
        t,
        w.cookie,
        { kind: 'criminal_record' },
        { data: PDF, filename: 'p.pdf', type: 'application/pdf' },
      )
    ).json().id;
    const clear = await post(
      `/api/v1/regulator/workers/${w.workerId}/background-checks`,
      { state: 'clear', checkedOn: day(t, -1), reference: 'GA-2026-0001', evidenceDocumentId: evidence },
      regulator.cookie,
    );
    expect(clear.statusCode).toBe(201);
    const failed = await post(
      `/api/v1/regulator/workers/${w.workerId}/training`,
      { courseName: '家政服务员岗前培训', passed: false, score: 52, examDate: day(t, -20) },
      regulator.cookie,
    );
    expect(failed.statusCode).toBe(201);
    expect((await svc.trustFacts(w.workerId))!.training).toEqual({ state: 'failed', passedOn: null });
    await post(
      `/api/v1/regulator/workers/${w.workerId}/training`,
      { courseName: '家政服务员岗前培训', passed: true, score: 88, examDate: day(t, -5) },
      regulator.cookie,
    );

    f = (await svc.trustFacts(w.workerId))!;
    expect(f.health).toEqual({ state: 'valid', validUntil });
    expect(f.skillCert).toEqual({ state: 'valid' });
    expect(f.background).toEqual({ state: 'clear', checkedOn: day(t, -1) });
    expect(f.training).toEqual({ state: 'passed', passedOn: day(t, -5) });
    expect(await svc.listWorkerIdsWithHealthExpiringBetween(day(t, 29), day(t, 31))).toContain(w.workerId);
    expect(await svc.listWorkerIdsWithHealthExpiringBetween(day(t, 31), day(t, 60))).not.toContain(
      w.workerId,
    );

    // The worker sees the background detail; the employer only "passed" and the date.
    const mine = (await get('/api/v1/workers/me', w.cookie)).json();
    expect(mine.background).toMatchObject({
      passed: true,
      detail: { state: 'clear', reference: 'GA-2026-0001' },
    });
    const co = await company(t);
    await post(
      `/api/v1/companies/${co.orgId}/workers/${w.workerId}/employment`,
      { idNumber: w.idNumber },
      co.cookie,
    );
    const employerView = await get(`/api/v1/workers/${w.workerId}`, co.cookie);
    expect(employerView.json().background).toEqual({ passed: true, checkedOn: day(t, -1), detail: null });
    expect(employerView.body).not.toContain('GA-2026-0001');

    // The last valid day is still valid; the day after, expired — by the clock, nothing stored.
    t.clock.advance(30 * 86_400_000);
    expect((await svc.trustFacts(w.workerId))!.health).toEqual({ state: 'valid', validUntil });
    t.clock.advance(86_400_000);
    expect((await svc.trustFacts(w.workerId))!.health).toEqual({ state: 'expired', validUntil });
    t.clock.advance(-31 * 86_400_000);

    await post(
      `/api/v1/regulator/workers/${w.workerId}/background-checks`,
      { state: 'record_found', checkedOn: day(t) },
      regulator.cookie,
    );
    expect((await svc.trustFacts(w.workerId))!.background.state).toBe('record_found');
  });

  test('one open employment at a time; ending keeps history; hiring needs the ID number', async () => {
    const w = await selfWorker(t);
    const coA = await company(t);
    const coB = await company(t, { role: 'staff' });
    const url = (co: string) => `/api/v1/companies/${co}/workers/${w.workerId}/employment`;
    expect((await post(url(coA.orgId), { idNumber: uniqueIdNumber() }, coA.cookie)).statusCode).toBe(404);
    const hired = await post(url(coA.orgId), { idNumber: w.idNumber }, coA.cookie);
    expect(hired.statusCode).toBe(201);
    const dup = await post(url(coA.orgId), { idNumber: w.idNumber }, coA.cookie);
    expect(dup.json().code).toBe('WORKER_ALREADY_EMPLOYED');
    const other = await post(url(coB.orgId), { idNumber: w.idNumber }, coB.cookie);
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('WORKER_ALREADY_EMPLOYED');

    const ended = await post(`${url(coA.orgId)}/end`, { reason: '合同期满' }, coA.cookie);
    expect(ended.statusCode).toBe(200);
    expect(ended.json().endedReason).toBe('合同期满');
    expect((await post(`${url(coA.orgId)}/end`, { reason: '再次' }, coA.cookie)).json().code).toBe(
      'WORKER_NOT_EMPLOYED',
    );
    expect((await get(`/api/v1/workers/${w.workerId}`, coA.cookie)).statusCode).toBe(404);

    expect((await post(url(coB.orgId), { idNumber: w.idNumber }, coB.cookie)).statusCode).toBe(201);
    const rows = await t.database.db.select().from(employment).where(eq(employment.workerId, w.workerId));
    expect(rows).toHaveLength(2);
    expect((await t.app.services.workers.trustFacts(w.workerId))!.companyId).toBe(coB.orgId);
  });

  test('a signed-out caller gets 401; a non-worker 403 on worker routes', async () => {
    expect((await get('/api/v1/workers/me')).statusCode).toBe(401);
    const resident = await account(t);
    expect((await get('/api/v1/workers/me', resident.cookie)).statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: resident.cookie },
    });
    expect(cookieFrom(res)).toBeDefined();
  });
});

describe('withdrawing consent (撤回授权, PIPL Art 15)', () => {
  test('after withdrawal nothing new is collected and the consent check fails; accepting again restores both', async () => {
    const w = await selfWorker(t);
    const reg = await account(t, [{ role: 'regulator' }]);
    const withdrawn = await post('/api/v1/workers/me/consent/withdraw', {}, w.cookie);
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().consentAcceptedAt).toBeNull();
    expect(await auditOf(w.workerId, 'worker.consent_withdrawn')).toHaveLength(1);
    const twice = await post('/api/v1/workers/me/consent/withdraw', {}, w.cookie);
    expect(twice.json().code).toBe('WORKER_CONSENT_STATE');

    const before = await t.database.db
      .select()
      .from(workerDocument)
      .where(eq(workerDocument.workerId, w.workerId));
    const doc = await upload(t, w.cookie, { kind: 'health', issuedOn: day(t, -10), expiresOn: day(t, 300) });
    expect(doc.statusCode).toBe(409);
    expect(doc.json().code).toBe('WORKER_CONSENT_WITHDRAWN');
    const bg = await post(
      `/api/v1/regulator/workers/${w.workerId}/background-checks`,
      { state: 'clear', checkedOn: day(t, -1) },
      reg.cookie,
    );
    expect(bg.json().code).toBe('WORKER_CONSENT_WITHDRAWN');
    const after = await t.database.db
      .select()
      .from(workerDocument)
      .where(eq(workerDocument.workerId, w.workerId));
    expect(after).toHaveLength(before.length);
    const checks = await get(`/api/v1/workers/${w.workerId}/certification`, reg.cookie);
    expect(checks.json().checks.find((c: { key: string }) => c.key === 'consent')).toMatchObject({
      ok: false,
    });

    const wrong = await post(
      '/api/v1/workers/me/consent',
      { consent: { version: 'v0', accepted: true } },
      w.cookie,
    );
    expect(wrong.json().code).toBe('WORKER_CONSENT_REQUIRED');
    const text = (await get('/api/v1/workers/consent-text')).json();
    const again = await post(
      '/api/v1/workers/me/consent',
      { consent: { version: text.version, accepted: true } },
      w.cookie,
    );
    expect(again.statusCode).toBe(200);
    expect(again.json().consentAcceptedAt).not.toBeNull();
    const consents = await t.database.db
      .select()
      .from(workerConsent)
      .where(eq(workerConsent.workerId, w.workerId));
    expect(consents.map((c) => c.withdrawnAt === null).sort()).toEqual([false, true]);
    const ok = await upload(t, w.cookie, { kind: 'health', issuedOn: day(t, -10), expiresOn: day(t, 300) });
    expect(ok.statusCode).toBe(201);
  });
});
