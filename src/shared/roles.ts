/** Every role a signed-in person can hold. Platform roles are granted directly; the others come from memberships. */
export const roles = [
  'resident',
  'worker',
  'company_admin',
  'company_staff',
  'station_staff',
  'training_staff',
  'insurer_staff',
  'regulator',
  'platform_admin',
  'security_admin',
  'audit_admin',
] as const;
export type Role = (typeof roles)[number];

/** Roles granted to an account directly (not through an organization). */
export const platformRoles = [
  'resident',
  'worker',
  'regulator',
  'platform_admin',
  'security_admin',
  'audit_admin',
] as const;
export type PlatformRole = (typeof platformRoles)[number];

/**
 * 三权分立 (等保 L3 separation of duties): system (platform_admin), security (security_admin) and audit
 * (audit_admin) administration; one account never holds two of them.
 */
export const separatedAdminRoles = ['platform_admin', 'security_admin', 'audit_admin'] as const;
/** The platform roles a security admin grants and revokes (resident and worker come from the person themselves). */
export const staffRoles = ['regulator', 'platform_admin', 'security_admin', 'audit_admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const orgTypes = ['company', 'station', 'training', 'insurer', 'regulator'] as const;
export type OrgType = (typeof orgTypes)[number];

export const memberRoles = ['admin', 'staff'] as const;
export type MemberRole = (typeof memberRoles)[number];

/** The role a membership confers: a company admin, a station's staff … */
export function roleFromMembership(orgType: OrgType, memberRole: MemberRole): Role | null {
  switch (orgType) {
    case 'company':
      return memberRole === 'admin' ? 'company_admin' : 'company_staff';
    case 'station':
      return 'station_staff';
    case 'training':
      return 'training_staff';
    case 'insurer':
      return 'insurer_staff';
    case 'regulator':
      return 'regulator';
  }
}

/** Where each role's console lives in the web app, in order of precedence when a person holds several. */
export const roleHome: [Role, string][] = [
  ['platform_admin', '/admin'],
  ['security_admin', '/security'],
  ['audit_admin', '/audit'],
  ['regulator', '/regulator'],
  ['company_admin', '/company'],
  ['company_staff', '/company'],
  ['station_staff', '/station'],
  ['training_staff', '/training'],
  ['insurer_staff', '/insurer'],
  ['worker', '/worker'],
  ['resident', '/resident'],
];

export function homeFor(held: readonly Role[]): string {
  for (const [role, path] of roleHome) if (held.includes(role)) return path;
  return '/';
}
