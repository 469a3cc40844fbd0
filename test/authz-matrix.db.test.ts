import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditLog } from '../src/server/platform/audit/audit.tables.js';
import { buildTestApp, type TestApp } from './app.js';
import { authzMatrix, isAllowed, isPartnerRule, principals } from './authz-matrix.js';
import { routeKey, walkMatrix } from './support/authz-walk.js';
import { createPrincipals, type PrincipalWorld } from './support/principals.js';

let t: TestApp;
let world: PrincipalWorld;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createPrincipals(t.app);
});
afterAll(async () => t.close());

describe('authorization matrix', () => {
  test('every registered route has exactly one row, and every row a route', () => {
    const registered = t.app.routeRegistry.map(routeKey).sort();
    expect(registered.length).toBeGreaterThan(5);
    const missing = registered.filter((k) => !(k in authzMatrix));
    const stale = Object.keys(authzMatrix).filter((k) => !registered.includes(k));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  test('each principal is allowed or refused exactly as the matrix says', async () => {
    const r = await walkMatrix(t.app, world);
    expect({
      unexpectedAllow: r.unexpectedAllow,
      unexpectedDeny: r.unexpectedDeny,
      wrongDenyStatus: r.wrongDenyStatus,
      serverErrors: r.serverErrors,
      missingHeaders: r.missingHeaders,
      partnerKeys: r.partnerKeys,
    }).toEqual({
      unexpectedAllow: [],
      unexpectedDeny: [],
      wrongDenyStatus: [],
      serverErrors: [],
      missingHeaders: [],
      partnerKeys: [],
    });
    expect(r.requests).toBe(t.app.routeRegistry.length * principals.length);
  }, 300_000);

  test('a signed-in caller refused at the door leaves an audit row', async () => {
    const denied = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'authz.denied'));
    const forbiddenCells = t.app.routeRegistry.flatMap((r) => {
      const row = authzMatrix[routeKey(r)]!;
      // Partner routes refuse sessions as unauthenticated (no key), which is not an audited door knock.
      if (isPartnerRule(row.allow)) return [];
      return principals.filter((p) => p !== 'anonymous' && !isAllowed(row.allow, p));
    });
    expect(denied.length).toBe(forbiddenCells.length);
    expect(denied.every((d) => d.outcome === 'denied' && d.actorId)).toBe(true);
  });

  test('a route without an authz rule stops the app from starting', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerAuthz } = await import('../src/server/platform/http/authz.js');
    const app = Fastify();
    registerAuthz(app, async () => null);
    expect(() => app.get('/api/v1/unguarded', async () => 'x')).toThrow(/declares no authz rule/);
    await app.close();
  });

  test('security headers are present on refusals too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
