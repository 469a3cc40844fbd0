import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authzMatrix, isAllowed, isPartnerRule, principals } from '../../../../../test/authz-matrix.js';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { fillParams, routeKey } from '../../../../../test/support/authz-walk.js';
import { createPrincipals, type PrincipalWorld } from '../../../../../test/support/principals.js';
import { errorCatalog } from '../../errors.js';
import { routeErrors } from '../route-errors.js';

interface Media {
  schema?: Record<string, unknown>;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Op {
  summary?: string;
  description?: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description?: string; content?: Record<string, Media> }>;
}
type Doc = { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };

// Not OpenAPI operations (the same list as the assure inventory suite): metrics, the document itself, the
// WebSocket and the server-rendered verification pages.
const isHidden = (k: string) =>
  k === 'GET /metrics' ||
  k === 'GET /openapi.json' ||
  k === 'GET /api/v1/ws' ||
  k.startsWith('GET /v/') ||
  k.startsWith('GET /vt/');

let t: TestApp;
let doc: Doc;
const ops = new Map<string, Op>();
const ajv = new Ajv2020({ strict: false, validateFormats: false });
let validate: (schema: unknown, value: unknown) => string | null;

beforeAll(async () => {
  t = await buildTestApp();
  doc = t.app.swagger() as unknown as Doc;
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [m, op] of Object.entries(methods))
      ops.set(routeKey({ method: m.toUpperCase(), url: path.replace(/\{(\w+)\}/g, ':$1') }), op);
  ajv.addSchema({ $id: 'doc', components: doc.components });
  validate = (schema, value) => {
    const s = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
    return ajv.validate(s, value) ? null : ajv.errorsText(ajv.errors);
  };
});
afterAll(async () => {
  await t.close();
});

/** The codes documented for an operation, by status. */
function documented(op: Op): Map<string, number> {
  const out = new Map<string, number>();
  for (const [status, res] of Object.entries(op.responses))
    for (const code of Object.keys(res.content?.['application/problem+json']?.examples ?? {}))
      out.set(code, Number(status));
  return out;
}

describe('the OpenAPI document', () => {
  it('has one operation per registered route, none undocumented', () => {
    const routes = t.app.routeRegistry.map(routeKey).filter((k) => !isHidden(k));
    expect(routes.filter((k) => !ops.has(k))).toEqual([]);
    expect([...ops.keys()].filter((k) => !routes.includes(k))).toEqual([]);
    expect(ops.size).toBeGreaterThan(300);
  });

  it('describes every operation and gives its errors as problem+json with an example per stable code', () => {
    const problems: string[] = [];
    for (const [key, op] of ops) {
      if (!op.summary?.trim() && !op.description?.trim()) problems.push(`${key}: no summary or description`);
      if (!op.description?.includes('Access:'))
        problems.push(`${key}: description does not say who may call it`);
      const errors = Object.entries(op.responses).filter(([s]) => /^[45]/.test(s));
      if (!errors.length) problems.push(`${key}: no error response`);
      for (const [status, res] of errors) {
        const media = res.content?.['application/problem+json'];
        if (!media?.examples || !Object.keys(media.examples).length)
          problems.push(`${key} ${status}: no problem+json examples`);
        for (const [code, ex] of Object.entries(media?.examples ?? {})) {
          const entry = errorCatalog[code as keyof typeof errorCatalog];
          if (!entry) problems.push(`${key} ${status}: ${code} is not in the errors registry`);
          else if (String(entry.status) !== status)
            problems.push(`${key} ${status}: ${code} is ${entry.status}`);
          const body = ex.value as { code?: string; message?: { 'zh-CN'?: string } };
          if (body.code !== code || body.message?.['zh-CN'] !== entry?.zh)
            problems.push(`${key} ${status}: example of ${code} is not its registry entry`);
          const invalid = validate(media?.schema, ex.value);
          if (invalid) problems.push(`${key} ${status}: example of ${code}: ${invalid}`);
        }
      }
      // What the route's shape brings, and what its handler can raise (route-errors.ts), are all there.
      const codes = documented(op);
      const route = t.app.routeRegistry.find((r) => routeKey(r) === key)!;
      const expected = [...(routeErrors[key] ?? []), 'RATE_LIMITED'];
      if ('roles' in route.authz) expected.push('UNAUTHENTICATED');
      if ('roles' in route.authz && route.authz.roles !== 'any') expected.push('FORBIDDEN');
      if ('partner' in route.authz) expected.push('PARTNER_KEY_MISSING', 'PARTNER_SCOPE_MISSING');
      if (op.requestBody) expected.push('VALIDATION_FAILED', 'MALFORMED_REQUEST');
      for (const c of expected) if (!codes.has(c)) problems.push(`${key}: ${c} not documented`);
    }
    expect(problems).toEqual([]);
  });

  it('gives a valid example for every JSON request body and 2xx response', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [key, op] of ops) {
      const media: [string, string, Media][] = [];
      for (const [type, m] of Object.entries(op.requestBody?.content ?? {})) media.push(['body', type, m]);
      for (const [status, res] of Object.entries(op.responses)) {
        if (!status.startsWith('2')) continue;
        if (!res.content && status !== '204') problems.push(`${key} ${status}: no content and not 204`);
        for (const [type, m] of Object.entries(res.content ?? {})) media.push([status, type, m]);
      }
      for (const [where, type, m] of media) {
        if (!type.includes('json')) {
          if ((m.schema as { format?: string } | undefined)?.format !== 'binary')
            problems.push(`${key} ${where}: ${type} without a binary schema`);
          continue;
        }
        const values =
          m.example !== undefined ? [m.example] : Object.values(m.examples ?? {}).map((e) => e.value);
        if (!values.length) problems.push(`${key} ${where}: no example`);
        for (const v of values) {
          checked++;
          const invalid = validate(m.schema, v);
          if (invalid) problems.push(`${key} ${where}: example does not match its schema: ${invalid}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(400);
  });

  it('declares for each route exactly the codes its handler can raise (scripts/openapi-errors.ts)', {
    timeout: 300_000,
  }, async () => {
    // In a child process: the TypeScript program takes a while to build and would block this worker meanwhile.
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/openapi-errors.ts', '--json'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const { routes, unresolved } = JSON.parse(stdout) as {
      routes: Record<string, string[]>;
      unresolved: string[];
    };
    expect(unresolved).toEqual([]);
    const stale = Object.keys(routes).filter(
      (k) => JSON.stringify(routes[k]) !== JSON.stringify([...(routeErrors[k] ?? [])]),
    );
    const extra = Object.keys(routeErrors).filter((k) => !(k in routes));
    // When this fails, run `npm run openapi:errors` and commit route-errors.ts.
    expect({ stale, extra }).toEqual({ stale: [], extra: [] });
    const registered = t.app.routeRegistry.map(routeKey).filter((k) => k !== 'GET /api/v1/ws');
    expect(registered.filter((k) => !(k in routeErrors))).toEqual([]);
  });
});

describe('the documented errors against the running handlers', () => {
  let world: PrincipalWorld;
  beforeAll(async () => {
    world = await createPrincipals(t.app);
  }, 120_000);

  it('every error a route answers to an anonymous, an allowed or a partner caller is documented for it', {
    timeout: 300_000,
  }, async () => {
    const undocumented: string[] = [];
    let probes = 0;
    for (const route of t.app.routeRegistry) {
      const key = routeKey(route);
      const row = authzMatrix[key];
      const op = ops.get(key);
      if (!row || !op || row.endsSession) continue;
      const callers: [string, Record<string, string>][] = [['anonymous', {}]];
      for (const p of principals)
        if (p !== 'anonymous' && isAllowed(row.allow, p))
          callers.push([p, { cookie: world.cookies.get(p)! }]);
      if (isPartnerRule(row.allow))
        callers.push(['partner', { authorization: `Bearer ${world.partnerKeys.all}` }]);
      const codes = documented(op);
      for (const [who, headers] of callers.slice(0, 3)) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: fillParams(route.url),
          headers,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        probes++;
        if (res.statusCode < 400) continue;
        const code = (res.json() as { code?: string }).code ?? '';
        if (codes.get(code) !== res.statusCode)
          undocumented.push(`${key} as ${who}: ${res.statusCode} ${code}`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(probes).toBeGreaterThan(400);
  });
});
