import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Schedule } from '../../../shared/orders.js';
import { maskMobile as maskPhone } from '../../../shared/validators/index.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import type { PartnerPrincipal } from '../../platform/http/authz.js';
import { type RequestContext, systemContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import type { OutboxEventMeta } from '../../platform/outbox/outbox.js';
import type { Pii } from '../../platform/pii/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { CertificationService } from '../certification/index.js';
import type { EfileService } from '../efile/index.js';
import type { IdentityService } from '../identity/index.js';
import type { OrdersService } from '../orders/index.js';
import type { OrgsService } from '../orgs/index.js';
import type { WorkersService } from '../workers/index.js';
import { type ClientAction, consentState, ipAllowed, keyState, nextClientState } from './client-status.js';
import {
  type DeliveryAction,
  type DeliveryState,
  MAX_DELIVERY_ATTEMPTS,
  nextDeliveryState,
  retryDelayMs,
} from './delivery-status.js';
import { type PartnerScope, publicEventOf, type WebhookEvent } from './partner-scopes.js';
import {
  partnerApiKey,
  partnerClient,
  partnerConsent,
  partnerDelivery,
  partnerDeliveryAttempt,
  partnerOrder,
  partnerResident,
  partnerUsage,
  partnerWebhook,
} from './partners.tables.js';
import { checkWebhookUrl } from './ssrf.js';
import type { Egress } from '../../platform/net/egress.js';
import { SIGNATURE_HEADER, signPayload } from './signing.js';

type ClientRow = typeof partnerClient.$inferSelect;
type KeyRow = typeof partnerApiKey.$inferSelect;
type DeliveryRow = typeof partnerDelivery.$inferSelect;

const PHONE_AAD = 'partner_client.contact_phone';
const SECRET_AAD = 'partner_webhook.secret';
const KEY_HASH_PURPOSE = 'partner.api_key';
const KEY_PATTERN = /^ak_[A-Za-z0-9_-]{43}$/;
/** Keys live at most two years; the default is one. */
const MAX_KEY_DAYS = 730;
const DELIVERY_TIMEOUT_MS = 5000;

export interface PartnersDeps {
  db: Db;
  clock: () => Date;
  pii: Pick<Pii, 'encrypt' | 'decrypt' | 'blindIndex' | 'blindIndexes' | 'anyProfileIndexes'>;
  /** Webhooks may target private/loopback addresses (tests, development); false in production. */
  allowPrivateWebhooks: boolean;
  /** Host resolution for the SSRF guard (tests substitute one). */
  resolveHost?: (host: string) => Promise<string[]>;
  /** The outbound allow-list (OUTBOUND_ALLOW_HOSTS): a webhook host must be on it, at subscription and at send. */
  egress: Pick<Egress, 'allows' | 'fetch'>;
  certification: Pick<CertificationService, 'verifyNumber' | 'verifyToken' | 'certificateCounts'>;
  orgs: Pick<OrgsService, 'getOrganization' | 'activeCompanyCounts'>;
  efile: Pick<EfileService, 'fileForPartner'>;
  orders: Pick<OrdersService, 'create' | 'get' | 'cancel'>;
  identity: Pick<IdentityService, 'createAccount' | 'removeAccountIfUnused'>;
  workers: Pick<WorkersService, 'findWorkerIdByUser'>;
  catalog: Pick<CatalogService, 'priceForOrder'>;
}

export interface ClientInput {
  name: string;
  organization: string;
  contactName: string;
  contactPhone: string;
  scopes: PartnerScope[];
  ipAllowlist: string[];
  rateLimitPerMinute: number;
}

export interface PartnerOrderInput {
  externalUserId: string;
  externalRef?: string | null | undefined;
  resident: { name: string; phone: string };
  priceItemId: string;
  workerId?: string | null | undefined;
  schedule: Schedule;
  address: string;
  district: string;
  note?: string | null | undefined;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const fields = ['certificateId', 'number', 'workerId', 'companyId', 'orderId', 'state', 'complaintId'];

/** The public payload of an event: ids, numbers and states only, never personal data or internal accounts. */
export function publicPayload(event: WebhookEvent, topic: string, payload: Record<string, unknown>) {
  const keep = event === 'contract.filed' ? [...fields, 'contractId', 'filingNo'] : fields;
  const out: Record<string, string | null> = {};
  for (const k of keep)
    if (typeof payload[k] === 'string' || payload[k] === null) out[k] = payload[k] as string;
  if (event === 'certificate.status_changed') out.change = topic.split('.')[1] ?? null;
  return out;
}

/** Partner systems: clients, API keys, the key gate, consent grants, webhooks and orders on behalf of residents. */
export function createPartnersService(deps: PartnersDeps) {
  const { db, clock, pii } = deps;
  // Per-node fixed one-minute windows (the same trade-off as the global per-IP limiter; see docs/partners.md).
  const windows = new Map<string, { start: number; count: number }>();

  const hashKey = (secret: string) => pii.blindIndex(secret, KEY_HASH_PURPOSE);

  function requireAdmin(ctx: RequestContext) {
    if (!ctx.actor?.roles.includes('platform_admin')) throw new AppError('FORBIDDEN');
  }

  async function loadClient(id: string) {
    const [c] = await db.select().from(partnerClient).where(eq(partnerClient.id, id));
    if (!c) throw new AppError('NOT_FOUND');
    return c;
  }

  function clientView(c: ClientRow) {
    return {
      id: c.id,
      name: c.name,
      organization: c.organization,
      contactName: c.contactName,
      contactPhoneMasked: maskPhone(pii.decrypt(c.contactPhoneEnc, PHONE_AAD)),
      scopes: c.scopes as PartnerScope[],
      ipAllowlist: c.ipAllowlist,
      rateLimitPerMinute: c.rateLimitPerMinute,
      status: c.status as 'active' | 'suspended',
      sandbox: c.sandbox,
      createdAt: c.createdAt.toISOString(),
    };
  }

  function keyView(k: KeyRow, now: Date) {
    return {
      id: k.id,
      prefix: k.prefix,
      label: k.label,
      state: keyState(k, now),
      expiresAt: k.expiresAt.toISOString(),
      revokedAt: iso(k.revokedAt),
      replacedBy: k.replacedBy,
      lastUsedAt: iso(k.lastUsedAt),
      createdAt: k.createdAt.toISOString(),
    };
  }

  async function mintKey(clientId: string, label: string, expiresAt: Date, fixed?: string) {
    const secret = fixed ?? `ak_${randomBytes(32).toString('base64url')}`;
    const row = {
      id: newId('ptk'),
      clientId,
      prefix: secret.slice(0, 11),
      keyHash: hashKey(secret),
      label,
      expiresAt,
      revokedAt: null,
      replacedBy: null,
      lastUsedAt: null,
      createdAt: clock(),
    };
    return { secret, row };
  }

  function keyExpiry(days: number | undefined) {
    const d = Math.min(Math.max(days ?? 365, 1), MAX_KEY_DAYS);
    return new Date(clock().getTime() + d * 86_400_000);
  }

  async function countUsage(p: { keyId: string; clientId: string }, refused: boolean) {
    const day = shanghaiDay(clock());
    await db
      .insert(partnerUsage)
      .values({ keyId: p.keyId, clientId: p.clientId, day, requests: 1, refused: refused ? 1 : 0 })
      .onConflictDoUpdate({
        target: [partnerUsage.keyId, partnerUsage.day],
        set: {
          requests: sql`${partnerUsage.requests} + 1`,
          refused: sql`${partnerUsage.refused} + ${refused ? 1 : 0}`,
        },
      });
  }

  /** Throws PARTNER_RATE_LIMITED with Retry-After once the key's client used its minute. */
  function takeToken(keyId: string, limit: number) {
    const now = clock().getTime();
    const w = windows.get(keyId);
    if (!w || now - w.start >= 60_000) {
      windows.set(keyId, { start: now, count: 1 });
      return;
    }
    if (w.count >= limit) {
      const retry = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
      throw new AppError('PARTNER_RATE_LIMITED', {
        headers: { 'retry-after': String(retry), 'x-ratelimit-limit': String(limit) },
      });
    }
    w.count++;
  }

  async function deliveryView(d: DeliveryRow) {
    const attempts = await db
      .select()
      .from(partnerDeliveryAttempt)
      .where(eq(partnerDeliveryAttempt.deliveryId, d.id))
      .orderBy(desc(partnerDeliveryAttempt.id))
      .limit(20);
    return {
      id: d.id,
      webhookId: d.webhookId,
      eventId: d.eventId,
      eventType: d.eventType as WebhookEvent,
      status: d.status as DeliveryState,
      attempts: d.attempts,
      nextAttemptAt: iso(d.nextAttemptAt),
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      deliveredAt: iso(d.deliveredAt),
      createdAt: d.createdAt.toISOString(),
      log: attempts.map((a) => ({
        at: a.at.toISOString(),
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
        replay: a.replay,
      })),
    };
  }

  function moveDelivery(from: string, action: DeliveryAction): DeliveryState {
    const to = nextDeliveryState(from as DeliveryState, action);
    if (!to) throw new AppError('PARTNER_INVALID_TRANSITION');
    return to;
  }

  async function activeConsent(clientId: string, workerId: string) {
    const now = clock();
    const [c] = await db
      .select()
      .from(partnerConsent)
      .where(
        and(
          eq(partnerConsent.clientId, clientId),
          eq(partnerConsent.workerId, workerId),
          isNull(partnerConsent.revokedAt),
          gte(partnerConsent.expiresAt, now),
        ),
      )
      .orderBy(desc(partnerConsent.expiresAt))
      .limit(1);
    return c && consentState(c, now) === 'active' ? c : null;
  }

  async function requireWorker(ctx: RequestContext) {
    const id = ctx.actor ? await deps.workers.findWorkerIdByUser(ctx.actor.userId) : null;
    if (!id) throw new AppError('NOT_FOUND');
    return id;
  }

  /**
   * Undoes a shadow resident made for a first order that then failed: the link goes, and the account with it unless
   * something already refers to it (a concurrent order of the same external user), in which case the link returns.
   */
  async function dropShadowResident(
    ctx: RequestContext,
    clientId: string,
    externalUserId: string,
    userId: string,
  ) {
    await db
      .delete(partnerResident)
      .where(
        and(
          eq(partnerResident.clientId, clientId),
          eq(partnerResident.externalUserId, externalUserId),
          eq(partnerResident.userId, userId),
        ),
      );
    if (!(await deps.identity.removeAccountIfUnused(ctx, userId)))
      await db
        .insert(partnerResident)
        .values({ clientId, externalUserId, userId, createdAt: clock() })
        .onConflictDoNothing();
  }

  /** The shadow resident standing for a partner's external user (created on first order). */
  async function residentActor(
    client: ClientRow,
    input: PartnerOrderInput,
  ): Promise<{ actor: Actor; userId: string; fresh: boolean }> {
    const [link] = await db
      .select()
      .from(partnerResident)
      .where(
        and(
          eq(partnerResident.clientId, client.id),
          eq(partnerResident.externalUserId, input.externalUserId),
        ),
      );
    let userId = link?.userId;
    const fresh = !userId;
    if (!userId) {
      try {
        // The password is random and never shown: the person can take the account over by SMS code reset.
        userId = await deps.identity.createAccount({
          phone: input.resident.phone,
          password: `${randomBytes(24).toString('base64url')}a1`,
          name: input.resident.name,
          roles: [{ role: 'resident' }],
        });
      } catch (e) {
        if (e instanceof AppError && e.code !== 'PHONE_TAKEN') throw e;
        throw new AppError('PARTNER_RESIDENT_CONFLICT', { cause: e });
      }
      try {
        await db
          .insert(partnerResident)
          .values({ clientId: client.id, externalUserId: input.externalUserId, userId, createdAt: clock() });
      } catch (e) {
        await dropShadowResident(
          systemContext('partners.shadow_resident'),
          client.id,
          input.externalUserId,
          userId,
        );
        throw e;
      }
    }
    return {
      fresh,
      userId,
      actor: {
        userId,
        sessionId: `partner:${client.id}`,
        name: input.resident.name,
        phoneMasked: maskPhone(input.resident.phone),
        roles: ['resident'],
        memberships: [],
        regulatorDistrict: null,
      },
    };
  }

  /** The shadow resident's context for an order this partner created: the orders module's rules see a resident. */
  async function residentContext(
    ctx: RequestContext,
    link: typeof partnerOrder.$inferSelect,
  ): Promise<RequestContext> {
    const [res] = await db
      .select()
      .from(partnerResident)
      .where(
        and(
          eq(partnerResident.clientId, link.clientId),
          eq(partnerResident.externalUserId, link.externalUserId),
        ),
      );
    if (!res) throw new AppError('NOT_FOUND');
    return {
      ...ctx,
      actor: {
        userId: res.userId,
        sessionId: `partner:${link.clientId}`,
        name: '',
        phoneMasked: '',
        roles: ['resident'],
        memberships: [],
        regulatorDistrict: null,
      },
    };
  }

  /** The link of an order this partner created; any other order is 404. */
  async function ownOrder(principal: PartnerPrincipal, orderId: string) {
    const [link] = await db
      .select()
      .from(partnerOrder)
      .where(and(eq(partnerOrder.orderId, orderId), eq(partnerOrder.clientId, principal.clientId)));
    if (!link) throw new AppError('NOT_FOUND');
    return link;
  }

  async function partnerOrderView(ctx: RequestContext, link: typeof partnerOrder.$inferSelect) {
    const o = await deps.orders.get(await residentContext(ctx, link), link.orderId);
    return {
      id: o.id,
      number: o.number,
      state: o.state,
      externalUserId: link.externalUserId,
      externalRef: link.externalRef,
      category: o.category,
      mode: o.mode,
      serviceStart: o.serviceStart,
      serviceEnd: o.serviceEnd,
      totalFen: o.totalFen,
      district: o.district,
      addressMasked: o.addressMasked,
      company: o.company,
      worker: o.worker,
      cancelledBy: o.cancelledBy,
      cancelFeeFen: o.cancelFeeFen,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
    };
  }

  const service = {
    // ---- the key gate -------------------------------------------------------------------------------------

    /**
     * Authenticates `Authorization: Bearer ak_…` or `X-Api-Key`, then checks client status, IP allow-list,
     * scope and the per-key rate limit; counts the request in the day's usage.
     */
    async authenticate(input: {
      authorization: string | undefined;
      apiKey: string | undefined;
      ip: string;
      scope: string;
    }): Promise<PartnerPrincipal> {
      const bearer = input.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const secret = bearer ?? input.apiKey;
      if (!secret) throw new AppError('PARTNER_KEY_MISSING');
      if (!KEY_PATTERN.test(secret)) throw new AppError('PARTNER_KEY_INVALID');
      // Keys are never stored, so a crypto-profile switch cannot rehash them: either profile's hash matches.
      const hashes = pii.anyProfileIndexes(secret, KEY_HASH_PURPOSE);
      const [k] = await db.select().from(partnerApiKey).where(inArray(partnerApiKey.keyHash, hashes));
      // The lookup is by a keyed hash; the comparison after it is constant-time all the same.
      if (!k || !hashes.some((h) => timingSafeEqual(Buffer.from(k.keyHash), Buffer.from(h))))
        throw new AppError('PARTNER_KEY_INVALID');
      const now = clock();
      const state = keyState(k, now);
      if (state === 'revoked') throw new AppError('PARTNER_KEY_REVOKED');
      if (state === 'expired') throw new AppError('PARTNER_KEY_EXPIRED');
      const client = await loadClient(k.clientId);
      const principal = {
        clientId: client.id,
        keyId: k.id,
        scopes: client.scopes,
        rateLimitPerMinute: client.rateLimitPerMinute,
      };
      try {
        if (client.status !== 'active') throw new AppError('PARTNER_CLIENT_SUSPENDED');
        if (!ipAllowed(client.ipAllowlist, input.ip)) throw new AppError('PARTNER_IP_NOT_ALLOWED');
        if (!client.scopes.includes(input.scope)) throw new AppError('PARTNER_SCOPE_MISSING');
        takeToken(k.id, client.rateLimitPerMinute);
      } catch (e) {
        await countUsage(principal, true);
        throw e;
      }
      await countUsage(principal, false);
      await db.update(partnerApiKey).set({ lastUsedAt: now }).where(eq(partnerApiKey.id, k.id));
      return principal;
    },

    // ---- admin: clients and keys -------------------------------------------------------------------------

    /** Registers a partner client with its first key; the key's secret is in the answer and nowhere else. */
    async createClient(
      ctx: RequestContext,
      input: ClientInput & { keyLabel?: string | undefined; keyExpiresInDays?: number | undefined },
      opts: { sandbox?: boolean; devSecret?: string } = {},
    ) {
      requireAdmin(ctx);
      const now = clock();
      const id = newId('ptc');
      if (opts.devSecret !== undefined && !KEY_PATTERN.test(opts.devSecret))
        throw new AppError('VALIDATION_FAILED');
      const { secret, row } = await mintKey(
        id,
        input.keyLabel ?? '默认密钥',
        keyExpiry(input.keyExpiresInDays),
        opts.devSecret,
      );
      await db.transaction(async (tx) => {
        await tx.insert(partnerClient).values({
          id,
          name: input.name,
          organization: input.organization,
          contactName: input.contactName,
          contactPhoneEnc: pii.encrypt(input.contactPhone, PHONE_AAD),
          scopes: [...new Set(input.scopes)],
          ipAllowlist: input.ipAllowlist,
          rateLimitPerMinute: input.rateLimitPerMinute,
          status: 'active',
          sandbox: opts.sandbox ?? false,
          createdBy: ctx.actor?.userId ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await tx.insert(partnerApiKey).values(row);
        await recordAudit(tx, ctx, {
          action: 'partner.client_created',
          objectType: 'partner_client',
          objectId: id,
          detail: { scopes: input.scopes, keyId: row.id },
        });
      });
      return { client: clientView(await loadClient(id)), key: { ...keyView(row, now), secret } };
    },

    /** Partner clients, newest first. */
    async listClients(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      requireAdmin(ctx);
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(partnerClient)
        .where(after ? lt(partnerClient.id, after.id) : undefined)
        .orderBy(desc(partnerClient.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return { items: page.items.map(clientView), nextCursor: page.nextCursor };
    },

    /** One client with its keys, webhooks and the last 30 days of usage. */
    async getClient(ctx: RequestContext, id: string) {
      requireAdmin(ctx);
      const c = await loadClient(id);
      const now = clock();
      const keys = await db
        .select()
        .from(partnerApiKey)
        .where(eq(partnerApiKey.clientId, id))
        .orderBy(desc(partnerApiKey.id));
      const hooks = await db
        .select()
        .from(partnerWebhook)
        .where(eq(partnerWebhook.clientId, id))
        .orderBy(desc(partnerWebhook.id));
      const since = shanghaiDay(new Date(now.getTime() - 29 * 86_400_000));
      const usage = await db
        .select({
          day: partnerUsage.day,
          requests: sql<number>`sum(${partnerUsage.requests})::int`,
          refused: sql<number>`sum(${partnerUsage.refused})::int`,
        })
        .from(partnerUsage)
        .where(and(eq(partnerUsage.clientId, id), gte(partnerUsage.day, since)))
        .groupBy(partnerUsage.day)
        .orderBy(partnerUsage.day);
      return {
        ...clientView(c),
        keys: keys.map((k) => keyView(k, now)),
        webhooks: hooks.map((h) => ({
          id: h.id,
          url: h.url,
          events: h.events as WebhookEvent[],
          active: h.active,
          createdAt: h.createdAt.toISOString(),
        })),
        usage,
      };
    },

    /** Changes scopes, IP allow-list, limit or contact; takes effect on the next request. */
    async updateClient(ctx: RequestContext, id: string, input: Partial<ClientInput>) {
      requireAdmin(ctx);
      await loadClient(id);
      await db.transaction(async (tx) => {
        await tx
          .update(partnerClient)
          .set({
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.organization !== undefined ? { organization: input.organization } : {}),
            ...(input.contactName !== undefined ? { contactName: input.contactName } : {}),
            ...(input.contactPhone !== undefined
              ? { contactPhoneEnc: pii.encrypt(input.contactPhone, PHONE_AAD) }
              : {}),
            ...(input.scopes !== undefined ? { scopes: [...new Set(input.scopes)] } : {}),
            ...(input.ipAllowlist !== undefined ? { ipAllowlist: input.ipAllowlist } : {}),
            ...(input.rateLimitPerMinute !== undefined
              ? { rateLimitPerMinute: input.rateLimitPerMinute }
              : {}),
            updatedAt: clock(),
          })
          .where(eq(partnerClient.id, id));
        await recordAudit(tx, ctx, {
          action: 'partner.client_updated',
          objectType: 'partner_client',
          objectId: id,
          detail: { fields: Object.keys(input) },
        });
      });
      return service.getClient(ctx, id);
    },

    /** Suspends or reactivates a client (client-status.ts). */
    async changeClientStatus(ctx: RequestContext, id: string, action: ClientAction) {
      requireAdmin(ctx);
      await db.transaction(async (tx) => {
        const [c] = await tx.select().from(partnerClient).where(eq(partnerClient.id, id)).for('update');
        if (!c) throw new AppError('NOT_FOUND');
        const to = nextClientState(c.status as 'active' | 'suspended', action);
        if (!to) throw new AppError('PARTNER_INVALID_TRANSITION');
        await tx
          .update(partnerClient)
          .set({ status: to, updatedAt: clock() })
          .where(eq(partnerClient.id, id));
        await recordAudit(tx, ctx, {
          action: `partner.client_${action === 'suspend' ? 'suspended' : 'reactivated'}`,
          objectType: 'partner_client',
          objectId: id,
        });
      });
      return service.getClient(ctx, id);
    },

    /**
     * Issues a new key; with `rotateKeyId` the old key stays valid for `overlapHours` (default 24) and then
     * expires, so the partner can switch without downtime.
     */
    async issueKey(
      ctx: RequestContext,
      clientId: string,
      input: {
        label: string;
        expiresInDays?: number | undefined;
        rotateKeyId?: string | undefined;
        overlapHours?: number | undefined;
      },
    ) {
      requireAdmin(ctx);
      await loadClient(clientId);
      const now = clock();
      const { secret, row } = await mintKey(clientId, input.label, keyExpiry(input.expiresInDays));
      await db.transaction(async (tx) => {
        if (input.rotateKeyId) {
          const [old] = await tx
            .select()
            .from(partnerApiKey)
            .where(and(eq(partnerApiKey.id, input.rotateKeyId), eq(partnerApiKey.clientId, clientId)))
            .for('update');
          if (!old) throw new AppError('NOT_FOUND');
          if (keyState(old, now) !== 'active') throw new AppError('PARTNER_INVALID_TRANSITION');
          const until = new Date(now.getTime() + (input.overlapHours ?? 24) * 3600_000);
          await tx
            .update(partnerApiKey)
            .set({ replacedBy: row.id, expiresAt: until < old.expiresAt ? until : old.expiresAt })
            .where(eq(partnerApiKey.id, old.id));
        }
        await tx.insert(partnerApiKey).values(row);
        await recordAudit(tx, ctx, {
          action: input.rotateKeyId ? 'partner.key_rotated' : 'partner.key_issued',
          objectType: 'partner_client',
          objectId: clientId,
          detail: { keyId: row.id, replaces: input.rotateKeyId ?? null },
        });
      });
      return { ...keyView(row, now), secret };
    },

    /** Revokes a key at once; revoking a revoked or expired key is a 409. */
    async revokeKey(ctx: RequestContext, clientId: string, keyId: string) {
      requireAdmin(ctx);
      const now = clock();
      return db.transaction(async (tx) => {
        const [k] = await tx
          .select()
          .from(partnerApiKey)
          .where(and(eq(partnerApiKey.id, keyId), eq(partnerApiKey.clientId, clientId)))
          .for('update');
        if (!k) throw new AppError('NOT_FOUND');
        const st = keyState(k, now);
        if (st === 'revoked' || st === 'expired') throw new AppError('PARTNER_INVALID_TRANSITION');
        const [done] = await tx
          .update(partnerApiKey)
          .set({ revokedAt: now })
          .where(eq(partnerApiKey.id, keyId))
          .returning();
        await recordAudit(tx, ctx, {
          action: 'partner.key_revoked',
          objectType: 'partner_client',
          objectId: clientId,
          detail: { keyId },
        });
        return keyView(done!, now);
      });
    },

    // ---- admin: webhooks -----------------------------------------------------------------------------------

    /** Subscribes a client's URL to events; the signing secret is returned once. */
    async createWebhook(
      ctx: RequestContext,
      clientId: string,
      input: { url: string; events: WebhookEvent[] },
    ) {
      requireAdmin(ctx);
      await loadClient(clientId);
      const check = await checkWebhookUrl(input.url, {
        allowPrivate: deps.allowPrivateWebhooks,
        ...(deps.resolveHost ? { resolve: deps.resolveHost } : {}),
      });
      if (!check.ok)
        throw new AppError('PARTNER_WEBHOOK_URL_REFUSED', {
          issues: [{ path: 'url', message: check.reason }],
        });
      if (!deps.egress.allows(check.url))
        throw new AppError('PARTNER_WEBHOOK_URL_REFUSED', {
          zh: '回调地址的主机不在出站白名单（OUTBOUND_ALLOW_HOSTS）内',
          en: 'The webhook host is not on the outbound allow-list (OUTBOUND_ALLOW_HOSTS)',
          issues: [{ path: 'url', message: 'host is not on the outbound allow-list (OUTBOUND_ALLOW_HOSTS)' }],
        });
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const id = newId('pws');
      await db.transaction(async (tx) => {
        await tx.insert(partnerWebhook).values({
          id,
          clientId,
          url: check.url.toString(),
          events: [...new Set(input.events)],
          secretEnc: pii.encrypt(secret, SECRET_AAD),
          active: true,
          createdAt: clock(),
        });
        await recordAudit(tx, ctx, {
          action: 'partner.webhook_created',
          objectType: 'partner_client',
          objectId: clientId,
          detail: { webhookId: id, events: input.events },
        });
      });
      return { id, url: check.url.toString(), events: input.events, active: true, secret };
    },

    /** Turns a subscription off (kept for its delivery log). */
    async deactivateWebhook(ctx: RequestContext, clientId: string, webhookId: string) {
      requireAdmin(ctx);
      await db.transaction(async (tx) => {
        const [h] = await tx
          .update(partnerWebhook)
          .set({ active: false })
          .where(and(eq(partnerWebhook.id, webhookId), eq(partnerWebhook.clientId, clientId)))
          .returning();
        if (!h) throw new AppError('NOT_FOUND');
        await recordAudit(tx, ctx, {
          action: 'partner.webhook_deactivated',
          objectType: 'partner_client',
          objectId: clientId,
          detail: { webhookId },
        });
      });
    },

    /** A client's deliveries, newest first, with each one's recent attempts. */
    async listDeliveries(
      ctx: RequestContext,
      clientId: string,
      q: { cursor?: string | undefined; limit: number; status?: DeliveryState | undefined },
    ) {
      requireAdmin(ctx);
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(partnerDelivery)
        .where(
          and(
            eq(partnerDelivery.clientId, clientId),
            q.status ? eq(partnerDelivery.status, q.status) : undefined,
            after ? lt(partnerDelivery.id, after.id) : undefined,
          ),
        )
        .orderBy(desc(partnerDelivery.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return { items: await Promise.all(page.items.map(deliveryView)), nextCursor: page.nextCursor };
    },

    /** Sends a delivered or given-up delivery again (same event id and body, new signature). */
    async replayDelivery(ctx: RequestContext, clientId: string, deliveryId: string) {
      requireAdmin(ctx);
      await db.transaction(async (tx) => {
        const [d] = await tx
          .select()
          .from(partnerDelivery)
          .where(and(eq(partnerDelivery.id, deliveryId), eq(partnerDelivery.clientId, clientId)))
          .for('update');
        if (!d) throw new AppError('NOT_FOUND');
        const to = moveDelivery(d.status, 'replay');
        await tx
          .update(partnerDelivery)
          .set({ status: to, attempts: 0, nextAttemptAt: clock() })
          .where(eq(partnerDelivery.id, d.id));
        await recordAudit(tx, ctx, {
          action: 'partner.delivery_replayed',
          objectType: 'partner_client',
          objectId: clientId,
          detail: { deliveryId },
        });
      });
      await service.attemptDelivery(deliveryId, { replay: true });
      const [d] = await db.select().from(partnerDelivery).where(eq(partnerDelivery.id, deliveryId));
      return deliveryView(d!);
    },

    // ---- webhooks: enqueue and deliver ---------------------------------------------------------------------

    /**
     * Outbox reaction: one delivery row per active subscription to the event's public name (idempotent on the
     * event id). Order events go only to the partner that created the order. Returns the new delivery ids.
     */
    async onEvent(topic: string, payload: Record<string, unknown>, meta: Pick<OutboxEventMeta, 'id'>) {
      const event = publicEventOf(topic);
      if (!event) return [];
      let hooks = await db
        .select()
        .from(partnerWebhook)
        .innerJoin(partnerClient, eq(partnerClient.id, partnerWebhook.clientId))
        .where(
          and(
            eq(partnerWebhook.active, true),
            eq(partnerClient.status, 'active'),
            sql`${event} = any(${partnerWebhook.events})`,
          ),
        );
      if (event === 'order.status_changed') {
        const orderId = typeof payload.orderId === 'string' ? payload.orderId : '';
        const [link] = await db.select().from(partnerOrder).where(eq(partnerOrder.orderId, orderId));
        hooks = link ? hooks.filter((h) => h.partner_client.id === link.clientId) : [];
      }
      if (!hooks.length) return [];
      const body = publicPayload(event, topic, payload);
      const rows = hooks.map((h) => ({
        id: newId('pwd'),
        webhookId: h.partner_webhook.id,
        clientId: h.partner_client.id,
        eventId: meta.id,
        eventType: event,
        payload: body,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: clock(),
        createdAt: clock(),
      }));
      const inserted = await db
        .insert(partnerDelivery)
        .values(rows)
        .onConflictDoNothing()
        .returning({ id: partnerDelivery.id });
      return inserted.map((r) => r.id);
    },

    /**
     * One attempt: re-checks the URL (SSRF guard at send time), signs `t.body`, POSTs with a timeout and logs
     * the attempt. A failure schedules the next try with exponential backoff, or gives up after the last one.
     * Returns whether the receiver answered 2xx.
     */
    async attemptDelivery(deliveryId: string, opts: { replay?: boolean } = {}): Promise<boolean> {
      // Claim the attempt with a one-minute lease, so the immediate job and the sweep never send it twice at once.
      const now = clock();
      const claimed = await db
        .update(partnerDelivery)
        .set({ nextAttemptAt: new Date(now.getTime() + 60_000) })
        .where(
          and(
            eq(partnerDelivery.id, deliveryId),
            inArray(partnerDelivery.status, ['pending', 'retrying']),
            or(isNull(partnerDelivery.nextAttemptAt), lte(partnerDelivery.nextAttemptAt, now)),
          ),
        )
        .returning({ id: partnerDelivery.id });
      if (!claimed.length) return false;
      const [row] = await db
        .select()
        .from(partnerDelivery)
        .innerJoin(partnerWebhook, eq(partnerWebhook.id, partnerDelivery.webhookId))
        .where(eq(partnerDelivery.id, deliveryId));
      if (!row) return false;
      const d = row.partner_delivery;
      const started = clock();
      const t0 = performance.now();
      const body = JSON.stringify({
        id: d.eventId,
        type: d.eventType,
        createdAt: d.createdAt.toISOString(),
        data: d.payload,
      });
      let statusCode: number | null = null;
      let error: string | null = null;
      const check = await checkWebhookUrl(row.partner_webhook.url, {
        allowPrivate: deps.allowPrivateWebhooks,
        ...(deps.resolveHost ? { resolve: deps.resolveHost } : {}),
      });
      if (!check.ok) error = `refused: ${check.reason}`;
      // The list may have changed since the subscription: refused before any connection (egress checks again).
      else if (!deps.egress.allows(check.url)) error = 'refused: host not on the outbound allow-list';
      else {
        const secret = pii.decrypt(row.partner_webhook.secretEnc, SECRET_AAD);
        const ts = Math.floor(started.getTime() / 1000);
        try {
          const res = await deps.egress.fetch(check.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Anxin-Webhooks/1',
              'anxin-event-id': d.eventId,
              'anxin-event-type': d.eventType,
              [SIGNATURE_HEADER]: signPayload(secret, body, ts),
            },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
          });
          statusCode = res.status;
          await res.body?.cancel().catch(() => undefined);
          if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
        } catch (e) {
          error =
            e instanceof Error ? (e.name === 'TimeoutError' ? 'timeout' : e.message).slice(0, 200) : 'failed';
        }
      }
      const ok = error === null;
      const attempts = d.attempts + 1;
      const action: DeliveryAction = ok ? 'succeed' : attempts >= MAX_DELIVERY_ATTEMPTS ? 'give_up' : 'fail';
      const to = moveDelivery(d.status, action);
      await db.transaction(async (tx) => {
        await tx.insert(partnerDeliveryAttempt).values({
          deliveryId: d.id,
          at: started,
          statusCode,
          error,
          durationMs: Math.round(performance.now() - t0),
          replay: !!opts.replay,
        });
        await tx
          .update(partnerDelivery)
          .set({
            status: to,
            attempts,
            lastStatusCode: statusCode,
            lastError: error,
            deliveredAt: ok ? started : null,
            nextAttemptAt: to === 'retrying' ? new Date(started.getTime() + retryDelayMs(attempts)) : null,
          })
          .where(eq(partnerDelivery.id, d.id));
      });
      return ok;
    },

    /** Deliveries whose next attempt is due (pending or retrying), oldest first; for the delivery job. */
    async dueDeliveries(limit = 50): Promise<string[]> {
      const rows = await db
        .select({ id: partnerDelivery.id })
        .from(partnerDelivery)
        .where(
          and(
            inArray(partnerDelivery.status, ['pending', 'retrying']),
            or(isNull(partnerDelivery.nextAttemptAt), lte(partnerDelivery.nextAttemptAt, clock())),
          ),
        )
        .orderBy(partnerDelivery.nextAttemptAt)
        .limit(limit);
      return rows.map((r) => r.id);
    },

    // ---- worker: consent grants ----------------------------------------------------------------------------

    /** Active partner clients a worker may grant access to (name and organization only). */
    async grantablePartners() {
      const rows = await db
        .select()
        .from(partnerClient)
        .where(and(eq(partnerClient.status, 'active'), sql`'workers:read' = any(${partnerClient.scopes})`))
        .orderBy(partnerClient.name);
      return rows.map((c) => ({ id: c.id, name: c.name, organization: c.organization }));
    },

    /** The worker grants one partner client access to their record for a number of days. */
    async grantConsent(
      ctx: RequestContext,
      input: { clientId: string; scope: 'basic' | 'full'; days: number },
    ) {
      const workerId = await requireWorker(ctx);
      const c = await loadClient(input.clientId);
      if (c.status !== 'active' || !c.scopes.includes('workers:read')) throw new AppError('NOT_FOUND');
      const now = clock();
      const id = newId('pcg');
      await db.transaction(async (tx) => {
        await tx.insert(partnerConsent).values({
          id,
          workerId,
          clientId: c.id,
          scope: input.scope,
          expiresAt: new Date(now.getTime() + input.days * 86_400_000),
          createdBy: ctx.actor!.userId,
          createdAt: now,
        });
        await recordAudit(tx, ctx, {
          action: 'partner.consent_granted',
          objectType: 'worker',
          objectId: workerId,
          detail: { consentId: id, clientId: c.id, scope: input.scope, days: input.days },
        });
      });
      return (await service.myConsents(ctx)).find((g) => g.id === id)!;
    },

    /** The worker's grants to partner systems, newest first. */
    async myConsents(ctx: RequestContext) {
      const workerId = await requireWorker(ctx);
      const now = clock();
      const rows = await db
        .select()
        .from(partnerConsent)
        .innerJoin(partnerClient, eq(partnerClient.id, partnerConsent.clientId))
        .where(eq(partnerConsent.workerId, workerId))
        .orderBy(desc(partnerConsent.id))
        .limit(100);
      return rows.map(({ partner_consent: g, partner_client: c }) => ({
        id: g.id,
        partner: { id: c.id, name: c.name, organization: c.organization },
        scope: g.scope as 'basic' | 'full',
        state: consentState(g, now),
        expiresAt: g.expiresAt.toISOString(),
        revokedAt: iso(g.revokedAt),
        createdAt: g.createdAt.toISOString(),
      }));
    },

    /** Revokes a grant at once (revoking twice keeps the first time). */
    async revokeConsent(ctx: RequestContext, consentId: string) {
      const workerId = await requireWorker(ctx);
      await db.transaction(async (tx) => {
        const [g] = await tx
          .select()
          .from(partnerConsent)
          .where(and(eq(partnerConsent.id, consentId), eq(partnerConsent.workerId, workerId)))
          .for('update');
        if (!g) throw new AppError('NOT_FOUND');
        if (g.revokedAt) return;
        await tx.update(partnerConsent).set({ revokedAt: clock() }).where(eq(partnerConsent.id, g.id));
        await recordAudit(tx, ctx, {
          action: 'partner.consent_revoked',
          objectType: 'worker',
          objectId: workerId,
          detail: { consentId, clientId: g.clientId },
        });
      });
      return (await service.myConsents(ctx)).find((g) => g.id === consentId)!;
    },

    // ---- partner API -----------------------------------------------------------------------------------------

    /** Certificate facts by number (check character verified) or QR token; unknown is 404. */
    async verifyCertificate(q: { number?: string | undefined; token?: string | undefined }) {
      if (q.number) return deps.certification.verifyNumber(q.number);
      const v = q.token ? await deps.certification.verifyToken(q.token) : null;
      if (!v) throw new AppError('NOT_FOUND');
      return v;
    },

    /** A company's status and credit grade (expelled and suspended companies answer too, with their status). */
    async companyStatus(companyId: string) {
      const o = await deps.orgs.getOrganization(companyId);
      if (o?.type !== 'company' || o.status === 'pending') throw new AppError('NOT_FOUND');
      return {
        id: o.id,
        name: o.name,
        status: o.status as 'active' | 'suspended' | 'expelled',
        district: o.district,
        creditGrade: o.creditGrade,
        serviceCategories: o.serviceCategories,
      };
    },

    /** Public statistics: active companies by credit grade, certificates by state. */
    async statistics() {
      const companies = await deps.orgs.activeCompanyCounts();
      const certificates = await deps.certification.certificateCounts();
      return {
        asOf: clock().toISOString(),
        activeCompanies: companies.reduce((s, r) => s + r.n, 0),
        companiesByCreditGrade: companies.map((r) => ({ grade: r.creditGrade, count: r.n })),
        certificatesByState: certificates.map((r) => ({ state: r.state, count: r.n })),
      };
    },

    /** A worker's record for a partner holding the worker's active consent; the read is in the worker's access log. */
    async workerRecord(ctx: RequestContext, principal: PartnerPrincipal, workerId: string) {
      const grant = await activeConsent(principal.clientId, workerId);
      if (!grant) {
        await recordAudit(db, ctx, {
          action: 'partner.worker_read_refused',
          objectType: 'worker',
          objectId: workerId,
          outcome: 'denied',
          detail: { clientId: principal.clientId },
        });
        throw new AppError('PARTNER_CONSENT_REQUIRED');
      }
      const c = await loadClient(principal.clientId);
      const file = await deps.efile.fileForPartner(ctx, workerId, {
        consentId: grant.id,
        scope: grant.scope as 'basic' | 'full',
        expiresAt: grant.expiresAt,
        partnerName: c.organization,
      });
      return {
        ...file,
        consent: { id: grant.id, scope: grant.scope, expiresAt: grant.expiresAt.toISOString() },
      };
    },

    /** Books on behalf of the partner's resident (shadow account per external user id). */
    async createOrder(ctx: RequestContext, principal: PartnerPrincipal, input: PartnerOrderInput) {
      const client = await loadClient(principal.clientId);
      // Checked before a shadow account is made, so a bad price item stores nothing.
      const item = await deps.catalog.priceForOrder(input.priceItemId);
      if (!item || item.mode !== input.schedule.mode) throw new AppError('ORDER_PRICE_ITEM_INVALID');
      const { actor, userId, fresh } = await residentActor(client, input);
      let created: Awaited<ReturnType<PartnersDeps['orders']['create']>>;
      try {
        created = await deps.orders.create(
          { ...ctx, actor },
          {
            priceItemId: input.priceItemId,
            workerId: input.workerId ?? null,
            schedule: input.schedule,
            address: input.address,
            district: input.district,
            note: input.note ?? null,
          },
        );
      } catch (e) {
        // The account is made outside the order's transaction (better-auth owns sign-up): a refused first order
        // must not leave a resident account behind with the person's name and mobile.
        if (fresh) await dropShadowResident(ctx, client.id, input.externalUserId, userId);
        throw e;
      }
      const link = {
        id: newId('pto'),
        clientId: client.id,
        orderId: created.id,
        externalUserId: input.externalUserId,
        externalRef: input.externalRef ?? null,
        createdAt: clock(),
      };
      await db.transaction(async (tx) => {
        await tx.insert(partnerOrder).values(link);
        await recordAudit(tx, ctx, {
          action: 'partner.order_created',
          objectType: 'order',
          objectId: created.id,
          detail: { clientId: client.id },
        });
      });
      return partnerOrderView(ctx, link);
    },

    /** One order this partner created; any other order is 404. */
    async getOrder(ctx: RequestContext, principal: PartnerPrincipal, orderId: string) {
      return partnerOrderView(ctx, await ownOrder(principal, orderId));
    },

    /**
     * Cancels an order this partner created, as its resident cancelling in the app would: the orders module's
     * transition table decides the states it may leave, and its fee rule the cancellation fee.
     */
    async cancelOrder(
      ctx: RequestContext,
      principal: PartnerPrincipal,
      orderId: string,
      input: { reason: string },
    ) {
      const link = await ownOrder(principal, orderId);
      await deps.orders.cancel(await residentContext(ctx, link), orderId, input);
      await recordAudit(db, ctx, {
        action: 'partner.order_cancelled',
        objectType: 'order',
        objectId: orderId,
        detail: { clientId: principal.clientId },
      });
      return partnerOrderView(ctx, link);
    },

    /** Orders this partner created, newest first. */
    async listOrders(
      ctx: RequestContext,
      principal: PartnerPrincipal,
      q: { cursor?: string | undefined; limit: number; externalUserId?: string | undefined },
    ) {
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(partnerOrder)
        .where(
          and(
            eq(partnerOrder.clientId, principal.clientId),
            q.externalUserId ? eq(partnerOrder.externalUserId, q.externalUserId) : undefined,
            after ? lt(partnerOrder.id, after.id) : undefined,
          ),
        )
        .orderBy(desc(partnerOrder.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      return {
        items: await Promise.all(page.items.map((l) => partnerOrderView(ctx, l))),
        nextCursor: page.nextCursor,
      };
    },
  };
  return service;
}

export type PartnersService = ReturnType<typeof createPartnersService>;
