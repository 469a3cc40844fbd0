import { describe, expect, test } from 'vitest';
import {
  certificateActions,
  certificateStates,
  certificateTransitions,
  type From,
  transition,
} from '../certificate-status.js';

const allowed: Record<string, string> = {
  'null issue': 'active',
  'active suspend': 'suspended',
  'active revoke': 'revoked',
  'suspended reinstate': 'active',
  'suspended revoke': 'revoked',
};

describe('certificate state machine', () => {
  const froms: From[] = [null, ...certificateStates];
  for (const from of froms)
    for (const action of certificateActions) {
      const key = `${from} ${action}`;
      const to = allowed[key];
      test(`${key} → ${to ?? 'refused'}`, () => {
        const r = transition(from, action, 'reason given');
        if (to) expect(r).toEqual({ ok: true, to });
        else expect(r).toEqual({ ok: false, error: 'invalid_transition' });
      });
    }

  test('suspend and revoke need a reason; issue and reinstate do not', () => {
    expect(transition('active', 'suspend', '  ')).toEqual({ ok: false, error: 'reason_required' });
    expect(transition('active', 'revoke', null)).toEqual({ ok: false, error: 'reason_required' });
    expect(transition('suspended', 'revoke')).toEqual({ ok: false, error: 'reason_required' });
    expect(transition(null, 'issue')).toEqual({ ok: true, to: 'active' });
    expect(transition('suspended', 'reinstate')).toEqual({ ok: true, to: 'active' });
  });

  test('revoked is final', () => {
    for (const a of certificateActions) expect(transition('revoked', a, 'x').ok).toBe(false);
    expect(Object.values(certificateTransitions).some((t) => t.from.includes('revoked'))).toBe(false);
  });
});
