import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { verifyAuditChain } from '../../../platform/audit/audit.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { session, user, userRole } from '../identity.tables.js';
import {
  buildTestApp,
  cookieFrom,
  registerResident,
  uniquePhone,
  type TestApp,
} from '../../../../../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const post = (url: string, payload: unknown, cookie?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    payload: payload as object,
    headers: cookie ? { cookie } : {},
  });
const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
const userCount = async () => (await t.database.db.select({ n: count() }).from(user))[0]!.n;

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const body = res.json() as {
    code: string;
    message: { 'zh-CN': string; en: string };
    requestId: string;
    type: string;
  };
  expect(body.code).toBe(code);
  expect(body.type).toBe(`urn:anxin:problem:${code}`);
  expect(body.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  expect(body.message.en.length).toBeGreaterThan(3);
  expect(body.requestId).toMatch(/^req-/);
  return body;
}

describe('registration', () => {
  test('a new person registers with an SMS code and is signed in as a resident', async () => {
    const phone = uniquePhone();
    const sent = await post('/auth/otp', { phone, purpose: 'register' });
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toEqual({ sent: true, retryAfterSeconds: 60 });
    const code = t.sms.latest(phone)!.code;
    expect(code).toMatch(/^\d{6}$/);

    const res = await post('/auth/register', { phone, code, password: 'Jiazheng2026', name: '王芳' });
    expect(res.statusCode).toBe(201);
    const body = res.json().user;
    expect(body).toMatchObject({ name: '王芳', roles: ['resident'], memberships: [], home: '/resident' });
    expect(body.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(JSON.stringify(res.json())).not.toContain(phone);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toContain('anxin.session_token=');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(res.headers['cache-control']).toBe('no-store');

    const who = await me(cookieFrom(res));
    expect(who.statusCode).toBe(200);
    expect(who.json().user.id).toBe(body.id);

    const [row] = await t.database.db.select().from(user).where(eq(user.id, body.id));
    expect(row!.phoneNumberVerified).toBe(true);
    const roles = await t.database.db.select().from(userRole).where(eq(userRole.userId, body.id));
    expect(roles.map((r) => r.role)).toEqual(['resident']);
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.objectId, body.id));
    expect(audits.map((a) => a.action)).toContain('identity.register');
    expect(JSON.stringify(audits)).not.toContain(phone);
  });

  test('a registered number cannot register again', async () => {
    const { phone } = await registerResident(t);
    expectProblem(await post('/auth/otp', { phone, purpose: 'register' }), 409, 'PHONE_TAKEN');
  });

  test.each([['12345'], ['23800138000'], ['1380013800a'], ['']])(
    'invalid phone %j is refused and nothing is stored',
    async (phone) => {
      const before = await userCount();
      const res = await post('/auth/otp', { phone, purpose: 'register' });
      expect([422]).toContain(res.statusCode);
      expect(['PHONE_INVALID', 'VALIDATION_FAILED']).toContain(res.json().code);
      expect(await userCount()).toBe(before);
    },
  );

  test('a +86 prefix and spaces are accepted and normalised', async () => {
    const phone = uniquePhone();
    const res = await post('/auth/otp', {
      phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3)}`,
      purpose: 'register',
    });
    expect(res.statusCode).toBe(202);
    expect(t.sms.latest(phone)).toBeDefined();
  });

  test.each([
    ['short1', 'PASSWORD_WEAK'],
    ['onlyletters', 'PASSWORD_WEAK'],
    ['1234567890', 'PASSWORD_WEAK'],
    ['password123', 'PASSWORD_BREACHED'],
  ])('weak password %j is refused and nothing is stored', async (password, problem) => {
    const phone = uniquePhone();
    await post('/auth/otp', { phone, purpose: 'register' });
    const before = await userCount();
    const body = expectProblem(
      await post('/auth/register', { phone, code: t.sms.latest(phone)!.code, password, name: '李' }),
      422,
      problem,
    );
    expect(body.message['zh-CN']).toContain('密码');
    expect(await userCount()).toBe(before);
  });

  test('unknown fields are refused with the field named', async () => {
    const res = await post('/auth/register', {
      phone: uniquePhone(),
      code: '123456',
      password: 'Jiazheng2026',
      name: '李',
      role: 'platform_admin',
    });
    const body = expectProblem(res, 422, 'VALIDATION_FAILED') as unknown as { errors: { path: string }[] };
    expect(body.errors.some((e) => e.path.includes('role'))).toBe(true);
  });

  test('malformed JSON is a 400 problem, an oversized body a 413, never a 500', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: '{"phone":',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(bad, 400, 'MALFORMED_REQUEST');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: JSON.stringify({ phone: '1'.repeat(2 * 1024 * 1024), purpose: 'register' }),
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(huge, 413, 'PAYLOAD_TOO_LARGE');
    const proto = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: '{"__proto__":{"x":1},"phone":"13800138000","purpose":"login"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(proto.statusCode).toBe(400);
  });

  test('a code is sent at most once a minute to one number', async () => {
    const phone = uniquePhone();
    expect((await post('/auth/otp', { phone, purpose: 'register' })).statusCode).toBe(202);
    const again = await post('/auth/otp', { phone, purpose: 'register' });
    expectProblem(again, 429, 'OTP_TOO_SOON');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(61_000);
    expect((await post('/auth/otp', { phone, purpose: 'register' })).statusCode).toBe(202);
  });

  test('five wrong codes lock the number; the lock lifts after 15 minutes', async () => {
    const phone = uniquePhone();
    await post('/auth/otp', { phone, purpose: 'register' });
    const right = t.sms.latest(phone)!.code;
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) {
      expectProblem(
        await post('/auth/register', { phone, code: wrong, password: 'Jiazheng2026', name: '李' }),
        422,
        'OTP_INVALID',
      );
    }
    expectProblem(
      await post('/auth/register', { phone, code: wrong, password: 'Jiazheng2026', name: '李' }),
      429,
      'ACCOUNT_LOCKED',
    );
    // Even the right code is refused while locked.
    expectProblem(
      await post('/auth/register', { phone, code: right, password: 'Jiazheng2026', name: '李' }),
      429,
      'ACCOUNT_LOCKED',
    );
    expectProblem(await post('/auth/otp', { phone, purpose: 'register' }), 429, 'ACCOUNT_LOCKED');
    t.clock.advance(15 * 60_000 + 1000);
    expect((await post('/auth/otp', { phone, purpose: 'register' })).statusCode).toBe(202);
    const res = await post('/auth/register', {
      phone,
      code: t.sms.latest(phone)!.code,
      password: 'Jiazheng2026',
      name: '李',
    });
    expect(res.statusCode).toBe(201);
  });
});

describe('sign-in and sessions', () => {
  test('password sign-in works; a wrong password gets a bilingual 401', async () => {
    const r = await registerResident(t);
    const ok = await post('/auth/login/password', { phone: r.phone, password: r.password });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.id).toBe(r.user.id);
    expectProblem(
      await post('/auth/login/password', { phone: r.phone, password: 'Wrong2026pass' }),
      401,
      'CREDENTIALS_INVALID',
    );
    // An unknown number answers exactly like a wrong password.
    expectProblem(
      await post('/auth/login/password', { phone: uniquePhone(), password: 'Wrong2026pass' }),
      401,
      'CREDENTIALS_INVALID',
    );
  });

  test('five wrong passwords lock sign-in even with the right password', async () => {
    const r = await registerResident(t);
    for (let i = 0; i < 4; i++)
      await post('/auth/login/password', { phone: r.phone, password: 'Wrong2026pass' });
    expectProblem(
      await post('/auth/login/password', { phone: r.phone, password: 'Wrong2026pass' }),
      429,
      'ACCOUNT_LOCKED',
    );
    expectProblem(
      await post('/auth/login/password', { phone: r.phone, password: r.password }),
      429,
      'ACCOUNT_LOCKED',
    );
    t.clock.advance(16 * 60_000);
    expect((await post('/auth/login/password', { phone: r.phone, password: r.password })).statusCode).toBe(
      200,
    );
  });

  test('sign-in with an SMS code', async () => {
    const r = await registerResident(t);
    t.clock.advance(61_000);
    expect((await post('/auth/otp', { phone: r.phone, purpose: 'login' })).statusCode).toBe(202);
    const res = await post('/auth/login/otp', { phone: r.phone, code: t.sms.latest(r.phone)!.code });
    expect(res.statusCode).toBe(200);
    expect((await me(cookieFrom(res))).statusCode).toBe(200);
    // The code is single-use.
    expectProblem(
      await post('/auth/login/otp', { phone: r.phone, code: t.sms.latest(r.phone)!.code }),
      422,
      'OTP_INVALID',
    );
  });

  test('asking a login code for an unknown number answers the same but sends nothing', async () => {
    const phone = uniquePhone();
    expect((await post('/auth/otp', { phone, purpose: 'login' })).statusCode).toBe(202);
    expect(t.sms.latest(phone)).toBeUndefined();
  });

  test('logout ends the session', async () => {
    const r = await registerResident(t);
    expect((await me(r.cookie)).statusCode).toBe(200);
    const out = await post('/auth/logout', {}, r.cookie);
    expect(out.statusCode).toBe(204);
    expectProblem(await me(r.cookie), 401, 'UNAUTHENTICATED');
  });

  test('an expired session is refused', async () => {
    const r = await registerResident(t);
    await t.database.db
      .update(session)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(session.userId, r.user.id));
    expectProblem(await me(r.cookie), 401, 'UNAUTHENTICATED');
  });

  test('a forged cookie is refused', async () => {
    expectProblem(await me('anxin.session_token=forged.value'), 401, 'UNAUTHENTICATED');
  });

  test('password reset signs out every session and the new password works', async () => {
    const r = await registerResident(t);
    t.clock.advance(61_000);
    await post('/auth/otp', { phone: r.phone, purpose: 'reset_password' });
    const code = t.sms.latest(r.phone)!.code;
    expectProblem(
      await post('/auth/password/reset', { phone: r.phone, code, newPassword: 'weak' }),
      422,
      'PASSWORD_WEAK',
    );
    expect(
      (await post('/auth/password/reset', { phone: r.phone, code, newPassword: 'Renewed2026x' })).statusCode,
    ).toBe(204);
    expectProblem(await me(r.cookie), 401, 'UNAUTHENTICATED');
    expectProblem(
      await post('/auth/login/password', { phone: r.phone, password: r.password }),
      401,
      'CREDENTIALS_INVALID',
    );
    expect(
      (await post('/auth/login/password', { phone: r.phone, password: 'Renewed2026x' })).statusCode,
    ).toBe(200);
  });

  test('a disabled account loses its sessions at once and cannot sign in', async () => {
    const r = await registerResident(t);
    await t.app.services.identity.disableAccount({ actor: null, requestId: 'test', ip: null }, r.user.id);
    expectProblem(await me(r.cookie), 401, 'UNAUTHENTICATED');
    expectProblem(
      await post('/auth/login/password', { phone: r.phone, password: r.password }),
      403,
      'ACCOUNT_DISABLED',
    );
  });

  test('every request above left a verifiable audit chain', async () => {
    const report = await verifyAuditChain(t.database.db);
    expect(report.ok).toBe(true);
    expect(report.checked).toBeGreaterThan(10);
  });
});

describe('per-IP limits', () => {
  test('sign-in attempts from one IP are cut off with 429 before any password is checked', async () => {
    const limited = await buildTestApp({ RATE_LIMIT_AUTH: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login/password',
          payload: { phone: uniquePhone(), password: 'Wrong2026pass' },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});
