// P2 and P14 (ASVS V6/V7; 等保 L3-CES1-02/04/32): lockout, idle and absolute timeouts per role, MFA for regulator and
// platform admin, and sessions dead after logout, disable and password change. Runs on its own app with the
// shipped timeouts (the shared app of the other suites uses the test harness's year-long ones) and a fake clock.
import { MFA_ROLES } from '../../src/server/modules/identity/identity.service.js';
import { FAILURE_RULE } from '../../src/server/modules/identity/throttle.js';
import type { Role } from '../../src/shared/roles.js';
import { buildTestApp, cookieFrom, SESSION_DEFAULTS, uniquePhone } from '../../test/app.js';
import { authzMatrix, isPartnerRule } from '../../test/authz-matrix.js';
import { signInWithPassword } from '../../test/factories/sign-in.js';
import { fillParams } from '../../test/support/authz-walk.js';
import { codeOf, inject, type Suite } from './support.js';

const MIN = 60_000;
const PASSWORD = 'AssureAuth2026';

export const auth: Suite = async () => {
  const t = await buildTestApp(SESSION_DEFAULTS);
  const details: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) details.push(what);
    return ok;
  };
  const person = async (
    role: 'regulator' | 'platform_admin' | 'security_admin' | 'audit_admin' | 'resident',
  ) => {
    const phone = uniquePhone();
    const userId = await t.app.services.identity.createAccount({
      phone,
      password: PASSWORD,
      name: '鉴别测试',
      roles: [{ role }],
    });
    return { phone, userId };
  };
  const login = (phone: string, password = PASSWORD) =>
    inject(t, 'POST', '/api/v1/auth/login/password', undefined, { phone, password });
  const me = (cookie: string) => inject(t, 'GET', '/api/v1/auth/me', cookie);
  const probe: Record<'regulator' | 'platform_admin' | 'security_admin' | 'audit_admin', string> = {
    regulator: '/api/v1/regulator/companies',
    platform_admin: '/api/v1/admin/qr-keys',
    security_admin: '/api/v1/security/accounts',
    audit_admin: '/api/v1/audit/log',
  };

  try {
    // 1. Lockout: N wrong passwords lock the number; the right password is refused while locked.
    const r = await person('resident');
    let lockedAfter = 0;
    for (let i = 1; i <= FAILURE_RULE.maxFailures + 1 && !lockedAfter; i++) {
      const res = await login(r.phone, 'Wrong2026pass');
      if (codeOf(res) === 'ACCOUNT_LOCKED') lockedAfter = i;
    }
    check(lockedAfter === FAILURE_RULE.maxFailures, `lock after ${lockedAfter} failures`);
    check(codeOf(await login(r.phone)) === 'ACCOUNT_LOCKED', 'right password accepted while locked');
    t.clock.advance(FAILURE_RULE.lockMs + MIN);
    check((await login(r.phone)).statusCode === 200, 'lock did not lift');

    // 2. Idle and absolute timeouts, per role class (measured by probing the edges with the fake clock).
    const idleOf = async (role: 'resident' | 'regulator') => {
      const a = await person(role);
      const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
      const lim =
        role === 'resident'
          ? SESSION_DEFAULTS.SESSION_IDLE_MIN
          : SESSION_DEFAULTS.SESSION_IDLE_MIN_PRIVILEGED;
      const idle = Number(lim) * MIN;
      t.clock.advance(idle - MIN);
      const alive = (await me(cookie)).statusCode === 200;
      t.clock.advance(idle + MIN);
      const dead = codeOf(await me(cookie)) === 'SESSION_EXPIRED';
      check(alive && dead, `${role} idle timeout: alive ${alive}, expired ${dead}`);
      return alive && dead ? idle / 1000 : 0;
    };
    const absoluteOf = async (role: 'resident' | 'regulator') => {
      const a = await person(role);
      const cookie = await signInWithPassword(t.app, a.phone, PASSWORD);
      const step = (role === 'resident' ? 100 : 25) * MIN;
      const lim =
        role === 'resident'
          ? SESSION_DEFAULTS.SESSION_ABSOLUTE_MIN
          : SESSION_DEFAULTS.SESSION_ABSOLUTE_MIN_PRIVILEGED;
      const absolute = Number(lim) * MIN;
      let elapsed = 0;
      let alive = true;
      while (elapsed + step < absolute) {
        t.clock.advance(step);
        elapsed += step;
        alive &&= (await me(cookie)).statusCode === 200;
      }
      t.clock.advance(absolute - elapsed + MIN);
      const dead = codeOf(await me(cookie)) === 'SESSION_EXPIRED';
      check(alive && dead, `${role} absolute timeout: active until then ${alive}, expired ${dead}`);
      return alive && dead ? absolute / 1000 : 0;
    };
    const idleS = await idleOf('resident');
    const absS = await absoluteOf('resident');
    const idlePrivS = await idleOf('regulator');
    const absPrivS = await absoluteOf('regulator');

    // 3. MFA per role: pending session refused on the role's routes; confirmed session allowed.
    let mfaRoles = 0;
    let pendingRefusals = 0;
    let privilegedRoutes = 0;
    for (const role of MFA_ROLES as readonly (keyof typeof probe)[]) {
      const a = await person(role);
      const res = await login(a.phone);
      const cookie = cookieFrom(res);
      const pending = (res.json() as { user: { mfaPending: boolean } }).user.mfaPending;
      // Every route only this role (and other MFA roles) may use refuses the pending session with MFA_REQUIRED.
      let refused = 0;
      let routes = 0;
      for (const [key, row] of Object.entries(authzMatrix)) {
        if (row.allow === 'public' || row.allow === 'signed-in' || isPartnerRule(row.allow)) continue;
        const allow = row.allow as readonly Role[];
        if (!allow.includes(role) || !allow.every((x) => MFA_ROLES.includes(x))) continue;
        const [method, url] = key.split(' ') as [string, string];
        routes++;
        const out = await t.app.inject({
          method: method as 'GET',
          url: fillParams(url),
          headers: { cookie },
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        });
        if (out.statusCode === 403 && codeOf(out) === 'MFA_REQUIRED') refused++;
        else details.push(`${role} pending: ${key} → ${out.statusCode} ${codeOf(out) ?? ''}`);
      }
      const sent = t.sms.latest(a.phone);
      const ok = await inject(t, 'POST', '/api/v1/auth/mfa/verify', cookie, { code: sent?.code ?? '' });
      // The step-up rotates the session (ASVS 7.2.4): the new cookie works, the pre-MFA one is signed out.
      const rotated = cookieFrom(ok);
      const allowed = (await inject(t, 'GET', probe[role], rotated)).statusCode === 200;
      const oldDead = (await me(cookie)).statusCode === 401;
      if (
        check(
          pending && refused === routes && routes > 0 && ok.statusCode === 200 && allowed && oldDead,
          `${role}: pending ${pending}, refused ${refused}/${routes}, confirm ${ok.statusCode}, allowed after ${allowed}, old cookie dead ${oldDead}`,
        )
      )
        mfaRoles++;
      pendingRefusals += refused;
      privilegedRoutes += routes;
    }
    // An SMS-code sign-in cannot be both factors of an MFA role.
    const g = await person('regulator');
    await inject(t, 'POST', '/api/v1/auth/otp', undefined, { phone: g.phone, purpose: 'login' });
    const otp = await inject(t, 'POST', '/api/v1/auth/login/otp', undefined, {
      phone: g.phone,
      code: t.sms.latest(g.phone)?.code ?? '',
    });
    check(codeOf(otp) === 'PASSWORD_SIGNIN_REQUIRED', `SMS-only sign-in of a regulator → ${otp.statusCode}`);

    // 4. Sessions dead after logout, disable, password change (other sessions) and password reset.
    let dead = 0;
    const reg = await person('regulator');
    const c1 = await signInWithPassword(t.app, reg.phone, PASSWORD);
    await inject(t, 'POST', '/api/v1/auth/logout', c1, {});
    if (check((await me(c1)).statusCode === 401, 'session alive after logout')) dead++;
    const adm = await person('platform_admin');
    const c2 = await signInWithPassword(t.app, adm.phone, PASSWORD);
    await t.app.services.identity.disableAccount({ actor: null, requestId: 'assure', ip: null }, adm.userId);
    if (check((await me(c2)).statusCode === 401, 'session alive after disable')) dead++;
    const res2 = await person('resident');
    const here = await signInWithPassword(t.app, res2.phone, PASSWORD);
    const other = await signInWithPassword(t.app, res2.phone, PASSWORD);
    const changed = await inject(t, 'POST', '/api/v1/auth/password/change', here, {
      currentPassword: PASSWORD,
      newPassword: 'Changed2026pass',
    });
    if (
      check(
        changed.statusCode === 204 && (await me(other)).statusCode === 401,
        'other session alive after password change',
      )
    )
      dead++;
    const c3 = await signInWithPassword(t.app, reg.phone, PASSWORD);
    t.clock.advance(61_000);
    await inject(t, 'POST', '/api/v1/auth/otp', undefined, { phone: reg.phone, purpose: 'reset_password' });
    await inject(t, 'POST', '/api/v1/auth/password/reset', undefined, {
      phone: reg.phone,
      code: t.sms.latest(reg.phone)?.code ?? '',
      newPassword: 'Renewed2026pass',
    });
    if (check((await me(c3)).statusCode === 401, 'session alive after password reset')) dead++;

    return {
      name: 'auth',
      passed: details.length === 0,
      line: `lockout=${lockedAfter} lock_s=${FAILURE_RULE.lockMs / 1000} idle_s=${idleS} abs_s=${absS} idle_priv_s=${idlePrivS} abs_priv_s=${absPrivS}; MFA roles ${mfaRoles}/${MFA_ROLES.length} (pending sessions refused on ${pendingRefusals}/${privilegedRoutes} privileged routes); SMS-only sign-in of an MFA role refused; sessions dead after logout/disable/pw-change/pw-reset ${dead}/4`,
      figures: {
        lockout: lockedAfter,
        lockSeconds: FAILURE_RULE.lockMs / 1000,
        idleSeconds: idleS,
        absoluteSeconds: absS,
        idlePrivilegedSeconds: idlePrivS,
        absolutePrivilegedSeconds: absPrivS,
        mfaRoles,
        pendingRefusals,
        privilegedRoutes,
        deadSessions: dead,
      },
      details,
    };
  } finally {
    await t.close();
  }
};
