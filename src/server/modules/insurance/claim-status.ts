/**
 * The claim lifecycle (pure, no I/O).
 *
 * reported → under_review (insurer accepts the file) | info_requested (insurer asks for documents) | withdrawn
 * info_requested → under_review (the claimant supplies documents) | withdrawn
 * under_review → info_requested | approved (insurer, with an amount) | rejected (insurer, with reason)
 * approved → paid (insurer records the payout)
 * paid, rejected, withdrawn are final.
 */
export const claimStates = [
  'reported',
  'under_review',
  'info_requested',
  'approved',
  'rejected',
  'paid',
  'withdrawn',
] as const;
export type ClaimState = (typeof claimStates)[number];

export const claimActions = [
  'review',
  'request_info',
  'supply',
  'approve',
  'reject',
  'pay',
  'withdraw',
] as const;
export type ClaimAction = (typeof claimActions)[number];

/** The insurer handles the claim; the claimant (the worker, company or resident who reported it) answers. */
export type ClaimParty = 'insurer' | 'claimant';

interface Transition {
  from: readonly ClaimState[];
  to: ClaimState;
  by: readonly ClaimParty[];
  needsReason?: boolean;
}

/** Every allowed transition; anything else is refused. */
export const claimTransitions: Readonly<Record<ClaimAction, Transition>> = {
  review: { from: ['reported'], to: 'under_review', by: ['insurer'] },
  request_info: {
    from: ['reported', 'under_review'],
    to: 'info_requested',
    by: ['insurer'],
    needsReason: true,
  },
  supply: { from: ['info_requested'], to: 'under_review', by: ['claimant'] },
  approve: { from: ['under_review'], to: 'approved', by: ['insurer'] },
  reject: { from: ['under_review'], to: 'rejected', by: ['insurer'], needsReason: true },
  pay: { from: ['approved'], to: 'paid', by: ['insurer'] },
  withdraw: { from: ['reported', 'info_requested'], to: 'withdrawn', by: ['claimant'] },
};

export const isFinalClaim = (s: ClaimState) => s === 'paid' || s === 'rejected' || s === 'withdrawn';

/** Service levels: how long the party whose turn it is has in each open state (SLA timers). */
export const claimSlaDays: Readonly<Partial<Record<ClaimState, number>>> = {
  reported: 2, // first response from the insurer
  under_review: 10, // assessment
  info_requested: 30, // the claimant's time to supply documents
  approved: 7, // payout after approval
};

/** Whose turn it is in a state (for queues and SLA notices). */
export const claimTurn: Readonly<Partial<Record<ClaimState, ClaimParty>>> = {
  reported: 'insurer',
  under_review: 'insurer',
  info_requested: 'claimant',
  approved: 'insurer',
};

export type ClaimTransitionError = 'invalid_transition' | 'not_your_step' | 'reason_required';

/** Decides one claim transition. */
export function transitionClaim(input: {
  from: ClaimState;
  action: ClaimAction;
  by: ClaimParty;
  reason?: string | null;
}): { ok: true; to: ClaimState } | { ok: false; error: ClaimTransitionError } {
  const t = claimTransitions[input.action];
  if (!t.from.includes(input.from)) return { ok: false, error: 'invalid_transition' };
  if (!t.by.includes(input.by)) return { ok: false, error: 'not_your_step' };
  if (t.needsReason && !input.reason?.trim()) return { ok: false, error: 'reason_required' };
  return { ok: true, to: t.to };
}

/** The actions a party could take now (for buttons); the server still decides each one. */
export function claimActionsFor(state: ClaimState, by: ClaimParty): ClaimAction[] {
  return claimActions.filter((a) => transitionClaim({ from: state, action: a, by, reason: 'x' }).ok);
}
