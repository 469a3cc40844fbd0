import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { fromNodeHeaders } from 'better-auth/node';
import { z } from 'zod';
import { memberRoles, orgTypes, roles } from '../../../shared/roles.js';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { isDevSink, type SmsSender } from '../../platform/sms/sms.js';
import { toMe, type IdentityService } from './identity.service.js';

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
});
const userEnvelope = z.object({ user: meSchema });
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
        const out = await identity.register(contextOf(req), req.body);
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
        const out = await identity.loginWithPassword(contextOf(req), req.body);
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
        const out = await identity.loginWithCode(contextOf(req), req.body);
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
