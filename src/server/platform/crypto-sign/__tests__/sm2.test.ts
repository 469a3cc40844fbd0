import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  bytesToBigint,
  decodeSm2Signature,
  encodeSm2Signature,
  SM2_CURVE,
  type Sm2Curve,
  sm2PublicKey,
  sm2Sign,
  sm2Verify,
  sm2Z,
} from '../sm2.js';

const h = (s: string) => BigInt(`0x${s.replace(/\s/g, '')}`);
const hex = (v: bigint) => v.toString(16).padStart(64, '0').toUpperCase();
const message = Buffer.from('message digest');

// GB/T 32918.2-2016 Appendix A.2 (= GM/T 0003.2-2012 A.2): the 256-bit example curve over F_p.
const exampleCurve: Sm2Curve = {
  p: h('8542D69E 4C044F18 E8B92435 BF6FF7DE 45728391 5C45517D 722EDB8B 08F1DFC3'),
  a: h('787968B4 FA32C3FD 2417842E 73BBFEFF 2F3C848B 6831D7E0 EC65228B 3937E498'),
  b: h('63E4C6D3 B23B0C84 9CF84241 484BFE48 F61D59A5 B16BA06E 6E12D1DA 27C5249A'),
  gx: h('421DEBD6 1B62EAB6 746434EB C3CC315E 32220B3B ADD50BDC 4C4E6C14 7FEDD43D'),
  gy: h('0680512B CBB42C07 D47349D2 153B70C4 E5D7FDFC BFA36EA1 A85841B9 E46E09A2'),
  n: h('8542D69E 4C044F18 E8B92435 BF6FF7DD 29772063 0485628D 5AE74EE7 C32E79B7'),
};
const A2 = {
  userId: 'ALICE123@YAHOO.COM',
  d: h('128B2FA8 BD433C6C 068C8D80 3DFF7979 2A519A55 171B1B65 0C23661D 15897263'),
  px: '0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A',
  py: '7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857',
  z: 'F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A',
  k: h('6CB28D99 385C175C 94F94E93 4817663F C176D925 DD72B727 260DBAAE 1FB2F96F'),
  r: '40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1',
  s: '6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7',
};
// GM/T 0003.5-2012 Appendix A.2: the recommended curve (sm2p256v1), user ID 1234567812345678 (also OpenSSL's
// test/sm2_internal_test.c).
const R2 = {
  d: h('3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8'),
  px: '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020',
  py: 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  z: 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3',
  k: h('59276E27 D506861A 16680F3A D9C02DCC EF3CC1FA 3CDBE4CE 6D54B80D EAC1BC21'),
  r: 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3',
  s: 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
};

describe('SM2 against the published examples', () => {
  test('GB/T 32918.2 A.2: public key, Z, and the signature with the fixed k', () => {
    const P = sm2PublicKey(A2.d, exampleCurve);
    expect([hex(P.x), hex(P.y)]).toEqual([A2.px, A2.py]);
    expect(sm2Z(P, A2.userId, exampleCurve).toString('hex').toUpperCase()).toBe(A2.z);
    const sig = sm2Sign(message, A2.d, { curve: exampleCurve, userId: A2.userId, k: A2.k });
    expect([hex(sig.r), hex(sig.s)]).toEqual([A2.r, A2.s]);
  });

  test('GB/T 32918.2 A.2: the published signature verifies', () => {
    const P = { x: h(A2.px), y: h(A2.py) };
    const sig = { r: h(A2.r), s: h(A2.s) };
    expect(sm2Verify(message, sig, P, { curve: exampleCurve, userId: A2.userId })).toBe(true);
    expect(sm2Verify(message, sig, P, { curve: exampleCurve })).toBe(false);
  });

  test('GM/T 0003.5 A.2 on the recommended curve: public key, Z, signature with the fixed k', () => {
    const P = sm2PublicKey(R2.d);
    expect([hex(P.x), hex(P.y)]).toEqual([R2.px, R2.py]);
    expect(sm2Z(P).toString('hex').toUpperCase()).toBe(R2.z);
    const sig = sm2Sign(message, R2.d, { k: R2.k });
    expect([hex(sig.r), hex(sig.s)]).toEqual([R2.r, R2.s]);
    expect(sm2Verify(message, { r: h(R2.r), s: h(R2.s) }, { x: h(R2.px), y: h(R2.py) })).toBe(true);
  });
});

describe('SM2 sign and verify', () => {
  const d = R2.d;
  const P = sm2PublicKey(d);

  test('random-k signatures verify and differ each time', () => {
    const a = sm2Sign(message, d);
    const b = sm2Sign(message, d);
    expect(a.r).not.toBe(b.r);
    expect(sm2Verify(message, a, P)).toBe(true);
    expect(sm2Verify(message, b, P)).toBe(true);
  });

  test('a changed message, key, user ID or signature value fails', () => {
    const sig = sm2Sign(message, d, { userId: 'anchor@anxin' });
    expect(sm2Verify(message, sig, P, { userId: 'anchor@anxin' })).toBe(true);
    expect(sm2Verify(Buffer.from('message digesT'), sig, P, { userId: 'anchor@anxin' })).toBe(false);
    expect(sm2Verify(message, sig, sm2PublicKey(d + 1n), { userId: 'anchor@anxin' })).toBe(false);
    expect(sm2Verify(message, sig, P)).toBe(false);
    expect(sm2Verify(message, { r: sig.r, s: sig.s ^ 1n }, P, { userId: 'anchor@anxin' })).toBe(false);
    expect(sm2Verify(message, { r: 0n, s: sig.s }, P)).toBe(false);
    expect(sm2Verify(message, { r: sig.r, s: SM2_CURVE.n }, P)).toBe(false);
    expect(sm2Verify(message, sig, { x: P.x, y: P.y + 1n }, { userId: 'anchor@anxin' })).toBe(false);
  });

  test('DER encoding round-trips and refuses malformed input', () => {
    const sig = sm2Sign(message, d);
    const der = encodeSm2Signature(sig);
    expect(decodeSm2Signature(der)).toEqual(sig);
    expect(decodeSm2Signature(Buffer.concat([der, Buffer.from([0])]))).toBeNull();
    expect(decodeSm2Signature(der.subarray(0, der.length - 1))).toBeNull();
    expect(decodeSm2Signature(Buffer.alloc(64))).toBeNull();
  });

  test("node:crypto's sign() on an SM2-curve key is ECDSA, not SM2: it does not verify as SM2", () => {
    // Why SM2 is implemented here: OpenSSL 3.0 through Node signs an SM2-curve EC key with ECDSA-SHA-256.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-64);
    const Q = { x: bytesToBigint(raw.subarray(0, 32)), y: bytesToBigint(raw.subarray(32)) };
    const ours = encodeSm2Signature(
      sm2Sign(message, bytesToBigint(privateKey.export({ type: 'sec1', format: 'der' }).subarray(7, 39))),
    );
    expect(sm2Verify(message, decodeSm2Signature(nodeSign(null, message, privateKey))!, Q)).toBe(false);
    expect(nodeVerify(null, message, publicKey, ours)).toBe(false);
  });
});
