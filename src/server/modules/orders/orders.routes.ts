import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtCodes } from '../../../shared/districts.js';
import { serviceCategoryCodes, serviceModeCodes } from '../../../shared/domain.js';
import { contextOf } from '../../platform/http/context.js';
import type { DemandsService } from './demands.service.js';
import { orderStates } from './order-status.js';
import type { OrdersService } from './orders.service.js';

const id = z.string().min(1).max(64);
const idParam = z.strictObject({ id });
const orgParam = z.strictObject({ orgId: id });
const ts = z.string().describe('UTC, ISO 8601');
const day = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const text = (max: number) => z.string().trim().min(1).max(max);
const fen = z.number().int().min(1).max(100_000_000).describe('Money in fen (分)');
const listQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

/** What a resident asks for, by mode (schedule.ts checks the rest: future, quarter hours, ranges). */
export const scheduleSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('hourly'),
    startAt: z.iso.datetime({ offset: true }).describe('Start of the visit'),
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

const party = z.object({ id: z.string(), name: z.string() });
const orderSummary = z.object({
  id: z.string(),
  number: z.string(),
  state: z.enum(orderStates),
  category: z.string(),
  mode: z.string(),
  serviceStart: ts,
  serviceEnd: ts,
  visits: z.number().int(),
  totalFen: z.number().int(),
  district: z.string(),
  addressMasked: z.string(),
  company: party,
  worker: party.nullable(),
  createdAt: ts,
  updatedAt: ts,
});
const orderDetail = orderSummary.extend({
  schedule: scheduleSchema,
  priceItemId: z.string(),
  priceTitle: z.string(),
  unit: z.string(),
  unitPriceFen: z.number().int(),
  quantity: z.number().int(),
  guideFlag: z.enum(['below', 'above']).nullable(),
  address: z
    .string()
    .nullable()
    .describe('Full address: only for the resident, the company and the assigned worker (read audited)'),
  note: z.string().nullable(),
  contractRef: z.string().nullable(),
  expiresAt: ts.nullable(),
  cancelledBy: z.string().nullable(),
  cancelFeeFen: z.number().int().nullable(),
  stateReason: z.string().nullable(),
  demandId: z.string().nullable(),
  resident: z.object({ name: z.string(), phoneMasked: z.string() }).nullable(),
  relation: z.enum(['resident', 'company', 'worker', 'station', 'regulator']),
  actions: z.array(z.string()).describe('Steps the caller may take now'),
  history: z.array(
    z.object({
      action: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      party: z.string(),
      reason: z.string().nullable(),
      at: ts,
    }),
  ),
  assignments: z.array(
    z.object({
      id: z.string(),
      workerId: z.string(),
      workerName: z.string(),
      fromAt: ts,
      toAt: ts.nullable(),
      endedReason: z.string().nullable(),
      replacedById: z.string().nullable(),
    }),
  ),
  bookings: z.array(
    z.object({
      id: z.string(),
      workerId: z.string(),
      workerName: z.string(),
      startsAt: ts,
      endsAt: ts,
      status: z.string(),
      substituteFor: z.string().nullable(),
    }),
  ),
  followUps: z.array(
    z.object({
      id: z.string(),
      assigneeKind: z.string(),
      state: z.string(),
      dueAt: ts,
      reached: z.boolean().nullable(),
      satisfaction: z.number().int().nullable(),
      notes: z.string().nullable(),
      recordedAt: ts.nullable(),
    }),
  ),
});
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const demandView = z.object({
  id: z.string(),
  category: z.string(),
  mode: z.string(),
  district: z.string(),
  addressMasked: z.string(),
  schedule: scheduleSchema,
  budgetMinFen: z.number().int().nullable(),
  budgetMaxFen: z.number().int().nullable(),
  description: z.string(),
  state: z.string(),
  expiresAt: ts,
  createdAt: ts,
});
const offerView = z.object({
  id: z.string(),
  demandId: z.string(),
  company: z.object({ id: z.string(), name: z.string(), creditGrade: z.string().nullable() }),
  worker: z.object({ id: z.string(), name: z.string(), skillLevel: z.string().nullable() }),
  priceItemId: z.string(),
  priceTitle: z.string().nullable(),
  unit: z.string().nullable(),
  priceFen: z.number().int().nullable(),
  message: z.string().nullable(),
  state: z.string(),
  referred: z.boolean(),
  createdAt: ts,
});
const followUpItem = z.object({
  id: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  category: z.string(),
  mode: z.string(),
  company: party,
  district: z.string(),
  assigneeKind: z.string(),
  dueAt: ts,
  state: z.string(),
  reached: z.boolean().nullable(),
  satisfaction: z.number().int().nullable(),
  notes: z.string().nullable(),
  recordedAt: ts.nullable(),
  completedAt: ts.nullable(),
});

const companyRoles = { authz: { roles: ['company_admin', 'company_staff'] as const } };
const stationRoles = { authz: { roles: ['station_staff'] as const } };

/** /api/v1 routes of orders, demands, referrals and follow-ups. */
export function ordersRoutes(svc: OrdersService, demands: DemandsService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['orders'];

    // ---- resident ----
    r.post('/orders', {
      config: { authz: { roles: ['resident'] }, idempotent: true },
      schema: {
        tags,
        summary: "Book a company's price item (optionally naming its green worker); send an Idempotency-Key",
        body: z.strictObject({
          priceItemId: id,
          workerId: id.nullish(),
          schedule: scheduleSchema,
          address: text(200),
          district: z.enum(districtCodes),
          note: z.string().trim().max(500).nullish(),
        }),
        response: { 201: orderDetail },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.create(contextOf(req), req.body)),
    });

    r.get('/orders/mine', {
      config: { authz: { roles: ['resident'] } },
      schema: {
        tags,
        summary: 'My orders, newest first',
        querystring: z.strictObject({ state: z.enum(orderStates).optional(), ...listQuery }),
        response: { 200: page(orderSummary) },
      },
      handler: async (req) => svc.listMine(contextOf(req), req.query),
    });

    r.get('/orders/:id', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary:
          'One order with its history (resident, company, assigned worker, referring station, regulator)',
        params: idParam,
        response: { 200: orderDetail },
      },
      handler: async (req) => svc.get(contextOf(req), req.params.id),
    });

    const stepRoute = (
      path: string,
      summary: string,
      roles: readonly ('resident' | 'worker' | 'company_admin' | 'company_staff')[],
      body: z.ZodType,
      run: (ctx: ReturnType<typeof contextOf>, orderId: string, body: never) => Promise<unknown>,
    ) =>
      r.post(path, {
        config: { authz: { roles } },
        schema: { tags, summary, params: idParam, body, response: { 200: orderDetail } },
        handler: async (req) =>
          run(contextOf(req), (req.params as { id: string }).id, req.body as never) as never,
      });

    const reason = z.strictObject({ reason: text(500) });
    const company = ['company_admin', 'company_staff'] as const;
    stepRoute(
      '/orders/:id/accept',
      'Accept a request, assigning a green worker',
      company,
      z.strictObject({ workerId: id.nullish() }),
      (c, i, b: { workerId?: string | null }) => svc.accept(c, i, b),
    );
    stepRoute(
      '/orders/:id/decline',
      'Decline a request (reason required)',
      company,
      reason,
      (c, i, b: { reason: string }) => svc.decline(c, i, b),
    );
    stepRoute(
      '/orders/:id/cancel',
      'Cancel before service starts (fee by stage; reason required)',
      ['resident', ...company],
      reason,
      (c, i, b: { reason: string }) => svc.cancel(c, i, b),
    );
    stepRoute(
      '/orders/:id/contract',
      'Record the signed contract of a long-term order',
      company,
      z.strictObject({ contractRef: text(100) }),
      (c, i, b: { contractRef: string }) => svc.recordContract(c, i, b),
    );
    stepRoute(
      '/orders/:id/start',
      'Mark the service started (company or the assigned worker)',
      [...company, 'worker'],
      z.strictObject({}).optional(),
      (c, i) => svc.start(c, i),
    );
    stepRoute(
      '/orders/:id/confirm',
      'Confirm the service is completed',
      ['resident'],
      z.strictObject({}).optional(),
      (c, i) => svc.confirm(c, i),
    );
    stepRoute(
      '/orders/:id/replace-worker',
      'Replace the worker of a long-term order',
      company,
      z.strictObject({ workerId: id, reason: text(500) }),
      (c, i, b: { workerId: string; reason: string }) => svc.replaceWorker(c, i, b),
    );
    stepRoute(
      '/orders/:id/substitute',
      'A substitute covers one visit of a recurring order',
      company,
      z.strictObject({ bookingId: id, workerId: id, reason: text(500) }),
      (c, i, b: { bookingId: string; workerId: string; reason: string }) => svc.substitute(c, i, b),
    );
    stepRoute(
      '/orders/:id/pause',
      'Pause or resume visits of a recurring order between two days',
      ['resident', ...company],
      z.strictObject({ from: day, to: day, resume: z.boolean().default(false) }),
      (c, i, b: { from: string; to: string; resume: boolean }) => svc.pause(c, i, b),
    );

    // ---- company ----
    r.get('/orgs/:orgId/orders', {
      config: companyRoles,
      schema: {
        tags,
        summary: "The company's orders (dispatch board), newest first",
        params: orgParam,
        querystring: z.strictObject({ state: z.enum(orderStates).optional(), ...listQuery }),
        response: { 200: page(orderSummary) },
      },
      handler: async (req) => svc.listForCompany(contextOf(req), req.params.orgId, req.query),
    });

    r.get('/orgs/:orgId/demands', {
      config: companyRoles,
      schema: {
        tags,
        summary: 'Open demands the company may answer (its district and categories, or referred to it)',
        params: orgParam,
        querystring: z.strictObject(listQuery),
        response: { 200: page(demandView.extend({ referred: z.boolean(), offered: z.boolean() })) },
      },
      handler: async (req) => demands.companyFeed(contextOf(req), req.params.orgId, req.query),
    });

    r.post('/orgs/:orgId/demands/:demandId/offers', {
      config: companyRoles,
      schema: {
        tags,
        summary: 'Offer a green worker at a listed price',
        params: z.strictObject({ orgId: id, demandId: id }),
        body: z.strictObject({
          workerId: id,
          priceItemId: id,
          message: z.string().trim().max(500).nullish(),
        }),
        response: { 201: offerView },
      },
      handler: async (req, reply) =>
        reply
          .status(201)
          .send(await demands.offer(contextOf(req), req.params.orgId, req.params.demandId, req.body)),
    });

    r.get('/orgs/:orgId/follow-ups', {
      config: { authz: { roles: ['company_admin', 'company_staff', 'station_staff'] } },
      schema: {
        tags,
        summary: 'Follow-up visits (回访) assigned to my company or station',
        params: orgParam,
        querystring: z.strictObject({ state: z.enum(['pending', 'done']).optional(), ...listQuery }),
        response: { 200: page(followUpItem) },
      },
      handler: async (req) => {
        const ctx = contextOf(req);
        const kind =
          ctx.actor?.memberships.find((m) => m.orgId === req.params.orgId)?.orgType === 'station'
            ? 'station'
            : 'company';
        return svc.listFollowUps(ctx, { kind, orgId: req.params.orgId }, req.query);
      },
    });

    r.post('/follow-ups/:id', {
      config: { authz: { roles: ['company_admin', 'company_staff', 'station_staff', 'regulator'] } },
      schema: {
        tags,
        summary: 'Record a follow-up: reached or not, satisfaction 1–5, notes',
        params: idParam,
        body: z.strictObject({
          reached: z.boolean(),
          satisfaction: z.number().int().min(1).max(5).nullish(),
          notes: z.string().trim().max(1000).nullish(),
        }),
        response: {
          200: z.object({
            id: z.string(),
            state: z.string(),
            reached: z.boolean().nullable(),
            satisfaction: z.number().int().nullable(),
          }),
        },
      },
      handler: async (req) => svc.recordFollowUp(contextOf(req), req.params.id, req.body),
    });

    // ---- station ----
    r.get('/orgs/:orgId/area-demands', {
      config: stationRoles,
      schema: {
        tags,
        summary: "Open demands in the station's district, with the companies it referred each to",
        params: orgParam,
        querystring: z.strictObject(listQuery),
        response: { 200: page(demandView.extend({ referredTo: z.array(z.string()) })) },
      },
      handler: async (req) => demands.stationFeed(contextOf(req), req.params.orgId, req.query),
    });

    r.post('/orgs/:orgId/area-demands/:demandId/referrals', {
      config: stationRoles,
      schema: {
        tags,
        summary: 'Refer (转介) a demand to a company',
        params: z.strictObject({ orgId: id, demandId: id }),
        body: z.strictObject({ companyId: id, note: z.string().trim().max(500).nullish() }),
        response: {
          201: z.object({ id: z.string(), demandId: z.string(), companyId: z.string(), createdAt: ts }),
        },
      },
      handler: async (req, reply) =>
        reply
          .status(201)
          .send(await demands.refer(contextOf(req), req.params.orgId, req.params.demandId, req.body)),
    });

    r.get('/orgs/:orgId/referrals', {
      config: stationRoles,
      schema: {
        tags,
        summary: "The station's referrals and their outcome (offer, order and its state)",
        params: orgParam,
        querystring: z.strictObject(listQuery),
        response: {
          200: page(
            z.object({
              id: z.string(),
              demand: demandView,
              company: party,
              note: z.string().nullable(),
              offerState: z.string().nullable(),
              order: z.object({ id: z.string(), number: z.string(), state: z.string() }).nullable(),
              createdAt: ts,
            }),
          ),
        },
      },
      handler: async (req) => demands.stationReferrals(contextOf(req), req.params.orgId, req.query),
    });

    // ---- resident demands ----
    const demandBody = z.strictObject({
      category: z.enum(serviceCategoryCodes),
      mode: z.enum(serviceModeCodes),
      district: z.enum(districtCodes),
      address: text(200),
      schedule: scheduleSchema,
      budgetMinFen: fen.nullish(),
      budgetMaxFen: fen.nullish(),
      description: text(1000),
    });
    const demandDetail = demandView.extend({
      address: z.string(),
      orderId: z.string().nullable(),
      offers: z.array(offerView),
    });

    r.post('/demands', {
      config: { authz: { roles: ['resident'] } },
      schema: {
        tags,
        summary: 'Publish a need (需求发布)',
        body: demandBody,
        response: { 201: demandDetail },
      },
      handler: async (req, reply) => reply.status(201).send(await demands.post(contextOf(req), req.body)),
    });

    r.get('/demands/mine', {
      config: { authz: { roles: ['resident'] } },
      schema: {
        tags,
        summary: 'My demands, newest first, with pending offer counts',
        querystring: z.strictObject(listQuery),
        response: {
          200: page(demandView.extend({ orderId: z.string().nullable(), pendingOffers: z.number().int() })),
        },
      },
      handler: async (req) => demands.listMine(contextOf(req), req.query),
    });

    r.get('/demands/:id', {
      config: { authz: { roles: ['resident'] } },
      schema: {
        tags,
        summary: 'My demand with its offers',
        params: idParam,
        response: { 200: demandDetail },
      },
      handler: async (req) => demands.getMine(contextOf(req), req.params.id),
    });

    r.post('/demands/:id/withdraw', {
      config: { authz: { roles: ['resident'] } },
      schema: {
        tags,
        summary: 'Withdraw an open demand',
        params: idParam,
        body: z.strictObject({}).optional(),
        response: { 200: demandDetail },
      },
      handler: async (req) => demands.withdraw(contextOf(req), req.params.id),
    });

    r.post('/demand-offers/:id/accept', {
      config: { authz: { roles: ['resident'] }, idempotent: true },
      schema: {
        tags,
        summary: 'Accept an offer: it becomes an accepted order (send an Idempotency-Key)',
        params: idParam,
        body: z.strictObject({}).optional(),
        response: { 201: orderDetail },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await demands.acceptOffer(contextOf(req), req.params.id)),
    });

    // ---- worker ----
    r.get('/workers/me/schedule', {
      config: { authz: { roles: ['worker'] } },
      schema: {
        tags,
        summary: 'My booked time (visits and long-term spans) between two instants',
        querystring: z.strictObject({
          from: z.iso.datetime({ offset: true }),
          to: z.iso.datetime({ offset: true }),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                bookingId: z.string(),
                orderId: z.string(),
                number: z.string(),
                state: z.enum(orderStates),
                category: z.string(),
                mode: z.string(),
                startsAt: ts,
                endsAt: ts,
                status: z.string(),
                district: z.string(),
                addressMasked: z.string(),
                company: party,
                substitute: z.boolean(),
              }),
            ),
          }),
        },
      },
      handler: async (req) => {
        const from = new Date(req.query.from);
        const to = new Date(req.query.to);
        // A schedule view spans at most 100 days.
        const capped = new Date(Math.min(to.getTime(), from.getTime() + 100 * 24 * 3600_000));
        return { items: await svc.mySchedule(contextOf(req), { from, to: capped }) };
      },
    });

    // ---- regulator ----
    r.get('/regulator/orders', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Orders in my district (traceability), newest first',
        querystring: z.strictObject({
          state: z.enum(orderStates).optional(),
          district: z.enum(districtCodes).optional(),
          ...listQuery,
        }),
        response: { 200: page(orderSummary) },
      },
      handler: async (req) => svc.listForRegulator(contextOf(req), req.query),
    });

    r.get('/regulator/follow-ups', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: "The regulator's follow-up sample in my district",
        querystring: z.strictObject({ state: z.enum(['pending', 'done']).optional(), ...listQuery }),
        response: { 200: page(followUpItem) },
      },
      handler: async (req) => svc.listFollowUps(contextOf(req), { kind: 'regulator' }, req.query),
    });
  };
}
