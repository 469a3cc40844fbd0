import { hasRole, orgIdsOf, type Actor } from '../../platform/http/actor.js';

/** The facts of an order that decide who may see or act on it. */
export interface OrderScope {
  residentUserId: string;
  companyId: string;
  workerId: string | null;
  district: string;
  referralStationId: string | null;
}

/** Regulators see orders in their district (or the whole city when they have none): traceability (可追溯). */
export function regulatorSees(actor: Actor, district: string): boolean {
  return (
    hasRole(actor, 'regulator') && (!actor.regulatorDistrict || district.startsWith(actor.regulatorDistrict))
  );
}

/**
 * How the actor relates to an order, best first: 'resident' (who ordered), 'company' (its admin or staff),
 * 'worker' (the assigned worker), 'station' (the referring station), 'regulator', or null (→ 404).
 */
export function relationTo(
  actor: Actor | null,
  o: OrderScope,
  ownWorkerId: string | null,
): 'resident' | 'company' | 'worker' | 'station' | 'regulator' | null {
  if (!actor) return null;
  if (o.residentUserId === actor.userId) return 'resident';
  if (orgIdsOf(actor, 'company').includes(o.companyId)) return 'company';
  if (ownWorkerId && o.workerId === ownWorkerId) return 'worker';
  if (o.referralStationId && orgIdsOf(actor, 'station').includes(o.referralStationId)) return 'station';
  if (regulatorSees(actor, o.district)) return 'regulator';
  return null;
}

/** Company staff act for the company only in organizations they belong to. */
export const actsForCompany = (actor: Actor | null, companyId: string): boolean =>
  !!actor && orgIdsOf(actor, 'company').includes(companyId);

export const actsForStation = (actor: Actor | null, stationId: string): boolean =>
  !!actor && orgIdsOf(actor, 'station').includes(stationId);
