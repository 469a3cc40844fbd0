import { describe, expect, test } from 'vitest';
import { assessLikelyWorker, type LikelyWorkerInput, missingSteps } from '../likely-workers.js';

// 当家政: who is counted as likely to become a worker, and what they still have to do.
const fresh: LikelyWorkerInput = {
  hasAccount: true,
  everEmployed: false,
  signals: ['fair'],
  facts: {
    identityVerified: false,
    health: 'pending',
    background: 'missing',
    training: 'missing',
    skillCert: 'missing',
  },
};
const complete: LikelyWorkerInput['facts'] = {
  identityVerified: true,
  health: 'valid',
  background: 'clear',
  training: 'passed',
  skillCert: 'valid',
};

describe('likely workers (当家政)', () => {
  test('a job seeker with a signal, never employed, with checks open is likely; the open checks are named', () => {
    expect(assessLikelyWorker(fresh)).toEqual({
      likely: true,
      missing: ['identity', 'health', 'background', 'training', 'skill_certificate'],
    });
    expect(
      assessLikelyWorker({ ...fresh, signals: ['saved_search'], facts: { ...complete, health: 'expired' } }),
    ).toEqual({ likely: true, missing: ['health'] });
  });

  test('no job-seeking signal, no basis: not counted', () => {
    expect(assessLikelyWorker({ ...fresh, signals: [] }).likely).toBe(false);
  });

  test('someone already employed on the trust record is a worker, not a likely one', () => {
    expect(assessLikelyWorker({ ...fresh, everEmployed: true }).likely).toBe(false);
  });

  test('a completed registration (every certificate check passed) leaves nothing to invite to', () => {
    expect(assessLikelyWorker({ ...fresh, facts: complete })).toEqual({ likely: false, missing: [] });
  });

  test('no account to receive the invitation (a company-entered record awaiting confirmation): not counted', () => {
    expect(assessLikelyWorker({ ...fresh, hasAccount: false }).likely).toBe(false);
  });

  test('a background check that found a record excludes the person (they could not complete it)', () => {
    expect(
      assessLikelyWorker({ ...fresh, facts: { ...fresh.facts, background: 'record_found' } }).likely,
    ).toBe(false);
  });

  test('every open check is named in the order a worker does them', () => {
    expect(missingSteps({ ...complete, identityVerified: false, skillCert: 'expired' })).toEqual([
      'identity',
      'skill_certificate',
    ]);
    expect(missingSteps(complete)).toEqual([]);
  });
});
