import { and, count, eq, isNull } from 'drizzle-orm';
import type { MemberRole, OrgType } from '../../../shared/roles.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import type { Membership } from '../../platform/http/actor.js';
import { orgMembership, organization } from './orgs.tables.js';

export type NewOrganization = typeof organization.$inferInsert;

/** Organizations and memberships. The trust-record issue adds applications, review and public listing. */
export function createOrgsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    /** Current memberships of a person in organizations that are not expelled. */
    async activeMembershipsOf(userId: string, q: DbOrTx = db): Promise<Membership[]> {
      const rows = await q
        .select({
          orgId: organization.id,
          orgName: organization.name,
          orgType: organization.type,
          role: orgMembership.role,
          status: organization.status,
        })
        .from(orgMembership)
        .innerJoin(organization, eq(organization.id, orgMembership.orgId))
        .where(and(eq(orgMembership.userId, userId), isNull(orgMembership.endedAt)));
      return rows
        .filter((r) => r.status !== 'expelled')
        .map((r) => ({
          orgId: r.orgId,
          orgName: r.orgName,
          orgType: r.orgType as OrgType,
          role: r.role as MemberRole,
        }));
    },

    /** Creates an organization (used by the seed and by the admin console). */
    async createOrganization(
      q: DbOrTx,
      input: { type: OrgType; name: string; district?: string | null; status?: string },
    ) {
      const id = newId('org');
      await q.insert(organization).values({
        id,
        type: input.type,
        name: input.name,
        district: input.district ?? null,
        status: input.status ?? 'active',
      });
      return id;
    },

    /** How many organizations exist (the seed runs only on an empty platform). */
    async countOrganizations(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(organization);
      return row?.n ?? 0;
    },

    /** Inserts many organizations in one statement (demo seed, data generator). */
    async bulkInsert(rows: NewOrganization[], q: DbOrTx = db) {
      for (let i = 0; i < rows.length; i += 1000)
        await q.insert(organization).values(rows.slice(i, i + 1000));
    },

    /** Adds a person to an organization with a member role. */
    async addMember(q: DbOrTx, input: { orgId: string; userId: string; role: MemberRole }) {
      const id = newId('mem');
      await q.insert(orgMembership).values({ id, ...input });
      return id;
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;
