import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { authzMatrix, isAllowed, principals } from '../../../../../test/authz-matrix.js';
import { createPrincipals, type PrincipalWorld } from '../../../../../test/support/principals.js';
import { findUnstorableText } from '../text-guard.js';

describe('findUnstorableText (NUL and lone surrogates)', () => {
  test('names the path of the first NUL in values and keys, and walks deep arrays without recursion', () => {
    expect(findUnstorableText({ a: 'ok', b: [{ c: 'x\u0000y' }] })).toBe('b.0.c');
    expect(findUnstorableText({ 'k\u0000': 1 })).toBe('k\u0000');
    expect(findUnstorableText({ a: '𠮷\u202E', b: 1, c: null })).toBeNull();
    expect(findUnstorableText({ a: ['x', '\udfb7田'] })).toBe('a.1');
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toMatch(/^0(\.0)+$/);
  });
});

// Regression: the fuzzer's unicode-edge mutation (a NUL at the start of a string) reached PostgreSQL on these
// routes and came back as 500 INTERNAL. Each request is otherwise well-formed.
describe('a NUL character or a lone surrogate in a request is refused at the door', () => {
  let t: TestApp;
  let world: PrincipalWorld;
  beforeAll(async () => {
    t = await buildTestApp();
    world = await createPrincipals(t.app);
  });
  afterAll(async () => t.close());

  const cases: [string, string, object][] = [
    ['POST', '/api/v1/contracts', { orderId: '\u0000。-嫂' }],
    [
      'POST',
      '/api/v1/regulator/credit/expulsions',
      { companyId: '\u0000', ground: 'persistent_failure', reason: 'Kx' },
    ],
    [
      'POST',
      '/api/v1/insights/wage-survey/editions',
      { title: '\u0000洁1月𪚥bk', periodFrom: '2000-01-01', periodTo: '2000-01-01', minSamples: 1 },
    ],
    // Lone surrogates (the full profile's unicode-edge mutation cut 𠮷 in half): not well-formed text, also 500.
    ['POST', '/api/v1/training/banks', { name: 'é\udfb7𪚥' }],
  ];
  test.each(cases)('%s %s', async (method, url, body) => {
    const row = authzMatrix[`${method} ${url}`]!;
    const p = principals.find((x) => isAllowed(row.allow, x))!;
    const res = await t.app.inject({
      method: method as 'POST',
      url,
      headers: { cookie: world.cookies.get(p)!, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
