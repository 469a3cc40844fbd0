import type { APIRequestContext } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { uniquePhone } from '../app.js';
import { SoftSecurityKey } from '../support/webauthn-authenticator.js';
import { stepAt, totpAt } from '../../src/server/modules/identity/totp.js';
import { axeFindings, enrolTotpByApi, signInByApi, useJourney, writeScreenshot } from './support.js';

// Known gap 4 closed: in the security console (账号与角色, desktop) the security admin sees a staff account's security
// keys and removes a lost one with a reason and their own authenticator code; the person's sessions end at once.
const chromiumPath = inject('chromiumPath');
const DESKTOP = { width: 1280, height: 800 };
const PASSWORD = 'Ukey2026console';

describe.skipIf(!chromiumPath)('the security admin removes a lost security key', () => {
  // The key's origin (localhost:port) must be the server's PUBLIC_URL.
  const journey = useJourney({ localhost: true });

  const context = () =>
    journey.context({
      viewport: DESKTOP,
      bypassCSP: true, // axe is injected as an inline script
    });

  /** Registers a software key (P-256, test/support) on a signed-in session, as the browser would. */
  async function addKey(request: APIRequestContext, label: string) {
    const key = new SoftSecurityKey({ origin: journey.origin, rpId: 'localhost' });
    const opts = await request.post('/api/v1/auth/webauthn/register/options');
    expect(opts.status()).toBe(200);
    const res = await request.post('/api/v1/auth/webauthn/register/verify', {
      data: { label, response: key.register((await opts.json()) as { challenge: string }) },
    });
    expect(res.status()).toBe(201);
  }

  it('sees the keys in the account list, and 移除 takes the reason and the admin’s own code', async () => {
    const { server } = journey;
    const adminPhone = uniquePhone();
    const targetPhone = uniquePhone();
    await server.app.services.identity.createAccount({
      phone: adminPhone,
      password: PASSWORD,
      name: '密钥管理员',
      roles: [{ role: 'security_admin' }],
    });
    await server.app.services.identity.createAccount({
      phone: targetPhone,
      password: PASSWORD,
      name: '丢钥监管',
      roles: [{ role: 'regulator' }],
    });
    const target = await context();
    expect(await signInByApi(target.request, server, targetPhone, PASSWORD)).toBe(200);
    await addKey(target.request, '办公室 UKey');
    await addKey(target.request, '备用 UKey');

    const sec = await context();
    expect(await signInByApi(sec.request, server, adminPhone, PASSWORD)).toBe(200);
    const { key: own, at: enrolledAt } = await enrolTotpByApi(sec.request);

    const page = await sec.newPage();
    await page.goto('/security/accounts');
    await page.getByLabel('按手机号查找账号').fill(targetPhone);
    await page.getByRole('button', { name: '查找' }).click();
    const row = page.getByRole('row', { name: /丢钥监管/ });
    const keys = row.getByRole('list', { name: '安全密钥' });
    await expect.poll(() => keys.getByText('办公室 UKey').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await keys.getByText('备用 UKey').isVisible()).toBe(true);
    expect(await keys.getByText(/尚未使用/).count()).toBe(2);
    await page.getByRole('columnheader', { name: '安全密钥' }).scrollIntoViewIfNeeded();
    expect((await axeFindings(page)).map((v) => `${v.id}: ${v.targets}`)).toEqual([]);

    await row.getByRole('button', { name: '移除安全密钥“办公室 UKey”' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByText(/密钥立即作废/).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await dialog.getByText('移除 丢钥监管 的安全密钥“办公室 UKey”').isVisible()).toBe(true);
    await dialog.getByLabel('原因').fill('本人来电挂失，已回拨核实');
    // A wrong code of the admin's own: refused and shown, the key stays.
    const wrong = totpAt(own, enrolledAt) === '000000' ? '111111' : '000000';
    await dialog.getByLabel('您本人的动态口令').fill(wrong);
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => dialog.getByText(/动态口令错误/).isVisible(), { timeout: 15_000 }).toBe(true);
    expect((await axeFindings(page)).map((v) => `${v.id}: ${v.targets}`)).toEqual([]);
    writeScreenshot('security-key-remove.png', await page.screenshot());
    expect((await target.request.get('/api/v1/auth/me')).status()).toBe(200);

    // A code is good once: the admin's confirmation spent the current step.
    while (stepAt(new Date()) <= stepAt(enrolledAt)) await page.waitForTimeout(500);
    await dialog.getByLabel('您本人的动态口令').fill(totpAt(own, new Date()));
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => keys.getByText('办公室 UKey').count(), { timeout: 15_000 }).toBe(0);
    expect(await keys.getByText('备用 UKey').isVisible()).toBe(true);
    // With one key left there is no 全部移除; the person's sessions ended at once.
    expect(await row.getByRole('button', { name: '全部移除' }).count()).toBe(0);
    expect((await target.request.get('/api/v1/auth/me')).status()).toBe(401);
    writeScreenshot('security-key-removed.png', await page.screenshot());
  }, 180_000);
});
