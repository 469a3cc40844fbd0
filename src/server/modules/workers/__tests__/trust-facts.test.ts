import { describe, expect, test } from 'vitest';
import {
  addYears,
  backgroundState,
  chinaToday,
  healthDatesProblem,
  healthState,
  skillState,
  trainingState,
} from '../trust-facts.js';

describe('trust facts (pure)', () => {
  const today = '2026-06-15';
  test('health certificate states', () => {
    expect(healthState(undefined, today)).toEqual({ state: 'missing', validUntil: null });
    expect(healthState({ state: 'pending', expiresOn: '2027-01-01' }, today).state).toBe('pending');
    expect(healthState({ state: 'rejected', expiresOn: '2027-01-01' }, today).state).toBe('rejected');
    expect(healthState({ state: 'approved', expiresOn: '2026-06-15' }, today)).toEqual({
      state: 'valid',
      validUntil: '2026-06-15',
    });
    expect(healthState({ state: 'approved', expiresOn: '2026-06-14' }, today)).toEqual({
      state: 'expired',
      validUntil: '2026-06-14',
    });
  });

  test('skill certificate, background and training', () => {
    expect(skillState(undefined, today)).toEqual({ state: 'missing' });
    expect(skillState({ state: 'approved', expiresOn: null }, today)).toEqual({ state: 'valid' });
    expect(skillState({ state: 'approved', expiresOn: '2026-01-01' }, today)).toEqual({ state: 'expired' });
    expect(skillState({ state: 'rejected', expiresOn: null }, today)).toEqual({ state: 'rejected' });
    expect(backgroundState(undefined)).toEqual({ state: 'missing', checkedOn: null });
    expect(backgroundState({ state: 'record_found', checkedOn: '2026-01-02' })).toEqual({
      state: 'record_found',
      checkedOn: '2026-01-02',
    });
    expect(trainingState([])).toEqual({ state: 'missing', passedOn: null });
    expect(trainingState([{ passed: false, examDate: '2026-01-01' }])).toEqual({
      state: 'failed',
      passedOn: null,
    });
    expect(
      trainingState([
        { passed: true, examDate: '2026-02-01' },
        { passed: false, examDate: '2026-03-01' },
      ]),
    ).toEqual({ state: 'passed', passedOn: '2026-02-01' });
  });

  test('health certificate dates: expiry required, after issue, at most a year', () => {
    expect(healthDatesProblem('2026-01-01', '2027-01-01')).toBeNull();
    expect(healthDatesProblem('2026-01-01', '2027-01-02')).toMatch(/one year/);
    expect(healthDatesProblem('2026-01-01', null)).toMatch(/required/);
    expect(healthDatesProblem(null, '2026-05-01')).toMatch(/required/);
    expect(healthDatesProblem('2026-01-01', '2026-01-01')).toMatch(/after/);
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
  });

  test('today is the date in Asia/Shanghai', () => {
    expect(chinaToday(new Date('2026-06-14T16:00:00Z'))).toBe('2026-06-15');
    expect(chinaToday(new Date('2026-06-14T15:59:59Z'))).toBe('2026-06-14');
  });
});
