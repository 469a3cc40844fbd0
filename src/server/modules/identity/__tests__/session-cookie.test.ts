import { serializeSignedCookie } from 'better-call';
import { describe, expect, it } from 'vitest';
import { sessionCookieName, sessionTokenFrom } from '../session-cookie.js';

const SECRET = 'a-test-secret-of-enough-length-0123456789';
const NAME = sessionCookieName(false);
/** The cookie value exactly as better-call writes it into Set-Cookie for better-auth. */
const signCookieValue = async (token: string, secret: string) =>
  (await serializeSignedCookie(NAME, token, secret)).split(';')[0]!.slice(NAME.length + 1);

describe('sessionTokenFrom reads the cookie better-auth signs', () => {
  it('accepts the value better-call signs, among other cookies', async () => {
    const value = await signCookieValue('tok_AbC123', SECRET);
    expect(sessionTokenFrom(`theme=dark; ${NAME}=${value}; lang=zh`, NAME, SECRET)).toBe('tok_AbC123');
  });

  it('refuses a wrong secret, a changed token, a missing or cut signature, and another cookie name', async () => {
    const value = await signCookieValue('tok_AbC123', SECRET);
    expect(sessionTokenFrom(`${NAME}=${value}`, NAME, `${SECRET}x`)).toBeNull();
    expect(sessionTokenFrom(`${NAME}=${value.replace('tok_AbC123', 'tok_AbC124')}`, NAME, SECRET)).toBeNull();
    expect(sessionTokenFrom(`${NAME}=tok_AbC123`, NAME, SECRET)).toBeNull();
    expect(sessionTokenFrom(`${NAME}=${value.slice(0, -4)}`, NAME, SECRET)).toBeNull();
    expect(sessionTokenFrom(`${sessionCookieName(true)}=${value}`, NAME, SECRET)).toBeNull();
    expect(sessionTokenFrom(`${NAME}=%E0%A4%A`, NAME, SECRET)).toBeNull();
    expect(sessionTokenFrom(undefined, NAME, SECRET)).toBeNull();
  });

  it('uses the __Secure- name in production', () => {
    expect(sessionCookieName(true)).toBe('__Secure-anxin.session_token');
    expect(NAME).toBe('anxin.session_token');
  });
});
