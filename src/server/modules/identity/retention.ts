import { and, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { session, userTotp, verification } from './identity.tables.js';
import { TOTP_ENROL_TTL_MS } from './totp.service.js';

/**
 * Retention of sign-in records (test/data-inventory.ts: session "until logout or expiry"; one-time codes are
 * single-use and short-lived): removes sessions past their expiry and one-time-code rows past theirs. Logged-out
 * sessions are already deleted at logout. TOTP enrolments never confirmed within their 10 minutes are removed with
 * their sealed secret. Run nightly by the `identity.auth_purge` job.
 */
export async function purgeExpiredAuthRecords(
  db: Db,
  now: Date,
): Promise<{ sessions: number; codes: number; totpEnrolments: number }> {
  const sessions = await db.delete(session).where(lt(session.expiresAt, now)).returning({ id: session.id });
  const codes = await db
    .delete(verification)
    .where(lt(verification.expiresAt, now))
    .returning({ id: verification.id });
  const stale = await db
    .delete(userTotp)
    .where(
      and(isNull(userTotp.enrolledAt), lt(userTotp.startedAt, new Date(now.getTime() - TOTP_ENROL_TTL_MS))),
    )
    .returning({ userId: userTotp.userId });
  return { sessions: sessions.length, codes: codes.length, totpEnrolments: stale.length };
}
