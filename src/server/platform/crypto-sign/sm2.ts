import { createHash, randomBytes } from 'node:crypto';

/**
 * SM2 digital signatures (GB/T 32918.2-2016, GM/T 0003.2-2012) over a prime-field curve, in BigInt.
 *
 * Node's OpenSSL accepts SM2 keys but offers no way to pass the signer's user ID (the Z value), so the scheme is
 * implemented here in full and checked against the standard's worked examples; SM3 is Node's (as in platform/pii).
 * BigInt arithmetic is not constant-time: this signs audit anchors in a background job, not per request; a
 * deployment that needs certified key protection signs in a 密码机 instead.
 */

/** Curve y² = x³ + ax + b over F_p with base point G of prime order n. */
export interface Sm2Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  n: bigint;
}

/** The recommended curve of GB/T 32918.5-2017 (sm2p256v1). */
export const SM2_CURVE: Sm2Curve = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
};

/** The user ID GM/T 0009-2012 assigns when the parties agree on none. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

export interface Point {
  x: bigint;
  y: bigint;
}

/** Jacobian coordinates (X/Z², Y/Z³); z = 0 is the point at infinity. */
interface Jacobian {
  x: bigint;
  y: bigint;
  z: bigint;
}

const mod = (v: bigint, m: bigint): bigint => {
  const r = v % m;
  return r < 0n ? r + m : r;
};

function modInverse(v: bigint, m: bigint): bigint {
  let [a, b] = [mod(v, m), m];
  let [x0, x1] = [1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [x0, x1] = [x1, x0 - q * x1];
  }
  if (a !== 1n) throw new RangeError('not invertible');
  return mod(x0, m);
}

function double(c: Sm2Curve, P: Jacobian): Jacobian {
  const { p } = c;
  if (P.z === 0n || P.y === 0n) return { x: 1n, y: 1n, z: 0n };
  const yy = mod(P.y * P.y, p);
  const s = mod(4n * P.x * yy, p);
  const zz = mod(P.z * P.z, p);
  const m = mod(3n * P.x * P.x + c.a * zz * zz, p);
  const x = mod(m * m - 2n * s, p);
  const y = mod(m * (s - x) - 8n * yy * yy, p);
  const z = mod(2n * P.y * P.z, p);
  return { x, y, z };
}

function add(c: Sm2Curve, P: Jacobian, Q: Jacobian): Jacobian {
  const { p } = c;
  if (P.z === 0n) return Q;
  if (Q.z === 0n) return P;
  const z1z1 = mod(P.z * P.z, p);
  const z2z2 = mod(Q.z * Q.z, p);
  const u1 = mod(P.x * z2z2, p);
  const u2 = mod(Q.x * z1z1, p);
  const s1 = mod(P.y * Q.z * z2z2, p);
  const s2 = mod(Q.y * P.z * z1z1, p);
  if (u1 === u2) return s1 === s2 ? double(c, P) : { x: 1n, y: 1n, z: 0n };
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = mod(h * h, p);
  const hhh = mod(h * hh, p);
  const v = mod(u1 * hh, p);
  const x = mod(r * r - hhh - 2n * v, p);
  const y = mod(r * (v - x) - s1 * hhh, p);
  const z = mod(P.z * Q.z * h, p);
  return { x, y, z };
}

function toAffine(c: Sm2Curve, P: Jacobian): Point | null {
  if (P.z === 0n) return null;
  const zi = modInverse(P.z, c.p);
  const zi2 = mod(zi * zi, c.p);
  return { x: mod(P.x * zi2, c.p), y: mod(P.y * zi2 * zi, c.p) };
}

/** k·P (left-to-right double and add); null for the point at infinity. */
export function multiply(c: Sm2Curve, k: bigint, P: Point): Point | null {
  let R: Jacobian = { x: 1n, y: 1n, z: 0n };
  const A: Jacobian = { x: P.x, y: P.y, z: 1n };
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    R = double(c, R);
    if ((k >> i) & 1n) R = add(c, R, A);
  }
  return toAffine(c, R);
}

/** k1·G + k2·Q, for verification. */
function multiplyAdd(c: Sm2Curve, k1: bigint, k2: bigint, Q: Point): Point | null {
  const G = { x: c.gx, y: c.gy };
  const a = multiply(c, k1, G);
  const b = multiply(c, k2, Q);
  if (!a) return b;
  if (!b) return a;
  return toAffine(c, add(c, { ...a, z: 1n }, { ...b, z: 1n }));
}

export function isOnCurve(c: Sm2Curve, P: Point): boolean {
  if (P.x < 0n || P.x >= c.p || P.y < 0n || P.y >= c.p) return false;
  return mod(P.y * P.y - (P.x * P.x * P.x + c.a * P.x + c.b), c.p) === 0n;
}

const byteLength = (c: Sm2Curve): number => Math.ceil(c.p.toString(16).length / 2);

export function bigintToBytes(v: bigint, length: number): Buffer {
  const hex = v.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError('integer too large');
  return Buffer.from(hex, 'hex');
}

export const bytesToBigint = (b: Uint8Array): bigint =>
  b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`);

const sm3 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sm3');
  for (const part of parts) h.update(part);
  return h.digest();
};

/** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5). */
export function sm2Z(
  publicKey: Point,
  userId: string | Uint8Array = SM2_DEFAULT_USER_ID,
  c = SM2_CURVE,
): Buffer {
  const id = typeof userId === 'string' ? Buffer.from(userId, 'utf8') : Buffer.from(userId);
  const bits = id.length * 8;
  if (bits > 0xffff) throw new RangeError('SM2 user ID longer than 8191 bytes');
  const len = byteLength(c);
  return sm3(
    Buffer.from([bits >> 8, bits & 0xff]),
    id,
    ...[c.a, c.b, c.gx, c.gy, publicKey.x, publicKey.y].map((v) => bigintToBytes(v, len)),
  );
}

/** e = SM3(Z_A ‖ M) as an integer. */
function digest(message: Uint8Array, publicKey: Point, userId: string | Uint8Array, c: Sm2Curve): bigint {
  return bytesToBigint(sm3(sm2Z(publicKey, userId, c), message));
}

export interface Sm2Signature {
  r: bigint;
  s: bigint;
}

export interface Sm2SignOptions {
  userId?: string | Uint8Array;
  curve?: Sm2Curve;
  /** The public key d·G, when the caller has it (saves a scalar multiplication). */
  publicKey?: Point;
  /** Fixed per-signature k: only for the standard's worked examples. */
  k?: bigint;
}

function randomScalar(n: bigint): bigint {
  const len = Math.ceil(n.toString(16).length / 2);
  for (;;) {
    const k = bytesToBigint(randomBytes(len));
    if (k >= 1n && k < n) return k;
  }
}

/** The public key of private key d. */
export function sm2PublicKey(d: bigint, c = SM2_CURVE): Point {
  if (d < 1n || d > c.n - 2n) throw new RangeError('SM2 private key out of range [1, n-2]');
  const P = multiply(c, d, { x: c.gx, y: c.gy });
  if (!P) throw new RangeError('SM2 private key gives the point at infinity');
  return P;
}

/** Signs `message` with private key d (GB/T 32918.2 §6.1). */
export function sm2Sign(message: Uint8Array, d: bigint, opts: Sm2SignOptions = {}): Sm2Signature {
  const c = opts.curve ?? SM2_CURVE;
  const { n } = c;
  const P = opts.publicKey ?? sm2PublicKey(d, c);
  const e = digest(message, P, opts.userId ?? SM2_DEFAULT_USER_ID, c);
  const dInv = modInverse(1n + d, n);
  for (;;) {
    const k = opts.k ?? randomScalar(n);
    const kG = multiply(c, k, { x: c.gx, y: c.gy });
    if (!kG) continue;
    const r = mod(e + kG.x, n);
    if (r === 0n || r + k === n) {
      if (opts.k !== undefined) throw new RangeError('fixed k unusable for this message');
      continue;
    }
    const s = mod(dInv * (k - r * d), n);
    if (s === 0n) {
      if (opts.k !== undefined) throw new RangeError('fixed k unusable for this message');
      continue;
    }
    return { r, s };
  }
}

/** Checks an SM2 signature of `message` under public key P and the signer's user ID (GB/T 32918.2 §7.1). */
export function sm2Verify(
  message: Uint8Array,
  signature: Sm2Signature,
  publicKey: Point,
  opts: { userId?: string | Uint8Array; curve?: Sm2Curve } = {},
): boolean {
  const c = opts.curve ?? SM2_CURVE;
  const { n } = c;
  const { r, s } = signature;
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  if (!isOnCurve(c, publicKey)) return false;
  const t = mod(r + s, n);
  if (t === 0n) return false;
  const e = digest(message, publicKey, opts.userId ?? SM2_DEFAULT_USER_ID, c);
  const X = multiplyAdd(c, s, t, publicKey);
  if (!X) return false;
  return mod(e + X.x, n) === r;
}

/** DER `SEQUENCE { r INTEGER, s INTEGER }` (GM/T 0009 SM2Signature, the form OpenSSL reads). */
export function encodeSm2Signature({ r, s }: Sm2Signature): Buffer {
  const int = (v: bigint): Buffer => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    let b = Buffer.from(hex, 'hex');
    if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return Buffer.concat([Buffer.from([0x02, b.length]), b]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** Parses the DER form; null when it is not exactly two positive INTEGERs in a SEQUENCE. */
export function decodeSm2Signature(der: Uint8Array): Sm2Signature | null {
  const b = Buffer.from(der);
  if (b.length < 8 || b.length > 72 || b[0] !== 0x30 || b[1] !== b.length - 2) return null;
  const ints: bigint[] = [];
  let i = 2;
  for (let k = 0; k < 2; k++) {
    if (b[i] !== 0x02) return null;
    const len = b[i + 1]!;
    if (len < 1 || len > 33 || i + 2 + len > b.length) return null;
    const v = b.subarray(i + 2, i + 2 + len);
    // Minimal, non-negative encoding only: one signature, one byte string.
    if (v[0]! & 0x80) return null;
    if (len > 1 && v[0] === 0 && !(v[1]! & 0x80)) return null;
    ints.push(bytesToBigint(v));
    i += 2 + len;
  }
  if (i !== b.length) return null;
  return { r: ints[0]!, s: ints[1]! };
}
