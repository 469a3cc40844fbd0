// The coverage guarantee of the fuzzer (scripts/assure/zod-arbitrary.ts): for every write route of the real app,
// values generated from its body, params and querystring schemas all pass the schema's own safeParse, and each
// mutation is classified by safeParse too. A db test only because the routes come from a built app.
import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { multipartRoutes } from '../scripts/assure/fuzz-multipart.js';
import { arbitraryOf, mutatedArbitrary } from '../scripts/assure/zod-arbitrary.js';
import { buildTestApp, type TestApp } from './app.js';
import { routeKey } from './support/authz-walk.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const isZod = (s: unknown): s is z.ZodType => !!s && typeof s === 'object' && '_zod' in s;

describe('zod → fast-check on the real route schemas', () => {
  test('50 generated values of every write route’s body, params and querystring pass safeParse', () => {
    const routes = t.app.routeRegistry.filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method));
    expect(routes.length).toBeGreaterThan(100);
    const failures: string[] = [];
    let schemas = 0;
    for (const r of routes) {
      for (const part of ['body', 'params', 'querystring'] as const) {
        const schema = r.schemas[part];
        if (!isZod(schema)) continue;
        schemas++;
        try {
          const values = fc.sample(arbitraryOf(schema), { numRuns: 50, seed: 7 });
          const bad = values.filter((v) => !schema.safeParse(v).success);
          if (bad.length) failures.push(`${routeKey(r)} ${part}: ${JSON.stringify(bad[0]).slice(0, 200)}`);
        } catch (e) {
          failures.push(`${routeKey(r)} ${part}: ${(e as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(schemas).toBeGreaterThan(150);
  });

  test('mutations of every write body are classified by safeParse, and most make the body invalid', () => {
    let invalid = 0;
    let total = 0;
    for (const r of t.app.routeRegistry) {
      const schema = r.schemas.body;
      if (!['POST', 'PATCH', 'PUT'].includes(r.method) || !isZod(schema)) continue;
      for (const m of fc.sample(mutatedArbitrary(schema), { numRuns: 10, seed: 11 })) {
        total++;
        let parsed: unknown;
        try {
          parsed = JSON.parse(m.raw);
        } catch {
          parsed = Symbol('unparsable');
        }
        expect(m.valid, `${routeKey(r)} ${m.kind} at ${m.at}`).toBe(schema.safeParse(parsed).success);
        if (!m.valid) invalid++;
      }
    }
    expect(total).toBeGreaterThan(500);
    expect(invalid / total).toBeGreaterThan(0.7);
  });

  test('every multipart route has a valid form in the fuzzer (none is skipped), and no form names a gone route', () => {
    const uploads = t.app.routeRegistry
      .filter((r) => r.consumes?.some((c) => c.startsWith('multipart/')))
      .map((r) => r.url)
      .sort();
    expect(uploads.length).toBeGreaterThanOrEqual(11);
    expect([...multipartRoutes].sort()).toEqual(uploads);
  });
});
