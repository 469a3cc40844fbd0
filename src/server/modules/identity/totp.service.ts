import { and, count, eq, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import QRCode from 'qrcode';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { Pii } from '../../platform/pii/index.js';
import { hasRole } from '../../platform/http/actor.js';
import { session, user, userRecoveryCode, userTotp } from './identity.tables.js';
import { refuseStep } from './refuse.js';
import { enrolDeadline, type TotpPolicy } from './totp-policy.js';
import type { Throttle } from './throttle.js';
import {
  base32Decode,
  matchStep,
  newRecoveryCode,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
  RECOVERY_CODE_COUNT,
} from './totp.js';

/** A started enrolment must be confirmed within 10 minutes (the QR code on screen is then stale). */
export const TOTP_ENROL_TTL_MS = 10 * 60_000;
/** Issuer shown by authenticator apps. */
export const TOTP_ISSUER = '安心家政';

export interface TotpStatus {
  /** The account holds a role with a second sign-in step (only those may enrol). */
  available: boolean;
  enrolled: boolean;
  enrolledAt: string | null;
  recoveryCodesLeft: number;
}

export interface TotpDeps {
  db: Db;
  clock: () => Date;
  pii: Pick<Pii, 'encrypt' | 'decrypt' | 'blindIndex' | 'blindIndexes' | 'anyProfileIndexes'>;
  throttle: Throttle;
  /** True when the account holds (or would hold after MFA) a role with a second sign-in step. */
  holdsMfaRole: (actor: Actor) => boolean;
  /** The caller must be fully signed in (no MFA step pending); throws otherwise. */
  requireConfirmed: (ctx: RequestContext) => Actor;
  verifyPassword: (userId: string, password: string) => Promise<boolean>;
  /** MFA_TOTP_REQUIRED and its grace period (config.mfa). */
  policy: TotpPolicy;
  /** The account holds a WebAuthn security key (then removing TOTP leaves it a second factor). */
  hasSecurityKey?: (userId: string) => Promise<boolean>;
}

// The sealed secret is bound to its account: a token copied into another row does not decrypt.
const secretAad = (userId: string) => `user_totp.secret_enc:${userId}`;

/** TOTP authenticators (动态口令) and recovery codes: enrol, confirm, disable, and the sign-in checks. */
export function createTotpService(deps: TotpDeps) {
  const { db, clock, pii, throttle } = deps;
  const manageKey = (userId: string) => `totp:${userId}`;
  const recoveryHash = (userId: string, normalized: string) =>
    pii.blindIndex(`${userId}:${normalized}`, 'totp.recovery');

  async function rowOf(userId: string) {
    const [row] = await db.select().from(userTotp).where(eq(userTotp.userId, userId));
    return row;
  }

  /** The confirmed authenticator of an account, or null. */
  async function enrolled(userId: string) {
    const row = await rowOf(userId);
    return row?.enrolledAt ? row : null;
  }

  /** Spends the code's time step (atomic: two requests with one code cannot both pass). */
  async function spendCode(userId: string, secretEnc: string, lastStep: number | null, code: string) {
    const key = base32Decode(pii.decrypt(secretEnc, secretAad(userId)));
    const step = matchStep(key, code, clock(), lastStep);
    if (step === null) return false;
    const won = await db
      .update(userTotp)
      .set({ lastStep: step })
      .where(
        and(
          eq(userTotp.userId, userId),
          isNotNull(userTotp.enrolledAt),
          or(isNull(userTotp.lastStep), lt(userTotp.lastStep, step)),
        ),
      )
      .returning({ userId: userTotp.userId });
    return won.length === 1;
  }

  /** Marks a recovery code used (atomic: a code is good once); false when it is wrong or already spent. */
  async function spendRecoveryCode(userId: string, input: string) {
    const normalized = normalizeRecoveryCode(input);
    if (!normalized) return false;
    const spent = await db
      .update(userRecoveryCode)
      .set({ usedAt: clock() })
      .where(
        and(
          eq(userRecoveryCode.userId, userId),
          // Codes are never stored, so a crypto-profile switch cannot rehash them: either profile's hash matches.
          inArray(
            userRecoveryCode.codeHash,
            pii.anyProfileIndexes(`${userId}:${normalized}`, 'totp.recovery'),
          ),
          isNull(userRecoveryCode.usedAt),
        ),
      )
      .returning({ id: userRecoveryCode.id });
    return spent.length === 1;
  }

  /** Ten fresh recovery codes replace all of the account's codes (inside the caller's transaction). */
  async function replaceRecoveryCodes(tx: DbOrTx, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await tx.delete(userRecoveryCode).where(eq(userRecoveryCode.userId, userId));
    await tx.insert(userRecoveryCode).values(
      codes.map((c) => ({
        id: newId('rcv'),
        userId,
        codeHash: recoveryHash(userId, normalizeRecoveryCode(c)!),
      })),
    );
    return codes;
  }

  async function codesLeft(userId: string) {
    const [row] = await db
      .select({ n: count() })
      .from(userRecoveryCode)
      .where(and(eq(userRecoveryCode.userId, userId), isNull(userRecoveryCode.usedAt)));
    return Number(row?.n ?? 0);
  }

  // A failed management step counts here (refuse.ts): the fifth in 15 minutes locks the account's TOTP management.
  const guard = { db, throttle, keyOf: manageKey };

  /**
   * A security admin's own current authenticator code before a change to another account (its step spent): an admin
   * without one is refused TOTP_ENROLMENT_REQUIRED; wrong codes are audited under `action` on the admin and count in
   * the admin's `totp:` throttle.
   */
  async function adminStepUp(ctx: RequestContext, adminId: string, action: string, code: string) {
    const key = manageKey(adminId);
    await throttle.assertNotLocked(key);
    const own = await enrolled(adminId);
    if (!own) throw new AppError('TOTP_ENROLMENT_REQUIRED');
    if (!(await spendCode(adminId, own.secretEnc, own.lastStep, code)))
      return refuseStep(guard, ctx, {
        userId: adminId,
        action,
        reason: 'code does not match',
        code: 'TOTP_INVALID',
        path: 'code',
      });
    await throttle.reset(key);
  }

  /**
   * When TOTP is mandatory, sets the account's deadline to now (`immediately`) or keeps an unexpired one, and holds its
   * live sessions to it; returns the deadline, or null when the requirement is off.
   */
  async function holdToDeadline(tx: DbOrTx, userId: string, immediately: boolean): Promise<Date | null> {
    if (!deps.policy.totpRequired) return null;
    const now = clock();
    const [u] = await tx.select({ enrolBy: user.totpEnrolBy }).from(user).where(eq(user.id, userId));
    const enrolBy = !immediately && u?.enrolBy && u.enrolBy > now ? u.enrolBy : now;
    await tx.update(user).set({ totpEnrolBy: enrolBy }).where(eq(user.id, userId));
    await tx.update(session).set({ totpEnrolBy: enrolBy }).where(eq(session.userId, userId));
    return enrolBy;
  }

  return {
    enrolled,
    adminStepUp,

    /**
     * The enrolment deadline for an MFA-verified session of an account without an authenticator: the stamped one, or
     * now + grace stamped on first use (a racing second sign-in keeps the first stamp). Null when TOTP is optional.
     */
    async deadlineFor(userId: string): Promise<Date | null> {
      const [u] = await db.select({ enrolBy: user.totpEnrolBy }).from(user).where(eq(user.id, userId));
      const enrolBy = enrolDeadline(deps.policy, {
        hasTotp: false,
        stamped: u?.enrolBy ?? null,
        now: clock(),
      });
      if (!enrolBy || u?.enrolBy) return enrolBy;
      const [stamped] = await db
        .update(user)
        .set({ totpEnrolBy: enrolBy })
        .where(and(eq(user.id, userId), isNull(user.totpEnrolBy)))
        .returning({ enrolBy: user.totpEnrolBy });
      if (stamped?.enrolBy) return stamped.enrolBy;
      const [again] = await db.select({ enrolBy: user.totpEnrolBy }).from(user).where(eq(user.id, userId));
      return again?.enrolBy ?? enrolBy;
    },

    /**
     * Replaces all recovery codes of the caller's account after a current TOTP code (its step spent): the old codes
     * stop working at once; the ten new ones are returned once. Failures count in the `totp:` throttle.
     */
    async regenerateRecoveryCodes(ctx: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
      const actor = deps.requireConfirmed(ctx);
      const key = manageKey(actor.userId);
      await throttle.assertNotLocked(key);
      const row = await enrolled(actor.userId);
      if (!row) throw new AppError('TOTP_NOT_ENROLLED');
      const action = 'identity.totp_recovery_regenerate';
      if (!(await spendCode(actor.userId, row.secretEnc, row.lastStep, code)))
        return refuseStep(guard, ctx, {
          userId: actor.userId,
          action,
          reason: 'code does not match',
          code: 'TOTP_INVALID',
          path: 'code',
        });
      const codes = await db.transaction(async (tx) => {
        const fresh = await replaceRecoveryCodes(tx, actor.userId);
        await appendAudit(tx, ctx, {
          action,
          objectType: 'user',
          objectId: actor.userId,
          detail: { recoveryCodes: fresh.length },
        });
        return fresh;
      });
      await throttle.reset(key);
      return { recoveryCodes: codes };
    },

    /**
     * A security admin removes another account's authenticator (lost phone), with a reason and the admin's own current
     * TOTP code: the account's recovery codes go, all its sessions end, and under mandatory TOTP it must enrol again
     * at its next sign-in (no grace). Audited; the admin's failed codes count in the admin's `totp:` throttle.
     */
    async adminReset(
      ctx: RequestContext,
      userId: string,
      input: { reason: string; code: string },
    ): Promise<{ sessionsEnded: number }> {
      const admin = deps.requireConfirmed(ctx);
      if (!hasRole(admin, 'security_admin')) throw new AppError('FORBIDDEN');
      if (userId === admin.userId) throw new AppError('ADMIN_SELF_CHANGE');
      const [target] = await db.select({ id: user.id }).from(user).where(eq(user.id, userId));
      if (!target) throw new AppError('NOT_FOUND');
      // Checked before the admin's code is spent, so a mistaken target does not cost the admin a time step.
      if (!(await rowOf(userId))) throw new AppError('TOTP_NOT_ENROLLED');
      const action = 'identity.totp_reset';
      await adminStepUp(ctx, admin.userId, action, input.code);
      return db.transaction(async (tx) => {
        const gone = await tx
          .delete(userTotp)
          .where(eq(userTotp.userId, userId))
          .returning({ enrolledAt: userTotp.enrolledAt });
        if (!gone.length) throw new AppError('TOTP_NOT_ENROLLED');
        await tx.delete(userRecoveryCode).where(eq(userRecoveryCode.userId, userId));
        await holdToDeadline(tx, userId, true);
        const ended = await tx
          .delete(session)
          .where(eq(session.userId, userId))
          .returning({ id: session.id });
        await appendAudit(tx, ctx, {
          action,
          objectType: 'user',
          objectId: userId,
          detail: { reason: input.reason, wasConfirmed: !!gone[0]?.enrolledAt, sessionsEnded: ended.length },
        });
        return { sessionsEnded: ended.length };
      });
    },

    /** Whether the caller may and did enrol, and how many recovery codes are left (also during the MFA step). */
    async status(ctx: RequestContext): Promise<TotpStatus> {
      const actor = ctx.actor;
      if (!actor) throw new AppError('UNAUTHENTICATED');
      const row = await enrolled(actor.userId);
      return {
        available: deps.holdsMfaRole(actor),
        enrolled: !!row,
        enrolledAt: row?.enrolledAt?.toISOString() ?? null,
        recoveryCodesLeft: row ? await codesLeft(actor.userId) : 0,
      };
    },

    /**
     * Starts enrolment: a fresh secret, sealed, replaces any unconfirmed one. Returned once, as text, as an
     * otpauth:// URI and as that URI's QR code (SVG); the account stays on SMS until `confirm`.
     */
    async start(
      ctx: RequestContext,
    ): Promise<{ secret: string; otpauthUri: string; qrSvg: string; expiresAt: string }> {
      const actor = deps.requireConfirmed(ctx);
      if (!deps.holdsMfaRole(actor)) throw new AppError('TOTP_NOT_AVAILABLE');
      if (await enrolled(actor.userId)) throw new AppError('TOTP_ALREADY_ENROLLED');
      const secret = newTotpSecret();
      const now = clock();
      const secretEnc = pii.encrypt(secret, secretAad(actor.userId));
      await db.transaction(async (tx) => {
        await tx
          .insert(userTotp)
          .values({ userId: actor.userId, secretEnc, startedAt: now })
          .onConflictDoUpdate({
            target: userTotp.userId,
            set: { secretEnc, startedAt: now, lastStep: null },
            where: isNull(userTotp.enrolledAt),
          });
        await appendAudit(tx, ctx, {
          action: 'identity.totp_enrol_start',
          objectType: 'user',
          objectId: actor.userId,
        });
      });
      const uri = otpauthUri(secret, TOTP_ISSUER, actor.phoneMasked || actor.name);
      const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return {
        secret,
        otpauthUri: uri,
        qrSvg,
        expiresAt: new Date(now.getTime() + TOTP_ENROL_TTL_MS).toISOString(),
      };
    },

    /**
     * Confirms enrolment with a current code: the authenticator becomes the account's second factor (SMS no longer
     * is) and ten single-use recovery codes are made; they are returned once and stored only as keyed hashes.
     */
    async confirm(ctx: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
      const actor = deps.requireConfirmed(ctx);
      if (!deps.holdsMfaRole(actor)) throw new AppError('TOTP_NOT_AVAILABLE');
      const key = manageKey(actor.userId);
      await throttle.assertNotLocked(key);
      const row = await rowOf(actor.userId);
      if (row?.enrolledAt) throw new AppError('TOTP_ALREADY_ENROLLED');
      if (!row || clock().getTime() - row.startedAt.getTime() > TOTP_ENROL_TTL_MS)
        throw new AppError('TOTP_ENROLMENT_NOT_STARTED');
      const secret = base32Decode(pii.decrypt(row.secretEnc, secretAad(actor.userId)));
      const step = matchStep(secret, code, clock(), null);
      if (step === null)
        return refuseStep(guard, ctx, {
          userId: actor.userId,
          action: 'identity.totp_enrol',
          reason: 'code does not match',
          code: 'TOTP_INVALID',
          path: 'code',
        });
      const now = clock();
      const codes = await db.transaction(async (tx) => {
        const done = await tx
          .update(userTotp)
          .set({ enrolledAt: now, lastStep: step })
          .where(
            and(
              eq(userTotp.userId, actor.userId),
              isNull(userTotp.enrolledAt),
              eq(userTotp.secretEnc, row.secretEnc),
            ),
          )
          .returning({ userId: userTotp.userId });
        // A second tab started or confirmed meanwhile: this QR code is no longer the one on record.
        if (!done.length) throw new AppError('TOTP_ENROLMENT_NOT_STARTED');
        const fresh = await replaceRecoveryCodes(tx, actor.userId);
        // Mandatory enrolment is met: this session (and the account's others) regain the role at once.
        await tx.update(session).set({ totpEnrolBy: null }).where(eq(session.userId, actor.userId));
        await appendAudit(tx, ctx, {
          action: 'identity.totp_enrol',
          objectType: 'user',
          objectId: actor.userId,
          detail: { recoveryCodes: fresh.length },
        });
        return fresh;
      });
      await throttle.reset(key);
      return { recoveryCodes: codes };
    },

    /**
     * Removes the authenticator and its recovery codes after a current code, or the password and a recovery code;
     * the account goes back to SMS codes. Five failures in 15 minutes lock this for the account.
     */
    async disable(
      ctx: RequestContext,
      input: { code?: string | undefined; password?: string | undefined; recoveryCode?: string | undefined },
    ): Promise<void> {
      const actor = deps.requireConfirmed(ctx);
      const key = manageKey(actor.userId);
      await throttle.assertNotLocked(key);
      const row = await enrolled(actor.userId);
      if (!row) throw new AppError('TOTP_NOT_ENROLLED');
      const action = 'identity.totp_disable';
      let method: 'totp' | 'recovery';
      if (input.code !== undefined) {
        method = 'totp';
        if (!(await spendCode(actor.userId, row.secretEnc, row.lastStep, input.code)))
          return refuseStep(guard, ctx, {
            userId: actor.userId,
            action,
            reason: 'code does not match',
            code: 'TOTP_INVALID',
            path: 'code',
          });
      } else {
        method = 'recovery';
        if (!(await deps.verifyPassword(actor.userId, input.password ?? '')))
          return refuseStep(guard, ctx, {
            userId: actor.userId,
            action,
            reason: 'password does not match',
            code: 'PASSWORD_CURRENT_INVALID',
            path: 'password',
          });
        if (!(await spendRecoveryCode(actor.userId, input.recoveryCode ?? '')))
          return refuseStep(guard, ctx, {
            userId: actor.userId,
            action,
            reason: 'recovery code unknown or used',
            code: 'RECOVERY_CODE_INVALID',
            path: 'recoveryCode',
          });
      }
      // Read before the transaction: on PGlite's single connection a query outside it would wait for it forever.
      const keyLeft = (await deps.hasSecurityKey?.(actor.userId)) ?? false;
      await db.transaction(async (tx) => {
        await tx.delete(userTotp).where(eq(userTotp.userId, actor.userId));
        await tx.delete(userRecoveryCode).where(eq(userRecoveryCode.userId, actor.userId));
        // Mandatory TOTP: SMS is no fallback past grace, so the account (and its sessions) must enrol again now —
        // unless a security key remains its second factor.
        const enrolBy = keyLeft ? null : await holdToDeadline(tx, actor.userId, false);
        await appendAudit(tx, ctx, {
          action,
          objectType: 'user',
          objectId: actor.userId,
          detail: { method, ...(enrolBy && { enrolBy: enrolBy.toISOString() }) },
        });
      });
      await throttle.reset(key);
    },

    /**
     * The MFA step with the authenticator: a current code (its step spent) or a recovery code (spent). False when
     * neither matches; the caller counts the failure.
     */
    async verifyAtSignIn(
      userId: string,
      method: 'totp' | 'recovery',
      code: string,
    ): Promise<{ ok: boolean; recoveryCodesLeft?: number }> {
      const row = await enrolled(userId);
      if (!row) throw new AppError('TOTP_NOT_ENROLLED');
      if (method === 'totp') return { ok: await spendCode(userId, row.secretEnc, row.lastStep, code) };
      if (!(await spendRecoveryCode(userId, code))) return { ok: false };
      return { ok: true, recoveryCodesLeft: await codesLeft(userId) };
    },
  };
}

export type TotpService = ReturnType<typeof createTotpService>;
