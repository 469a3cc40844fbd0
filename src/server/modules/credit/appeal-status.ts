/**
 * An appeal against one indicator (申诉): submitted → upheld | rejected (the regulator decides) | withdrawn (the
 * subject takes it back). Upheld, rejected and withdrawn are final. An upheld appeal makes that indicator count
 * in full for the subject from then on.
 */
export const appealStates = ['submitted', 'upheld', 'rejected', 'withdrawn'] as const;
export type AppealState = (typeof appealStates)[number];
export const appealActions = ['uphold', 'reject', 'withdraw'] as const;
export type AppealAction = (typeof appealActions)[number];

const transitions: Record<AppealState, Partial<Record<AppealAction, AppealState>>> = {
  submitted: { uphold: 'upheld', reject: 'rejected', withdraw: 'withdrawn' },
  upheld: {},
  rejected: {},
  withdrawn: {},
};

/** The state after `action`, or null when the action is not allowed from `from`. */
export function nextAppealState(from: AppealState, action: AppealAction): AppealState | null {
  return transitions[from][action] ?? null;
}
