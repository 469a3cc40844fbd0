/**
 * The policy lifecycle (pure, no I/O).
 *
 * pending → active (insurer confirms) | rejected (insurer, with reason) | cancelled (the enroller withdraws)
 * active → expired (system, after the last covered day) | cancelled (insurer terminates, with reason)
 * rejected, cancelled, expired are final. Renewal is a new policy for the next period.
 */
export const policyStates = ['pending', 'active', 'rejected', 'cancelled', 'expired'] as const;
export type PolicyState = (typeof policyStates)[number];

export const policyActions = ['confirm', 'reject', 'withdraw', 'terminate', 'expire'] as const;
export type PolicyAction = (typeof policyActions)[number];

export type PolicyParty = 'insurer' | 'enroller' | 'system';

interface Transition {
  from: readonly PolicyState[];
  to: PolicyState;
  by: readonly PolicyParty[];
  needsReason?: boolean;
}

/** Every allowed transition; anything else is refused. */
export const policyTransitions: Readonly<Record<PolicyAction, Transition>> = {
  confirm: { from: ['pending'], to: 'active', by: ['insurer'] },
  reject: { from: ['pending'], to: 'rejected', by: ['insurer'], needsReason: true },
  withdraw: { from: ['pending'], to: 'cancelled', by: ['enroller'] },
  terminate: { from: ['active'], to: 'cancelled', by: ['insurer'], needsReason: true },
  expire: { from: ['active'], to: 'expired', by: ['system'] },
};

/** States that hold a worker's place for a product and period (the no-overlap rule counts these). */
export const holdingPolicyStates: readonly PolicyState[] = ['pending', 'active'];

export type TransitionError = 'invalid_transition' | 'not_your_step' | 'reason_required';

/** Decides one policy transition. */
export function transitionPolicy(input: {
  from: PolicyState;
  action: PolicyAction;
  by: PolicyParty;
  reason?: string | null;
}): { ok: true; to: PolicyState } | { ok: false; error: TransitionError } {
  const t = policyTransitions[input.action];
  if (!t.from.includes(input.from)) return { ok: false, error: 'invalid_transition' };
  if (!t.by.includes(input.by)) return { ok: false, error: 'not_your_step' };
  if (t.needsReason && !input.reason?.trim()) return { ok: false, error: 'reason_required' };
  return { ok: true, to: t.to };
}
