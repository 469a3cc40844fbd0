import { createHmac, timingSafeEqual } from 'node:crypto';

/** better-auth's session cookie (prefix 'anxin'); production adds the `__Secure-` prefix (secure cookies only). */
export const sessionCookieName = (secure: boolean) => `${secure ? '__Secure-' : ''}anxin.session_token`;

/**
 * The session token in a better-auth signed cookie (`<token>.<base64 HMAC-SHA256(secret, token)>`, URL-encoded),
 * or null when the cookie is absent, malformed or its signature is wrong. The same check better-call's
 * getSignedCookie makes, without going through better-auth's endpoint machinery on every request.
 */
export function sessionTokenFrom(
  cookieHeader: string | null | undefined,
  name: string,
  secret: string,
): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      return null;
    }
    const dot = value.lastIndexOf('.');
    if (dot < 1) return null;
    const token = value.slice(0, dot);
    const signature = value.slice(dot + 1);
    if (signature.length !== 44 || !signature.endsWith('=')) return null;
    const expected = createHmac('sha256', secret).update(token).digest();
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
  }
  return null;
}

/**
 * A Set-Cookie header carrying a new session token, signed and shaped as better-auth signs its own (same name,
 * HMAC-SHA256 signature, HttpOnly, SameSite=Lax, Path=/, Secure in production), for a token the app minted itself.
 */
export function sessionSetCookie(
  token: string,
  opts: { name: string; secret: string; maxAgeSeconds: number; secure: boolean },
): string {
  const signature = createHmac('sha256', opts.secret).update(token).digest('base64');
  const value = encodeURIComponent(`${token}.${signature}`);
  const attrs = [
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (opts.secure) attrs.push('Secure');
  return [`${opts.name}=${value}`, ...attrs].join('; ');
}
