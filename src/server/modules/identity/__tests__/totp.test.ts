import { describe, expect, test } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchStep,
  newRecoveryCode,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
  stepAt,
  totpAt,
} from '../totp.js';

// RFC 6238 Appendix B: the SHA-1 seed is the 20-byte ASCII string "12345678901234567890" (SHA-256 and SHA-512
// use it repeated to 32 and 64 bytes), 8 digits, T0 = 0, X = 30.
const SHA1_KEY = Buffer.from('12345678901234567890', 'ascii');
const SHA256_KEY = Buffer.from('12345678901234567890123456789012', 'ascii');
const SHA512_KEY = Buffer.from('1234567890'.repeat(6) + '1234', 'ascii');
const rfc6238: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('RFC 6238 Appendix B', () => {
  test.each(rfc6238)('T = %i s: SHA-1 %s', (seconds, sha1, sha256, sha512) => {
    const at = new Date(seconds * 1000);
    expect(totpAt(SHA1_KEY, at, { digits: 8 })).toBe(sha1);
    expect(totpAt(SHA256_KEY, at, { digits: 8, algorithm: 'sha256' })).toBe(sha256);
    expect(totpAt(SHA512_KEY, at, { digits: 8, algorithm: 'sha512' })).toBe(sha512);
  });
});

test('RFC 4226 Appendix D: HOTP counters 0–9, six digits', () => {
  const expected = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  expect(expected.map((_, i) => hotp(SHA1_KEY, i))).toEqual(expected);
});

describe('base32', () => {
  test('RFC 4648 §10 vectors (unpadded) and the round trip of a fresh secret', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, enc] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(enc);
      expect(base32Decode(enc).toString()).toBe(plain);
    }
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(base32Decode(secret.toLowerCase().replace(/(.{4})/g, '$1 '))).toEqual(base32Decode(secret));
    expect(() => base32Decode('MZXW1')).toThrow();
  });
});

describe('the ±1 step window and single use', () => {
  const key = base32Decode(newTotpSecret());
  const now = new Date('2026-11-29T15:00:10Z');
  const step = stepAt(now);
  const codeAt = (s: number) => hotp(key, s);

  test('the current, previous and next step match; two steps away does not', () => {
    expect(matchStep(key, codeAt(step), now, null)).toBe(step);
    expect(matchStep(key, codeAt(step - 1), now, null)).toBe(step - 1);
    expect(matchStep(key, codeAt(step + 1), now, null)).toBe(step + 1);
    // A code of another step could collide with one in the window by chance (1 in 10^6); skip that case.
    if (![step - 1, step, step + 1].some((s) => codeAt(s) === codeAt(step - 2)))
      expect(matchStep(key, codeAt(step - 2), now, null)).toBeNull();
    if (![step - 1, step, step + 1].some((s) => codeAt(s) === codeAt(step + 2)))
      expect(matchStep(key, codeAt(step + 2), now, null)).toBeNull();
  });

  test('a code whose step was already used, or an older one, is refused; a later one still passes', () => {
    expect(matchStep(key, codeAt(step), now, step)).toBeNull();
    expect(matchStep(key, codeAt(step - 1), now, step)).toBeNull();
    expect(matchStep(key, codeAt(step + 1), now, step)).toBe(step + 1);
  });

  test('anything but six digits is refused', () => {
    for (const bad of ['', '12345', '1234567', 'abcdef', ` ${codeAt(step)}`]) {
      expect(matchStep(key, bad, now, null)).toBeNull();
    }
  });
});

test('otpauth URI: Key Uri Format with issuer, SHA1, 6 digits, 30 s', () => {
  const uri = otpauthUri('JBSWY3DPEHPK3PXP', '安心家政', '138****0000');
  expect(uri.startsWith('otpauth://totp/%E5%AE%89%E5%BF%83%E5%AE%B6%E6%94%BF:138****0000?')).toBe(true);
  const params = new URL(uri).searchParams;
  expect(Object.fromEntries(params)).toEqual({
    secret: 'JBSWY3DPEHPK3PXP',
    issuer: '安心家政',
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  });
});

test('recovery codes: 10 characters of Crockford base32, read back whatever the case and dashes', () => {
  const codes = Array.from({ length: 50 }, newRecoveryCode);
  expect(new Set(codes).size).toBe(50);
  for (const c of codes) {
    expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    expect(normalizeRecoveryCode(c.toUpperCase().replace('-', ' '))).toBe(c.replace('-', ''));
  }
  expect(normalizeRecoveryCode('abcde-fghlo')).toBe('abcdefgh10');
  expect(normalizeRecoveryCode('abcde-fghj')).toBeNull();
  expect(normalizeRecoveryCode('abcde-fghj!')).toBeNull();
  expect(normalizeRecoveryCode('abcde-fghju')).toBeNull();
});
