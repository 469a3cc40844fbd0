import { type Actor, hasRole } from '../../platform/http/actor.js';

/** A regulator may act on a district when they are city-wide or limited to that very district. */
export function mayRegulate(actor: Actor | null, district: string): boolean {
  if (!actor || !hasRole(actor, 'regulator')) return false;
  return actor.regulatorDistrict === null || actor.regulatorDistrict === district;
}

/** Who may download another worker's card: a regulator of the district, or a member of the worker's company. */
export function mayDownloadCard(
  actor: Actor | null,
  worker: { district: string; companyId: string | null; userId: string | null },
): boolean {
  if (!actor) return false;
  if (worker.userId && worker.userId === actor.userId) return true;
  if (mayRegulate(actor, worker.district)) return true;
  return (
    !!worker.companyId &&
    actor.memberships.some((m) => m.orgType === 'company' && m.orgId === worker.companyId)
  );
}
