import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { orderStates } from '../../../shared/orders.js';
import { contextOf } from '../../platform/http/context.js';
import { sharedCertificateView, sharedWorkerView } from '../efile/index.js';
import { deliveryStates } from './delivery-status.js';
import { partnerScopes, webhookEventNames } from './partner-scopes.js';
import type { PartnersService } from './partners.service.js';

/** The partner API's own prefix: versioned apart from the app API, authenticated by API key only. */
export const PARTNER_PREFIX = '/api/partner/v1';

const id = z.string().min(1).max(64);
const ts = z.string().describe('UTC, ISO 8601');
const day = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const text = (max: number) => z.string().trim().min(1).max(max);
const listQuery = {
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
const mobile = z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number');
const ipEntry = z
  .string()
  .regex(
    /^(\d{1,3}\.){3}\d{1,3}(\/([0-9]|[12][0-9]|3[0-2]))?$|^[0-9a-fA-F:]+$/,
    'an IP address or IPv4 CIDR',
  );

// Error responses (problem+json, one example per code) are added centrally: platform/openapi/openapi.ts.
const security: { [label: string]: string[] }[] = [{ partnerBearer: [] }, { partnerApiKey: [] }];
const partnerTags = ['partner API'];

const verification = z
  .object({
    number: z.string(),
    maskedName: z.string(),
    color: z.string().describe('green | yellow | red (安心码 colour, computed now)'),
    colorLabel: z.string(),
    reason: z.string(),
    reasonLabel: z.string(),
    state: z.string().describe('active | suspended | revoked | expired'),
    validFrom: z.string(),
    validUntil: z.string(),
    categories: z.array(z.object({ code: z.string(), label: z.string() })),
    skillLevel: z.object({ code: z.string(), label: z.string() }).nullable(),
    company: z.object({ name: z.string(), creditGrade: z.string().nullable() }).nullable(),
    healthValidUntil: z.string().nullable(),
    trainingPassed: z.boolean(),
    backgroundPassed: z.boolean(),
    backgroundCheckedOn: z.string().nullable(),
    insurance: z.object({ status: z.enum(['insured', 'none']), label: z.string() }),
    creditStars: z.number().nullable(),
  })
  .meta({
    examples: [
      {
        number: 'AX4401062026000123K',
        maskedName: '王*',
        color: 'green',
        colorLabel: '绿码',
        reason: 'ok',
        reasonLabel: '核验通过',
        state: 'active',
        validFrom: '2026-03-01T00:00:00.000Z',
        validUntil: '2027-02-28T16:00:00.000Z',
        categories: [{ code: 'maternity', label: '母婴护理（月嫂）' }],
        skillLevel: { code: 'senior', label: '高级' },
        company: { name: '广州安心家政服务有限公司', creditGrade: 'AAAA' },
        healthValidUntil: '2026-12-31',
        trainingPassed: true,
        backgroundPassed: true,
        backgroundCheckedOn: '2026-02-20',
        insurance: { status: 'insured', label: '已投保' },
        creditStars: 5,
      },
    ],
  });

const companyStatus = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['active', 'suspended', 'expelled']),
    district: z.string().nullable(),
    creditGrade: z.string().nullable().describe('5A … A (AAAAA … A); null until rated'),
    serviceCategories: z.array(z.string()),
  })
  .meta({
    examples: [
      {
        id: 'org_01kb2x0p9q3m4n5r6s7t8v9w0x',
        name: '广州安心家政服务有限公司',
        status: 'active',
        district: '440106',
        creditGrade: 'AAAA',
        serviceCategories: ['maternity', 'cleaning'],
      },
    ],
  });

const statistics = z.object({
  asOf: ts,
  activeCompanies: z.number().int(),
  companiesByCreditGrade: z.array(z.object({ grade: z.string().nullable(), count: z.number().int() })),
  certificatesByState: z.array(z.object({ state: z.string(), count: z.number().int() })),
});

const scheduleSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('hourly'),
    startAt: z.iso.datetime({ offset: true }).describe('Start of the visit, on a quarter hour'),
    hours: z.number().int().min(1).max(12),
  }),
  z.strictObject({
    mode: z.literal('recurring'),
    startDate: day,
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).describe('ISO weekdays, 1 = Monday'),
    startTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .describe('HH:MM, Asia/Shanghai'),
    hours: z.number().int().min(1).max(8),
    weeks: z.number().int().min(1).max(12),
  }),
  z.strictObject({ mode: z.literal('day_care'), startDate: day, months: z.number().int().min(1).max(24) }),
  z.strictObject({ mode: z.literal('live_in'), startDate: day, months: z.number().int().min(1).max(24) }),
  z.strictObject({ mode: z.literal('maternity'), dueDate: day, stars: z.number().int().min(1).max(6) }),
]);

const orderBody = z
  .strictObject({
    externalUserId: text(64).describe("The resident's id on the partner platform"),
    externalRef: text(64).nullish().describe("The partner's own order reference, echoed back"),
    resident: z.strictObject({ name: text(40), phone: mobile }),
    priceItemId: id.describe('A company price item (discover them on the public app API)'),
    workerId: id.nullish(),
    schedule: scheduleSchema,
    address: text(200),
    district: z.string().regex(/^\d{6}$/, 'GB/T 2260 district code'),
    note: z.string().trim().max(500).nullish(),
  })
  .meta({
    examples: [
      {
        externalUserId: 'gz-gov-u-100233',
        externalRef: 'GZ20260301-0001',
        resident: { name: '陈美玲', phone: '13800138000' },
        priceItemId: 'svi_01kb2x0p9q3m4n5r6s7t8v9w0x',
        schedule: { mode: 'hourly', startAt: '2026-03-02T09:00:00+08:00', hours: 3 },
        address: '广州市天河区体育西路 100 号 1203 房',
        district: '440106',
        note: '家有宠物',
      },
    ],
  });
const party = z.object({ id: z.string(), name: z.string() });
const partnerOrder = z.object({
  id: z.string(),
  number: z.string(),
  state: z.enum(orderStates),
  externalUserId: z.string(),
  externalRef: z.string().nullable(),
  category: z.string(),
  mode: z.string(),
  serviceStart: ts,
  serviceEnd: ts,
  totalFen: z.number().int().describe('Money in fen (分)'),
  district: z.string(),
  addressMasked: z.string(),
  company: party,
  worker: party.nullable(),
  cancelledBy: z.string().nullable().describe('resident | company | system, once cancelled'),
  cancelFeeFen: z
    .number()
    .int()
    .nullable()
    .describe('The cancellation fee in fen (分), by the orders fee rule'),
  createdAt: ts,
  updatedAt: ts,
});

const workerRecord = z.object({
  scope: z.enum(['basic', 'full']),
  expiresAt: z.string().nullable(),
  consent: z.object({ id: z.string(), scope: z.string(), expiresAt: ts }),
  worker: sharedWorkerView,
  health: z.object({ state: z.string(), validUntil: z.string().nullable() }),
  trainingPassed: z.boolean(),
  background: z.object({ passed: z.boolean(), checkedOn: z.string().nullable() }),
  certificate: sharedCertificateView,
  training: z
    .array(z.object({ courseName: z.string(), passed: z.boolean(), examDate: z.string() }))
    .nullable(),
  employment: z
    .array(
      z.object({ companyName: z.string().nullable(), startedAt: z.string(), endedAt: z.string().nullable() }),
    )
    .nullable(),
});

// ---- admin and worker shapes ----------------------------------------------------------------------------------

const scope = z.enum(partnerScopes);
const event = z.enum(webhookEventNames as [string, ...string[]]);
const client = z.object({
  id: z.string(),
  name: z.string(),
  organization: z.string(),
  contactName: z.string(),
  contactPhoneMasked: z.string(),
  scopes: z.array(scope),
  ipAllowlist: z.array(z.string()),
  rateLimitPerMinute: z.number().int(),
  status: z.enum(['active', 'suspended']),
  sandbox: z.boolean(),
  createdAt: ts,
});
const key = z.object({
  id: z.string(),
  prefix: z.string(),
  label: z.string(),
  state: z.enum(['active', 'rotating', 'expired', 'revoked']),
  expiresAt: ts,
  revokedAt: ts.nullable(),
  replacedBy: z.string().nullable(),
  lastUsedAt: ts.nullable(),
  createdAt: ts,
});
const keyWithSecret = key.extend({ secret: z.string().describe('Shown once; only a keyed hash is stored') });
const webhook = z.object({ id: z.string(), url: z.string(), events: z.array(event), active: z.boolean() });
const clientDetail = client.extend({
  keys: z.array(key),
  webhooks: z.array(webhook.extend({ createdAt: ts })),
  usage: z.array(z.object({ day: z.string(), requests: z.number().int(), refused: z.number().int() })),
});
const delivery = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  eventType: event,
  status: z.enum(deliveryStates),
  attempts: z.number().int(),
  nextAttemptAt: ts.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: ts.nullable(),
  createdAt: ts,
  log: z.array(
    z.object({
      at: ts,
      statusCode: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
      replay: z.boolean(),
    }),
  ),
});
const clientFields = {
  name: text(100),
  organization: text(100),
  contactName: text(40),
  contactPhone: mobile,
  scopes: z.array(scope).min(1).max(partnerScopes.length),
  ipAllowlist: z.array(ipEntry).max(50),
  rateLimitPerMinute: z.number().int().min(1).max(10_000),
};
const consent = z.object({
  id: z.string(),
  partner: z.object({ id: z.string(), name: z.string(), organization: z.string() }),
  scope: z.enum(['basic', 'full']),
  state: z.enum(['active', 'expired', 'revoked']),
  expiresAt: ts,
  revokedAt: ts.nullable(),
  createdAt: ts,
});

const admin = { authz: { roles: ['platform_admin'] as const } };
const workerOnly = { authz: { roles: ['worker'] as const } };
const adminTags = ['partners (admin)'];

/** Admin management of partner clients and the worker's consent grants, under the app API. */
export function partnersRoutes(svc: PartnersService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const clientParam = z.strictObject({ id });

    r.get('/admin/partners', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'List partner clients',
        querystring: z.strictObject(listQuery),
        response: { 200: z.object({ items: z.array(client), nextCursor: z.string().nullable() }) },
      },
      handler: async (req) => svc.listClients(contextOf(req), req.query),
    });
    r.post('/admin/partners', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'Register a partner client and issue its first API key (shown once)',
        body: z.strictObject({
          ...clientFields,
          keyLabel: text(40).optional(),
          keyExpiresInDays: z.number().int().min(1).max(730).optional(),
        }),
        response: { 201: z.object({ client, key: keyWithSecret }) },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.createClient(contextOf(req), req.body)),
    });
    r.get('/admin/partners/:id', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'A partner client with keys, webhooks and 30 days of usage',
        params: clientParam,
        response: { 200: clientDetail },
      },
      handler: async (req) => svc.getClient(contextOf(req), req.params.id),
    });
    r.patch('/admin/partners/:id', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'Change scopes, IP allow-list, rate limit or contact',
        params: clientParam,
        body: z.strictObject(clientFields).partial(),
        response: { 200: clientDetail },
      },
      handler: async (req) => svc.updateClient(contextOf(req), req.params.id, req.body),
    });
    for (const action of ['suspend', 'reactivate'] as const)
      r.post(`/admin/partners/:id/${action}`, {
        config: admin,
        schema: {
          tags: adminTags,
          summary: action === 'suspend' ? 'Suspend a client (all keys stop)' : 'Reactivate a client',
          params: clientParam,
          response: { 200: clientDetail },
        },
        handler: async (req) => svc.changeClientStatus(contextOf(req), req.params.id, action),
      });
    r.post('/admin/partners/:id/keys', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'Issue a key, or rotate one (the old key stays valid for the overlap)',
        params: clientParam,
        body: z.strictObject({
          label: text(40),
          expiresInDays: z.number().int().min(1).max(730).optional(),
          rotateKeyId: id.optional(),
          overlapHours: z.number().int().min(0).max(720).optional(),
        }),
        response: { 201: keyWithSecret },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.issueKey(contextOf(req), req.params.id, req.body)),
    });
    r.post('/admin/partners/:id/keys/:keyId/revoke', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'Revoke a key at once',
        params: z.strictObject({ id, keyId: id }),
        response: { 200: key },
      },
      handler: async (req) => svc.revokeKey(contextOf(req), req.params.id, req.params.keyId),
    });
    r.post('/admin/partners/:id/webhooks', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'Subscribe a webhook URL to events (signing secret shown once)',
        params: clientParam,
        body: z.strictObject({ url: z.string().max(500), events: z.array(event).min(1) }),
        response: { 201: webhook.extend({ secret: z.string() }) },
      },
      handler: async (req, reply) =>
        reply.status(201).send(
          await svc.createWebhook(contextOf(req), req.params.id, {
            url: req.body.url,
            events: req.body.events as never,
          }),
        ),
    });
    r.post('/admin/partners/:id/webhooks/:webhookId/deactivate', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'Turn a webhook subscription off',
        params: z.strictObject({ id, webhookId: id }),
        response: { 204: z.null() },
      },
      handler: async (req, reply) => {
        await svc.deactivateWebhook(contextOf(req), req.params.id, req.params.webhookId);
        return reply.status(204).send(null);
      },
    });
    r.get('/admin/partners/:id/deliveries', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'Webhook deliveries with their attempts',
        params: clientParam,
        querystring: z.strictObject({ ...listQuery, status: z.enum(deliveryStates).optional() }),
        response: { 200: z.object({ items: z.array(delivery), nextCursor: z.string().nullable() }) },
      },
      handler: async (req) => svc.listDeliveries(contextOf(req), req.params.id, req.query),
    });
    r.post('/admin/partners/:id/deliveries/:deliveryId/replay', {
      config: admin,
      schema: {
        tags: adminTags,
        summary: 'Send a delivered or given-up delivery again',
        params: z.strictObject({ id, deliveryId: id }),
        response: { 200: delivery },
      },
      handler: async (req) => svc.replayDelivery(contextOf(req), req.params.id, req.params.deliveryId),
    });

    // The worker's consent grants to partner systems.
    r.get('/workers/me/partner-consents', {
      config: workerOnly,
      schema: {
        tags: ['partners (worker)'],
        summary: 'My consent grants to partner platforms, and the platforms I can grant',
        response: {
          200: z.object({
            items: z.array(consent),
            partners: z.array(z.object({ id: z.string(), name: z.string(), organization: z.string() })),
          }),
        },
      },
      handler: async (req) => ({
        items: await svc.myConsents(contextOf(req)),
        partners: await svc.grantablePartners(),
      }),
    });
    r.post('/workers/me/partner-consents', {
      config: workerOnly,
      schema: {
        tags: ['partners (worker)'],
        summary: 'Let one partner platform read my record for a number of days',
        body: z.strictObject({
          clientId: id,
          scope: z.enum(['basic', 'full']),
          days: z.number().int().min(1).max(90),
        }),
        response: { 201: consent },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.grantConsent(contextOf(req), req.body)),
    });
    r.post('/workers/me/partner-consents/:id/revoke', {
      config: workerOnly,
      schema: {
        tags: ['partners (worker)'],
        summary: 'Revoke a consent grant at once',
        params: clientParam,
        response: { 200: consent },
      },
      handler: async (req) => svc.revokeConsent(contextOf(req), req.params.id),
    });
  };
}

/** The partner API (`/api/partner/v1`): API-key authentication, one scope per route. */
export function partnerApiRoutes(svc: PartnersService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/certificates/verify', {
      config: { authz: { partner: 'certificates:verify' } },
      schema: {
        tags: partnerTags,
        security,
        summary: 'Verify an 安心服务证 by number or QR token',
        description:
          "Give `number` (the check character is verified) or `token` (from the QR code). Answers the live colour and facts; the worker's name is masked. Scope `certificates:verify`.",
        querystring: z
          .strictObject({ number: z.string().max(40).optional(), token: z.string().max(400).optional() })
          .refine((q) => !!q.number !== !!q.token, 'give exactly one of number or token'),
        response: {
          200: verification,
        },
      },
      handler: async (req) => svc.verifyCertificate(req.query),
    });
    r.get('/companies/:id', {
      config: { authz: { partner: 'companies:read' } },
      schema: {
        tags: partnerTags,
        security,
        summary: "A company's status and credit grade",
        description:
          'Status is active, suspended or expelled (清退); the credit grade runs 5A to A. Scope `companies:read`.',
        params: z.strictObject({ id }),
        response: { 200: companyStatus },
      },
      handler: async (req) => svc.companyStatus(req.params.id),
    });
    r.get('/statistics', {
      config: { authz: { partner: 'statistics:read' } },
      schema: {
        tags: partnerTags,
        security,
        summary: 'Public market statistics',
        description: 'Active companies by credit grade and certificates by state. Scope `statistics:read`.',
        response: { 200: statistics },
      },
      handler: async () => svc.statistics(),
    });
    r.post('/orders', {
      config: { authz: { partner: 'orders:write' }, idempotent: true },
      schema: {
        tags: partnerTags,
        security,
        summary: "Book a service on behalf of the partner platform's resident",
        description:
          'Send an `Idempotency-Key` header (8–100 characters) and reuse it on retries. The resident is an Anxin account tied to `externalUserId` (created on first order with the given mobile). Scope `orders:write`.',
        headers: z.object({ 'idempotency-key': z.string().max(100).optional() }),
        body: orderBody,
        response: {
          201: partnerOrder,
        },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.createOrder(contextOf(req), req.partner!, req.body)),
    });
    r.get('/orders', {
      config: { authz: { partner: 'orders:write' } },
      schema: {
        tags: partnerTags,
        security,
        summary: 'Orders this partner created, newest first',
        description: 'Only orders created with this client’s keys are listed. Scope `orders:write`.',
        querystring: z.strictObject({ ...listQuery, externalUserId: z.string().max(64).optional() }),
        response: {
          200: z.object({ items: z.array(partnerOrder), nextCursor: z.string().nullable() }),
        },
      },
      handler: async (req) => svc.listOrders(contextOf(req), req.partner!, req.query),
    });
    r.get('/orders/:id', {
      config: { authz: { partner: 'orders:write' } },
      schema: {
        tags: partnerTags,
        security,
        summary: 'Track one order this partner created',
        description: 'Any other order is 404. Scope `orders:write`.',
        params: z.strictObject({ id }),
        response: { 200: partnerOrder },
      },
      handler: async (req) => svc.getOrder(contextOf(req), req.partner!, req.params.id),
    });
    r.post('/orders/:id/cancel', {
      config: { authz: { partner: 'orders:write' }, idempotent: true },
      schema: {
        tags: partnerTags,
        security,
        summary: 'Cancel an order this partner created, as its resident would',
        description:
          "The orders module's own rules apply, exactly as for a resident cancelling in the app: only a requested, accepted or contracted order that has not started can be cancelled, and the fee follows the stage (free while requested; after acceptance it depends on how close the service start is). The answer carries `cancelFeeFen`; subscribers of `order.status_changed` receive the change. Send an `Idempotency-Key` and reuse it on retries. Scope `orders:write`.",
        headers: z.object({ 'idempotency-key': z.string().max(128).optional() }),
        params: z.strictObject({ id }),
        body: z
          .strictObject({ reason: text(500).describe('Why the resident cancels (the company sees it)') })
          .meta({ examples: [{ reason: '家中老人住院，暂不需要服务' }] }),
        response: { 200: partnerOrder },
      },
      handler: async (req) => svc.cancelOrder(contextOf(req), req.partner!, req.params.id, req.body),
    });
    r.get('/workers/:id/record', {
      config: { authz: { partner: 'workers:read' } },
      schema: {
        tags: partnerTags,
        security,
        summary: "A worker's record, with the worker's consent",
        description:
          "Needs an active consent grant the worker issued to this client (scoped, time-limited, revocable). Each read appears in the worker's access log. Scope `workers:read`.",
        params: z.strictObject({ id }),
        response: {
          200: workerRecord,
        },
      },
      handler: async (req) => svc.workerRecord(contextOf(req), req.partner!, req.params.id),
    });
  };
}
