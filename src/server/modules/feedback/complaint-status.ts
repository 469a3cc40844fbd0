/**
 * The complaint workflow (pure, no I/O).
 *
 * filed ──respond (company)──▶ responded ──accept (complainant)──▶ closed
 *   │                              └──refuse (complainant)──▶ escalated
 *   └──escalate (system: response SLA missed)──▶ escalated ──investigate (regulator)──▶ investigating
 * investigating ──uphold / reject (regulator, reasons)──▶ upheld | rejected
 * upheld ──appeal (company, once)──▶ investigating;  rejected ──appeal (complainant, once)──▶ investigating
 * upheld | rejected ──close (regulator, or system after the appeal window)──▶ closed
 * filed | responded | escalated ──withdraw (complainant)──▶ withdrawn
 * closed and withdrawn are final.
 */
export const complaintStates = [
  'filed',
  'responded',
  'escalated',
  'investigating',
  'upheld',
  'rejected',
  'closed',
  'withdrawn',
] as const;
export type ComplaintState = (typeof complaintStates)[number];

export const complaintActions = [
  'respond',
  'accept',
  'refuse',
  'escalate',
  'investigate',
  'uphold',
  'reject',
  'appeal',
  'close',
  'withdraw',
] as const;
export type ComplaintAction = (typeof complaintActions)[number];

/** complainant: who filed it; company: the organization that must respond; regulator; system (jobs). */
export const complaintParties = ['complainant', 'company', 'regulator', 'system'] as const;
export type ComplaintParty = (typeof complaintParties)[number];

interface Rule {
  action: ComplaintAction;
  from: readonly ComplaintState[];
  to: ComplaintState;
  by: readonly ComplaintParty[];
  needsReason?: boolean;
}

/** Every allowed transition; anything else is refused. Appeal has one rule per side. */
export const complaintTransitions: readonly Rule[] = [
  { action: 'respond', from: ['filed'], to: 'responded', by: ['company'], needsReason: true },
  { action: 'accept', from: ['responded'], to: 'closed', by: ['complainant'] },
  { action: 'refuse', from: ['responded'], to: 'escalated', by: ['complainant'], needsReason: true },
  { action: 'escalate', from: ['filed'], to: 'escalated', by: ['system'] },
  { action: 'investigate', from: ['escalated'], to: 'investigating', by: ['regulator'] },
  { action: 'uphold', from: ['investigating'], to: 'upheld', by: ['regulator'], needsReason: true },
  { action: 'reject', from: ['investigating'], to: 'rejected', by: ['regulator'], needsReason: true },
  { action: 'appeal', from: ['upheld'], to: 'investigating', by: ['company'], needsReason: true },
  { action: 'appeal', from: ['rejected'], to: 'investigating', by: ['complainant'], needsReason: true },
  { action: 'close', from: ['upheld', 'rejected'], to: 'closed', by: ['regulator', 'system'] },
  {
    action: 'withdraw',
    from: ['filed', 'responded', 'escalated'],
    to: 'withdrawn',
    by: ['complainant'],
  },
];

export type ComplaintTransitionError =
  | 'invalid_transition'
  | 'not_your_step'
  | 'reason_required'
  | 'already_appealed';
export type ComplaintTransitionResult =
  | { ok: true; to: ComplaintState }
  | { ok: false; error: ComplaintTransitionError };

/** Decides one transition: state first (409), then party (403), then the appeal-once guard and reason (422). */
export function transitionComplaint(input: {
  from: ComplaintState;
  action: ComplaintAction;
  by: ComplaintParty;
  appealed: boolean;
  reason?: string | null;
}): ComplaintTransitionResult {
  const rules = complaintTransitions.filter((r) => r.action === input.action && r.from.includes(input.from));
  if (rules.length === 0) return { ok: false, error: 'invalid_transition' };
  const rule = rules.find((r) => r.by.includes(input.by));
  if (!rule) return { ok: false, error: 'not_your_step' };
  if (input.action === 'appeal' && input.appealed) return { ok: false, error: 'already_appealed' };
  if (rule.needsReason && input.by !== 'system' && !(input.reason && input.reason.trim().length > 0))
    return { ok: false, error: 'reason_required' };
  return { ok: true, to: rule.to };
}

export const isFinalComplaint = (s: ComplaintState): boolean => s === 'closed' || s === 'withdrawn';

/** The actions a party could take now (for buttons); the server still decides each one. */
export function availableComplaintActions(
  state: ComplaintState,
  by: ComplaintParty,
  appealed: boolean,
): ComplaintAction[] {
  return complaintActions.filter(
    (a) => transitionComplaint({ from: state, action: a, by, appealed, reason: 'x' }).ok,
  );
}
