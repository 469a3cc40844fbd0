import type { FastifyInstance } from 'fastify';
import { isDevSink } from '../../src/server/platform/sms/sms.js';
import { cookieFrom } from '../app.js';

/**
 * Signs in with phone and password through the real route and, for an account with an MFA role (regulator,
 * platform admin), confirms the SMS code the dev sink received. Returns the Cookie header value.
 */
export async function signInWithPassword(
  app: FastifyInstance,
  phone: string,
  password: string,
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/password',
    payload: { phone, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  const cookie = cookieFrom(res);
  if ((res.json() as { user: { mfaPending: boolean } }).user.mfaPending)
    return confirmMfa(app, cookie, phone);
  return cookie;
}

/**
 * Completes the second step of a pending session with the code the dev SMS sink holds for the phone. The session is
 * rotated at this step: returns the new Cookie header value (the one passed in is signed out).
 */
export async function confirmMfa(app: FastifyInstance, cookie: string, phone: string): Promise<string> {
  if (!isDevSink(app.sms)) throw new Error('MFA in tests needs the dev SMS sink');
  const sent = app.sms.latest(phone);
  if (sent?.purpose !== 'mfa') throw new Error('no MFA code was sent');
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa/verify',
    headers: { cookie },
    payload: { code: sent.code },
  });
  if (res.statusCode !== 200) throw new Error(`MFA failed: ${res.body}`);
  return cookieFrom(res);
}
