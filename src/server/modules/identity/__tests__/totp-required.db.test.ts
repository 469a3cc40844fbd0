import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import type { Role } from '../../../../shared/roles.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { session, user, userRecoveryCode, userTotp } from '../identity.tables.js';
import { cookieFrom, uniquePhone, type TestApp } from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import {
  apiRequest as req,
  buildTotpPolicyApps,
  createRoleAccount,
  enrolTotp as enrol,
  nextTotpStep as nextStep,
  problemCode as code,
  type TotpPolicyApps,
  totpNow as codeNow,
} from '../../../../../test/support/identity-api.js';

// Issue 14 / 等保 L3-CES1-04: TOTP is mandatory for MFA roles after a grace period (MFA_TOTP_REQUIRED,
// MFA_TOTP_GRACE_DAYS); recovery codes can be regenerated; a security admin can reset a lost authenticator.
const PASSWORD = 'Totp2026pass';
const DAY = 86_400_000;

let apps: TotpPolicyApps;
let t: TestApp; // MFA_TOTP_REQUIRED=true, 7 days of grace
let optional: TestApp; // MFA_TOTP_REQUIRED=false (the dev/test default)
beforeAll(async () => {
  apps = await buildTotpPolicyApps();
  ({ required: t, optional } = apps);
});
afterAll(() => apps?.close());

const me = async (app: TestApp, cookie: string) =>
  (await req(app, 'GET', '/auth/me', cookie)).json().user as {
    roles: Role[];
    totpEnrolBy: string | null;
    totpEnrolmentRequired: boolean;
  };

const account = (app: TestApp, role: 'regulator' | 'platform_admin' | 'security_admin') =>
  createRoleAccount(app, role, { password: PASSWORD, name: '强制口令' });

const userRow = async (app: TestApp, userId: string) =>
  (await app.database.db.select().from(user).where(eq(user.id, userId)))[0]!;
const recoveryHashes = async (app: TestApp, userId: string) =>
  (await app.database.db.select().from(userRecoveryCode).where(eq(userRecoveryCode.userId, userId)))
    .map((r) => r.codeHash)
    .sort();
const audits = (app: TestApp, objectId: string, action: string) =>
  app.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.objectId, objectId), like(auditLog.action, action)));

// A sample of privileged routes per role (GETs that need no body) and the account-management routes.
const privileged: Record<string, string[]> = {
  regulator: ['/regulator/workers', '/regulator/companies', '/regulator/certificates'],
  platform_admin: ['/admin/organizations', '/admin/partners'],
  security_admin: ['/security/accounts'],
};

describe('MFA_TOTP_REQUIRED off (dev/test default)', () => {
  test('an MFA role without an authenticator keeps SMS as its second factor, with no deadline, for good', async () => {
    const a = await account(optional, 'regulator');
    const cookie = await signInWithPassword(optional.app, a.phone, PASSWORD);
    optional.clock.advance(30 * DAY);
    expect(await me(optional, cookie)).toMatchObject({
      roles: ['regulator'],
      totpEnrolBy: null,
      totpEnrolmentRequired: false,
    });
    for (const url of privileged.regulator!)
      expect((await req(optional, 'GET', url, cookie)).statusCode).toBe(200);
    expect((await userRow(optional, a.userId)).totpEnrolBy).toBeNull();
  });
});

describe('mandatory enrolment', () => {
  test('within grace: SMS sign-in works, every response of /auth/me carries the deadline, stamped once', async () => {
    const a = await account(t, 'regulator');
    const signedAt = t.clock.now.getTime();
    const pre = await req(t, 'POST', '/auth/login/password', undefined, {
      phone: a.phone,
      password: PASSWORD,
    });
    expect(pre.json().user).toMatchObject({
      mfaPending: true,
      totpEnrolBy: null,
      totpEnrolmentRequired: false,
    });
    const verified = await req(t, 'POST', '/auth/mfa/verify', cookieFrom(pre), {
      code: t.sms.latest(a.phone)!.code,
    });
    expect(verified.statusCode).toBe(200);
    const deadline = new Date(signedAt + 7 * DAY).toISOString();
    expect(verified.json().user).toMatchObject({ roles: ['regulator'], totpEnrolBy: deadline });
    const cookie = cookieFrom(verified);
    expect(await me(t, cookie)).toMatchObject({ totpEnrolBy: deadline, totpEnrolmentRequired: false });
    for (const url of privileged.regulator!) expect((await req(t, 'GET', url, cookie)).statusCode).toBe(200);
    expect((await userRow(t, a.userId)).totpEnrolBy?.toISOString()).toBe(deadline);

    // Three days later a second sign-in keeps the first deadline (the grace is not restarted by signing in).
    t.clock.advance(3 * DAY);
    const second = await signInWithPassword(t.app, a.phone, PASSWORD);
    expect((await me(t, second)).totpEnrolBy).toBe(deadline);

    // The deadline passes while the session is live: the same cookie is now held to enrolment.
    t.clock.advance(4 * DAY);
    expect(await me(t, cookie)).toMatchObject({
      roles: [],
      totpEnrolBy: null,
      totpEnrolmentRequired: true,
    });
    const refused = await req(t, 'GET', '/regulator/workers', cookie);
    expect(refused.statusCode).toBe(403);
    expect(code(refused)).toBe('TOTP_ENROLMENT_REQUIRED');
    expect(refused.json().detail ?? refused.json().title).toBeTruthy();
  });

  test('past grace: only enrolment and sign-out work; enrolling lifts the restriction in the same session', async () => {
    for (const role of ['regulator', 'platform_admin', 'security_admin'] as const) {
      const a = await account(t, role);
      const first = await signInWithPassword(t.app, a.phone, PASSWORD);
      t.clock.advance(7 * DAY + 60_000);
      const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
      for (const c of [first, cookie]) {
        expect(await me(t, c)).toMatchObject({ roles: [], totpEnrolmentRequired: true });
        for (const url of privileged[role]!) {
          const res = await req(t, 'GET', url, c);
          expect(res.statusCode, `${role} ${url}`).toBe(403);
          expect(code(res)).toBe('TOTP_ENROLMENT_REQUIRED');
        }
      }
      // Account management other than enrolment is closed too; the refusal is audited.
      expect(code(await req(t, 'GET', '/auth/sessions', cookie))).toBe('TOTP_ENROLMENT_REQUIRED');
      expect(
        code(
          await req(t, 'POST', '/auth/password/change', cookie, {
            currentPassword: PASSWORD,
            newPassword: 'Another2026pass',
          }),
        ),
      ).toBe('TOTP_ENROLMENT_REQUIRED');
      expect((await audits(t, a.userId, 'identity.password_change')).length).toBe(0);
      // Open: who am I, the authenticator status, enrolment.
      expect((await req(t, 'GET', '/auth/totp', cookie)).json()).toMatchObject({
        available: true,
        enrolled: false,
      });
      const { secret } = await enrol(t, cookie);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // Same session, and the account's other session, regain the role at once.
      for (const c of [cookie, first]) {
        expect(await me(t, c)).toMatchObject({
          roles: [role],
          totpEnrolBy: null,
          totpEnrolmentRequired: false,
        });
        for (const url of privileged[role]!) expect((await req(t, 'GET', url, c)).statusCode).toBe(200);
      }
      const live = await t.database.db.select().from(session).where(eq(session.userId, a.userId));
      expect(live.every((s) => s.totpEnrolBy === null)).toBe(true);
      // Sign-out works (a restricted session can always leave).
      expect((await req(t, 'POST', '/auth/logout', first)).statusCode).toBe(204);
    }
  });

  test('a restricted session can sign out, and a resident is never affected', async () => {
    const a = await account(t, 'regulator');
    await signInWithPassword(t.app, a.phone, PASSWORD);
    t.clock.advance(8 * DAY);
    const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    expect((await me(t, cookie)).totpEnrolmentRequired).toBe(true);
    expect((await req(t, 'POST', '/auth/logout', cookie)).statusCode).toBe(204);
    expect((await req(t, 'GET', '/auth/me', cookie)).statusCode).toBe(401);

    const phone = uniquePhone();
    await req(t, 'POST', '/auth/otp', undefined, { phone, purpose: 'register' });
    const reg = await req(t, 'POST', '/auth/register', undefined, {
      phone,
      code: t.sms.latest(phone)!.code,
      password: PASSWORD,
      name: '居民',
    });
    expect(reg.statusCode).toBe(201);
    t.clock.advance(30 * DAY);
    expect(await me(t, cookieFrom(reg))).toMatchObject({ totpEnrolBy: null, totpEnrolmentRequired: false });
  });

  test('disabling the authenticator past grace puts the account straight back to enrolment', async () => {
    const a = await account(t, 'regulator');
    const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    const { secret } = await enrol(t, cookie);
    t.clock.advance(10 * DAY);
    nextStep(t);
    expect(
      (await req(t, 'POST', '/auth/totp/disable', cookie, { code: codeNow(t, secret) })).statusCode,
    ).toBe(204);
    expect(await me(t, cookie)).toMatchObject({ roles: [], totpEnrolmentRequired: true });
    expect(code(await req(t, 'GET', '/regulator/workers', cookie))).toBe('TOTP_ENROLMENT_REQUIRED');
    await enrol(t, cookie);
    expect((await req(t, 'GET', '/regulator/workers', cookie)).statusCode).toBe(200);
  });
});

describe('regenerating recovery codes', () => {
  test('a current code replaces all ten at once; old ones stop working; the count of unused ones is shown', async () => {
    const a = await account(t, 'regulator');
    const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    const { secret, recoveryCodes: old } = await enrol(t, cookie);
    const before = await recoveryHashes(t, a.userId);

    // Bad input and a wrong code change nothing.
    nextStep(t);
    const good = codeNow(t, secret);
    const wrong = good === '000000' ? '111111' : '000000';
    for (const body of [{}, { code: good, extra: 1 }, { code: '' }]) {
      const res = await req(t, 'POST', '/auth/totp/recovery-codes', cookie, body);
      expect(res.statusCode).toBe(422);
      expect(code(res)).toBe('VALIDATION_FAILED');
    }
    const bad = await req(t, 'POST', '/auth/totp/recovery-codes', cookie, { code: wrong });
    expect(bad.statusCode).toBe(422);
    expect(code(bad)).toBe('TOTP_INVALID');
    expect(await recoveryHashes(t, a.userId)).toEqual(before);

    const ok = await req(t, 'POST', '/auth/totp/recovery-codes', cookie, { code: good });
    expect(ok.statusCode).toBe(200);
    const fresh = (ok.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    const after = await recoveryHashes(t, a.userId);
    expect(after).toHaveLength(10);
    expect(after.filter((h) => before.includes(h))).toEqual([]);
    // The same code (its time step spent) cannot regenerate twice.
    expect(code(await req(t, 'POST', '/auth/totp/recovery-codes', cookie, { code: good }))).toBe(
      'TOTP_INVALID',
    );
    expect((await req(t, 'GET', '/auth/totp', cookie)).json()).toMatchObject({ recoveryCodesLeft: 10 });

    // At sign-in an old recovery code is refused, a new one passes and the count drops.
    const pre = cookieFrom(
      await req(t, 'POST', '/auth/login/password', undefined, { phone: a.phone, password: PASSWORD }),
    );
    const oldTry = await req(t, 'POST', '/auth/mfa/verify', pre, { code: old[0], method: 'recovery' });
    expect(code(oldTry)).toBe('RECOVERY_CODE_INVALID');
    const newTry = await req(t, 'POST', '/auth/mfa/verify', pre, { code: fresh[0], method: 'recovery' });
    expect(newTry.statusCode).toBe(200);
    expect((await req(t, 'GET', '/auth/totp', cookieFrom(newTry))).json()).toMatchObject({
      recoveryCodesLeft: 9,
    });

    // Audited with the count only: no code and no secret in the trail.
    const trail = await audits(t, a.userId, 'identity.totp_recovery_regenerate');
    expect(trail.map((r) => r.outcome).sort()).toEqual(['denied', 'denied', 'ok']);
    const dump = JSON.stringify(trail);
    for (const c of [...old, ...fresh, secret]) expect(dump).not.toContain(c);
  });

  test('not enrolled, or still at the SMS step: refused, nothing stored', async () => {
    const a = await account(t, 'regulator');
    const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
    expect(code(await req(t, 'POST', '/auth/totp/recovery-codes', cookie, { code: '123456' }))).toBe(
      'TOTP_NOT_ENROLLED',
    );
    const pre = cookieFrom(
      await req(t, 'POST', '/auth/login/password', undefined, { phone: a.phone, password: PASSWORD }),
    );
    expect(code(await req(t, 'POST', '/auth/totp/recovery-codes', pre, { code: '123456' }))).toBe(
      'MFA_REQUIRED',
    );
    expect(await recoveryHashes(t, a.userId)).toEqual([]);
  });
});

describe('reset by a security admin', () => {
  test('needs the admin’s own authenticator code and a reason; ends the sessions; the person must enrol at next sign-in', async () => {
    const admin = await account(t, 'security_admin');
    const target = await account(t, 'regulator');
    const targetCookie = await signInWithPassword(t.app, target.phone, PASSWORD);
    const targetTotp = await enrol(t, targetCookie);
    const adminCookie = await signInWithPassword(t.app, admin.phone, PASSWORD);
    const url = (id: string) => `/security/accounts/${id}/totp/reset`;

    // The admin has no authenticator of their own yet: refused.
    const noOwn = await req(t, 'POST', url(target.userId), adminCookie, {
      reason: '手机丢失',
      code: '123456',
    });
    expect(noOwn.statusCode).toBe(403);
    expect(code(noOwn)).toBe('TOTP_ENROLMENT_REQUIRED');
    const own = await enrol(t, adminCookie);
    nextStep(t);
    const adminCode = codeNow(t, own.secret);
    const wrong = adminCode === '000000' ? '111111' : '000000';

    // Bad input, a wrong code, the admin's own account, an unknown account, another role: nothing changes.
    for (const body of [{ reason: '手机丢失' }, { reason: 'x', code: adminCode }, { code: adminCode }]) {
      expect(code(await req(t, 'POST', url(target.userId), adminCookie, body))).toBe('VALIDATION_FAILED');
    }
    expect(
      code(await req(t, 'POST', url(target.userId), adminCookie, { reason: '手机丢失', code: wrong })),
    ).toBe('TOTP_INVALID');
    expect(
      code(await req(t, 'POST', url(admin.userId), adminCookie, { reason: '手机丢失', code: adminCode })),
    ).toBe('ADMIN_SELF_CHANGE');
    expect(
      (
        await req(t, 'POST', url('usr_00000000000000000000000000'), adminCookie, {
          reason: '手机丢失',
          code: adminCode,
        })
      ).statusCode,
    ).toBe(404);
    const stranger = await account(t, 'regulator');
    expect(
      code(await req(t, 'POST', url(stranger.userId), adminCookie, { reason: '手机丢失', code: adminCode })),
    ).toBe('TOTP_NOT_ENROLLED');
    const platformAdmin = await account(t, 'platform_admin');
    const paCookie = await signInWithPassword(t.app, platformAdmin.phone, PASSWORD);
    expect(
      code(await req(t, 'POST', url(target.userId), paCookie, { reason: '手机丢失', code: adminCode })),
    ).toBe('FORBIDDEN');
    const stored = await t.database.db.select().from(userTotp).where(eq(userTotp.userId, target.userId));
    expect(stored[0]?.enrolledAt).not.toBeNull();
    // The security console's list says who has an authenticator (the reset button shows for them).
    const listed = async (id: string) => {
      const page = await req(t, 'GET', `/security/accounts?limit=100`, adminCookie);
      expect(page.statusCode).toBe(200);
      return (page.json() as { items: { id: string; authenticator: string }[] }).items.find(
        (a) => a.id === id,
      )?.authenticator;
    };
    expect(await listed(target.userId)).toBe('enrolled');
    expect(await listed(stranger.userId)).toBe('none');
    expect((await me(t, targetCookie)).roles).toEqual(['regulator']);

    // The reset.
    const done = await req(t, 'POST', url(target.userId), adminCookie, {
      reason: '手机丢失，本人致电确认',
      code: adminCode,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ sessionsEnded: 1 });
    expect(await t.database.db.select().from(userTotp).where(eq(userTotp.userId, target.userId))).toEqual([]);
    expect(await recoveryHashes(t, target.userId)).toEqual([]);
    expect(await listed(target.userId)).toBe('none');
    expect((await req(t, 'GET', '/auth/me', targetCookie)).statusCode).toBe(401);
    const trail = await audits(t, target.userId, 'identity.totp_reset');
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actorId: admin.userId, outcome: 'ok' });
    expect(trail[0]!.detail).toMatchObject({ reason: '手机丢失，本人致电确认', sessionsEnded: 1 });
    for (const c of [...targetTotp.recoveryCodes, targetTotp.secret])
      expect(JSON.stringify(trail)).not.toContain(c);

    // Next sign-in: password + SMS again, then straight to enrolment (no second grace).
    const again = await signInWithPassword(t.app, target.phone, PASSWORD);
    expect(await me(t, again)).toMatchObject({ roles: [], totpEnrolmentRequired: true });
    expect(code(await req(t, 'GET', '/regulator/workers', again))).toBe('TOTP_ENROLMENT_REQUIRED');
    await enrol(t, again);
    expect((await req(t, 'GET', '/regulator/workers', again)).statusCode).toBe(200);
  });
});
