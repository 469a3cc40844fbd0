/** The certificate's stored lifecycle. Colours (green/yellow/red) are computed live in trust-status.ts. */
export const certificateStates = ['active', 'suspended', 'revoked'] as const;
export type CertificateState = (typeof certificateStates)[number];

export const certificateActions = ['issue', 'suspend', 'reinstate', 'revoke'] as const;
export type CertificateAction = (typeof certificateActions)[number];

/** `null` is "no certificate yet". */
export type From = CertificateState | null;

interface Transition {
  from: readonly From[];
  to: CertificateState;
  /** The action must carry a reason (recorded on the certificate and in the audit log). */
  needsReason: boolean;
}

/** Every allowed transition; anything else is refused. Revoked is final. */
export const certificateTransitions: Record<CertificateAction, Transition> = {
  issue: { from: [null], to: 'active', needsReason: false },
  suspend: { from: ['active'], to: 'suspended', needsReason: true },
  reinstate: { from: ['suspended'], to: 'active', needsReason: false },
  revoke: { from: ['active', 'suspended'], to: 'revoked', needsReason: true },
};

export type TransitionResult =
  | { ok: true; to: CertificateState }
  | { ok: false; error: 'invalid_transition' | 'reason_required' };

/** Decides one transition; pure. */
export function transition(from: From, action: CertificateAction, reason?: string | null): TransitionResult {
  const t = certificateTransitions[action];
  if (!t.from.includes(from)) return { ok: false, error: 'invalid_transition' };
  if (t.needsReason && !(reason && reason.trim().length > 0)) return { ok: false, error: 'reason_required' };
  return { ok: true, to: t.to };
}

/** The outbox topic announcing each action. */
export const certificateEventTopic: Record<CertificateAction, string> = {
  issue: 'certification.issued',
  suspend: 'certification.suspended',
  reinstate: 'certification.reinstated',
  revoke: 'certification.revoked',
};
