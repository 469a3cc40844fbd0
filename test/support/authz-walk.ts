import type { FastifyInstance } from 'fastify';
import { authzMatrix, isAllowed, principals } from '../authz-matrix.js';
import type { PrincipalWorld } from './principals.js';

export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
// A well-formed id that names nothing, so an allowed caller gets 404/422, never 401/403.
export const fillParams = (url: string) => url.replace(/:([A-Za-z]+)/g, 'zz_00000000000000000000000000');

export interface WalkResult {
  requests: number;
  expectedAllow: number;
  expectedDeny: number;
  unexpectedAllow: string[];
  unexpectedDeny: string[];
  wrongDenyStatus: string[];
  serverErrors: string[];
  missingHeaders: string[];
}

/** Calls every registered route as every principal and compares the outcome with the matrix file. */
export async function walkMatrix(app: FastifyInstance, world: PrincipalWorld): Promise<WalkResult> {
  const out: WalkResult = {
    requests: 0,
    expectedAllow: 0,
    expectedDeny: 0,
    unexpectedAllow: [],
    unexpectedDeny: [],
    wrongDenyStatus: [],
    serverErrors: [],
    missingHeaders: [],
  };
  // Routes that end the caller's session run last, each with a fresh session.
  const routes = [...app.routeRegistry].sort(
    (a, b) =>
      Number(!!authzMatrix[routeKey(a)]?.endsSession) - Number(!!authzMatrix[routeKey(b)]?.endsSession),
  );
  for (const route of routes) {
    const row = authzMatrix[routeKey(route)];
    if (!row) continue;
    for (const p of principals) {
      let cookie = p === 'anonymous' ? undefined : world.cookies.get(p);
      if (row.endsSession && cookie) cookie = await world.signIn(p);
      const res = await app.inject({
        method: route.method as 'GET',
        url: fillParams(route.url),
        headers: cookie ? { cookie } : {},
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
      });
      out.requests++;
      const allowed = isAllowed(row.allow, p);
      if (allowed) out.expectedAllow++;
      else out.expectedDeny++;
      const refused = res.statusCode === 401 || res.statusCode === 403;
      const where = `${routeKey(route)} as ${p}: ${res.statusCode}`;
      if (allowed && refused) out.unexpectedDeny.push(where);
      if (!allowed && !refused) out.unexpectedAllow.push(where);
      if (!allowed && refused && res.statusCode !== (p === 'anonymous' ? 401 : 403))
        out.wrongDenyStatus.push(where);
      if (res.statusCode >= 500) out.serverErrors.push(where);
      if (res.headers['x-content-type-options'] !== 'nosniff' || res.headers['x-powered-by'] !== undefined) {
        out.missingHeaders.push(where);
      }
    }
  }
  return out;
}
