/** What a partner client may be allowed to do; each partner route requires exactly one scope. */
export const partnerScopes = [
  'certificates:verify',
  'companies:read',
  'statistics:read',
  'orders:write',
  'workers:read',
] as const;
export type PartnerScope = (typeof partnerScopes)[number];

/** Public event names partners subscribe to, and the outbox topics behind them. */
export const webhookEvents = {
  'certificate.status_changed': [
    'certification.issued',
    'certification.suspended',
    'certification.reinstated',
    'certification.revoked',
  ],
  'company.expelled': ['credit.company_expelled'],
  'order.status_changed': [
    'orders.accepted',
    'orders.declined',
    'orders.contracted',
    'orders.started',
    'orders.completed',
    'orders.closed',
    'orders.cancelled',
    'orders.expired',
  ],
  'complaint.escalated': ['feedback.complaint_escalated'],
  'contract.filed': ['contracts.filed'],
} as const satisfies Record<string, readonly string[]>;
export type WebhookEvent = keyof typeof webhookEvents;
export const webhookEventNames = Object.keys(webhookEvents) as WebhookEvent[];

/** The public event an outbox topic becomes, or null when partners never see it. */
export function publicEventOf(topic: string): WebhookEvent | null {
  for (const name of webhookEventNames)
    if ((webhookEvents[name] as readonly string[]).includes(topic)) return name;
  return null;
}

/** Every outbox topic some public event is made from. */
export const webhookTopics = [...new Set(Object.values(webhookEvents).flat())];

/** Events whose payload names an order: only the partner that created the order hears about it. */
export const orderScopedEvents: readonly WebhookEvent[] = ['order.status_changed'];
