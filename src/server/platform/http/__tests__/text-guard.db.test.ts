import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, cookieFrom, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { authzMatrix, isAllowed, principals } from '../../../../../test/authz-matrix.js';
import { createPrincipals, type PrincipalWorld } from '../../../../../test/support/principals.js';
import { findUnstorableText, normalizeText } from '../text-guard.js';

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

describe('normalizeText (NFC)', () => {
  test('puts strings and keys into NFC in place, deep and in arrays, and leaves Buffers and numbers alone', () => {
    const buf = Buffer.from('e\u0301');
    const body = {
      name: 'Jose\u0301',
      'cafe\u0301': ['e\u0301', { x: '\u1100\u1161' }],
      n: 1,
      b: buf,
      z: null,
    };
    const out = normalizeText(body);
    expect(out.clash).toBeNull();
    expect(out.value).toBe(body);
    expect(body).toEqual({ name: 'José', café: ['é', { x: '가' }], n: 1, b: buf, z: null });
    expect(Object.keys(body)).not.toContain('cafe\u0301');
    expect(buf.toString()).toBe('e\u0301');
    expect(normalizeText('A\u030A').value).toBe('Å');
    // Already NFC (生僻字 outside the BMP, the middle dot of transliterated names) is unchanged.
    expect(normalizeText({ a: '𠮷田·𪚥' }).value).toEqual({ a: '𠮷田·𪚥' });
    let deep: unknown = 'e\u0301';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    normalizeText(deep);
    let leaf = deep;
    while (Array.isArray(leaf)) leaf = leaf[0];
    expect(leaf).toBe('é');
  });
  test('two keys of one object that become equal are reported, not merged', () => {
    expect(normalizeText({ a: { 'e\u0301': 1, é: 2 } }).clash).toBe('a.e\u0301');
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

describe('request text is stored in NFC', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());
  const post = (url: string, payload: object, cookie?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: cookie ? { cookie } : {},
      payload,
    });

  test('a decomposed name with surrounding spaces is stored and read back composed and trimmed', async () => {
    const phone = uniquePhone();
    await post('/auth/otp', { phone, purpose: 'register' });
    const code = t.sms.latest(phone)!.code;
    // 'Zoe\u0308' is Zoë typed as e + combining diaeresis (macOS input, some IMEs).
    const res = await post('/auth/register', {
      phone,
      code,
      password: 'Jiazheng2026',
      name: '  Zoe\u0308𠮷  ',
    });
    expect(res.statusCode, res.body).toBe(201);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: cookieFrom(res) },
    });
    expect(me.json().user.name).toBe('Zoë𠮷');
    expect(me.json().user.name).toBe('  Zoe\u0308𠮷  '.normalize('NFC').trim());
  });

  test('a password set in NFD signs in typed either way (both are normalised on the way in)', async () => {
    const phone = uniquePhone();
    await post('/auth/otp', { phone, purpose: 'register' });
    const code = t.sms.latest(phone)!.code;
    const nfd = 'Mot de passe cafe\u0301 2026';
    const reg = await post('/auth/register', { phone, code, password: nfd, name: '王芳' });
    expect(reg.statusCode, reg.body).toBe(201);
    for (const typed of [nfd, nfd.normalize('NFC')]) {
      const res = await post('/auth/login/password', { phone, password: typed });
      expect(res.statusCode, res.body).toBe(200);
    }
    const wrong = await post('/auth/login/password', { phone, password: 'Mot de passe cafe 2026' });
    expect(wrong.statusCode).toBe(401);
  });

  test('keys that differ only in normalisation are refused, nothing stored', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      headers: { 'content-type': 'application/json' },
      payload: `{"phone":"13800000000","purpose":"register","e\u0301":1,"\u00e9":2}`,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
