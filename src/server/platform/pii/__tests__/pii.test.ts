import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPii, PiiError } from '../index.js';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const HASH_KEY = Buffer.alloc(32, 0xc3);
const TOKEN = /^v1\.(\d+)\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]*)$/;

const pii = createPii({ key: KEY_A, hashKey: HASH_KEY });

function parts(token: string): string[] {
  return token.split('.');
}

/** Flips one bit of the decoded bytes of part `index` and re-encodes it canonically. */
function flipBit(token: string, index: number, byte = 0): string {
  const p = parts(token);
  const buf = Buffer.from(p[index]!, 'base64url');
  buf[byte] = buf[byte]! ^ 0x01;
  p[index] = buf.toString('base64url');
  return p.join('.');
}

describe('encrypt / decrypt', () => {
  it.each([
    ['ASCII', 'hello'],
    ['an ID number', '11010519491231002X'],
    ['Chinese text', '广东省广州市天河区珠江新城花城大道85号 张小芳'],
    ['characters outside the BMP', '𠮷野家 👩‍👧'],
    ['the empty string', ''],
    ['a long text', '健康证明'.repeat(5000)],
  ])('round-trips %s', (_label, plain) => {
    const token = pii.encrypt(plain);
    expect(token).toMatch(TOKEN);
    expect(pii.decrypt(token)).toBe(plain);
  });

  it('writes the format, key version, 12-byte IV, 16-byte tag and ciphertext', () => {
    const token = pii.encrypt('张小芳');
    const [, version, iv, tag, ct] = TOKEN.exec(token)!;
    expect(version).toBe('1');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ct!, 'base64url')).toHaveLength(Buffer.byteLength('张小芳'));
  });

  it('never repeats a token or an IV for the same plaintext', () => {
    const tokens = new Set<string>();
    const ivs = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const token = pii.encrypt('11010519491231002X');
      tokens.add(token);
      ivs.add(parts(token)[2]!);
    }
    expect(tokens.size).toBe(500);
    expect(ivs.size).toBe(500);
  });

  it('does not reveal the plaintext in the token', () => {
    const token = pii.encrypt('11010519491231002X');
    expect(token).not.toContain('11010519491231002X');
    expect(Buffer.from(parts(token)[4]!, 'base64url').toString('utf8')).not.toContain('1101');
  });

  it('decrypts with another instance built from the same keys', () => {
    const other = createPii({ key: Buffer.from(KEY_A), hashKey: Buffer.from(HASH_KEY) });
    expect(other.decrypt(pii.encrypt('同一把钥匙'))).toBe('同一把钥匙');
  });

  it('copies the keys, so later changes to the caller’s buffers do not matter', () => {
    const key = Buffer.from(KEY_A);
    const local = createPii({ key, hashKey: Buffer.from(HASH_KEY) });
    const token = local.encrypt('copy');
    key.fill(0);
    expect(local.decrypt(token)).toBe('copy');
  });
});

describe('associated data', () => {
  it('decrypts only with the same associated data', () => {
    const token = pii.encrypt('11010519491231002X', 'worker.id_number');
    expect(pii.decrypt(token, 'worker.id_number')).toBe('11010519491231002X');
    expect(() => pii.decrypt(token, 'consumer.id_number')).toThrow(PiiError);
    expect(() => pii.decrypt(token, 'worker.id_number ')).toThrow(PiiError);
    expect(() => pii.decrypt(token)).toThrow(PiiError);
  });

  it('refuses associated data for a token made without it', () => {
    const token = pii.encrypt('广州市天河区');
    expect(() => pii.decrypt(token, 'worker.address')).toThrow(/failed authentication/);
  });

  it('binds to a row as well as a column when the caller includes the id', () => {
    const token = pii.encrypt('13812345678', 'worker.mobile:wk_1');
    expect(() => pii.decrypt(token, 'worker.mobile:wk_2')).toThrow(PiiError);
  });
});

describe('tampering', () => {
  const token = pii.encrypt('广东省广州市天河区花城大道85号', 'worker.address');
  const decrypt = (t: string) => () => pii.decrypt(t, 'worker.address');

  it.each([
    ['the IV', 2],
    ['the tag', 3],
    ['the ciphertext', 4],
  ])('detects a flipped bit in %s', (_label, index) => {
    const bytes = Buffer.from(parts(token)[index]!, 'base64url').length;
    for (let byte = 0; byte < bytes; byte++) {
      expect(decrypt(flipBit(token, index, byte))).toThrow(
        new PiiError('PII token failed authentication: altered, wrong key or wrong associated data'),
      );
    }
  });

  it('detects a changed format marker', () => {
    expect(decrypt(`v2${token.slice(2)}`)).toThrow(new PiiError('PII token is malformed'));
  });

  it('detects a key version that is not configured', () => {
    const p = parts(token);
    p[1] = '7';
    expect(decrypt(p.join('.'))).toThrow(new PiiError('PII token uses unknown key version 7'));
  });

  it.each(['0', '01', '-1', '1.0', 'x', '', '9999999999'])('refuses key version %j as malformed', (v) => {
    const p = parts(token);
    p[1] = v;
    expect(decrypt(p.join('.'))).toThrow(PiiError);
  });

  it('detects a relabelled key version even when that key exists', () => {
    const both = createPii({ key: KEY_B, keyVersion: 2, hashKey: HASH_KEY, oldKeys: { 1: KEY_A } });
    const p = parts(both.encrypt('relabel', 'col'));
    p[1] = '1';
    expect(() => both.decrypt(p.join('.'), 'col')).toThrow(/failed authentication/);
  });

  it('detects a ciphertext moved under another IV and tag', () => {
    const other = pii.encrypt('广东省广州市天河区花城大道86号', 'worker.address');
    const p = parts(token);
    p[4] = parts(other)[4]!;
    expect(decrypt(p.join('.'))).toThrow(PiiError);
  });

  it('detects truncated and extended ciphertext', () => {
    const p = parts(token);
    const ct = Buffer.from(p[4]!, 'base64url');
    expect(
      decrypt([...p.slice(0, 4), ct.subarray(0, ct.length - 1).toString('base64url')].join('.')),
    ).toThrow(PiiError);
    expect(
      decrypt([...p.slice(0, 4), Buffer.concat([ct, Buffer.from([0])]).toString('base64url')].join('.')),
    ).toThrow(PiiError);
  });

  it.each([
    ['an empty string', () => ''],
    ['too few parts', (t: string) => parts(t).slice(0, 4).join('.')],
    ['too many parts', (t: string) => `${t}.AA`],
    ['a short IV', (t: string) => replacePart(t, 2, Buffer.alloc(8).toString('base64url'))],
    ['a long IV', (t: string) => replacePart(t, 2, Buffer.alloc(16).toString('base64url'))],
    ['a truncated tag', (t: string) => replacePart(t, 3, Buffer.alloc(12).toString('base64url'))],
    ['standard base64 characters', (t: string) => replacePart(t, 4, `${parts(t)[4]!.slice(0, -1)}+`)],
    ['padding', (t: string) => replacePart(t, 4, `${parts(t)[4]}=`)],
    ['whitespace', (t: string) => ` ${t}`],
    ['non-canonical trailing bits', (t: string) => replacePart(t, 3, nonCanonical(parts(t)[3]!))],
  ])('refuses %s as malformed', (_label, mutate) => {
    expect(decrypt(mutate(token))).toThrow(PiiError);
  });

  it('fails with a key of the same version that is not the one used', () => {
    const impostor = createPii({ key: KEY_B, hashKey: HASH_KEY });
    expect(() => impostor.decrypt(token, 'worker.address')).toThrow(/failed authentication/);
  });

  it('never puts the plaintext into an error message', () => {
    try {
      pii.decrypt(flipBit(token, 4), 'worker.address');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PiiError);
      expect(String(err)).not.toContain('花城大道');
    }
  });
});

describe('key rotation', () => {
  const v1 = createPii({ key: KEY_A, keyVersion: 1, hashKey: HASH_KEY });
  const v2 = createPii({ key: KEY_B, keyVersion: 2, hashKey: HASH_KEY, oldKeys: { 1: KEY_A } });

  it('decrypts old tokens with the retired key and writes new ones with the current key', () => {
    const old = v1.encrypt('张小芳', 'worker.name');
    expect(v2.decrypt(old, 'worker.name')).toBe('张小芳');
    const fresh = v2.encrypt('张小芳', 'worker.name');
    expect(parts(fresh)[1]).toBe('2');
    expect(v2.keyVersion).toBe(2);
  });

  it('says which tokens need re-encryption', () => {
    const old = v1.encrypt('x');
    expect(v2.needsReencrypt(old)).toBe(true);
    const fresh = v2.encrypt(v2.decrypt(old));
    expect(v2.needsReencrypt(fresh)).toBe(false);
    expect(v2.decrypt(fresh)).toBe('x');
    expect(() => v2.needsReencrypt('garbage')).toThrow(PiiError);
  });

  it('cannot read tokens from a newer key it was not given', () => {
    expect(() => v1.decrypt(v2.encrypt('newer'))).toThrow(
      new PiiError('PII token uses unknown key version 2'),
    );
  });

  it('supports several retired keys', () => {
    const keyC = Buffer.alloc(32, 0xd4);
    const v3 = createPii({ key: keyC, keyVersion: 3, hashKey: HASH_KEY, oldKeys: { 1: KEY_A, 2: KEY_B } });
    expect(v3.decrypt(v1.encrypt('one'))).toBe('one');
    expect(v3.decrypt(v2.encrypt('two'))).toBe('two');
    expect(parts(v3.encrypt('three'))[1]).toBe('3');
  });

  it('keeps blind indexes stable across encryption key rotation', () => {
    expect(v2.blindIndex('11010519491231002X', 'id_number')).toBe(
      v1.blindIndex('11010519491231002X', 'id_number'),
    );
  });
});

describe('blindIndex', () => {
  it('is deterministic 64-character hex', () => {
    const a = pii.blindIndex('11010519491231002X', 'id_number');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(pii.blindIndex('11010519491231002X', 'id_number')).toBe(a);
    expect(createPii({ key: KEY_B, hashKey: HASH_KEY }).blindIndex('11010519491231002X', 'id_number')).toBe(
      a,
    );
  });

  it('separates purposes and values', () => {
    const values = ['13812345678', '13812345679', '11010519491231002X', '', '张小芳'];
    const purposes = ['mobile', 'id_number', 'worker.name', 'consumer.name'];
    const seen = new Set<string>();
    for (const v of values) for (const p of purposes) seen.add(pii.blindIndex(v, p));
    expect(seen.size).toBe(values.length * purposes.length);
  });

  it('depends on the hash key', () => {
    const other = createPii({ key: KEY_A, hashKey: Buffer.alloc(32, 0xee) });
    expect(other.blindIndex('13812345678', 'mobile')).not.toBe(pii.blindIndex('13812345678', 'mobile'));
  });

  it('matches HMAC-SHA256 over purpose:value', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', HASH_KEY).update('mobile:13812345678').digest('hex');
    expect(pii.blindIndex('13812345678', 'mobile')).toBe(expected);
  });

  it.each(['', 'a:b', 'Mobile', ' mobile', '.mobile', 'mobile number', '手机'])(
    'refuses purpose %j, which could collide or is not a plain name',
    (purpose) => {
      expect(() => pii.blindIndex('x', purpose)).toThrow(RangeError);
    },
  );
});

describe('createPii configuration', () => {
  it.each([
    ['a 16-byte key', { key: Buffer.alloc(16, 1), hashKey: HASH_KEY }],
    ['a 33-byte key', { key: Buffer.alloc(33, 1), hashKey: HASH_KEY }],
    ['a short hash key', { key: KEY_A, hashKey: Buffer.alloc(16, 1) }],
    ['the encryption key as hash key', { key: KEY_A, hashKey: Buffer.from(KEY_A) }],
    [
      'a retired key as hash key',
      { key: KEY_B, keyVersion: 2, hashKey: KEY_A, oldKeys: { 1: Buffer.from(KEY_A) } },
    ],
    ['key version 0', { key: KEY_A, hashKey: HASH_KEY, keyVersion: 0 }],
    ['a fractional key version', { key: KEY_A, hashKey: HASH_KEY, keyVersion: 1.5 }],
    [
      'a short retired key',
      { key: KEY_B, keyVersion: 2, hashKey: HASH_KEY, oldKeys: { 1: Buffer.alloc(31) } },
    ],
    ['a retired key version 0', { key: KEY_B, keyVersion: 2, hashKey: HASH_KEY, oldKeys: { 0: KEY_A } }],
    [
      'a retired key that redefines the current version',
      { key: KEY_B, keyVersion: 2, hashKey: HASH_KEY, oldKeys: { 2: KEY_A } },
    ],
  ])('refuses %s', (_label, opts) => {
    expect(() => createPii(opts)).toThrow(RangeError);
  });

  it('accepts the current key repeated among the old keys and random 32-byte keys', () => {
    expect(() =>
      createPii({ key: KEY_A, hashKey: HASH_KEY, oldKeys: { 1: Buffer.from(KEY_A) } }),
    ).not.toThrow();
    const random = createPii({ key: randomBytes(32), hashKey: randomBytes(64) });
    expect(random.decrypt(random.encrypt('ok'))).toBe('ok');
  });
});

function replacePart(token: string, index: number, value: string): string {
  const p = parts(token);
  p[index] = value;
  return p.join('.');
}

// A 16-byte value encodes to 22 characters whose last one carries 4 unused bits; setting one keeps the bytes.
function nonCanonical(part: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(part.at(-1)!);
  return part.slice(0, -1) + alphabet[last | 1];
}
