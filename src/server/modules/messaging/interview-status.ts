/**
 * The interview lifecycle (pure, no I/O).
 *
 * scheduled → in_progress (a participant joins the room) | completed (outcome recorded without a call) | cancelled
 * in_progress → completed (the organizer records the outcome) | cancelled
 * completed and cancelled are final.
 */
export const interviewStates = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export type InterviewState = (typeof interviewStates)[number];

export const interviewActions = ['join', 'complete', 'cancel'] as const;
export type InterviewAction = (typeof interviewActions)[number];

/** Who acts: the organizer (resident or company staff) or the interviewed worker. */
export type InterviewParty = 'organizer' | 'worker';

interface Transition {
  from: readonly InterviewState[];
  /** null: the state stays (joining a call already in progress). */
  to: (from: InterviewState) => InterviewState;
  by: readonly InterviewParty[];
}

/** Every allowed transition; anything else is refused. */
export const interviewTransitions: Readonly<Record<InterviewAction, Transition>> = {
  join: { from: ['scheduled', 'in_progress'], to: () => 'in_progress', by: ['organizer', 'worker'] },
  complete: { from: ['scheduled', 'in_progress'], to: () => 'completed', by: ['organizer'] },
  cancel: { from: ['scheduled', 'in_progress'], to: () => 'cancelled', by: ['organizer', 'worker'] },
};

export type InterviewTransitionResult =
  | { ok: true; to: InterviewState }
  | { ok: false; reason: 'state' | 'party' };

/** Decides whether `party` may take `action` on an interview in state `from`. */
export function transitionInterview(
  from: InterviewState,
  action: InterviewAction,
  party: InterviewParty,
): InterviewTransitionResult {
  const t = interviewTransitions[action];
  if (!t.from.includes(from)) return { ok: false, reason: 'state' };
  if (!t.by.includes(party)) return { ok: false, reason: 'party' };
  return { ok: true, to: t.to(from) };
}

/** Actions `party` may take now, for the UI. */
export function interviewActionsFor(state: InterviewState, party: InterviewParty): InterviewAction[] {
  return interviewActions.filter((a) => transitionInterview(state, a, party).ok);
}
