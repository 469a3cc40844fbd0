import { eq, sql } from 'drizzle-orm';
import { roleFromMembership, type Role } from '../../../shared/roles.js';
import { maskMobile } from '../../../shared/validators/index.js';
import type { Db } from '../../platform/db/client.js';
import type { Actor, Membership } from '../../platform/http/actor.js';
import { activeMembershipsJsonSql } from '../orgs/index.js';
import { session, user, userRole } from './identity.tables.js';

/** A platform role granted to the account directly (a regulator's carries its district). */
export interface DirectRole {
  role: string;
  district: string | null;
}

/** The actor of an account before any MFA gate: its direct roles plus the roles its memberships give. */
export function actorOf(
  u: { id: string; name: string; phoneNumber: string | null },
  sessionId: string,
  direct: readonly DirectRole[],
  memberships: Membership[],
): Actor {
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

/** What one session token resolves to: the session row, its account and the (ungated) actor. */
export interface SessionLookup {
  session: typeof session.$inferSelect;
  user: typeof user.$inferSelect;
  actor: Actor;
}

/**
 * The session behind a token with its account, direct roles and memberships (org names and types) in ONE prepared
 * statement, for every request (three before: session and account, roles, memberships). Null for an unknown token.
 */
export function createSessionLookup(db: Db) {
  const stmt = db
    .select({
      s: session,
      u: user,
      roles: sql<unknown>`(select coalesce(json_agg(json_build_object('role', r.role, 'district', r.district)
          order by r.created_at, r.id), '[]'::json)
        from ${userRole} r where r.user_id = ${session.userId})`,
      memberships: sql<unknown>`${activeMembershipsJsonSql(sql`${session.userId}`)}`,
    })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(eq(session.token, sql.placeholder('token')))
    .limit(1)
    .prepare('identity_session_actor');
  // Both drivers hand json back parsed; a string would mean a driver that does not.
  const parse = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;

  return async function lookupSession(token: string): Promise<SessionLookup | null> {
    const [row] = await stmt.execute({ token });
    if (!row) return null;
    const actor = actorOf(
      row.u,
      row.s.id,
      parse<DirectRole[]>(row.roles),
      parse<Membership[]>(row.memberships),
    );
    return { session: row.s, user: row.u, actor };
  };
}
