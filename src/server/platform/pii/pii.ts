import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Field-level encryption for sensitive personal information (ID numbers, addresses, health notes).
 * Token format: `v1.<keyVersion>.<iv>.<tag>.<ciphertext>`, each part base64url without padding.
 */

const FORMAT = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;
const PURPOSE = /^[a-z0-9][a-z0-9_.-]*$/;

/** Keys for `createPii`. */
export interface PiiOptions {
  /** The current AES-256 key (32 bytes); new values are encrypted with it. */
  key: Buffer;
  /** HMAC key for blind indexes (at least 32 bytes, different from every encryption key). */
  hashKey: Buffer;
  /** Version number written into tokens made with `key`; defaults to 1. */
  keyVersion?: number;
  /** Retired keys by version: still decrypt, never encrypt. */
  oldKeys?: Record<number, Buffer>;
}

/** Encryption and keyed hashing of personal data. */
export interface Pii {
  /** Encrypts with the current key; `aad` (e.g. `worker.id_number`) binds the token to where it is stored. */
  encrypt(plain: string, aad?: string): string;
  /** Decrypts a token made with the current or a retired key; throws `PiiError` if it is malformed or altered. */
  decrypt(token: string, aad?: string): string;
  /** Keyed hash of an already normalised value for lookup and uniqueness; `purpose` separates the namespaces. */
  blindIndex(normalizedValue: string, purpose: string): string;
  /** True when the token was made with another key than the current one and should be re-encrypted. */
  needsReencrypt(token: string): boolean;
  /** The key version tokens are written with. */
  readonly keyVersion: number;
}

/** Thrown when a token cannot be decrypted; the message never contains the plaintext or key material. */
export class PiiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PiiError';
  }
}

/** Builds the PII helper; throws at start-up on missing, short or reused keys. */
export function createPii(opts: PiiOptions): Pii {
  const keyVersion = opts.keyVersion ?? 1;
  if (!isVersion(keyVersion)) throw new RangeError('PII keyVersion must be a positive integer');
  assertKey(opts.key, `PII key v${keyVersion}`);
  if (opts.hashKey.length < KEY_BYTES)
    throw new RangeError(`PII hashKey must be at least ${KEY_BYTES} bytes`);

  const keys = new Map<number, Buffer>();
  for (const [v, k] of Object.entries(opts.oldKeys ?? {})) {
    const version = Number(v);
    if (!isVersion(version)) throw new RangeError(`PII old key version "${v}" must be a positive integer`);
    assertKey(k, `PII key v${version}`);
    if (version === keyVersion && !k.equals(opts.key)) {
      throw new RangeError(`PII oldKeys[${version}] conflicts with the current key of the same version`);
    }
    keys.set(version, Buffer.from(k));
  }
  keys.set(keyVersion, Buffer.from(opts.key));
  for (const k of keys.values()) {
    if (k.equals(opts.hashKey)) throw new RangeError('PII hashKey must differ from the encryption keys');
  }
  const hashKey = Buffer.from(opts.hashKey);
  const currentKey = keys.get(keyVersion)!;

  // The header is authenticated too, so a token cannot be relabelled with another version.
  const associatedData = (version: number, aad: string | undefined) =>
    Buffer.from(`${FORMAT}.${version}|${aad ?? ''}`, 'utf8');

  function parse(token: string): { version: number; iv: Buffer; tag: Buffer; ct: Buffer } {
    const parts = token.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw new PiiError('PII token is malformed');
    const [, v, iv, tag, ct] = parts as [string, string, string, string, string];
    const version = /^[1-9]\d{0,8}$/.test(v) ? Number(v) : Number.NaN;
    if (!isVersion(version)) throw new PiiError('PII token is malformed');
    const ivBuf = decodeB64url(iv);
    const tagBuf = decodeB64url(tag);
    const ctBuf = decodeB64url(ct);
    if (!ivBuf || !tagBuf || !ctBuf || ivBuf.length !== IV_BYTES || tagBuf.length !== TAG_BYTES) {
      throw new PiiError('PII token is malformed');
    }
    return { version, iv: ivBuf, tag: tagBuf, ct: ctBuf };
  }

  return {
    keyVersion,

    encrypt(plain, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(keyVersion, aad));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [FORMAT, keyVersion, b64url(iv), b64url(tag), b64url(ct)].join('.');
    },

    decrypt(token, aad) {
      const { version, iv, tag, ct } = parse(token);
      const key = keys.get(version);
      if (!key) throw new PiiError(`PII token uses unknown key version ${version}`);
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(version, aad));
      decipher.setAuthTag(tag);
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(ct), decipher.final()]);
      } catch {
        throw new PiiError('PII token failed authentication: altered, wrong key or wrong associated data');
      }
      return plain.toString('utf8');
    },

    blindIndex(normalizedValue, purpose) {
      // A purpose without ':' keeps `purpose:value` unambiguous across purposes.
      if (!PURPOSE.test(purpose))
        throw new RangeError(`blindIndex purpose "${purpose}" must match ${PURPOSE}`);
      return createHmac('sha256', hashKey).update(`${purpose}:${normalizedValue}`, 'utf8').digest('hex');
    },

    needsReencrypt(token) {
      return parse(token).version !== keyVersion;
    },
  };
}

function isVersion(n: number): boolean {
  return Number.isInteger(n) && n >= 1;
}

function assertKey(k: Buffer, name: string): void {
  if (!Buffer.isBuffer(k) || k.length !== KEY_BYTES)
    throw new RangeError(`${name} must be exactly ${KEY_BYTES} bytes`);
}

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

// Buffer's decoder skips bad characters and ignores trailing bits, so only canonical text is accepted.
function decodeB64url(s: string): Buffer | null {
  if (!B64URL.test(s)) return null;
  const buf = Buffer.from(s, 'base64url');
  return buf.toString('base64url') === s ? buf : null;
}
