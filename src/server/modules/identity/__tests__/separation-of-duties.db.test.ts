import { and, asc, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PlatformRole } from '../../../../shared/roles.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { piiProfileSwitch } from '../../../platform/pii/pii.tables.js';
import { newId } from '../../../platform/db/ids.js';
import { userRole } from '../identity.tables.js';
import { csvCell } from '../admin.service.js';
import { buildTestApp, cookieFrom, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';

// Issue 14 / 等保 L3 三权分立: system (platform_admin), security (security_admin) and audit (audit_admin)
// administrators are different accounts; nobody changes their own roles; every grant, revoke, disable and every
// read of the audit log is itself audited; both new roles need the SMS step like regulator and platform admin.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const PASSWORD = 'Duties2026pass';
const code = (res: { json(): unknown }) => (res.json() as { code: string }).code;
const req = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

async function account(roles: PlatformRole[], name = '三权测试') {
  const phone = uniquePhone();
  const userId = await t.app.services.identity.createAccount({
    phone,
    password: PASSWORD,
    name,
    roles: roles.map((role) => ({ role })),
  });
  return { phone, userId, cookie: () => signInWithPassword(t.app, phone, PASSWORD) };
}
const rolesOf = async (userId: string) =>
  (await t.database.db.select().from(userRole).where(eq(userRole.userId, userId))).map((r) => r.role).sort();
const auditRows = (action: string, objectId?: string) =>
  t.database.db
    .select()
    .from(auditLog)
    .where(
      objectId
        ? and(eq(auditLog.action, action), eq(auditLog.objectId, objectId))
        : eq(auditLog.action, action),
    )
    // In chain order: without it PostgreSQL may return the rows in any order, and `.at(-1)` is not the latest.
    .orderBy(asc(auditLog.seq));

let security: { userId: string; cookie: string };
let auditor: { userId: string; cookie: string };
beforeAll(async () => {
  const s = await account(['security_admin'], '安全管理员甲');
  const a = await account(['audit_admin'], '审计管理员乙');
  security = { userId: s.userId, cookie: await s.cookie() };
  auditor = { userId: a.userId, cookie: await a.cookie() };
});

describe('security admin: roles', () => {
  test('grants audit_admin to a staff account with a reason; the grant is audited with role and reason', async () => {
    const staff = await account(['regulator']);
    const res = await req('POST', `/security/accounts/${staff.userId}/roles`, security.cookie, {
      role: 'audit_admin',
      reason: '新任审计岗位',
    });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .roles.map((r: { role: string }) => r.role)
        .sort(),
    ).toEqual(['audit_admin', 'regulator']);
    const [row] = await auditRows('identity.role_grant', staff.userId);
    expect(row).toMatchObject({ actorId: security.userId, outcome: 'ok' });
    expect(row!.detail).toMatchObject({ role: 'audit_admin', reason: '新任审计岗位' });
  });

  test('one account never holds two of system/security/audit admin: 409 ROLE_DUTIES_SEPARATED, nothing stored', async () => {
    const pairs: [PlatformRole, PlatformRole][] = [
      ['platform_admin', 'security_admin'],
      ['platform_admin', 'audit_admin'],
      ['security_admin', 'audit_admin'],
      ['audit_admin', 'platform_admin'],
    ];
    for (const [held, wanted] of pairs) {
      const a = await account([held]);
      const res = await req('POST', `/security/accounts/${a.userId}/roles`, security.cookie, {
        role: wanted,
        reason: '兼任测试',
      });
      expect(res.statusCode, `${held} + ${wanted}`).toBe(409);
      expect(code(res)).toBe('ROLE_DUTIES_SEPARATED');
      expect(await rolesOf(a.userId)).toEqual([held]);
      expect(await auditRows('identity.role_grant', a.userId)).toHaveLength(0);
    }
  });

  test('the database refuses a second admin duty even when the service is bypassed (partial unique index)', async () => {
    const a = await account(['platform_admin']);
    await expect(
      t.database.db.insert(userRole).values({ id: newId('rol'), userId: a.userId, role: 'audit_admin' }),
    ).rejects.toThrow();
    await expect(
      t.app.services.identity.createAccount({
        phone: uniquePhone(),
        password: PASSWORD,
        name: '双职',
        roles: [{ role: 'security_admin' }, { role: 'audit_admin' }],
      }),
    ).rejects.toThrow();
  });

  test('racing grants of two admin duties to one account: exactly one wins', async () => {
    const a = await account(['regulator']);
    const [x, y] = await Promise.all([
      req('POST', `/security/accounts/${a.userId}/roles`, security.cookie, {
        role: 'audit_admin',
        reason: '并发一',
      }),
      req('POST', `/security/accounts/${a.userId}/roles`, security.cookie, {
        role: 'platform_admin',
        reason: '并发二',
      }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    expect((await rolesOf(a.userId)).filter((r) => r !== 'regulator')).toHaveLength(1);
  });

  test('a regulator role may sit beside one admin duty, with a district', async () => {
    const a = await account(['audit_admin']);
    const res = await req('POST', `/security/accounts/${a.userId}/roles`, security.cookie, {
      role: 'regulator',
      district: '440106',
      reason: '兼任天河区监管',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().roles).toContainEqual(
      expect.objectContaining({ role: 'regulator', district: '440106' }),
    );
  });

  test('nobody changes their own roles, status or sessions (403 ADMIN_SELF_CHANGE)', async () => {
    const me = security.userId;
    for (const [url, body] of [
      [`/security/accounts/${me}/roles`, { role: 'regulator', reason: '自授' }],
      [`/security/accounts/${me}/roles/security_admin/revoke`, { reason: '自收' }],
      [`/security/accounts/${me}/disable`, { reason: '自停' }],
      [`/security/accounts/${me}/sessions/revoke`, { reason: '自清' }],
    ] as const) {
      const res = await req('POST', url, security.cookie, body);
      expect(res.statusCode, url).toBe(403);
      expect(code(res)).toBe('ADMIN_SELF_CHANGE');
    }
    expect(await rolesOf(me)).toEqual(['security_admin']);
  });

  test('revoke: the role goes at once and is audited; a role not held is 409; a missing reason is 422', async () => {
    const a = await account(['platform_admin']);
    const adminCookie = await a.cookie();
    expect((await req('GET', '/admin/qr-keys', adminCookie)).statusCode).toBe(200);
    const noReason = await req(
      'POST',
      `/security/accounts/${a.userId}/roles/platform_admin/revoke`,
      security.cookie,
      {},
    );
    expect(noReason.statusCode).toBe(422);
    expect(await rolesOf(a.userId)).toEqual(['platform_admin']);
    const res = await req(
      'POST',
      `/security/accounts/${a.userId}/roles/platform_admin/revoke`,
      security.cookie,
      {
        reason: '调离岗位',
      },
    );
    expect(res.statusCode).toBe(200);
    expect(await rolesOf(a.userId)).toEqual([]);
    expect((await req('GET', '/admin/qr-keys', adminCookie)).statusCode).toBe(403);
    const again = await req(
      'POST',
      `/security/accounts/${a.userId}/roles/platform_admin/revoke`,
      security.cookie,
      {
        reason: '再次',
      },
    );
    expect(code(again)).toBe('ROLE_NOT_HELD');
    const [row] = await auditRows('identity.role_revoke', a.userId);
    expect(row!.detail).toMatchObject({ role: 'platform_admin', reason: '调离岗位' });
  });

  test('an unknown account is 404', async () => {
    const res = await req('POST', '/security/accounts/usr_nobody/disable', security.cookie, {
      reason: '测试',
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('security admin: accounts and sessions', () => {
  test('disable ends every session and refuses sign-in; enable lets the account back in; both audited', async () => {
    const a = await account(['regulator']);
    const c = await a.cookie();
    const off = await req('POST', `/security/accounts/${a.userId}/disable`, security.cookie, {
      reason: '离职',
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ status: 'disabled', activeSessions: 0 });
    expect((await req('GET', '/auth/me', c)).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/password',
      payload: { phone: a.phone, password: PASSWORD },
    });
    expect(code(login)).toBe('ACCOUNT_DISABLED');
    expect(
      code(await req('POST', `/security/accounts/${a.userId}/disable`, security.cookie, { reason: '再停' })),
    ).toBe('ACCOUNT_STATUS_UNCHANGED');
    const on = await req('POST', `/security/accounts/${a.userId}/enable`, security.cookie, {
      reason: '返岗',
    });
    expect(on.json().status).toBe('active');
    expect(await a.cookie()).toMatch(/session_token/);
    expect((await auditRows('identity.disable', a.userId))[0]!.detail).toMatchObject({
      reason: '离职',
      sessionsEnded: 1,
    });
    expect((await auditRows('identity.enable', a.userId))[0]!.detail).toMatchObject({ reason: '返岗' });
  });

  test('end sessions: the account is signed out everywhere, and it is audited', async () => {
    const a = await account(['platform_admin']);
    const c1 = await a.cookie();
    const c2 = await a.cookie();
    const res = await req('POST', `/security/accounts/${a.userId}/sessions/revoke`, security.cookie, {
      reason: '疑似泄露',
    });
    expect(res.json()).toEqual({ ended: 2 });
    for (const c of [c1, c2]) expect((await req('GET', '/auth/me', c)).statusCode).toBe(401);
    expect((await auditRows('identity.sessions_end', a.userId))[0]!.detail).toMatchObject({ ended: 2 });
  });

  test('lists staff accounts with masked phones and roles; ?phone= finds any one account', async () => {
    const a = await account(['regulator'], '列表测试');
    const all: { id: string; phoneMasked: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await req(
        'GET',
        `/security/accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        security.cookie,
      );
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { id: string; phoneMasked: string }[]; nextCursor: string | null };
      all.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
    const found = all.find((x) => x.id === a.userId)!;
    expect(found.phoneMasked).toBe(`${a.phone.slice(0, 3)}****${a.phone.slice(7)}`);
    expect(JSON.stringify(all)).not.toContain(a.phone);
    const resident = await account(['resident']);
    const byPhone = await req('GET', `/security/accounts?phone=${resident.phone}`, security.cookie);
    expect(byPhone.json().items.map((x: { id: string }) => x.id)).toEqual([resident.userId]);
  });
});

describe('the system administrator no longer grants roles or reads the audit log', () => {
  test('platform_admin: 403 on accounts, grants and the audit log; audit_admin cannot grant; security_admin cannot read the log', async () => {
    const admin = await account(['platform_admin']);
    const c = await admin.cookie();
    expect((await req('GET', '/security/accounts', c)).statusCode).toBe(403);
    expect(
      (
        await req('POST', `/security/accounts/${auditor.userId}/roles`, c, {
          role: 'regulator',
          reason: 'x 测试',
        })
      ).statusCode,
    ).toBe(403);
    expect((await req('GET', '/audit/log', c)).statusCode).toBe(403);
    expect((await req('GET', '/audit/export.csv', c)).statusCode).toBe(403);
    expect((await req('GET', '/security/accounts', auditor.cookie)).statusCode).toBe(403);
    expect((await req('GET', '/audit/log', security.cookie)).statusCode).toBe(403);
  });

  test('both new roles need the SMS step: a password-only session gets 403 MFA_REQUIRED, the code unlocks it', async () => {
    for (const [role, url] of [
      ['security_admin', '/security/accounts'],
      ['audit_admin', '/audit/log'],
    ] as const) {
      const a = await account([role]);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login/password',
        payload: { phone: a.phone, password: PASSWORD },
      });
      expect(res.json().user.mfaPending).toBe(true);
      const pending = cookieFrom(res);
      expect(code(await req('GET', url, pending))).toBe('MFA_REQUIRED');
      expect((await req('GET', url, await a.cookie())).statusCode).toBe(200);
    }
  });
});

describe('audit admin: the log', () => {
  test('filters by action, object and time; pages without overlap; actor names and IPs masked', async () => {
    const target = await account(['regulator'], '欧阳修文');
    await req('POST', `/security/accounts/${target.userId}/sessions/revoke`, security.cookie, {
      reason: '筛选测试',
    });
    const res = await req(
      'GET',
      `/audit/log?action=identity.sessions_end&objectId=${target.userId}`,
      auditor.cookie,
    );
    expect(res.statusCode).toBe(200);
    const [entry] = res.json().items;
    expect(entry).toMatchObject({
      action: 'identity.sessions_end',
      objectType: 'user',
      objectId: target.userId,
      actor: { id: security.userId, nameMasked: '安****甲' },
      outcome: 'ok',
    });
    expect(entry.ipMasked).toMatch(/\*$/);
    // Prefix filter and paging: no row twice, newest first.
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 3; i++) {
      const page = await req(
        'GET',
        `/audit/log?action=identity.&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        auditor.cookie,
      );
      const body = page.json() as { items: { seq: number; action: string }[]; nextCursor: string | null };
      expect(body.items.every((x) => x.action.startsWith('identity.'))).toBe(true);
      seen.push(...body.items.map((x) => x.seq));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    // A time range that ends before the row excludes it.
    const before = new Date(new Date(entry.at).getTime() - 1).toISOString();
    const none = await req(
      'GET',
      `/audit/log?objectId=${target.userId}&to=${encodeURIComponent(before)}`,
      auditor.cookie,
    );
    expect(none.json().items).toHaveLength(0);
    const bad = await req(
      'GET',
      `/audit/log?from=${encodeURIComponent(entry.at)}&to=${encodeURIComponent(before)}`,
      auditor.cookie,
    );
    expect(bad.statusCode).toBe(422);
  });

  test('every read, verification and export of the log is itself audited', async () => {
    const staff = await account(['resident']);
    await req('POST', `/security/accounts/${staff.userId}/roles`, security.cookie, {
      role: 'regulator',
      reason: '导出测试',
    });
    const reads = (await auditRows('audit.read')).length;
    await req('GET', '/audit/log?outcome=denied', auditor.cookie);
    const after = await auditRows('audit.read');
    expect(after).toHaveLength(reads + 1);
    expect(after.at(-1)).toMatchObject({ actorId: auditor.userId });
    expect(after.at(-1)!.detail).toMatchObject({ filter: { outcome: 'denied' } });

    const verify = await req('GET', '/audit/verify', auditor.cookie);
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true, firstBroken: null });
    expect(verify.json().checked).toBeGreaterThan(0);
    expect((await auditRows('audit.verify')).at(-1)).toMatchObject({
      actorId: auditor.userId,
      outcome: 'ok',
    });

    const csv = await req('GET', '/audit/export.csv?action=identity.role_grant', auditor.cookie);
    expect(csv.statusCode).toBe(200);
    expect(String(csv.headers['content-type'])).toContain('text/csv');
    expect(String(csv.headers['content-disposition'])).toContain('audit-log.csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'seq,at,actor_id,actor_name,actor_roles,action,object_type,object_id,outcome,request_id,ip,detail',
    );
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',identity.role_grant,'))).toBe(true);
    const [exported] = (await auditRows('audit.export')).slice(-1);
    expect(exported!.detail).toMatchObject({ rows: lines.length - 1 });
  });

  test('the console’s verification names a problem besides a broken row: SHA-256 rows after a recorded 国密 switch', async () => {
    const ok = await req('GET', '/audit/verify', auditor.cookie);
    expect(ok.json()).toMatchObject({ ok: true, problem: null, start: { n: 0, checkpoint: null } });
    // The deployment says it finished switching to gm long ago, yet every row is SHA-256: a rewritten chain.
    // Just after the baseline this app recorded at start, so the rows written since fall under it.
    const [baseline] = await t.database.db
      .select({ startedAt: piiProfileSwitch.startedAt })
      .from(piiProfileSwitch)
      .orderBy(desc(piiProfileSwitch.startedAt))
      .limit(1);
    const since = new Date((baseline?.startedAt ?? new Date(0)).getTime() + 1);
    const [planted] = await t.database.db
      .insert(piiProfileSwitch)
      .values({
        toProfile: 'gm',
        status: 'done',
        cursor: {},
        counts: {},
        startedAt: since,
        updatedAt: since,
        finishedAt: since,
      })
      .returning({ seq: piiProfileSwitch.seq });
    try {
      const bad = await req('GET', '/audit/verify', auditor.cookie);
      expect(bad.statusCode).toBe(200);
      expect(bad.json()).toMatchObject({ ok: false, firstBroken: null, problem: { kind: 'hash-alg' } });
      expect(bad.json().problem.message).toContain('SM3');
      expect((await auditRows('audit.verify')).at(-1)).toMatchObject({ outcome: 'failed' });
      expect((await auditRows('audit.verify')).at(-1)!.detail).toMatchObject({ problem: 'hash-alg' });
    } finally {
      await t.database.db.delete(piiProfileSwitch).where(eq(piiProfileSwitch.seq, planted!.seq));
    }
  });

  test('CSV cells are quoted and formula-led cells defused', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(42)).toBe('42');
  });
});
