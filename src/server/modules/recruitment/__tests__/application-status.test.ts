import { describe, expect, test } from 'vitest';
import {
  type ApplicationAction,
  type ApplicationParty,
  type ApplicationState,
  applicationActions,
  applicationActionsFor,
  applicationStates,
  endsUnhired,
  isFinalApplication,
  transitionApplication,
} from '../application-status.js';

// The whole table, written out: [from, action, party] → to. Every other combination must be refused.
const allowed: [ApplicationState, ApplicationAction, ApplicationParty, ApplicationState][] = [
  ['new', 'shortlist', 'company', 'shortlisted'],
  ['new', 'interview', 'company', 'interview'],
  ['shortlisted', 'interview', 'company', 'interview'],
  ['shortlisted', 'offer', 'company', 'offer'],
  ['interview', 'offer', 'company', 'offer'],
  ['offer', 'accept', 'worker', 'hired'],
  ['offer', 'decline', 'worker', 'declined'],
  ['new', 'reject', 'company', 'rejected'],
  ['shortlisted', 'reject', 'company', 'rejected'],
  ['interview', 'reject', 'company', 'rejected'],
  ['offer', 'reject', 'company', 'rejected'],
  ['new', 'withdraw', 'worker', 'withdrawn'],
  ['shortlisted', 'withdraw', 'worker', 'withdrawn'],
  ['interview', 'withdraw', 'worker', 'withdrawn'],
];

describe('application state machine', () => {
  test.each(allowed)('%s --%s (%s)--> %s', (from, action, by, to) => {
    expect(transitionApplication({ from, action, by, reason: 'not a fit' })).toEqual({ ok: true, to });
  });

  test('every other state × action × party is refused, with the right reason', () => {
    let refused = 0;
    for (const from of applicationStates)
      for (const action of applicationActions)
        for (const by of ['company', 'worker'] as const) {
          const hit = allowed.find(([f, a, b]) => f === from && a === action && b === by);
          const r = transitionApplication({ from, action, by, reason: 'x' });
          if (hit) continue;
          refused++;
          expect(r.ok).toBe(false);
          const fromOk = allowed.some(([f, a]) => f === from && a === action);
          expect(r).toEqual({ ok: false, error: fromOk ? 'not_your_step' : 'invalid_transition' });
        }
    expect(refused).toBe(applicationStates.length * applicationActions.length * 2 - allowed.length);
  });

  test('rejecting needs a reason', () => {
    expect(transitionApplication({ from: 'new', action: 'reject', by: 'company', reason: '  ' })).toEqual({
      ok: false,
      error: 'reason_required',
    });
    expect(transitionApplication({ from: 'new', action: 'reject', by: 'company' })).toEqual({
      ok: false,
      error: 'reason_required',
    });
  });

  test('final states allow nothing; unhired endings revoke e-file access', () => {
    for (const s of ['hired', 'rejected', 'withdrawn', 'declined'] as const) {
      expect(isFinalApplication(s)).toBe(true);
      expect(applicationActionsFor(s, 'company')).toEqual([]);
      expect(applicationActionsFor(s, 'worker')).toEqual([]);
    }
    expect(endsUnhired('hired')).toBe(false);
    expect(['rejected', 'withdrawn', 'declined'].every((s) => endsUnhired(s as ApplicationState))).toBe(true);
  });

  test('buttons per party', () => {
    expect(applicationActionsFor('new', 'company')).toEqual(['shortlist', 'interview', 'reject']);
    expect(applicationActionsFor('offer', 'worker')).toEqual(['accept', 'decline']);
    expect(applicationActionsFor('offer', 'company')).toEqual(['reject']);
  });
});
