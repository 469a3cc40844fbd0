import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, registerResident, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { session, verification } from '../identity.tables.js';
import { purgeExpiredAuthRecords } from '../retention.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('sign-in record retention', () => {
  test('removes sessions and one-time codes only once they have expired', async () => {
    const db = t.app.database.db;
    const { user, cookie } = await registerResident(t);
    const phone = uniquePhone();
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone, purpose: 'register' } });
    const [s] = await db.select().from(session).where(eq(session.userId, user.id));
    const codes = await db.select().from(verification);
    expect(s).toBeDefined();
    expect(codes.length).toBeGreaterThan(0);
    const firstCodeExpiry = Math.min(...codes.map((c) => c.expiresAt.getTime()));
    const lastCodeExpiry = Math.max(...codes.map((c) => c.expiresAt.getTime()));

    // Before the codes expire, none goes.
    expect((await purgeExpiredAuthRecords(db, new Date(firstCodeExpiry - 1000))).codes).toBe(0);
    expect(await db.select().from(verification)).toHaveLength(codes.length);
    await purgeExpiredAuthRecords(db, new Date(lastCodeExpiry + 1000));
    expect(await db.select().from(verification)).toHaveLength(0);

    // Before expiry nothing of theirs goes, and the session still works.
    await purgeExpiredAuthRecords(db, new Date(s!.expiresAt.getTime() - 1000));
    expect(await db.select().from(session).where(eq(session.id, s!.id))).toHaveLength(1);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);

    const out = await purgeExpiredAuthRecords(db, new Date(s!.expiresAt.getTime() + 1000));
    expect(out.sessions).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(session).where(eq(session.id, s!.id))).toHaveLength(0);
  });
});
