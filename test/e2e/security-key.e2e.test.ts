import { describe, expect, inject, it } from 'vitest';
import { uniquePhone } from '../app.js';
import { isDevSink } from '../../src/server/platform/sms/sms.js';
import { axeFindings, signIn, useJourney, writeScreenshot } from './support.js';

// Issue 14, known gap 4: a regulator adds a security key (UKey) on 账号安全 at 360 px and passes the second sign-in
// step with it. The key is Chromium's CDP virtual authenticator (CTAP2 over USB, user verification on).
const chromiumPath = inject('chromiumPath');
const PHONE = { width: 360, height: 740 };
const PASSWORD = 'Ukey2026pass';

describe.skipIf(!chromiumPath)('security key (WebAuthn) as the second factor', () => {
  // WebAuthn needs a host name (localhost), not 127.0.0.1.
  const journey = useJourney({ localhost: true });

  it('a regulator at 360 px adds a key, signs out, and signs in with the key (no SMS)', async () => {
    const { server } = journey;
    const phone = uniquePhone();
    await server.app.services.identity.createAccount({
      phone,
      password: PASSWORD,
      name: '密钥监管',
      roles: [{ role: 'regulator' }],
    });
    const c = await journey.context({
      viewport: PHONE,
      bypassCSP: true, // axe is injected as an inline script
    });
    const page = await c.newPage();
    const cdp = await c.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'usb',
        hasResidentKey: false,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });

    // No key yet: password and SMS code.
    await signIn(page, server, phone, '/account/security', PASSWORD);
    await expect
      .poll(() => page.getByRole('heading', { name: '安全密钥（UKey）' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => page.getByText('尚未绑定安全密钥。').isVisible()).toBe(true);
    await page.getByLabel('密钥名称').fill('办公室 UKey');
    await page.getByRole('button', { name: '添加安全密钥' }).click();
    const keys = page.getByRole('list', { name: '安全密钥（UKey）' }).getByRole('listitem');
    await expect.poll(() => keys.count(), { timeout: 15_000 }).toBe(1);
    expect(await keys.first().textContent()).toContain('办公室 UKey');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    expect((await axeFindings(page)).map((v) => `${v.id}: ${v.targets}`)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await page.getByRole('heading', { name: '安全密钥（UKey）' }).scrollIntoViewIfNeeded();
    writeScreenshot('account-security-key-360.png', await page.screenshot({ fullPage: true }));

    // Sign out, sign in: the second step offers the key, and no SMS is sent.
    await page.getByRole('button', { name: /账号菜单/ }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await expect
      .poll(async () => (await c.request.get('/api/v1/auth/me')).status(), { timeout: 15_000 })
      .toBe(401);
    const smsBefore = isDevSink(server.app.sms) ? server.app.sms.latest(phone) : undefined;
    await page.goto('/login?next=%2Faccount%2Fsecurity');
    await page.getByLabel('手机号').fill(phone);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const useKey = page.getByRole('button', { name: '使用安全密钥' });
    await expect.poll(() => useKey.isVisible(), { timeout: 15_000 }).toBe(true);
    if (isDevSink(server.app.sms)) expect(server.app.sms.latest(phone)).toEqual(smsBefore);
    expect((await axeFindings(page)).map((v) => `${v.id}: ${v.targets}`)).toEqual([]);
    writeScreenshot('login-security-key-360.png', await page.screenshot({ fullPage: true }));
    await useKey.click();
    await page.waitForURL('**/account/security', { timeout: 15_000 });
    const me = await c.request.get('/api/v1/auth/me');
    expect(((await me.json()) as { user: { roles: string[]; mfaPending: boolean } }).user).toMatchObject({
      roles: ['regulator'],
      mfaPending: false,
    });
    // The key was used: the card says when.
    await expect.poll(() => keys.first().textContent(), { timeout: 15_000 }).toMatch(/最近使用/);
    const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]!.signCount).toBeGreaterThan(0);
  }, 180_000);
});
