import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { orgInvitation } from './orgs.tables.js';

const YEAR_MS = 365 * 24 * 3600_000;

/**
 * Retention of invitations (test/data-inventory.ts, org_invitation: "until accepted, revoked or expired (7 days)
 * + 1 year"): removes invitations whose answer — or, unanswered, whose expiry — lies more than a year back, with
 * the invitee's phone (hash and ciphertext) in them. Pending, unexpired ones are never touched. Run nightly by the
 * `orgs.invitation_purge` job.
 */
export async function purgeClosedInvitations(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - YEAR_MS);
  const rows = await db
    .delete(orgInvitation)
    .where(sql`coalesce(${orgInvitation.respondedAt}, ${orgInvitation.expiresAt}) < ${cutoff}`)
    .returning({ id: orgInvitation.id });
  return rows.length;
}
