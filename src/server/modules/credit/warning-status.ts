/**
 * A company's warning from an evaluation cycle (整改预警): open → resolved (its score rose above the line by the
 * deadline, checked at the next cycle or on demand) | expelled (清退, by the regulator, for persistent failure or a
 * serious violation). Resolved and expelled are final.
 */
export const warningStates = ['open', 'resolved', 'expelled'] as const;
export type WarningState = (typeof warningStates)[number];
export const warningActions = ['resolve', 'expel'] as const;
export type WarningAction = (typeof warningActions)[number];

const transitions: Record<WarningState, Partial<Record<WarningAction, WarningState>>> = {
  open: { resolve: 'resolved', expel: 'expelled' },
  resolved: {},
  expelled: {},
};

/** The state after `action`, or null when the action is not allowed from `from`. */
export function nextWarningState(from: WarningState, action: WarningAction): WarningState | null {
  return transitions[from][action] ?? null;
}
