import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { account, user } from '../identity.tables.js';
import { AppError } from '../../../platform/errors.js';
import { buildTestApp, registerResident, uniquePhone, type TestApp } from '../../../../../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const post = (url: string, payload: object, cookie?: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, payload, headers: cookie ? { cookie } : {} });
const userCount = async () => (await t.database.db.select({ n: count() }).from(user))[0]!.n;
const storedHash = async (userId: string) =>
  (
    await t.database.db
      .select({ password: account.password })
      .from(account)
      .where(and(eq(account.userId, userId), eq(account.providerId, 'credential')))
  )[0]!.password;

function expectRefused(res: Awaited<ReturnType<typeof post>>, code: string) {
  expect(res.statusCode).toBe(422);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const body = res.json() as { code: string; message: { 'zh-CN': string; en: string } };
  expect(body.code).toBe(code);
  if (code === 'PASSWORD_BREACHED') {
    expect(body.message['zh-CN']).toContain('不常见');
    expect(body.message.en).toContain('less common');
  }
}

const reversed = (s: string) => [...s].reverse().join('');

describe('breached and phone-derived passwords (ASVS 6.2.12)', () => {
  test.each(['trustno1', 'TrustNo1', 'Password1', 'qwerty123'])(
    'registration with %j is refused with PASSWORD_BREACHED and nothing is stored',
    async (password) => {
      const phone = uniquePhone();
      await post('/auth/otp', { phone, purpose: 'register' });
      const before = await userCount();
      const res = await post('/auth/register', {
        phone,
        code: t.sms.latest(phone)!.code,
        password,
        name: '李',
      });
      expectRefused(res, 'PASSWORD_BREACHED');
      expect(await userCount()).toBe(before);
    },
  );

  test('registration with the phone number reversed is refused and nothing is stored', async () => {
    const phone = uniquePhone();
    await post('/auth/otp', { phone, purpose: 'register' });
    const before = await userCount();
    const res = await post('/auth/register', {
      phone,
      code: t.sms.latest(phone)!.code,
      password: `pw${reversed(phone)}`,
      name: '李',
    });
    expectRefused(res, 'PASSWORD_WEAK');
    expect(await userCount()).toBe(before);
  });

  test('a password change to a breached password is refused and the password is unchanged', async () => {
    const r = await registerResident(t);
    const hash = await storedHash(r.user.id);
    const res = await post(
      '/auth/password/change',
      { currentPassword: r.password, newPassword: 'Blink182' },
      r.cookie,
    );
    expectRefused(res, 'PASSWORD_BREACHED');
    expect(await storedHash(r.user.id)).toBe(hash);
    expect((await post('/auth/login/password', { phone: r.phone, password: r.password })).statusCode).toBe(
      200,
    );
  });

  test('a password reset to a breached password is refused and the old password still works', async () => {
    const r = await registerResident(t);
    const hash = await storedHash(r.user.id);
    t.clock.advance(61_000);
    await post('/auth/otp', { phone: r.phone, purpose: 'reset_password' });
    const res = await post('/auth/password/reset', {
      phone: r.phone,
      code: t.sms.latest(r.phone)!.code,
      newPassword: '1qaz2wsx3edc',
    });
    expectRefused(res, 'PASSWORD_BREACHED');
    expect(await storedHash(r.user.id)).toBe(hash);
  });

  test('an account created for someone (admin tools, partners) refuses a breached password', async () => {
    const before = await userCount();
    const err = await t.app.services.identity
      .createAccount({ phone: uniquePhone(), password: 'hello123', name: '王', roles: [] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('PASSWORD_BREACHED');
    expect(await userCount()).toBe(before);
  });

  test('a strong password is still accepted', async () => {
    const r = await registerResident(t, { password: 'Lantern2026kq' });
    const res = await post(
      '/auth/password/change',
      { currentPassword: r.password, newPassword: 'Harbour2026zx' },
      r.cookie,
    );
    expect(res.statusCode).toBe(204);
  });
});
