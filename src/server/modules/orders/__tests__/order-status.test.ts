import { describe, expect, test } from 'vitest';
import {
  availableActions,
  orderActions,
  type OrderParty,
  orderStates,
  transitionOrder,
} from '../order-status.js';

// The allowed steps, written out by hand from the lifecycle in the issue; every other combination is refused.
// [from, action, party, long-term?, to]
const allowed: [string, string, OrderParty, boolean, string][] = [];
const both = (from: string, action: string, party: OrderParty, to: string) => {
  allowed.push([from, action, party, false, to], [from, action, party, true, to]);
};
both('requested', 'accept', 'company', 'accepted');
both('requested', 'decline', 'company', 'declined');
both('requested', 'expire', 'system', 'expired');
allowed.push(
  ['accepted', 'contract', 'company', true, 'contracted'],
  ['accepted', 'contract', 'system', true, 'contracted'],
);
allowed.push(
  ['accepted', 'start', 'company', false, 'in_service'],
  ['accepted', 'start', 'system', false, 'in_service'],
);
allowed.push(
  ['contracted', 'start', 'company', true, 'in_service'],
  ['contracted', 'start', 'system', true, 'in_service'],
);
both('in_service', 'confirm', 'resident', 'completed');
both('in_service', 'auto_confirm', 'system', 'completed');
allowed.push(['in_service', 'end_early', 'system', true, 'completed']);
both('completed', 'close', 'system', 'closed');
for (const from of ['requested', 'accepted'])
  for (const party of ['resident', 'company', 'system'] as const) both(from, 'cancel', party, 'cancelled');
for (const party of ['resident', 'company', 'system'] as const)
  allowed.push(['contracted', 'cancel', party, true, 'cancelled']);

const key = (from: string, action: string, party: string, longTerm: boolean) =>
  `${from}|${action}|${party}|${longTerm}`;
const expected = new Map(allowed.map(([f, a, p, l, to]) => [key(f, a, p, l), to]));

describe('order state machine', () => {
  const cases = orderStates.flatMap((from) =>
    orderActions.flatMap((action) =>
      (['resident', 'company', 'system'] as const).flatMap((by) =>
        [false, true].map((longTerm) => ({ from, action, by, longTerm })),
      ),
    ),
  );

  test.each(cases)('$from --$action by $by (long-term $longTerm)', ({ from, action, by, longTerm }) => {
    const r = transitionOrder({ from, action, by, longTerm, reason: 'because' });
    const to = expected.get(key(from, action, by, longTerm));
    if (to) expect(r).toEqual({ ok: true, to });
    else expect(r.ok).toBe(false);
  });

  test('a transition by the wrong party is "not your step", a wrong state is "invalid"', () => {
    expect(transitionOrder({ from: 'requested', action: 'accept', by: 'resident', longTerm: false })).toEqual(
      {
        ok: false,
        error: 'not_your_step',
      },
    );
    expect(transitionOrder({ from: 'completed', action: 'accept', by: 'company', longTerm: false })).toEqual({
      ok: false,
      error: 'invalid_transition',
    });
  });

  test('declining and cancelling need a reason from a person, not from the system', () => {
    expect(
      transitionOrder({ from: 'requested', action: 'decline', by: 'company', longTerm: false, reason: ' ' }),
    ).toEqual({
      ok: false,
      error: 'reason_required',
    });
    expect(transitionOrder({ from: 'accepted', action: 'cancel', by: 'resident', longTerm: false })).toEqual({
      ok: false,
      error: 'reason_required',
    });
    expect(transitionOrder({ from: 'accepted', action: 'cancel', by: 'system', longTerm: false })).toEqual({
      ok: true,
      to: 'cancelled',
    });
  });

  test('long-term orders cannot skip the contract; short-term ones have none', () => {
    expect(transitionOrder({ from: 'accepted', action: 'start', by: 'company', longTerm: true }).ok).toBe(
      false,
    );
    expect(transitionOrder({ from: 'accepted', action: 'contract', by: 'company', longTerm: false }).ok).toBe(
      false,
    );
  });

  test('available actions list what each party may do now', () => {
    expect(availableActions('requested', 'company', false)).toEqual(['accept', 'decline', 'cancel']);
    expect(availableActions('requested', 'resident', false)).toEqual(['cancel']);
    expect(availableActions('accepted', 'company', true)).toEqual(['contract', 'cancel']);
    expect(availableActions('in_service', 'resident', false)).toEqual(['confirm']);
    expect(availableActions('closed', 'company', false)).toEqual([]);
  });
});
