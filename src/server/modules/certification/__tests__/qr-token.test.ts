import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  parseQrToken,
  peekQrPayload,
  peekQrToken,
  signQrToken,
  verifyPeekedQr,
  verifyQrToken,
} from '../qr-token.js';

const secret = randomBytes(32);
const other = randomBytes(32);
const p = { certificateId: 'crt_01abcdefghjkmnpqrstvwxyz0', issuedAt: new Date('2026-03-01T08:00:00Z') };
const keys = (kid: string) => (kid === 'key1' ? secret : kid === 'key2' ? other : null);

describe('QR tokens', () => {
  test('valid token verifies and is stable (deterministic)', () => {
    const t = signQrToken('key1', secret, p);
    expect(t).toBe(signQrToken('key1', secret, p));
    expect(t.split('.')).toHaveLength(3);
    expect(verifyQrToken(t, keys)).toEqual(p);
  });

  test('tampered payload, signature or kid is refused', () => {
    const t = signQrToken('key1', secret, p);
    const [kid, payload, sig] = t.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ c: 'crt_other', t: 1 })).toString('base64url');
    expect(verifyQrToken(`${kid}.${forgedPayload}.${sig}`, keys)).toBeNull();
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
    expect(verifyQrToken(`${kid}.${payload}.${flipped}`, keys)).toBeNull();
    expect(verifyQrToken(`key2.${payload}.${sig}`, keys)).toBeNull();
    expect(verifyQrToken(`${kid}.${payload}`, keys)).toBeNull();
    expect(verifyQrToken('garbage', keys)).toBeNull();
  });

  test('an altered last character is refused even when it only changes base64 padding bits', () => {
    // 32 signature bytes are 43 base64url characters; the last one carries 2 unused bits, so a decoder that is not
    // strict would read "…A" and "…B" as the same signature.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const t = signQrToken('key1', secret, p);
    const [kid, payload, sig] = t.split('.') as [string, string, string];
    const last = alphabet.indexOf(sig.at(-1)!);
    for (let low = 0; low < 4; low++) {
      const sibling = alphabet[(last & ~3) | low]!;
      if (sibling === sig.at(-1)) continue;
      expect(verifyQrToken(`${kid}.${payload}.${sig.slice(0, -1)}${sibling}`, keys)).toBeNull();
    }
    const payloadLast = alphabet.indexOf(payload.at(-1)!);
    const payloadSibling = alphabet[payloadLast ^ 1]!;
    expect(verifyQrToken(`${kid}.${payload.slice(0, -1)}${payloadSibling}.${sig}`, keys)).toBeNull();
  });

  test('unknown or retired key (no secret) is refused', () => {
    const t = signQrToken('key9', randomBytes(32), p);
    expect(verifyQrToken(t, keys)).toBeNull();
  });

  test('a token signed with a foreign secret under a known kid is refused', () => {
    expect(verifyQrToken(signQrToken('key1', other, p), keys)).toBeNull();
  });

  test('shape checks', () => {
    expect(parseQrToken('a.b.c')).toBeNull();
    expect(parseQrToken('key1.a b.c')).toBeNull();
    expect(parseQrToken(`key1.${'a'.repeat(500)}.c`)).toBeNull();
  });

  test('peek reads what a token claims without trusting it (lookup only); malformed is null', () => {
    const t = signQrToken('key1', secret, p);
    const [kid, payload] = t.split('.') as [string, string, string];
    expect(peekQrPayload(t)).toEqual({ ...p, kid: 'key1' });
    // A forged signature still peeks: only verifyQrToken decides whether anything is shown.
    const forged = `${kid}.${payload}.${'A'.repeat(43)}`;
    expect(peekQrPayload(forged)).toEqual({ ...p, kid: 'key1' });
    expect(verifyQrToken(forged, keys)).toBeNull();
    expect(peekQrPayload('a.b.c')).toBeNull();
    expect(peekQrPayload(`key1.${Buffer.from('{"c":1}').toString('base64url')}.abc`)).toBeNull();
  });

  test('the scan path (peek once, then verify the peeked parts) decides exactly as verifyQrToken', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const t = signQrToken('key1', secret, p);
    const [kid, payload, sig] = t.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ c: 'crt_other', t: 1 })).toString('base64url');
    const variants = [
      t,
      `${kid}.${forgedPayload}.${sig}`,
      `key2.${payload}.${sig}`,
      `key9.${payload}.${sig}`,
      `${kid}.${payload}.${'A'.repeat(43)}`,
      `${kid}.${payload}`,
      'garbage',
      signQrToken('key2', other, p),
      signQrToken('key1', other, p),
    ];
    // Every one-character change of the signature's and the payload's last characters (padding bits included).
    for (const c of alphabet) {
      variants.push(`${kid}.${payload}.${sig.slice(0, -1)}${c}`);
      variants.push(`${kid}.${payload.slice(0, -1)}${c}.${sig}`);
    }
    let accepted = 0;
    for (const v of variants) {
      const want = verifyQrToken(v, keys);
      const peeked = peekQrToken(v);
      const key = peeked ? keys(peeked.kid) : null;
      const got = peeked && key ? verifyPeekedQr(peeked, key) : null;
      expect(got, v).toEqual(want);
      if (want) accepted++;
    }
    expect(accepted).toBe(4); // the token (as itself and rebuilt from each own last character) and key2's
  });
});
