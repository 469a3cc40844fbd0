import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import {
  bigintToBytes,
  bytesToBigint,
  decodeSm2Signature,
  encodeSm2Signature,
  isOnCurve,
  type Point,
  SM2_CURVE,
  SM2_DEFAULT_USER_ID,
  sm2PublicKey,
  sm2Sign,
  sm2Verify,
} from './sm2.js';

/**
 * Public-key signatures in two suites, chosen with the deployment's crypto profile (`PII_CRYPTO_PROFILE`):
 * - `intl`: Ed25519 (RFC 8032, node:crypto), 64-byte signatures;
 * - `gm` (国密): SM2 with SM3 and the signer's Z value (GB/T 32918.2), DER `SEQUENCE { r, s }` signatures.
 * Keys are PEM (PKCS#8 / SEC1 private, SPKI public) or hex (the 32-byte Ed25519 seed or SM2 scalar; the raw public
 * key). A key's id is the first 16 hex digits of the suite's hash (SHA-256 / SM3) of its SPKI encoding, so a
 * signature names the key it needs and rotated keys can stay trusted for old signatures.
 */
export type SignSuite = 'intl' | 'gm';

export const SIGN_SUITES: readonly SignSuite[] = ['intl', 'gm'];

/** The algorithm each suite signs with, as written next to signatures. */
export const SIGN_ALGORITHM: Record<SignSuite, string> = { intl: 'Ed25519', gm: 'SM2-SM3' };

/** Thrown for a key that cannot be read or does not belong to the suite. */
export class SignKeyError extends Error {}

/** A public key that checks signatures. */
export interface VerifyKey {
  readonly suite: SignSuite;
  readonly keyId: string;
  /** SPKI PEM of the public key. */
  readonly publicKeyPem: string;
  /** True only for a valid signature of exactly `data` by this key (and, for SM2, this user ID). */
  verify(data: Uint8Array, signature: Uint8Array): boolean;
}

/** A private key that signs; it carries its public half. */
export interface SigningKey extends VerifyKey {
  sign(data: Uint8Array): Buffer;
}

export interface KeyOptions {
  /** SM2 signer identity in the Z value; default "1234567812345678" (GM/T 0009). Ignored by `intl`. */
  userId?: string;
}

// DER prefixes of the fixed-size encodings (RFC 8410 for Ed25519; id-ecPublicKey + sm2p256v1 for SM2).
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const SM2_PKCS8_HEAD = Buffer.from(
  '308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420',
  'hex',
);
const SM2_PKCS8_MID = Buffer.from('a144034200', 'hex');
const SM2_SPKI = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

const HEX = /^(?:0x)?([0-9a-fA-F]+)$/;

function keyIdOf(suite: SignSuite, spkiDer: Buffer): string {
  return createHash(suite === 'gm' ? 'sm3' : 'sha256')
    .update(spkiDer)
    .digest('hex')
    .slice(0, 16);
}

const toPem = (der: Buffer, label: string): string =>
  `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;

// Env values often carry PEM with literal "\n".
const normalisePem = (text: string): string => text.trim().replace(/\\n/g, '\n');

function readPrivate(text: string): KeyObject {
  try {
    return createPrivateKey(normalisePem(text));
  } catch {
    throw new SignKeyError('the private key is neither PEM nor 64 hex digits');
  }
}

function readPublic(text: string): KeyObject {
  try {
    return createPublicKey(normalisePem(text));
  } catch {
    throw new SignKeyError('the public key is neither PEM nor hex');
  }
}

// Node (20, OpenSSL 3.0) aborts the process when it exports an SM2 key it read from PEM, so SM2 PEM is parsed here.
interface Tlv {
  tag: number;
  value: Buffer;
}

function readTlvs(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < buf.length) {
    const tag = buf[i]!;
    let len = buf[i + 1];
    if (len === undefined) throw new SignKeyError('truncated DER');
    let head = 2;
    if (len & 0x80) {
      const bytes = len & 0x7f;
      if (bytes < 1 || bytes > 2 || i + 2 + bytes > buf.length) throw new SignKeyError('bad DER length');
      len = buf.readUIntBE(i + 2, bytes);
      head += bytes;
    }
    if (i + head + len > buf.length) throw new SignKeyError('truncated DER');
    out.push({ tag, value: buf.subarray(i + head, i + head + len) });
    i += head + len;
  }
  return out;
}

const OID_EC_PUBLIC_KEY = '2a8648ce3d0201';
const OID_SM2 = '2a811ccf5501822d';

function pemBody(text: string): { label: string; der: Buffer } | null {
  const m = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(normalisePem(text));
  if (!m) return null;
  return { label: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64') };
}

/** The SM2 scalar of a PKCS#8 or SEC1 private key; throws unless the curve is SM2. */
function sm2ScalarFromPem(text: string): bigint {
  const pem = pemBody(text);
  if (!pem) throw new SignKeyError('the private key is neither PEM nor 64 hex digits');
  const fail = () => new SignKeyError('the gm suite signs with an SM2 key (curve SM2)');
  const [top] = readTlvs(pem.der);
  if (top?.tag !== 0x30) throw fail();
  let fields = readTlvs(top.value);
  if (pem.label === 'PRIVATE KEY') {
    // PKCS#8: version, AlgorithmIdentifier { id-ecPublicKey, sm2p256v1 }, OCTET STRING { ECPrivateKey }.
    const alg = fields[1]?.tag === 0x30 ? readTlvs(fields[1].value).map((t) => t.value.toString('hex')) : [];
    if (alg[0] !== OID_EC_PUBLIC_KEY || alg[1] !== OID_SM2 || fields[2]?.tag !== 0x04) throw fail();
    const [inner] = readTlvs(fields[2].value);
    if (inner?.tag !== 0x30) throw fail();
    fields = readTlvs(inner.value);
  } else if (pem.label === 'EC PRIVATE KEY') {
    const params = fields.find((f) => f.tag === 0xa0);
    const [curve] = params ? readTlvs(params.value) : [];
    if (curve?.value.toString('hex') !== OID_SM2) throw fail();
  } else throw fail();
  // ECPrivateKey: INTEGER 1, OCTET STRING d, …
  if (fields[0]?.value.toString('hex') !== '01' || fields[1]?.tag !== 0x04) throw fail();
  return bytesToBigint(fields[1].value);
}

/** The SPKI DER of an SM2 public key PEM; throws unless the curve is SM2. */
function sm2SpkiFromPem(text: string): Buffer {
  const pem = pemBody(text);
  if (pem?.label !== 'PUBLIC KEY') throw new SignKeyError('the public key is neither PEM nor hex');
  const [top] = readTlvs(pem.der);
  const fields = top?.tag === 0x30 ? readTlvs(top.value) : [];
  const alg = fields[0]?.tag === 0x30 ? readTlvs(fields[0].value).map((t) => t.value.toString('hex')) : [];
  if (alg[0] !== OID_EC_PUBLIC_KEY || alg[1] !== OID_SM2 || fields[1]?.tag !== 0x03)
    throw new SignKeyError('the gm suite verifies with an SM2 key (curve SM2)');
  return pem.der;
}

const sm2Spki = (P: Point): Buffer =>
  Buffer.concat([SM2_SPKI, Buffer.from([4]), bigintToBytes(P.x, 32), bigintToBytes(P.y, 32)]);

function sm2PointFromSpki(spki: Buffer): Point {
  const raw = spki.subarray(-65);
  if (spki.length !== SM2_SPKI.length + 65 || raw[0] !== 4)
    throw new SignKeyError('unexpected SM2 public key');
  const P = { x: bytesToBigint(raw.subarray(1, 33)), y: bytesToBigint(raw.subarray(33)) };
  if (!isOnCurve(SM2_CURVE, P)) throw new SignKeyError('the SM2 public key is not on the curve');
  return P;
}

function ed25519Verifier(pub: KeyObject): VerifyKey {
  const spki = pub.export({ type: 'spki', format: 'der' });
  return {
    suite: 'intl',
    keyId: keyIdOf('intl', spki),
    publicKeyPem: toPem(spki, 'PUBLIC KEY'),
    verify: (data, signature) => {
      if (signature.length !== 64) return false;
      try {
        return nodeVerify(null, data, pub, signature);
      } catch {
        return false;
      }
    },
  };
}

function sm2Verifier(P: Point, userId: string): VerifyKey {
  const spki = sm2Spki(P);
  return {
    suite: 'gm',
    keyId: keyIdOf('gm', spki),
    publicKeyPem: toPem(spki, 'PUBLIC KEY'),
    verify: (data, signature) => {
      const sig = decodeSm2Signature(signature);
      return sig !== null && sm2Verify(data, sig, P, { userId });
    },
  };
}

/** Reads a private key of `suite` from PEM or hex (config, e.g. `AUDIT_ANCHOR_KEY`). */
export function importSigningKey(suite: SignSuite, text: string, opts: KeyOptions = {}): SigningKey {
  const hex = HEX.exec(text.trim())?.[1];
  if (suite === 'intl') {
    let key: KeyObject;
    if (hex) {
      if (hex.length !== 64) throw new SignKeyError('an Ed25519 private key in hex is its 32-byte seed');
      key = createPrivateKey({
        key: Buffer.concat([ED25519_PKCS8, Buffer.from(hex, 'hex')]),
        format: 'der',
        type: 'pkcs8',
      });
    } else key = readPrivate(text);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new SignKeyError('the intl suite signs with an Ed25519 key');
    const verifier = ed25519Verifier(createPublicKey(key));
    return { ...verifier, sign: (data) => nodeSign(null, data, key) };
  }
  let d: bigint;
  if (hex) {
    if (hex.length !== 64) throw new SignKeyError('an SM2 private key in hex is its 32-byte scalar');
    d = BigInt(`0x${hex}`);
  } else d = sm2ScalarFromPem(text);
  let P: Point;
  try {
    P = sm2PublicKey(d);
  } catch (e) {
    throw new SignKeyError((e as Error).message);
  }
  const userId = opts.userId ?? SM2_DEFAULT_USER_ID;
  const verifier = sm2Verifier(P, userId);
  return {
    ...verifier,
    sign: (data) => encodeSm2Signature(sm2Sign(data, d, { userId, publicKey: P })),
  };
}

/** Reads a public key of `suite` from PEM (SPKI) or hex (Ed25519: 32 bytes; SM2: 04‖x‖y or x‖y). */
export function importVerifyKey(suite: SignSuite, text: string, opts: KeyOptions = {}): VerifyKey {
  const hex = HEX.exec(text.trim())?.[1];
  if (suite === 'intl') {
    let key: KeyObject;
    if (hex) {
      if (hex.length !== 64) throw new SignKeyError('an Ed25519 public key in hex is 32 bytes');
      key = createPublicKey({
        key: Buffer.concat([ED25519_SPKI, Buffer.from(hex, 'hex')]),
        format: 'der',
        type: 'spki',
      });
    } else key = readPublic(text);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new SignKeyError('the intl suite verifies with an Ed25519 key');
    return ed25519Verifier(key);
  }
  let spki: Buffer;
  if (hex) {
    const raw = hex.length === 128 ? `04${hex}` : hex;
    if (raw.length !== 130 || !raw.startsWith('04'))
      throw new SignKeyError('an SM2 public key in hex is 04‖x‖y');
    spki = Buffer.concat([SM2_SPKI, Buffer.from(raw, 'hex')]);
  } else spki = sm2SpkiFromPem(text);
  return sm2Verifier(sm2PointFromSpki(spki), opts.userId ?? SM2_DEFAULT_USER_ID);
}

/** A new key pair of `suite`, as PEM (PKCS#8 private, SPKI public), with its key id. */
export function generateSigningKey(suite: SignSuite): {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
} {
  if (suite === 'intl') {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const k = importSigningKey('intl', pem);
    return { privateKeyPem: pem, publicKeyPem: k.publicKeyPem, keyId: k.keyId };
  }
  // d uniform in [1, n-2] (GB/T 32918.1 §6.1) by rejection sampling from the CSPRNG.
  let d = 0n;
  while (d < 1n || d > SM2_CURVE.n - 2n) d = bytesToBigint(randomBytes(32));
  const P = sm2PublicKey(d);
  const pkcs8 = Buffer.concat([
    SM2_PKCS8_HEAD,
    bigintToBytes(d, 32),
    SM2_PKCS8_MID,
    Buffer.from([4]),
    bigintToBytes(P.x, 32),
    bigintToBytes(P.y, 32),
  ]);
  const pem = toPem(pkcs8, 'PRIVATE KEY');
  const k = importSigningKey('gm', pem);
  return { privateKeyPem: pem, publicKeyPem: k.publicKeyPem, keyId: k.keyId };
}
