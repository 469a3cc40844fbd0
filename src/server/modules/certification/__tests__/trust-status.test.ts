import { describe, expect, test } from 'vitest';
import type { TrustFacts } from '../trust-facts.js';
import { addDays, computeTrustStatus, evaluateChecks, shanghaiDay } from '../trust-status.js';

const now = new Date('2026-06-15T04:00:00Z'); // 12:00 in Shanghai
function goodFacts(over: Partial<TrustFacts> = {}): TrustFacts {
  return {
    workerId: 'wk_1',
    userId: 'usr_1',
    name: '张秀芳',
    photoKey: null,
    district: '440106',
    categories: ['cleaning'],
    skillLevel: 'level4',
    maternityStars: null,
    companyId: null,
    consent: { acceptedAt: new Date('2026-01-01T00:00:00Z') },
    identity: { verified: true, verifiedAt: new Date('2026-01-02T00:00:00Z') },
    health: { state: 'valid', validUntil: '2026-12-31' },
    background: { state: 'clear', checkedOn: '2026-01-05' },
    skillCert: { state: 'valid' },
    training: { state: 'passed', passedOn: '2026-01-10' },
    ...over,
  };
}
const active = { state: 'active' as const, validUntil: new Date('2027-01-01T00:00:00Z') };

describe('checks', () => {
  test('all hold for good facts', () => {
    expect(evaluateChecks(goodFacts(), now).every((c) => c.ok)).toBe(true);
  });
  const cases: [string, Partial<TrustFacts>, string][] = [
    ['consent', { consent: null }, 'missing'],
    ['identity', { identity: { verified: false, verifiedAt: null } }, 'not_verified'],
    ['health', { health: { state: 'missing', validUntil: null } }, 'missing'],
    ['health', { health: { state: 'pending', validUntil: null } }, 'pending'],
    ['health', { health: { state: 'rejected', validUntil: null } }, 'rejected'],
    ['health', { health: { state: 'expired', validUntil: '2026-01-01' } }, 'expired'],
    ['health', { health: { state: 'valid', validUntil: '2026-06-14' } }, 'expired'],
    ['training', { training: { state: 'failed', passedOn: null } }, 'failed'],
    ['training', { training: { state: 'missing', passedOn: null } }, 'missing'],
    ['background', { background: { state: 'pending', checkedOn: null } }, 'pending'],
    ['background', { background: { state: 'missing', checkedOn: null } }, 'missing'],
    ['background', { background: { state: 'record_found', checkedOn: '2026-01-01' } }, 'record_found'],
    ['skill', { skillCert: { state: 'missing' } }, 'missing'],
    ['skill', { skillCert: { state: 'pending' } }, 'pending'],
    ['skill', { skillCert: { state: 'rejected' } }, 'rejected'],
    ['skill', { skillCert: { state: 'expired' } }, 'expired'],
  ];
  for (const [key, over, state] of cases)
    test(`${key} fails as ${state}`, () => {
      const checks = evaluateChecks(goodFacts(over), now);
      const failing = checks.filter((c) => !c.ok);
      expect(failing).toEqual([{ key, ok: false, state }]);
    });
  test('the date decides an approved health certificate, whatever state the facts were judged with', () => {
    const f = goodFacts({ health: { state: 'expired', validUntil: '2026-07-01' } });
    expect(evaluateChecks(f, now).find((c) => c.key === 'health')!.ok).toBe(true);
  });
  test('health valid through its last day (Shanghai calendar)', () => {
    const f = goodFacts({ health: { state: 'valid', validUntil: '2026-06-15' } });
    expect(evaluateChecks(f, now).find((c) => c.key === 'health')!.ok).toBe(true);
    // 2026-06-15T16:30Z is already 2026-06-16 00:30 in Shanghai.
    expect(evaluateChecks(f, new Date('2026-06-15T16:30:00Z')).find((c) => c.key === 'health')!.ok).toBe(
      false,
    );
  });
});

describe('live colour', () => {
  test('green: active, unexpired, all checks hold; takes bookings', () => {
    expect(computeTrustStatus(goodFacts(), active, now)).toMatchObject({
      color: 'green',
      reason: 'ok',
      canTakeNewBookings: true,
    });
  });
  test('red: revoked, suspended, background record (in that order)', () => {
    const risky = goodFacts({ background: { state: 'record_found', checkedOn: null } });
    expect(computeTrustStatus(goodFacts(), { ...active, state: 'revoked' }, now)).toMatchObject({
      color: 'red',
      reason: 'revoked',
    });
    expect(computeTrustStatus(risky, { ...active, state: 'suspended' }, now)).toMatchObject({
      color: 'red',
      reason: 'suspended',
    });
    expect(computeTrustStatus(risky, active, now)).toMatchObject({
      color: 'red',
      reason: 'background_risk',
      canTakeNewBookings: false,
    });
    expect(computeTrustStatus(risky, null, now)).toMatchObject({ color: 'red', reason: 'background_risk' });
  });
  test('yellow: no certificate, certificate expired, health expired, incomplete', () => {
    expect(computeTrustStatus(goodFacts(), null, now)).toMatchObject({
      color: 'yellow',
      reason: 'not_certified',
    });
    expect(computeTrustStatus(goodFacts(), { state: 'active', validUntil: now }, now)).toMatchObject({
      color: 'yellow',
      reason: 'certificate_expired',
    });
    const health = computeTrustStatus(
      goodFacts({ health: { state: 'valid', validUntil: '2026-06-14' } }),
      active,
      now,
    );
    expect(health).toMatchObject({ color: 'yellow', reason: 'health_expired', canTakeNewBookings: false });
    expect(computeTrustStatus(goodFacts({ skillCert: { state: 'expired' } }), active, now)).toMatchObject({
      color: 'yellow',
      reason: 'incomplete',
    });
    expect(computeTrustStatus(goodFacts({ consent: null }), active, now).reason).toBe('incomplete');
  });
  test('only green takes new bookings', () => {
    for (const cert of [null, active, { ...active, state: 'suspended' as const }]) {
      const s = computeTrustStatus(goodFacts(), cert, now);
      expect(s.canTakeNewBookings).toBe(s.color === 'green');
    }
  });
  test('calendar helpers', () => {
    expect(shanghaiDay(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});

describe('shanghaiDay (memoised by day)', () => {
  const reference = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  test('the same day as the plain conversion on both sides of every boundary, before 1970 too', () => {
    const instants = [
      '2026-06-14T15:59:59.999Z',
      '2026-06-14T16:00:00.000Z',
      '2026-12-31T15:59:59.999Z',
      '2026-12-31T16:00:00Z',
      '2024-02-28T16:00:00Z',
      '1969-12-31T15:59:59.999Z',
      '1969-12-31T16:00:00Z',
      '1949-10-01T02:00:00Z',
    ].map((s) => new Date(s));
    // Over the memo's size, so it is cleared and filled again on the way.
    for (let i = 0; i < 6000; i++) instants.push(new Date(Date.UTC(2020, 0, 1) + i * 37_000_123));
    for (const at of [...instants, ...instants])
      expect(shanghaiDay(at), at.toISOString()).toBe(reference(at));
  });

  test('an invalid date still throws', () => {
    expect(() => shanghaiDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});
