import { type Actor, hasRole } from '../../platform/http/actor.js';

/** Regulators (city or district) write and publish content; everyone else only reads what is published. */
export function canEditContent(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'regulator');
}
