import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { contextOf } from '../../platform/http/context.js';
import { MFA_ROLES, type IdentityService } from './identity.service.js';
import { userEnvelope } from './identity.routes.js';

// The browser's answers (PublicKeyCredential.toJSON()/@simplewebauthn/browser), bounded; the library checks the rest.
const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'base64url expected');
const transports = z.array(z.string().max(20)).max(10);
const credentialBase = {
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  clientExtensionResults: z.looseObject({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};
const registrationResponse = z.looseObject({
  ...credentialBase,
  response: z.looseObject({
    clientDataJSON: b64url(4000),
    attestationObject: b64url(16_000),
    authenticatorData: b64url(8000).optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4000).optional(),
  }),
});
const authenticationResponse = z.looseObject({
  ...credentialBase,
  response: z.looseObject({
    clientDataJSON: b64url(4000),
    authenticatorData: b64url(8000),
    signature: b64url(2000),
    userHandle: b64url(200).optional(),
  }),
});
const label = z.string().trim().min(1).max(30).describe('A name the person chooses, e.g. "办公室 UKey"');
const keyView = z.object({
  id: z.string(),
  label: z.string(),
  transports: z
    .array(z.string())
    .describe('How the browser reaches the key: usb, nfc, ble, hybrid, internal'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
const descriptor = z.looseObject({
  id: z.string(),
  type: z.literal('public-key'),
  transports: z.array(z.string()).optional(),
});
const creationOptions = z
  .looseObject({
    rp: z.looseObject({ name: z.string(), id: z.string().optional() }),
    user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: z.string(),
    pubKeyCredParams: z.array(z.looseObject({ alg: z.number(), type: z.literal('public-key') })),
    timeout: z.number().optional(),
    excludeCredentials: z.array(descriptor).optional(),
    authenticatorSelection: z.looseObject({}).optional(),
    hints: z.array(z.string()).optional(),
    attestation: z.string().optional(),
    extensions: z.looseObject({}).optional(),
  })
  .describe('PublicKeyCredentialCreationOptionsJSON, for startRegistration of @simplewebauthn/browser');
const requestOptions = z
  .looseObject({
    challenge: z.string(),
    timeout: z.number().optional(),
    rpId: z.string().optional(),
    allowCredentials: z.array(descriptor).optional(),
    userVerification: z.string().optional(),
    hints: z.array(z.string()).optional(),
    extensions: z.looseObject({}).optional(),
  })
  .describe('PublicKeyCredentialRequestOptionsJSON, for startAuthentication of @simplewebauthn/browser');

function setCookies(reply: FastifyReply, cookies: string[]) {
  if (cookies.length) reply.header('set-cookie', cookies);
}

/**
 * /api/v1/auth/webauthn and /auth/mfa/webauthn: security keys (安全密钥 / UKey, FIDO2 WebAuthn) as the second
 * factor of regulator and admin accounts.
 */
export function webauthnRoutes(identity: IdentityService, opts: { limits: { auth: number } }) {
  // Sign-in and registration steps share the sign-in budget per IP.
  const authLimit = { max: opts.limits.auth, timeWindow: '1 minute' };
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['identity'];

    r.get('/auth/webauthn/credentials', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary:
          'The caller’s security keys (安全密钥), and whether the account may register one (regulator and admin roles); also during the MFA step',
        response: { 200: z.object({ available: z.boolean(), items: z.array(keyView) }) },
      },
      handler: async (req) => identity.webauthn.list(contextOf(req)),
    });

    r.post('/auth/webauthn/register/options', {
      config: { authz: { roles: MFA_ROLES, totpEnrolment: true }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'Start registering a security key: creation options with a fresh challenge (5 minutes, single use); the account’s keys are excluded',
        response: { 200: creationOptions },
      },
      handler: async (req) =>
        (await identity.webauthn.registrationOptions(contextOf(req))) as unknown as z.infer<
          typeof creationOptions
        >,
    });

    r.post('/auth/webauthn/register/verify', {
      config: { authz: { roles: MFA_ROLES, totpEnrolment: true }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'Finish registering a security key: the attestation is checked against the challenge, origin and RP id; the key becomes a second factor (SMS no longer is)',
        body: z.strictObject({ label, response: registrationResponse }),
        response: { 201: keyView },
      },
      handler: async (req, reply) =>
        reply.status(201).send(
          await identity.webauthn.register(contextOf(req), {
            label: req.body.label,
            response: req.body.response as unknown as RegistrationResponseJSON,
          }),
        ),
    });

    r.patch('/auth/webauthn/credentials/:id', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Rename one of the caller’s security keys (another account’s key is 404)',
        params: z.strictObject({ id: z.string().min(1).max(64) }),
        body: z.strictObject({ label }),
        response: { 200: keyView },
      },
      handler: async (req) => identity.webauthn.rename(contextOf(req), req.params.id, req.body.label),
    });

    r.post('/auth/webauthn/credentials/:id/remove', {
      config: { authz: { roles: 'any' }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'Remove one of the caller’s security keys with the password; the last second factor of an MFA-role account is refused while MFA_TOTP_REQUIRED is on (409 WEBAUTHN_LAST_FACTOR)',
        params: z.strictObject({ id: z.string().min(1).max(64) }),
        body: z.strictObject({ password: z.string().min(1).max(128) }),
        response: { 204: z.null().describe('No content') },
      },
      handler: async (req, reply) => {
        await identity.webauthn.remove(contextOf(req), req.params.id, req.body.password);
        return reply.status(204).send(null);
      },
    });

    r.post('/auth/mfa/webauthn/options', {
      config: { authz: { roles: 'any' }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'MFA step with a security key: request options for this pending session (a fresh challenge, 5 minutes, single use)',
        response: { 200: requestOptions },
      },
      handler: async (req) =>
        (await identity.webauthn.signInOptions(contextOf(req))) as unknown as z.infer<typeof requestOptions>,
    });

    r.post('/auth/mfa/webauthn/verify', {
      config: { authz: { roles: 'any' }, rateLimit: authLimit },
      schema: {
        tags,
        summary:
          'MFA step with a security key: the assertion is checked (challenge, origin, RP id, one of the account’s keys, signature, growing counter); the session is rotated as for a code',
        body: z.strictObject({ response: authenticationResponse }),
        response: { 200: userEnvelope },
      },
      handler: async (req, reply) => {
        const out = await identity.verifyMfaWithKey(
          contextOf(req),
          req.body.response as unknown as AuthenticationResponseJSON,
        );
        setCookies(reply, out.setCookies);
        return { user: out.me };
      },
    });
  };
}
