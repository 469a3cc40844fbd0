/**
 * A wage survey edition's lifecycle (pure, no I/O).
 *
 * draft → published (the regulator publishes) | discarded (the regulator drops it)
 * published → withdrawn (taken off the public page, with a reason)
 * discarded and withdrawn are final. Samples change only in draft.
 */
export const wageSurveyStates = ['draft', 'published', 'withdrawn', 'discarded'] as const;
export type WageSurveyState = (typeof wageSurveyStates)[number];

export const wageSurveyActions = ['publish', 'discard', 'withdraw'] as const;
export type WageSurveyAction = (typeof wageSurveyActions)[number];

/** Every allowed transition; anything else is refused. */
export const wageSurveyTransitions: Readonly<
  Record<WageSurveyAction, { from: readonly WageSurveyState[]; to: WageSurveyState }>
> = {
  publish: { from: ['draft'], to: 'published' },
  discard: { from: ['draft'], to: 'discarded' },
  withdraw: { from: ['published'], to: 'withdrawn' },
};

/** Decides one transition: the next state, or null when the action is not allowed from `from`. */
export function transitionWageSurvey(
  from: WageSurveyState,
  action: WageSurveyAction,
): WageSurveyState | null {
  const t = wageSurveyTransitions[action];
  return t.from.includes(from) ? t.to : null;
}

/** Actions the regulator may take on an edition in this state. */
export const wageSurveyActionsFor = (s: WageSurveyState): WageSurveyAction[] =>
  wageSurveyActions.filter((a) => transitionWageSurvey(s, a) !== null);
