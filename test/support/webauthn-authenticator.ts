import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software FIDO2 security key for tests: a P-256 key pair from node:crypto, an attestation of format 'none' and
 * assertions (authenticatorData, clientDataJSON, ECDSA-SHA-256 signature) built byte by byte as WebAuthn Level 2
 * §6.1/§6.5 lays them out, encoded as the browser's PublicKeyCredential JSON. Every field can be bent (origin,
 * challenge, RP id, counter) so tests can present the answers an attacker or a cloned key would.
 */

// ---- a minimal CBOR encoder (RFC 8949): unsigned/negative integers, byte and text strings, maps ----
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface Bend {
  /** The page origin the browser would put in clientDataJSON. */
  origin?: string;
  /** Sign this challenge instead of the server's. */
  challenge?: string;
  /** Hash this RP id instead of the server's. */
  rpId?: string;
  /** Report this signature counter (default: one more than last time). */
  counter?: number;
}

export class SoftSecurityKey {
  readonly credentialId = randomBytes(32);
  /** The counter the key reported last. */
  counter = 0;
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };

  constructor(readonly defaults: { origin: string; rpId: string }) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    this.publicJwk = { x: jwk.x, y: jwk.y };
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** COSE_Key (RFC 9053): EC2, ES256, P-256, x, y. */
  private coseKey(): Buffer {
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(this.publicJwk.x, 'base64url')],
        [-3, Buffer.from(this.publicJwk.y, 'base64url')],
      ]),
    );
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  /** The answer of navigator.credentials.create to `options` (attestation 'none'). */
  register(options: { challenge: string; rp?: { id?: string } }, bend: Bend = {}) {
    const rpId = bend.rpId ?? options.rp?.id ?? this.defaults.rpId;
    const clientDataJSON = this.clientData(
      'webauthn.create',
      bend.challenge ?? options.challenge,
      bend.origin ?? this.defaults.origin,
    );
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]),
      u32(this.counter),
      Buffer.alloc(16), // AAGUID: zeros, as 'none' attestation allows
      idLen,
      this.credentialId,
      this.coseKey(),
    ]);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['usb'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform' as const,
    };
  }

  /** The answer of navigator.credentials.get to `options`; the counter grows by one unless bent. */
  assert(options: { challenge: string; rpId?: string }, bend: Bend = {}) {
    const rpId = bend.rpId ?? options.rpId ?? this.defaults.rpId;
    const counter = bend.counter ?? this.counter + 1;
    this.counter = Math.max(this.counter, counter);
    const clientDataJSON = this.clientData(
      'webauthn.get',
      bend.challenge ?? options.challenge,
      bend.origin ?? this.defaults.origin,
    );
    const authData = Buffer.concat([sha256(rpId), Buffer.from([FLAG_UP | FLAG_UV]), u32(counter)]);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform' as const,
    };
  }
}
