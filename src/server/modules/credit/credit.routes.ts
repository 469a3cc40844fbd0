import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../platform/http/context.js';
import { appealStates } from './appeal-status.js';
import type { CreditService } from './credit.service.js';
import { companyIndicatorKeys, scorecardConfigSchema, workerIndicatorKeys } from './scorecard.js';
import { warningStates } from './warning-status.js';

const id = z.string().min(1).max(64);
const ts = z.string().describe('UTC, ISO 8601');
const text = (max: number) => z.string().trim().min(1).max(max);
const listQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const subjectType = z.enum(['worker', 'company']);
const indicatorKey = z.enum([...new Set([...workerIndicatorKeys, ...companyIndicatorKeys])] as [
  string,
  ...string[],
]);

const appeal = z.object({
  id: z.string(),
  subjectType,
  subjectId: z.string(),
  indicator: z.string(),
  reason: z.string(),
  evidence: z.string().nullable(),
  state: z.enum(appealStates),
  decisionNote: z.string().nullable(),
  createdAt: ts,
  decidedAt: ts.nullable(),
});
const explanation = z.object({
  subjectType,
  subjectId: z.string(),
  score: z.number().describe('0–100, two decimals; the sum of the indicators’ points'),
  level: z.string().describe("'1'…'5' stars for workers, 'A'…'5A' for companies"),
  scorecardVersion: z.number().int(),
  computedAt: ts,
  indicators: z.array(
    z.object({
      key: z.string(),
      dimension: z.string(),
      weight: z.number(),
      value: z.number().describe('share of the weight earned, 0–1'),
      points: z.number(),
    }),
  ),
  improvements: z
    .array(z.object({ key: z.string(), gain: z.number() }))
    .describe('largest possible gain first'),
  facts: z.record(z.string(), z.unknown()).describe('the counts and flags the score came from'),
  history: z.array(z.object({ at: ts, score: z.number(), level: z.string() })),
  appeals: z.array(appeal),
});
const scorecard = z.object({
  id: z.string(),
  version: z.number().int(),
  config: scorecardConfigSchema,
  note: z.string().nullable(),
  createdAt: ts,
});
const listEntry = z.object({
  id: z.string(),
  subjectType,
  subjectId: z.string(),
  name: z.string().describe('company name, or the worker’s masked name'),
  list: z.enum(['red', 'black']),
  reason: z.string(),
  listedAt: ts,
  removedAt: ts.nullable(),
});
const expulsion = z.object({
  companyId: z.string(),
  companyName: z.string(),
  ground: z.enum(['persistent_failure', 'serious_violation']),
  reason: z.string(),
  expelledAt: ts,
  workersReleased: z.number().int().nullable(),
  openOrders: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      state: z.string(),
      workerId: z.string().nullable(),
      serviceStart: ts,
    }),
  ),
});
const appealBody = z.strictObject({
  indicator: indicatorKey,
  reason: text(500),
  evidence: z
    .string()
    .trim()
    .max(2000)
    .nullish()
    .describe('what shows the indicator is wrong (documents, order numbers)'),
});

const regulator = { authz: { roles: ['regulator'] as const } };

/** /api/v1 routes of credit: explanations, appeals, scorecard versions, lists, evaluation and expulsion. */
export function creditRoutes(svc: CreditService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['credit'];

    // ---- public ----
    r.get('/credit/scorecard', {
      config: { authz: { public: 'the credit rules in force are published' } },
      schema: {
        tags,
        summary: 'The scorecard version in force',
        response: { 200: scorecard.omit({ note: true, createdAt: true }) },
      },
      handler: async () => svc.activeScorecard(),
    });
    r.get('/credit/5a', {
      config: { authz: { public: 'the 5A list is published' } },
      schema: {
        tags,
        summary: 'The published 5A list: active companies graded 5A',
        querystring: z.strictObject(listQuery),
        response: {
          200: page(
            z.object({
              companyId: z.string(),
              name: z.string(),
              district: z.string().nullable(),
              score: z.number(),
            }),
          ),
        },
      },
      handler: async (req) => svc.fiveAList(req.query),
    });
    r.get('/credit/lists/:list', {
      config: { authz: { public: 'the red and black lists are published' } },
      schema: {
        tags,
        summary: 'Current red (守信) or black (失信) list entries, newest first',
        params: z.strictObject({ list: z.enum(['red', 'black']) }),
        querystring: z.strictObject(listQuery),
        response: { 200: page(listEntry) },
      },
      handler: async (req) => svc.publicList(req.params.list, req.query),
    });

    // ---- worker ----
    r.get('/credit/me', {
      config: { authz: { roles: ['worker'] } },
      schema: {
        tags,
        summary: 'My credit score, each indicator’s points, what would raise it, history, appeals',
        response: { 200: explanation },
      },
      handler: async (req) => svc.myWorkerCredit(contextOf(req)),
    });
    r.post('/credit/me/appeals', {
      config: { authz: { roles: ['worker'] } },
      schema: {
        tags,
        summary: 'Appeal one of my indicators with evidence',
        body: appealBody,
        response: { 201: appeal },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.appealAsWorker(contextOf(req), req.body)),
    });

    // ---- company ----
    r.get('/companies/:orgId/credit', {
      config: { authz: { roles: ['company_admin', 'company_staff'] } },
      schema: {
        tags,
        summary: 'The company’s credit score and grade explained',
        params: z.strictObject({ orgId: id }),
        response: { 200: explanation },
      },
      handler: async (req) => svc.companyCredit(contextOf(req), req.params.orgId),
    });
    r.post('/companies/:orgId/credit/appeals', {
      config: { authz: { roles: ['company_admin'] } },
      schema: {
        tags,
        summary: 'Appeal one of the company’s indicators with evidence',
        params: z.strictObject({ orgId: id }),
        body: appealBody,
        response: { 201: appeal },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.appealAsCompany(contextOf(req), req.params.orgId, req.body)),
    });

    // ---- regulator ----
    r.get('/regulator/credit/scorecards', {
      config: regulator,
      schema: { tags, summary: 'Scorecard versions, newest first', response: { 200: z.array(scorecard) } },
      handler: async () => svc.scorecards(),
    });
    r.post('/regulator/credit/scorecards', {
      config: regulator,
      schema: {
        tags,
        summary:
          'Publish a new scorecard version (weights sum to 100, thresholds rise); everyone is rescored',
        // Shape errors and sum/order errors both come back as CREDIT_SCORECARD_INVALID naming the field.
        body: z.strictObject({ config: z.unknown(), note: z.string().trim().max(200).optional() }),
        response: { 201: scorecard },
      },
      handler: async (req, reply) =>
        reply.status(201).send(
          await svc.publishScorecard(contextOf(req), {
            config: req.body.config as z.infer<typeof scorecardConfigSchema>,
            note: req.body.note,
          }),
        ),
    });
    r.post('/regulator/credit/recompute', {
      config: regulator,
      schema: {
        tags,
        summary: 'Run the full recompute now (it also runs nightly)',
        response: {
          200: z.object({
            companies: z.number().int(),
            workers: z.number().int(),
            /** Subjects whose score, level, version or facts changed (only those are written). */
            changed: z.object({ companies: z.number().int(), workers: z.number().int() }),
            ms: z.number(),
          }),
        },
      },
      handler: async (req) => svc.recomputeAll(contextOf(req)),
    });
    r.get('/regulator/credit/companies', {
      config: regulator,
      schema: {
        tags,
        summary: 'Rated companies, lowest score first',
        querystring: z.strictObject(listQuery),
        response: {
          200: page(
            z.object({
              companyId: z.string(),
              name: z.string(),
              status: z.string(),
              score: z.number(),
              level: z.string(),
            }),
          ),
        },
      },
      handler: async (req) => svc.companyScores(contextOf(req), req.query),
    });
    r.get('/regulator/credit/subjects/:type/:id', {
      config: regulator,
      schema: {
        tags,
        summary: 'Any worker’s or company’s credit explained',
        params: z.strictObject({ type: subjectType, id }),
        response: { 200: explanation },
      },
      handler: async (req) => svc.regulatorExplain(contextOf(req), req.params.type, req.params.id),
    });
    r.get('/regulator/credit/appeals', {
      config: regulator,
      schema: {
        tags,
        summary: 'Appeals, oldest first',
        querystring: z.strictObject({ state: z.enum(appealStates).optional(), ...listQuery }),
        response: { 200: page(appeal) },
      },
      handler: async (req) => svc.appeals(contextOf(req), req.query),
    });
    r.post('/regulator/credit/appeals/:id/decision', {
      config: regulator,
      schema: {
        tags,
        summary: 'Uphold (the indicator then counts in full) or reject an appeal',
        params: z.strictObject({ id }),
        body: z.strictObject({ decision: z.enum(['uphold', 'reject']), note: text(500) }),
        response: { 200: appeal },
      },
      handler: async (req) => svc.decideAppeal(contextOf(req), req.params.id, req.body),
    });
    r.post('/regulator/credit/lists', {
      config: regulator,
      schema: {
        tags,
        summary: 'Put a worker or company on the red or black list with a reason',
        body: z.strictObject({
          subjectType,
          subjectId: id,
          list: z.enum(['red', 'black']),
          reason: text(500),
        }),
        response: { 201: listEntry },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.addListEntry(contextOf(req), req.body)),
    });
    r.post('/regulator/credit/lists/:id/remove', {
      config: regulator,
      schema: {
        tags,
        summary: 'Take an entry off its list',
        params: z.strictObject({ id }),
        response: { 200: listEntry },
      },
      handler: async (req) => svc.removeListEntry(contextOf(req), req.params.id),
    });
    r.post('/regulator/credit/evaluations', {
      config: regulator,
      schema: {
        tags,
        summary: 'Run an evaluation cycle: warn companies below the line, resolve those back above it',
        response: {
          201: z.object({
            id: z.string(),
            evaluated: z.number().int(),
            warned: z.number().int(),
            resolved: z.number().int(),
            warnBelow: z.number(),
            createdAt: ts,
          }),
        },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.runEvaluation(contextOf(req))),
    });
    r.get('/regulator/credit/warnings', {
      config: regulator,
      schema: {
        tags,
        summary: 'Warnings with deadlines; open and overdue ones may lead to expulsion',
        querystring: z.strictObject({ state: z.enum(warningStates).optional(), ...listQuery }),
        response: {
          200: page(
            z.object({
              id: z.string(),
              companyId: z.string(),
              companyName: z.string(),
              score: z.number(),
              currentScore: z.number().nullable(),
              deadline: ts,
              overdue: z.boolean(),
              state: z.enum(warningStates),
              createdAt: ts,
            }),
          ),
        },
      },
      handler: async (req) => svc.warnings(contextOf(req), req.query),
    });
    r.post('/regulator/credit/expulsions', {
      config: { ...regulator, idempotent: true },
      schema: {
        tags,
        summary: 'Expel (清退) a company with a reason; send an Idempotency-Key',
        body: z.strictObject({
          companyId: id,
          ground: z.enum(['persistent_failure', 'serious_violation']),
          reason: text(500),
        }),
        response: { 201: expulsion },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.expel(contextOf(req), req.body)),
    });
    r.get('/regulator/credit/expulsions', {
      config: regulator,
      schema: {
        tags,
        summary: 'Expelled companies, newest first, with their open orders',
        response: { 200: z.array(expulsion) },
      },
      handler: async (req) => svc.expulsions(contextOf(req)),
    });
    r.get('/regulator/credit/expulsions/:companyId', {
      config: regulator,
      schema: {
        tags,
        summary: 'One expulsion with the company’s open orders',
        params: z.strictObject({ companyId: id }),
        response: { 200: expulsion },
      },
      handler: async (req) => svc.expulsion(contextOf(req), req.params.companyId),
    });
  };
}
