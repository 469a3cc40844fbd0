import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roles, staffRoles } from '../../../shared/roles.js';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import type { IdentityService } from './identity.service.js';

const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  status: z.enum(['active', 'disabled']),
  roles: z.array(z.object({ role: z.enum(roles), district: z.string().nullable(), grantedAt: z.string() })),
  activeSessions: z.number().int(),
  authenticator: z
    .enum(['none', 'pending', 'enrolled'])
    .describe('The account’s TOTP authenticator: none, enrolment started but not confirmed, or confirmed'),
  securityKeys: z
    .array(
      z.object({
        id: z.string().describe('The key’s record id (wak_…), not its credential id'),
        label: z.string(),
        createdAt: z.string(),
        lastUsedAt: z.string().nullable(),
      }),
    )
    .describe('The account’s security keys (安全密钥), oldest first'),
});
const idParams = z.strictObject({ id: z.string().min(1).max(64) });
const reason = z.string().trim().min(2).max(200).describe('Why (kept in the audit log)');
const reasonBody = z.strictObject({ reason });

const auditFilterQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().describe('Inclusive lower bound (ISO 8601)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Exclusive upper bound (ISO 8601)'),
  action: z
    .string()
    .max(80)
    .regex(/^[a-z0-9_.]+$/)
    .optional()
    .describe('An exact action, or a prefix ending in "." (identity.)'),
  objectType: z.string().max(40).optional(),
  objectId: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  outcome: z.enum(['ok', 'denied', 'failed']).optional(),
});
type AuditFilterQuery = z.infer<typeof auditFilterQuery>;

function toFilter(q: AuditFilterQuery) {
  const from = q.from ? new Date(q.from) : undefined;
  const to = q.to ? new Date(q.to) : undefined;
  if (from && to && from >= to)
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'to', message: 'must be after from' }] });
  return {
    from,
    to,
    action: q.action,
    objectType: q.objectType,
    objectId: q.objectId,
    actorId: q.actorId,
    outcome: q.outcome,
  };
}

const entrySchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), nameMasked: z.string() }).nullable(),
  actorRoles: z.array(z.string()),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  outcome: z.string(),
  requestId: z.string().nullable(),
  ipMasked: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

/** 三权分立 consoles: /security (security admin: accounts and roles) and /audit (audit admin: the audit log). */
export function identityAdminRoutes(identity: IdentityService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const admin = identity.admin;
    const security = { authz: { roles: ['security_admin'] as const } };
    const auditor = { authz: { roles: ['audit_admin'] as const } };
    const sTags = ['security-admin'];
    const aTags = ['audit-admin'];

    r.get('/security/accounts', {
      config: security,
      schema: {
        tags: sTags,
        summary:
          'Staff accounts (regulators and administrators) with their roles; ?phone= finds any one account',
        querystring: pageQuery.extend({ phone: z.string().max(20).optional() }).strict(),
        response: { 200: pageOf(accountSchema) },
      },
      handler: async (req) => admin.listStaff(contextOf(req), req.query),
    });

    r.post('/security/accounts/:id/roles', {
      config: security,
      schema: {
        tags: sTags,
        summary:
          'Grant a staff role with a reason; one account never holds two of system/security/audit admin (409)',
        params: idParams,
        body: z.strictObject({
          role: z.enum(staffRoles),
          district: z
            .string()
            .regex(/^\d{6}$/)
            .nullable()
            .optional()
            .describe('A regulator’s district (GB/T 2260); none = the whole city'),
          reason,
        }),
        response: { 200: accountSchema },
      },
      handler: async (req) => admin.grantRole(contextOf(req), req.params.id, req.body),
    });

    r.post('/security/accounts/:id/roles/:role/revoke', {
      config: security,
      schema: {
        tags: sTags,
        summary: 'Revoke a staff role with a reason',
        params: z.strictObject({ id: z.string().min(1).max(64), role: z.enum(staffRoles) }),
        body: reasonBody,
        response: { 200: accountSchema },
      },
      handler: async (req) =>
        admin.revokeRole(contextOf(req), req.params.id, req.params.role, req.body.reason),
    });

    r.post('/security/accounts/:id/disable', {
      config: security,
      schema: {
        tags: sTags,
        summary: 'Disable an account with a reason; all its sessions end at once',
        params: idParams,
        body: reasonBody,
        response: { 200: accountSchema },
      },
      handler: async (req) => admin.setStatus(contextOf(req), req.params.id, 'disabled', req.body.reason),
    });

    r.post('/security/accounts/:id/enable', {
      config: security,
      schema: {
        tags: sTags,
        summary: 'Enable a disabled account again, with a reason',
        params: idParams,
        body: reasonBody,
        response: { 200: accountSchema },
      },
      handler: async (req) => admin.setStatus(contextOf(req), req.params.id, 'active', req.body.reason),
    });

    r.post('/security/accounts/:id/sessions/revoke', {
      config: security,
      schema: {
        tags: sTags,
        summary: 'End every session of an account (it must sign in again), with a reason',
        params: idParams,
        body: reasonBody,
        response: { 200: z.object({ ended: z.number().int() }) },
      },
      handler: async (req) => admin.endSessions(contextOf(req), req.params.id, req.body.reason),
    });

    r.post('/security/accounts/:id/totp/reset', {
      config: security,
      schema: {
        tags: sTags,
        summary:
          'Remove an account’s authenticator (lost phone) with a reason and your own current authenticator code: its recovery codes go, its sessions end, and it must enrol again at its next sign-in',
        params: idParams,
        body: z.strictObject({
          reason,
          code: z.string().min(1).max(10).describe('Your own six-digit authenticator code'),
        }),
        response: { 200: z.object({ sessionsEnded: z.number().int() }) },
      },
      handler: async (req) => identity.totp.adminReset(contextOf(req), req.params.id, req.body),
    });

    const keyRemoveBody = z.strictObject({
      reason,
      code: z.string().min(1).max(10).describe('Your own six-digit authenticator code'),
    });
    const keyRemoved = z.object({
      removed: z.number().int().describe('Keys removed'),
      sessionsEnded: z.number().int(),
    });

    r.post('/security/accounts/:id/security-keys/:keyId/remove', {
      config: security,
      schema: {
        tags: sTags,
        summary:
          'Remove one of an account’s security keys (lost UKey) with a reason and your own current authenticator code: its sessions end; with no second factor left it is not enrolled (mandatory enrolment at its next sign-in)',
        params: z.strictObject({ id: z.string().min(1).max(64), keyId: z.string().min(1).max(64) }),
        body: keyRemoveBody,
        response: { 200: keyRemoved },
      },
      handler: async (req) =>
        identity.webauthn.adminRemove(contextOf(req), req.params.id, {
          ...req.body,
          keyId: req.params.keyId,
        }),
    });

    r.post('/security/accounts/:id/security-keys/remove', {
      config: security,
      schema: {
        tags: sTags,
        summary:
          'Remove all of an account’s security keys with a reason and your own current authenticator code: its sessions end; with no TOTP either it is not enrolled (mandatory enrolment at its next sign-in)',
        params: idParams,
        body: keyRemoveBody,
        response: { 200: keyRemoved },
      },
      handler: async (req) => identity.webauthn.adminRemove(contextOf(req), req.params.id, req.body),
    });

    r.get('/audit/log', {
      config: auditor,
      schema: {
        tags: aTags,
        summary:
          'The audit log, newest first, filtered and paged; actor names and IPs masked. The read is audited',
        querystring: auditFilterQuery.extend(pageQuery.shape),
        response: { 200: pageOf(entrySchema) },
      },
      handler: async (req) => {
        const { cursor, limit, ...filter } = req.query;
        return admin.readAuditLog(contextOf(req), toFilter(filter), { cursor, limit });
      },
    });

    r.get('/audit/verify', {
      config: auditor,
      schema: {
        tags: aTags,
        summary: 'Verify the audit hash chain end to end; the check is audited',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
            firstBroken: z
              .object({
                seq: z.number().int(),
                id: z.string(),
                reason: z.enum(['content-altered', 'link-broken']),
              })
              .nullable(),
            start: z
              .object({
                n: z.number().int().describe('Rows removed by retention before the walk’s start'),
                seq: z.number().int(),
                checkpoint: z
                  .number()
                  .int()
                  .nullable()
                  .describe('The signed checkpoint the walk started from'),
              })
              .describe('Where the walk started: the genesis, or the newest checkpoint of a pruned prefix'),
            problem: z
              .object({
                kind: z.enum([
                  'checkpoint-forged',
                  'checkpoint-unverified',
                  'prefix-removed',
                  'checkpoint-mismatch',
                  'hash-alg',
                ]),
                message: z.string(),
                seq: z.number().int().optional(),
              })
              .nullable()
              .describe('What does not hold besides a broken row (checkpoint, removed rows, hash function)'),
          }),
        },
      },
      handler: async (req) => admin.verifyAuditChain(contextOf(req)),
    });

    r.get('/audit/export.csv', {
      config: auditor,
      schema: {
        tags: aTags,
        summary: 'The filtered audit log as CSV (at most 10 000 rows, newest first); the export is audited',
        querystring: auditFilterQuery,
        produces: ['text/csv'],
        response: { 200: z.string().meta({ format: 'binary' }).describe('CSV, UTF-8 with BOM') },
      },
      handler: async (req, reply) => {
        const csv = await admin.exportAuditCsv(contextOf(req), toFilter(req.query));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="audit-log.csv"')
          .header('cache-control', 'no-store')
          .send(csv);
      },
    });
  };
}
