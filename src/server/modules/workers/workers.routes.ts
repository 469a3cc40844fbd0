import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtCodes } from '../../../shared/districts.js';
import { documentKinds, serviceCategoryCodes, skillLevelCodes } from '../../../shared/domain.js';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import {
  type DocumentFields,
  MAX_UPLOAD_BYTES,
  type UploadedFile,
  type WorkersService,
} from './workers.service.js';

const documentKindCodes = documentKinds.map((k) => k.code) as [string, ...string[]];
// A calendar date: `1164-25-95` matches the pattern but PostgreSQL refuses it (a 500 the fuzz suite found).
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD expected')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    // PostgreSQL has no year 0.
    return !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');
const id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().min(1).max(max);

const consent = z.strictObject({ version: z.string().min(1).max(40), accepted: z.boolean() });
const profileFields = {
  district: z.enum(districtCodes).nullable().optional(),
  nativePlace: text(60).nullable().optional(),
  education: text(30).nullable().optional(),
  languages: z.array(text(20)).max(10).optional(),
  skillLevel: z.enum(skillLevelCodes).nullable().optional(),
  maternityStars: z.number().int().min(0).max(5).nullable().optional(),
  yearsExperience: z.number().int().min(0).max(60).nullable().optional(),
  intro: text(1000).nullable().optional(),
  // Mainland China's extent; stored rounded to ~100 m (workers.service profileValues).
  baseLon: z.number().min(73).max(136).nullable().optional(),
  baseLat: z.number().min(3).max(54).nullable().optional(),
};
const categories = z.array(z.enum(serviceCategoryCodes)).min(1).max(12);
const identityFields = {
  name: z.string().trim().min(2).max(30),
  idNumber: z.string().trim().min(1).max(30).describe('18-character resident ID number (GB 11643)'),
  categories,
};

const healthSchema = z.object({
  state: z.enum(['valid', 'expired', 'pending', 'missing', 'rejected']),
  validUntil: z.string().nullable(),
});
const workerSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z
    .string()
    .describe('Full for the worker and the regulator, masked (4401**********1234) for a company'),
  idNumberMasked: z.boolean(),
  birthDate: z.string().nullable(),
  sex: z.enum(['M', 'F']),
  phoneMasked: z.string().nullable(),
  district: z.string().nullable(),
  nativePlace: z.string().nullable(),
  education: z.string().nullable(),
  languages: z.array(z.string()),
  categories: z.array(z.string()),
  skillLevel: z.string().nullable(),
  maternityStars: z.number().nullable(),
  yearsExperience: z.number().nullable(),
  intro: z.string().nullable(),
  baseLon: z.number().nullable(),
  baseLat: z.number().nullable(),
  hasPhoto: z.boolean(),
  status: z.string(),
  registeredVia: z.string(),
  companyId: z.string().nullable(),
  employedSince: z.string().nullable(),
  consentAcceptedAt: z.string().nullable(),
  identityVerified: z.boolean(),
  health: healthSchema,
  skillCert: z.object({ state: z.enum(['valid', 'pending', 'missing', 'rejected', 'expired']) }),
  training: z.object({ state: z.enum(['passed', 'failed', 'missing']), passedOn: z.string().nullable() }),
  background: z.object({
    passed: z.boolean(),
    checkedOn: z.string().nullable(),
    detail: z
      .object({
        state: z.string(),
        checkedOn: z.string().nullable(),
        provider: z.string(),
        reference: z.string().nullable(),
      })
      .nullable(),
  }),
  createdAt: z.string(),
});
const documentSchema = z.object({
  id: z.string(),
  workerId: z.string(),
  kind: z.enum(documentKindCodes),
  mime: z.string(),
  size: z.number(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  number: z.string().nullable(),
  state: z.enum(['pending', 'approved', 'rejected']),
  reason: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  current: z.boolean(),
  createdAt: z.string(),
});
const listItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  sex: z.enum(['M', 'F']),
  district: z.string().nullable(),
  categories: z.array(z.string()),
  skillLevel: z.string().nullable(),
  status: z.string(),
  employedSince: z.string().nullable(),
  identityVerified: z.boolean(),
  health: healthSchema,
});
const employmentSchema = z.object({
  id: z.string(),
  workerId: z.string(),
  companyId: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  endedReason: z.string().nullable(),
});
const page = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
};
const decision = z.enum(['approve', 'reject']);

const workerRoles = ['worker'] as const;
const companyRoles = ['company_admin', 'company_staff'] as const;
const regulatorRoles = ['regulator'] as const;

/** Reads one file and its text fields from a multipart request; the file is refused above the limit. */
async function readUpload(
  req: FastifyRequest,
): Promise<{ file: UploadedFile | null; fields: Record<string, string> }> {
  if (!req.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { en: 'Send multipart/form-data with a file' });
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (file) {
          await part.toBuffer();
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'file', message: 'one file per request' }],
          });
        }
        file = { data: await part.toBuffer(), filename: part.filename };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('FILE_TOO_LARGE', { detail: `The limit is ${MAX_UPLOAD_BYTES} bytes` });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'too many parts' }] });
    throw new AppError('MALFORMED_REQUEST', { cause: e });
  }
  return { file, fields };
}

const documentFieldsSchema = z.strictObject({
  kind: z.enum(documentKindCodes),
  issuedOn: isoDate.optional(),
  expiresOn: isoDate.optional(),
  number: z.string().trim().min(1).max(60).optional(),
});

function parseDocumentFields(fields: Record<string, string>): DocumentFields {
  const cleaned = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''));
  const parsed = documentFieldsSchema.safeParse(cleaned);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'fields', message: i.message })),
    });
  return parsed.data as DocumentFields;
}

async function readDocumentUpload(req: FastifyRequest) {
  const { file, fields } = await readUpload(req);
  const parsedFields = parseDocumentFields(fields);
  if (!file)
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'a file is required' }] });
  return { file, fields: parsedFields };
}

/** /api/v1 worker routes: consent, registration, profile, documents and review, checks, employment. */
export function workersRoutes(workers: WorkersService) {
  return async function plugin(app: FastifyInstance) {
    await app.register(multipart, {
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1000, parts: 12 },
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['workers'];

    r.get('/workers/consent-text', {
      config: { authz: { public: 'anyone may read the authorisation letter before registering' } },
      schema: {
        tags,
        summary: 'The current 信用信息授权书 (data-authorisation letter)',
        response: {
          200: z.object({ version: z.string(), title: z.string(), text: z.string(), sha256: z.string() }),
        },
      },
      handler: async () => workers.consentText(),
    });

    r.post('/workers/me', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Register the signed-in account as a worker (consent required)',
        body: z.strictObject({ ...identityFields, ...profileFields, consent }),
        response: { 201: workerSchema },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await workers.registerSelf(contextOf(req), req.body)),
    });

    r.get('/workers/me', {
      config: { authz: { roles: workerRoles } },
      schema: { tags, summary: "The signed-in worker's record", response: { 200: workerSchema } },
      handler: async (req) => workers.getMine(contextOf(req)),
    });

    r.patch('/workers/me', {
      config: { authz: { roles: workerRoles } },
      schema: {
        tags,
        summary: "Update the signed-in worker's profile",
        body: z.strictObject({ ...profileFields, categories: categories.optional() }),
        response: { 200: workerSchema },
      },
      handler: async (req) => workers.updateMine(contextOf(req), req.body),
    });

    r.post('/workers/me/consent/withdraw', {
      config: { authz: { roles: workerRoles } },
      schema: {
        tags,
        summary:
          'Withdraw the data-authorisation letter (撤回授权): nothing new is collected; the certificate stops being green',
        body: z.strictObject({}).optional(),
        response: { 200: workerSchema },
      },
      handler: async (req) => workers.withdrawConsent(contextOf(req)),
    });

    r.post('/workers/me/consent', {
      config: { authz: { roles: workerRoles } },
      schema: {
        tags,
        summary: 'Accept the current data-authorisation letter again after withdrawing it',
        body: z.strictObject({ consent }),
        response: { 200: workerSchema },
      },
      handler: async (req) => workers.acceptConsent(contextOf(req), req.body.consent),
    });

    r.post('/workers/me/photo', {
      config: { authz: { roles: workerRoles } },
      schema: {
        tags,
        summary: "Upload the worker's photo (multipart, JPEG or PNG)",
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ hasPhoto: z.boolean() }) },
      },
      handler: async (req) => {
        const { file } = await readUpload(req);
        if (!file)
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'file', message: 'a file is required' }],
          });
        return workers.uploadPhoto(contextOf(req), file);
      },
    });

    r.post('/workers/confirm', {
      config: { authz: { public: 'a worker confirms a company-entered registration with the SMS code' } },
      schema: {
        tags,
        summary:
          'Confirm a registration made by a company (SMS code + consent); creates or links the account',
        body: z.strictObject({
          phone: z.string().min(1).max(20),
          code: z.string().min(1).max(10),
          password: z.string().min(1).max(128).optional(),
          consent,
        }),
        response: {
          200: z.object({
            workerId: z.string(),
            userId: z.string(),
            status: z.literal('active'),
            accountCreated: z.boolean(),
          }),
        },
      },
      handler: async (req) => workers.confirm(contextOf(req), req.body),
    });

    r.get('/workers/:id', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: "A worker's record: full for the worker and regulator, masked for the employing company",
        params: z.object({ id }),
        response: { 200: workerSchema },
      },
      handler: async (req) => workers.getById(contextOf(req), req.params.id),
    });

    r.post('/workers/me/documents', {
      config: { authz: { roles: workerRoles } },
      schema: {
        tags,
        summary: 'Upload a document (multipart: file, kind, issuedOn, expiresOn, number)',
        consumes: ['multipart/form-data'],
        response: { 201: documentSchema },
      },
      handler: async (req, reply) => {
        const { file, fields } = await readDocumentUpload(req);
        return reply.status(201).send(await workers.uploadMyDocument(contextOf(req), file, fields));
      },
    });

    r.get('/workers/me/documents', {
      config: { authz: { roles: workerRoles } },
      schema: {
        tags,
        summary: "The signed-in worker's documents and their review state",
        response: { 200: z.object({ items: z.array(documentSchema) }) },
      },
      handler: async (req) => workers.listMyDocuments(contextOf(req)),
    });

    r.get('/workers/:id/documents', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: "A worker's documents (regulator: all; employing company: health and skill)",
        params: z.object({ id }),
        response: { 200: z.object({ items: z.array(documentSchema) }) },
      },
      handler: async (req) => workers.listDocuments(contextOf(req), req.params.id),
    });

    r.get('/documents/:id/file', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary:
          "A document's file (worker, regulator, employing company for health/skill); every view audited",
        params: z.object({ id }),
        response: { 200: z.any().describe('The file bytes') },
      },
      handler: async (req, reply) => {
        const f = await workers.documentFile(contextOf(req), req.params.id);
        return reply
          .type(f.mime)
          .header('content-disposition', `attachment; filename="${f.filename}"`)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .send(f.data);
      },
    });

    r.get('/regulator/documents', {
      config: { authz: { roles: regulatorRoles } },
      schema: {
        tags,
        summary: 'Document review queue (keyset-paginated by id)',
        querystring: z.strictObject({
          state: z.enum(['pending', 'approved', 'rejected']).optional(),
          kind: z.enum(documentKindCodes).optional(),
          district: z.enum(districtCodes).optional(),
          ...page,
        }),
        response: {
          200: z.object({
            items: z.array(
              documentSchema.extend({ workerName: z.string(), district: z.string().nullable() }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
      handler: async (req) =>
        workers.reviewQueue(contextOf(req), req.query as Parameters<WorkersService['reviewQueue']>[1]),
    });

    r.post('/regulator/documents/:id/review', {
      config: { authz: { roles: regulatorRoles } },
      schema: {
        tags,
        summary: 'Approve or reject a document (reason required to reject)',
        params: z.object({ id }),
        body: z.strictObject({ decision, reason: z.string().trim().max(500).optional() }),
        response: { 200: documentSchema },
      },
      handler: async (req) => workers.review(contextOf(req), req.params.id, req.body),
    });

    r.post('/regulator/documents/review', {
      config: { authz: { roles: regulatorRoles } },
      schema: {
        tags,
        summary: 'Review several documents at once; each result is reported',
        body: z.strictObject({
          ids: z.array(id).min(1).max(100),
          decision,
          reason: z.string().trim().max(500).optional(),
        }),
        response: {
          200: z.object({
            results: z.array(z.object({ id: z.string(), ok: z.boolean(), code: z.string().nullable() })),
          }),
        },
      },
      handler: async (req) => workers.reviewBulk(contextOf(req), req.body),
    });

    r.get('/regulator/workers', {
      config: { authz: { roles: regulatorRoles } },
      schema: {
        tags,
        summary: "Workers in the regulator's jurisdiction",
        querystring: z.strictObject({
          district: z.enum(districtCodes).optional(),
          name: z.string().trim().min(1).max(30).optional(),
          ...page,
        }),
        response: { 200: z.object({ items: z.array(listItemSchema), nextCursor: z.string().nullable() }) },
      },
      handler: async (req) => workers.listForRegulator(contextOf(req), req.query),
    });

    r.post('/regulator/workers/:id/background-checks', {
      config: { authz: { roles: regulatorRoles } },
      schema: {
        tags,
        summary: 'Record a background-check result (manual provider) with its evidence',
        params: z.object({ id }),
        body: z.strictObject({
          state: z.enum(['clear', 'record_found', 'pending']),
          checkedOn: isoDate.optional(),
          reference: z.string().trim().min(1).max(100).optional(),
          evidenceDocumentId: id.optional(),
        }),
        response: {
          201: z.object({
            id: z.string(),
            workerId: z.string(),
            provider: z.string(),
            state: z.string(),
            checkedOn: z.string().nullable(),
            reference: z.string().nullable(),
            evidenceDocumentId: z.string().nullable(),
          }),
        },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await workers.recordBackgroundCheck(contextOf(req), req.params.id, req.body)),
    });

    r.post('/regulator/workers/:id/training', {
      config: { authz: { roles: regulatorRoles } },
      schema: {
        tags,
        summary: 'Record an interim pre-job training and exam result',
        params: z.object({ id }),
        body: z.strictObject({
          courseName: text(100),
          passed: z.boolean(),
          score: z.number().int().min(0).max(100).optional(),
          examDate: isoDate,
        }),
        response: {
          201: z.object({
            id: z.string(),
            workerId: z.string(),
            courseName: z.string(),
            passed: z.boolean(),
            score: z.number().nullable(),
            examDate: z.string(),
            source: z.literal('regulator'),
          }),
        },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await workers.recordTraining(contextOf(req), req.params.id, req.body)),
    });

    r.post('/companies/:companyId/workers', {
      config: { authz: { roles: companyRoles } },
      schema: {
        tags,
        summary: 'Register a worker on their behalf; the worker confirms by SMS code',
        params: z.object({ companyId: id }),
        body: z.strictObject({ ...identityFields, ...profileFields, phone: z.string().min(1).max(20) }),
        response: { 201: workerSchema },
      },
      handler: async (req, reply) =>
        reply
          .status(201)
          .send(await workers.registerByCompany(contextOf(req), req.params.companyId, req.body)),
    });

    r.get('/companies/:companyId/workers', {
      config: { authz: { roles: companyRoles } },
      schema: {
        tags,
        summary: "The company's workers and pending registrations",
        params: z.object({ companyId: id }),
        querystring: z.strictObject(page),
        response: { 200: z.object({ items: z.array(listItemSchema), nextCursor: z.string().nullable() }) },
      },
      handler: async (req) => workers.listCompanyWorkers(contextOf(req), req.params.companyId, req.query),
    });

    r.post('/companies/:companyId/workers/:workerId/documents', {
      config: { authz: { roles: companyRoles } },
      schema: {
        tags,
        summary: 'Upload a health or skill certificate for an employed worker (multipart)',
        params: z.object({ companyId: id, workerId: id }),
        consumes: ['multipart/form-data'],
        response: { 201: documentSchema },
      },
      handler: async (req, reply) => {
        const { file, fields } = await readDocumentUpload(req);
        const ctx = contextOf(req);
        return reply
          .status(201)
          .send(await workers.uploadForWorker(ctx, req.params.companyId, req.params.workerId, file, fields));
      },
    });

    r.post('/companies/:companyId/workers/:workerId/employment', {
      config: { authz: { roles: companyRoles } },
      schema: {
        tags,
        summary: 'Hire a worker (identified by their ID number); one open employment per worker',
        params: z.object({ companyId: id, workerId: id }),
        body: z.strictObject({ idNumber: z.string().trim().min(1).max(30) }),
        response: { 201: employmentSchema },
      },
      handler: async (req, reply) =>
        reply
          .status(201)
          .send(await workers.hire(contextOf(req), req.params.companyId, req.params.workerId, req.body)),
    });

    r.post('/companies/:companyId/workers/:workerId/employment/end', {
      config: { authz: { roles: companyRoles } },
      schema: {
        tags,
        summary: 'End the open employment with a reason',
        params: z.object({ companyId: id, workerId: id }),
        body: z.strictObject({ reason: text(200) }),
        response: { 200: employmentSchema },
      },
      handler: async (req) =>
        workers.endEmployment(contextOf(req), req.params.companyId, req.params.workerId, req.body),
    });
  };
}
