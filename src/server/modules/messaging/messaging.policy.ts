import { type Actor, orgIdsOf } from '../../platform/http/actor.js';

/** The part someone plays in a conversation. */
export type Side = 'resident' | 'worker' | 'company';

/**
 * Who takes part in a conversation (pure): its resident, the worker (by the caller's worker record), or any
 * admin or staff member of its company. Everyone else gets null and is answered "not found".
 */
export function sideOf(
  actor: Pick<Actor, 'userId' | 'memberships'>,
  c: { residentUserId: string; workerId: string | null; companyId: string | null },
  actorWorkerId: string | null,
): Side | null {
  if (c.residentUserId === actor.userId) return 'resident';
  if (c.workerId && actorWorkerId && c.workerId === actorWorkerId) return 'worker';
  if (c.companyId && orgIdsOf(actor as Actor, 'company').includes(c.companyId)) return 'company';
  return null;
}

/**
 * True when a WebSocket's Origin may open a socket: absent (non-browser clients, which cannot ride a victim's
 * cookie), the same host the request came to, the configured public URL, or a configured CORS origin. This is
 * the defence against cross-site WebSocket hijacking.
 */
export function originAllowed(
  origin: string | undefined,
  own: { publicUrl: string; host?: string | undefined },
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  const normalized = origin.replace(/\/$/, '');
  if (normalized === own.publicUrl.replace(/\/$/, '') || allowed.includes(normalized)) return true;
  try {
    return !!own.host && new URL(normalized).host === own.host;
  } catch {
    return false;
  }
}
