import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serviceCategoryCodes } from '../../../shared/domain.js';
import { contextOf } from '../../platform/http/context.js';
import { contractStates } from './contract-status.js';
import { clauseRules, contractEditSchema, contractKinds, contractTermsSchema } from './contract-terms.js';
import type { ContractsService } from './contracts.service.js';

const id = z.string().min(1).max(64);
const idParam = z.strictObject({ id });
const ts = z.string().describe('UTC, ISO 8601');
const text = (max: number) => z.string().trim().min(1).max(max);
const listQuery = {
  state: z.enum(contractStates).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Public lookups are cheap but scrape-able: a per-IP budget of their own. */
const publicLimit = { max: 60, timeWindow: '1 minute' };
const parties = ['resident', 'worker', 'company_admin', 'company_staff'] as const;
const companyRoles = ['company_admin', 'company_staff'] as const;

const clause = z.strictObject({
  key: z.string().regex(/^[a-z_]{2,40}$/),
  title: text(100),
  body: text(4000),
});
const template = z.object({
  id: z.string(),
  kind: z.enum(contractKinds),
  version: z.number().int(),
  title: z.string(),
  clauses: z.array(z.object({ key: z.string(), title: z.string(), body: z.string() })),
  createdAt: ts,
});
const summary = z.object({
  id: z.string(),
  number: z.string(),
  orderId: z.string(),
  kind: z.enum(contractKinds),
  state: z.enum(contractStates),
  effective: z.boolean().describe('Only a filed contract is in force'),
  revision: z.number().int(),
  category: z.string(),
  mode: z.string(),
  district: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  consumerName: z.string(),
  workerName: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  totalFeeFen: z.number().int(),
  filingNo: z.string().nullable(),
  sealedAt: ts.nullable(),
  createdAt: ts,
});
const settlement = z.object({
  effectiveDate: z.string(),
  totalDays: z.number().int(),
  servedDays: z.number().int(),
  servedFeeFen: z.number().int(),
  paidFen: z.number().int(),
  feeRefundFen: z.number().int(),
  feeOwedFen: z.number().int(),
  depositRefundFen: z.number().int(),
  agencyFeeRefundFen: z.number().int(),
  netToConsumerFen: z.number().int(),
});
const detail = summary.extend({
  relation: z.enum(['resident', 'company', 'worker', 'regulator']),
  actions: z.array(z.string()).describe('Steps the caller may take now'),
  templateVersion: z.number().int(),
  templateTitle: z.string(),
  terms: contractTermsSchema,
  address: z.string().nullable().describe('The service address: parties only'),
  violations: z.array(
    z.object({ rule: z.enum(clauseRules), field: z.string(), zh: z.string(), en: z.string() }),
  ),
  clauses: z.array(z.object({ key: z.string(), title: z.string(), body: z.string() })),
  signers: z.array(z.enum(['resident', 'company', 'worker'])),
  signatures: z.array(z.object({ party: z.string(), signedAt: ts, signatureSha256: z.string() })),
  pdfSha256: z.string().nullable(),
  termsSha256: z.string().nullable(),
  previousId: z.string().nullable(),
  replacedById: z.string().nullable(),
  chain: z.array(
    z.object({ id: z.string(), number: z.string(), state: z.string(), previousId: z.string().nullable() }),
  ),
  revisions: z.array(
    z.object({ revision: z.number().int(), party: z.string(), changed: z.array(z.string()), at: ts }),
  ),
  termination: z
    .object({
      id: z.string(),
      requestedBy: z.string(),
      reason: z.string(),
      effectiveDate: z.string(),
      settlement,
      confirmedBy: z.array(z.string()),
      state: z.string(),
      disputeReason: z.string().nullable(),
      createdAt: ts,
    })
    .nullable(),
});
const verification = z.object({
  number: z.string(),
  found: z.boolean(),
  checkCharacterValid: z.boolean(),
  state: z.enum(contractStates).optional(),
  effective: z.boolean().optional(),
  filed: z.boolean().optional(),
  filingNo: z.string().nullable().optional(),
  sealedAt: ts.nullable().optional(),
  companyName: z.string().optional(),
  category: z.string().optional(),
  pdfSha256: z.string().nullable().optional(),
  termsSha256: z.string().nullable().optional(),
  uploadedSha256: z.string().optional(),
  matches: z.boolean().optional().describe('Whether the uploaded PDF is byte for byte the filed one'),
});

/** /api/v1 routes of contracts: drafting, editing, signing, termination, lists, regulator search, verification. */
export function contractsRoutes(svc: ContractsService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['contracts'];

    r.get('/contract-templates', {
      config: { authz: { roles: ['regulator', ...companyRoles] } },
      schema: {
        tags,
        summary: 'The current template of each kind (中介制, 员工制)',
        response: { 200: z.array(template) },
      },
      handler: async () => svc.templates(),
    });
    r.post('/regulator/contract-templates', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Publish a new template version (mandatory clauses, known variables only)',
        body: z.strictObject({
          kind: z.enum(contractKinds),
          title: text(100),
          clauses: z.array(clause).min(1).max(40),
        }),
        response: { 201: template },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.publishTemplate(contextOf(req), req.body)),
    });

    r.post('/contracts', {
      config: { authz: { roles: companyRoles }, idempotent: true },
      schema: {
        tags,
        summary:
          'Draft the contract of an accepted long-term order, filled from it (send an Idempotency-Key)',
        body: z.strictObject({ orderId: id }),
        response: { 201: detail },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.createFromOrder(contextOf(req), req.body.orderId)),
    });
    r.get('/contracts/mine', {
      config: { authz: { roles: ['resident', 'worker'] } },
      schema: {
        tags,
        summary: 'My contracts (as consumer or as worker), newest first',
        querystring: z.strictObject(listQuery),
        response: { 200: page(summary) },
      },
      handler: async (req) => svc.listMine(contextOf(req), req.query),
    });
    r.get('/orgs/:orgId/contracts', {
      config: { authz: { roles: companyRoles } },
      schema: {
        tags,
        summary: "The company's contracts, newest first",
        params: z.strictObject({ orgId: id }),
        querystring: z.strictObject(listQuery),
        response: { 200: page(summary) },
      },
      handler: async (req) => svc.listForCompany(contextOf(req), req.params.orgId, req.query),
    });
    r.get('/contracts/:id', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'One contract (its parties, or the district regulator)',
        params: idParam,
        response: { 200: detail },
      },
      handler: async (req) => svc.get(contextOf(req), req.params.id),
    });
    r.get('/contracts/:id/pdf', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'The sealed PDF as filed, or a preview marked as not in force',
        params: idParam,
      },
      handler: async (req, reply) => {
        const f = await svc.pdf(contextOf(req), req.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${f.filename}"`)
          .send(f.bytes);
      },
    });
    r.patch('/contracts/:id', {
      config: { authz: { roles: parties } },
      schema: {
        tags,
        summary: 'Change negotiable terms before anyone signs (a new revision; clause checks apply)',
        params: idParam,
        body: contractEditSchema.strict(),
        response: { 200: detail },
      },
      handler: async (req) => svc.edit(contextOf(req), req.params.id, req.body),
    });
    r.post('/contracts/:id/sign-code', {
      config: { authz: { roles: parties } },
      schema: {
        tags,
        summary: "Send a signing code to the caller's phone (valid 5 minutes)",
        params: idParam,
        body: z.strictObject({}).optional(),
        response: { 200: z.object({ expiresAt: ts, phoneMasked: z.string() }) },
      },
      handler: async (req) => svc.requestSignCode(contextOf(req), req.params.id),
    });
    r.post('/contracts/:id/sign', {
      config: { authz: { roles: parties } },
      bodyLimit: 1024 * 1024,
      schema: {
        tags,
        summary:
          'Sign with a hand-drawn signature (PNG, base64) and the SMS code; the last signature seals and files',
        params: idParam,
        body: z.strictObject({
          code: z.string().regex(/^\d{6}$/),
          signaturePng: z.string().min(10).max(420_000).describe('PNG as base64 or a data: URL'),
        }),
        response: { 200: detail },
      },
      handler: async (req) =>
        svc.sign(contextOf(req), req.params.id, {
          ...req.body,
          userAgent: req.headers['user-agent'] ?? null,
        }),
    });
    r.post('/contracts/:id/void', {
      config: { authz: { roles: ['resident', ...companyRoles] } },
      schema: {
        tags,
        summary: 'Abandon a draft or a contract being signed',
        params: idParam,
        body: z.strictObject({ reason: text(500) }),
        response: { 200: detail },
      },
      handler: async (req) => svc.void(contextOf(req), req.params.id, req.body),
    });
    r.post('/contracts/:id/termination', {
      config: { authz: { roles: parties } },
      schema: {
        tags,
        summary:
          'Ask to end a filed contract (解除合约): reason and effective date; the settlement is computed',
        params: idParam,
        body: z.strictObject({ reason: text(500), effectiveDate: z.iso.date() }),
        response: { 200: detail },
      },
      handler: async (req) => svc.requestTermination(contextOf(req), req.params.id, req.body),
    });
    r.post('/contracts/:id/termination/confirm', {
      config: { authz: { roles: parties } },
      schema: {
        tags,
        summary: 'Agree to the termination and its settlement',
        params: idParam,
        body: z.strictObject({}).optional(),
        response: { 200: detail },
      },
      handler: async (req) => svc.confirmTermination(contextOf(req), req.params.id),
    });
    r.post('/contracts/:id/termination/dispute', {
      config: { authz: { roles: parties } },
      schema: {
        tags,
        summary: 'Dispute the termination or its settlement (goes to the complaint flow)',
        params: idParam,
        body: z.strictObject({ reason: text(500) }),
        response: { 200: detail },
      },
      handler: async (req) => svc.disputeTermination(contextOf(req), req.params.id, req.body),
    });

    r.get('/regulator/contracts', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Search filed contracts by company, filing period, category and state (own district)',
        querystring: z.strictObject({
          companyId: id.optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          category: z.enum(serviceCategoryCodes).optional(),
          ...listQuery,
        }),
        response: { 200: page(summary) },
      },
      handler: async (req) =>
        svc.regulatorSearch(contextOf(req), {
          ...req.query,
          from: req.query.from ? new Date(req.query.from) : undefined,
          to: req.query.to ? new Date(req.query.to) : undefined,
        }),
    });
    r.get('/regulator/contracts/stats', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Clause compliance statistics over filed contracts',
        querystring: z.strictObject({
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
        }),
        response: {
          200: z.object({
            total: z.number().int(),
            byState: z.record(z.string(), z.number().int()),
            clauses: z.array(
              z.object({ rule: z.enum(clauseRules), checked: z.number().int(), passed: z.number().int() }),
            ),
            averages: z.object({
              restDaysPerMonth: z.number().nullable(),
              trialDays: z.number().nullable(),
              depositFen: z.number().int().nullable(),
            }),
            insuredShare: z.number().nullable(),
            agencyFeeRefundRules: z.record(z.string(), z.number().int()),
          }),
        },
      },
      handler: async (req) =>
        svc.regulatorStats(contextOf(req), {
          from: req.query.from ? new Date(req.query.from) : undefined,
          to: req.query.to ? new Date(req.query.to) : undefined,
        }),
    });

    r.get('/contracts/verify/:number', {
      config: {
        authz: { public: 'anyone holding a contract number may check it, as the QR code on the PDF invites' },
        rateLimit: publicLimit,
      },
      schema: {
        tags,
        summary: 'Check a contract number: filed or not, its state and hashes (never its terms)',
        params: z.strictObject({ number: z.string().min(1).max(40) }),
        response: { 200: verification },
      },
      handler: async (req) => svc.verify(req.params.number),
    });
    r.post('/contracts/verify', {
      config: {
        authz: { public: 'anyone holding a contract PDF may check it against the filed one' },
        rateLimit: publicLimit,
      },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Upload a PDF (base64) with its number: does it match the filed document byte for byte?',
        body: z.strictObject({
          number: z.string().min(1).max(40),
          pdfBase64: z.string().min(1).max(4_000_000),
        }),
        response: { 200: verification },
      },
      handler: async (req) => svc.verify(req.body.number, Buffer.from(req.body.pdfBase64, 'base64')),
    });
  };
}
