import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../../config.js';
import { session } from '../identity.tables.js';
import {
  buildTestApp,
  cookieFrom,
  registerResident,
  SESSION_DEFAULTS,
  uniquePhone,
  type TestApp,
} from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';

// Issue 14: idle and absolute timeouts per role, MFA for regulator and platform admin, sessions dead after
// logout, disable and password change. The shipped timeouts are passed explicitly (the harness default is a year).
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp(SESSION_DEFAULTS);
});
afterAll(async () => t.close());

const MIN = 60_000;
const HOUR = 60 * MIN;
const PASSWORD = 'Sessions2026x';

const post = (url: string, payload: unknown, cookie?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    payload: payload as object,
    headers: cookie ? { cookie } : {},
  });
const get = (url: string, cookie: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
const me = (cookie: string) => get('/auth/me', cookie);
const code = (res: { json(): unknown }) => (res.json() as { code: string }).code;

async function person(role: 'regulator' | 'platform_admin' | 'resident') {
  const phone = uniquePhone();
  const userId = await t.app.services.identity.createAccount({
    phone,
    password: PASSWORD,
    name: '会话测试',
    roles: [{ role, district: null }],
  });
  return { phone, userId };
}

/** Password step only: the session of an MFA role stays pending. */
async function passwordOnly(phone: string) {
  const res = await post('/auth/login/password', { phone, password: PASSWORD });
  expect(res.statusCode).toBe(200);
  return { cookie: cookieFrom(res), user: res.json().user as { roles: string[]; mfaPending: boolean } };
}

const sessionOf = async (userId: string) =>
  t.database.db.select().from(session).where(eq(session.userId, userId));

const routeOf = { regulator: '/regulator/companies', platform_admin: '/admin/qr-keys' } as const;

describe('timeouts', () => {
  test('the shipped defaults: idle 30 min / absolute 12 h for MFA roles, idle 2 h / absolute 7 days for others', () => {
    const c = loadConfig({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-config-')) });
    expect(c.sessions.privileged).toEqual({ idleMs: 30 * MIN, absoluteMs: 12 * HOUR });
    expect(c.sessions.standard).toEqual({ idleMs: 2 * HOUR, absoluteMs: 7 * 24 * HOUR });
  });

  test('a resident idle for more than 2 hours gets 401 SESSION_EXPIRED and the session row is gone', async () => {
    const r = await registerResident(t);
    t.clock.advance(2 * HOUR - MIN);
    expect((await me(r.cookie)).statusCode).toBe(200);
    t.clock.advance(2 * HOUR + MIN);
    const res = await me(r.cookie);
    expect(res.statusCode).toBe(401);
    expect(code(res)).toBe('SESSION_EXPIRED');
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(await sessionOf(r.user.id)).toHaveLength(0);
    // Deleted: the same cookie is now simply unknown, and signing in again works despite it.
    expect(code(await me(r.cookie))).toBe('UNAUTHENTICATED');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/password',
      payload: { phone: r.phone, password: r.password },
      headers: { cookie: r.cookie },
    });
    expect(again.statusCode).toBe(200);
  });

  test('activity keeps a resident signed in, but never past 7 days', async () => {
    const r = await registerResident(t);
    let elapsed = 0;
    while (elapsed + 110 * MIN <= 7 * 24 * HOUR) {
      t.clock.advance(110 * MIN);
      elapsed += 110 * MIN;
      expect((await me(r.cookie)).statusCode).toBe(200);
    }
    t.clock.advance(7 * 24 * HOUR - elapsed + MIN);
    expect(code(await me(r.cookie))).toBe('SESSION_EXPIRED');
  });

  test('a regulator is signed out after 30 idle minutes, and after 12 hours however active', async () => {
    const g = await person('regulator');
    const idle = await signInWithPassword(t.app, g.phone, PASSWORD);
    t.clock.advance(29 * MIN);
    expect((await get(routeOf.regulator, idle)).statusCode).toBe(200);
    t.clock.advance(31 * MIN);
    expect(code(await get(routeOf.regulator, idle))).toBe('SESSION_EXPIRED');

    const busy = await signInWithPassword(t.app, g.phone, PASSWORD);
    for (let elapsed = 0; elapsed + 25 * MIN < 12 * HOUR; elapsed += 25 * MIN) {
      t.clock.advance(25 * MIN);
      expect((await get(routeOf.regulator, busy)).statusCode).toBe(200);
    }
    t.clock.advance(25 * MIN);
    expect(code(await get(routeOf.regulator, busy))).toBe('SESSION_EXPIRED');
  });

  test('last-seen is written at most once a minute, not on every request', async () => {
    const r = await registerResident(t);
    const [before] = await sessionOf(r.user.id);
    expect(before!.lastSeenAt).toBeNull();
    t.clock.advance(10_000);
    for (let i = 0; i < 5; i++) expect((await me(r.cookie)).statusCode).toBe(200);
    expect((await sessionOf(r.user.id))[0]!.lastSeenAt).toBeNull();
    t.clock.advance(60_000);
    const at = t.clock.now.getTime();
    for (let i = 0; i < 5; i++) {
      expect((await me(r.cookie)).statusCode).toBe(200);
      t.clock.advance(1_000);
    }
    expect((await sessionOf(r.user.id))[0]!.lastSeenAt!.getTime()).toBe(at);
  });
});

async function mfaJourney(role: 'regulator' | 'platform_admin') {
  const a = await person(role);
  const { cookie, user } = await passwordOnly(a.phone);
  expect(user.mfaPending).toBe(true);
  expect(user.roles).not.toContain(role);
  const refused = await get(routeOf[role], cookie);
  expect(refused.statusCode).toBe(403);
  expect(code(refused)).toBe('MFA_REQUIRED');

  const sent = t.sms.latest(a.phone)!;
  expect(sent.purpose).toBe('mfa');
  expect(sent.code).toMatch(/^\d{6}$/);
  const [row] = await sessionOf(a.userId);
  // Only a keyed hash of the code is stored, bound to this session.
  expect(row!.mfaCodeHash).toMatch(/^[0-9a-f]{64}$/);
  expect(row!.mfaCodeHash).not.toContain(sent.code);

  const wrong = sent.code === '000000' ? '111111' : '000000';
  expect(code(await post('/auth/mfa/verify', { code: wrong }, cookie))).toBe('OTP_INVALID');
  expect(code(await get(routeOf[role], cookie))).toBe('MFA_REQUIRED');
  const before = (await sessionOf(a.userId))[0]!;
  const ok = await post('/auth/mfa/verify', { code: sent.code }, cookie);
  expect(ok.statusCode).toBe(200);
  expect(ok.json().user.roles).toContain(role);
  expect(ok.json().user.mfaPending).toBe(false);
  // Session fixation (ASVS 7.2.4): the step-up sets a new cookie; the pre-MFA one is signed out.
  const fresh = cookieFrom(ok);
  expect(fresh).toMatch(/^anxin\.session_token=/);
  expect(fresh).not.toBe(cookie);
  expect(String(ok.headers['set-cookie'])).toMatch(/HttpOnly/);
  expect(String(ok.headers['set-cookie'])).toMatch(/SameSite=Lax/i);
  expect(code(await me(cookie))).toBe('UNAUTHENTICATED');
  expect(code(await get(routeOf[role], cookie))).toBe('UNAUTHENTICATED');
  expect((await get(routeOf[role], fresh)).statusCode).toBe(200);
  expect((await me(fresh)).json().user.mfaPending).toBe(false);
  const rows = await sessionOf(a.userId);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.id).not.toBe(before.id);
  expect(rows[0]!.token).not.toBe(before.token);
  // The absolute lifetime still counts from the sign-in, not from the step-up.
  expect(rows[0]!.createdAt.getTime()).toBe(before.createdAt.getTime());
  // Single use: the session needs no second step any more.
  expect(code(await post('/auth/mfa/verify', { code: sent.code }, fresh))).toBe('MFA_NOT_PENDING');
  expect(rows[0]!.mfaCodeHash).toBeNull();
}

describe('MFA for regulator and platform admin', () => {
  test('regulator: a password-only session is refused with MFA_REQUIRED until the SMS code is confirmed', () =>
    mfaJourney('regulator'));
  test('platform_admin: a password-only session is refused with MFA_REQUIRED until the SMS code is confirmed', () =>
    mfaJourney('platform_admin'));

  test('the code is resent at most once a minute; a resent code replaces the old one', async () => {
    const a = await person('regulator');
    const { cookie } = await passwordOnly(a.phone);
    const first = t.sms.latest(a.phone)!.code;
    const soon = await post('/auth/mfa/resend', {}, cookie);
    expect(soon.statusCode).toBe(429);
    expect(code(soon)).toBe('OTP_TOO_SOON');
    expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(61_000);
    expect((await post('/auth/mfa/resend', {}, cookie)).statusCode).toBe(202);
    const second = t.sms.latest(a.phone)!.code;
    if (first !== second)
      expect(code(await post('/auth/mfa/verify', { code: first }, cookie))).toBe('OTP_INVALID');
    expect((await post('/auth/mfa/verify', { code: second }, cookie)).statusCode).toBe(200);
  });

  test('a code older than 10 minutes is refused', async () => {
    const a = await person('platform_admin');
    const { cookie } = await passwordOnly(a.phone);
    const sent = t.sms.latest(a.phone)!.code;
    t.clock.advance(10 * MIN + 1000);
    expect(code(await post('/auth/mfa/verify', { code: sent }, cookie))).toBe('OTP_INVALID');
  });

  test('five wrong codes lock MFA for the account and end the session', async () => {
    const a = await person('regulator');
    const { cookie } = await passwordOnly(a.phone);
    const right = t.sms.latest(a.phone)!.code;
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++)
      expect(code(await post('/auth/mfa/verify', { code: wrong }, cookie))).toBe('OTP_INVALID');
    const fifth = await post('/auth/mfa/verify', { code: wrong }, cookie);
    expect(fifth.statusCode).toBe(429);
    expect(code(fifth)).toBe('ACCOUNT_LOCKED');
    expect(code(await me(cookie))).toBe('UNAUTHENTICATED');
    // A new password sign-in cannot step up while the lock holds.
    const next = await passwordOnly(a.phone);
    expect(code(await post('/auth/mfa/verify', { code: t.sms.latest(a.phone)!.code }, next.cookie))).toBe(
      'ACCOUNT_LOCKED',
    );
  });

  test('an SMS-code sign-in cannot be both factors: MFA roles must start with the password', async () => {
    const a = await person('regulator');
    expect((await post('/auth/otp', { phone: a.phone, purpose: 'login' })).statusCode).toBe(202);
    const res = await post('/auth/login/otp', { phone: a.phone, code: t.sms.latest(a.phone)!.code });
    expect(res.statusCode).toBe(403);
    expect(code(res)).toBe('PASSWORD_SIGNIN_REQUIRED');
    expect(await sessionOf(a.userId)).toHaveLength(0);
  });

  test('accounts without an MFA role have no second step', async () => {
    const r = await registerResident(t);
    expect((await me(r.cookie)).json().user.mfaPending).toBe(false);
    expect(code(await post('/auth/mfa/resend', {}, r.cookie))).toBe('MFA_NOT_PENDING');
    expect(code(await post('/auth/mfa/verify', { code: '123456' }, r.cookie))).toBe('MFA_NOT_PENDING');
  });

  test('a role granted to a signed-in person needs MFA on the very next request', async () => {
    const r = await registerResident(t);
    await t.app.services.identity.grantRole(t.database.db, r.user.id, 'regulator', null);
    expect(code(await get(routeOf.regulator, r.cookie))).toBe('MFA_REQUIRED');
    expect((await post('/auth/mfa/resend', {}, r.cookie)).statusCode).toBe(202);
    const sent = t.sms.latest(r.phone)!;
    expect(sent.purpose).toBe('mfa');
    const ok = await post('/auth/mfa/verify', { code: sent.code }, r.cookie);
    expect(ok.statusCode).toBe(200);
    expect((await get(routeOf.regulator, cookieFrom(ok))).statusCode).toBe(200);
  });
});

describe('sessions dead after logout, disable and password change', () => {
  test('logout: the confirmed regulator cookie gets 401 afterwards', async () => {
    const g = await person('regulator');
    const cookie = await signInWithPassword(t.app, g.phone, PASSWORD);
    expect((await post('/auth/logout', {}, cookie)).statusCode).toBe(204);
    expect(code(await get(routeOf.regulator, cookie))).toBe('UNAUTHENTICATED');
  });

  test('disable: every session of the admin gets 401 at once', async () => {
    const a = await person('platform_admin');
    const one = await signInWithPassword(t.app, a.phone, PASSWORD);
    const two = await signInWithPassword(t.app, a.phone, PASSWORD);
    await t.app.services.identity.disableAccount({ actor: null, requestId: 'test', ip: null }, a.userId);
    expect(code(await get(routeOf.platform_admin, one))).toBe('UNAUTHENTICATED');
    expect(code(await get(routeOf.platform_admin, two))).toBe('UNAUTHENTICATED');
    expect(await sessionOf(a.userId)).toHaveLength(0);
  });

  test('password change: other sessions get 401, this one stays, the new password works', async () => {
    const a = await person('resident');
    const here = await signInWithPassword(t.app, a.phone, PASSWORD);
    const elsewhere = await signInWithPassword(t.app, a.phone, PASSWORD);
    const wrong = await post(
      '/auth/password/change',
      { currentPassword: 'NotMine2026x', newPassword: 'Changed2026x' },
      here,
    );
    expect(wrong.statusCode).toBe(422);
    expect(code(wrong)).toBe('PASSWORD_CURRENT_INVALID');
    expect((await me(elsewhere)).statusCode).toBe(200);
    const weak = await post(
      '/auth/password/change',
      { currentPassword: PASSWORD, newPassword: 'short' },
      here,
    );
    expect(code(weak)).toBe('PASSWORD_WEAK');
    const ok = await post(
      '/auth/password/change',
      { currentPassword: PASSWORD, newPassword: 'Changed2026x' },
      here,
    );
    expect(ok.statusCode).toBe(204);
    expect(code(await me(elsewhere))).toBe('UNAUTHENTICATED');
    expect((await me(here)).statusCode).toBe(200);
    expect((await post('/auth/login/password', { phone: a.phone, password: PASSWORD })).statusCode).toBe(401);
    expect(
      (await post('/auth/login/password', { phone: a.phone, password: 'Changed2026x' })).statusCode,
    ).toBe(200);
  });

  test('password reset by SMS: the confirmed regulator session gets 401', async () => {
    const g = await person('regulator');
    const cookie = await signInWithPassword(t.app, g.phone, PASSWORD);
    t.clock.advance(61_000);
    expect((await post('/auth/otp', { phone: g.phone, purpose: 'reset_password' })).statusCode).toBe(202);
    const reset = await post('/auth/password/reset', {
      phone: g.phone,
      code: t.sms.latest(g.phone)!.code,
      newPassword: 'Renewed2026x',
    });
    expect(reset.statusCode).toBe(204);
    expect(code(await get(routeOf.regulator, cookie))).toBe('UNAUTHENTICATED');
  });
});
