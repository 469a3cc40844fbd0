import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { session } from '../identity.tables.js';
import {
  buildTestApp,
  cookieFrom,
  registerResident,
  type TestApp,
  uniquePhone,
} from '../../../../../test/app.js';
import { describeUserAgent, maskIp } from '../client-info.js';

// Issue 14 / ASVS 7.5.2: a person sees their live sessions (device, times, masked IP, this device) and signs out
// one or all of the others; another account's session id answers 404; every sign-out is audited.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';

const req = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
const code = (res: { json(): unknown }) => (res.json() as { code: string }).code;

async function signInFrom(phone: string, password: string, userAgent: string, ip: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/password',
    payload: { phone, password },
    headers: { 'user-agent': userAgent },
    remoteAddress: ip,
  });
  expect(res.statusCode).toBe(200);
  return cookieFrom(res);
}

type Listed = {
  id: string;
  current: boolean;
  device: string | null;
  ipMasked: string | null;
  createdAt: string;
  lastSeenAt: string;
};
const list = async (cookie: string) => {
  const res = await req('GET', '/auth/sessions', cookie);
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: Listed[] }).items;
};

describe('client summaries', () => {
  test('user agents become "browser major · system"; IPs lose their last part', () => {
    expect(describeUserAgent(ANDROID_CHROME)).toBe('Chrome 120 · Android');
    expect(describeUserAgent(IPHONE_SAFARI)).toBe('Safari 17 · iOS');
    expect(describeUserAgent('curl/8.5')).toBeNull();
    expect(describeUserAgent(null)).toBeNull();
    expect(maskIp('203.0.113.45')).toBe('203.0.113.*');
    expect(maskIp('::ffff:198.51.100.7')).toBe('198.51.100.*');
    expect(maskIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3:*');
    expect(maskIp(null)).toBeNull();
  });
});

describe('the account session list', () => {
  test('lists every live session with device, masked IP and "this device"; never the token or full IP', async () => {
    const r = await registerResident(t);
    const phone = await signInFrom(r.phone, r.password, ANDROID_CHROME, '203.0.113.45');
    const laptop = await signInFrom(r.phone, r.password, IPHONE_SAFARI, '198.51.100.7');
    const items = await list(phone);
    expect(items).toHaveLength(3);
    const mine = items.filter((i) => i.current);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ device: 'Chrome 120 · Android', ipMasked: '203.0.113.*' });
    expect(items.find((i) => i.device === 'Safari 17 · iOS')?.ipMasked).toBe('198.51.100.*');
    const body = JSON.stringify(items);
    expect(body).not.toContain('203.0.113.45');
    const tokens = await t.database.db
      .select({ token: session.token })
      .from(session)
      .where(eq(session.userId, r.user.id));
    for (const { token } of tokens) expect(body).not.toContain(token);
    // The other device sees itself as current.
    expect((await list(laptop)).find((i) => i.current)?.device).toBe('Safari 17 · iOS');
  });

  test('signing out one other session: it gets 401, this one stays, the action is audited', async () => {
    const r = await registerResident(t);
    const other = await signInFrom(r.phone, r.password, IPHONE_SAFARI, '198.51.100.7');
    const target = (await list(other)).find((i) => i.current)!;
    const res = await req('POST', `/auth/sessions/${target.id}/revoke`, r.cookie);
    expect(res.statusCode).toBe(204);
    expect((await req('GET', '/auth/me', other)).statusCode).toBe(401);
    expect((await req('GET', '/auth/me', r.cookie)).statusCode).toBe(200);
    const audited = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity.session_revoke'), eq(auditLog.objectId, target.id)));
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actorId).toBe(r.user.id);
  });

  test("another account's session id is 404 and stays signed in; this session's own id is 409", async () => {
    const a = await registerResident(t);
    const b = await registerResident(t);
    const bSession = (await list(b.cookie)).find((i) => i.current)!;
    const res = await req('POST', `/auth/sessions/${bSession.id}/revoke`, a.cookie);
    expect(res.statusCode).toBe(404);
    expect(code(res)).toBe('NOT_FOUND');
    expect((await req('GET', '/auth/me', b.cookie)).statusCode).toBe(200);
    const self = (await list(a.cookie)).find((i) => i.current)!;
    const own = await req('POST', `/auth/sessions/${self.id}/revoke`, a.cookie);
    expect(own.statusCode).toBe(409);
    expect(code(own)).toBe('SESSION_CURRENT');
    expect((await req('GET', '/auth/me', a.cookie)).statusCode).toBe(200);
  });

  test('sign out all others: every other session gets 401, this one stays, the count is audited', async () => {
    const r = await registerResident(t);
    const others = [
      await signInFrom(r.phone, r.password, ANDROID_CHROME, '203.0.113.9'),
      await signInFrom(r.phone, r.password, IPHONE_SAFARI, '198.51.100.9'),
    ];
    const res = await req('POST', '/auth/sessions/revoke-others', r.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: 2 });
    for (const c of others) expect((await req('GET', '/auth/me', c)).statusCode).toBe(401);
    expect(await list(r.cookie)).toHaveLength(1);
    const [row] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'identity.session_revoke_others'), eq(auditLog.objectId, r.user.id)));
    expect(row?.detail).toEqual({ revoked: 2 });
  });

  test('a regulator session still waiting for its SMS code may not manage sessions', async () => {
    const phone = uniquePhone();
    await t.app.services.identity.createAccount({
      phone,
      password: 'Pending2026x',
      name: '待验证',
      roles: [{ role: 'regulator' }],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/password',
      payload: { phone, password: 'Pending2026x' },
    });
    const pending = cookieFrom(res);
    expect(code(await req('GET', '/auth/sessions', pending))).toBe('MFA_REQUIRED');
    expect(code(await req('POST', '/auth/sessions/revoke-others', pending))).toBe('MFA_REQUIRED');
  });

  test('anonymous callers get 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions' });
    expect(res.statusCode).toBe(401);
  });
});
