import { createCipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPii, PiiError } from '../index.js';

// The 国密 profile: SM4-CTR then HMAC-SM3 (encrypt-then-MAC), keys derived with HKDF-SM3, blind indexes HMAC-SM3.
const KEY = Buffer.alloc(32, 0xa1);
const OLD = Buffer.alloc(32, 0xb2);
const HASH_KEY = Buffer.alloc(32, 0xc3);
const TOKEN = /^g1\.(\d+)\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]*)$/;
const gm = createPii({ key: KEY, hashKey: HASH_KEY, profile: 'gm' });
const intl = createPii({ key: KEY, hashKey: HASH_KEY });

const flip = (token: string, index: number) => {
  const p = token.split('.');
  const buf = Buffer.from(p[index]!, 'base64url');
  buf[0] = buf[0]! ^ 0x01;
  p[index] = buf.toString('base64url');
  return p.join('.');
};

describe('the platform implements the national algorithms as the standards define them', () => {
  it('SM3 (GB/T 32905) gives the standard\'s digest of "abc"', () => {
    expect(createHash('sm3').update('abc').digest('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });
  it("SM4 (GB/T 32907) gives the standard's example ciphertext", () => {
    const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const c = createCipheriv('sm4-ecb', k, null).setAutoPadding(false);
    expect(Buffer.concat([c.update(k), c.final()]).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });
});

describe('gm profile', () => {
  it.each([
    ['an ID number', '11010519491231002X'],
    ['Chinese text', '广东省广州市天河区珠江新城花城大道85号 张小芳'],
    ['the empty string', ''],
    ['a long text', '健康证明'.repeat(3000)],
  ])('round-trips %s in a g1 token (16-byte IV, 32-byte MAC)', (_l, plain) => {
    const token = gm.encrypt(plain, 'worker.address');
    expect(token).toMatch(TOKEN);
    expect(gm.decrypt(token, 'worker.address')).toBe(plain);
    expect(gm.profile).toBe('gm');
  });

  it('is SM4-CTR under an HKDF-SM3 key, authenticated by HMAC-SM3 over header, aad, IV and ciphertext', () => {
    const token = gm.encrypt('张小芳', 'worker.id_number');
    const [, version, iv, mac, ct] = TOKEN.exec(token)!;
    const enc = Buffer.from(hkdfSync('sm3', KEY, Buffer.alloc(0), 'anxin-pii sm4-ctr', 16));
    const macKey = Buffer.from(hkdfSync('sm3', KEY, Buffer.alloc(0), 'anxin-pii hmac-sm3', 32));
    const ivBuf = Buffer.from(iv!, 'base64url');
    const c = createCipheriv('sm4-ctr', enc, ivBuf);
    const expectedCt = Buffer.concat([c.update('张小芳', 'utf8'), c.final()]);
    expect(Buffer.from(ct!, 'base64url')).toEqual(expectedCt);
    const h = createHmac('sm3', macKey);
    for (const part of [Buffer.from(`g1.${version}`), Buffer.from('worker.id_number'), ivBuf, expectedCt]) {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(part.length);
      h.update(len).update(part);
    }
    expect(Buffer.from(mac!, 'base64url')).toEqual(h.digest());
  });

  it('refuses an altered IV, MAC or ciphertext, another column and a relabelled format', () => {
    const token = gm.encrypt('11010519491231002X', 'worker.id_number');
    for (const i of [2, 3, 4]) expect(() => gm.decrypt(flip(token, i), 'worker.id_number')).toThrow(PiiError);
    expect(() => gm.decrypt(token, 'order.address')).toThrow(PiiError);
    expect(() => gm.decrypt(token.replace(/^g1/, 'v1'), 'worker.id_number')).toThrow(PiiError);
    try {
      gm.decrypt(flip(token, 4), 'worker.id_number');
    } catch (e) {
      expect(String(e)).not.toContain('11010519491231002X');
    }
  });

  it('both profiles read both formats, so a deployment can move over; needsReencrypt names the other format', () => {
    const a = intl.encrypt('天河区', 'x');
    const g = gm.encrypt('天河区', 'x');
    expect(gm.decrypt(a, 'x')).toBe('天河区');
    expect(intl.decrypt(g, 'x')).toBe('天河区');
    expect(gm.needsReencrypt(a)).toBe(true);
    expect(gm.needsReencrypt(g)).toBe(false);
    expect(intl.needsReencrypt(g)).toBe(true);
  });

  it('rotates keys like the international profile', () => {
    const old = createPii({ key: OLD, hashKey: HASH_KEY, profile: 'gm' });
    const rotated = createPii({
      key: KEY,
      keyVersion: 2,
      oldKeys: { 1: OLD },
      hashKey: HASH_KEY,
      profile: 'gm',
    });
    const t = old.encrypt('13800138000', 'p');
    expect(rotated.decrypt(t, 'p')).toBe('13800138000');
    expect(rotated.needsReencrypt(t)).toBe(true);
    expect(rotated.encrypt('x', 'p')).toMatch(/^g1\.2\./);
  });

  it('blind indexes are HMAC-SM3 over purpose:value, distinct from the international ones', () => {
    const ix = gm.blindIndex('11010519491231002x', 'worker.id_number');
    expect(ix).toBe(createHmac('sm3', HASH_KEY).update('worker.id_number:11010519491231002x').digest('hex'));
    expect(ix).not.toBe(intl.blindIndex('11010519491231002x', 'worker.id_number'));
  });

  it('refuses an unknown profile at start-up', () => {
    expect(() => createPii({ key: KEY, hashKey: HASH_KEY, profile: 'des' as never })).toThrow(RangeError);
  });
});
