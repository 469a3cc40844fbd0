import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, inArray, ne } from 'drizzle-orm';
import { APIError } from 'better-auth/api';
import { homeFor, separatedAdminRoles, type PlatformRole, type Role } from '../../../shared/roles.js';
import type { Config } from '../../config.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Database, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { OtpPurpose, SmsSender } from '../../platform/sms/sms.js';
import { type Auth, otpPurpose } from './auth.js';
import { account, session, user, userRole } from './identity.tables.js';
import { normalizeMobile } from '../../../shared/validators/index.js';
import { toUserProfile } from './sql-facts.js';
import type { Pii } from '../../platform/pii/index.js';
import { sessionCookieName, sessionSetCookie, sessionTokenFrom } from './session-cookie.js';
import { createThrottle } from './throttle.js';
import { describeUserAgent, maskIp } from './client-info.js';
import { createAdminService } from './admin.service.js';
import { createTotpService } from './totp.service.js';
import { createWebauthnService } from './webauthn.service.js';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { createSessionLookup, type SessionLookup } from './session-actor.js';
import { gateTotp } from './totp-policy.js';
import { breachedPasswords, requireAcceptablePassword } from './password-policy.js';

export interface Me {
  id: string;
  name: string;
  phoneMasked: string;
  roles: Role[];
  memberships: Actor['memberships'];
  home: string;
  /** The session must confirm an SMS code before the account's regulator or admin role counts. */
  mfaPending: boolean;
  /** Mandatory TOTP, within grace: the deadline (ISO) by which the account must enrol an authenticator. */
  totpEnrolBy: string | null;
  /** Mandatory TOTP, past grace: the regulator or admin role is withheld until an authenticator is confirmed. */
  totpEnrolmentRequired: boolean;
}

/** One of the signed-in person's sessions, as their account page lists it. */
export interface SessionView {
  id: string;
  /** The session this request came with ("this device"). */
  current: boolean;
  /** Browser and system from the User-Agent ("Chrome 120 · Android"); null when unknown. */
  device: string | null;
  ipMasked: string | null;
  createdAt: string;
  lastSeenAt: string;
}

/** A signed-in caller whose session has no SMS step pending (TOTP enrolment needs only this). */
function requireMfaDone(ctx: RequestContext): Actor {
  const actor = ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (actor.mfaPendingRoles?.length) throw new AppError('MFA_REQUIRED');
  return actor;
}

/**
 * A signed-in caller with no SMS step pending and no overdue TOTP enrolment (a password-only admin session, or one
 * past its enrolment grace, may not manage sessions).
 */
function requireConfirmed(ctx: RequestContext): Actor {
  const actor = requireMfaDone(ctx);
  if (actor.totpPendingRoles?.length) throw new AppError('TOTP_ENROLMENT_REQUIRED');
  return actor;
}

/** A signed-in caller whose session is not held to an overdue TOTP enrolment. */
function requireEnrolledIfDue(ctx: RequestContext): Actor {
  const actor = ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (actor.totpPendingRoles?.length) throw new AppError('TOTP_ENROLMENT_REQUIRED');
  return actor;
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
    mfaPending: (actor.mfaPendingRoles?.length ?? 0) > 0,
    totpEnrolBy: actor.totpEnrolBy ?? null,
    totpEnrolmentRequired: (actor.totpPendingRoles?.length ?? 0) > 0,
  };
}

/** Roles whose sessions need a second factor (an SMS code after the password) before the role counts. */
export const MFA_ROLES: readonly Role[] = ['regulator', 'platform_admin', 'security_admin', 'audit_admin'];
/** An MFA code lives 10 minutes, may be resent once a minute per session and allows 5 wrong tries. */
export const MFA_CODE_TTL_MS = 10 * 60_000;
export const MFA_RESEND_MS = 60_000;
export const MFA_MAX_ATTEMPTS = 5;
/** Longest User-Agent kept on a session (the list shows only a summary of it). */
const USER_AGENT_MAX = 300;
/** last_seen_at is written at most once a minute per session (idle timeouts are therefore exact to a minute). */
export const LAST_SEEN_WRITE_MS = 60_000;

const needsMfa = (held: readonly Role[]) => held.some((r) => MFA_ROLES.includes(r));

function requirePhone(input: string): string {
  const phone = normalizeMobile(input);
  if (!phone)
    throw new AppError('PHONE_INVALID', {
      issues: [{ path: 'phone', message: 'not a mainland mobile number' }],
    });
  return phone;
}

export interface IdentityDeps {
  config: Config;
  database: Database;
  auth: Auth;
  clock: () => Date;
  pii: Pick<Pii, 'blindIndex' | 'encrypt' | 'decrypt' | 'blindIndexes' | 'anyProfileIndexes'>;
  sms: SmsSender;
}

/** Accounts, sign-in by password or SMS code, sessions and the actor behind a request. */
export function createIdentityService(deps: IdentityDeps) {
  const { database, auth, clock } = deps;
  // Built here so the first password set does not pay for reading the list.
  breachedPasswords();
  const db = database.db;
  const throttle = createThrottle(db, clock);
  const cookieName = sessionCookieName(deps.config.isProduction);
  // Throttle keys are keyed hashes, so the table holds no phone numbers.
  const keyOf = (kind: string, phone: string) => `${kind}:${deps.pii.blindIndex(phone, 'throttle.phone')}`;

  /** Checks an account's password against its better-auth credential (scrypt). */
  async function verifyPassword(userId: string, password: string): Promise<boolean> {
    const [cred] = await db
      .select({ password: account.password })
      .from(account)
      .where(and(eq(account.userId, userId), eq(account.providerId, 'credential')));
    if (!cred?.password) return false;
    const ac = await auth.$context;
    return ac.password.verify({ hash: cred.password, password });
  }

  const holdsMfaRole = (a: Actor) =>
    needsMfa([...a.roles, ...(a.mfaPendingRoles ?? []), ...(a.totpPendingRoles ?? [])]);
  const totp = createTotpService({
    db,
    clock,
    pii: deps.pii,
    throttle,
    holdsMfaRole,
    requireConfirmed: requireMfaDone,
    verifyPassword,
    policy: deps.config.mfa,
    hasSecurityKey: (userId) => webauthn.hasKey(userId),
  });
  const webauthn = createWebauthnService({
    db,
    clock,
    throttle,
    rp: deps.config.webauthn,
    policy: deps.config.mfa,
    holdsMfaRole,
    requireConfirmed: requireMfaDone,
    verifyPassword,
    hasTotp: async (userId) => !!(await totp.enrolled(userId)),
    totp,
  });
  /** The account's strong second factors: a TOTP authenticator, security keys. With either, SMS is none. */
  async function factorsOf(userId: string): Promise<{ totp: boolean; key: boolean }> {
    const [t, k] = await Promise.all([totp.enrolled(userId), webauthn.hasKey(userId)]);
    return { totp: !!t, key: k };
  }
  const gateTotpOf = (actor: Actor, enrolBy: Date | null) =>
    gateTotp(actor, { policy: deps.config.mfa, enrolBy, now: clock(), mfaRoles: MFA_ROLES });

  async function findUserByPhone(phone: string) {
    const [row] = await db.select().from(user).where(eq(user.phoneNumber, phone));
    return row;
  }

  // Every request resolves its cookie with this one prepared statement (session-actor.ts); sign-in builds its actor
  // with it too (four statements before: account, session, roles, memberships).
  const lookupSession = createSessionLookup(db);
  /** The new session of a sign-in with its account and actor; a sign-in always makes one. */
  async function signedInSession(token: string | null | undefined): Promise<SessionLookup> {
    const found = token ? await lookupSession(token) : null;
    if (!found) throw new AppError('INTERNAL');
    return found;
  }

  /** Until the session confirms its SMS code, the MFA roles are withheld (and named, so the gate says why). */
  function gateMfa(actor: Actor, mfaVerifiedAt: Date | null): Actor {
    if (mfaVerifiedAt || !needsMfa(actor.roles)) return actor;
    const pending = actor.roles.filter((r) => MFA_ROLES.includes(r));
    return {
      ...actor,
      roles: actor.roles.filter((r) => !MFA_ROLES.includes(r)),
      memberships: actor.memberships.filter((m) => m.orgType !== 'regulator'),
      regulatorDistrict: null,
      mfaPendingRoles: pending,
    };
  }

  const mfaHash = (sessionId: string, code: string) =>
    deps.pii.blindIndex(`${sessionId}:${code}`, 'mfa.code');

  /** Makes a fresh six-digit code for a session, stores only its keyed hash and sends it to the account's phone. */
  async function issueMfaCode(sessionId: string, phone: string): Promise<void> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = clock();
    await db
      .update(session)
      .set({
        mfaCodeHash: mfaHash(sessionId, code),
        mfaCodeExpiresAt: new Date(now.getTime() + MFA_CODE_TTL_MS),
        mfaCodeSentAt: now,
        mfaAttempts: 0,
      })
      .where(eq(session.id, sessionId));
    await deps.sms.sendCode({ phone, code, purpose: 'mfa', sentAt: now });
  }

  async function phoneOfUser(userId: string): Promise<string | null> {
    const [u] = await db.select({ phone: user.phoneNumber }).from(user).where(eq(user.id, userId));
    return u?.phone ?? null;
  }

  async function sessionRow(sessionId: string) {
    const [s] = await db.select().from(session).where(eq(session.id, sessionId));
    return s;
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

  /** `found`: the new session as the caller already looked it up. */
  async function signedInAs(
    userId: string,
    setCookies: string[],
    sessionToken: string | null,
    client: { ip: string | null; userAgent?: string | undefined },
    found?: SessionLookup,
  ): Promise<SignedIn> {
    // The account's session list shows where each sign-in came from (better-auth is called without the request).
    if (sessionToken)
      await db
        .update(session)
        .set({ ipAddress: client.ip, userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) ?? null })
        .where(eq(session.token, sessionToken));
    const { session: s, user: u, actor: ungated } = found ?? (await signedInSession(sessionToken));
    if (u.id !== userId) throw new AppError('INTERNAL');
    const actor = gateMfa(ungated, null);
    // A regulator or admin gets the code at once; the session holds no such power until it is confirmed. An account
    // with an authenticator gets no SMS: its second factor is the TOTP code.
    if (actor.mfaPendingRoles && u.phoneNumber) {
      const f = await factorsOf(u.id);
      if (!f.totp && !f.key) await issueMfaCode(s.id, u.phoneNumber);
    }
    return { me: toMe(actor), setCookies };
  }

  type SessionRow = NonNullable<Awaited<ReturnType<typeof sessionRow>>>;

  /** A failed MFA step: counts on the session and in the `mfa:` throttle; the fifth failure ends the session. */
  async function failMfa(
    ctx: RequestContext,
    actor: Actor,
    s: SessionRow,
    detail: { method: string; reason?: string },
  ): Promise<void> {
    await db
      .update(session)
      .set({ mfaAttempts: s.mfaAttempts + 1 })
      .where(eq(session.id, s.id));
    const locked = await throttle.recordFailure(`mfa:${actor.userId}`);
    if (locked) await db.delete(session).where(eq(session.id, s.id));
    await recordAudit(db, ctx, {
      action: 'identity.mfa_verify',
      outcome: 'denied',
      objectType: 'user',
      objectId: actor.userId,
      detail: { locked, ...detail },
    });
    if (locked) throw new AppError('ACCOUNT_LOCKED');
  }

  /**
   * A passed MFA step: the session is rotated (ASVS 7.2.4: new token and id, the pre-MFA token dies here) and marked
   * verified; without a strong factor it carries the account's enrolment deadline (mandatory TOTP/keys).
   */
  async function completeMfa(
    ctx: RequestContext,
    actor: Actor,
    s: SessionRow,
    factors: { totp: boolean; key: boolean },
    detail: Record<string, unknown> & { method: string },
  ): Promise<SignedIn> {
    const now = clock();
    // Mandatory second factor: without an authenticator or a security key the session carries the deadline.
    const totpEnrolBy = factors.totp || factors.key ? null : await totp.deadlineFor(actor.userId);
    const rotated = { id: newId('ses'), token: randomBytes(32).toString('base64url') };
    await db.transaction(async (tx) => {
      const { id: _oldId, token: _oldToken, ...rest } = s;
      await tx.insert(session).values({
        ...rest,
        ...rotated,
        mfaVerifiedAt: now,
        mfaCodeHash: null,
        mfaCodeExpiresAt: null,
        mfaCodeSentAt: null,
        mfaAttempts: 0,
        totpEnrolBy,
        lastSeenAt: now,
        updatedAt: now,
      });
      await tx.delete(session).where(eq(session.id, s.id));
      if (detail.method === 'webauthn')
        await appendAudit(tx, ctx, {
          action: 'identity.webauthn_use',
          objectType: 'user',
          objectId: actor.userId,
          detail: { keyId: detail.keyId },
        });
      await appendAudit(tx, ctx, {
        action: 'identity.mfa_verify',
        objectType: 'user',
        objectId: actor.userId,
        detail: { rotatedFrom: s.id, sessionId: rotated.id, ...detail },
      });
    });
    await throttle.reset(`mfa:${actor.userId}`);
    const rotatedSession = await lookupSession(rotated.token);
    if (!rotatedSession) throw new AppError('UNAUTHENTICATED');
    const cookie = sessionSetCookie(rotated.token, {
      name: cookieName,
      secret: deps.config.authSecret,
      maxAgeSeconds: (s.expiresAt.getTime() - Date.now()) / 1000,
      secure: deps.config.isProduction,
    });
    return { me: toMe(gateTotpOf(rotatedSession.actor, totpEnrolBy)), setCookies: [cookie] };
  }

  return {
    /** Separation of duties: the security and audit administrators' powers (admin.service.ts). */
    admin: createAdminService({ database, clock }),

    /** TOTP authenticators (动态口令) and recovery codes (totp.service.ts). */
    totp,

    /** WebAuthn security keys (安全密钥 / UKey) (webauthn.service.ts). */
    webauthn,

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
      input: { phone: string; code: string; password: string; name: string; userAgent?: string | undefined },
    ): Promise<SignedIn> {
      const phone = requirePhone(input.phone);
      requireAcceptablePassword(input.password, phone);
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
      return signedInAs(userId, cookiesOf(result.headers), result.response.token, {
        ip: ctx.ip,
        userAgent: input.userAgent,
      });
    },

    /** Signs in with phone and password; five failures lock the number for 15 minutes. */
    async loginWithPassword(
      ctx: RequestContext,
      input: { phone: string; password: string; userAgent?: string | undefined },
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
      return signedInAs(userId, cookiesOf(result.headers), result.response.token, {
        ip: ctx.ip,
        userAgent: input.userAgent,
      });
    },

    /** Signs in with an SMS code sent for purpose 'login'. */
    async loginWithCode(
      ctx: RequestContext,
      input: { phone: string; code: string; userAgent?: string | undefined },
    ): Promise<SignedIn> {
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
      // An SMS code cannot be both factors: accounts with an MFA role start with their password.
      const started = await signedInSession(result.response.token);
      if (needsMfa(started.actor.roles)) {
        if (result.response.token) await db.delete(session).where(eq(session.token, result.response.token));
        await recordAudit(db, ctx, {
          action: 'identity.login',
          outcome: 'denied',
          objectType: 'user',
          objectId: existing.id,
          detail: { method: 'otp', reason: 'password_required' },
        });
        throw new AppError('PASSWORD_SIGNIN_REQUIRED');
      }
      await recordAudit(db, ctx, {
        action: 'identity.login',
        objectType: 'user',
        objectId: existing.id,
        detail: { method: 'otp' },
      });
      return signedInAs(
        existing.id,
        cookiesOf(result.headers),
        result.response.token,
        { ip: ctx.ip, userAgent: input.userAgent },
        started,
      );
    },

    /** Sets a new password after an SMS code, and signs the account out everywhere. */
    async resetPassword(
      ctx: RequestContext,
      input: { phone: string; code: string; newPassword: string },
    ): Promise<void> {
      const phone = requirePhone(input.phone);
      requireAcceptablePassword(input.newPassword, phone, 'newPassword');
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
      const token = sessionTokenFrom(headers.get('cookie'), cookieName, deps.config.authSecret);
      if (!token) return null;
      // One statement for the session, its account, roles and memberships (session-actor.ts). better-auth's own
      // expiry is wall-clock time, as better-auth checks it.
      const found = await lookupSession(token);
      if (found?.user.status !== 'active' || found.session.expiresAt.getTime() <= Date.now()) return null;
      const { session: s, actor } = found;
      // Timeouts follow the roles the account holds (not those this session may use yet).
      const limits = needsMfa(actor.roles) ? deps.config.sessions.privileged : deps.config.sessions.standard;
      const now = clock().getTime();
      const lastSeen = (s.lastSeenAt ?? s.createdAt).getTime();
      if (now - s.createdAt.getTime() > limits.absoluteMs || now - lastSeen > limits.idleMs) {
        await db.delete(session).where(eq(session.id, s.id));
        throw new AppError('SESSION_EXPIRED');
      }
      if (now - lastSeen >= LAST_SEEN_WRITE_MS) {
        await db
          .update(session)
          .set({ lastSeenAt: new Date(now) })
          .where(eq(session.id, s.id));
      }
      return gateTotpOf(gateMfa(actor, s.mfaVerifiedAt), s.totpEnrolBy);
    },

    /** Sends the session's MFA code again (at most once a minute). */
    async resendMfaCode(ctx: RequestContext): Promise<{ retryAfterSeconds: number }> {
      const actor = ctx.actor;
      if (!actor?.mfaPendingRoles?.length) throw new AppError('MFA_NOT_PENDING');
      await throttle.assertNotLocked(`mfa:${actor.userId}`);
      const f = await factorsOf(actor.userId);
      if (f.totp) throw new AppError('TOTP_REQUIRED');
      if (f.key) throw new AppError('WEBAUTHN_REQUIRED');
      const s = await sessionRow(actor.sessionId);
      const phone = await phoneOfUser(actor.userId);
      if (!s || !phone) throw new AppError('UNAUTHENTICATED');
      const since = s.mfaCodeSentAt
        ? clock().getTime() - s.mfaCodeSentAt.getTime()
        : Number.POSITIVE_INFINITY;
      if (since < MFA_RESEND_MS) {
        const wait = Math.ceil((MFA_RESEND_MS - since) / 1000);
        throw new AppError('OTP_TOO_SOON', { headers: { 'retry-after': String(wait) } });
      }
      await issueMfaCode(s.id, phone);
      await recordAudit(db, ctx, { action: 'identity.mfa_sent', objectType: 'user', objectId: actor.userId });
      return { retryAfterSeconds: MFA_RESEND_MS / 1000 };
    },

    /**
     * Confirms the session's second factor: the SMS code, or for an account with an authenticator a TOTP code or a
     * recovery code (SMS is then refused). The account's regulator or admin role counts from now on. Five wrong
     * codes kill the SMS code; five failures in 15 minutes lock MFA for the account and end this session. On success
     * the session is rotated: a new token (the returned cookie) replaces the pre-MFA one, which no longer signs in.
     */
    async verifyMfa(
      ctx: RequestContext,
      code: string,
      requested?: 'sms' | 'totp' | 'recovery',
    ): Promise<SignedIn> {
      const actor = ctx.actor;
      if (!actor?.mfaPendingRoles?.length) throw new AppError('MFA_NOT_PENDING');
      const key = `mfa:${actor.userId}`;
      await throttle.assertNotLocked(key);
      const s = await sessionRow(actor.sessionId);
      if (!s) throw new AppError('UNAUTHENTICATED');
      const factors = await factorsOf(actor.userId);
      const hasTotp = factors.totp;
      const method = requested ?? (hasTotp ? 'totp' : 'sms');
      // Once an authenticator or a security key is enrolled the phone is no longer a second factor for this account.
      if (hasTotp && method === 'sms') throw new AppError('TOTP_REQUIRED');
      if (factors.key && method === 'sms') throw new AppError('WEBAUTHN_REQUIRED');
      if (!hasTotp && method !== 'sms') throw new AppError('TOTP_NOT_ENROLLED');
      let ok: boolean;
      let recoveryCodesLeft: number | undefined;
      if (method === 'sms') {
        const live =
          s.mfaCodeHash &&
          s.mfaCodeExpiresAt &&
          s.mfaCodeExpiresAt > clock() &&
          s.mfaAttempts < MFA_MAX_ATTEMPTS;
        // A code sent before a crypto-profile switch was hashed with the other profile: either matches.
        const given = /^\d{6}$/.test(code)
          ? deps.pii.anyProfileIndexes(`${s.id}:${code}`, 'mfa.code').map((h) => Buffer.from(h))
          : [];
        const stored = Buffer.from(s.mfaCodeHash ?? '');
        ok = !!(live && given.some((g) => g.length === stored.length && timingSafeEqual(g, stored)));
      } else {
        ({ ok, recoveryCodesLeft } = await totp.verifyAtSignIn(actor.userId, method, code));
      }
      if (!ok) {
        await failMfa(ctx, actor, s, { method });
        throw new AppError(
          method === 'sms' ? 'OTP_INVALID' : method === 'totp' ? 'TOTP_INVALID' : 'RECOVERY_CODE_INVALID',
        );
      }
      return completeMfa(ctx, actor, s, factors, {
        method,
        ...(recoveryCodesLeft !== undefined && { recoveryCodesLeft }),
      });
    },

    /**
     * Confirms the session's second factor with a security key (WebAuthn assertion to the options of
     * `webauthn.signInOptions`). Failures count in the same `mfa:` throttle as codes; a counter that went backwards is
     * refused and audited as such. On success the session rotates exactly as for a code.
     */
    async verifyMfaWithKey(ctx: RequestContext, response: AuthenticationResponseJSON): Promise<SignedIn> {
      const actor = ctx.actor;
      if (!actor?.mfaPendingRoles?.length) throw new AppError('MFA_NOT_PENDING');
      await throttle.assertNotLocked(`mfa:${actor.userId}`);
      const s = await sessionRow(actor.sessionId);
      if (!s) throw new AppError('UNAUTHENTICATED');
      const factors = await factorsOf(actor.userId);
      if (!factors.key) throw new AppError('WEBAUTHN_NOT_ENROLLED');
      const result = await webauthn.verifyAtSignIn(actor.userId, s.id, response);
      if (!result.ok) {
        await recordAudit(db, ctx, {
          action: 'identity.webauthn_use',
          outcome: 'denied',
          objectType: 'user',
          objectId: actor.userId,
          detail: { reason: result.reason, ...(result.keyId && { keyId: result.keyId }) },
        });
        await failMfa(ctx, actor, s, { method: 'webauthn', reason: result.reason });
        if (result.reason === 'challenge_missing') throw new AppError('WEBAUTHN_CHALLENGE_EXPIRED');
        if (result.reason === 'counter_regression') throw new AppError('WEBAUTHN_COUNTER_REGRESSED');
        throw new AppError('WEBAUTHN_INVALID');
      }
      return completeMfa(ctx, actor, s, factors, { method: 'webauthn', keyId: result.keyId });
    },

    /** Changes the password after checking the current one, and ends every other session of the account. */
    async changePassword(
      ctx: RequestContext,
      input: { currentPassword: string; newPassword: string },
    ): Promise<void> {
      const actor = requireEnrolledIfDue(ctx);
      const key = `pwchange:${actor.userId}`;
      await throttle.assertNotLocked(key);
      const phone = await phoneOfUser(actor.userId);
      const [cred] = await db
        .select({ id: account.id, password: account.password })
        .from(account)
        .where(and(eq(account.userId, actor.userId), eq(account.providerId, 'credential')));
      const ac = await auth.$context;
      const matches =
        !!cred?.password &&
        (await ac.password.verify({ hash: cred.password, password: input.currentPassword }));
      if (!matches) {
        const locked = await throttle.recordFailure(key);
        await recordAudit(db, ctx, {
          action: 'identity.password_change',
          outcome: 'denied',
          objectType: 'user',
          objectId: actor.userId,
          detail: { locked },
        });
        if (locked) throw new AppError('ACCOUNT_LOCKED');
        throw new AppError('PASSWORD_CURRENT_INVALID', {
          issues: [{ path: 'currentPassword', message: 'does not match' }],
        });
      }
      requireAcceptablePassword(input.newPassword, phone ?? '', 'newPassword');
      const hash = await ac.password.hash(input.newPassword);
      await db.transaction(async (tx) => {
        await tx.update(account).set({ password: hash, updatedAt: clock() }).where(eq(account.id, cred!.id));
        await tx
          .delete(session)
          .where(and(eq(session.userId, actor.userId), ne(session.id, actor.sessionId)));
        await appendAudit(tx, ctx, {
          action: 'identity.password_change',
          objectType: 'user',
          objectId: actor.userId,
        });
      });
      await throttle.reset(key);
    },

    /** The caller's live sessions, most recently used first: device summary, times, masked IP, "this device". */
    async listSessions(ctx: RequestContext): Promise<SessionView[]> {
      const actor = requireConfirmed(ctx);
      const rows = await db
        .select()
        .from(session)
        .where(and(eq(session.userId, actor.userId), gt(session.expiresAt, new Date())));
      const held = [...actor.roles, ...(actor.mfaPendingRoles ?? [])];
      const limits = needsMfa(held) ? deps.config.sessions.privileged : deps.config.sessions.standard;
      const now = clock().getTime();
      return rows
        .map((r) => ({ r, seen: r.lastSeenAt ?? r.createdAt }))
        .filter(
          ({ r, seen }) =>
            now - r.createdAt.getTime() <= limits.absoluteMs && now - seen.getTime() <= limits.idleMs,
        )
        .sort((a, b) => b.seen.getTime() - a.seen.getTime())
        .map(({ r, seen }) => ({
          id: r.id,
          current: r.id === actor.sessionId,
          device: describeUserAgent(r.userAgent),
          ipMasked: maskIp(r.ipAddress),
          createdAt: r.createdAt.toISOString(),
          lastSeenAt: seen.toISOString(),
        }));
    },

    /** Signs out one of the caller's other sessions; another account's session id is 404, this one 409. */
    async revokeSession(ctx: RequestContext, sessionId: string): Promise<void> {
      const actor = requireConfirmed(ctx);
      if (sessionId === actor.sessionId) throw new AppError('SESSION_CURRENT');
      await db.transaction(async (tx) => {
        const gone = await tx
          .delete(session)
          .where(and(eq(session.id, sessionId), eq(session.userId, actor.userId)))
          .returning({ id: session.id });
        if (!gone.length) throw new AppError('NOT_FOUND');
        await appendAudit(tx, ctx, {
          action: 'identity.session_revoke',
          objectType: 'session',
          objectId: sessionId,
          detail: { userId: actor.userId },
        });
      });
    },

    /** Signs out every session of the caller's account except this one. */
    async revokeOtherSessions(ctx: RequestContext): Promise<{ revoked: number }> {
      const actor = requireConfirmed(ctx);
      return db.transaction(async (tx) => {
        const gone = await tx
          .delete(session)
          .where(and(eq(session.userId, actor.userId), ne(session.id, actor.sessionId)))
          .returning({ id: session.id });
        await appendAudit(tx, ctx, {
          action: 'identity.session_revoke_others',
          objectType: 'user',
          objectId: actor.userId,
          detail: { revoked: gone.length },
        });
        return { revoked: gone.length };
      });
    },

    /** Creates an account directly with roles (seed, admin tools). Not reachable from the public API. */
    async createAccount(input: {
      phone: string;
      password: string;
      name: string;
      roles: { role: PlatformRole; district?: string | null }[];
    }) {
      const phone = requirePhone(input.phone);
      requireAcceptablePassword(input.password, phone);
      // 三权分立: an insert conflict would be silently skipped below, so a second admin duty is refused up front.
      const duties = input.roles.filter((r) => (separatedAdminRoles as readonly string[]).includes(r.role));
      if (duties.length > 1) throw new AppError('ROLE_DUTIES_SEPARATED');
      const result = await auth.api.signUpEmail({
        body: { email: syntheticEmail(phone), password: input.password, name: input.name },
      });
      const userId = result.user.id;
      await db.update(user).set({ phoneNumber: phone, phoneNumberVerified: true }).where(eq(user.id, userId));
      // signUpEmail signs the new account in; nobody holds that session, so it must not linger.
      await db.delete(session).where(eq(session.userId, userId));
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
      return phoneOfUser(userId);
    },

    /** Display names and masked phones of accounts (member lists in other modules). */
    async profilesOf(userIds: string[]): Promise<{ id: string; name: string; phoneMasked: string }[]> {
      if (!userIds.length) return [];
      const rows = await db
        .select({ id: user.id, name: user.name, phone: user.phoneNumber })
        .from(user)
        .where(inArray(user.id, userIds));
      return rows.map(toUserProfile);
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

    /**
     * Deletes an account made for a request that then failed (a partner's shadow resident), with its sessions and
     * roles; an account any other row already refers to is kept (false).
     */
    async removeAccountIfUnused(ctx: RequestContext, userId: string): Promise<boolean> {
      try {
        await db.transaction(async (tx) => {
          await tx.delete(user).where(eq(user.id, userId));
          await appendAudit(tx, ctx, {
            action: 'identity.remove_unused',
            objectType: 'user',
            objectId: userId,
          });
        });
        return true;
      } catch (e) {
        const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
        if (code === '23503') return false; // still referenced (foreign key): keep it
        throw e;
      }
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
