import type { FastifyInstance } from 'fastify';
import { authzMatrix, isAllowed, isPartnerRule, principals } from '../authz-matrix.js';
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
  /** Partner routes called with a key holding every scope and one holding only statistics:read, that went wrong. */
  partnerKeys: string[];
}

// What the partner key gate answers when it refuses (anything else is the handler's answer, past the door).
const gateCodes = [
  'PARTNER_KEY_MISSING',
  'PARTNER_KEY_INVALID',
  'PARTNER_SCOPE_MISSING',
  'PARTNER_IP_NOT_ALLOWED',
];

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
    partnerKeys: [],
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
      const refused =
        res.statusCode === 401 || (res.statusCode === 403 && !(isPartnerRule(row.allow) && !isGate(res)));
      const where = `${routeKey(route)} as ${p}: ${res.statusCode}`;
      if (allowed && refused) out.unexpectedDeny.push(where);
      if (!allowed && !refused) out.unexpectedAllow.push(where);
      const denyStatus = p === 'anonymous' || isPartnerRule(row.allow) ? 401 : 403;
      if (!allowed && refused && res.statusCode !== denyStatus) out.wrongDenyStatus.push(where);
      if (res.statusCode >= 500) out.serverErrors.push(where);
      if (res.headers['x-content-type-options'] !== 'nosniff' || res.headers['x-powered-by'] !== undefined) {
        out.missingHeaders.push(where);
      }
    }
    if (isPartnerRule(row.allow)) {
      for (const [name, key] of Object.entries(world.partnerKeys)) {
        const res = await app.inject({
          method: route.method as 'GET',
          url: fillParams(route.url),
          headers: { authorization: `Bearer ${key}` },
          ...(route.method === 'GET' ? {} : { payload: {} }),
        });
        const shouldPass = name === 'all' || row.allow.partner === 'statistics:read';
        const where = `${routeKey(route)} with the ${name} key: ${res.statusCode}`;
        if (shouldPass ? isGate(res) || res.statusCode >= 500 : res.json().code !== 'PARTNER_SCOPE_MISSING')
          out.partnerKeys.push(where);
      }
    }
  }
  return out;
}

function isGate(res: { statusCode: number; json(): unknown }): boolean {
  if (res.statusCode !== 401 && res.statusCode !== 403) return false;
  const code = (res.json() as { code?: string }).code ?? '';
  return gateCodes.includes(code) || res.statusCode === 401;
}
