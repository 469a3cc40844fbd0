/**
 * The application lifecycle (pure, no I/O).
 *
 * new → shortlisted | interview | rejected (company) | withdrawn (worker)
 * shortlisted → interview | offer | rejected (company) | withdrawn (worker)
 * interview → offer | rejected (company) | withdrawn (worker)
 * offer → hired (worker accepts: the employment starts) | declined (worker) | rejected (company takes it back)
 * hired, rejected, withdrawn, declined are final.
 */
export const applicationStates = [
  'new',
  'shortlisted',
  'interview',
  'offer',
  'hired',
  'rejected',
  'withdrawn',
  'declined',
] as const;
export type ApplicationState = (typeof applicationStates)[number];

export const applicationActions = [
  'shortlist',
  'interview',
  'offer',
  'accept',
  'decline',
  'reject',
  'withdraw',
] as const;
export type ApplicationAction = (typeof applicationActions)[number];

export type ApplicationParty = 'company' | 'worker';

interface Transition {
  from: readonly ApplicationState[];
  to: ApplicationState;
  by: ApplicationParty;
  needsReason?: boolean;
}

/** Every allowed transition; anything else is refused. */
export const applicationTransitions: Readonly<Record<ApplicationAction, Transition>> = {
  shortlist: { from: ['new'], to: 'shortlisted', by: 'company' },
  interview: { from: ['new', 'shortlisted'], to: 'interview', by: 'company' },
  offer: { from: ['shortlisted', 'interview'], to: 'offer', by: 'company' },
  accept: { from: ['offer'], to: 'hired', by: 'worker' },
  decline: { from: ['offer'], to: 'declined', by: 'worker' },
  reject: {
    from: ['new', 'shortlisted', 'interview', 'offer'],
    to: 'rejected',
    by: 'company',
    needsReason: true,
  },
  withdraw: { from: ['new', 'shortlisted', 'interview'], to: 'withdrawn', by: 'worker' },
};

export const finalApplicationStates: readonly ApplicationState[] = [
  'hired',
  'rejected',
  'withdrawn',
  'declined',
];
export const isFinalApplication = (s: ApplicationState) => finalApplicationStates.includes(s);
/** Final states that end without a hire: the company's e-file access is revoked. */
export const endsUnhired = (s: ApplicationState) => s === 'rejected' || s === 'withdrawn' || s === 'declined';

export type ApplicationTransitionError = 'invalid_transition' | 'not_your_step' | 'reason_required';

/** Decides one application transition. */
export function transitionApplication(input: {
  from: ApplicationState;
  action: ApplicationAction;
  by: ApplicationParty;
  reason?: string | null | undefined;
}): { ok: true; to: ApplicationState } | { ok: false; error: ApplicationTransitionError } {
  const t = applicationTransitions[input.action];
  if (!t.from.includes(input.from)) return { ok: false, error: 'invalid_transition' };
  if (t.by !== input.by) return { ok: false, error: 'not_your_step' };
  if (t.needsReason && !input.reason?.trim()) return { ok: false, error: 'reason_required' };
  return { ok: true, to: t.to };
}

/** The actions a party could take now (for buttons); the server still decides each one. */
export function applicationActionsFor(state: ApplicationState, by: ApplicationParty): ApplicationAction[] {
  return applicationActions.filter(
    (a) => transitionApplication({ from: state, action: a, by, reason: 'x' }).ok,
  );
}
