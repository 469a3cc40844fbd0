import { and, count, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import QRCode from 'qrcode';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { Pii } from '../../platform/pii/index.js';
import { userRecoveryCode, userTotp } from './identity.tables.js';
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
  pii: Pick<Pii, 'encrypt' | 'decrypt' | 'blindIndex'>;
  throttle: Throttle;
  /** True when the account holds (or would hold after MFA) a role with a second sign-in step. */
  holdsMfaRole: (actor: Actor) => boolean;
  /** The caller must be fully signed in (no MFA step pending); throws otherwise. */
  requireConfirmed: (ctx: RequestContext) => Actor;
  verifyPassword: (userId: string, password: string) => Promise<boolean>;
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
          eq(userRecoveryCode.codeHash, recoveryHash(userId, normalized)),
          isNull(userRecoveryCode.usedAt),
        ),
      )
      .returning({ id: userRecoveryCode.id });
    return spent.length === 1;
  }

  async function codesLeft(userId: string) {
    const [row] = await db
      .select({ n: count() })
      .from(userRecoveryCode)
      .where(and(eq(userRecoveryCode.userId, userId), isNull(userRecoveryCode.usedAt)));
    return Number(row?.n ?? 0);
  }

  /** Counts a failed management step; on the fifth in 15 minutes the account's TOTP management is locked. */
  async function refuse(
    ctx: RequestContext,
    userId: string,
    action: string,
    reason: string,
    code: 'TOTP_INVALID' | 'RECOVERY_CODE_INVALID' | 'PASSWORD_CURRENT_INVALID',
  ): Promise<never> {
    const locked = await throttle.recordFailure(manageKey(userId));
    await recordAudit(db, ctx, {
      action,
      outcome: 'denied',
      objectType: 'user',
      objectId: userId,
      detail: { reason, locked },
    });
    if (locked) throw new AppError('ACCOUNT_LOCKED');
    const path =
      code === 'TOTP_INVALID' ? 'code' : code === 'RECOVERY_CODE_INVALID' ? 'recoveryCode' : 'password';
    throw new AppError(code, { issues: [{ path, message: reason }] });
  }

  return {
    enrolled,

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
      const key = manageKey(actor.userId);
      await throttle.assertNotLocked(key);
      const row = await rowOf(actor.userId);
      if (row?.enrolledAt) throw new AppError('TOTP_ALREADY_ENROLLED');
      if (!row || clock().getTime() - row.startedAt.getTime() > TOTP_ENROL_TTL_MS)
        throw new AppError('TOTP_ENROLMENT_NOT_STARTED');
      const secret = base32Decode(pii.decrypt(row.secretEnc, secretAad(actor.userId)));
      const step = matchStep(secret, code, clock(), null);
      if (step === null)
        return refuse(ctx, actor.userId, 'identity.totp_enrol', 'code does not match', 'TOTP_INVALID');
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      const now = clock();
      await db.transaction(async (tx) => {
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
        await tx.delete(userRecoveryCode).where(eq(userRecoveryCode.userId, actor.userId));
        await tx.insert(userRecoveryCode).values(
          codes.map((c) => ({
            id: newId('rcv'),
            userId: actor.userId,
            codeHash: recoveryHash(actor.userId, normalizeRecoveryCode(c)!),
          })),
        );
        await appendAudit(tx, ctx, {
          action: 'identity.totp_enrol',
          objectType: 'user',
          objectId: actor.userId,
          detail: { recoveryCodes: codes.length },
        });
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
          return refuse(ctx, actor.userId, action, 'code does not match', 'TOTP_INVALID');
      } else {
        method = 'recovery';
        if (!(await deps.verifyPassword(actor.userId, input.password ?? '')))
          return refuse(ctx, actor.userId, action, 'password does not match', 'PASSWORD_CURRENT_INVALID');
        if (!(await spendRecoveryCode(actor.userId, input.recoveryCode ?? '')))
          return refuse(ctx, actor.userId, action, 'recovery code unknown or used', 'RECOVERY_CODE_INVALID');
      }
      await db.transaction(async (tx) => {
        await tx.delete(userTotp).where(eq(userTotp.userId, actor.userId));
        await tx.delete(userRecoveryCode).where(eq(userRecoveryCode.userId, actor.userId));
        await appendAudit(tx, ctx, {
          action,
          objectType: 'user',
          objectId: actor.userId,
          detail: { method },
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
