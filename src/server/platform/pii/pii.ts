import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Field-level encryption for sensitive personal information (ID numbers, addresses, health notes), with two
 * crypto profiles chosen per deployment:
 * - `intl` (default): AES-256-GCM, token `v1.<keyVersion>.<iv 12 B>.<tag 16 B>.<ciphertext>`; blind indexes
 *   HMAC-SHA-256.
 * - `gm` (国密, GB/T 32907 SM4 and GB/T 32905 SM3): SM4-CTR then HMAC-SM3 over header, associated data, IV and
 *   ciphertext (encrypt-then-MAC; Node has no SM4-GCM), token `g1.<keyVersion>.<iv 16 B>.<mac 32 B>.<ciphertext>`;
 *   the SM4 key (16 B) and the MAC key (32 B) are derived from the 32-byte PII key with HKDF-SM3 under distinct
 *   labels; blind indexes HMAC-SM3.
 * Every part is base64url without padding. Tokens name their format, so both profiles decrypt either kind and
 * `needsReencrypt` reports tokens of the other profile. Blind indexes are per profile: switching an existing
 * deployment's profile reseals its tokens and recomputes its blind-index columns (`npm run crypto:switch`,
 * src/server/crypto-switch.ts); until that run is done, lookups use `blindIndexes` (both profiles' indexes; one for a
 * deployment whose first-start baseline is this profile, pii/switch-state.ts). Keyed
 * hashes of secrets that are never stored (API keys, recovery and one-time codes) cannot be recomputed: they are
 * checked with `anyProfileIndexes` for as long as they live.
 */

/** The crypto profile of a deployment (`PII_CRYPTO_PROFILE`). */
export type PiiProfile = 'intl' | 'gm';

const FORMAT = 'v1';
const GM_FORMAT = 'g1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const GM_IV_BYTES = 16;
const GM_MAC_BYTES = 32;
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
  /** `intl` (AES-256-GCM, HMAC-SHA-256; the default) or `gm` (SM4 + HMAC-SM3, HMAC-SM3). */
  profile?: PiiProfile;
}

/** Encryption and keyed hashing of personal data. */
export interface Pii {
  /** Encrypts with the current key; `aad` (e.g. `worker.id_number`) binds the token to where it is stored. */
  encrypt(plain: string, aad?: string): string;
  /** Decrypts a token made with the current or a retired key; throws `PiiError` if it is malformed or altered. */
  decrypt(token: string, aad?: string): string;
  /** Keyed hash of an already normalised value for lookup and uniqueness; `purpose` separates the namespaces. */
  blindIndex(normalizedValue: string, purpose: string): string;
  /** The same keyed hash made with a given profile's function (the profile-switch job, tests). */
  blindIndexAs(profile: PiiProfile, normalizedValue: string, purpose: string): string;
  /**
   * What a lookup by blind index must match: this profile's index, and while stored data may still be in the other
   * profile (no finished switch or baseline for this one: `setDataProfile`), the other profile's too. The current one
   * comes first.
   */
  blindIndexes(normalizedValue: string, purpose: string): string[];
  /** Both profiles' indexes, always: for keyed hashes of secrets that are not stored and so cannot be recomputed. */
  anyProfileIndexes(normalizedValue: string, purpose: string): string[];
  /** Records which profile all stored tokens and blind indexes are in (null: unknown or mixed, during a switch). */
  setDataProfile(profile: PiiProfile | null): void;
  /** True when stored data is known to be in this profile only, so lookups need one index. */
  readonly settled: boolean;
  /** The profile a token was made with; throws `PiiError` if it is malformed. */
  profileOf(token: string): PiiProfile;
  /** True when the token was made with another key than the current one and should be re-encrypted. */
  needsReencrypt(token: string): boolean;
  /** The key version tokens are written with. */
  readonly keyVersion: number;
  /** The profile new tokens and blind indexes are made with. */
  readonly profile: PiiProfile;
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
  const profile: PiiProfile = opts.profile ?? 'intl';
  if (profile !== 'intl' && profile !== 'gm') throw new RangeError(`unknown PII crypto profile "${profile}"`);
  const currentFormat = profile === 'gm' ? GM_FORMAT : FORMAT;
  const other: PiiProfile = profile === 'gm' ? 'intl' : 'gm';
  // Unknown until the app reads the switch state: both indexes, so no lookup misses during a switch.
  let dataProfile: PiiProfile | null = null;

  function indexAs(p: PiiProfile, normalizedValue: string, purpose: string): string {
    // A purpose without ':' keeps `purpose:value` unambiguous across purposes.
    if (!PURPOSE.test(purpose)) throw new RangeError(`blindIndex purpose "${purpose}" must match ${PURPOSE}`);
    return createHmac(p === 'gm' ? 'sm3' : 'sha256', hashKey)
      .update(`${purpose}:${normalizedValue}`, 'utf8')
      .digest('hex');
  }

  // 国密 keys of each version, derived once: SM4 needs 16 bytes, HMAC-SM3 gets its own 32.
  const gmKeys = new Map<number, { enc: Buffer; mac: Buffer }>();
  const gmKeysOf = (version: number) => {
    let k = gmKeys.get(version);
    const key = keys.get(version);
    if (!k && key) {
      const derive = (label: string, n: number) =>
        Buffer.from(hkdfSync('sm3', key, Buffer.alloc(0), `anxin-pii ${label}`, n));
      k = { enc: derive('sm4-ctr', 16), mac: derive('hmac-sm3', 32) };
      gmKeys.set(version, k);
    }
    return k;
  };
  const gmMac = (mac: Buffer, version: number, aad: string | undefined, iv: Buffer, ct: Buffer) => {
    const h = createHmac('sm3', mac);
    // Length-prefixed parts, so no two different inputs give the same MAC input.
    for (const part of [Buffer.from(`${GM_FORMAT}.${version}`), Buffer.from(aad ?? '', 'utf8'), iv, ct]) {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(part.length);
      h.update(len).update(part);
    }
    return h.digest();
  };

  // The header is authenticated too, so a token cannot be relabelled with another version.
  const associatedData = (version: number, aad: string | undefined) =>
    Buffer.from(`${FORMAT}.${version}|${aad ?? ''}`, 'utf8');

  function parse(token: string): { format: string; version: number; iv: Buffer; tag: Buffer; ct: Buffer } {
    const parts = token.split('.');
    if (parts.length !== 5 || (parts[0] !== FORMAT && parts[0] !== GM_FORMAT))
      throw new PiiError('PII token is malformed');
    const [format, v, iv, tag, ct] = parts as [string, string, string, string, string];
    const ivBytes = format === GM_FORMAT ? GM_IV_BYTES : IV_BYTES;
    const tagBytes = format === GM_FORMAT ? GM_MAC_BYTES : TAG_BYTES;
    const version = /^[1-9]\d{0,8}$/.test(v) ? Number(v) : Number.NaN;
    if (!isVersion(version)) throw new PiiError('PII token is malformed');
    const ivBuf = decodeB64url(iv);
    const tagBuf = decodeB64url(tag);
    const ctBuf = decodeB64url(ct);
    if (!ivBuf || !tagBuf || !ctBuf || ivBuf.length !== ivBytes || tagBuf.length !== tagBytes) {
      throw new PiiError('PII token is malformed');
    }
    return { format, version, iv: ivBuf, tag: tagBuf, ct: ctBuf };
  }

  return {
    keyVersion,
    profile,

    encrypt(plain, aad) {
      if (profile === 'gm') {
        const k = gmKeysOf(keyVersion)!;
        const iv = randomBytes(GM_IV_BYTES);
        const cipher = createCipheriv('sm4-ctr', k.enc, iv);
        const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
        const mac = gmMac(k.mac, keyVersion, aad, iv, ct);
        return [GM_FORMAT, keyVersion, b64url(iv), b64url(mac), b64url(ct)].join('.');
      }
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(keyVersion, aad));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [FORMAT, keyVersion, b64url(iv), b64url(tag), b64url(ct)].join('.');
    },

    decrypt(token, aad) {
      const { format, version, iv, tag, ct } = parse(token);
      const key = keys.get(version);
      if (!key) throw new PiiError(`PII token uses unknown key version ${version}`);
      if (format === GM_FORMAT) {
        const k = gmKeysOf(version)!;
        // Verify before decrypting (encrypt-then-MAC); constant-time comparison.
        if (!timingSafeEqual(gmMac(k.mac, version, aad, iv, ct), tag))
          throw new PiiError('PII token failed authentication: altered, wrong key or wrong associated data');
        const decipher = createDecipheriv('sm4-ctr', k.enc, iv);
        return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
      }
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
      return indexAs(profile, normalizedValue, purpose);
    },

    blindIndexAs: indexAs,

    blindIndexes(normalizedValue, purpose) {
      const current = indexAs(profile, normalizedValue, purpose);
      return dataProfile === profile ? [current] : [current, indexAs(other, normalizedValue, purpose)];
    },

    anyProfileIndexes(normalizedValue, purpose) {
      return [indexAs(profile, normalizedValue, purpose), indexAs(other, normalizedValue, purpose)];
    },

    setDataProfile(p) {
      dataProfile = p;
    },

    get settled() {
      return dataProfile === profile;
    },

    profileOf(token) {
      return parse(token).format === GM_FORMAT ? 'gm' : 'intl';
    },

    needsReencrypt(token) {
      const t = parse(token);
      return t.version !== keyVersion || t.format !== currentFormat;
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
