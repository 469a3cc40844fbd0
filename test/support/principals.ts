import type { FastifyInstance } from 'fastify';
import type { OrgType, PlatformRole, Role } from '../../src/shared/roles.js';
import { uniquePhone } from '../app.js';
import { signInWithPassword } from '../factories/sign-in.js';
import { principals, type Principal } from '../authz-matrix.js';
import { partnerScopes } from '../../src/server/modules/partners/index.js';

const orgRoleSetup: Partial<Record<Role, { orgType: OrgType; role: 'admin' | 'staff' }>> = {
  company_admin: { orgType: 'company', role: 'admin' },
  company_staff: { orgType: 'company', role: 'staff' },
  station_staff: { orgType: 'station', role: 'staff' },
  training_staff: { orgType: 'training', role: 'staff' },
  insurer_staff: { orgType: 'insurer', role: 'staff' },
};

export const PRINCIPAL_PASSWORD = 'Matrix2026pass';

export interface PrincipalWorld {
  cookies: Map<Principal, string>;
  phones: Map<Principal, string>;
  userIds: Map<Principal, string>;
  /** Partner API keys: `all` holds every scope, `narrow` only statistics:read. */
  partnerKeys: { all: string; narrow: string };
  signIn(p: Principal): Promise<string>;
}

/** One signed-in account per principal of the authorization matrix (organizations created as needed). */
export async function createPrincipals(app: FastifyInstance): Promise<PrincipalWorld> {
  const { identity, orgs } = app.services;
  const db = app.database.db;
  const world: PrincipalWorld = {
    cookies: new Map(),
    phones: new Map(),
    userIds: new Map(),
    partnerKeys: { all: '', narrow: '' },
    // Regulator and platform admin confirm the SMS code too: the matrix tests fully signed-in principals.
    async signIn(p) {
      return signInWithPassword(app, world.phones.get(p)!, PRINCIPAL_PASSWORD);
    },
  };
  for (const p of principals) {
    if (p === 'anonymous') continue;
    const phone = uniquePhone();
    const org = orgRoleSetup[p];
    const userId = await identity.createAccount({
      phone,
      password: PRINCIPAL_PASSWORD,
      name: `矩阵${p}`,
      roles: org ? [] : [{ role: p as PlatformRole }],
    });
    if (org) {
      const orgId = await orgs.createOrganization(db, {
        type: org.orgType,
        name: `矩阵${org.orgType}`,
        district: '440106',
      });
      await orgs.addMember(db, { orgId, userId, role: org.role });
    }
    world.phones.set(p, phone);
    world.userIds.set(p, userId);
    world.cookies.set(p, await world.signIn(p));
  }
  world.partnerKeys = await partnerKeys(app, world.userIds.get('platform_admin')!);
  return world;
}

async function partnerKeys(app: FastifyInstance, adminUserId: string) {
  const ctx = {
    actor: {
      userId: adminUserId,
      sessionId: 'matrix',
      name: '',
      phoneMasked: '',
      roles: ['platform_admin' as const],
      memberships: [],
      regulatorDistrict: null,
    },
    requestId: 'matrix',
    ip: null,
  };
  const base = {
    name: '矩阵接入方',
    organization: '矩阵',
    contactName: '矩阵',
    contactPhone: uniquePhone(),
    ipAllowlist: [],
    rateLimitPerMinute: 100_000,
  };
  const all = await app.services.partners.createClient(ctx, { ...base, scopes: [...partnerScopes] });
  const narrow = await app.services.partners.createClient(ctx, { ...base, scopes: ['statistics:read'] });
  return { all: all.key.secret, narrow: narrow.key.secret };
}
