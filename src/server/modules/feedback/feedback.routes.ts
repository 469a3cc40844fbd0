import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { complaintActions, complaintStates } from './complaint-status.js';
import { complaintCategories, type FeedbackService } from './feedback.service.js';

const id = z.string().min(1).max(64);
const idParam = z.strictObject({ id });
const orgParam = z.strictObject({ orgId: id });
const ts = z.string().describe('UTC, ISO 8601');
const text = (max: number) => z.string().trim().min(1).max(max);
const listQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const named = z.object({ id: z.string(), name: z.string() });
const fileRef = z.object({ fileId: z.string(), contentType: z.string() });
const fileIds = z.array(z.string().max(64)).max(9);
const rating = z.number().int().min(1).max(5);

const reviewView = z.object({
  id: z.string(),
  side: z.enum(['resident', 'provider']),
  orderNumber: z.string(),
  verifiedOrder: z.boolean().describe('Always true: reviews exist only for real completed orders'),
  contractId: z.string().nullable(),
  ratings: z.record(z.string(), z.number()),
  overall: z.number(),
  text: z.string(),
  photos: z.array(fileRef),
  state: z.enum(['published', 'flagged', 'hidden']),
  flagReason: z.string().nullable(),
  moderationReason: z.string().nullable(),
  authorRole: z.string(),
  authorName: z.string().describe('Masked'),
  worker: named.nullable(),
  company: named.nullable(),
  employerName: z.string().nullable(),
  reply: z.object({ text: z.string(), at: ts }).nullable(),
  createdAt: ts,
});

const complaintView = z.object({
  id: z.string(),
  state: z.enum(complaintStates),
  complainantRole: z.enum(['resident', 'worker']),
  complainantName: z.string(),
  orderId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  subjectType: z.enum(['worker', 'company', 'employer']),
  worker: named.nullable(),
  company: named.nullable(),
  employerName: z.string().nullable(),
  category: z.string(),
  description: z.string(),
  district: z.string(),
  filedAt: ts,
  respondBy: ts,
  slaRemainingMs: z.number().nullable(),
  respondedAt: ts.nullable(),
  response: z.string().nullable(),
  escalatedAt: ts.nullable(),
  escalatedBy: z.string().nullable(),
  outcome: z.enum(['upheld', 'rejected']).nullable(),
  decisionReason: z.string().nullable(),
  decidedAt: ts.nullable(),
  certificateAction: z.string().nullable(),
  appealedAt: ts.nullable(),
  appealReason: z.string().nullable(),
  closedAt: ts.nullable(),
  evidence: z.array(fileRef),
});
const complaintDetail = complaintView.extend({
  relation: z.enum(['complainant', 'company', 'regulator', 'system', 'subject']),
  actions: z.array(z.enum(complaintActions)),
  history: z.array(
    z.object({
      action: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      party: z.string(),
      note: z.string().nullable(),
      at: ts,
    }),
  ),
});

const companyRoles = ['company_admin', 'company_staff'] as const;
const stepActions = complaintActions.filter((a) => a !== 'escalate') as Exclude<
  (typeof complaintActions)[number],
  'escalate'
>[];

/** /api/v1 reviews (评价) and complaints (投诉). */
export function feedbackRoutes(svc: FeedbackService) {
  return async function plugin(app: FastifyInstance) {
    await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 0, parts: 2 } });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['feedback'];

    // ---- files ----
    r.post('/feedback/files', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Upload a review photo or complaint evidence (multipart, JPEG/PNG/PDF); attach it by fileId',
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ fileId: z.string(), contentType: z.string(), size: z.number().int() }) },
      },
      handler: async (req, reply) => {
        if (!req.isMultipart())
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', { en: 'Send multipart/form-data' });
        let data: Buffer | null = null;
        try {
          const part = await req.file();
          data = part ? await part.toBuffer() : null;
        } catch (e) {
          if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
            throw new AppError('FILE_TOO_LARGE');
          throw new AppError('MALFORMED_REQUEST', { cause: e });
        }
        if (!data)
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'file', message: 'a file is required' }],
          });
        return reply.status(201).send(await svc.upload(contextOf(req), { data }));
      },
    });

    r.get('/feedback/files/:id', {
      config: {
        authz: { public: 'photos of published reviews are public; evidence is checked per complaint' },
      },
      schema: { tags, summary: 'A review photo or complaint evidence file', params: idParam },
      handler: async (req, reply) => {
        const f = await svc.file(contextOf(req), req.params.id);
        return reply.type(f.contentType).header('cache-control', 'private, no-store').send(f.data);
      },
    });

    // ---- reviews ----
    r.post('/reviews', {
      config: { authz: { roles: ['resident', 'worker', ...companyRoles] } },
      schema: {
        tags,
        summary:
          'Review a completed order you took part in (residents: quality, punctuality, attitude, skill; workers and companies rate the employer: respect, payment, communication, environment)',
        body: z.strictObject({
          orderId: id,
          ratings: z.record(z.string().max(20), rating),
          text: text(1000),
          photoIds: fileIds.optional(),
        }),
        response: { 201: reviewView },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.createReview(contextOf(req), req.body)),
    });

    r.get('/reviews/mine', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Reviews I wrote, or (about=true) reviews about me',
        querystring: z.strictObject({ about: z.enum(['true', 'false']).optional(), ...listQuery }),
        response: { 200: page(reviewView) },
      },
      handler: async (req) =>
        svc.listMine(contextOf(req), { ...req.query, about: req.query.about === 'true' }),
    });

    r.get('/orders/:id/reviews', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: "An order's reviews and whether I may still review it (parties of the order only)",
        params: idParam,
        response: {
          200: z.object({
            side: z.enum(['resident', 'provider']),
            canReview: z.boolean(),
            refusal: z.string().nullable(),
            windowEndsAt: ts.nullable(),
            reviews: z.array(reviewView),
          }),
        },
      },
      handler: async (req) => svc.forOrder(contextOf(req), req.params.id),
    });

    r.get('/orders/:id/employer-ratings', {
      config: { authz: { roles: companyRoles } },
      schema: {
        tags,
        summary: "The employer's ratings from workers and companies, for the company of the order",
        params: idParam,
        response: {
          200: z.object({
            count: z.number().int(),
            average: z.number().nullable(),
            recent: z.array(reviewView),
          }),
        },
      },
      handler: async (req) => svc.employerRatings(contextOf(req), req.params.id),
    });

    r.get('/public/workers/:id/reviews', {
      config: { authz: { public: 'published reviews from verified orders are public (可查询、可评价)' } },
      schema: {
        tags,
        summary: "A worker's published reviews",
        params: idParam,
        querystring: z.strictObject(listQuery),
        response: { 200: page(reviewView) },
      },
      handler: async (req) => svc.listForWorker(req.params.id, req.query),
    });

    r.get('/public/companies/:id/reviews', {
      config: { authz: { public: 'published reviews from verified orders are public (可查询、可评价)' } },
      schema: {
        tags,
        summary: "A company's published reviews",
        params: idParam,
        querystring: z.strictObject(listQuery),
        response: { 200: page(reviewView) },
      },
      handler: async (req) => svc.listForCompany(req.params.id, req.query),
    });

    r.post('/reviews/:id/reply', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Reply once to a review about you',
        params: idParam,
        body: z.strictObject({ text: text(500) }),
        response: { 200: reviewView },
      },
      handler: async (req) => svc.reply(contextOf(req), req.params.id, req.body.text),
    });

    r.post('/reviews/:id/report', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Report an abusive review to the regulator',
        params: idParam,
        body: z.strictObject({ reason: text(500) }),
        response: { 201: z.object({ id: z.string(), state: z.literal('open') }) },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.report(contextOf(req), req.params.id, req.body.reason)),
    });

    r.get('/regulator/reviews/moderation', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Flagged and reported reviews in my district',
        querystring: z.strictObject(listQuery),
        response: {
          200: page(
            reviewView.extend({
              reports: z.array(z.object({ id: z.string(), reason: z.string(), at: ts })),
            }),
          ),
        },
      },
      handler: async (req) => svc.moderationQueue(contextOf(req), req.query),
    });

    r.post('/regulator/reviews/:id/moderate', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Publish or hide a review, with a reason; resolves its open reports',
        params: idParam,
        body: z.strictObject({ decision: z.enum(['publish', 'hide']), reason: text(500) }),
        response: { 200: reviewView },
      },
      handler: async (req) => svc.moderate(contextOf(req), req.params.id, req.body),
    });

    // ---- complaints ----
    r.post('/complaints', {
      config: { authz: { roles: ['resident', 'worker'] }, idempotent: true },
      schema: {
        tags,
        summary:
          'File a complaint (resident: about an order, its worker or a company; worker: about an employer or their company); send an Idempotency-Key',
        body: z.strictObject({
          orderId: id.nullish(),
          companyId: id.nullish(),
          subject: z.enum(['worker', 'company', 'employer']),
          category: z.enum(complaintCategories as [string, ...string[]]),
          description: text(2000),
          evidenceIds: fileIds.optional(),
        }),
        response: { 201: complaintDetail },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.fileComplaint(contextOf(req), req.body)),
    });

    r.get('/complaints/mine', {
      config: { authz: { roles: ['resident', 'worker'] } },
      schema: {
        tags,
        summary: 'Complaints I filed, newest first',
        querystring: z.strictObject({ state: z.enum(complaintStates).optional(), ...listQuery }),
        response: { 200: page(complaintView) },
      },
      handler: async (req) => svc.listMyComplaints(contextOf(req), req.query),
    });

    r.get('/complaints/:id', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'One complaint with its timeline (complainant, company, subject worker/employer, regulator)',
        params: idParam,
        response: { 200: complaintDetail },
      },
      handler: async (req) => svc.getComplaint(contextOf(req), req.params.id),
    });

    r.post('/complaints/:id/:action', {
      config: { authz: { roles: ['resident', 'worker', ...companyRoles, 'regulator'] } },
      schema: {
        tags,
        summary:
          'A workflow step: respond (company), accept/refuse/withdraw (complainant), investigate/uphold/reject/close (regulator), appeal (once)',
        params: z.strictObject({ id, action: z.enum(stepActions as [string, ...string[]]) }),
        body: z
          .strictObject({
            reason: z.string().trim().max(2000).nullish(),
            certificateAction: z.enum(['none', 'suspend', 'revoke']).optional(),
          })
          .optional(),
        response: { 200: complaintDetail },
      },
      handler: async (req) =>
        svc.act(
          contextOf(req),
          req.params.id,
          req.params.action as (typeof stepActions)[number],
          req.body ?? {},
        ),
    });

    r.get('/orgs/:orgId/complaints', {
      config: { authz: { roles: companyRoles } },
      schema: {
        tags,
        summary: "The company's complaint inbox with SLA timers, newest first",
        params: orgParam,
        querystring: z.strictObject({ state: z.enum(complaintStates).optional(), ...listQuery }),
        response: { 200: page(complaintView) },
      },
      handler: async (req) => svc.listForCompanyInbox(contextOf(req), req.params.orgId, req.query),
    });

    r.get('/regulator/complaints', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Complaint supervision board: complaints in my district, newest first',
        querystring: z.strictObject({ state: z.enum(complaintStates).optional(), ...listQuery }),
        response: { 200: page(complaintView) },
      },
      handler: async (req) => svc.listForRegulator(contextOf(req), req.query),
    });

    r.get('/regulator/complaints/summary', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Complaint counts by state and the overdue count in my district',
        response: {
          200: z.object({ byState: z.record(z.string(), z.number().int()), overdue: z.number().int() }),
        },
      },
      handler: async (req) => svc.regulatorSummary(contextOf(req)),
    });
  };
}
