import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifies an `Anxin-Signature: t=<unix>,v1=<hex>` header over the raw request body (docs/partners.md):
 * HMAC-SHA256 of `${t}.${body}` with the subscription's secret, a timestamp within `toleranceSeconds` of now,
 * compared in constant time. Pass the body exactly as received, before any JSON parsing.
 */
export function verifyAnxinSignature(
  secret: string,
  rawBody: string,
  header: string | undefined,
  opts: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(t) || Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`, 'utf8').digest('hex'));
  return parts
    .filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v!), expected));
}
