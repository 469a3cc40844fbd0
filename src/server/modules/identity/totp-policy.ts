import type { Role } from '../../../shared/roles.js';
import type { Actor } from '../../platform/http/actor.js';

/** MFA_TOTP_REQUIRED and MFA_TOTP_GRACE_DAYS (config.mfa). */
export interface TotpPolicy {
  totpRequired: boolean;
  totpGraceMs: number;
}

/**
 * The deadline a session without an authenticator gets at its MFA step: the account's stamped deadline, or (first
 * MFA sign-in while the requirement is on) now + grace. Null when the requirement is off or the account has a strong
 * second factor: `hasTotp` is true for a confirmed authenticator or a registered security key (WebAuthn), which meet
 * the requirement alike (identity.service.ts completeMfa).
 */
export function enrolDeadline(
  policy: TotpPolicy,
  input: { hasTotp: boolean; stamped: Date | null; now: Date },
): Date | null {
  if (!policy.totpRequired || input.hasTotp) return null;
  return input.stamped ?? new Date(input.now.getTime() + policy.totpGraceMs);
}

/**
 * Mandatory TOTP (等保 L3-CES1-04): an MFA-verified session of an MFA-role account without an authenticator carries
 * its deadline while within grace (the web shows a banner); past it the MFA roles are withheld, so every privileged
 * route answers 403 TOTP_ENROLMENT_REQUIRED until the account confirms an authenticator or registers a security key.
 */
export function gateTotp(
  actor: Actor,
  input: { policy: TotpPolicy; enrolBy: Date | null; now: Date; mfaRoles: readonly Role[] },
): Actor {
  const { policy, enrolBy, now, mfaRoles } = input;
  if (!policy.totpRequired || !enrolBy || actor.mfaPendingRoles?.length) return actor;
  const held = actor.roles.filter((r) => mfaRoles.includes(r));
  if (!held.length) return actor;
  if (now.getTime() < enrolBy.getTime()) return { ...actor, totpEnrolBy: enrolBy.toISOString() };
  return {
    ...actor,
    roles: actor.roles.filter((r) => !mfaRoles.includes(r)),
    memberships: actor.memberships.filter((m) => m.orgType !== 'regulator'),
    regulatorDistrict: null,
    totpPendingRoles: held,
  };
}
