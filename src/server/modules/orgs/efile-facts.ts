import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organization, orgMembership } from './orgs.tables.js';

/** An organization membership of the account (staff or admin seat), ended ones included. */
export interface MembershipFact {
  id: string;
  orgName: string;
  orgType: string;
  role: string;
  startedAt: string;
  endedAt: string | null;
}

/** Every membership the account has held, newest first (for the e-file export; who ended it is not shown). */
export async function membershipsOfUser(db: DbOrTx, userId: string): Promise<MembershipFact[]> {
  const rows = await db
    .select({ m: orgMembership, orgName: organization.name, orgType: organization.type })
    .from(orgMembership)
    .innerJoin(organization, eq(organization.id, orgMembership.orgId))
    .where(eq(orgMembership.userId, userId))
    .orderBy(desc(orgMembership.startedAt));
  return rows.map(({ m, orgName, orgType }) => ({
    id: m.id,
    orgName,
    orgType,
    role: m.role,
    startedAt: m.startedAt.toISOString(),
    endedAt: m.endedAt?.toISOString() ?? null,
  }));
}
