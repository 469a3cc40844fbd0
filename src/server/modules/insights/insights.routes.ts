import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtCodes } from '../../../shared/districts.js';
import { creditGrades, serviceCategoryCodes, serviceModeCodes } from '../../../shared/domain.js';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { pageOf } from '../../platform/http/pagination.js';
import { type ExportTable, toCsv, toXlsx } from './export-file.js';
import type { InsightsService } from './insights.service.js';
import { wagePositionCodes } from './wage-positions.js';
import { wageSurveyActions, wageSurveyStates } from './wage-survey-status.js';

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .describe('YYYY-MM, Asia/Shanghai');
const day = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const ts = z.string().describe('UTC, ISO 8601');
const idParam = z.strictObject({ id: z.string().min(1).max(64) });
const limit = z.coerce.number().int().min(1).max(100).default(20);
const cursor = z.string().max(500).optional();
const district = z.enum(districtCodes);
const category = z.enum(serviceCategoryCodes);

/** Dashboard filters; unknown keys are refused (422 naming the key). */
const filters = z.strictObject({
  district: district.optional(),
  category: category.optional(),
  from: month.optional(),
  to: month.optional(),
});
const exportTables = [
  'all',
  'summary',
  'companies-by-grade',
  'orders-by-district',
  'orders-by-category',
  'orders-by-mode',
  'trend',
  'complaints-by-district',
] as const;

const flowRow = z.object({
  created: z.number().int(),
  completed: z.number().int(),
  demands: z.number().int(),
  completedValueFen: z.number().describe('Money in fen (分)'),
});
const dashboard = z.object({
  asOf: ts,
  filters: z.object({
    district: z.string().nullable(),
    category: z.string().nullable(),
    from: z.string(),
    to: z.string(),
  }),
  companies: z.object({
    active: z.number().int(),
    companies5A: z.number().int(),
    byGrade: z.array(z.object({ grade: z.string(), count: z.number().int() })),
    byStatus: z.array(z.object({ status: z.string(), count: z.number().int() })),
  }),
  workers: z.object({
    registered: z.number().int(),
    certified: z.object({
      green: z.number().int(),
      yellow: z.number().int(),
      red: z.number().int(),
      total: z.number().int(),
    }),
    trained: z.number().int(),
    insured: z.number().int(),
  }),
  orders: z.object({
    created: z.number().int(),
    completed: z.number().int(),
    completedValueFen: z.number(),
    demands: z.number().int(),
    byCategory: z.array(flowRow.extend({ category: z.string() })),
    byMode: z.array(flowRow.extend({ mode: z.string() })),
    byDistrict: z.array(
      z.object({
        district: z.string(),
        name: z.string(),
        lon: z.number(),
        lat: z.number(),
        ordersCreated: z.number().int(),
        ordersCompleted: z.number().int(),
        demandsCreated: z.number().int(),
        companies: z.number().int(),
        workers: z.number().int(),
        complaints: z.number().int(),
        complaintsWithinSlaPct: z.number().nullable(),
      }),
    ),
  }),
  complaints: z.object({
    filed: z.number().int(),
    answered: z.number().int(),
    answeredInSla: z.number().int(),
    slaDue: z.number().int(),
    withinSlaPct: z.number().nullable(),
    byDistrict: z.array(
      z.object({
        district: z.string(),
        filed: z.number().int(),
        answered: z.number().int(),
        answeredInSla: z.number().int(),
        slaDue: z.number().int(),
        withinSlaPct: z.number().nullable(),
      }),
    ),
  }),
  followUps: z.object({ count: z.number().int(), satisfactionAvg: z.number().nullable() }),
  trend: z.array(
    z.object({
      month: z.string(),
      ordersCreated: z.number().int(),
      ordersCompleted: z.number().int(),
      demands: z.number().int(),
      complaints: z.number().int(),
      satisfactionAvg: z.number().nullable(),
    }),
  ),
  heat: z.array(z.object({ district: z.string(), category: z.string(), count: z.number().int() })),
});
const refreshView = z.object({
  asOf: ts,
  durationMs: z.number().int(),
  trigger: z.enum(['job', 'manual', 'seed']),
});
const report = z.object({
  id: z.string(),
  month: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  asOf: ts,
  trigger: z.enum(['job', 'manual', 'seed']),
  generatedAt: ts,
});
const editionSummary = z.object({
  id: z.string(),
  title: z.string(),
  periodFrom: day,
  periodTo: day,
  state: z.enum(wageSurveyStates),
  minSamples: z.number().int(),
  sampleCount: z.number().int(),
  publishedAt: ts.nullable(),
  createdAt: ts,
  actions: z.array(z.enum(wageSurveyActions)),
});
const editionDetail = editionSummary.extend({
  cells: z.array(
    z.object({
      position: z.enum(wagePositionCodes),
      district: z.string().describe("'' for the whole city"),
      unit: z.enum(['month', 'hour']),
      sampleCount: z.number().int(),
      sources: z.object({ contract: z.number().int(), order: z.number().int(), import: z.number().int() }),
      p25Fen: z.number().int(),
      p50Fen: z.number().int(),
      p75Fen: z.number().int(),
      belowThreshold: z.boolean(),
    }),
  ),
});
const publicSurvey = z.object({
  id: z.string(),
  title: z.string(),
  periodFrom: day,
  periodTo: day,
  publishedAt: ts,
  minSamples: z.number().int(),
  positions: z.array(
    z.object({ code: z.string(), zh: z.string(), en: z.string(), unit: z.enum(['month', 'hour']) }),
  ),
  cells: z.array(
    z.object({
      position: z.string(),
      district: z.string().describe("'' for the whole city"),
      unit: z.enum(['month', 'hour']),
      hidden: z.boolean().describe('Fewer samples than minSamples: figures withheld for privacy'),
      sampleCount: z.number().int().nullable(),
      p25Fen: z.number().int().nullable(),
      p50Fen: z.number().int().nullable(),
      p75Fen: z.number().int().nullable(),
    }),
  ),
  editions: z.array(z.object({ id: z.string(), title: z.string(), publishedAt: ts })),
});
const publicStats = z.object({
  asOf: ts,
  companies: z.number().int(),
  companies5A: z.number().int(),
  workers: z.number().int(),
  certifiedWorkers: z.number().int(),
  trainedWorkers: z.number().int(),
  insuredWorkers: z.number().int(),
  ordersCompleted: z.number().int(),
  complaintsWithinSlaPct: z.number().nullable(),
});

// Market-wide figures are for regulators only: companies get 403 at the gate.
const regulator = { authz: { roles: ['regulator'] as const } };
const PUBLIC_CACHE = 'public, max-age=300';

async function sendTables(reply: FastifyReply, tables: ExportTable[], format: 'xlsx' | 'csv', name: string) {
  if (format === 'csv') {
    if (tables.length !== 1) throw new AppError('INSIGHTS_EXPORT_FORMAT');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .send(toCsv(tables[0]!));
  }
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${name}.xlsx"`)
    .send(await toXlsx(tables));
}

/** Reads the one uploaded file of a multipart request. */
async function readFile(req: FastifyRequest): Promise<{ data: Buffer; filename: string }> {
  if (!req.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { en: 'Send multipart/form-data with a file' });
  let file: { data: Buffer; filename: string } | null = null;
  try {
    for await (const part of req.parts())
      if (part.type === 'file') file = { data: await part.toBuffer(), filename: part.filename };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('FILE_TOO_LARGE');
    throw new AppError('MALFORMED_REQUEST', { cause: e });
  }
  if (!file)
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'a file is required' }] });
  if (!file.data.length) throw new AppError('FILE_EMPTY');
  return file;
}

/** /api/v1 routes of insights: dashboard, drill-down, exports, reports, wage survey, open statistics. */
export function insightsRoutes(svc: InsightsService) {
  return async function plugin(app: FastifyInstance) {
    await app.register(multipart, { limits: { fileSize: 2 * 1024 * 1024, files: 1, fields: 2, parts: 3 } });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['insights'];

    r.get('/insights/dashboard', {
      config: regulator,
      schema: {
        tags,
        summary:
          "The regulator dashboard's figures from the rollups (filters: district, category, from–to months)",
        querystring: filters,
        response: { 200: dashboard },
      },
      handler: async (req) => svc.dashboard(contextOf(req), req.query),
    });
    r.get('/insights/refresh', {
      config: regulator,
      schema: {
        tags,
        summary: 'When the rollups were last refreshed',
        response: { 200: z.object({ last: refreshView.nullable() }) },
      },
      handler: async () => ({ last: await svc.lastRefresh() }),
    });
    r.post('/insights/refresh', {
      config: regulator,
      schema: {
        tags,
        summary: 'Refresh the rollups now (otherwise an hourly job does)',
        body: z.strictObject({}).optional(),
        response: { 200: refreshView },
      },
      handler: async (req) => svc.refresh(contextOf(req), 'manual'),
    });
    r.get('/insights/drill/companies', {
      config: regulator,
      schema: {
        tags,
        summary: 'Drill-down: companies (public business facts) by district, status and grade',
        querystring: z.strictObject({
          district: district.optional(),
          status: z.enum(['pending', 'active', 'suspended', 'expelled']).optional(),
          grade: z.enum([...creditGrades, 'none']).optional(),
          cursor,
          limit,
        }),
        response: {
          200: pageOf(
            z.object({
              id: z.string(),
              name: z.string(),
              district: z.string().nullable(),
              status: z.string(),
              creditGrade: z.string().nullable(),
            }),
          ).extend({ total: z.number().int().describe('How many match the filters, all pages') }),
        },
      },
      handler: async (req) => svc.drillCompanies(contextOf(req), req.query),
    });
    r.get('/insights/drill/orders', {
      config: regulator,
      schema: {
        tags,
        summary: 'Drill-down: orders (no parties or addresses) by district, category, mode and month',
        querystring: z.strictObject({
          district: district.optional(),
          category: category.optional(),
          mode: z.enum(serviceModeCodes).optional(),
          month: month.optional(),
          cursor,
          limit,
        }),
        response: {
          200: pageOf(
            z.object({
              id: z.string(),
              number: z.string(),
              category: z.string(),
              mode: z.string(),
              district: z.string(),
              state: z.string(),
              totalFen: z.number().int(),
              createdAt: ts,
            }),
          ).extend({ total: z.number().int().describe('How many match the filters, all pages') }),
        },
      },
      handler: async (req) => svc.drillOrders(contextOf(req), req.query),
    });
    r.get('/insights/exports/:table', {
      config: regulator,
      schema: {
        tags,
        summary: 'A dashboard table (or all, xlsx only) as .xlsx with Chinese headers or CSV (UTF-8 BOM)',
        params: z.strictObject({ table: z.enum(exportTables) }),
        querystring: filters.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
      },
      handler: async (req, reply) => {
        const { format, ...f } = req.query;
        const tables = await svc.exportTables(contextOf(req), f, req.params.table);
        return sendTables(reply, tables, format, `insights-${req.params.table}`);
      },
    });

    // ---- monthly reports ----
    r.get('/insights/reports', {
      config: regulator,
      schema: {
        tags,
        summary: 'Stored monthly reports, newest first',
        querystring: z.strictObject({ cursor, limit }),
        response: { 200: pageOf(report) },
      },
      handler: async (req) => svc.listReports(req.query),
    });
    r.post('/insights/reports', {
      config: regulator,
      schema: {
        tags,
        summary:
          "Generate (or regenerate) a month's report now; a job does it on the 1st for the month before",
        body: z.strictObject({ month }),
        response: { 201: report },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.generateReport(contextOf(req), req.body.month, 'manual')),
    });
    r.get('/insights/reports/:id/pdf', {
      config: regulator,
      schema: { tags, summary: 'A stored monthly report (PDF)', params: idParam },
      handler: async (req, reply) => {
        const { month: m, pdf } = await svc.reportPdf(req.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="anxin-report-${m}.pdf"`)
          .send(pdf);
      },
    });

    // ---- wage survey ----
    r.get('/insights/wage-survey/editions', {
      config: regulator,
      schema: {
        tags,
        summary: 'Wage survey editions, newest first',
        querystring: z.strictObject({ cursor, limit }),
        response: { 200: pageOf(editionSummary) },
      },
      handler: async (req) => svc.listEditions(req.query),
    });
    r.post('/insights/wage-survey/editions', {
      config: regulator,
      schema: {
        tags,
        summary: 'Compute a draft edition from contracts filed and orders completed in a period (≤ 1 year)',
        body: z.strictObject({
          title: z.string().trim().min(1).max(100),
          periodFrom: day,
          periodTo: day,
          minSamples: z.number().int().min(1).max(100).optional(),
        }),
        response: { 201: editionDetail },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.createEdition(contextOf(req), req.body)),
    });
    r.get('/insights/wage-survey/editions/:id', {
      config: regulator,
      schema: {
        tags,
        summary: 'An edition with every cell (cells under the threshold are flagged, not hidden)',
        params: idParam,
        response: { 200: editionDetail },
      },
      handler: async (req) => svc.getEdition(req.params.id),
    });
    r.post('/insights/wage-survey/editions/:id/import', {
      config: regulator,
      schema: {
        tags,
        summary:
          'Import survey rows into a draft (.csv or .xlsx with 岗位, 区域, 金额(元)); all rows or none',
        consumes: ['multipart/form-data'],
        params: idParam,
        response: { 200: z.object({ imported: z.number().int(), edition: editionDetail }) },
      },
      handler: async (req) => svc.importSamples(contextOf(req), req.params.id, await readFile(req)),
    });
    for (const action of wageSurveyActions)
      r.post(`/insights/wage-survey/editions/:id/${action}`, {
        config: regulator,
        schema: {
          tags,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} an edition`,
          params: idParam,
          body: z.strictObject({}).optional(),
          response: { 200: editionDetail },
        },
        handler: async (req) => svc.changeEdition(contextOf(req), req.params.id, action),
      });
    r.get('/insights/wage-survey/editions/:id/export', {
      config: regulator,
      schema: {
        tags,
        summary: "An edition's cells as .xlsx or CSV (every cell, threshold flagged)",
        params: idParam,
        querystring: z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
      },
      handler: async (req, reply) =>
        sendTables(
          reply,
          [await svc.editionTable(req.params.id)],
          req.query.format,
          `wage-survey-${req.params.id}`,
        ),
    });

    // ---- public ----
    r.get('/public/wage-survey', {
      config: {
        authz: { public: 'the published wage and price survey is open data; small cells are hidden' },
      },
      schema: {
        tags,
        summary: 'The latest published wage survey (or ?edition=), cells under the sample threshold hidden',
        querystring: z.strictObject({ edition: z.string().min(1).max(64).optional() }),
        response: { 200: publicSurvey },
      },
      handler: async (req, reply) => {
        reply.header('cache-control', PUBLIC_CACHE);
        return svc.publicWageSurvey(req.query.edition);
      },
    });
    r.get('/public/stats', {
      config: { authz: { public: 'headline market figures are open statistics (no personal data)' } },
      schema: {
        tags,
        summary: 'Open statistics: the city’s headline figures',
        response: { 200: publicStats },
      },
      handler: async (_req, reply) => {
        reply.header('cache-control', PUBLIC_CACHE);
        return svc.publicStats();
      },
    });
  };
}
