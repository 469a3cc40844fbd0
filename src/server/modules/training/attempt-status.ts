/** The lifecycle of an exam attempt. Submitted and expired are final. */
export const attemptStates = ['open', 'submitted', 'expired'] as const;
export type AttemptState = (typeof attemptStates)[number];

export const attemptActions = ['save', 'submit', 'expire'] as const;
export type AttemptAction = (typeof attemptActions)[number];

interface Transition {
  from: readonly AttemptState[];
  to: AttemptState;
  /** The action is allowed only before the deadline (plus grace). */
  beforeDeadline: boolean;
}

/** Every allowed transition; anything else is refused. */
export const attemptTransitions: Record<AttemptAction, Transition> = {
  save: { from: ['open'], to: 'open', beforeDeadline: true },
  submit: { from: ['open'], to: 'submitted', beforeDeadline: true },
  expire: { from: ['open'], to: 'expired', beforeDeadline: false },
};

/**
 * Answers are accepted until the deadline plus this grace, which absorbs network latency between the browser
 * pressing "submit" at 00:00 and the request arriving; the countdown shown is the deadline itself.
 */
export const SUBMIT_GRACE_MS = 5_000;

export type AttemptTransitionResult =
  | { ok: true; to: AttemptState }
  | { ok: false; error: 'invalid_transition' | 'expired' };

/** Decides one action on an attempt at `now`; pure. */
export function attemptTransition(
  from: AttemptState,
  action: AttemptAction,
  deadline: Date,
  now: Date,
): AttemptTransitionResult {
  const t = attemptTransitions[action];
  if (!t.from.includes(from)) return { ok: false, error: 'invalid_transition' };
  const late = now.getTime() > deadline.getTime() + SUBMIT_GRACE_MS;
  if (t.beforeDeadline && late) return { ok: false, error: 'expired' };
  if (action === 'expire' && !late) return { ok: false, error: 'invalid_transition' };
  return { ok: true, to: t.to };
}

export interface PastAttempt {
  state: AttemptState;
  startedAt: Date;
  deadline: Date;
  submittedAt: Date | null;
  passed: boolean | null;
}

export type StartDecision =
  | { ok: true }
  | {
      ok: false;
      reason: 'already_passed' | 'attempt_open' | 'limit_reached' | 'cooling_down';
      retryAt?: Date;
    };

/**
 * May the worker start a new attempt? Refused when one is still open (and not past its deadline), when an
 * attempt already passed, when `maxAttempts` closed attempts exist, or within `cooldownMinutes` after the last
 * attempt closed (its submission, or its deadline when it ran out). Pure.
 */
export function decideStart(
  past: readonly PastAttempt[],
  rules: { maxAttempts: number; cooldownMinutes: number },
  now: Date,
): StartDecision {
  const open = past.find(
    (a) => a.state === 'open' && now.getTime() <= a.deadline.getTime() + SUBMIT_GRACE_MS,
  );
  if (open) return { ok: false, reason: 'attempt_open' };
  if (past.some((a) => a.passed)) return { ok: false, reason: 'already_passed' };
  if (past.length >= rules.maxAttempts) return { ok: false, reason: 'limit_reached' };
  const closedAt = (a: PastAttempt) => (a.submittedAt ?? a.deadline).getTime();
  const last = Math.max(...past.map(closedAt), Number.NEGATIVE_INFINITY);
  const retry = last + rules.cooldownMinutes * 60_000;
  if (past.length > 0 && now.getTime() < retry)
    return { ok: false, reason: 'cooling_down', retryAt: new Date(retry) };
  return { ok: true };
}
