import { expect } from 'vitest';
import type { PlatformRole } from '../../src/shared/roles.js';
import { base32Decode, stepAt, TOTP_PERIOD_SECONDS, totpAt } from '../../src/server/modules/identity/totp.js';
import { buildTestApp, uniquePhone, type TestApp } from '../app.js';
import { SoftSecurityKey } from './webauthn-authenticator.js';

// Shared steps of the identity DB tests that drive sign-in, MFA and security keys through the real routes.

/** One call under /api/v1 with the session cookie, if any; writes carry `payload` (an empty object by default). */
export const apiRequest = (
  app: TestApp,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  cookie?: string,
  payload?: unknown,
) =>
  app.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: cookie ? { cookie } : {},
    ...(method !== 'GET' ? { payload: (payload ?? {}) as object } : {}),
  });

/** The stable `code` of a problem+json answer. */
export const problemCode = (res: { json(): unknown }) => (res.json() as { code: string }).code;

/** Creates an account with one platform role (no district) and a fresh phone. */
export async function createRoleAccount(
  app: TestApp,
  role: PlatformRole,
  { password, name }: { password: string; name: string },
): Promise<{ phone: string; userId: string }> {
  const phone = uniquePhone();
  const userId = await app.app.services.identity.createAccount({
    phone,
    password,
    name,
    roles: [{ role, district: null }],
  });
  return { phone, userId };
}

/** Moves the app's clock to just inside the next TOTP time step, so the next code was never used before. */
export function nextTotpStep(app: TestApp): void {
  const step = TOTP_PERIOD_SECONDS * 1000;
  app.clock.advance((stepAt(app.clock.now) + 1) * step - app.clock.now.getTime() + 1000);
}

/** Registers a fresh software key (P-256) on a fully signed-in session, as a browser would; 201 expected. */
export async function addSecurityKey(
  app: TestApp,
  cookie: string,
  label: string,
  relyingParty: { origin: string; rpId: string },
): Promise<{ key: SoftSecurityKey; id: string }> {
  const key = new SoftSecurityKey(relyingParty);
  const opts = await apiRequest(app, 'POST', '/auth/webauthn/register/options', cookie);
  expect(opts.statusCode).toBe(200);
  const res = await apiRequest(app, 'POST', '/auth/webauthn/register/verify', cookie, {
    label,
    response: key.register(opts.json() as { challenge: string }),
  });
  expect(res.statusCode).toBe(201);
  return { key, id: (res.json() as { id: string }).id };
}

/** Two apps on fresh databases for one file: TOTP required (7 days of grace) and optional (the dev/test default). */
export interface TotpPolicyApps {
  required: TestApp;
  optional: TestApp;
  close(): Promise<void>;
}

/** Builds both apps with `env` added to each (e.g. PUBLIC_URL for WebAuthn's origin). */
export async function buildTotpPolicyApps(env: Record<string, string> = {}): Promise<TotpPolicyApps> {
  const [required, optional] = await Promise.all([
    buildTestApp({ ...env, MFA_TOTP_REQUIRED: 'true', MFA_TOTP_GRACE_DAYS: '7' }),
    buildTestApp(env),
  ]);
  return {
    required,
    optional,
    async close() {
      await Promise.all([required.close(), optional.close()]);
    },
  };
}

/** The current TOTP code of a base32 secret by the app's clock. */
export const totpNow = (app: TestApp, secret: string) => totpAt(base32Decode(secret), app.clock.now);

/** Starts and confirms an authenticator on a signed-in session; returns the secret and the recovery codes. */
export async function enrolTotp(
  app: TestApp,
  cookie: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await apiRequest(app, 'POST', '/auth/totp/enrol', cookie);
  expect(started.statusCode).toBe(201);
  const { secret } = started.json() as { secret: string };
  const ok = await apiRequest(app, 'POST', '/auth/totp/confirm', cookie, { code: totpNow(app, secret) });
  expect(ok.statusCode).toBe(200);
  return { secret, recoveryCodes: (ok.json() as { recoveryCodes: string[] }).recoveryCodes };
}
