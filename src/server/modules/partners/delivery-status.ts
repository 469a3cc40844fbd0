/** A webhook delivery's life: tried, retried with backoff, given up on, and replayed by an admin. */
export const deliveryStates = ['pending', 'retrying', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof deliveryStates)[number];
export type DeliveryAction = 'succeed' | 'fail' | 'give_up' | 'replay';

/** The whole table: from state, by action, to state. Anything not listed is refused. */
export const deliveryTransitions: Record<DeliveryState, Partial<Record<DeliveryAction, DeliveryState>>> = {
  pending: { succeed: 'delivered', fail: 'retrying', give_up: 'dead' },
  retrying: { succeed: 'delivered', fail: 'retrying', give_up: 'dead' },
  delivered: { replay: 'pending' },
  dead: { replay: 'pending' },
};

export function nextDeliveryState(from: DeliveryState, action: DeliveryAction): DeliveryState | null {
  return deliveryTransitions[from][action] ?? null;
}

/** Attempts before a delivery is given up (the first try plus 7 retries over about 4 hours). */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** Delay before retry number `attempt` (1-based): 30 s doubling, capped at 2 h, with up to 10 % jitter. */
export function retryDelayMs(attempt: number, jitter: number = Math.random()): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 2 * 3600_000);
  return Math.round(base * (1 + 0.1 * jitter));
}
