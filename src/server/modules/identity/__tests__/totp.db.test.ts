import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { session, userRecoveryCode, userTotp } from '../identity.tables.js';
import { base32Decode, stepAt, totpAt } from '../totp.js';
import {
  buildTestApp,
  cookieFrom,
  registerResident,
  uniquePhone,
  type TestApp,
} from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import { purgeExpiredAuthRecords } from '../retention.js';

// Issue 14 / 等保 L3-CES1-04: a TOTP authenticator (RFC 6238) as the cryptographic second factor of regulator and
// admin accounts, with single-use recovery codes. Codes are computed here from the secret the enrolment returns.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const PASSWORD = 'Totp2026pass';
const STEP = 30_000;

const post = (url: string, payload: unknown, cookie?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    payload: payload as object,
    headers: cookie ? { cookie } : {},
  });
const get = (url: string, cookie: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
const code = (res: { json(): unknown }) => (res.json() as { code: string }).code;

async function regulator() {
  const phone = uniquePhone();
  const userId = await t.app.services.identity.createAccount({
    phone,
    password: PASSWORD,
    name: '口令测试',
    roles: [{ role: 'regulator', district: null }],
  });
  return { phone, userId };
}

const totpRow = async (userId: string) =>
  (await t.database.db.select().from(userTotp).where(eq(userTotp.userId, userId)))[0];
const recoveryRows = (userId: string) =>
  t.database.db.select().from(userRecoveryCode).where(eq(userRecoveryCode.userId, userId));
const audits = (userId: string, action: string) =>
  t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.objectId, userId), like(auditLog.action, action)));

/** The code the authenticator app shows now (`offsetSteps` later or earlier). */
const codeNow = (secret: string, offsetSteps = 0) =>
  totpAt(base32Decode(secret), new Date(t.clock.now.getTime() + offsetSteps * STEP));

/** Moves the clock to the start of the next time step (a fresh code that was never used). */
function nextStep() {
  const at = t.clock.now.getTime();
  t.clock.advance((stepAt(t.clock.now) + 1) * STEP - at + 1000);
}

/** Password + SMS (not yet enrolled), then enrolment; returns the secret, recovery codes and the full cookie. */
async function enrolled() {
  const a = await regulator();
  const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
  const started = await post('/auth/totp/enrol', {}, cookie);
  expect(started.statusCode).toBe(201);
  const { secret } = started.json() as { secret: string };
  const ok = await post('/auth/totp/confirm', { code: codeNow(secret) }, cookie);
  expect(ok.statusCode).toBe(200);
  return { ...a, secret, cookie, recoveryCodes: (ok.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/** Password step only: the regulator's session waits for its second factor. */
async function passwordOnly(phone: string) {
  const res = await post('/auth/login/password', { phone, password: PASSWORD });
  expect(res.statusCode).toBe(200);
  expect(res.json().user.mfaPending).toBe(true);
  return cookieFrom(res);
}

describe('enrolment', () => {
  test('start shows the secret once (text, otpauth URI, QR); a wrong code stores nothing; a right one enrols with 10 recovery codes', async () => {
    const a = await regulator();
    const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    expect((await get('/auth/totp', cookie)).json()).toEqual({
      available: true,
      enrolled: false,
      enrolledAt: null,
      recoveryCodesLeft: 0,
    });
    const started = await post('/auth/totp/enrol', {}, cookie);
    expect(started.statusCode).toBe(201);
    const body = started.json() as { secret: string; otpauthUri: string; qrSvg: string; expiresAt: string };
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.otpauthUri).toContain(`secret=${body.secret}`);
    expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+\?.*issuer=/);
    expect(body.otpauthUri).toContain('period=30');
    expect(body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // Sealed with the PII key: the stored token is not the secret and does not contain it.
    const pending = (await totpRow(a.userId))!;
    expect(pending.enrolledAt).toBeNull();
    expect(pending.secretEnc).not.toContain(body.secret);
    expect(t.app.pii.decrypt(pending.secretEnc, `user_totp.secret_enc:${a.userId}`)).toBe(body.secret);

    // Wrong code: refused, nothing enrolled, no recovery codes.
    const good = codeNow(body.secret);
    const wrong = good === '000000' ? '111111' : '000000';
    const bad = await post('/auth/totp/confirm', { code: wrong }, cookie);
    expect(bad.statusCode).toBe(422);
    expect(code(bad)).toBe('TOTP_INVALID');
    expect((await totpRow(a.userId))!.enrolledAt).toBeNull();
    expect(await recoveryRows(a.userId)).toHaveLength(0);

    const ok = await post('/auth/totp/confirm', { code: good }, cookie);
    expect(ok.statusCode).toBe(200);
    const codes = (ok.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Keyed hashes only: no stored value is or contains a code.
    const rows = await recoveryRows(a.userId);
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r.codeHash).toMatch(/^[0-9a-f]{64}$/);
      for (const c of codes) expect(r.codeHash).not.toContain(c.replace('-', ''));
    }
    const row = (await totpRow(a.userId))!;
    expect(row.enrolledAt).not.toBeNull();
    expect(row.lastStep).toBe(stepAt(t.clock.now));
    const status = (await get('/auth/totp', cookie)).json();
    expect(status).toMatchObject({ available: true, enrolled: true, recoveryCodesLeft: 10 });

    // Every step audited; no audit row carries the secret or a recovery code.
    const trail = await audits(a.userId, 'identity.totp_%');
    expect(trail.map((r) => `${r.action}:${r.outcome}`).sort()).toEqual([
      'identity.totp_enrol:denied',
      'identity.totp_enrol:ok',
      'identity.totp_enrol_start:ok',
    ]);
    const dump = JSON.stringify(trail);
    expect(dump).not.toContain(body.secret);
    for (const c of codes) expect(dump).not.toContain(c);

    // Enrolled: a second start is refused until disabled.
    expect(code(await post('/auth/totp/enrol', {}, cookie))).toBe('TOTP_ALREADY_ENROLLED');
    expect(code(await post('/auth/totp/confirm', { code: good }, cookie))).toBe('TOTP_ALREADY_ENROLLED');
  });

  test('bad input and wrong states: clear problems, nothing stored', async () => {
    const a = await regulator();
    const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    // Confirm with nothing started, malformed bodies, disable when not enrolled.
    expect(code(await post('/auth/totp/confirm', { code: '123456' }, cookie))).toBe(
      'TOTP_ENROLMENT_NOT_STARTED',
    );
    const extra = await post('/auth/totp/confirm', { code: '123456', secret: 'X' }, cookie);
    expect(extra.statusCode).toBe(422);
    expect(code(extra)).toBe('VALIDATION_FAILED');
    expect(String(extra.headers['content-type'])).toContain('application/problem+json');
    expect(code(await post('/auth/totp/disable', {}, cookie))).toBe('VALIDATION_FAILED');
    expect(code(await post('/auth/totp/disable', { password: PASSWORD }, cookie))).toBe('VALIDATION_FAILED');
    expect(code(await post('/auth/totp/disable', { code: '123456' }, cookie))).toBe('TOTP_NOT_ENROLLED');
    expect(await totpRow(a.userId)).toBeUndefined();

    // A started enrolment expires after 10 minutes.
    const { secret } = (await post('/auth/totp/enrol', {}, cookie)).json() as { secret: string };
    t.clock.advance(10 * 60_000 + 1000);
    expect(code(await post('/auth/totp/confirm', { code: codeNow(secret) }, cookie))).toBe(
      'TOTP_ENROLMENT_NOT_STARTED',
    );
    expect((await totpRow(a.userId))!.enrolledAt).toBeNull();
    expect(await recoveryRows(a.userId)).toHaveLength(0);
    // Starting again replaces the secret: the old QR code no longer confirms.
    const again = (await post('/auth/totp/enrol', {}, cookie)).json() as { secret: string };
    expect(again.secret).not.toBe(secret);
    const oldCode = codeNow(secret);
    if (oldCode !== codeNow(again.secret))
      expect(code(await post('/auth/totp/confirm', { code: oldCode }, cookie))).toBe('TOTP_INVALID');
    expect((await post('/auth/totp/confirm', { code: codeNow(again.secret) }, cookie)).statusCode).toBe(200);
  });

  test('retention: an enrolment never confirmed goes with its secret after 10 minutes; a confirmed one stays', async () => {
    const pending = await regulator();
    const pendingCookie = await signInWithPassword(t.app, pending.phone, PASSWORD);
    await post('/auth/totp/enrol', {}, pendingCookie);
    const done = await enrolled();
    const db = t.database.db;
    await purgeExpiredAuthRecords(db, new Date(t.clock.now.getTime() + 9 * 60_000));
    expect(await totpRow(pending.userId)).toBeDefined();
    await purgeExpiredAuthRecords(db, new Date(t.clock.now.getTime() + 11 * 60_000));
    expect(await totpRow(pending.userId)).toBeUndefined();
    expect((await totpRow(done.userId))!.enrolledAt).not.toBeNull();
    expect(await recoveryRows(done.userId)).toHaveLength(10);
  });

  test('a resident may not enrol (403 at the door); a regulator whose SMS step is pending may not either', async () => {
    const r = await registerResident(t);
    expect((await get('/auth/totp', r.cookie)).json()).toMatchObject({ available: false, enrolled: false });
    const refused = await post('/auth/totp/enrol', {}, r.cookie);
    expect(refused.statusCode).toBe(403);
    const a = await regulator();
    const pending = await passwordOnly(a.phone);
    expect((await get('/auth/totp', pending)).json()).toMatchObject({ available: true, enrolled: false });
    expect((await post('/auth/totp/enrol', {}, pending)).statusCode).toBe(403);
    expect(await totpRow(a.userId)).toBeUndefined();
  });
});

describe('the MFA step with an authenticator', () => {
  test('a regulator signs in with password + TOTP; no SMS is sent and SMS is refused; a used code is refused', async () => {
    const a = await enrolled();
    const smsBefore = t.sms.latest(a.phone);
    const pending = await passwordOnly(a.phone);
    expect(t.sms.latest(a.phone)).toEqual(smsBefore);
    expect((await get('/auth/totp', pending)).json()).toMatchObject({ enrolled: true });
    // SMS is not this account's second factor any more.
    const viaSms = await post('/auth/mfa/verify', { code: '123456', method: 'sms' }, pending);
    expect(viaSms.statusCode).toBe(409);
    expect(code(viaSms)).toBe('TOTP_REQUIRED');
    expect(code(await post('/auth/mfa/resend', {}, pending))).toBe('TOTP_REQUIRED');
    expect(t.sms.latest(a.phone)).toEqual(smsBefore);

    // The code used to confirm enrolment is spent: the same step is refused (and counted).
    const spent = await post('/auth/mfa/verify', { code: codeNow(a.secret) }, pending);
    expect(code(spent)).toBe('TOTP_INVALID');
    nextStep();
    const fresh = codeNow(a.secret);
    const ok = await post('/auth/mfa/verify', { code: fresh }, pending);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.roles).toContain('regulator');
    expect(ok.json().user.mfaPending).toBe(false);
    const full = cookieFrom(ok);
    expect((await get('/regulator/companies', full)).statusCode).toBe(200);
    expect((await totpRow(a.userId))!.lastStep).toBe(stepAt(t.clock.now));
    const verified = (await audits(a.userId, 'identity.mfa_verify')).filter((r) => r.outcome === 'ok');
    // The enrolment sign-in used SMS; this one the authenticator.
    expect(verified.map((r) => (r.detail as { method: string }).method).sort()).toEqual(['sms', 'totp']);

    // Reuse within its window on another sign-in: refused.
    const second = await passwordOnly(a.phone);
    expect(code(await post('/auth/mfa/verify', { code: fresh }, second))).toBe('TOTP_INVALID');
    // The previous step's code is refused too once a later one was used; the next step's is accepted (±1 window).
    expect(code(await post('/auth/mfa/verify', { code: codeNow(a.secret, -1) }, second))).toBe(
      'TOTP_INVALID',
    );
    expect((await post('/auth/mfa/verify', { code: codeNow(a.secret, 1) }, second)).statusCode).toBe(200);
  });

  test('five wrong codes lock MFA for the account and end the session, as on the SMS path', async () => {
    const a = await enrolled();
    nextStep();
    const pending = await passwordOnly(a.phone);
    const good = codeNow(a.secret);
    const wrong = ['000000', '111111', '222222', '333333', '444444', '555555'].filter(
      (c) => ![-1, 0, 1].some((o) => codeNow(a.secret, o) === c),
    );
    for (let i = 0; i < 4; i++) {
      const res = await post('/auth/mfa/verify', { code: wrong[i] }, pending);
      expect(res.statusCode).toBe(422);
      expect(code(res)).toBe('TOTP_INVALID');
    }
    const fifth = await post('/auth/mfa/verify', { code: wrong[4] }, pending);
    expect(fifth.statusCode).toBe(429);
    expect(code(fifth)).toBe('ACCOUNT_LOCKED');
    // This session is ended (the enrolment session, already confirmed, is not touched).
    expect(code(await get('/auth/me', pending))).toBe('UNAUTHENTICATED');
    expect(await t.database.db.select().from(session).where(eq(session.userId, a.userId))).toHaveLength(1);
    // Locked for the account: even the right code on a new session waits.
    const next = await passwordOnly(a.phone);
    expect(code(await post('/auth/mfa/verify', { code: good }, next))).toBe('ACCOUNT_LOCKED');
    t.clock.advance(15 * 60_000 + 1000);
    expect((await post('/auth/mfa/verify', { code: codeNow(a.secret) }, next)).statusCode).toBe(200);
  });

  test('a recovery code passes the step once; the count goes down; a used one is refused', async () => {
    const a = await enrolled();
    const pending = await passwordOnly(a.phone);
    const rc = a.recoveryCodes[3]!;
    const ok = await post('/auth/mfa/verify', { code: rc.toUpperCase(), method: 'recovery' }, pending);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.roles).toContain('regulator');
    const full = cookieFrom(ok);
    expect((await get('/auth/totp', full)).json()).toMatchObject({ recoveryCodesLeft: 9 });
    const again = await passwordOnly(a.phone);
    const reused = await post('/auth/mfa/verify', { code: rc, method: 'recovery' }, again);
    expect(reused.statusCode).toBe(422);
    expect(code(reused)).toBe('RECOVERY_CODE_INVALID');
    const used = (await audits(a.userId, 'identity.mfa_verify')).find(
      (r) => r.outcome === 'ok' && (r.detail as { method: string }).method === 'recovery',
    );
    expect(used!.detail).toMatchObject({ method: 'recovery', recoveryCodesLeft: 9 });
    expect(JSON.stringify(used)).not.toContain(rc);
  });

  test('an account without an authenticator keeps the SMS step and cannot claim TOTP', async () => {
    const a = await regulator();
    const pending = await passwordOnly(a.phone);
    expect(t.sms.latest(a.phone)?.purpose).toBe('mfa');
    expect(code(await post('/auth/mfa/verify', { code: '123456', method: 'totp' }, pending))).toBe(
      'TOTP_NOT_ENROLLED',
    );
    const sent = t.sms.latest(a.phone)!.code;
    expect((await post('/auth/mfa/verify', { code: sent }, pending)).statusCode).toBe(200);
  });
});

describe('disable', () => {
  test('with a current code: authenticator and recovery codes are gone, audited, and sign-in is back on SMS', async () => {
    const a = await enrolled();
    nextStep();
    const wrong = codeNow(a.secret) === '000000' ? '111111' : '000000';
    expect(code(await post('/auth/totp/disable', { code: wrong }, a.cookie))).toBe('TOTP_INVALID');
    expect((await totpRow(a.userId))!.enrolledAt).not.toBeNull();
    const off = await post('/auth/totp/disable', { code: codeNow(a.secret) }, a.cookie);
    expect(off.statusCode).toBe(204);
    expect(await totpRow(a.userId)).toBeUndefined();
    expect(await recoveryRows(a.userId)).toHaveLength(0);
    const trail = await audits(a.userId, 'identity.totp_disable');
    expect(trail.map((r) => r.outcome).sort()).toEqual(['denied', 'ok']);
    expect(trail.find((r) => r.outcome === 'ok')!.detail).toMatchObject({ method: 'totp' });
    await passwordOnly(a.phone);
    expect(t.sms.latest(a.phone)?.purpose).toBe('mfa');
  });

  test('with the password and a recovery code; a wrong password or a used code is refused and keeps it', async () => {
    const a = await enrolled();
    const rc = a.recoveryCodes[0]!;
    const badPassword = await post(
      '/auth/totp/disable',
      { password: 'Wrong2026pass', recoveryCode: rc },
      a.cookie,
    );
    expect(code(badPassword)).toBe('PASSWORD_CURRENT_INVALID');
    // The recovery code was not spent by the refused attempt.
    expect((await get('/auth/totp', a.cookie)).json()).toMatchObject({ recoveryCodesLeft: 10 });
    const badCode = await post(
      '/auth/totp/disable',
      { password: PASSWORD, recoveryCode: 'zzzzz-zzzzz' },
      a.cookie,
    );
    expect(code(badCode)).toBe('RECOVERY_CODE_INVALID');
    expect((await totpRow(a.userId))!.enrolledAt).not.toBeNull();
    const off = await post('/auth/totp/disable', { password: PASSWORD, recoveryCode: rc }, a.cookie);
    expect(off.statusCode).toBe(204);
    expect(await totpRow(a.userId)).toBeUndefined();
    const [done] = (await audits(a.userId, 'identity.totp_disable')).filter((r) => r.outcome === 'ok');
    expect(done!.detail).toMatchObject({ method: 'recovery' });
  });
});
