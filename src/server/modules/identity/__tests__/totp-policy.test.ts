import { describe, expect, test } from 'vitest';
import type { Actor } from '../../../platform/http/actor.js';
import { MFA_ROLES } from '../identity.service.js';
import { enrolDeadline, gateTotp } from '../totp-policy.js';

// Mandatory TOTP for MFA roles (issue 14): the pure rules, on a fixed clock.
const NOW = new Date('2026-03-01T04:00:00Z');
const DAY = 86_400_000;
const on = { totpRequired: true, totpGraceMs: 7 * DAY };
const off = { totpRequired: false, totpGraceMs: 7 * DAY };

const regulator: Actor = {
  userId: 'usr_1',
  sessionId: 'ses_1',
  name: '监管',
  phoneMasked: '139****0001',
  roles: ['regulator', 'resident'],
  memberships: [{ orgId: 'org_r', orgName: '市商务局', orgType: 'regulator', role: 'staff' }],
  regulatorDistrict: '440106',
};
const gate = (actor: Actor, policy: typeof on, enrolBy: Date | null, now = NOW) =>
  gateTotp(actor, { policy, enrolBy, now, mfaRoles: MFA_ROLES });

describe('enrolDeadline', () => {
  test('off, or an account with an authenticator: no deadline', () => {
    expect(enrolDeadline(off, { hasTotp: false, stamped: null, now: NOW })).toBeNull();
    expect(enrolDeadline(on, { hasTotp: true, stamped: NOW, now: NOW })).toBeNull();
  });
  test('first MFA sign-in: now + grace; later ones keep the stamp', () => {
    expect(enrolDeadline(on, { hasTotp: false, stamped: null, now: NOW })).toEqual(
      new Date(NOW.getTime() + 7 * DAY),
    );
    const stamped = new Date(NOW.getTime() - DAY);
    expect(enrolDeadline(on, { hasTotp: false, stamped, now: NOW })).toBe(stamped);
  });
});

describe('gateTotp', () => {
  test('requirement off, or no deadline on the session: unchanged', () => {
    expect(gate(regulator, off, new Date(NOW.getTime() - DAY))).toBe(regulator);
    expect(gate(regulator, on, null)).toBe(regulator);
  });
  test('within grace: roles kept, the deadline is carried for the banner', () => {
    const enrolBy = new Date(NOW.getTime() + 1000);
    const out = gate(regulator, on, enrolBy);
    expect(out.roles).toEqual(regulator.roles);
    expect(out.totpEnrolBy).toBe(enrolBy.toISOString());
    expect(out.totpPendingRoles).toBeUndefined();
  });
  test('at and past the deadline: MFA roles, regulator memberships and district withheld', () => {
    for (const enrolBy of [NOW, new Date(NOW.getTime() - DAY)]) {
      const out = gate(regulator, on, enrolBy);
      expect(out.roles).toEqual(['resident']);
      expect(out.totpPendingRoles).toEqual(['regulator']);
      expect(out.memberships).toEqual([]);
      expect(out.regulatorDistrict).toBeNull();
      expect(out.totpEnrolBy).toBeUndefined();
    }
  });
  test('an account without an MFA role, or a session still at its SMS step: unchanged', () => {
    const resident: Actor = { ...regulator, roles: ['resident'], memberships: [], regulatorDistrict: null };
    expect(gate(resident, on, new Date(NOW.getTime() - DAY))).toBe(resident);
    const pending: Actor = { ...resident, mfaPendingRoles: ['regulator'] };
    expect(gate(pending, on, new Date(NOW.getTime() - DAY))).toBe(pending);
  });
});
