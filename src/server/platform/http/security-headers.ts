import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for these options, computed once. Only for static options: a directive given as a function
 * (a per-request nonce) would be evaluated once here, so it is refused.
 */
export function staticSecurityHeaders(options: Readonly<HelmetOptions>): {
  set: [string, string][];
  remove: string[];
} {
  const csp = options.contentSecurityPolicy;
  if (csp && typeof csp === 'object')
    for (const [name, value] of Object.entries(csp.directives ?? {}))
      if (typeof value === 'function' || (Array.isArray(value) && value.some((v) => typeof v === 'function')))
        throw new Error(`CSP directive ${name} varies per request; static headers cannot hold it`);
  const set = new Map<string, string>();
  const remove = new Set<string>();
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
      remove.delete(name.toLowerCase());
    },
    removeHeader(name: string) {
      set.delete(name.toLowerCase());
      remove.add(name.toLowerCase());
    },
  };
  let failed: unknown = null;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) failed = err;
  });
  if (failed) throw failed;
  return { set: [...set], remove: [...remove] };
}

/**
 * Helmet's headers on every response, as @fastify/helmet set them (in `onRequest`, so errors and refusals carry them
 * too), but built once at start: the plugin ran helmet — CSP parsing included — anew on every request.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const { set, remove } = staticSecurityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    const res = reply.raw;
    for (const name of remove) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    done();
  });
}
