/**
 * The contract lifecycle (pure, no I/O).
 *
 * draft ──sign──▶ signing ──seal (system, when every party signed)──▶ filed
 * draft | signing ──void──▶ void                      filed ──supersede (system, a replacement version filed)──▶ superseded
 * filed ──request_termination──▶ terminating ──complete_termination (system, all confirmed)──▶ terminated
 *                                terminating ──dispute──▶ disputed (the complaint flow takes over)
 * Editing is allowed only in draft (nobody has signed yet); a filed contract never changes.
 */
export const contractStates = [
  'draft',
  'signing',
  'filed',
  'terminating',
  'terminated',
  'disputed',
  'superseded',
  'void',
] as const;
export type ContractState = (typeof contractStates)[number];

export const contractActions = [
  'edit',
  'sign',
  'seal',
  'void',
  'request_termination',
  'confirm_termination',
  'complete_termination',
  'dispute',
  'supersede',
] as const;
export type ContractAction = (typeof contractActions)[number];

/** Who acts: one of the signing parties, or the platform itself. */
export type ContractParty = 'resident' | 'company' | 'worker' | 'system';
export const contractParties = ['resident', 'company', 'worker', 'system'] as const;

const people: readonly ContractParty[] = ['resident', 'company', 'worker'];

interface Transition {
  from: readonly ContractState[];
  /** The next state; `null` keeps the current state (an edit, or one of several confirmations). */
  to: ContractState | null;
  by: readonly ContractParty[];
}

/** Every allowed transition; anything else is refused. */
export const contractTransitions: Readonly<Record<ContractAction, Transition>> = {
  edit: { from: ['draft'], to: null, by: people },
  sign: { from: ['draft', 'signing'], to: 'signing', by: people },
  seal: { from: ['signing'], to: 'filed', by: ['system'] },
  void: { from: ['draft', 'signing'], to: 'void', by: ['resident', 'company', 'system'] },
  request_termination: { from: ['filed'], to: 'terminating', by: people },
  confirm_termination: { from: ['terminating'], to: null, by: people },
  complete_termination: { from: ['terminating'], to: 'terminated', by: ['system'] },
  dispute: { from: ['terminating'], to: 'disputed', by: people },
  supersede: { from: ['filed'], to: 'superseded', by: ['system'] },
};

export type ContractTransitionResult =
  | { ok: true; to: ContractState }
  | { ok: false; error: 'invalid_transition' | 'not_your_step' };

/** Decides one transition. */
export function transitionContract(input: {
  from: ContractState;
  action: ContractAction;
  by: ContractParty;
}): ContractTransitionResult {
  const t = contractTransitions[input.action];
  if (!t.from.includes(input.from)) return { ok: false, error: 'invalid_transition' };
  if (!t.by.includes(input.by)) return { ok: false, error: 'not_your_step' };
  return { ok: true, to: t.to ?? input.from };
}

/** Only a filed contract is in force; nothing half-signed is ever shown as effective. */
export const isEffective = (s: ContractState): boolean => s === 'filed' || s === 'terminating';

/** The actions a party could take now (for buttons); the server still decides each one. */
export function availableContractActions(state: ContractState, by: ContractParty): ContractAction[] {
  return contractActions.filter((a) => transitionContract({ from: state, action: a, by }).ok);
}
