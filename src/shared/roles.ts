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
] as const;
export type Role = (typeof roles)[number];

/** Roles granted to an account directly (not through an organization). */
export const platformRoles = ['resident', 'worker', 'regulator', 'platform_admin'] as const;
export type PlatformRole = (typeof platformRoles)[number];

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
