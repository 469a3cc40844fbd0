import { createHmac, timingSafeEqual } from 'node:crypto';

/** Seconds a signed delivery stays acceptable; receivers refuse older (or future) timestamps. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const SIGNATURE_HEADER = 'anxin-signature';

/** `Anxin-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (docs/partners.md). */
export function signPayload(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * The receiver's recipe, exactly as docs/partners.md prints it: parse `t` and every `v1`, refuse a timestamp
 * more than `tolerance` seconds away from now, and compare HMACs in constant time.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  tolerance = SIGNATURE_TOLERANCE_SECONDS,
): VerifyResult {
  if (!header) return { ok: false, reason: 'malformed' };
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const sigs = parts.filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => v!);
  if (!Number.isInteger(t) || sigs.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - t) > tolerance) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(
    createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex'),
    'utf8',
  );
  const match = sigs.some((s) => timingSafeEqual(Buffer.from(s, 'utf8'), expected));
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}
