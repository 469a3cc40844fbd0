import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { trustColors } from '../../../shared/domain.js';
import { contextOf } from '../../platform/http/context.js';
import { photoMime } from './card.js';
import { certificateStates } from './certificate-status.js';
import type { CertificationService } from './certification.service.js';
import { checkKeys, reasonClasses } from './trust-status.js';
import { renderInvalidPage, renderVerifyPage } from './verify-page.js';

const certificateView = z.object({
  id: z.string(),
  number: z.string(),
  workerId: z.string(),
  companyId: z.string().nullable(),
  district: z.string(),
  categories: z.array(z.string()),
  skillLevel: z.string().nullable(),
  issuedAt: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  state: z.enum(certificateStates),
  stateReason: z.string().nullable(),
});
const check = z.object({ key: z.enum(checkKeys), ok: z.boolean(), state: z.string() });
const publicView = z.object({
  number: z.string(),
  maskedName: z.string(),
  color: z.enum(trustColors),
  colorLabel: z.string(),
  reason: z.string(),
  reasonLabel: z.string(),
  state: z.enum(certificateStates),
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
  creditStars: z
    .number()
    .int()
    .min(1)
    .max(5)
    .nullable()
    .describe('credit rating, 1–5 stars; null until rated'),
  hasPhoto: z.boolean(),
});
const idParam = z.strictObject({ id: z.string().min(1).max(40) });
const workerParam = z.strictObject({ id: z.string().min(1).max(40) });
const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const tokenParam = z.strictObject({ token: z.string().min(1).max(400) });

/** Public pages and lookups are cheap but scrape-able: a per-IP budget of their own. */
const publicLimit = { max: 120, timeWindow: '1 minute' };

/** /api/v1 routes of the 安心服务证: regulator console, worker wallet and card, public lookup, QR keys. */
export function certificationRoutes(svc: CertificationService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['certification'];
    const regulator = { authz: { roles: ['regulator'] as const } };

    r.get('/regulator/certificates', {
      config: regulator,
      schema: {
        tags,
        summary: 'Certificates in my district, newest first; search by number prefix or worker id',
        querystring: z.strictObject({
          q: z.string().trim().min(1).max(40).optional(),
          state: z.enum(certificateStates).optional(),
          color: z.enum(trustColors).optional(),
          cursor: z.string().max(40).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: {
          200: z.object({
            items: z.array(
              certificateView.extend({
                workerName: z.string(),
                color: z.enum(trustColors),
                reason: z.enum(reasonClasses),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
      handler: async (req) => svc.list(contextOf(req), req.query),
    });

    r.get('/workers/:id/certification', {
      config: regulator,
      schema: {
        tags,
        summary: "A worker's checks, certificate and live colour (the issue checklist)",
        params: workerParam,
        response: {
          200: z.object({
            worker: z.object({
              id: z.string(),
              name: z.string(),
              district: z.string(),
              categories: z.array(z.string()),
              skillLevel: z.string().nullable(),
              companyId: z.string().nullable(),
            }),
            checks: z.array(check),
            certificate: certificateView.nullable(),
            color: z.enum(trustColors),
            reason: z.enum(reasonClasses),
            canIssue: z.boolean(),
          }),
        },
      },
      handler: async (req) => svc.regulatorWorkerView(contextOf(req), req.params.id),
    });

    r.post('/workers/:id/certificate', {
      config: regulator,
      schema: {
        tags,
        summary: 'Issue the 安心服务证 (409 CERT_CHECKS_INCOMPLETE lists failing checks)',
        params: workerParam,
        body: z.strictObject({}).optional(),
        response: { 201: certificateView },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.issue(contextOf(req), req.params.id)),
    });

    r.post('/certificates/:id/suspend', {
      config: regulator,
      schema: {
        tags,
        summary: 'Suspend a certificate',
        params: idParam,
        body: reasonBody,
        response: { 200: certificateView },
      },
      handler: async (req) => svc.suspend(contextOf(req), req.params.id, req.body.reason),
    });
    r.post('/certificates/:id/reinstate', {
      config: regulator,
      schema: {
        tags,
        summary: 'Reinstate a suspended certificate',
        params: idParam,
        body: z.strictObject({}).optional(),
        response: { 200: certificateView },
      },
      handler: async (req) => svc.reinstate(contextOf(req), req.params.id),
    });
    r.post('/certificates/:id/revoke', {
      config: regulator,
      schema: {
        tags,
        summary: 'Revoke a certificate (final)',
        params: idParam,
        body: reasonBody,
        response: { 200: certificateView },
      },
      handler: async (req) => svc.revoke(contextOf(req), req.params.id, req.body.reason),
    });

    r.get('/workers/me/certificate', {
      config: { authz: { roles: ['worker'] } },
      schema: {
        tags,
        summary: 'My certificate wallet: full name, certificate, live colour and verification URL',
        response: {
          200: z.object({
            worker: z.object({ id: z.string(), name: z.string() }),
            certificate: certificateView.nullable(),
            color: z.enum(trustColors),
            reason: z.enum(reasonClasses),
            checks: z.array(check),
            canTakeNewBookings: z.boolean(),
            verifyUrl: z.string().nullable(),
          }),
        },
      },
      handler: async (req) => svc.myWallet(contextOf(req)),
    });

    const sendCard =
      (format: 'pdf' | 'png') =>
      async (out: { number: string; body: Buffer }, reply: import('fastify').FastifyReply) =>
        reply
          .type(format === 'pdf' ? 'application/pdf' : 'image/png')
          .header('content-disposition', `inline; filename="anxin-card-${out.number}.${format}"`)
          .header('cache-control', 'no-store')
          .send(out.body);
    for (const format of ['pdf', 'png'] as const) {
      r.get(`/workers/me/card.${format}`, {
        config: { authz: { roles: ['worker'] } },
        schema: { tags, summary: `My service card as ${format.toUpperCase()}` },
        handler: async (req, reply) =>
          sendCard(format)(await svc.card(contextOf(req), { self: true }, format), reply),
      });
      r.get(`/workers/:id/card.${format}`, {
        config: { authz: { roles: ['regulator', 'company_admin', 'company_staff'] } },
        schema: {
          tags,
          summary: `A worker's service card as ${format.toUpperCase()} (masked name)`,
          params: workerParam,
        },
        handler: async (req, reply) =>
          sendCard(format)(await svc.card(contextOf(req), { workerId: req.params.id }, format), reply),
      });
    }

    r.get('/public/certificates/verify', {
      config: {
        authz: { public: 'anyone may check a certificate number, as on the printed card' },
        rateLimit: publicLimit,
      },
      schema: {
        tags,
        summary: 'Live public facts of a certificate by its number',
        querystring: z.strictObject({ number: z.string().min(1).max(40) }),
        response: { 200: publicView },
      },
      handler: async (req) => svc.verifyNumber(req.query.number),
    });

    r.get('/admin/qr-keys', {
      config: { authz: { roles: ['platform_admin'] } },
      schema: {
        tags,
        summary: 'QR signing keys',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                kid: z.string(),
                active: z.boolean(),
                createdAt: z.string(),
                retiredAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
      handler: async () => ({ items: await svc.listKeys() }),
    });
    r.post('/admin/qr-keys/rotate', {
      config: { authz: { roles: ['platform_admin'] } },
      schema: {
        tags,
        summary: 'Make a new active QR key; old keys verify until retired',
        body: z.strictObject({}).optional(),
        response: { 201: z.object({ kid: z.string(), previous: z.string().nullable() }) },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.rotateKey(contextOf(req))),
    });
    r.post('/admin/qr-keys/:kid/retire', {
      config: { authz: { roles: ['platform_admin'] } },
      schema: {
        tags,
        summary: 'Retire a QR key: its tokens stop verifying',
        params: z.strictObject({ kid: z.string().min(1).max(40) }),
        body: z.strictObject({}).optional(),
        response: { 200: z.object({ kid: z.string(), retiredAt: z.string() }) },
      },
      handler: async (req) => svc.retireKey(contextOf(req), req.params.kid),
    });
  };
}

/** `/v/:token`: the server-rendered page a phone camera opens, and its photo. Never an error page. */
export function verifyPageRoutes(svc: CertificationService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const invalid = (reply: import('fastify').FastifyReply) =>
      reply
        .status(404)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderInvalidPage());

    r.get('/v/:token', {
      config: {
        authz: { public: 'the QR code on the card is made to be scanned by anyone' },
        rateLimit: publicLimit,
      },
      schema: { hide: true, params: tokenParam },
      attachValidation: true,
      handler: async (req, reply) => {
        if (req.validationError) return invalid(reply);
        const v = await svc.verifyToken(req.params.token);
        if (!v) return invalid(reply);
        const photo = v.hasPhoto ? `/v/${encodeURIComponent(req.params.token)}/photo` : null;
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(renderVerifyPage(v, photo));
      },
    });

    r.get('/v/:token/photo', {
      config: {
        authz: { public: 'the photo shown on the public verification page' },
        rateLimit: publicLimit,
      },
      schema: { hide: true, params: tokenParam },
      attachValidation: true,
      handler: async (req, reply) => {
        const bytes = req.validationError ? null : await svc.photoForToken(req.params.token);
        const mime = bytes ? photoMime(bytes) : null;
        if (!bytes || !mime)
          return reply.status(404).header('cache-control', 'no-store').type('text/plain').send('not found');
        return reply.type(mime).header('cache-control', 'no-store').send(bytes);
      },
    });
  };
}
