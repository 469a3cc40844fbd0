import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  generateSigningKey,
  importSigningKey,
  importVerifyKey,
  SIGN_SUITES,
  SignKeyError,
} from '../index.js';

const data = Buffer.from('{"n":1000,"head":"ab"}');

describe.each(SIGN_SUITES)('suite %s', (suite) => {
  const pair = generateSigningKey(suite);
  const key = importSigningKey(suite, pair.privateKeyPem);

  test('sign → verify round trip, with the public key imported separately', () => {
    const verifier = importVerifyKey(suite, pair.publicKeyPem);
    expect(key.keyId).toBe(pair.keyId);
    expect(verifier.keyId).toBe(pair.keyId);
    expect(pair.keyId).toMatch(/^[0-9a-f]{16}$/);
    const sig = key.sign(data);
    expect(verifier.verify(data, sig)).toBe(true);
    expect(key.verify(data, sig)).toBe(true);
  });

  test('a tampered message or signature is refused', () => {
    const sig = key.sign(data);
    const other = Buffer.from(data);
    other[3]! ^= 1;
    expect(key.verify(other, sig)).toBe(false);
    const bad = Buffer.from(sig);
    bad[bad.length - 1]! ^= 1;
    expect(key.verify(data, bad)).toBe(false);
    expect(key.verify(data, Buffer.alloc(0))).toBe(false);
    expect(key.verify(data, Buffer.alloc(200, 7))).toBe(false);
  });

  test('another key does not verify', () => {
    const other = importVerifyKey(suite, generateSigningKey(suite).publicKeyPem);
    expect(other.keyId).not.toBe(key.keyId);
    expect(other.verify(data, key.sign(data))).toBe(false);
  });

  test('PEM with literal \\n (as env files carry it) reads the same key', () => {
    const escaped = pair.privateKeyPem.trim().replace(/\n/g, '\\n');
    expect(importSigningKey(suite, escaped).keyId).toBe(pair.keyId);
  });

  test("the other suite's key is refused", () => {
    const otherSuite = suite === 'gm' ? 'intl' : 'gm';
    const foreign = generateSigningKey(otherSuite);
    expect(() => importSigningKey(suite, foreign.privateKeyPem)).toThrow(SignKeyError);
    expect(() => importVerifyKey(suite, foreign.publicKeyPem)).toThrow(SignKeyError);
    expect(() => importSigningKey(suite, 'not a key')).toThrow(SignKeyError);
    expect(() => importSigningKey(suite, 'abcd')).toThrow(SignKeyError);
  });
});

describe('hex keys', () => {
  test('Ed25519: 32-byte seed and public key in hex', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(-32).toString('hex');
    const pub = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex');
    const key = importSigningKey('intl', seed);
    const verifier = importVerifyKey('intl', pub);
    expect(verifier.keyId).toBe(key.keyId);
    expect(verifier.verify(data, key.sign(data))).toBe(true);
  });

  test('SM2: GM/T 0003.5 A.2 private scalar gives its published public key, and 04‖x‖y imports', () => {
    const key = importSigningKey('gm', '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
    const pub =
      '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13';
    const verifier = importVerifyKey('gm', `04${pub}`);
    expect(importVerifyKey('gm', pub).keyId).toBe(key.keyId);
    expect(verifier.keyId).toBe(key.keyId);
    expect(verifier.verify(data, key.sign(data))).toBe(true);
    // Reads back through OpenSSL's own PEM parser.
    expect(importVerifyKey('gm', key.publicKeyPem).keyId).toBe(key.keyId);
    expect(() => importVerifyKey('gm', `04${pub.slice(0, -2)}00`)).toThrow(/not on the curve/);
  });

  test('SM2: the user ID is bound into the signature', () => {
    const pair = generateSigningKey('gm');
    const alice = importSigningKey('gm', pair.privateKeyPem, { userId: 'ALICE123@YAHOO.COM' });
    const sig = alice.sign(data);
    expect(importVerifyKey('gm', pair.publicKeyPem, { userId: 'ALICE123@YAHOO.COM' }).verify(data, sig)).toBe(
      true,
    );
    expect(importVerifyKey('gm', pair.publicKeyPem).verify(data, sig)).toBe(false);
    expect(importVerifyKey('gm', pair.publicKeyPem, { userId: 'BOB' }).verify(data, sig)).toBe(false);
  });

  test('SM2: an OpenSSL-generated SEC1 "EC PRIVATE KEY" PEM imports', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const key = importSigningKey('gm', privateKey.export({ type: 'sec1', format: 'pem' }).toString());
    const verifier = importVerifyKey('gm', publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(verifier.keyId).toBe(key.keyId);
    expect(verifier.verify(data, key.sign(data))).toBe(true);
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe('SM2 interoperates with the OpenSSL command line (a real SM2 key type, distid 1234567812345678)', () => {
  test.skipIf(!hasOpenssl)('openssl verifies our signature and we verify its signature', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anxin-sm2-'));
    const pair = generateSigningKey('gm');
    const key = importSigningKey('gm', pair.privateKeyPem);
    const msg = Buffer.from('anchor message 安心');
    writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'pub.pem'), pair.publicKeyPem);
    writeFileSync(join(dir, 'msg'), msg);
    writeFileSync(join(dir, 'ours.sig'), key.sign(msg));
    const common = [
      '-rawin',
      '-in',
      join(dir, 'msg'),
      '-digest',
      'sm3',
      '-pkeyopt',
      'distid:1234567812345678',
    ];
    const out = execFileSync('openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      join(dir, 'pub.pem'),
      ...common,
      '-sigfile',
      join(dir, 'ours.sig'),
    ]).toString();
    expect(out).toMatch(/Signature Verified Successfully/);
    execFileSync('openssl', [
      'pkeyutl',
      '-sign',
      '-inkey',
      join(dir, 'key.pem'),
      ...common,
      '-out',
      join(dir, 'theirs.sig'),
    ]);
    const theirs = readFileSync(join(dir, 'theirs.sig'));
    expect(importVerifyKey('gm', pair.publicKeyPem).verify(msg, theirs)).toBe(true);
    expect(importVerifyKey('gm', pair.publicKeyPem, { userId: 'other' }).verify(msg, theirs)).toBe(false);
  });
});
