import fastifyHelmet from '@fastify/helmet';
import Fastify from 'fastify';
import type { HelmetOptions } from 'helmet';
import { describe, expect, test } from 'vitest';
import { registerSecurityHeaders, staticSecurityHeaders } from '../security-headers.js';

// app.ts's options (production and development forms): the precomputed set must equal what @fastify/helmet set
// per request, on answers, errors and unknown routes alike.
const options = (production: boolean): HelmetOptions => ({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:', 'https://*.tile.example.org'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      upgradeInsecureRequests: production ? [] : null,
    },
  },
  hsts: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  crossOriginEmbedderPolicy: false,
});

async function headersOf(register: (app: ReturnType<typeof Fastify>) => Promise<void>) {
  const app = Fastify();
  await register(app);
  app.get('/ok', async () => ({ ok: true }));
  app.get('/fail', async () => {
    throw new Error('boom');
  });
  await app.ready();
  const out: Record<string, Record<string, unknown>> = {};
  for (const url of ['/ok', '/fail', '/nowhere']) {
    const res = await app.inject({ method: 'GET', url });
    const { date: _d, 'content-length': _l, ...rest } = res.headers;
    out[url] = rest;
  }
  await app.close();
  return out;
}

describe('security headers computed once', () => {
  for (const production of [false, true])
    test(`the same headers as @fastify/helmet per request (${production ? 'production' : 'development'})`, async () => {
      const want = await headersOf(async (app) => {
        await app.register(fastifyHelmet, options(production));
      });
      const got = await headersOf(async (app) => registerSecurityHeaders(app, options(production)));
      expect(got).toEqual(want);
      expect(String(got['/nowhere']!['content-security-policy'])).toContain("object-src 'none'");
      expect(got['/fail']!['x-content-type-options']).toBe('nosniff');
      expect(!!got['/ok']!['strict-transport-security']).toBe(production);
    });

  test('a directive that varies per request (a nonce function) is refused', () => {
    expect(() =>
      staticSecurityHeaders({
        contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } },
      }),
    ).toThrow(/varies per request/);
  });
});
