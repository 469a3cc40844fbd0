import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz, updatedAt } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { serviceOrder } from '../orders/orders.tables.js';
import { worker } from '../workers/workers.tables.js';

/** A partner system (another government or commercial platform) registered by a platform admin. */
export const partnerClient = pgTable('partner_client', {
  id: idColumn(),
  name: text('name').notNull(),
  organization: text('organization').notNull(),
  contactName: text('contact_name').notNull(),
  /** AES-256-GCM (aad `partner_client.contact_phone`); shown masked. */
  contactPhoneEnc: text('contact_phone_enc').notNull(),
  /** Scopes the client's keys may use (partner-scopes.ts). */
  scopes: text('scopes').array().notNull(),
  /** IPs or IPv4 CIDRs a key is accepted from; empty = anywhere. */
  ipAllowlist: text('ip_allowlist').array().notNull(),
  rateLimitPerMinute: integer('rate_limit_per_minute').notNull(),
  /** 'active' | 'suspended' (client-status.ts) */
  status: text('status').notNull(),
  /** A sandbox client sees the demo city only; documented in docs/partners.md. */
  sandbox: boolean('sandbox').notNull().default(false),
  createdBy: text('created_by').references(() => user.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** An API key: only a keyed hash of the secret is stored; the secret is shown once at creation. */
export const partnerApiKey = pgTable(
  'partner_api_key',
  {
    id: idColumn(),
    clientId: text('client_id')
      .notNull()
      .references(() => partnerClient.id),
    /** The first characters of the key (`ak_` + 8), shown so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    label: text('label').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    /** Set on rotation: the key that replaced this one (this one stays valid until `expires_at`). */
    replacedBy: text('replaced_by'),
    lastUsedAt: tstz('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('partner_api_key_hash_unique').on(t.keyHash),
    index('partner_api_key_client_idx').on(t.clientId, t.id),
  ],
);

/** Requests per key per Asia/Shanghai day, for usage metrics. */
export const partnerUsage = pgTable(
  'partner_usage',
  {
    keyId: text('key_id')
      .notNull()
      .references(() => partnerApiKey.id),
    clientId: text('client_id')
      .notNull()
      .references(() => partnerClient.id),
    day: date('day', { mode: 'string' }).notNull(),
    requests: integer('requests').notNull().default(0),
    /** Requests refused for scope, IP or rate limit. */
    refused: integer('refused').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.day] }), index('partner_usage_client_idx').on(t.clientId, t.day)],
);

/** A worker's consent for one partner client to read the worker's record: scoped, time-limited, revocable. */
export const partnerConsent = pgTable(
  'partner_consent',
  {
    id: idColumn(),
    workerId: text('worker_id')
      .notNull()
      .references(() => worker.id),
    clientId: text('client_id')
      .notNull()
      .references(() => partnerClient.id),
    /** 'basic' | 'full' (as the e-file share scopes) */
    scope: text('scope').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    createdBy: text('created_by').references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('partner_consent_worker_idx').on(t.workerId, t.id),
    index('partner_consent_client_idx').on(t.clientId, t.workerId),
  ],
);

/** A partner's webhook endpoint and the public events it wants. */
export const partnerWebhook = pgTable(
  'partner_webhook',
  {
    id: idColumn(),
    clientId: text('client_id')
      .notNull()
      .references(() => partnerClient.id),
    url: text('url').notNull(),
    events: text('events').array().notNull(),
    /** The HMAC signing secret, encrypted (aad `partner_webhook.secret`): it must be read back to sign. */
    secretEnc: text('secret_enc').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('partner_webhook_client_idx').on(t.clientId, t.id)],
);

/** One event for one subscription; retried with backoff, replayable (delivery-status.ts). */
export const partnerDelivery = pgTable(
  'partner_delivery',
  {
    id: idColumn(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => partnerWebhook.id),
    clientId: text('client_id')
      .notNull()
      .references(() => partnerClient.id),
    /** The outbox event id: one delivery per subscription and event, whatever the redeliveries. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    /** 'pending' | 'retrying' | 'delivered' | 'dead' */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: tstz('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('partner_delivery_event_unique').on(t.webhookId, t.eventId),
    index('partner_delivery_client_idx').on(t.clientId, t.id),
    index('partner_delivery_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Every attempt to deliver, for the admin's log. */
export const partnerDeliveryAttempt = pgTable(
  'partner_delivery_attempt',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => partnerDelivery.id),
    at: tstz('at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    /** True when an admin asked for this attempt (replay). */
    replay: boolean('replay').notNull().default(false),
  },
  (t) => [index('partner_delivery_attempt_idx').on(t.deliveryId, t.id)],
);

/** The Anxin account that stands for a partner platform's resident (a shadow resident, one per external id). */
export const partnerResident = pgTable(
  'partner_resident',
  {
    clientId: text('client_id')
      .notNull()
      .references(() => partnerClient.id),
    externalUserId: text('external_user_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.externalUserId] })],
);

/** An order a partner created on behalf of its resident: the partner sees only these. */
export const partnerOrder = pgTable(
  'partner_order',
  {
    id: idColumn(),
    clientId: text('client_id')
      .notNull()
      .references(() => partnerClient.id),
    orderId: text('order_id')
      .notNull()
      .references(() => serviceOrder.id),
    externalUserId: text('external_user_id').notNull(),
    /** The partner's own reference, echoed back. */
    externalRef: text('external_ref'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('partner_order_order_unique').on(t.orderId),
    index('partner_order_client_idx').on(t.clientId, t.id),
  ],
);
