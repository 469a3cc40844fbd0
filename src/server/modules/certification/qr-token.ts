import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * QR tokens: `<kid>.<payload>.<sig>`, payload = base64url(JSON {c: certificate id, t: issue time in seconds}),
 * sig = base64url(HMAC-SHA256(secret of kid, "<kid>.<payload>")). Deterministic, so a certificate keeps the same
 * token (and printed card) for as long as its key is not retired.
 */
export interface QrPayload {
  certificateId: string;
  issuedAt: Date;
}

const KID = /^[a-z0-9]{4,32}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
const MAX_TOKEN = 400;

const b64url = (b: Buffer) => b.toString('base64url');

function mac(secret: Buffer, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

/** Signs a token for a certificate with the key `kid`. */
export function signQrToken(kid: string, secret: Buffer, p: QrPayload): string {
  if (!KID.test(kid)) throw new RangeError('bad kid');
  const payload = b64url(
    Buffer.from(JSON.stringify({ c: p.certificateId, t: Math.floor(p.issuedAt.getTime() / 1000) })),
  );
  const signed = `${kid}.${payload}`;
  return `${signed}.${b64url(mac(secret, signed))}`;
}

/** Splits a token without trusting it; null when it is not even shaped like one. */
export function parseQrToken(token: string): { kid: string; payload: string; sig: string } | null {
  if (token.length > MAX_TOKEN) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [kid, payload, sig] = parts as [string, string, string];
  if (!KID.test(kid) || !B64URL.test(payload) || !B64URL.test(sig)) return null;
  return { kid, payload, sig };
}

/** The signature is the key's HMAC of `<kid>.<payload>`, both parts in canonical base64url. */
function signatureHolds(kid: string, payload: string, sig: string, secret: Buffer): boolean {
  // Only the canonical encoding counts: Node's decoder ignores a last character's unused bits, so "…A" and "…B"
  // would otherwise decode to the same bytes and an altered token would still verify.
  if (b64url(Buffer.from(payload, 'base64url')) !== payload) return false;
  // The canonical signature is exactly the base64url text of the HMAC: comparing the texts (in constant time)
  // decides as decoding `sig`, re-encoding it and comparing the bytes did, with one conversion fewer.
  const want = b64url(mac(secret, `${kid}.${payload}`));
  return (
    sig.length === want.length && timingSafeEqual(Buffer.from(sig, 'latin1'), Buffer.from(want, 'latin1'))
  );
}

/** Verifies the signature with the key's secret and decodes the payload; null for anything forged or altered. */
export function verifyQrToken(token: string, secretOf: (kid: string) => Buffer | null): QrPayload | null {
  const parts = parseQrToken(token);
  if (!parts) return null;
  const secret = secretOf(parts.kid);
  if (!secret) return null;
  if (!signatureHolds(parts.kid, parts.payload, parts.sig, secret)) return null;
  return decodePayload(parts.payload);
}

/**
 * The payload a token claims, NOT verified: only to find the certificate and key to check it against in one read;
 * nothing may be shown or counted before `verifyQrToken` accepts the token.
 */
export function peekQrPayload(token: string): (QrPayload & { kid: string }) | null {
  const parts = parseQrToken(token);
  const p = parts ? decodePayload(parts.payload) : null;
  return p && parts ? { ...p, kid: parts.kid } : null;
}

/** A token split, with the payload it claims (NOT verified): `verifyPeekedQr` checks it without parsing it again. */
export interface PeekedQr extends QrPayload {
  kid: string;
  payload: string;
  sig: string;
}

/** `peekQrPayload` keeping the token's parts, for the scan path (one parse per scan instead of two). */
export function peekQrToken(token: string): PeekedQr | null {
  const parts = parseQrToken(token);
  const p = parts ? decodePayload(parts.payload) : null;
  return p && parts ? { ...p, ...parts } : null;
}

/** `verifyQrToken` for a peeked token and its key's secret: the claimed payload when the signature holds, else null. */
export function verifyPeekedQr(peeked: PeekedQr, secret: Buffer): QrPayload | null {
  return signatureHolds(peeked.kid, peeked.payload, peeked.sig, secret)
    ? { certificateId: peeked.certificateId, issuedAt: peeked.issuedAt }
    : null;
}

function decodePayload(payload: string): QrPayload | null {
  try {
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (!body || typeof body !== 'object') return null;
    const { c, t } = body as { c?: unknown; t?: unknown };
    if (typeof c !== 'string' || typeof t !== 'number' || !Number.isInteger(t)) return null;
    return { certificateId: c, issuedAt: new Date(t * 1000) };
  } catch {
    return null;
  }
}
