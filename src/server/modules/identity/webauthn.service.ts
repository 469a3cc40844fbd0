import { and, count, eq, lt } from 'drizzle-orm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { type Actor, hasRole } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { session, user, userWebauthnCredential, verification } from './identity.tables.js';
import { refuseStep } from './refuse.js';
import type { Throttle } from './throttle.js';
import type { TotpPolicy } from './totp-policy.js';
import type { TotpService } from './totp.service.js';

/** A challenge is good for 5 minutes and once (the row is deleted as it is read). */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
/** Most security keys one account may hold. */
export const WEBAUTHN_MAX_KEYS = 10;
/** Relying-party name browsers show when asking for the key. */
export const WEBAUTHN_RP_NAME = '安心家政';

export interface SecurityKeyView {
  id: string;
  label: string;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

export interface WebauthnDeps {
  db: Db;
  clock: () => Date;
  throttle: Throttle;
  /** Relying-party id and the origins an answer may come from (config.webauthn). */
  rp: { rpId: string; origins: string[] };
  policy: TotpPolicy;
  holdsMfaRole: (actor: Actor) => boolean;
  /** The caller must be fully signed in (no MFA step pending); throws otherwise. */
  requireConfirmed: (ctx: RequestContext) => Actor;
  verifyPassword: (userId: string, password: string) => Promise<boolean>;
  /** The account has a confirmed TOTP authenticator. */
  hasTotp: (userId: string) => Promise<boolean>;
  /** The security admin's own current TOTP code before removing another account's keys. */
  totp: Pick<TotpService, 'adminStepUp'>;
}

/** Why an answer was refused: fixed words only (the library's messages quote the challenge, never logged). */
export type WebauthnRefusal =
  | 'challenge_missing'
  | 'challenge_mismatch'
  | 'origin_mismatch'
  | 'rp_id_mismatch'
  | 'unknown_key'
  | 'counter_regression'
  | 'signature_invalid'
  | 'malformed';

function classify(e: unknown): WebauthnRefusal {
  const m = e instanceof Error ? e.message : '';
  if (/challenge/i.test(m)) return 'challenge_mismatch';
  if (/origin/i.test(m)) return 'origin_mismatch';
  if (/RP ?ID/i.test(m)) return 'rp_id_mismatch';
  return 'malformed';
}

const regIdentifier = (userId: string) => `webauthn:reg:${userId}`;
const mfaIdentifier = (sessionId: string) => `webauthn:mfa:${sessionId}`;

const toView = (r: typeof userWebauthnCredential.$inferSelect): SecurityKeyView => ({
  id: r.id,
  label: r.label,
  transports: r.transports ? r.transports.split(',') : [],
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
});

/**
 * WebAuthn security keys (安全密钥 / UKey, FIDO2) as a second factor for MFA-role accounts: register (options and
 * verify), list, rename, remove, and the sign-in step's options and check. Challenges are single-use rows in
 * `verification` bound to the account (registration) or the pending session (sign-in).
 */
export function createWebauthnService(deps: WebauthnDeps) {
  const { db, clock, throttle, rp } = deps;
  const manageKey = (userId: string) => `webauthn:${userId}`;

  async function keysOf(userId: string) {
    return db
      .select()
      .from(userWebauthnCredential)
      .where(eq(userWebauthnCredential.userId, userId))
      .orderBy(userWebauthnCredential.createdAt);
  }

  async function keyCount(userId: string): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(userWebauthnCredential)
      .where(eq(userWebauthnCredential.userId, userId));
    return Number(row?.n ?? 0);
  }

  /** Replaces the identifier's challenge with a fresh one. */
  async function storeChallenge(identifier: string, challenge: string) {
    const now = clock();
    await db.transaction(async (tx) => {
      await tx.delete(verification).where(eq(verification.identifier, identifier));
      await tx.insert(verification).values({
        id: newId('ver'),
        identifier,
        value: challenge,
        expiresAt: new Date(now.getTime() + WEBAUTHN_CHALLENGE_TTL_MS),
      });
    });
  }

  /** Takes the identifier's live challenge (deleting it: one answer per challenge), or null. */
  async function takeChallenge(identifier: string): Promise<string | null> {
    const gone = await db
      .delete(verification)
      .where(eq(verification.identifier, identifier))
      .returning({ value: verification.value, expiresAt: verification.expiresAt });
    const live = gone.find((g) => g.expiresAt > clock());
    return live?.value ?? null;
  }

  // A failed management step counts here (refuse.ts): the fifth in 15 minutes locks the account's key management.
  const guard = { db, throttle, keyOf: manageKey };

  return {
    /** The account holds at least one security key. */
    async hasKey(userId: string): Promise<boolean> {
      return (await keyCount(userId)) > 0;
    },

    /** The caller's keys (also during the MFA step, so the sign-in page knows to offer the key). */
    async list(ctx: RequestContext): Promise<{ available: boolean; items: SecurityKeyView[] }> {
      const actor = ctx.actor;
      if (!actor) throw new AppError('UNAUTHENTICATED');
      return { available: deps.holdsMfaRole(actor), items: (await keysOf(actor.userId)).map(toView) };
    },

    /** Options for navigator.credentials.create: a fresh challenge (5 minutes), the account's keys excluded. */
    async registrationOptions(ctx: RequestContext): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const actor = deps.requireConfirmed(ctx);
      if (!deps.holdsMfaRole(actor)) throw new AppError('WEBAUTHN_NOT_AVAILABLE');
      await throttle.assertNotLocked(manageKey(actor.userId));
      const keys = await keysOf(actor.userId);
      if (keys.length >= WEBAUTHN_MAX_KEYS) throw new AppError('WEBAUTHN_TOO_MANY');
      const options = await generateRegistrationOptions({
        rpName: WEBAUTHN_RP_NAME,
        rpID: rp.rpId,
        userName: actor.phoneMasked || actor.name,
        userDisplayName: actor.name,
        userID: new TextEncoder().encode(actor.userId),
        attestationType: 'none',
        timeout: WEBAUTHN_CHALLENGE_TTL_MS,
        excludeCredentials: keys.map((k) => ({
          id: k.credentialId,
          ...(k.transports && { transports: k.transports.split(',') }),
        })),
        authenticatorSelection: {
          authenticatorAttachment: 'cross-platform',
          residentKey: 'discouraged',
          userVerification: 'preferred',
        },
        preferredAuthenticatorType: 'securityKey',
      });
      await storeChallenge(regIdentifier(actor.userId), options.challenge);
      await recordAudit(db, ctx, {
        action: 'identity.webauthn_register_start',
        objectType: 'user',
        objectId: actor.userId,
      });
      return options;
    },

    /**
     * Verifies the key's attestation against the account's challenge, origin and RP id and stores the key: from now
     * on it is a second factor of the account (SMS no longer is) and it meets mandatory enrolment.
     */
    async register(
      ctx: RequestContext,
      input: { label: string; response: RegistrationResponseJSON },
    ): Promise<SecurityKeyView> {
      const actor = deps.requireConfirmed(ctx);
      if (!deps.holdsMfaRole(actor)) throw new AppError('WEBAUTHN_NOT_AVAILABLE');
      const key = manageKey(actor.userId);
      await throttle.assertNotLocked(key);
      const action = 'identity.webauthn_register';
      const challenge = await takeChallenge(regIdentifier(actor.userId));
      if (!challenge) {
        await recordAudit(db, ctx, {
          action,
          outcome: 'denied',
          objectType: 'user',
          objectId: actor.userId,
          detail: { reason: 'challenge_missing' },
        });
        throw new AppError('WEBAUTHN_CHALLENGE_EXPIRED');
      }
      let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verified = await verifyRegistrationResponse({
          response: input.response,
          expectedChallenge: challenge,
          expectedOrigin: rp.origins,
          expectedRPID: rp.rpId,
          requireUserVerification: false,
        });
      } catch (e) {
        return refuseStep(guard, ctx, {
          userId: actor.userId,
          action,
          reason: classify(e),
          code: 'WEBAUTHN_INVALID',
          path: 'response',
        });
      }
      if (!verified.verified)
        return refuseStep(guard, ctx, {
          userId: actor.userId,
          action,
          reason: 'signature_invalid',
          code: 'WEBAUTHN_INVALID',
          path: 'response',
        });
      const { credential } = verified.registrationInfo;
      const transports = (credential.transports ?? []).join(',');
      const id = newId('wak');
      const row = await db.transaction(async (tx) => {
        const [n] = await tx
          .select({ n: count() })
          .from(userWebauthnCredential)
          .where(eq(userWebauthnCredential.userId, actor.userId));
        if (Number(n?.n ?? 0) >= WEBAUTHN_MAX_KEYS) throw new AppError('WEBAUTHN_TOO_MANY');
        const [inserted] = await tx
          .insert(userWebauthnCredential)
          .values({
            id,
            userId: actor.userId,
            credentialId: credential.id,
            publicKey: Buffer.from(credential.publicKey).toString('base64url'),
            counter: credential.counter,
            transports,
            label: input.label,
          })
          .onConflictDoNothing({ target: userWebauthnCredential.credentialId })
          .returning();
        if (!inserted) throw new AppError('WEBAUTHN_ALREADY_REGISTERED');
        // Mandatory enrolment is met: this session (and the account's others) regain the role at once.
        await tx.update(session).set({ totpEnrolBy: null }).where(eq(session.userId, actor.userId));
        await appendAudit(tx, ctx, {
          action,
          objectType: 'user',
          objectId: actor.userId,
          detail: { keyId: id, transports: transports || null },
        });
        return inserted;
      });
      await throttle.reset(key);
      return toView(row);
    },

    /** Renames one of the caller's keys (another account's key is 404). */
    async rename(ctx: RequestContext, id: string, label: string): Promise<SecurityKeyView> {
      const actor = deps.requireConfirmed(ctx);
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(userWebauthnCredential)
          .set({ label })
          .where(and(eq(userWebauthnCredential.id, id), eq(userWebauthnCredential.userId, actor.userId)))
          .returning();
        if (!row) throw new AppError('NOT_FOUND');
        await appendAudit(tx, ctx, {
          action: 'identity.webauthn_rename',
          objectType: 'user',
          objectId: actor.userId,
          detail: { keyId: id },
        });
        return toView(row);
      });
    },

    /**
     * Removes one of the caller's keys after the password. Refused (409 WEBAUTHN_LAST_FACTOR) when TOTP/keys are
     * mandatory and it is the last second factor of an MFA-role account; otherwise, with no factor left, the account
     * goes back to SMS (and, when mandatory, to its enrolment deadline).
     */
    async remove(ctx: RequestContext, id: string, password: string): Promise<void> {
      const actor = deps.requireConfirmed(ctx);
      const key = manageKey(actor.userId);
      await throttle.assertNotLocked(key);
      const action = 'identity.webauthn_remove';
      const [row] = await db
        .select({ id: userWebauthnCredential.id })
        .from(userWebauthnCredential)
        .where(and(eq(userWebauthnCredential.id, id), eq(userWebauthnCredential.userId, actor.userId)));
      if (!row) throw new AppError('NOT_FOUND');
      if (!(await deps.verifyPassword(actor.userId, password)))
        return refuseStep(guard, ctx, {
          userId: actor.userId,
          action,
          reason: 'password does not match',
          code: 'PASSWORD_CURRENT_INVALID',
          path: 'password',
        });
      const lastFactor =
        deps.policy.totpRequired &&
        deps.holdsMfaRole(actor) &&
        (await keyCount(actor.userId)) <= 1 &&
        !(await deps.hasTotp(actor.userId));
      if (lastFactor) {
        await recordAudit(db, ctx, {
          action,
          outcome: 'denied',
          objectType: 'user',
          objectId: actor.userId,
          detail: { keyId: id, reason: 'last_factor' },
        });
        throw new AppError('WEBAUTHN_LAST_FACTOR');
      }
      await db.transaction(async (tx) => {
        const gone = await tx
          .delete(userWebauthnCredential)
          .where(and(eq(userWebauthnCredential.id, id), eq(userWebauthnCredential.userId, actor.userId)))
          .returning({ id: userWebauthnCredential.id });
        if (!gone.length) throw new AppError('NOT_FOUND');
        await appendAudit(tx, ctx, {
          action,
          objectType: 'user',
          objectId: actor.userId,
          detail: { keyId: id },
        });
      });
      await throttle.reset(key);
    },

    /**
     * A security admin removes another account's lost security key (`keyId`), or all its keys, with a reason and the
     * admin's own current TOTP code: all the account's sessions end and, with no TOTP and no key left, it is not
     * enrolled (SMS at the next sign-in; under MFA_TOTP_REQUIRED it must enrol at once, no grace). Not one's own
     * account (ADMIN_SELF_CHANGE); an unknown account or key is 404, an account without keys 409
     * WEBAUTHN_NOT_ENROLLED. Audited `identity.webauthn_admin_remove` on the account (key ids, never key material).
     */
    async adminRemove(
      ctx: RequestContext,
      userId: string,
      input: { keyId?: string | undefined; reason: string; code: string },
    ): Promise<{ removed: number; sessionsEnded: number }> {
      const admin = deps.requireConfirmed(ctx);
      if (!hasRole(admin, 'security_admin')) throw new AppError('FORBIDDEN');
      if (userId === admin.userId) throw new AppError('ADMIN_SELF_CHANGE');
      const [target] = await db.select({ id: user.id }).from(user).where(eq(user.id, userId));
      if (!target) throw new AppError('NOT_FOUND');
      // Checked before the admin's code is spent, so a mistaken target does not cost the admin a time step.
      const keys = await keysOf(userId);
      if (input.keyId !== undefined && !keys.some((k) => k.id === input.keyId))
        throw new AppError('NOT_FOUND');
      if (!keys.length) throw new AppError('WEBAUTHN_NOT_ENROLLED');
      const action = 'identity.webauthn_admin_remove';
      await deps.totp.adminStepUp(ctx, admin.userId, action, input.code);
      // Read before the transaction: on PGlite's single connection a query outside it would wait for it forever.
      const totpLeft = await deps.hasTotp(userId);
      return db.transaction(async (tx) => {
        const gone = await tx
          .delete(userWebauthnCredential)
          .where(
            and(
              eq(userWebauthnCredential.userId, userId),
              input.keyId !== undefined ? eq(userWebauthnCredential.id, input.keyId) : undefined,
            ),
          )
          .returning({ id: userWebauthnCredential.id });
        // Removed meanwhile (the person, or another admin): nothing to do, nothing audited.
        if (!gone.length)
          throw new AppError(input.keyId !== undefined ? 'NOT_FOUND' : 'WEBAUTHN_NOT_ENROLLED');
        const [left] = await tx
          .select({ n: count() })
          .from(userWebauthnCredential)
          .where(eq(userWebauthnCredential.userId, userId));
        const enrolled = totpLeft || Number(left?.n ?? 0) > 0;
        // Mandatory second factor with none left: the deadline is now, so the next sign-in goes to enrolment.
        const enrolBy = !enrolled && deps.policy.totpRequired ? clock() : null;
        if (enrolBy) await tx.update(user).set({ totpEnrolBy: enrolBy }).where(eq(user.id, userId));
        const ended = await tx
          .delete(session)
          .where(eq(session.userId, userId))
          .returning({ id: session.id });
        await appendAudit(tx, ctx, {
          action,
          objectType: 'user',
          objectId: userId,
          detail: {
            reason: input.reason,
            keyIds: gone.map((g) => g.id),
            all: input.keyId === undefined,
            factorLeft: enrolled,
            sessionsEnded: ended.length,
            ...(enrolBy && { enrolBy: enrolBy.toISOString() }),
          },
        });
        return { removed: gone.length, sessionsEnded: ended.length };
      });
    },

    /** Options for navigator.credentials.get at the MFA step, bound to the pending session (5 minutes, once). */
    async signInOptions(ctx: RequestContext): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const actor = ctx.actor;
      if (!actor?.mfaPendingRoles?.length) throw new AppError('MFA_NOT_PENDING');
      const keys = await keysOf(actor.userId);
      if (!keys.length) throw new AppError('WEBAUTHN_NOT_ENROLLED');
      const options = await generateAuthenticationOptions({
        rpID: rp.rpId,
        timeout: WEBAUTHN_CHALLENGE_TTL_MS,
        userVerification: 'preferred',
        allowCredentials: keys.map((k) => ({
          id: k.credentialId,
          ...(k.transports && { transports: k.transports.split(',') }),
        })),
      });
      await storeChallenge(mfaIdentifier(actor.sessionId), options.challenge);
      await recordAudit(db, ctx, {
        action: 'identity.webauthn_challenge',
        objectType: 'user',
        objectId: actor.userId,
        detail: { keys: keys.length },
      });
      return options;
    },

    /**
     * Checks a key's assertion at the MFA step: the session's challenge (spent), the origin and RP id, one of this
     * account's keys, its signature, and a counter that grows (a counter that does not, once the signature is good,
     * is a possible clone: refused). The counter is advanced atomically, so one assertion passes once.
     */
    async verifyAtSignIn(
      userId: string,
      sessionId: string,
      response: AuthenticationResponseJSON,
    ): Promise<{ ok: true; keyId: string } | { ok: false; reason: WebauthnRefusal; keyId?: string }> {
      const challenge = await takeChallenge(mfaIdentifier(sessionId));
      if (!challenge) return { ok: false, reason: 'challenge_missing' };
      const [row] = await db
        .select()
        .from(userWebauthnCredential)
        .where(
          and(
            eq(userWebauthnCredential.credentialId, response.id),
            eq(userWebauthnCredential.userId, userId),
          ),
        );
      if (!row) return { ok: false, reason: 'unknown_key' };
      let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        // The counter is checked below, after the signature, so a regression is reported only for a genuine key.
        result = await verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: rp.origins,
          expectedRPID: rp.rpId,
          credential: {
            id: row.credentialId,
            publicKey: Buffer.from(row.publicKey, 'base64url'),
            counter: 0,
          },
          requireUserVerification: false,
        });
      } catch (e) {
        return { ok: false, reason: classify(e), keyId: row.id };
      }
      if (!result.verified) return { ok: false, reason: 'signature_invalid', keyId: row.id };
      const next = result.authenticationInfo.newCounter;
      // Keys without a counter report 0 every time; any other value must exceed the stored one.
      const advanced = await db
        .update(userWebauthnCredential)
        .set({ counter: next, lastUsedAt: clock() })
        .where(
          and(
            eq(userWebauthnCredential.id, row.id),
            next === 0 ? eq(userWebauthnCredential.counter, 0) : lt(userWebauthnCredential.counter, next),
          ),
        )
        .returning({ id: userWebauthnCredential.id });
      if (!advanced.length) return { ok: false, reason: 'counter_regression', keyId: row.id };
      return { ok: true, keyId: row.id };
    },
  };
}

export type WebauthnService = ReturnType<typeof createWebauthnService>;
