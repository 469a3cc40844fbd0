import { AsyncLocalStorage } from 'node:async_hooks';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { phoneNumber } from 'better-auth/plugins';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/client.js';
import { newId, type IdPrefix } from '../../platform/db/ids.js';
import type { OtpPurpose, SmsSender } from '../../platform/sms/sms.js';
import { normalizeMobile } from '../../../shared/validators/index.js';
import { account, session, user, verification } from './identity.tables.js';

const modelPrefix: Record<string, IdPrefix> = {
  user: 'usr',
  session: 'ses',
  account: 'acc',
  verification: 'ver',
};

/** Carries the purpose of a code request into better-auth's sendOTP callback, which only sees phone and code. */
export const otpPurpose = new AsyncLocalStorage<OtpPurpose>();

/** better-auth does the credential work: scrypt hashes, sessions and their cookie, one-time codes. */
export function createAuth(deps: { config: Config; database: Database; sms: SmsSender; clock: () => Date }) {
  const { config, database, sms } = deps;
  return betterAuth({
    appName: '安心家政',
    secret: config.authSecret,
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    database: drizzleAdapter(database.db, {
      provider: 'pg',
      schema: { user, session, account, verification },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      revokeSessionsOnPasswordReset: true,
    },
    user: {
      additionalFields: {
        status: { type: 'string', required: false, input: false, defaultValue: 'active' },
      },
    },
    // The cookie and better-auth's own expiry follow the longest absolute lifetime; the per-role idle and absolute
    // limits are enforced on every request by the identity service (resolveActor) against the app's clock.
    session: {
      expiresIn: Math.ceil(
        Math.max(config.sessions.standard.absoluteMs, config.sessions.privileged.absoluteMs) / 1000,
      ),
      updateAge: 60 * 60 * 24,
    },
    databaseHooks: {
      session: {
        create: {
          // Session age is measured on the app's clock (tests move it), not on better-auth's own Date.
          before: async (s) => {
            const now = deps.clock();
            return { data: { ...s, createdAt: now, updatedAt: now } };
          },
        },
      },
    },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: 'anxin',
      useSecureCookies: config.isProduction,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', path: '/' },
      database: { generateId: ({ model }) => newId(modelPrefix[model] ?? 'usr') },
    },
    plugins: [
      phoneNumber({
        otpLength: 6,
        expiresIn: 600,
        allowedAttempts: 5,
        phoneNumberValidator: (p) => normalizeMobile(p) === p,
        sendOTP: async ({ phoneNumber: phone, code }) => {
          await sms.sendCode({
            phone,
            code,
            purpose: otpPurpose.getStore() ?? 'login',
            sentAt: deps.clock(),
          });
        },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
