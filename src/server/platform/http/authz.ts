import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../../shared/roles.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';

/**
 * Every route declares who may call it in `config.authz`. `public` carries the reason it is public;
 * `roles` lists the roles allowed past the door ('any' = any signed-in person). Object- and row-level
 * scoping happens in the services; this is only the first gate.
 */
export type Authz =
  | { public: string }
  // totpEnrolment: open to an account whose roles are withheld until it enrols an authenticator (Actor.totpPendingRoles).
  | { roles: readonly Role[] | 'any'; totpEnrolment?: true }
  | { partner: string };

/** A partner system calling with an API key (routes declared `{ partner: '<scope>' }`); sessions play no part. */
export interface PartnerPrincipal {
  clientId: string;
  keyId: string;
  scopes: string[];
  rateLimitPerMinute: number;
}
/** Authenticates the API key of a partner route and checks the scope; throws 401/403 itself. */
export type PartnerGate = (request: FastifyRequest, scope: string) => Promise<PartnerPrincipal>;

export interface RouteEntry {
  method: string;
  url: string;
  authz: Authz;
  /** Top-level body fields the route accepts (from its schema), for inventories and fuzzing. */
  bodyKeys: string[];
  /** The route's zod schemas as declared (the fuzzer derives valid and mutated requests from them). */
  schemas: { body?: unknown; params?: unknown; querystring?: unknown };
  /** Media types the route declares it consumes (e.g. multipart/form-data); absent = JSON. */
  consumes?: readonly string[];
}

function bodyKeysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    authz?: Authz;
  }
  interface FastifyRequest {
    actor: Actor | null;
    partner: PartnerPrincipal | null;
  }
  interface FastifyInstance {
    routeRegistry: RouteEntry[];
  }
}

export type ResolveActor = (request: FastifyRequest) => Promise<Actor | null>;

/** Routes outside the API (static web files, the SPA fallback) need no authz entry. */
const isApiUrl = (url: string) =>
  url.startsWith('/api/') ||
  url === '/openapi.json' ||
  url.startsWith('/v/') ||
  ['/healthz', '/readyz', '/metrics'].includes(url);

/**
 * Installs the route registry (startup fails when an API route has no authz rule) and the gate that
 * resolves the actor and enforces the rule before the body is parsed.
 */
export function registerAuthz(
  app: FastifyInstance,
  resolveActor: ResolveActor,
  onDenied?: (request: FastifyRequest) => Promise<void>,
  partnerGate?: PartnerGate,
): void {
  app.decorate('routeRegistry', [] as RouteEntry[]);
  app.decorateRequest('actor', null);
  app.decorateRequest('partner', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const authz = route.config?.authz;
    if (!authz) {
      if (isApiUrl(route.url) && !route.url.startsWith('/api/docs')) {
        throw new Error(`route ${methods.join(',')} ${route.url} declares no authz rule`);
      }
      return;
    }
    for (const m of methods) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      app.routeRegistry.push({
        method: m,
        url: route.url,
        authz,
        bodyKeys: bodyKeysOf(route.schema?.body),
        schemas: {
          body: route.schema?.body,
          params: route.schema?.params,
          querystring: route.schema?.querystring,
        },
        ...(route.schema?.consumes ? { consumes: route.schema.consumes } : {}),
      });
    }
  });

  app.addHook('onRequest', async (request) => {
    const authz = request.routeOptions.config?.authz;
    if (!authz) return;
    if ('partner' in authz) {
      if (!partnerGate) throw new AppError('UNAUTHENTICATED');
      request.partner = await partnerGate(request, authz.partner);
      return;
    }
    request.actor = await resolveActor(request).catch((e: unknown) => {
      // A timed-out session (already deleted) is simply anonymous on a public route such as sign-in.
      if ('public' in authz && e instanceof AppError && e.code === 'SESSION_EXPIRED') return null;
      throw e;
    });
    if ('public' in authz) return;
    if (!request.actor) throw new AppError('UNAUTHENTICATED');
    if (authz.roles === 'any') return;
    const held = authz.totpEnrolment
      ? [...request.actor.roles, ...(request.actor.totpPendingRoles ?? [])]
      : request.actor.roles;
    if (!authz.roles.some((r) => held.includes(r))) {
      await onDenied?.(request);
      const pending = request.actor.mfaPendingRoles ?? [];
      const totpPending = request.actor.totpPendingRoles ?? [];
      throw new AppError(
        authz.roles.some((r) => pending.includes(r))
          ? 'MFA_REQUIRED'
          : authz.roles.some((r) => totpPending.includes(r))
            ? 'TOTP_ENROLMENT_REQUIRED'
            : 'FORBIDDEN',
      );
    }
  });
}
