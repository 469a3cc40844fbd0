import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OrgType, PlatformRole, Role } from '../src/shared/roles.js';
import { buildTestApp, cookieFrom, uniquePhone, type TestApp } from './app.js';
import { authzMatrix, isAllowed, principals, type Principal } from './authz-matrix.js';

let t: TestApp;
const cookies = new Map<Principal, string>();
const PASSWORD = 'Matrix2026pass';

const orgRoleSetup: Partial<Record<Role, { orgType: OrgType; role: 'admin' | 'staff' }>> = {
  company_admin: { orgType: 'company', role: 'admin' },
  company_staff: { orgType: 'company', role: 'staff' },
  station_staff: { orgType: 'station', role: 'staff' },
  training_staff: { orgType: 'training', role: 'staff' },
  insurer_staff: { orgType: 'insurer', role: 'staff' },
};

async function signIn(phone: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/password',
    payload: { phone, password: PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  return cookieFrom(res);
}

const phones = new Map<Principal, string>();

beforeAll(async () => {
  t = await buildTestApp();
  const { identity, orgs } = t.app.services;
  for (const p of principals) {
    if (p === 'anonymous') continue;
    const phone = uniquePhone();
    const org = orgRoleSetup[p];
    const platformRole = org ? [] : [{ role: p as PlatformRole }];
    const userId = await identity.createAccount({
      phone,
      password: PASSWORD,
      name: `矩阵${p}`,
      roles: platformRole,
    });
    if (org) {
      const orgId = await orgs.createOrganization(t.database.db, {
        type: org.orgType,
        name: `矩阵${org.orgType}`,
        district: '440106',
      });
      await orgs.addMember(t.database.db, { orgId, userId, role: org.role });
    }
    phones.set(p, phone);
    cookies.set(p, await signIn(phone));
  }
});
afterAll(async () => t.close());

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
// Placeholder path parameters: a well-formed id that names nothing, so an allowed caller gets 404, never 401/403.
const fillParams = (url: string) => url.replace(/:([A-Za-z]+)/g, 'zz_00000000000000000000000000');

describe('authorization matrix', () => {
  test('every registered route has exactly one row, and every row a route', () => {
    const registered = t.app.routeRegistry.map(key).sort();
    expect(registered.length).toBeGreaterThan(5);
    const missing = registered.filter((k) => !(k in authzMatrix));
    const stale = Object.keys(authzMatrix).filter((k) => !registered.includes(k));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  test('each principal is allowed or refused exactly as the matrix says', async () => {
    const unexpected: string[] = [];
    let checked = 0;
    const routes = [...t.app.routeRegistry].sort(
      (a, b) => Number(!!authzMatrix[key(a)]?.endsSession) - Number(!!authzMatrix[key(b)]?.endsSession),
    );
    for (const route of routes) {
      const row = authzMatrix[key(route)]!;
      for (const p of principals) {
        let cookie = p === 'anonymous' ? undefined : cookies.get(p);
        if (row.endsSession && cookie) cookie = await signIn(phones.get(p)!);
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: fillParams(route.url),
          headers: cookie ? { cookie } : {},
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        checked++;
        const allowed = isAllowed(row.allow, p);
        const refused = res.statusCode === 401 || res.statusCode === 403;
        if (allowed && refused) unexpected.push(`UNEXPECTED DENY ${key(route)} as ${p}: ${res.statusCode}`);
        if (!allowed && !refused)
          unexpected.push(`UNEXPECTED ALLOW ${key(route)} as ${p}: ${res.statusCode}`);
        if (!allowed && p === 'anonymous' && res.statusCode !== 401)
          unexpected.push(`${key(route)} anonymous got ${res.statusCode}, want 401`);
        if (!allowed && p !== 'anonymous' && res.statusCode !== 403)
          unexpected.push(`${key(route)} as ${p} got ${res.statusCode}, want 403`);
        if (res.statusCode >= 500) unexpected.push(`5xx ${key(route)} as ${p}: ${res.body}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(checked).toBe(t.app.routeRegistry.length * principals.length);
  });

  test('a route without an authz rule stops the app from starting', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerAuthz } = await import('../src/server/platform/http/authz.js');
    const app = Fastify();
    registerAuthz(app, async () => null);
    expect(() => app.get('/api/v1/unguarded', async () => 'x')).toThrow(/declares no authz rule/);
    await app.close();
  });

  test('a signed-in caller refused at the door leaves an audit row', async () => {
    const { auditLog } = await import('../src/server/platform/audit/audit.tables.js');
    const { eq } = await import('drizzle-orm');
    const denied = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'authz.denied'));
    const forbiddenCells = t.app.routeRegistry.flatMap((r) => {
      const row = authzMatrix[key(r)]!;
      return principals.filter((p) => p !== 'anonymous' && !isAllowed(row.allow, p));
    });
    expect(denied.length).toBe(forbiddenCells.length);
    expect(denied.every((d) => d.outcome === 'denied' && d.actorId)).toBe(true);
  });

  test('security headers are present on refusals too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
