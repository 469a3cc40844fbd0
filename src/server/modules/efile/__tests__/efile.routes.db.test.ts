import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { worker, workerDocument } from '../../../platform/db/schema.js';
import { account, company, day, selfWorker, upload } from '../../../../../test/factories/workers.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const get = (url: string, cookie?: string) =>
  t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const post = (url: string, payload: unknown, cookie?: string) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: cookie ? { cookie } : {} });

/** A worker with documents, training, a background check and an employer. */
async function fullWorker() {
  const w = await selfWorker(t);
  const reg = await account(t, [{ role: 'regulator', district: null }], '赵监管');
  const co = await company(t, `安心测试家政${Math.random().toString(36).slice(2, 6)}`);
  expect(
    (await upload(t, w.cookie, { kind: 'health', issuedOn: day(t, -30), expiresOn: day(t, 300) })).statusCode,
  ).toBe(201);
  expect((await upload(t, w.cookie, { kind: 'criminal_record', issuedOn: day(t, -10) })).statusCode).toBe(
    201,
  );
  const trn = await post(
    `/api/v1/regulator/workers/${w.workerId}/training`,
    { courseName: '家政服务员岗前培训', passed: true, score: 88, examDate: day(t, -5) },
    reg.cookie,
  );
  expect(trn.statusCode).toBe(201);
  const bgc = await post(
    `/api/v1/regulator/workers/${w.workerId}/background-checks`,
    { state: 'clear', checkedOn: day(t, -3), reference: 'GA-2026-0001' },
    reg.cookie,
  );
  expect(bgc.statusCode).toBe(201);
  const hire = await post(
    `/api/v1/companies/${co.orgId}/workers/${w.workerId}/employment`,
    { idNumber: w.idNumber },
    co.cookie,
  );
  expect(hire.statusCode).toBe(201);
  return { w, reg, co };
}

describe('the worker sees the whole record', () => {
  test('profile with full ID number (audited), documents, status, training, check, work history, honest empty sections', async () => {
    const { w, co } = await fullWorker();
    const res = await get('/api/v1/workers/me/file', w.cookie);
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.profile.idNumber).toBe(w.idNumber);
    expect(f.profile.name).toBe('张秀芳');
    // A self-registered worker's phone lives on the account, not in the worker record.
    expect(f.profile.phone).toBeNull();
    expect(f.documents.map((d: { kind: string }) => d.kind).sort()).toEqual(['criminal_record', 'health']);
    expect(f.documents[0].state).toBe('pending');
    expect(f.documents[0].downloadPath).toMatch(/^\/api\/v1\/documents\/doc_/);
    expect(f.certificate).toBeNull();
    expect(f.status.color).toBe('yellow');
    expect(f.status.colorLabel).toContain('黄码');
    expect(f.status.reasonLabel).toBeTruthy();
    expect(f.training[0]).toMatchObject({ courseName: '家政服务员岗前培训', passed: true, score: 88 });
    expect(f.backgroundChecks[0]).toMatchObject({ state: 'clear', reference: 'GA-2026-0001' });
    expect(f.workHistory.employment[0]).toMatchObject({ companyId: co.orgId, endedAt: null });
    expect(f.workHistory.employment[0].companyName).toContain('安心测试家政');
    // Orders come from the orders module: none yet for this worker, but the section is live.
    expect(f.workHistory.orders).toEqual({ available: true, items: [], message: null });
    // Later modules' sections are live and empty for a new worker; credit says it has not rated them yet.
    for (const s of [f.workHistory.contracts, f.reviews, f.complaints, f.insurance])
      expect(s).toEqual({ available: true, items: [], message: null });
    expect(f.credit).toMatchObject({
      available: false,
      items: [],
      message: { 'zh-CN': expect.stringContaining('尚未评定') },
    });
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, w.workerId), eq(auditLog.action, 'worker.pii_viewed')));
    expect(rows.some((r) => (r.detail as { part?: string }).part === 'efile')).toBe(true);
  });

  test('a resident without the worker role is refused; a worker account without a record gets 404', async () => {
    const r = await account(t);
    expect((await get('/api/v1/workers/me/file', r.cookie)).statusCode).toBe(403);
    const lone = await account(t, [{ role: 'worker' }]);
    expect((await get('/api/v1/workers/me/file', lone.cookie)).statusCode).toBe(404);
  });
});

describe('in-app grants and the access log', () => {
  test('request → approve → view → expiry; stranger 404; access log shows the regulator and the grantee', async () => {
    const { w, reg } = await fullWorker();
    const resident = await account(t, [{ role: 'resident' }], '陈居民');
    const stranger = await account(t, [{ role: 'resident' }], '路人甲');

    // No grant yet: the same 404 as for a worker that does not exist.
    const before = await get(`/api/v1/workers/${w.workerId}/file`, resident.cookie);
    expect(before.statusCode).toBe(404);
    expect(before.json().code).toBe('EFILE_GRANT_INVALID');
    const nobody = await get('/api/v1/workers/wk_00000000000000000000000000/file', resident.cookie);
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().code).toBe('EFILE_GRANT_INVALID');

    // The regulator in jurisdiction always sees it.
    const asReg = await get(`/api/v1/workers/${w.workerId}/file`, reg.cookie);
    expect(asReg.statusCode).toBe(200);
    expect(asReg.json().via).toBe('regulator');
    const outOfDistrict = await account(t, [{ role: 'regulator', district: '440111' }]);
    expect((await get(`/api/v1/workers/${w.workerId}/file`, outOfDistrict.cookie)).statusCode).toBe(404);

    const req = await post(
      `/api/v1/workers/${w.workerId}/access-requests`,
      { reason: '想请她做月嫂，先看看档案' },
      resident.cookie,
    );
    expect(req.statusCode).toBe(201);
    expect(req.json()).toMatchObject({ state: 'pending', requesterKind: 'resident' });
    const dup = await post(
      `/api/v1/workers/${w.workerId}/access-requests`,
      { reason: '再申请一次' },
      resident.cookie,
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('EFILE_REQUEST_PENDING');
    const bad = await post(
      `/api/v1/workers/${w.workerId}/access-requests`,
      { reason: 'x', extra: 1 },
      resident.cookie,
    );
    expect(bad.statusCode).toBe(422);

    // The worker was told, sees the request (masked name, no phone) and approves for 24 hours.
    const notes = (await get('/api/v1/me/notifications', w.cookie)).json();
    expect(JSON.stringify(notes)).toContain('申请查看您的档案');
    const list = await get('/api/v1/workers/me/access-requests', w.cookie);
    expect(list.statusCode).toBe(200);
    const pending = list.json().items[0];
    expect(pending.requester.maskedName).toBe('陈*民');
    expect(JSON.stringify(list.json())).not.toContain(resident.phone);
    const ok = await post(
      `/api/v1/workers/me/access-requests/${pending.id}/decision`,
      { decision: 'approve', expiresInHours: 24, scope: 'full' },
      w.cookie,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json().state).toBe('approved');
    const again = await post(
      `/api/v1/workers/me/access-requests/${pending.id}/decision`,
      { decision: 'decline' },
      w.cookie,
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('EFILE_REQUEST_CLOSED');
    expect(JSON.stringify((await get('/api/v1/me/notifications', resident.cookie)).json())).toContain(
      '已同意',
    );

    const access = await get(`/api/v1/workers/${w.workerId}/file-access`, resident.cookie);
    expect(access.json().grant.scope).toBe('full');
    const view = await get(`/api/v1/workers/${w.workerId}/file`, resident.cookie);
    expect(view.statusCode).toBe(200);
    const file = view.json();
    expect(file.via).toBe('grant');
    expect(file.worker.maskedName).toBe('张*芳');
    expect(file.worker.idNumberMasked).toMatch(/^4401\*+\w{4}$/);
    expect(file.background).toEqual({ passed: true, checkedOn: day(t, -3) });
    expect(file.documents.length).toBe(2);
    expect(file.training[0].passed).toBe(true);
    expect(file.employment.length).toBe(1);
    for (const body of [view.body, asReg.body]) {
      expect(body).not.toContain(w.idNumber);
      expect(body).not.toContain(w.phone);
      expect(body).not.toContain('GA-2026-0001');
    }
    // Someone else still sees nothing.
    expect((await get(`/api/v1/workers/${w.workerId}/file`, stranger.cookie)).statusCode).toBe(404);

    // Views by others appear in the access log; the worker's own views do not; no phone numbers anywhere.
    const log = await get('/api/v1/workers/me/access-log?limit=50', w.cookie);
    expect(log.statusCode).toBe(200);
    const items = log.json().items as {
      via: string;
      what: string;
      viewer: { role: string; maskedName: string };
    }[];
    expect(
      items.some((i) => i.via === 'regulator' && i.what === 'efile' && i.viewer.role === 'regulator'),
    ).toBe(true);
    expect(
      items.some((i) => i.via === 'grant' && i.viewer.role === 'resident' && i.viewer.maskedName === '陈*民'),
    ).toBe(true);
    expect(log.body).not.toContain(resident.phone);
    expect(log.body).not.toContain(reg.phone);
    expect(log.body).not.toMatch(/1\d{2}\*{4}\d{4}/);

    // Keyset pages: two at a time, no repeats (a third view makes a second page).
    expect((await get(`/api/v1/workers/${w.workerId}/file`, reg.cookie)).statusCode).toBe(200);
    const p1 = (await get('/api/v1/workers/me/access-log?limit=2', w.cookie)).json();
    expect(p1.nextCursor).toEqual(expect.any(String));
    const p2res = await get(`/api/v1/workers/me/access-log?limit=2&cursor=${p1.nextCursor}`, w.cookie);
    expect(p2res.statusCode).toBe(200);
    const p2 = p2res.json();
    expect(p1.items.length).toBe(2);
    expect(p2.items[0].id).not.toBe(p1.items[1].id);
    expect((await get('/api/v1/workers/me/access-log?cursor=garbage', w.cookie)).statusCode).toBe(422);

    // After expiry the grantee is back to 404.
    t.clock.advance(25 * 3600_000);
    const late = await get(`/api/v1/workers/${w.workerId}/file`, resident.cookie);
    expect(late.statusCode).toBe(404);
    expect(late.json().code).toBe('EFILE_GRANT_INVALID');
  });

  test('a company asks, the worker declines, the company is told and sees nothing', async () => {
    const w = await selfWorker(t);
    const co = await company(t);
    const req = await post(
      `/api/v1/workers/${w.workerId}/access-requests`,
      { reason: '招聘前核实' },
      co.cookie,
    );
    expect(req.statusCode).toBe(201);
    expect(req.json().requesterKind).toBe('company');
    expect(req.json().requester.orgName).toContain('安心测试家政');
    const no = await post(
      `/api/v1/workers/me/access-requests/${req.json().id}/decision`,
      { decision: 'decline' },
      w.cookie,
    );
    expect(no.json().state).toBe('declined');
    expect(JSON.stringify((await get('/api/v1/me/notifications', co.cookie)).json())).toContain('未同意');
    expect((await get(`/api/v1/workers/${w.workerId}/file`, co.cookie)).statusCode).toBe(404);
  });
});

describe('share links', () => {
  test('valid, masked, then tampered, revoked and expired links are the same 404', async () => {
    const { w } = await fullWorker();
    const bad = await post(
      '/api/v1/workers/me/grants',
      { kind: 'link', expiresInHours: 169, scope: 'basic' },
      w.cookie,
    );
    expect(bad.statusCode).toBe(422);
    const zero = await post(
      '/api/v1/workers/me/grants',
      { kind: 'link', expiresInHours: 0, scope: 'basic' },
      w.cookie,
    );
    expect(zero.statusCode).toBe(422);

    const made = await post(
      '/api/v1/workers/me/grants',
      { kind: 'link', expiresInHours: 2, scope: 'basic' },
      w.cookie,
    );
    expect(made.statusCode).toBe(201);
    const { token, url, grant } = made.json();
    expect(url).toMatch(new RegExp(`/shared/${token}$`));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored; the list never returns the token again.
    const grants = await get('/api/v1/workers/me/grants', w.cookie);
    expect(grants.body).not.toContain(token);
    expect(grants.json().items[0]).toMatchObject({ id: grant.id, state: 'active', kind: 'link' });

    const shared = await get(`/api/v1/shared/worker-files/${token}`);
    expect(shared.statusCode).toBe(200);
    const f = shared.json();
    expect(f.via).toBe('link');
    expect(f.scope).toBe('basic');
    expect(f.documents).toBeNull();
    expect(f.certificate).toBeNull();
    expect(shared.body).not.toContain(w.idNumber);
    expect(shared.body).not.toContain(w.phone);

    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const tk of [tampered, 'short', `${token}x`]) {
      const res = await get(`/api/v1/shared/worker-files/${tk}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('EFILE_GRANT_INVALID');
    }

    // A full-scope link shows documents, but never the ID number or criminal-record detail.
    const full = (
      await post('/api/v1/workers/me/grants', { kind: 'link', expiresInHours: 1, scope: 'full' }, w.cookie)
    ).json();
    const fullView = await get(`/api/v1/shared/worker-files/${full.token}`);
    expect(fullView.json().documents.length).toBe(2);
    expect(fullView.body).not.toContain(w.idNumber);
    expect(fullView.body).not.toContain('GA-2026-0001');

    const revoked = await post(`/api/v1/workers/me/grants/${grant.id}/revoke`, {}, w.cookie);
    expect(revoked.json().state).toBe('revoked');
    const afterRevoke = await get(`/api/v1/shared/worker-files/${token}`);
    expect(afterRevoke.statusCode).toBe(404);
    expect(afterRevoke.json().code).toBe('EFILE_GRANT_INVALID');

    t.clock.advance(61 * 60_000);
    const expired = await get(`/api/v1/shared/worker-files/${full.token}`);
    expect(expired.statusCode).toBe(404);
    expect(expired.json().code).toBe('EFILE_GRANT_INVALID');

    // Another worker cannot revoke this worker's grant.
    const other = await selfWorker(t);
    expect(
      (await post(`/api/v1/workers/me/grants/${full.grant.id}/revoke`, {}, other.cookie)).statusCode,
    ).toBe(404);

    const log = (await get('/api/v1/workers/me/access-log', w.cookie)).json();
    const linkViews = log.items.filter((i: { via: string }) => i.via === 'link');
    expect(linkViews.length).toBe(2);
    expect(linkViews[0].viewer).toEqual({ maskedName: null, role: 'link_holder', orgName: null });
  });
});

describe('export', () => {
  test('JSON holds every section with document download paths; PDF is a real PDF; both audited', async () => {
    const { w } = await fullWorker();
    await t.app.services.notifications.notify({
      userId: w.userId,
      kind: 'test.notice',
      title: '测试通知',
      body: '正文',
    });
    const json = await get('/api/v1/workers/me/export.json', w.cookie);
    expect(json.statusCode).toBe(200);
    const x = json.json();
    expect(x.format).toBe('anxin.worker-efile');
    for (const k of [
      'profile',
      'consents',
      'documents',
      'certificate',
      'status',
      'training',
      'backgroundChecks',
      'workHistory',
      'reviews',
      'complaints',
      'credit',
      'insurance',
      'grants',
      'accessRequests',
      'deletionRequests',
      'accessLog',
      'account',
    ])
      expect(x).toHaveProperty(k);
    // The account's own roles and notices are part of the copy (PIPL Art 45).
    expect(x.account.roles.map((r: { role: string }) => r.role)).toEqual(expect.arrayContaining(['worker']));
    expect(x.account.notifications.map((n: { title: string }) => n.title)).toContain('测试通知');
    expect(x.profile.idNumber).toBe(w.idNumber);
    expect(x.consents.length).toBe(1);
    expect(x.documents[0]).toMatchObject({
      sha256: expect.any(String),
      downloadPath: expect.stringMatching(/\/file$/),
    });
    const dl = await get(x.documents[0].downloadPath, w.cookie);
    expect(dl.statusCode).toBe(200);

    const pdf = await get('/api/v1/workers/me/export.pdf', w.cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(10_000);

    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, w.workerId), eq(auditLog.action, 'efile.exported')));
    expect(rows.map((r) => (r.detail as { format: string }).format).sort()).toEqual(['json', 'pdf']);
  });
});

describe('deletion', () => {
  test('request with a 15-working-day deadline, admin completes: erased and kept as documented', async () => {
    const { w } = await fullWorker();
    const admin = await account(t, [{ role: 'platform_admin' }]);
    const link = (
      await post('/api/v1/workers/me/grants', { kind: 'link', expiresInHours: 24, scope: 'full' }, w.cookie)
    ).json();
    const [docBefore] = await t.database.db
      .select()
      .from(workerDocument)
      .where(eq(workerDocument.workerId, w.workerId));
    expect(await t.app.storage.exists(docBefore!.fileKey)).toBe(true);

    expect((await post('/api/v1/workers/me/deletion-request', {}, w.cookie)).statusCode).toBe(422);
    const req = await post('/api/v1/workers/me/deletion-request', { reason: '不再从事家政工作' }, w.cookie);
    expect(req.statusCode).toBe(201);
    const r = req.json();
    expect(r.state).toBe('pending');
    expect(r.dueOn > day(t, 18)).toBe(true);
    expect(r.dueOn <= day(t, 23)).toBe(true);
    const dup = await post('/api/v1/workers/me/deletion-request', { reason: '再次申请' }, w.cookie);
    expect(dup.json().code).toBe('EFILE_DELETION_PENDING');
    expect((await get('/api/v1/workers/me/deletion-requests', w.cookie)).json().items[0].id).toBe(r.id);

    const queue = await get('/api/v1/admin/deletion-requests', admin.cookie);
    expect(queue.json().items.some((i: { id: string }) => i.id === r.id)).toBe(true);

    const done = await post(
      `/api/v1/admin/deletion-requests/${r.id}/complete`,
      { note: '已按规定删除' },
      admin.cookie,
    );
    expect(done.statusCode).toBe(200);
    expect(done.json().state).toBe('completed');
    expect(
      (await post(`/api/v1/admin/deletion-requests/${r.id}/complete`, {}, admin.cookie)).json().code,
    ).toBe('EFILE_DELETION_CLOSED');

    const [row] = await t.database.db.select().from(worker).where(eq(worker.id, w.workerId));
    expect(row).toMatchObject({
      status: 'deleted',
      idNumberEnc: '',
      phoneEnc: null,
      phoneHash: null,
      photoFileKey: null,
      intro: null,
    });
    expect(row!.idNumberHash).toBe(`erased:${w.workerId}`);
    expect(row!.name).toBe('张秀芳');
    const docs = await t.database.db
      .select()
      .from(workerDocument)
      .where(eq(workerDocument.workerId, w.workerId));
    expect(docs.length).toBe(2);
    expect(docs.every((d) => d.fileKey === '' && d.number === null)).toBe(true);
    expect(await t.app.storage.exists(docBefore!.fileKey)).toBe(false);

    // The file is gone for the worker and every viewer; audit rows stay.
    expect((await get('/api/v1/workers/me/file', w.cookie)).statusCode).toBe(404);
    expect((await get(`/api/v1/shared/worker-files/${link.token}`)).statusCode).toBe(404);
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, w.workerId));
    expect(audit.some((a) => a.action === 'efile.deletion_completed')).toBe(true);
    expect(audit.some((a) => a.action === 'worker.registered')).toBe(true);
  });

  test('admin refuses with a reason; the worker is told and the file stays', async () => {
    const w = await selfWorker(t);
    const admin = await account(t, [{ role: 'platform_admin' }]);
    const r = (await post('/api/v1/workers/me/deletion-request', { reason: '想删除资料' }, w.cookie)).json();
    expect((await post(`/api/v1/admin/deletion-requests/${r.id}/refuse`, {}, admin.cookie)).statusCode).toBe(
      422,
    );
    const no = await post(
      `/api/v1/admin/deletion-requests/${r.id}/refuse`,
      { reason: '存在未结投诉，依法保留' },
      admin.cookie,
    );
    expect(no.json()).toMatchObject({ state: 'refused', decisionReason: '存在未结投诉，依法保留' });
    expect(JSON.stringify((await get('/api/v1/me/notifications', w.cookie)).json())).toContain('未获同意');
    expect((await get('/api/v1/workers/me/file', w.cookie)).statusCode).toBe(200);
    const refused = await get('/api/v1/admin/deletion-requests?state=refused', admin.cookie);
    expect(refused.json().items.some((i: { id: string }) => i.id === r.id)).toBe(true);
  });
});
