import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { authThrottle } from './identity.tables.js';

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Five wrong passwords or codes within 15 minutes lock that number for 15 minutes. */
export const FAILURE_RULE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const OTP_RESEND_MS = 60_000;

/** Failure counting and locks in the database, so every app process sees the same lock. */
export function createThrottle(db: Db, clock: () => Date) {
  async function get(key: string) {
    const [row] = await db.select().from(authThrottle).where(eq(authThrottle.key, key));
    return row;
  }
  const retryAfter = (until: Date) =>
    String(Math.max(1, Math.ceil((until.getTime() - clock().getTime()) / 1000)));

  return {
    /** Throws ACCOUNT_LOCKED while a lock holds. */
    async assertNotLocked(key: string): Promise<void> {
      const row = await get(key);
      if (row?.lockedUntil && row.lockedUntil > clock()) {
        throw new AppError('ACCOUNT_LOCKED', { headers: { 'retry-after': retryAfter(row.lockedUntil) } });
      }
    },

    /** Counts a failure; returns true when this failure set the lock. */
    async recordFailure(key: string, rule: ThrottleRule = FAILURE_RULE): Promise<boolean> {
      const now = clock();
      const windowFloor = new Date(now.getTime() - rule.windowMs);
      const lockUntil = new Date(now.getTime() + rule.lockMs);
      const [row] = await db
        .insert(authThrottle)
        .values({ key, failures: 1, windowStart: now })
        .onConflictDoUpdate({
          target: authThrottle.key,
          set: {
            failures: sql`case when ${authThrottle.windowStart} < ${windowFloor} then 1 else ${authThrottle.failures} + 1 end`,
            windowStart: sql`case when ${authThrottle.windowStart} < ${windowFloor} then ${now} else ${authThrottle.windowStart} end`,
          },
        })
        .returning();
      if (row && row.failures >= rule.maxFailures) {
        await db
          .update(authThrottle)
          .set({ lockedUntil: lockUntil, failures: 0, windowStart: now })
          .where(eq(authThrottle.key, key));
        return true;
      }
      return false;
    },

    async reset(key: string): Promise<void> {
      await db.update(authThrottle).set({ failures: 0, lockedUntil: null }).where(eq(authThrottle.key, key));
    },

    /** Throws OTP_TOO_SOON when a code was sent to this key less than a minute ago; otherwise records the send. */
    async claimSend(key: string, minIntervalMs = OTP_RESEND_MS): Promise<void> {
      const now = clock();
      const row = await get(key);
      if (row?.lastSentAt && now.getTime() - row.lastSentAt.getTime() < minIntervalMs) {
        const wait = Math.ceil((minIntervalMs - (now.getTime() - row.lastSentAt.getTime())) / 1000);
        throw new AppError('OTP_TOO_SOON', { headers: { 'retry-after': String(wait) } });
      }
      await db
        .insert(authThrottle)
        .values({ key, failures: 0, windowStart: now, lastSentAt: now })
        .onConflictDoUpdate({ target: authThrottle.key, set: { lastSentAt: now } });
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
