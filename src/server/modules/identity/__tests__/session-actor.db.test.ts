import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desc, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import type { Actor } from '../../../platform/http/actor.js';
import { systemContext } from '../../../platform/http/context.js';
import { demoAccounts } from '../../../seed/demo.js';
import { session, user, userRole } from '../identity.tables.js';
import { actorOf, createSessionLookup } from '../session-actor.js';
import {
  buildTestApp,
  cookieFrom,
  SESSION_DEFAULTS,
  uniquePhone,
  type TestApp,
} from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import { statementsOf } from '../../../../../test/support/statements.js';

// Issue 13: every request resolves its session cookie into an Actor with one prepared statement (session-actor.ts).
// The actor it builds must equal the one the per-query path builds (session and account, roles, memberships), for
// every demo principal and the edge cases; disabled and expired sessions still resolve to nobody.
let t: TestApp;
let lookup: ReturnType<typeof createSessionLookup>;
beforeAll(async () => {
  t = await buildTestApp(SESSION_DEFAULTS);
  lookup = createSessionLookup(t.database.db);
});
afterAll(async () => t.close());

const MIN = 60_000;
const PASSWORD = 'SessionActor2026x';

/** The newest session of an account: its id and token (the cookie's token, unsigned). */
async function newestSession(userId: string) {
  const [s] = await t.database.db
    .select({ id: session.id, token: session.token })
    .from(session)
    .where(eq(session.userId, userId))
    .orderBy(desc(session.createdAt), desc(session.id))
    .limit(1);
  return s!;
}

/** The actor as the per-query path resolved it before (the reference): session and account, roles, memberships. */
async function oldActor(token: string): Promise<Actor> {
  const db = t.database.db;
  const [found] = await db
    .select({ s: session, name: user.name, phoneNumber: user.phoneNumber })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(eq(session.token, token));
  const u = { id: found!.s.userId, name: found!.name, phoneNumber: found!.phoneNumber };
  const direct = await db
    .select({ role: userRole.role, district: userRole.district })
    .from(userRole)
    .where(eq(userRole.userId, u.id));
  return actorOf(u, found!.s.id, direct, await t.app.services.orgs.activeMembershipsOf(u.id));
}

/** Order-free form: roles and memberships are sets. */
const normal = (a: Actor) => ({
  ...a,
  roles: [...a.roles].sort(),
  memberships: [...a.memberships].sort((x, y) => x.orgId.localeCompare(y.orgId)),
});

const resolve = (cookie: string) => t.app.services.identity.resolveActor(new Headers({ cookie }));

async function expectSameActor(userId: string) {
  const { token } = await newestSession(userId);
  const found = await lookup(token);
  expect(found).not.toBeNull();
  expect(normal(found!.actor)).toEqual(normal(await oldActor(token)));
  return found!.actor;
}

describe('one-statement session lookup', () => {
  test('equals the per-query actor for every demo principal (MFA roles confirmed)', async () => {
    expect(demoAccounts.length).toBeGreaterThanOrEqual(12);
    for (const account of demoAccounts) {
      // The demo principal's roles and membership, on a fresh account (phones are unique per test run).
      const phone = uniquePhone();
      const userId = await t.app.services.identity.createAccount({
        phone,
        password: PASSWORD,
        name: account.name,
        roles: account.roles.map((r) => ({ role: r.role, district: r.district ?? null })),
      });
      if (account.membership) {
        const orgId = await t.app.services.orgs.createOrganization(t.database.db, {
          type: account.membership.org,
          name: `${account.label} 机构`,
          district: '440106',
          status: 'active',
        });
        await t.app.services.orgs.addMember(t.database.db, { orgId, userId, role: account.membership.role });
      }
      const cookie = await signInWithPassword(t.app, phone, PASSWORD);
      const actor = await expectSameActor(userId);
      // What a request sees: the same actor, no MFA step left for a confirmed session.
      const resolved = await resolve(cookie);
      expect(normal({ ...resolved!, mfaPendingRoles: undefined })).toEqual(normal(actor));
      expect(resolved!.mfaPendingRoles).toBeUndefined();
      for (const r of account.roles) expect(resolved!.roles).toContain(r.role);
      if (account.membership) expect(resolved!.memberships.length).toBeGreaterThan(0);
      const district = account.roles.find((r) => r.role === 'regulator')?.district;
      if (account.roles.some((r) => r.role === 'regulator'))
        expect(resolved!.regulatorDistrict).toBe(district ?? null);
    }
  });

  test('a person with several roles and memberships, ended and expelled ones', async () => {
    const { orgs, identity } = t.app.services;
    const db = t.database.db;
    const phone = uniquePhone();
    const userId = await identity.createAccount({
      phone,
      password: PASSWORD,
      name: '多重身份',
      roles: [{ role: 'resident' }, { role: 'worker' }],
    });
    const a = await orgs.createOrganization(db, { type: 'company', name: '甲公司', district: '440106' });
    const b = await orgs.createOrganization(db, { type: 'station', name: '乙服务站', district: '440104' });
    const c = await orgs.createOrganization(db, { type: 'company', name: '丙公司', district: '440105' });
    const d = await orgs.createOrganization(db, {
      type: 'insurer',
      name: '丁保险',
      district: '440103',
      status: 'expelled',
    });
    const e = await orgs.createOrganization(db, { type: 'training', name: '戊培训', district: '440111' });
    await orgs.addMember(db, { orgId: a, userId, role: 'admin' });
    await orgs.addMember(db, { orgId: b, userId, role: 'staff' });
    await orgs.addMember(db, { orgId: c, userId, role: 'staff' });
    await orgs.addMember(db, { orgId: d, userId, role: 'admin' });
    await orgs.addMember(db, { orgId: e, userId, role: 'admin' });
    // The membership in 丙 ended (as the member-management route ends it).
    await db.execute(
      sql`update org_membership set ended_at = now() where org_id = ${c} and user_id = ${userId}`,
    );
    await signInWithPassword(t.app, phone, PASSWORD);
    const actor = await expectSameActor(userId);
    expect([...actor.roles].sort()).toEqual(
      ['company_admin', 'resident', 'station_staff', 'training_staff', 'worker'].sort(),
    );
    expect(actor.memberships.map((m) => m.orgId).sort()).toEqual([a, b, e].sort());
    expect(actor.memberships.find((m) => m.orgId === a)).toEqual({
      orgId: a,
      orgName: '甲公司',
      orgType: 'company',
      role: 'admin',
    });
  });

  test('an MFA-pending session: the lookup equals the per-query actor; the request sees the role withheld', async () => {
    const phone = uniquePhone();
    const userId = await t.app.services.identity.createAccount({
      phone,
      password: PASSWORD,
      name: '区监管',
      roles: [{ role: 'regulator', district: '440106' }],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/password',
      payload: { phone, password: PASSWORD },
    });
    expect(res.json().user.mfaPending).toBe(true);
    const actor = await expectSameActor(userId);
    expect(actor.roles).toEqual(['regulator']);
    expect(actor.regulatorDistrict).toBe('440106');
    const resolved = await resolve(cookieFrom(res));
    expect(resolved).toMatchObject({ roles: [], regulatorDistrict: null, mfaPendingRoles: ['regulator'] });
  });

  test('a request resolves its session with one SQL statement (and writes last-seen at most once a minute)', async () => {
    const phone = uniquePhone();
    const userId = await t.app.services.identity.createAccount({
      phone,
      password: PASSWORD,
      name: '一条语句',
      roles: [{ role: 'resident' }],
    });
    const cookie = await signInWithPassword(t.app, phone, PASSWORD);
    t.clock.advance(2 * MIN);
    // Two minutes after sign-in: the lookup plus the once-a-minute last-seen write.
    const first = await statementsOf(t.database, () => resolve(cookie));
    expect(first.result?.userId).toBe(userId);
    expect(first.statements).toHaveLength(2);
    expect(first.statements[1]).toMatch(/^update "session" set "last_seen_at"/);
    // Within the minute: the one statement only.
    t.clock.advance(30_000);
    const second = await statementsOf(t.database, () => resolve(cookie));
    expect(second.result?.userId).toBe(userId);
    expect(second.statements).toHaveLength(1);
    expect(second.statements[0]).toMatch(/^select /);
  });

  test('disabled, signed-out, expired and unknown sessions resolve to nobody', async () => {
    const { identity } = t.app.services;
    const mk = async () => {
      const phone = uniquePhone();
      const userId = await identity.createAccount({
        phone,
        password: PASSWORD,
        name: '失效会话',
        roles: [{ role: 'resident' }],
      });
      return { userId, cookie: await signInWithPassword(t.app, phone, PASSWORD) };
    };

    // Disabled through the service: the sessions are gone at once.
    const disabled = await mk();
    expect(await resolve(disabled.cookie)).not.toBeNull();
    await identity.disableAccount(systemContext('test'), disabled.userId);
    expect(await resolve(disabled.cookie)).toBeNull();

    // An account marked disabled while a session row survives still resolves to nobody.
    const flagged = await mk();
    const { token } = await newestSession(flagged.userId);
    await t.database.db.update(user).set({ status: 'disabled' }).where(eq(user.id, flagged.userId));
    expect((await lookup(token))?.user.status).toBe('disabled');
    expect(await resolve(flagged.cookie)).toBeNull();

    // better-auth's own expiry (wall clock) passed.
    const expired = await mk();
    await t.database.db
      .update(session)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(session.userId, expired.userId));
    expect(await resolve(expired.cookie)).toBeNull();

    // Idle past the resident's 2 hours: SESSION_EXPIRED, and the row is deleted.
    const idle = await mk();
    t.clock.advance(2 * 60 * MIN + MIN);
    await expect(resolve(idle.cookie)).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === 'SESSION_EXPIRED',
    );
    expect(await lookup((await newestSession(idle.userId))?.token ?? 'none')).toBeNull();

    // Signed out: the token no longer finds a session.
    const out = await mk();
    const { token: outToken } = await newestSession(out.userId);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: out.cookie },
    });
    expect(res.statusCode).toBeLessThan(300);
    expect(await lookup(outToken)).toBeNull();
    expect(await resolve(out.cookie)).toBeNull();

    expect(await lookup('no-such-token')).toBeNull();
  });
});
