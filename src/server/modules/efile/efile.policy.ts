import type { Actor } from '../../platform/http/actor.js';
import { hasRole, orgIdsOf } from '../../platform/http/actor.js';

export type GrantScope = 'basic' | 'full';
export type Via = 'regulator' | 'grant' | 'link';

/** Grant lifetime bounds in hours (one hour to one week). */
export const MIN_GRANT_HOURS = 1;
export const MAX_GRANT_HOURS = 168;

/** A regulator sees any worker's file in their district (a city-wide regulator everywhere). */
export function regulatorMaySee(actor: Actor | null, workerDistrict: string | null): boolean {
  return (
    !!actor &&
    hasRole(actor, 'regulator') &&
    (!actor.regulatorDistrict || actor.regulatorDistrict === workerDistrict)
  );
}

/** Who is asking for access: a company (as one of its admin/staff memberships) or a resident. */
export function requesterOf(
  actor: Actor,
  wantedOrgId: string | undefined,
): { kind: 'company'; orgId: string } | { kind: 'resident'; orgId: null } | null {
  const companies = orgIdsOf(actor, 'company');
  if (wantedOrgId) return companies.includes(wantedOrgId) ? { kind: 'company', orgId: wantedOrgId } : null;
  if (companies.length) return { kind: 'company', orgId: companies[0]! };
  if (hasRole(actor, 'resident')) return { kind: 'resident', orgId: null };
  return null;
}

/** The state of a grant at an instant. */
export function grantState(g: { revokedAt: Date | null; expiresAt: Date }, now: Date) {
  if (g.revokedAt) return 'revoked' as const;
  if (g.expiresAt <= now) return 'expired' as const;
  return 'active' as const;
}
