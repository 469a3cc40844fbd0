import { and, eq, inArray } from 'drizzle-orm';
import { APIError } from 'better-auth/api';
import { homeFor, roleFromMembership, type PlatformRole, type Role } from '../../../shared/roles.js';
import { checkPassword } from '../../../shared/password.js';
import type { Config } from '../../config.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Database, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { OtpPurpose } from '../../platform/sms/sms.js';
import type { OrgsService } from '../orgs/index.js';
import { type Auth, otpPurpose } from './auth.js';
import { account, session, user, userRole } from './identity.tables.js';
import { maskMobile, normalizeMobile } from '../../../shared/validators/index.js';
import type { Pii } from '../../platform/pii/index.js';
import { createThrottle } from './throttle.js';

export interface Me {
  id: string;
  name: string;
  phoneMasked: string;
  roles: Role[];
  memberships: Actor['memberships'];
  home: string;
}

/** The outcome of a sign-in: who, and the Set-Cookie headers to pass to the browser. */
export interface SignedIn {
  me: Me;
  setCookies: string[];
}

// A phone number is the login; better-auth wants an email, so each account gets an address no one can receive mail at.
const syntheticEmail = (phone: string) => `${phone}@phone.anxin.invalid`;

export function toMe(actor: Actor): Me {
  return {
    id: actor.userId,
    name: actor.name,
    phoneMasked: actor.phoneMasked,
    roles: actor.roles,
    memberships: actor.memberships,
    home: homeFor(actor.roles),
  };
}

function requirePhone(input: string): string {
  const phone = normalizeMobile(input);
  if (!phone)
    throw new AppError('PHONE_INVALID', {
      issues: [{ path: 'phone', message: 'not a mainland mobile number' }],
    });
  return phone;
}

function requireStrongPassword(password: string, phone: string, field = 'password'): void {
  const problem = checkPassword(password, { phone });
  if (problem) throw new AppError('PASSWORD_WEAK', { issues: [{ path: field, message: problem }] });
}

export interface IdentityDeps {
  config: Config;
  database: Database;
  auth: Auth;
  orgs: Pick<OrgsService, 'activeMembershipsOf'>;
  clock: () => Date;
  pii: Pick<Pii, 'blindIndex'>;
}

/** Accounts, sign-in by password or SMS code, sessions and the actor behind a request. */
export function createIdentityService(deps: IdentityDeps) {
  const { database, auth, orgs, clock } = deps;
  const db = database.db;
  const throttle = createThrottle(db, clock);
  // Throttle keys are keyed hashes, so the table holds no phone numbers.
  const keyOf = (kind: string, phone: string) => `${kind}:${deps.pii.blindIndex(phone, 'throttle.phone')}`;

  async function findUserByPhone(phone: string) {
    const [row] = await db.select().from(user).where(eq(user.phoneNumber, phone));
    return row;
  }

  async function rolesOf(userId: string, q: DbOrTx = db) {
    return q
      .select({ role: userRole.role, district: userRole.district })
      .from(userRole)
      .where(eq(userRole.userId, userId));
  }

  async function buildActor(
    u: { id: string; name: string; phoneNumber: string | null },
    sessionId: string,
  ): Promise<Actor> {
    const direct = await rolesOf(u.id);
    const memberships = await orgs.activeMembershipsOf(u.id);
    const held = new Set<Role>(direct.map((r) => r.role as Role));
    for (const m of memberships) {
      const r = roleFromMembership(m.orgType, m.role);
      if (r) held.add(r);
    }
    const regulator = direct.find((r) => r.role === 'regulator');
    return {
      userId: u.id,
      sessionId,
      name: u.name,
      phoneMasked: u.phoneNumber ? maskMobile(u.phoneNumber) : '',
      roles: [...held],
      memberships,
      regulatorDistrict: regulator?.district ?? null,
    };
  }

  /** Consumes a one-time code; a wrong code counts towards the lock on that number. */
  async function consumeCode(
    ctx: RequestContext,
    phone: string,
    code: string,
    action: string,
  ): Promise<void> {
    const key = keyOf('otp', phone);
    await throttle.assertNotLocked(key);
    if (!/^\d{6}$/.test(code)) {
      await throttle.recordFailure(key);
      throw new AppError('OTP_INVALID', { issues: [{ path: 'code', message: 'six digits expected' }] });
    }
    try {
      await auth.api.consumePhoneNumberOTP({ body: { phoneNumber: phone, code } });
    } catch (e) {
      if (!(e instanceof APIError)) throw e;
      const locked = await throttle.recordFailure(key);
      await recordAudit(db, ctx, { action, outcome: 'denied', detail: { reason: 'otp_invalid', locked } });
      throw new AppError(locked ? 'ACCOUNT_LOCKED' : 'OTP_INVALID');
    }
    await throttle.reset(key);
  }

  function cookiesOf(headers: Headers | undefined): string[] {
    return headers?.getSetCookie() ?? [];
  }

  async function signedInAs(
    userId: string,
    setCookies: string[],
    sessionToken: string | null,
  ): Promise<SignedIn> {
    const [u] = await db.select().from(user).where(eq(user.id, userId));
    if (!u) throw new AppError('INTERNAL');
    const [s] = sessionToken
      ? await db.select({ id: session.id }).from(session).where(eq(session.token, sessionToken))
      : [];
    return { me: toMe(await buildActor(u, s?.id ?? '')), setCookies };
  }

  return {
    /** Sends a six-digit code by SMS. Unknown numbers get the same answer as known ones for login and reset. */
    async sendCode(
      ctx: RequestContext,
      input: { phone: string; purpose: OtpPurpose },
    ): Promise<{ retryAfterSeconds: number }> {
      const phone = requirePhone(input.phone);
      await throttle.assertNotLocked(keyOf('otp', phone));
      const existing = await findUserByPhone(phone);
      if (input.purpose === 'register' && existing) throw new AppError('PHONE_TAKEN');
      await throttle.claimSend(keyOf('send', phone));
      const shouldSend = input.purpose === 'register' || (existing && existing.status === 'active');
      if (shouldSend) {
        await otpPurpose.run(input.purpose, () =>
          auth.api.sendPhoneNumberOTP({ body: { phoneNumber: phone } }),
        );
      }
      await recordAudit(db, ctx, {
        action: 'identity.otp_sent',
        objectType: 'user',
        objectId: existing?.id,
        detail: { purpose: input.purpose },
      });
      return { retryAfterSeconds: 60 };
    },

    /** Creates a resident account from a verified phone, a name and a password, and signs it in. */
    async register(
      ctx: RequestContext,
      input: { phone: string; code: string; password: string; name: string },
    ): Promise<SignedIn> {
      const phone = requirePhone(input.phone);
      requireStrongPassword(input.password, phone);
      if (await findUserByPhone(phone)) throw new AppError('PHONE_TAKEN');
      await consumeCode(ctx, phone, input.code, 'identity.register');
      const signUp = () =>
        auth.api.signUpEmail({
          body: { email: syntheticEmail(phone), password: input.password, name: input.name },
          returnHeaders: true,
        });
      let result: Awaited<ReturnType<typeof signUp>>;
      try {
        result = await signUp();
      } catch (e) {
        // Two registrations racing for one number: the unique synthetic email decides, the loser gets a clear answer.
        if (e instanceof APIError && (await findUserByPhone(phone))) throw new AppError('PHONE_TAKEN');
        throw e;
      }
      const userId = result.response.user.id;
      await db.transaction(async (tx) => {
        await tx
          .update(user)
          .set({ phoneNumber: phone, phoneNumberVerified: true })
          .where(eq(user.id, userId));
        await tx
          .insert(userRole)
          .values({ id: newId('rol'), userId, role: 'resident' })
          .onConflictDoNothing();
        await appendAudit(
          tx,
          { ...ctx, actor: null },
          { action: 'identity.register', objectType: 'user', objectId: userId },
        );
      });
      return signedInAs(userId, cookiesOf(result.headers), result.response.token);
    },

    /** Signs in with phone and password; five failures lock the number for 15 minutes. */
    async loginWithPassword(
      ctx: RequestContext,
      input: { phone: string; password: string },
    ): Promise<SignedIn> {
      const phone = normalizeMobile(input.phone);
      if (!phone) throw new AppError('CREDENTIALS_INVALID');
      const key = keyOf('login', phone);
      await throttle.assertNotLocked(key);
      const existing = await findUserByPhone(phone);
      const signIn = () =>
        auth.api.signInPhoneNumber({
          body: { phoneNumber: phone, password: input.password },
          returnHeaders: true,
        });
      let result: Awaited<ReturnType<typeof signIn>> | undefined;
      try {
        if (existing && existing.status === 'active') result = await signIn();
      } catch (e) {
        if (!(e instanceof APIError)) throw e;
      }
      if (!result) {
        const locked = await throttle.recordFailure(key);
        await recordAudit(db, ctx, {
          action: 'identity.login',
          outcome: 'denied',
          objectType: 'user',
          objectId: existing?.id,
          detail: { method: 'password', locked, disabled: existing?.status === 'disabled' },
        });
        if (existing?.status === 'disabled') throw new AppError('ACCOUNT_DISABLED');
        throw new AppError(locked ? 'ACCOUNT_LOCKED' : 'CREDENTIALS_INVALID');
      }
      await throttle.reset(key);
      const userId = result.response.user.id;
      await recordAudit(db, ctx, {
        action: 'identity.login',
        objectType: 'user',
        objectId: userId,
        detail: { method: 'password' },
      });
      return signedInAs(userId, cookiesOf(result.headers), result.response.token);
    },

    /** Signs in with an SMS code sent for purpose 'login'. */
    async loginWithCode(ctx: RequestContext, input: { phone: string; code: string }): Promise<SignedIn> {
      const phone = requirePhone(input.phone);
      const key = keyOf('otp', phone);
      await throttle.assertNotLocked(key);
      const existing = await findUserByPhone(phone);
      const verify = () =>
        auth.api.verifyPhoneNumber({ body: { phoneNumber: phone, code: input.code }, returnHeaders: true });
      let result: Awaited<ReturnType<typeof verify>> | undefined;
      try {
        if (existing && existing.status === 'active' && /^\d{6}$/.test(input.code)) result = await verify();
      } catch (e) {
        if (!(e instanceof APIError)) throw e;
      }
      if (!result || !existing) {
        const locked = await throttle.recordFailure(key);
        await recordAudit(db, ctx, {
          action: 'identity.login',
          outcome: 'denied',
          objectType: 'user',
          objectId: existing?.id,
          detail: { method: 'otp', locked },
        });
        if (existing?.status === 'disabled') throw new AppError('ACCOUNT_DISABLED');
        throw new AppError(locked ? 'ACCOUNT_LOCKED' : 'OTP_INVALID');
      }
      await throttle.reset(key);
      await recordAudit(db, ctx, {
        action: 'identity.login',
        objectType: 'user',
        objectId: existing.id,
        detail: { method: 'otp' },
      });
      return signedInAs(existing.id, cookiesOf(result.headers), result.response.token);
    },

    /** Sets a new password after an SMS code, and signs the account out everywhere. */
    async resetPassword(
      ctx: RequestContext,
      input: { phone: string; code: string; newPassword: string },
    ): Promise<void> {
      const phone = requirePhone(input.phone);
      requireStrongPassword(input.newPassword, phone, 'newPassword');
      await consumeCode(ctx, phone, input.code, 'identity.password_reset');
      const existing = await findUserByPhone(phone);
      if (!existing) throw new AppError('OTP_INVALID');
      const ac = await auth.$context;
      const hash = await ac.password.hash(input.newPassword);
      await db.transaction(async (tx) => {
        await tx
          .update(account)
          .set({ password: hash, updatedAt: clock() })
          .where(and(eq(account.userId, existing.id), eq(account.providerId, 'credential')));
        await tx.delete(session).where(eq(session.userId, existing.id));
        await appendAudit(tx, ctx, {
          action: 'identity.password_reset',
          objectType: 'user',
          objectId: existing.id,
        });
      });
    },

    /** Ends the current session; returns the cookie-clearing headers. */
    async logout(ctx: RequestContext, headers: Headers): Promise<string[]> {
      const result = await auth.api.signOut({ headers, returnHeaders: true }).catch(() => null);
      if (ctx.actor)
        await recordAudit(db, ctx, {
          action: 'identity.logout',
          objectType: 'user',
          objectId: ctx.actor.userId,
        });
      return cookiesOf(result?.headers);
    },

    /** The actor behind a session cookie, or null when there is none or it is no longer valid. */
    async resolveActor(headers: Headers): Promise<Actor | null> {
      if (!headers.get('cookie')?.includes('anxin.session_token')) return null;
      const found = await auth.api
        .getSession({ headers, query: { disableCookieCache: true } })
        .catch(() => null);
      // getSession read the user row from the database (no cookie cache), status and phone included.
      if (found?.user.status !== 'active') return null;
      return buildActor(
        { id: found.user.id, name: found.user.name, phoneNumber: found.user.phoneNumber ?? null },
        found.session.id,
      );
    },

    /** Creates an account directly with roles (seed, admin tools). Not reachable from the public API. */
    async createAccount(input: {
      phone: string;
      password: string;
      name: string;
      roles: { role: PlatformRole; district?: string | null }[];
    }) {
      const phone = requirePhone(input.phone);
      const result = await auth.api.signUpEmail({
        body: { email: syntheticEmail(phone), password: input.password, name: input.name },
      });
      const userId = result.user.id;
      await db.update(user).set({ phoneNumber: phone, phoneNumberVerified: true }).where(eq(user.id, userId));
      for (const r of input.roles) {
        await db
          .insert(userRole)
          .values({ id: newId('rol'), userId, role: r.role, district: r.district ?? null })
          .onConflictDoNothing();
      }
      return userId;
    },

    /** The verified mobile number of an account, or null (orgs matches invitations against it). */
    /** The platform roles granted to an account directly (with a regulator's district). */
    async platformRolesOf(
      userId: string,
    ): Promise<{ id: string; role: string; district: string | null; grantedAt: string }[]> {
      const rows = await db.select().from(userRole).where(eq(userRole.userId, userId));
      return rows.map((r) => ({
        id: r.id,
        role: r.role,
        district: r.district,
        grantedAt: r.createdAt.toISOString(),
      }));
    },

    async phoneOf(userId: string): Promise<string | null> {
      const [u] = await db.select({ phone: user.phoneNumber }).from(user).where(eq(user.id, userId));
      return u?.phone ?? null;
    },

    /** Display names and masked phones of accounts (member lists in other modules). */
    async profilesOf(userIds: string[]): Promise<{ id: string; name: string; phoneMasked: string }[]> {
      if (!userIds.length) return [];
      const rows = await db
        .select({ id: user.id, name: user.name, phone: user.phoneNumber })
        .from(user)
        .where(inArray(user.id, userIds));
      return rows.map((r) => ({ id: r.id, name: r.name, phoneMasked: r.phone ? maskMobile(r.phone) : '' }));
    },

    /** Grants a platform role to an existing account. */
    async grantRole(q: DbOrTx, userId: string, role: PlatformRole, district?: string | null) {
      await q
        .insert(userRole)
        .values({ id: newId('rol'), userId, role, district: district ?? null })
        .onConflictDoNothing();
    },

    /** Disables an account and revokes all its sessions at once. */
    async disableAccount(ctx: RequestContext, userId: string) {
      await db.transaction(async (tx) => {
        await tx.update(user).set({ status: 'disabled' }).where(eq(user.id, userId));
        await tx.delete(session).where(eq(session.userId, userId));
        await appendAudit(tx, ctx, { action: 'identity.disable', objectType: 'user', objectId: userId });
      });
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
