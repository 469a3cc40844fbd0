import { describe, expect, test } from 'vitest';
import { appealActions, appealStates, nextAppealState } from '../appeal-status.js';
import { nextWarningState, warningActions, warningStates } from '../warning-status.js';

describe('appeal transitions: every (state × action) pair', () => {
  const allowed: Record<string, string> = {
    'submitted/uphold': 'upheld',
    'submitted/reject': 'rejected',
    'submitted/withdraw': 'withdrawn',
  };
  for (const s of appealStates)
    for (const a of appealActions)
      test(`${s} + ${a} → ${allowed[`${s}/${a}`] ?? 'refused'}`, () => {
        expect(nextAppealState(s, a)).toBe(allowed[`${s}/${a}`] ?? null);
      });
});

describe('warning transitions: every (state × action) pair', () => {
  const allowed: Record<string, string> = { 'open/resolve': 'resolved', 'open/expel': 'expelled' };
  for (const s of warningStates)
    for (const a of warningActions)
      test(`${s} + ${a} → ${allowed[`${s}/${a}`] ?? 'refused'}`, () => {
        expect(nextWarningState(s, a)).toBe(allowed[`${s}/${a}`] ?? null);
      });
});
