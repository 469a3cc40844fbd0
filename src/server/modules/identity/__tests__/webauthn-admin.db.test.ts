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
  nextTotpStep as nextStep,
  problemCode as code,
  type TotpPolicyApps,
  totpNow,
} from '../../../../../test/support/identity-api.js';

// Known gap 4 closed: a security admin removes another account's lost security key (or all its keys) with a reason
// and their own authenticator code; the account's sessions end and, with no factor left, it is not enrolled.
const PASSWORD = 'Ukey2026admin';
const RELYING_PARTY = { origin: 'https://anxin.example', rpId: 'anxin.example' };

let apps: TotpPolicyApps;
let t: TestApp; // MFA_TOTP_REQUIRED on, 7 days of grace
let optional: TestApp; // MFA_TOTP_REQUIRED off (the dev/test default)
beforeAll(async () => {
  apps = await buildTotpPolicyApps({ PUBLIC_URL: RELYING_PARTY.origin });
  ({ required: t, optional } = apps);
});
afterAll(() => apps?.close());

const account = (app: TestApp, role: 'regulator' | 'platform_admin' | 'security_admin') =>
  createRoleAccount(app, role, { password: PASSWORD, name: '密钥管理' });
const addKey = (app: TestApp, cookie: string, label: string) =>
  addSecurityKey(app, cookie, label, RELYING_PARTY);

/** A security admin with an authenticator, signed in; `code()` is a fresh (unused) code each call. */
async function securityAdmin(app: TestApp) {
  const a = await account(app, 'security_admin');
  const cookie = await signInWithPassword(app.app, a.phone, PASSWORD);
  const { secret } = await enrolTotp(app, cookie);
  return {
    ...a,
    cookie,
    code: () => {
      nextStep(app);
      return totpNow(app, secret);
    },
  };
}

interface ListedKey {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}
async function listed(app: TestApp, adminCookie: string, userId: string) {
  const page = await req(app, 'GET', '/security/accounts?limit=100', adminCookie);
  expect(page.statusCode).toBe(200);
  return (page.json() as { items: { id: string; securityKeys: ListedKey[] }[] }).items.find(
    (a) => a.id === userId,
  );
}
const keysOf = (app: TestApp, userId: string) =>
  app.database.db.select().from(userWebauthnCredential).where(eq(userWebauthnCredential.userId, userId));
const sessionsOf = (app: TestApp, userId: string) =>
  app.database.db.select().from(session).where(eq(session.userId, userId));
const audits = (app: TestApp, objectId: string) =>
  app.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.objectId, objectId), like(auditLog.action, 'identity.webauthn_admin_remove')));
const oneUrl = (userId: string, keyId: string) =>
  `/security/accounts/${userId}/security-keys/${keyId}/remove`;
const allUrl = (userId: string) => `/security/accounts/${userId}/security-keys/remove`;

describe('the security console lists security keys', () => {
  test('name, created and last used per key; never the credential id or public key', async () => {
    const admin = await securityAdmin(optional);
    const target = await account(optional, 'regulator');
    const cookie = await signInWithPassword(optional.app, target.phone, PASSWORD);
    const first = await addKey(optional, cookie, '办公室 UKey');
    await addKey(optional, cookie, '备用 UKey');
    const row = await listed(optional, admin.cookie, target.userId);
    expect(row?.securityKeys.map((k) => k.label)).toEqual(['办公室 UKey', '备用 UKey']);
    expect(row?.securityKeys[0]).toEqual({
      id: first.id,
      label: '办公室 UKey',
      createdAt: expect.any(String),
      lastUsedAt: null,
    });
    const stored = await keysOf(optional, target.userId);
    const body = JSON.stringify(row);
    for (const k of stored) {
      expect(body).not.toContain(k.credentialId);
      expect(body).not.toContain(k.publicKey);
    }
    expect((await listed(optional, admin.cookie, admin.userId))?.securityKeys).toEqual([]);
  });
});

describe('removal by a security admin', () => {
  test('refusals change nothing: bad input, wrong code, own account, unknown account or key, no keys, other roles', async () => {
    const target = await account(t, 'regulator');
    const targetCookie = await signInWithPassword(t.app, target.phone, PASSWORD);
    const { id: keyId } = await addKey(t, targetCookie, '办公室 UKey');
    const other = await account(t, 'regulator');
    const otherCookie = await signInWithPassword(t.app, other.phone, PASSWORD);
    const { id: otherKey } = await addKey(t, otherCookie, '别人的 UKey');
    const bare = await account(t, 'regulator');

    // An admin without an authenticator of their own is refused before anything else.
    const plain = await account(t, 'security_admin');
    const plainCookie = await signInWithPassword(t.app, plain.phone, PASSWORD);
    const noOwn = await req(t, 'POST', allUrl(target.userId), plainCookie, {
      reason: '密钥丢失',
      code: '123456',
    });
    expect(noOwn.statusCode).toBe(403);
    expect(code(noOwn)).toBe('TOTP_ENROLMENT_REQUIRED');

    const admin = await securityAdmin(t);
    const good = admin.code();
    const wrong = good === '000000' ? '111111' : '000000';
    for (const body of [{ reason: '密钥丢失' }, { reason: 'x', code: good }, { code: good }, {}]) {
      const res = await req(t, 'POST', oneUrl(target.userId, keyId), admin.cookie, body);
      expect(res.statusCode).toBe(422);
      expect(code(res)).toBe('VALIDATION_FAILED');
    }
    const bad = await req(t, 'POST', oneUrl(target.userId, keyId), admin.cookie, {
      reason: '密钥丢失',
      code: wrong,
    });
    expect(bad.statusCode).toBe(422);
    expect(code(bad)).toBe('TOTP_INVALID');
    const self = await req(t, 'POST', allUrl(admin.userId), admin.cookie, { reason: '密钥丢失', code: good });
    expect(self.statusCode).toBe(403);
    expect(code(self)).toBe('ADMIN_SELF_CHANGE');
    const body = { reason: '密钥丢失', code: good };
    for (const url of [
      allUrl('usr_00000000000000000000000000'),
      oneUrl('usr_00000000000000000000000000', keyId),
      oneUrl(target.userId, 'wak_00000000000000000000000000'),
      // Another account's key through this account: hidden.
      oneUrl(target.userId, otherKey),
    ]) {
      const res = await req(t, 'POST', url, admin.cookie, body);
      expect(res.statusCode, url).toBe(404);
      expect(code(res)).toBe('NOT_FOUND');
    }
    const none = await req(t, 'POST', allUrl(bare.userId), admin.cookie, body);
    expect(none.statusCode).toBe(409);
    expect(code(none)).toBe('WEBAUTHN_NOT_ENROLLED');
    for (const role of ['platform_admin', 'regulator'] as const) {
      const someone = await account(t, role);
      const c = await signInWithPassword(t.app, someone.phone, PASSWORD);
      const res = await req(t, 'POST', oneUrl(target.userId, keyId), c, body);
      expect(res.statusCode).toBe(403);
      expect(code(res)).toBe('FORBIDDEN');
    }
    expect((await req(t, 'POST', allUrl(target.userId), undefined, body)).statusCode).toBe(401);

    // Nothing moved: keys, sessions; only the wrong code left a (denied) trace, on the admin.
    expect(await keysOf(t, target.userId)).toHaveLength(1);
    expect(await keysOf(t, other.userId)).toHaveLength(1);
    expect(await sessionsOf(t, target.userId)).toHaveLength(1);
    expect(await audits(t, target.userId)).toEqual([]);
    const denied = await audits(t, admin.userId);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      outcome: 'denied',
      detail: { reason: 'code does not match', locked: false },
    });
    // The unspent good code still works after all that.
    const ok = await req(t, 'POST', oneUrl(target.userId, keyId), admin.cookie, body);
    expect(ok.statusCode).toBe(200);
  });

  test('one key of two: it goes, the other stays, the sessions end; the person still has a factor', async () => {
    const admin = await securityAdmin(t);
    const target = await account(t, 'regulator');
    const cookie = await signInWithPassword(t.app, target.phone, PASSWORD);
    const lost = await addKey(t, cookie, '丢失的 UKey');
    const spare = await addKey(t, cookie, '备用 UKey');
    const before = (await t.database.db.select().from(user).where(eq(user.id, target.userId)))[0]!;

    const res = await req(t, 'POST', oneUrl(target.userId, lost.id), admin.cookie, {
      reason: '本人来电挂失，已回拨核实',
      code: admin.code(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ removed: 1, sessionsEnded: 1 });
    expect((await keysOf(t, target.userId)).map((k) => k.id)).toEqual([spare.id]);
    expect(await sessionsOf(t, target.userId)).toEqual([]);
    expect((await req(t, 'GET', '/auth/me', cookie)).statusCode).toBe(401);
    const after = (await t.database.db.select().from(user).where(eq(user.id, target.userId)))[0]!;
    expect(after.totpEnrolBy).toEqual(before.totpEnrolBy);
    expect((await listed(t, admin.cookie, target.userId))?.securityKeys.map((k) => k.id)).toEqual([spare.id]);

    const trail = await audits(t, target.userId);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      actorId: admin.userId,
      objectType: 'user',
      outcome: 'ok',
      detail: {
        reason: '本人来电挂失，已回拨核实',
        keyIds: [lost.id],
        all: false,
        factorLeft: true,
        sessionsEnded: 1,
      },
    });
    expect(JSON.stringify(trail)).not.toContain(lost.key.id);

    // The spare key still signs in, and the lost one is no longer offered or accepted.
    const pending = await req(t, 'POST', '/auth/login/password', undefined, {
      phone: target.phone,
      password: PASSWORD,
    });
    const pc = cookieFrom(pending);
    const o = (await req(t, 'POST', '/auth/mfa/webauthn/options', pc)).json() as {
      challenge: string;
      allowCredentials: { id: string }[];
    };
    expect(o.allowCredentials.map((c) => c.id)).toEqual([spare.key.id]);
    const refused = await req(t, 'POST', '/auth/mfa/webauthn/verify', pc, { response: lost.key.assert(o) });
    expect(refused.statusCode).toBe(422);
  });

  test('all keys: the account is not enrolled, and under the requirement must enrol at its next sign-in', async () => {
    const admin = await securityAdmin(t);
    const target = await account(t, 'regulator');
    const cookie = await signInWithPassword(t.app, target.phone, PASSWORD);
    const a = await addKey(t, cookie, 'UKey 甲');
    const b = await addKey(t, cookie, 'UKey 乙');
    // A second session waiting for its key step (another device): it ends too.
    const pending = await req(t, 'POST', '/auth/login/password', undefined, {
      phone: target.phone,
      password: PASSWORD,
    });
    expect(pending.json().user.mfaPending).toBe(true);
    expect(await sessionsOf(t, target.userId)).toHaveLength(2);

    const res = await req(t, 'POST', allUrl(target.userId), admin.cookie, {
      reason: '两把密钥随包丢失',
      code: admin.code(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ removed: 2, sessionsEnded: 2 });
    expect(await keysOf(t, target.userId)).toEqual([]);
    expect(await sessionsOf(t, target.userId)).toEqual([]);
    const trail = await audits(t, target.userId);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actorId: admin.userId, outcome: 'ok' });
    expect(trail[0]!.detail).toMatchObject({
      reason: '两把密钥随包丢失',
      all: true,
      factorLeft: false,
      sessionsEnded: 2,
      enrolBy: t.clock.now.toISOString(),
    });
    expect([...((trail[0]!.detail as { keyIds: string[] }).keyIds ?? [])].sort()).toEqual(
      [a.id, b.id].sort(),
    );
    expect((await listed(t, admin.cookie, target.userId))?.securityKeys).toEqual([]);

    // Next sign-in: password + SMS again (no factor), then straight to enrolment (no second grace).
    const again = await signInWithPassword(t.app, target.phone, PASSWORD);
    const me = (await req(t, 'GET', '/auth/me', again)).json().user as {
      roles: string[];
      totpEnrolmentRequired: boolean;
    };
    expect(me).toMatchObject({ roles: [], totpEnrolmentRequired: true });
    expect(code(await req(t, 'GET', '/regulator/workers', again))).toBe('TOTP_ENROLMENT_REQUIRED');
    await addKey(t, again, '新 UKey');
    expect((await req(t, 'GET', '/regulator/workers', again)).statusCode).toBe(200);
  });

  test('with the requirement off, an account left without a factor signs in with SMS again (no deadline)', async () => {
    const admin = await securityAdmin(optional);
    const target = await account(optional, 'regulator');
    const cookie = await signInWithPassword(optional.app, target.phone, PASSWORD);
    await addKey(optional, cookie, '唯一 UKey');
    const res = await req(optional, 'POST', allUrl(target.userId), admin.cookie, {
      reason: '密钥损坏',
      code: admin.code(),
    });
    expect(res.json()).toEqual({ removed: 1, sessionsEnded: 1 });
    const [u] = await optional.database.db.select().from(user).where(eq(user.id, target.userId));
    expect(u!.totpEnrolBy).toBeNull();
    const again = await signInWithPassword(optional.app, target.phone, PASSWORD);
    expect((await req(optional, 'GET', '/auth/me', again)).json().user.roles).toEqual(['regulator']);
  });

  test('a person keeping TOTP stays enrolled when all their keys go', async () => {
    const admin = await securityAdmin(t);
    const target = await account(t, 'regulator');
    const cookie = await signInWithPassword(t.app, target.phone, PASSWORD);
    await enrolTotp(t, cookie);
    await addKey(t, cookie, 'UKey');
    const res = await req(t, 'POST', allUrl(target.userId), admin.cookie, {
      reason: '密钥丢失',
      code: admin.code(),
    });
    expect(res.statusCode).toBe(200);
    const [row] = await audits(t, target.userId);
    expect(row!.detail).toMatchObject({ factorLeft: true });
    expect(row!.detail).not.toHaveProperty('enrolBy');
  });

  test('wrong codes count in the admin’s throttle: the fifth locks, and a right code is then refused too', async () => {
    const admin = await securityAdmin(t);
    const target = await account(t, 'regulator');
    const cookie = await signInWithPassword(t.app, target.phone, PASSWORD);
    await addKey(t, cookie, 'UKey');
    const good = admin.code();
    const wrong = good === '000000' ? '111111' : '000000';
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        code(await req(t, 'POST', allUrl(target.userId), admin.cookie, { reason: '密钥丢失', code: wrong })),
      );
    expect(codes).toEqual(['TOTP_INVALID', 'TOTP_INVALID', 'TOTP_INVALID', 'TOTP_INVALID', 'ACCOUNT_LOCKED']);
    const locked = await req(t, 'POST', allUrl(target.userId), admin.cookie, {
      reason: '密钥丢失',
      code: good,
    });
    expect(locked.statusCode).toBe(429);
    expect(code(locked)).toBe('ACCOUNT_LOCKED');
    expect(await keysOf(t, target.userId)).toHaveLength(1);
    const denied = await audits(t, admin.userId);
    expect(denied.map((d) => (d.detail as { locked: boolean }).locked)).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});
