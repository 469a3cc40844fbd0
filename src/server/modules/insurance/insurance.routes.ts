import multipart from '@fastify/multipart';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serviceCategoryCodes } from '../../../shared/domain.js';
import { AppError } from '../../platform/errors.js';
import type { Authz } from '../../platform/http/authz.js';
import { contextOf } from '../../platform/http/context.js';
import { claimStates } from './claim-status.js';
import { coverageCodes, productKinds } from './coverage.js';
import { readEnrolmentList } from './enrol-list.js';
import type { InsuranceService } from './insurance.service.js';
import { policyStates } from './policy-status.js';

const id = z.string().min(1).max(64);
const idParam = z.strictObject({ id });
const orgParam = z.strictObject({ orgId: id });
const ts = z.string().describe('UTC, ISO 8601');
const day = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const text = (max: number) => z.string().trim().min(1).max(max);
const fen = (max = 100_000_000) => z.number().int().min(0).max(max).describe('Money in fen (分)');
const listQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
const party = z.object({ id: z.string(), name: z.string() });

const product = z.object({
  id: z.string(),
  insurer: party,
  title: z.string(),
  kind: z.enum(productKinds),
  coverage: z.array(z.object({ code: z.string(), label: z.string(), amountFen: z.number().int() })),
  premiumFen: z.number().int(),
  periodMonths: z.number().int(),
  categories: z.array(z.string()),
  subsidyShareBp: z.number().int().describe('Public subsidy share in basis points (5000 = 50%)'),
  subsidyCapFen: z.number().int(),
  waitingDays: z.number().int(),
  active: z.boolean(),
  createdAt: ts,
});
const policy = z.object({
  id: z.string(),
  number: z.string(),
  product: party.pick({ id: true }).extend({ title: z.string() }),
  insurer: party,
  company: party.nullable(),
  worker: party,
  enrolledBy: z.enum(['company', 'worker']),
  batchId: z.string(),
  startsOn: day,
  endsOn: day,
  premiumFen: z.number().int(),
  subsidyFen: z.number().int(),
  companyFen: z.number().int(),
  workerFen: z.number().int(),
  state: z.enum(policyStates),
  stateLabel: z.string(),
  stateReason: z.string().nullable(),
  confirmedAt: ts.nullable(),
  createdAt: ts,
});
const policyDetail = policy.extend({
  coverage: z.array(z.object({ code: z.string(), label: z.string(), amountFen: z.number().int() })),
  waitingDays: z.number().int(),
  relation: z.enum(['insurer', 'company', 'worker', 'regulator']),
  actions: z.array(z.string()),
});
const split = z.object({
  premiumFen: z.number().int(),
  subsidyFen: z.number().int(),
  companyFen: z.number().int(),
  workerFen: z.number().int(),
});
const enrolment = z.object({ batchId: z.string(), split, policies: z.array(policy) });
const claimSummary = z.object({
  id: z.string(),
  number: z.string(),
  policyId: z.string(),
  workerId: z.string(),
  coverageCode: z.string(),
  coverageLabel: z.string(),
  incidentOn: day,
  claimedFen: z.number().int(),
  approvedFen: z.number().int().nullable(),
  paidFen: z.number().int().nullable(),
  state: z.enum(claimStates),
  stateLabel: z.string(),
  stateReason: z.string().nullable(),
  turn: z.enum(['insurer', 'claimant']).nullable().describe('Whose step it is'),
  dueAt: ts.nullable().describe('SLA: when the party whose turn it is must act'),
  overdue: z.boolean(),
  createdAt: ts,
});
const claimDetail = claimSummary.extend({
  policy,
  orderId: z.string().nullable(),
  place: z.string().describe('Incident place (encrypted at rest; only for the parties of the claim)'),
  description: z.string(),
  evidence: z.array(z.object({ note: z.string(), at: ts, by: z.string() })),
  reporterKind: z.enum(['worker', 'company', 'resident']),
  payoutRef: z.string().nullable(),
  paidAt: ts.nullable(),
  relation: z.enum(['insurer', 'claimant', 'company', 'worker', 'regulator']),
  actions: z.array(z.string()),
  history: z.array(
    z.object({
      action: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      party: z.string(),
      reason: z.string().nullable(),
      amountFen: z.number().int().nullable(),
      at: ts,
    }),
  ),
});
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const settlementPolicy = z.object({
  id: z.string(),
  number: z.string(),
  workerName: z.string().describe('Masked'),
  product: z.string(),
  startsOn: day,
  endsOn: day,
  confirmedAt: ts,
  state: z.enum(policyStates),
  premiumFen: z.number().int(),
  subsidyFen: z.number().int(),
  companyFen: z.number().int(),
  workerFen: z.number().int(),
});
const settlement = z.object({
  from: day,
  to: day,
  lines: z.array(
    split.extend({
      insurer: party,
      company: party.nullable(),
      policyCount: z.number().int(),
      policies: z.array(settlementPolicy),
    }),
  ),
  total: split.extend({ policyCount: z.number().int() }),
});

const productBody = z.strictObject({
  title: text(100),
  kind: z.enum(productKinds),
  coverage: z
    .array(z.strictObject({ code: z.enum(coverageCodes), amountFen: fen().refine((n) => n > 0) }))
    .min(1)
    .max(coverageCodes.length),
  premiumFen: fen(10_000_000).refine((n) => n > 0, 'must be positive'),
  periodMonths: z.number().int().min(1).max(24),
  categories: z.array(z.enum(serviceCategoryCodes)).max(20).describe('Eligible categories; empty = all'),
  subsidyShareBp: z.number().int().min(0).max(10_000),
  subsidyCapFen: fen(10_000_000),
  waitingDays: z.number().int().min(0).max(180),
});
const enrolBody = z.strictObject({
  productId: id,
  startsOn: day,
  workerIds: z.array(id).min(1).max(500),
  split: z
    .strictObject({ companyFen: fen(), workerFen: fen() })
    .nullish()
    .describe('Per person; with the subsidy it must add up to the premium. Omit: the company pays the rest'),
});
const claimBody = z.strictObject({
  policyId: id.nullish(),
  orderId: id.nullish().describe('Required for a resident (liability); the policy is found from its worker'),
  coverageCode: z.enum(coverageCodes),
  incidentOn: day,
  place: text(200),
  description: text(2000),
  evidence: z.array(text(500)).max(20).default([]),
  claimedFen: fen().refine((n) => n > 0, 'must be positive'),
});
const periodQuery = z.strictObject({ from: day, to: day });

const insurer = { authz: { roles: ['insurer_staff'] as const } };
const company = { authz: { roles: ['company_admin', 'company_staff'] as const } };
const claimant = { authz: { roles: ['worker', 'resident', 'company_admin', 'company_staff'] as const } };
const settlementRoles = { authz: { roles: ['regulator', 'insurer_staff'] as const } };

/** Reads the one uploaded file of a multipart request. */
async function readFile(
  req: FastifyRequest,
): Promise<{ data: Buffer; filename: string; fields: Record<string, string> }> {
  if (!req.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { en: 'Send multipart/form-data with a file' });
  const fields: Record<string, string> = {};
  let file: { data: Buffer; filename: string } | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') file = { data: await part.toBuffer(), filename: part.filename };
      else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('FILE_TOO_LARGE');
    throw new AppError('MALFORMED_REQUEST', { cause: e });
  }
  if (!file)
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'a file is required' }] });
  return { ...file, fields };
}

/** /api/v1 routes of insurance: products, enrolment, policies, claims, subsidy settlement. */
export function insuranceRoutes(svc: InsuranceService) {
  return async function plugin(app: FastifyInstance) {
    await app.register(multipart, { limits: { fileSize: 2 * 1024 * 1024, files: 1, fields: 5, parts: 6 } });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['insurance'];

    // ---- products ----
    r.get('/insurance/products', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Products on offer (active)',
        response: { 200: z.object({ items: z.array(product) }) },
      },
      handler: async (req) => svc.listProducts(contextOf(req), null),
    });
    r.get('/insurers/:orgId/products', {
      config: insurer,
      schema: {
        tags,
        summary: "An insurer's products",
        params: orgParam,
        response: { 200: z.object({ items: z.array(product) }) },
      },
      handler: async (req) => svc.listProducts(contextOf(req), req.params.orgId),
    });
    r.post('/insurers/:orgId/products', {
      config: insurer,
      schema: {
        tags,
        summary: 'Define a product',
        params: orgParam,
        body: productBody,
        response: { 201: product },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.createProduct(contextOf(req), req.params.orgId, req.body)),
    });
    r.patch('/insurance/products/:id', {
      config: insurer,
      schema: {
        tags,
        summary: 'Withdraw or re-offer a product',
        params: idParam,
        body: z.strictObject({ active: z.boolean() }),
        response: { 200: product },
      },
      handler: async (req) => svc.setProductActive(contextOf(req), req.params.id, req.body.active),
    });

    // ---- enrolment ----
    r.post('/companies/:orgId/insurance/enrolments', {
      config: { ...company, idempotent: true },
      schema: {
        tags,
        summary: 'Enrol staff in bulk (all or nothing); send an Idempotency-Key',
        params: orgParam,
        body: enrolBody,
        response: { 201: enrolment },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.enrolStaff(contextOf(req), req.params.orgId, req.body)),
    });
    r.post('/companies/:orgId/insurance/enrolments/upload', {
      config: { ...company, idempotent: true },
      schema: {
        tags,
        summary:
          'Enrol staff from a list (.xlsx/.csv with a 服务人员编号 column; fields productId, startsOn)',
        consumes: ['multipart/form-data'],
        params: orgParam,
        response: { 201: enrolment },
      },
      handler: async (req, reply) => {
        const f = await readFile(req);
        const workerIds = await readEnrolmentList(f);
        if (!workerIds) throw new AppError('INSURANCE_LIST_INVALID');
        const body = enrolBody.safeParse({
          productId: f.fields.productId,
          startsOn: f.fields.startsOn,
          workerIds,
        });
        if (!body.success)
          throw new AppError('VALIDATION_FAILED', {
            issues: body.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          });
        return reply.status(201).send(await svc.enrolStaff(contextOf(req), req.params.orgId, body.data));
      },
    });
    r.post('/workers/me/insurance/enrolments', {
      config: { authz: { roles: ['worker'] as const }, idempotent: true },
      schema: {
        tags,
        summary: 'Enrol myself (I pay what the subsidy does not); send an Idempotency-Key',
        body: z.strictObject({ productId: id, startsOn: day }),
        response: { 201: enrolment },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.enrolSelf(contextOf(req), req.body)),
    });

    // ---- policies ----
    const policyQuery = z.strictObject({ state: z.enum(policyStates).optional(), ...listQuery });
    r.get('/companies/:orgId/insurance/policies', {
      config: company,
      schema: {
        tags,
        summary: "My company's staff policies",
        params: orgParam,
        querystring: policyQuery,
        response: { 200: page(policy) },
      },
      handler: async (req) => svc.listCompanyPolicies(contextOf(req), req.params.orgId, req.query),
    });
    r.get('/insurers/:orgId/policies', {
      config: insurer,
      schema: {
        tags,
        summary: 'Policies I underwrite (state=pending: the enrolment queue)',
        params: orgParam,
        querystring: policyQuery,
        response: { 200: page(policy) },
      },
      handler: async (req) => svc.listInsurerPolicies(contextOf(req), req.params.orgId, req.query),
    });
    r.post('/insurers/:orgId/policies/confirm', {
      config: insurer,
      schema: {
        tags,
        summary: 'Confirm several pending policies',
        params: orgParam,
        body: z.strictObject({ ids: z.array(id).min(1).max(500) }),
        response: { 200: z.object({ confirmed: z.number().int() }) },
      },
      handler: async (req) => svc.confirmPolicies(contextOf(req), req.params.orgId, req.body.ids),
    });
    r.get('/workers/me/insurance/policies', {
      config: { authz: { roles: ['worker'] as const } },
      schema: { tags, summary: 'My policies', response: { 200: z.object({ items: z.array(policy) }) } },
      handler: async (req) => svc.listMyPolicies(contextOf(req)),
    });
    r.get('/insurance/policies/:id', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'One policy (insurer, company, the worker, regulator)',
        params: idParam,
        response: { 200: policyDetail },
      },
      handler: async (req) => svc.getPolicy(contextOf(req), req.params.id),
    });
    r.post('/insurance/policies/:id/confirm', {
      config: insurer,
      schema: {
        tags,
        summary: 'Confirm (承保) a pending policy',
        params: idParam,
        response: { 200: policyDetail },
      },
      handler: async (req) => svc.confirmPolicy(contextOf(req), req.params.id),
    });
    for (const action of ['reject', 'terminate', 'withdraw'] as const)
      r.post(`/insurance/policies/:id/${action}`, {
        config: {
          authz: {
            roles:
              action === 'withdraw'
                ? (['company_admin', 'company_staff', 'worker'] as const)
                : insurer.authz.roles,
          } as Authz,
        },
        schema: {
          tags,
          summary:
            action === 'withdraw'
              ? 'Withdraw a pending enrolment (the enroller)'
              : `${action === 'reject' ? 'Reject a pending' : 'Terminate an active'} policy, with reason`,
          params: idParam,
          body: z.strictObject({ reason: z.string().trim().max(500).nullish() }),
          response: { 200: policyDetail },
        },
        handler: async (req) =>
          svc.changePolicy(contextOf(req), req.params.id, action, req.body.reason ?? null),
      });
    r.get('/insurance/policies/:id/certificate', {
      config: {
        authz: { roles: ['insurer_staff', 'company_admin', 'company_staff', 'worker', 'regulator'] as const },
      },
      schema: { tags, summary: 'The policy certificate (保险凭证) as a Chinese PDF', params: idParam },
      handler: async (req, reply) => {
        const c = await svc.certificatePdf(contextOf(req), req.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${c.number}.pdf"`)
          .send(c.pdf);
      },
    });

    // ---- claims ----
    r.post('/insurance/claims', {
      config: { ...claimant, idempotent: true },
      schema: {
        tags,
        summary:
          'Report a claim (the insured worker, the company, or a resident for liability); send an Idempotency-Key',
        body: claimBody,
        response: { 201: claimDetail },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.fileClaim(contextOf(req), req.body)),
    });
    r.get('/insurance/claims/mine', {
      config: claimant,
      schema: {
        tags,
        summary: 'Claims I reported or that concern me',
        querystring: z.strictObject(listQuery),
        response: { 200: page(claimSummary.extend({ workerName: z.string() })) },
      },
      handler: async (req) => svc.listMyClaims(contextOf(req), req.query),
    });
    const claimQuery = z.strictObject({ state: z.enum(claimStates).optional(), ...listQuery });
    r.get('/insurers/:orgId/claims', {
      config: insurer,
      schema: {
        tags,
        summary: 'The claims queue with SLA timers',
        params: orgParam,
        querystring: claimQuery,
        response: { 200: page(claimSummary.extend({ workerName: z.string() })) },
      },
      handler: async (req) => svc.listInsurerClaims(contextOf(req), req.params.orgId, req.query),
    });
    r.get('/companies/:orgId/insurance/claims', {
      config: company,
      schema: {
        tags,
        summary: "Claims about my company's staff",
        params: orgParam,
        querystring: claimQuery,
        response: { 200: page(claimSummary.extend({ workerName: z.string() })) },
      },
      handler: async (req) => svc.listCompanyClaims(contextOf(req), req.params.orgId, req.query),
    });
    r.get('/insurance/claims/:id', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'One claim with its history and my possible steps',
        params: idParam,
        response: { 200: claimDetail },
      },
      handler: async (req) => svc.getClaim(contextOf(req), req.params.id),
    });
    const insurerSteps = {
      review: z.strictObject({}),
      'request-info': z.strictObject({ reason: text(500) }),
      approve: z.strictObject({ amountFen: fen().refine((n) => n > 0, 'must be positive') }),
      reject: z.strictObject({ reason: text(500) }),
      pay: z.strictObject({ payoutRef: text(100) }),
    } as const;
    for (const [path, body] of Object.entries(insurerSteps))
      r.post(`/insurance/claims/:id/${path}`, {
        config: insurer,
        schema: {
          tags,
          summary: `Claim step: ${path} (insurer)`,
          params: idParam,
          body,
          response: { 200: claimDetail },
        },
        handler: async (req) => {
          const b = req.body as { reason?: string; amountFen?: number; payoutRef?: string };
          return svc.claimStep(
            contextOf(req),
            req.params.id,
            path === 'request-info' ? 'request_info' : (path as 'review'),
            {
              reason: b.reason ?? null,
              amountFen: b.amountFen ?? null,
              payoutRef: b.payoutRef ?? null,
            },
          );
        },
      });
    r.post('/insurance/claims/:id/supply', {
      config: claimant,
      schema: {
        tags,
        summary: 'Supply the documents asked for (the claimant)',
        params: idParam,
        body: z.strictObject({ note: text(1000) }),
        response: { 200: claimDetail },
      },
      handler: async (req) => svc.claimStep(contextOf(req), req.params.id, 'supply', { note: req.body.note }),
    });
    r.post('/insurance/claims/:id/withdraw', {
      config: claimant,
      schema: {
        tags,
        summary: 'Withdraw a claim (the claimant)',
        params: idParam,
        body: z.strictObject({ reason: z.string().trim().max(500).nullish() }),
        response: { 200: claimDetail },
      },
      handler: async (req) =>
        svc.claimStep(contextOf(req), req.params.id, 'withdraw', { reason: req.body.reason ?? null }),
    });

    // ---- subsidy settlement ----
    r.get('/insurance/settlement', {
      config: settlementRoles,
      schema: {
        tags,
        summary:
          'Subsidy owed per insurer and company for policies confirmed in the period, with the policies behind each figure',
        querystring: periodQuery,
        response: { 200: settlement },
      },
      handler: async (req) => svc.settlement(contextOf(req), req.query),
    });
    r.get('/insurance/settlement/export', {
      config: settlementRoles,
      schema: {
        tags,
        summary: 'The settlement as .xlsx (Chinese headers) or CSV, for the regulator',
        querystring: periodQuery.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
      },
      handler: async (req, reply) => {
        const { format, ...period } = req.query;
        const t = await svc.settlementTable(contextOf(req), period);
        const name = `insurance-subsidy-${period.from}-${period.to}`;
        if (format === 'csv') {
          // A leading ' keeps spreadsheet programs from running a name as a formula (CSV injection).
          const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
          const cell = (v: string) => {
            const s = safe(v);
            return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
          };
          const csv = `\uFEFF${[t.header, ...t.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}.csv"`)
            .send(csv);
        }
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('补贴结算');
        ws.addRow([t.title]);
        ws.addRow(t.header);
        for (const row of t.rows) ws.addRow(row);
        ws.columns.forEach((c) => {
          c.width = 16;
        });
        const buf = Buffer.from(await wb.xlsx.writeBuffer());
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(buf);
      },
    });
  };
}
