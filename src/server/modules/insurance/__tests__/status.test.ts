import { describe, expect, test } from 'vitest';
import {
  type ClaimAction,
  claimActions,
  type ClaimParty,
  type ClaimState,
  claimStates,
  transitionClaim,
} from '../claim-status.js';
import {
  type PolicyAction,
  policyActions,
  type PolicyParty,
  type PolicyState,
  policyStates,
  transitionPolicy,
} from '../policy-status.js';

// The whole tables, written out: [from, action, party] → to. Every other combination must be refused.
const allowedPolicy: [PolicyState, PolicyAction, PolicyParty, PolicyState][] = [
  ['pending', 'confirm', 'insurer', 'active'],
  ['pending', 'reject', 'insurer', 'rejected'],
  ['pending', 'withdraw', 'enroller', 'cancelled'],
  ['active', 'terminate', 'insurer', 'cancelled'],
  ['active', 'expire', 'system', 'expired'],
];
const policyParties: PolicyParty[] = ['insurer', 'enroller', 'system'];

const allowedClaim: [ClaimState, ClaimAction, ClaimParty, ClaimState][] = [
  ['reported', 'review', 'insurer', 'under_review'],
  ['reported', 'request_info', 'insurer', 'info_requested'],
  ['under_review', 'request_info', 'insurer', 'info_requested'],
  ['info_requested', 'supply', 'claimant', 'under_review'],
  ['under_review', 'approve', 'insurer', 'approved'],
  ['under_review', 'reject', 'insurer', 'rejected'],
  ['approved', 'pay', 'insurer', 'paid'],
  ['reported', 'withdraw', 'claimant', 'withdrawn'],
  ['info_requested', 'withdraw', 'claimant', 'withdrawn'],
];
const claimParties: ClaimParty[] = ['insurer', 'claimant'];

describe('policy state machine', () => {
  for (const from of policyStates)
    for (const action of policyActions)
      for (const by of policyParties) {
        const hit = allowedPolicy.find(([f, a, p]) => f === from && a === action && p === by);
        test(`${from} × ${action} by ${by} → ${hit ? hit[3] : 'refused'}`, () => {
          const r = transitionPolicy({ from, action, by, reason: 'reason' });
          if (hit) expect(r).toEqual({ ok: true, to: hit[3] });
          else expect(r.ok).toBe(false);
        });
      }

  test('wrong state is invalid_transition, wrong party is not_your_step, a missing reason is reason_required', () => {
    expect(transitionPolicy({ from: 'active', action: 'confirm', by: 'insurer' })).toEqual({
      ok: false,
      error: 'invalid_transition',
    });
    expect(transitionPolicy({ from: 'pending', action: 'confirm', by: 'enroller' })).toEqual({
      ok: false,
      error: 'not_your_step',
    });
    expect(transitionPolicy({ from: 'pending', action: 'reject', by: 'insurer', reason: ' ' })).toEqual({
      ok: false,
      error: 'reason_required',
    });
  });
});

describe('claim state machine', () => {
  for (const from of claimStates)
    for (const action of claimActions)
      for (const by of claimParties) {
        const hit = allowedClaim.find(([f, a, p]) => f === from && a === action && p === by);
        test(`${from} × ${action} by ${by} → ${hit ? hit[3] : 'refused'}`, () => {
          const r = transitionClaim({ from, action, by, reason: 'reason' });
          if (hit) expect(r).toEqual({ ok: true, to: hit[3] });
          else expect(r.ok).toBe(false);
        });
      }

  test('out-of-order steps and missing reasons are told apart', () => {
    expect(transitionClaim({ from: 'reported', action: 'pay', by: 'insurer' })).toEqual({
      ok: false,
      error: 'invalid_transition',
    });
    expect(transitionClaim({ from: 'reported', action: 'review', by: 'claimant' })).toEqual({
      ok: false,
      error: 'not_your_step',
    });
    expect(transitionClaim({ from: 'under_review', action: 'reject', by: 'insurer', reason: '' })).toEqual({
      ok: false,
      error: 'reason_required',
    });
  });
});
