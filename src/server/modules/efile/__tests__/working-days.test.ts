import { describe, expect, test } from 'vitest';
import { grantState, requesterOf } from '../efile.policy.js';
import { addWorkingDays } from '../working-days.js';

describe('addWorkingDays', () => {
  test('skips weekends', () => {
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
    expect(addWorkingDays('2026-11-28', 15)).toBe('2026-12-18'); // Saturday + 15 working days
    expect(addWorkingDays('2026-11-30', 5)).toBe('2026-12-07');
  });
});

describe('policy', () => {
  const now = new Date('2026-11-28T00:00:00Z');
  test('grant state', () => {
    expect(grantState({ revokedAt: null, expiresAt: new Date(now.getTime() + 1) }, now)).toBe('active');
    expect(grantState({ revokedAt: null, expiresAt: now }, now)).toBe('expired');
    expect(grantState({ revokedAt: now, expiresAt: new Date(now.getTime() + 1e6) }, now)).toBe('revoked');
  });
  test('requester: company membership wins, a foreign org is refused', () => {
    const base = { userId: 'u', sessionId: 's', name: 'n', phoneMasked: '', regulatorDistrict: null };
    const co = {
      ...base,
      roles: ['resident' as const],
      memberships: [{ orgId: 'org_a', orgName: 'A', orgType: 'company' as const, role: 'admin' as const }],
    };
    expect(requesterOf(co, undefined)).toEqual({ kind: 'company', orgId: 'org_a' });
    expect(requesterOf(co, 'org_b')).toBeNull();
    expect(requesterOf({ ...base, roles: ['resident'], memberships: [] }, undefined)).toEqual({
      kind: 'resident',
      orgId: null,
    });
  });
});
