import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { fromNodeHeaders } from 'better-auth/node';
import { z } from 'zod';
import { memberRoles, orgTypes, roles } from '../../../shared/roles.js';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { isDevSink, type SmsSender } from '../../platform/sms/sms.js';
import { MFA_ROLES, toMe, type IdentityService } from './identity.service.js';

const meSchema = z.object({
  id: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  roles: z.array(z.enum(roles)),
  memberships: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      orgType: z.enum(orgTypes),
      role: z.enum(memberRoles),
    }),
  ),
  home: z.string(),
  mfaPending: z
    .boolean()
    .describe(
      'True until this session confirms the SMS code; regulator and admin roles are withheld meanwhile',
    ),
  totpEnrolBy: z
    .string()
    .nullable()
    .describe('Mandatory TOTP, within grace: enrol an authenticator by this time (ISO 8601); null otherwise'),
  totpEnrolmentRequired: z
    .boolean()
    .describe(
      'Mandatory TOTP, past grace: regulator and admin roles are withheld (403 TOTP_ENROLMENT_REQUIRED) until an authenticator is confirmed',
    ),
});
export const userEnvelope = z.object({ user: meSchema });
const phone = z.string().min(1).max(20).describe('Mainland mobile number, e.g. 13800138000');
const code = z.string().min(1).max(10).describe('The six-digit SMS code');
const password = z.string().min(1).max(128);
const noContent = z.null().describe('No content');

function setCookies(reply: FastifyReply, cookies: string[]) {
  if (cookies.length) reply.header('set-cookie', cookies);
}

/** /api/v1/auth: register, sign in by password or code, reset password, sign out, who am I. */
export function identityRoutes(
  identity: IdentityService,
  sms: SmsSender,
  opts: { devEndpoints: boolean; limits: { auth: number; otp: number } },
) {
  // Sign-in endpoints are the target of credential stuffing: a tight per-IP budget before any hashing runs.
  const authLimit = { max: opts.limits.auth, timeWindow: '1 minute' };
  const sendLimit = { max: opts.limits.otp, timeWindow: '1 minute' };
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['identity'];

    r.post('/auth/otp', {
      config: { authz: { public: 'anyone may ask for a code to register or sign in' }, rateLimit: sendLimit },
      schema: {
        tags,
        summary: 'Send a one-time code by SMS',
        body: z.strictObject({ phone, purpose: z.enum(['register', 'login', 'reset_password']) }),
        response: { 202: z.object({ sent: z.literal(true), retryAfterSeconds: z.number().int() }) },
      },
      handler: async (req, reply) => {
        const out = await identity.sendCode(contextOf(req), req.body);
        return reply.status(202).send({ sent: true, retryAfterSeconds: out.retryAfterSeconds });
      },
    });

    r.post('/auth/register', {
      config: { authz: { public: 'creating an account' }, rateLimit: authLimit },
      schema: {
        tags,
        summary: 'Register a resident account with a verified phone',
        body: z.strictObject({ phone, code, password, name: z.string().trim().min(1).max(30) }),
        response: { 201: userEnvelope },
      },
      handler: async (req, reply) => {
        const out = await identity.register(contextOf(req), {
          ...req.body,
          userAgent: req.headers['user-agent'],
        });
        setCookies(reply, out.setCookies);
        return reply.status(201).send({ user: out.me });
      },
    });

    r.post('/auth/login/password', {
      config: { authz: { public: 'signing in' }, rateLimit: authLimit },
      schema: {
        tags,
        summary: 'Sign in with phone and password',
        body: z.strictObject({ phone, password }),
        response: { 200: userEnvelope },
      },
      handler: async (req, reply) => {
        const out = await identity.loginWithPassword(contextOf(req), {
          ...req.body,
          userAgent: req.headers['user-agent'],
        });
        setCookies(reply, out.setCookies);
        return { user: out.me };
      },
    });

    r.post('/auth/login/otp', {
      config: { authz: { public: 'signing in' }, rateLimit: authLimit },
      schema: {
        tags,
        summary: 'Sign in with phone and SMS code',
        body: z.strictObject({ phone, code }),
        response: { 200: userEnvelope },
      },
      handler: async (req, reply) => {
        const out = await identity.loginWithCode(contextOf(req), {
          ...req.body,
          userAgent: req.headers['user-agent'],
        });
        setCookies(reply, out.setCookies);
        return { user: out.me };
      },
    });

    r.post('/auth/password/reset', {
      config: { authz: { public: 'recovering a forgotten password with an SMS code' }, rateLimit: authLimit },
      schema: {
        tags,
        summary: 'Reset the password with an SMS code; signs out every session',
        body: z.strictObject({ phone, code, newPassword: password }),
        response: { 204: noContent },
      },
      handler: async (req, reply) => {
        await identity.resetPassword(contextOf(req), req.body);
        return reply.status(204).send(null);
      },
    });

    r.post('/auth/logout', {
      config: { authz: { roles: 'any' } },
      schema: { tags, summary: 'Sign out of this session', response: { 204: noContent } },
      handler: async (req: FastifyRequest, reply) => {
        const cookies = await identity.logout(contextOf(req), fromNodeHeaders(req.headers));
        setCookies(reply, cookies);
        return reply.status(204).send(null);
      },
    });

    r.post('/auth/mfa/resend', {
      config: { authz: { roles: 'any' }, rateLimit: sendLimit },
      schema: {
        tags,
        summary: 'Send the sign-in confirmation code again (regulator and admin accounts; once a minute)',
        response: { 202: z.object({ sent: z.literal(true), retryAfterSeconds: z.number().int() }) },
      },
      handler: async (req, reply) => {
        const out = await identity.resendMfaCode(contextOf(req));
        return reply.status(202).send({ sent: true, retryAfterSeconds: out.retryAfterSeconds });
      },
    });

    r.post('/auth/mfa/verify', {
      config: { authz: { roles: 'any' }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'Confirm the second factor at sign-in: the SMS code, or for an account with an authenticator its TOTP code or a recovery code (SMS is then refused). The regulator or admin role counts from then on. The session is rotated: use the new cookie this sets, the old one is signed out',
        body: z.strictObject({
          code: z
            .string()
            .min(1)
            .max(20)
            .describe('Six digits (SMS or TOTP), or a recovery code xxxxx-xxxxx'),
          method: z
            .enum(['sms', 'totp', 'recovery'])
            .optional()
            .describe(
              'Which factor the code is; default totp when the account has an authenticator, else sms',
            ),
        }),
        response: { 200: userEnvelope },
      },
      handler: async (req, reply) => {
        const out = await identity.verifyMfa(contextOf(req), req.body.code, req.body.method);
        setCookies(reply, out.setCookies);
        return { user: out.me };
      },
    });

    r.get('/auth/totp', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary:
          'The caller’s authenticator (动态口令): whether the account may enrol (regulator and admin roles), is enrolled, and recovery codes left',
        response: {
          200: z.object({
            available: z.boolean(),
            enrolled: z.boolean(),
            enrolledAt: z.string().nullable(),
            recoveryCodesLeft: z.number().int(),
          }),
        },
      },
      handler: async (req) => identity.totp.status(contextOf(req)),
    });

    // Only accounts with a second sign-in step (regulator and admin roles, confirmed this session) may enrol, also
    // while those roles are withheld for an overdue enrolment (totpEnrolment).
    r.post('/auth/totp/enrol', {
      config: { authz: { roles: MFA_ROLES, totpEnrolment: true }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'Start enrolling an authenticator: a new TOTP secret (RFC 6238, SHA-1, 6 digits, 30 s) as text, otpauth:// URI and QR code (SVG); confirm within 10 minutes',
        response: {
          201: z.object({
            secret: z.string().describe('Base32; shown once, stored only sealed'),
            otpauthUri: z.string(),
            qrSvg: z.string().describe('The otpauth URI as an SVG QR code'),
            expiresAt: z.string(),
          }),
        },
      },
      handler: async (req, reply) => reply.status(201).send(await identity.totp.start(contextOf(req))),
    });

    r.post('/auth/totp/confirm', {
      config: { authz: { roles: MFA_ROLES, totpEnrolment: true }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'Confirm enrolment with a current code: the authenticator becomes the second factor (SMS no longer is); returns ten single-use recovery codes, shown once',
        body: z.strictObject({
          code: z.string().min(1).max(10).describe('The six-digit code the app shows'),
        }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
      },
      handler: async (req) => identity.totp.confirm(contextOf(req), req.body.code),
    });

    r.post('/auth/totp/disable', {
      config: { authz: { roles: 'any' }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'Remove the authenticator and its recovery codes with a current code, or with the password and a recovery code; sign-in goes back to SMS codes',
        body: z
          .strictObject({
            code: z.string().min(1).max(10).optional(),
            password: password.optional(),
            recoveryCode: z.string().min(1).max(20).optional(),
          })
          .refine((b) => b.code !== undefined || (b.password !== undefined && b.recoveryCode !== undefined), {
            message: 'give code, or password and recoveryCode',
          }),
        response: { 204: noContent },
      },
      handler: async (req, reply) => {
        await identity.totp.disable(contextOf(req), req.body);
        return reply.status(204).send(null);
      },
    });

    r.post('/auth/totp/recovery-codes', {
      config: { authz: { roles: 'any' }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'Replace all recovery codes after a current authenticator code: the old ones stop working at once; the ten new ones are shown once',
        body: z.strictObject({
          code: z.string().min(1).max(10).describe('The six-digit code the app shows now'),
        }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
      },
      handler: async (req) => identity.totp.regenerateRecoveryCodes(contextOf(req), req.body.code),
    });

    r.post('/auth/password/change', {
      config: { authz: { roles: 'any' }, rateLimit: authLimit },
      schema: {
        tags,
        summary: 'Change the password; every other session of the account ends',
        body: z.strictObject({ currentPassword: password, newPassword: password }),
        response: { 204: noContent },
      },
      handler: async (req, reply) => {
        await identity.changePassword(contextOf(req), req.body);
        return reply.status(204).send(null);
      },
    });

    r.get('/auth/sessions', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'The signed-in account’s live sessions (device, created, last seen, masked IP, this device)',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                current: z.boolean(),
                device: z.string().nullable().describe('Browser and system, e.g. "Chrome 120 · Android"'),
                ipMasked: z.string().nullable(),
                createdAt: z.string(),
                lastSeenAt: z.string(),
              }),
            ),
          }),
        },
      },
      handler: async (req) => ({ items: await identity.listSessions(contextOf(req)) }),
    });

    r.post('/auth/sessions/:id/revoke', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Sign out one other session of this account (another account’s session id is 404)',
        params: z.strictObject({ id: z.string().min(1).max(64) }),
        response: { 204: noContent },
      },
      handler: async (req, reply) => {
        await identity.revokeSession(contextOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    });

    r.post('/auth/sessions/revoke-others', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Sign out every other session of this account',
        response: { 200: z.object({ revoked: z.number().int() }) },
      },
      handler: async (req) => identity.revokeOtherSessions(contextOf(req)),
    });

    r.get('/auth/me', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'The signed-in person, their roles and organizations',
        response: { 200: userEnvelope },
      },
      handler: async (req) => ({ user: toMe(req.actor!) }),
    });

    if (opts.devEndpoints && isDevSink(sms)) {
      r.get('/dev/sms/latest', {
        config: { authz: { public: 'development only: reads the dev SMS sink so testers can use codes' } },
        schema: {
          tags: ['development'],
          summary: 'The last code the development SMS sink received for a phone',
          querystring: z.strictObject({ phone }),
          response: {
            200: z.object({ phone: z.string(), code: z.string(), purpose: z.string(), sentAt: z.string() }),
          },
        },
        handler: async (req) => {
          const m = sms.latest(req.query.phone);
          if (!m) throw new AppError('NOT_FOUND');
          return { phone: m.phone, code: m.code, purpose: m.purpose, sentAt: m.sentAt.toISOString() };
        },
      });
    }
  };
}
