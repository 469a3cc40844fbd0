import type { MemberRole, OrgType, Role } from '../../../shared/roles.js';

export interface Membership {
  orgId: string;
  orgName: string;
  orgType: OrgType;
  role: MemberRole;
}

/** The signed-in person behind a request, resolved once from the session cookie. */
export interface Actor {
  userId: string;
  sessionId: string;
  name: string;
  phoneMasked: string;
  roles: Role[];
  memberships: Membership[];
  /** GB/T 2260 district a regulator is limited to; null means the whole city. */
  regulatorDistrict: string | null;
  /** Roles the account holds but this session may not use until it confirms its SMS code (MFA, identity). */
  mfaPendingRoles?: Role[];
  /** Roles withheld until the account confirms a TOTP authenticator (mandatory enrolment past its grace, identity). */
  totpPendingRoles?: Role[];
  /** Within the grace period: when the account must have enrolled TOTP by (ISO); the web shows a banner. */
  totpEnrolBy?: string;
}

export function hasRole(actor: Actor | null | undefined, ...wanted: Role[]): boolean {
  return !!actor && wanted.some((r) => actor.roles.includes(r));
}

/** Organizations in which the actor holds one of the given member roles. */
export function orgIdsOf(
  actor: Actor,
  orgType: OrgType,
  memberRoles: MemberRole[] = ['admin', 'staff'],
): string[] {
  return actor.memberships
    .filter((m) => m.orgType === orgType && memberRoles.includes(m.role))
    .map((m) => m.orgId);
}
