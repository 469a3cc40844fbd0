import { describe, expect, it } from 'vitest';
import {
  availableComplaintActions,
  complaintActions,
  complaintParties,
  complaintStates,
  isFinalComplaint,
  transitionComplaint,
} from '../complaint-status.js';

// The allowed (from, action, party) → to, written out by hand from docs/feedback.md; everything else is refused.
const allowed: Record<string, string> = {
  'filed|respond|company': 'responded',
  'responded|accept|complainant': 'closed',
  'responded|refuse|complainant': 'escalated',
  'filed|escalate|system': 'escalated',
  'escalated|investigate|regulator': 'investigating',
  'investigating|uphold|regulator': 'upheld',
  'investigating|reject|regulator': 'rejected',
  'upheld|appeal|company': 'investigating',
  'rejected|appeal|complainant': 'investigating',
  'upheld|close|regulator': 'closed',
  'upheld|close|system': 'closed',
  'rejected|close|regulator': 'closed',
  'rejected|close|system': 'closed',
  'filed|withdraw|complainant': 'withdrawn',
  'responded|withdraw|complainant': 'withdrawn',
  'escalated|withdraw|complainant': 'withdrawn',
};

describe('complaint state machine', () => {
  for (const from of complaintStates)
    for (const action of complaintActions)
      for (const by of complaintParties) {
        const key = `${from}|${action}|${by}`;
        const expected = allowed[key];
        it(`${key} → ${expected ?? 'refused'}`, () => {
          const r = transitionComplaint({ from, action, by, appealed: false, reason: 'because' });
          if (expected) expect(r).toEqual({ ok: true, to: expected });
          else {
            expect(r.ok).toBe(false);
            const anyParty = complaintParties.some((p) => allowed[`${from}|${action}|${p}`]);
            // The state decides first (409), the party second (403).
            expect(r).toEqual({ ok: false, error: anyParty ? 'not_your_step' : 'invalid_transition' });
          }
        });
      }

  it('allows one appeal only', () => {
    expect(
      transitionComplaint({ from: 'upheld', action: 'appeal', by: 'company', appealed: true, reason: 'x' }),
    ).toEqual({ ok: false, error: 'already_appealed' });
    expect(
      transitionComplaint({
        from: 'rejected',
        action: 'appeal',
        by: 'complainant',
        appealed: true,
        reason: 'x',
      }),
    ).toEqual({ ok: false, error: 'already_appealed' });
  });

  it('requires reasons from people, not from the system', () => {
    for (const [from, action, by] of [
      ['filed', 'respond', 'company'],
      ['responded', 'refuse', 'complainant'],
      ['investigating', 'uphold', 'regulator'],
      ['investigating', 'reject', 'regulator'],
      ['upheld', 'appeal', 'company'],
      ['rejected', 'appeal', 'complainant'],
    ] as const) {
      expect(transitionComplaint({ from, action, by, appealed: false, reason: '  ' })).toEqual({
        ok: false,
        error: 'reason_required',
      });
    }
    expect(transitionComplaint({ from: 'filed', action: 'escalate', by: 'system', appealed: false })).toEqual(
      {
        ok: true,
        to: 'escalated',
      },
    );
  });

  it('lists the buttons a party has', () => {
    expect(availableComplaintActions('filed', 'company', false)).toEqual(['respond']);
    expect(availableComplaintActions('responded', 'complainant', false)).toEqual([
      'accept',
      'refuse',
      'withdraw',
    ]);
    expect(availableComplaintActions('upheld', 'company', true)).toEqual([]);
    expect(availableComplaintActions('closed', 'regulator', false)).toEqual([]);
    expect(isFinalComplaint('closed')).toBe(true);
    expect(isFinalComplaint('withdrawn')).toBe(true);
    expect(isFinalComplaint('upheld')).toBe(false);
  });
});
