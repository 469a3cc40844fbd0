import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { session, user, userWebauthnCredential } from '../identity.tables.js';
import { cookieFrom, type TestApp } from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import {
  addSecurityKey,
  apiRequest as req,
  buildTotpPolicyApps,
  createRoleAccount,
  enrolTotp,
  nextTotpStep,
  problemCode as code,
  type TotpPolicyApps,
  totpNow,
} from '../../../../../test/support/identity-api.js';
import { SoftSecurityKey } from '../../../../../test/support/webauthn-authenticator.js';

// Issue 14, known gap 4 (等保 L3-CES1-04, ASVS 6.5.x): a WebAuthn security key (UKey) as the cryptographic second
// factor of MFA-role accounts, checked with a software P-256 key built by hand (test/support/webauthn-authenticator.ts).
const PASSWORD = 'Ukey2026pass';
const ORIGIN = 'https://anxin.example';
const RP_ID = 'anxin.example';

let apps: TotpPolicyApps;
let t: TestApp; // MFA_TOTP_REQUIRED off (the dev/test default)
let strict: TestApp; // MFA_TOTP_REQUIRED on
beforeAll(async () => {
  apps = await buildTotpPolicyApps({ PUBLIC_URL: ORIGIN });
  ({ optional: t, required: strict } = apps);
});
afterAll(() => apps?.close());

type Json = Record<string, unknown>;

const account = (app: TestApp, role: 'regulator' | 'platform_admin' | 'resident' = 'regulator') =>
  createRoleAccount(app, role, { password: PASSWORD, name: '密钥测试' });

/** Registers a fresh software key on a fully signed-in session. */
const addKey = (app: TestApp, cookie: string, label = '办公室 UKey') =>
  addSecurityKey(app, cookie, label, { origin: ORIGIN, rpId: RP_ID });

/** Password step only: the pending session's cookie. */
async function passwordStep(app: TestApp, phone: string) {
  const res = await req(app, 'POST', '/auth/login/password', undefined, { phone, password: PASSWORD });
  expect(res.statusCode).toBe(200);
  expect(res.json().user.mfaPending).toBe(true);
  return cookieFrom(res);
}

async function keyOptions(app: TestApp, cookie: string) {
  const res = await req(app, 'POST', '/auth/mfa/webauthn/options', cookie);
  expect(res.statusCode).toBe(200);
  return res.json() as { challenge: string; rpId: string; allowCredentials: { id: string }[] };
}

const audits = (app: TestApp, userId: string, action: string) =>
  app.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.objectId, userId), like(auditLog.action, action)));

describe('registering a security key', () => {
  test('a regulator adds a key: listed, audited without key material; SMS is no longer its second factor', async () => {
    const a = await account(t);
    const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    const opts = await req(t, 'POST', '/auth/webauthn/register/options', cookie);
    const o = opts.json() as Json & { rp: { id: string }; challenge: string };
    expect(o.rp.id).toBe(RP_ID);
    const key = new SoftSecurityKey({ origin: ORIGIN, rpId: RP_ID });
    const res = await req(t, 'POST', '/auth/webauthn/register/verify', cookie, {
      label: '办公室 UKey',
      response: key.register(o),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ label: '办公室 UKey', transports: ['usb'], lastUsedAt: null });
    const list = await req(t, 'GET', '/auth/webauthn/credentials', cookie);
    expect(list.json()).toMatchObject({ available: true, items: [{ label: '办公室 UKey' }] });

    const [row] = await t.database.db
      .select()
      .from(userWebauthnCredential)
      .where(eq(userWebauthnCredential.userId, a.userId));
    expect(row!.credentialId).toBe(key.id);
    const rows = await audits(t, a.userId, 'identity.webauthn_%');
    expect(rows.map((r) => r.action)).toContain('identity.webauthn_register');
    const text = JSON.stringify(rows.map((r) => r.detail));
    expect(text).not.toContain(row!.publicKey);
    expect(text).not.toContain(o.challenge);

    // The next sign-in sends no SMS and refuses the SMS route.
    const before = t.sms.latest(a.phone)?.sentAt;
    const pending = await passwordStep(t, a.phone);
    expect(t.sms.latest(a.phone)?.sentAt).toEqual(before);
    expect(code(await req(t, 'POST', '/auth/mfa/verify', pending, { code: '123456', method: 'sms' }))).toBe(
      'WEBAUTHN_REQUIRED',
    );
    expect(code(await req(t, 'POST', '/auth/mfa/resend', pending))).toBe('WEBAUTHN_REQUIRED');
  });

  test('a registration answer from another origin, for another challenge, or replayed is refused', async () => {
    const a = await account(t);
    const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    const key = new SoftSecurityKey({ origin: ORIGIN, rpId: RP_ID });
    let o = (await req(t, 'POST', '/auth/webauthn/register/options', cookie)).json() as { challenge: string };
    const evil = await req(t, 'POST', '/auth/webauthn/register/verify', cookie, {
      label: 'k',
      response: key.register(o, { origin: 'https://phish.example' }),
    });
    expect(evil.statusCode).toBe(422);
    expect(code(evil)).toBe('WEBAUTHN_INVALID');
    // The challenge was spent by that attempt.
    const again = await req(t, 'POST', '/auth/webauthn/register/verify', cookie, {
      label: 'k',
      response: key.register(o),
    });
    expect(code(again)).toBe('WEBAUTHN_CHALLENGE_EXPIRED');
    o = (await req(t, 'POST', '/auth/webauthn/register/options', cookie)).json() as { challenge: string };
    const wrong = await req(t, 'POST', '/auth/webauthn/register/verify', cookie, {
      label: 'k',
      response: key.register(o, { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    });
    expect(code(wrong)).toBe('WEBAUTHN_INVALID');
    const denied = await audits(t, a.userId, 'identity.webauthn_register');
    expect(denied.map((r) => [r.outcome, (r.detail as { reason: string }).reason]).sort()).toEqual([
      ['denied', 'challenge_mismatch'],
      ['denied', 'challenge_missing'],
      ['denied', 'origin_mismatch'],
    ]);
    expect(
      await t.database.db
        .select()
        .from(userWebauthnCredential)
        .where(eq(userWebauthnCredential.userId, a.userId)),
    ).toHaveLength(0);
  });

  test('only MFA roles may register; a session still at its MFA step may not', async () => {
    const r = await account(t, 'resident');
    const rc = await signInWithPassword(t.app, r.phone, PASSWORD);
    expect((await req(t, 'POST', '/auth/webauthn/register/options', rc)).statusCode).toBe(403);
    const a = await account(t);
    const pending = await passwordStep(t, a.phone);
    expect((await req(t, 'POST', '/auth/webauthn/register/options', pending)).statusCode).toBe(403);
  });
});

describe('the MFA step with a security key', () => {
  test('password, then the key: the session rotates, the role counts, the key is marked used', async () => {
    const a = await account(t);
    const { key, id } = await addKey(t, await signInWithPassword(t.app, a.phone, PASSWORD));
    const pending = await passwordStep(t, a.phone);
    const o = await keyOptions(t, pending);
    expect(o.rpId).toBe(RP_ID);
    expect(o.allowCredentials.map((c) => c.id)).toEqual([key.id]);
    const res = await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, { response: key.assert(o) });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ roles: ['regulator'], mfaPending: false });
    const fresh = cookieFrom(res);
    expect(fresh).not.toBe(pending);
    expect((await req(t, 'GET', '/auth/me', pending)).statusCode).toBe(401);
    expect((await req(t, 'GET', '/regulator/workers', fresh)).statusCode).toBe(200);
    const [row] = await t.database.db
      .select()
      .from(userWebauthnCredential)
      .where(eq(userWebauthnCredential.id, id));
    expect(row!.counter).toBe(1);
    expect(row!.lastUsedAt).not.toBeNull();
    const used = await audits(t, a.userId, 'identity.webauthn_use');
    expect(used.map((r) => [r.outcome, (r.detail as { keyId: string }).keyId])).toEqual([['ok', id]]);
    const mfa = await audits(t, a.userId, 'identity.mfa_verify');
    expect(mfa.at(-1)!.detail).toMatchObject({ method: 'webauthn', keyId: id });
  });

  test('wrong origin, wrong challenge and wrong RP id are refused and audited; the session stays pending', async () => {
    const a = await account(t);
    const { key } = await addKey(t, await signInWithPassword(t.app, a.phone, PASSWORD));
    const pending = await passwordStep(t, a.phone);
    const cases = [
      { bend: { origin: 'https://phish.example' }, reason: 'origin_mismatch' },
      { bend: { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' }, reason: 'challenge_mismatch' },
      { bend: { rpId: 'phish.example' }, reason: 'rp_id_mismatch' },
    ];
    for (const c of cases) {
      const o = await keyOptions(t, pending);
      const res = await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, {
        response: key.assert(o, c.bend),
      });
      expect(res.statusCode).toBe(422);
      expect(code(res)).toBe('WEBAUTHN_INVALID');
    }
    const denied = await audits(t, a.userId, 'identity.webauthn_use');
    expect(denied.map((r) => (r.detail as { reason: string }).reason).sort()).toEqual(
      cases.map((c) => c.reason).sort(),
    );
    expect((await req(t, 'GET', '/auth/me', pending)).json().user.mfaPending).toBe(true);
  });

  test('a replayed assertion is refused (challenge spent), and so is a counter that went backwards', async () => {
    const a = await account(t);
    const { key, id } = await addKey(t, await signInWithPassword(t.app, a.phone, PASSWORD));
    // First sign-in with the key: counter 1 stored.
    let pending = await passwordStep(t, a.phone);
    let o = await keyOptions(t, pending);
    const first = key.assert(o);
    expect((await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, { response: first })).statusCode).toBe(
      200,
    );
    // The same answer again on a new pending session (no fresh challenge for it): refused.
    pending = await passwordStep(t, a.phone);
    const replay = await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, { response: first });
    expect(code(replay)).toBe('WEBAUTHN_CHALLENGE_EXPIRED');
    // Even with a live challenge, an old answer signs the old challenge.
    await keyOptions(t, pending);
    expect(code(await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, { response: first }))).toBe(
      'WEBAUTHN_INVALID',
    );
    // A clone of the key: a valid signature over the live challenge, but a counter not above the stored one.
    o = await keyOptions(t, pending);
    const clone = await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, {
      response: key.assert(o, { counter: 1 }),
    });
    expect(clone.statusCode).toBe(422);
    expect(code(clone)).toBe('WEBAUTHN_COUNTER_REGRESSED');
    const reasons = (await audits(t, a.userId, 'identity.webauthn_use'))
      .filter((r) => r.outcome === 'denied')
      .map((r) => r.detail as { reason: string; keyId?: string });
    expect(reasons).toContainEqual({ reason: 'counter_regression', keyId: id });
    const [row] = await t.database.db
      .select()
      .from(userWebauthnCredential)
      .where(eq(userWebauthnCredential.id, id));
    expect(row!.counter).toBe(1);
    // The genuine key, counter 2, still works.
    o = await keyOptions(t, pending);
    expect(
      (
        await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, {
          response: key.assert(o, { counter: 2 }),
        })
      ).statusCode,
    ).toBe(200);
  });

  test("another account's key does not complete this account's MFA step", async () => {
    const a = await account(t);
    const b = await account(t);
    await addKey(t, await signInWithPassword(t.app, a.phone, PASSWORD));
    const bKey = await addKey(t, await signInWithPassword(t.app, b.phone, PASSWORD));
    const pending = await passwordStep(t, a.phone);
    const o = await keyOptions(t, pending);
    const res = await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, { response: bKey.key.assert(o) });
    expect(code(res)).toBe('WEBAUTHN_INVALID');
    const denied = await audits(t, a.userId, 'identity.webauthn_use');
    expect(denied.map((r) => (r.detail as { reason: string }).reason)).toEqual(['unknown_key']);
    expect((await req(t, 'GET', '/auth/me', pending)).json().user.mfaPending).toBe(true);
  });

  test('five failures lock the MFA step for the account and end the session', async () => {
    const a = await account(t);
    const { key } = await addKey(t, await signInWithPassword(t.app, a.phone, PASSWORD));
    const pending = await passwordStep(t, a.phone);
    let last: Awaited<ReturnType<typeof req>> | undefined;
    for (let i = 0; i < 5; i++) {
      const o = await keyOptions(t, pending);
      last = await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, {
        response: key.assert(o, { origin: 'https://phish.example' }),
      });
    }
    expect(code(last!)).toBe('ACCOUNT_LOCKED');
    expect((await req(t, 'GET', '/auth/me', pending)).statusCode).toBe(401);
  });
});

describe('managing keys', () => {
  test('rename and remove own keys with the password; other accounts’ keys are 404; removal is audited', async () => {
    const a = await account(t);
    const b = await account(t);
    const aCookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    const bCookie = await signInWithPassword(t.app, b.phone, PASSWORD);
    const { key, id } = await addKey(t, aCookie);
    const renamed = await req(t, 'PATCH', `/auth/webauthn/credentials/${id}`, aCookie, { label: '备用钥匙' });
    expect(renamed.json()).toMatchObject({ id, label: '备用钥匙' });
    expect(
      (await req(t, 'PATCH', `/auth/webauthn/credentials/${id}`, bCookie, { label: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await req(t, 'POST', `/auth/webauthn/credentials/${id}/remove`, bCookie, { password: PASSWORD }))
        .statusCode,
    ).toBe(404);
    const wrong = await req(t, 'POST', `/auth/webauthn/credentials/${id}/remove`, aCookie, {
      password: 'nope-nope',
    });
    expect(code(wrong)).toBe('PASSWORD_CURRENT_INVALID');
    const ok = await req(t, 'POST', `/auth/webauthn/credentials/${id}/remove`, aCookie, {
      password: PASSWORD,
    });
    expect(ok.statusCode).toBe(204);
    expect((await audits(t, a.userId, 'identity.webauthn_remove')).map((r) => r.outcome).sort()).toEqual([
      'denied',
      'ok',
    ]);
    // A removed key no longer signs in; the account is back on SMS.
    const pending = await passwordStep(t, a.phone);
    expect(t.sms.latest(a.phone)?.purpose).toBe('mfa');
    expect(code(await req(t, 'POST', '/auth/mfa/webauthn/options', pending))).toBe('WEBAUTHN_NOT_ENROLLED');
    expect(
      code(
        await req(t, 'POST', '/auth/mfa/webauthn/verify', pending, {
          response: key.assert({ challenge: 'AAAA' }),
        }),
      ),
    ).toBe('WEBAUTHN_NOT_ENROLLED');
  });
});

describe('mandatory second factor (MFA_TOTP_REQUIRED)', () => {
  test('a key meets the requirement: no deadline; its last key cannot be removed', async () => {
    const a = await account(strict);
    const cookie = await signInWithPassword(strict.app, a.phone, PASSWORD);
    expect((await req(strict, 'GET', '/auth/me', cookie)).json().user.totpEnrolBy).not.toBeNull();
    const { key, id } = await addKey(strict, cookie);
    // Registering clears the deadline on the account's sessions at once.
    const sessions = await strict.database.db.select().from(session).where(eq(session.userId, a.userId));
    expect(sessions.every((s) => s.totpEnrolBy === null)).toBe(true);
    // Far past the grace, a sign-in with the key keeps the role.
    strict.clock.advance(30 * 86_400_000);
    const pending = await passwordStep(strict, a.phone);
    const o = await keyOptions(strict, pending);
    const res = await req(strict, 'POST', '/auth/mfa/webauthn/verify', pending, { response: key.assert(o) });
    expect(res.json().user).toMatchObject({
      roles: ['regulator'],
      totpEnrolBy: null,
      totpEnrolmentRequired: false,
    });
    const full = cookieFrom(res);
    const refused = await req(strict, 'POST', `/auth/webauthn/credentials/${id}/remove`, full, {
      password: PASSWORD,
    });
    expect(refused.statusCode).toBe(409);
    expect(code(refused)).toBe('WEBAUTHN_LAST_FACTOR');
    // With a second key the first may go.
    await addKey(strict, full, '备用');
    const ok = await req(strict, 'POST', `/auth/webauthn/credentials/${id}/remove`, full, {
      password: PASSWORD,
    });
    expect(ok.statusCode).toBe(204);
    const [u] = await strict.database.db.select().from(user).where(eq(user.id, a.userId));
    expect(u).toBeDefined();
  });

  test('removing the authenticator while a key remains holds the account to no deadline', async () => {
    const a = await account(strict);
    const cookie = await signInWithPassword(strict.app, a.phone, PASSWORD);
    await addKey(strict, cookie);
    const { secret } = await enrolTotp(strict, cookie);
    // The next time step, so the disabling code has not been used.
    nextTotpStep(strict);
    const off = await req(strict, 'POST', '/auth/totp/disable', cookie, { code: totpNow(strict, secret) });
    expect(off.statusCode).toBe(204);
    const sessions = await strict.database.db.select().from(session).where(eq(session.userId, a.userId));
    expect(sessions.every((x) => x.totpEnrolBy === null)).toBe(true);
    strict.clock.advance(30 * 86_400_000);
    expect((await req(strict, 'GET', '/auth/me', cookie)).json().user).toMatchObject({
      roles: ['regulator'],
      totpEnrolmentRequired: false,
    });
  });
});
