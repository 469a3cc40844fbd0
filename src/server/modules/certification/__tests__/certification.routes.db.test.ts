import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  account,
  certifiedWorker,
  company,
  day,
  PNG,
  selfWorker,
} from '../../../../../test/factories/workers.js';

// End to end through the real workers module: documents, review, checks → issue → scan → expiry → revoke.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ PUBLIC_URL: 'https://anxin.example' });
});
afterAll(async () => t.close());

const get = (url: string, cookie?: string) =>
  t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const post = (url: string, payload: object, cookie?: string) =>
  t.app.inject({ method: 'POST', url, payload, headers: cookie ? { cookie } : {} });

/** A worker who passes every check, employed by a company; health valid for 30 more days; no certificate yet. */
const certifiableWorker = (regulatorCookie: string) => certifiedWorker(t, { regulatorCookie, issue: false });

describe('certificate journey through the real workers module', () => {
  test('issue → green page → yellow after health expiry → red after revocation', async () => {
    const regulator = await account(t, [{ role: 'regulator' }]);
    const haizhu = await account(t, [{ role: 'regulator', district: '440105' }]);
    const { w, co } = await certifiableWorker(regulator.cookie);

    const incomplete = await selfWorker(t);
    const refused = await post(`/api/v1/workers/${incomplete.workerId}/certificate`, {}, regulator.cookie);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('CERT_CHECKS_INCOMPLETE');
    expect(refused.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'identity',
      'health',
      'training',
      'background',
      'skill',
    ]);

    const checklist = await get(`/api/v1/workers/${w.workerId}/certification`, regulator.cookie);
    expect(checklist.statusCode).toBe(200);
    expect(checklist.json()).toMatchObject({
      canIssue: true,
      color: 'yellow',
      reason: 'not_certified',
      certificate: null,
    });
    expect((await get(`/api/v1/workers/${w.workerId}/certification`, haizhu.cookie)).statusCode).toBe(404);
    const outside = await post(`/api/v1/workers/${w.workerId}/certificate`, {}, haizhu.cookie);
    expect([outside.statusCode, outside.json().code]).toEqual([403, 'CERT_OUT_OF_DISTRICT']);

    const issued = await post(`/api/v1/workers/${w.workerId}/certificate`, {}, regulator.cookie);
    expect(issued.statusCode).toBe(201);
    const cert = issued.json();
    expect(cert.number).toMatch(/^AX440106-\d{4}-\d{6}-[0-9A-Z]$/);
    expect((await post(`/api/v1/workers/${w.workerId}/certificate`, {}, regulator.cookie)).json().code).toBe(
      'CERT_ALREADY_ISSUED',
    );

    const wallet = await get('/api/v1/workers/me/certificate', w.cookie);
    expect(wallet.statusCode).toBe(200);
    expect(wallet.json()).toMatchObject({
      worker: { name: '张秀芳' },
      color: 'green',
      canTakeNewBookings: true,
    });
    const url = new URL(wallet.json().verifyUrl as string);
    expect(url.origin).toBe('https://anxin.example');
    const path = url.pathname;

    const green = await get(path);
    expect(green.statusCode).toBe(200);
    expect(green.headers['content-type']).toContain('text/html');
    expect(green.headers['cache-control']).toBe('no-store');
    expect(green.body).toContain('<html lang="zh-CN">');
    expect(green.body).toContain('name="viewport"');
    // No inline script (the CSP forbids it); only the same-origin file that installs the offline copy (PWA).
    expect(green.body.match(/<script[^>]*>/g)).toEqual(['<script src="/sw-register.js" defer>']);
    expect(green.body).toContain('张*芳');
    expect(green.body).not.toContain('张秀芳');
    expect(green.body).toContain('绿码');
    expect(green.body).toContain(cert.number);
    expect(green.body).toContain('一般家务/保洁');
    expect(green.body).toContain('四级/中级工');
    expect(green.body).toContain(`有效期至 ${day(t, 30)}`);
    expect(green.body).toContain(`已通过（${day(t, -2)}）`);
    expect(green.body).toContain('未投保');
    expect(green.body).not.toContain(w.idNumber);
    expect(Buffer.byteLength(green.body)).toBeLessThan(8000);
    const photo = await get(`${path}/photo`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.rawPayload.equals(PNG)).toBe(true);

    const json = await get(`/api/v1/public/certificates/verify?number=${cert.number}`);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({
      number: cert.number,
      maskedName: '张*芳',
      color: 'green',
      trainingPassed: true,
      backgroundPassed: true,
    });
    expect(json.body).not.toContain('张秀芳');
    expect(
      (await get('/api/v1/public/certificates/verify?number=AX440106-2026-000001-0')).statusCode,
    ).toBeGreaterThanOrEqual(404);

    // Cards: own (full name), the employer (masked), another company (hidden).
    const pdf = await get('/api/v1/workers/me/card.pdf', w.cookie);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
    const png = await get('/api/v1/workers/me/card.png', w.cookie);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.readUInt32BE(16)).toBe(972);
    expect((await get(`/api/v1/workers/${w.workerId}/card.pdf`, co.cookie)).statusCode).toBe(200);
    const other = await company(t);
    expect((await get(`/api/v1/workers/${w.workerId}/card.png`, other.cookie)).statusCode).toBe(404);

    // 31 days later the health certificate has lapsed: yellow, no new bookings — computed, nothing stored.
    t.clock.advance(31 * 86_400_000);
    const yellow = await get(path);
    expect(yellow.statusCode).toBe(200);
    expect(yellow.body).toContain('黄码');
    expect(yellow.body).toContain('健康证已过期');
    // The detail row says so too, instead of a stale "valid until".
    expect(yellow.body).toMatch(/已过期（\d{4}-\d{2}-\d{2} 到期）/);
    expect(yellow.body).not.toContain('有效期至');
    expect(await t.app.services.certification.canTakeNewBookings(w.workerId)).toBe(false);
    t.clock.advance(-31 * 86_400_000);
    expect(await t.app.services.certification.canTakeNewBookings(w.workerId)).toBe(true);

    // Tampered and unknown tokens: a plain 404 "not valid" page, never an error.
    const token = path.slice(3);
    const [kid, payload, sig] = token.split('.') as [string, string, string];
    for (const bad of [
      `${kid}.${payload}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
      `kzzzz.${payload}.${sig}`,
      'zz_00000000000000000000000000',
      'x'.repeat(150),
      'a.b.c',
    ]) {
      const res = await get(`/v/${bad}`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('无效的验证码');
      expect(res.body).not.toContain('张*芳');
      expect((await get(`/v/${bad}/photo`)).statusCode).toBe(404);
    }

    const suspended = await post(
      `/api/v1/certificates/${cert.id}/suspend`,
      { reason: '投诉调查中' },
      regulator.cookie,
    );
    expect(suspended.json().state).toBe('suspended');
    expect((await get(path)).body).toContain('证书已暂停');
    expect((await post(`/api/v1/certificates/${cert.id}/reinstate`, {}, regulator.cookie)).json().state).toBe(
      'active',
    );
    expect((await post(`/api/v1/certificates/${cert.id}/revoke`, {}, regulator.cookie)).statusCode).toBe(422);
    const revoked = await post(
      `/api/v1/certificates/${cert.id}/revoke`,
      { reason: '严重投诉经查属实' },
      regulator.cookie,
    );
    expect(revoked.json()).toMatchObject({ state: 'revoked', stateReason: '严重投诉经查属实' });
    const red = await get(path);
    expect(red.body).toContain('红码');
    expect(red.body).toContain('证书已吊销');
    expect((await post(`/api/v1/certificates/${cert.id}/reinstate`, {}, regulator.cookie)).json().code).toBe(
      'CERT_INVALID_TRANSITION',
    );

    const list = await get(`/api/v1/regulator/certificates?q=${cert.number}`, regulator.cookie);
    expect(list.json().items).toMatchObject([
      { id: cert.id, color: 'red', reason: 'revoked', workerName: '张秀芳' },
    ]);
    expect(
      (await get(`/api/v1/regulator/certificates?q=${cert.number}`, haizhu.cookie)).json().items,
    ).toEqual([]);

    // The revocation event reaches the worker and the company through the outbox.
    await t.app.platform.outbox.drainOnce();
    const mine = await get('/api/v1/me/notifications', w.cookie);
    expect(mine.json().items.map((n: { kind: string }) => n.kind)).toContain('certification.revoked');
    const theirs = await get('/api/v1/me/notifications', co.cookie);
    const note = theirs.json().items.find((n: { kind: string }) => n.kind === 'certification.revoked');
    expect(note).toMatchObject({ scope: 'organization', readAt: null });
    expect((await post(`/api/v1/me/notifications/${note.id}/read`, {}, other.cookie)).statusCode).toBe(404);
    const read = await post(`/api/v1/me/notifications/${note.id}/read`, {}, co.cookie);
    expect(read.json().readAt).not.toBeNull();
    expect((await get('/api/v1/me/notifications', other.cookie)).json().items).toEqual([]);
  });

  test('the daily job reminds worker and company through the real workers module, once', async () => {
    const regulator = await account(t, [{ role: 'regulator' }]);
    const { w, co } = await certifiableWorker(regulator.cookie);
    const svc = t.app.services.certification;
    await svc.runExpiryReminders();
    await svc.runExpiryReminders();
    const mine = (await get('/api/v1/me/notifications', w.cookie)).json();
    expect(
      mine.items.filter((n: { kind: string }) => n.kind === 'certification.health_due_30d'),
    ).toHaveLength(1);
    expect(mine.unreadCount).toBeGreaterThanOrEqual(1);
    const theirs = (await get('/api/v1/me/notifications?limit=1', co.cookie)).json();
    expect(theirs.items[0].kind).toBe('certification.health_due_30d');
    expect(theirs.items[0].title).toContain('张*芳');
  });

  test('QR keys: platform admin rotates and retires', async () => {
    const admin = await account(t, [{ role: 'platform_admin' }]);
    const r1 = await post('/api/v1/admin/qr-keys/rotate', {}, admin.cookie);
    expect(r1.statusCode).toBe(201);
    const r2 = await post('/api/v1/admin/qr-keys/rotate', {}, admin.cookie);
    expect(r2.json().previous).toBe(r1.json().kid);
    expect((await post(`/api/v1/admin/qr-keys/${r2.json().kid}/retire`, {}, admin.cookie)).json().code).toBe(
      'QR_KEY_ACTIVE',
    );
    expect((await post(`/api/v1/admin/qr-keys/${r1.json().kid}/retire`, {}, admin.cookie)).statusCode).toBe(
      200,
    );
    const keys = (await get('/api/v1/admin/qr-keys', admin.cookie)).json().items;
    expect(keys.find((k: { kid: string }) => k.kid === r1.json().kid).retiredAt).not.toBeNull();
    expect(JSON.stringify(keys)).not.toMatch(/secret|v1\./);
  });
});
