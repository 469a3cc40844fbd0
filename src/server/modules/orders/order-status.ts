/**
 * The order lifecycle (pure, no I/O).
 *
 * requested → accepted | declined | expired | cancelled
 * accepted → contracted (long-term modes only) | in_service (short-term modes) | cancelled
 * contracted → in_service | cancelled
 * in_service → completed (the resident confirms, or the system after the confirmation period)
 * completed → closed (follow-up recorded, or the review window passed)
 * in_service → completed also when the contract is terminated early (end_early, long-term only, by the system on
 * the contracts module's event); a terminated contract before the service started cancels the order.
 * declined, expired, cancelled, closed are final. Replacing the worker keeps the order's state (a new assignment).
 */
import { orderStates, type OrderState } from '../../../shared/orders.js';

export { orderStates, type OrderState };

export const orderActions = [
  'accept',
  'decline',
  'expire',
  'contract',
  'start',
  'confirm',
  'auto_confirm',
  'end_early',
  'close',
  'cancel',
] as const;
export type OrderAction = (typeof orderActions)[number];

/** Who may take an action: the resident who ordered, the company (its admin/staff), or the system (jobs). */
export type OrderParty = 'resident' | 'company' | 'system';

interface Transition {
  from: readonly OrderState[];
  to: OrderState;
  by: readonly OrderParty[];
  /** Only for long-term modes (true), only for short-term (false), or both (undefined). */
  longTerm?: boolean;
  needsReason?: boolean;
}

/** Every allowed transition; anything else is refused. */
export const orderTransitions: Readonly<Record<OrderAction, Transition>> = {
  accept: { from: ['requested'], to: 'accepted', by: ['company'] },
  decline: { from: ['requested'], to: 'declined', by: ['company'], needsReason: true },
  expire: { from: ['requested'], to: 'expired', by: ['system'] },
  contract: { from: ['accepted'], to: 'contracted', by: ['company', 'system'], longTerm: true },
  start: { from: ['accepted'], to: 'in_service', by: ['company', 'system'], longTerm: false },
  confirm: { from: ['in_service'], to: 'completed', by: ['resident'] },
  auto_confirm: { from: ['in_service'], to: 'completed', by: ['system'] },
  end_early: { from: ['in_service'], to: 'completed', by: ['system'], longTerm: true },
  close: { from: ['completed'], to: 'closed', by: ['system'] },
  cancel: {
    from: ['requested', 'accepted', 'contracted'],
    to: 'cancelled',
    by: ['resident', 'company', 'system'],
    needsReason: true,
  },
};

/** Long-term orders start from `contracted`, never straight from `accepted`. */
const startFromContracted: Transition = {
  from: ['contracted'],
  to: 'in_service',
  by: ['company', 'system'],
  longTerm: true,
};

export type OrderTransitionError = 'invalid_transition' | 'not_your_step' | 'reason_required';
export type OrderTransitionResult = { ok: true; to: OrderState } | { ok: false; error: OrderTransitionError };

/** The rule for an action on an order of this kind. */
function ruleFor(action: OrderAction, longTerm: boolean): Transition {
  if (action === 'start' && longTerm) return startFromContracted;
  return orderTransitions[action];
}

/** Decides one transition. */
export function transitionOrder(input: {
  from: OrderState;
  action: OrderAction;
  by: OrderParty;
  longTerm: boolean;
  reason?: string | null;
}): OrderTransitionResult {
  const t = ruleFor(input.action, input.longTerm);
  if (!t.from.includes(input.from)) return { ok: false, error: 'invalid_transition' };
  if (t.longTerm !== undefined && t.longTerm !== input.longTerm)
    return { ok: false, error: 'invalid_transition' };
  // Short-term orders never have a contract, so nothing leads out of `contracted` for them.
  if (input.from === 'contracted' && !input.longTerm) return { ok: false, error: 'invalid_transition' };
  if (!t.by.includes(input.by)) return { ok: false, error: 'not_your_step' };
  if (t.needsReason && input.by !== 'system' && !(input.reason && input.reason.trim().length > 0))
    return { ok: false, error: 'reason_required' };
  return { ok: true, to: t.to };
}

/** States in which the worker's time is held (bookings active). */
export const holdingStates: readonly OrderState[] = ['accepted', 'contracted', 'in_service'];

export const isFinal = (s: OrderState): boolean =>
  s === 'declined' || s === 'expired' || s === 'cancelled' || s === 'closed';

/** The actions a party could take now (for buttons); the server still decides each one. */
export function availableActions(state: OrderState, by: OrderParty, longTerm: boolean): OrderAction[] {
  return orderActions.filter(
    (a) => transitionOrder({ from: state, action: a, by, longTerm, reason: 'x' }).ok,
  );
}
