import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_SANDBOX_KEY } from '../../src/server/modules/partners/index.js';
import { DEMO_SEED, demoAccounts, seedSteps } from '../../src/server/seed/demo.js';
import { createRandom } from '../../src/server/seed/random.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const phoneOf = (key: string) => demoAccounts.find((a) => a.key === key)!.phone;

describe.skipIf(!chromiumPath)(
  'journey: an admin registers a partner platform and sees its key once; the worker revokes and re-grants the sandbox',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let workerUserId = '';
    // A retry runs on the same server: its new client needs a name of its own (the first attempt's may exist).
    let attempt = 0;

    beforeAll(async () => {
      server = await startServer({ webRoot });
      const ctx = { app: server.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} };
      const steps = ['organizations', 'accounts', 'workers', 'partners'];
      for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
      workerUserId = (ctx.accounts as Record<string, string>).worker!;
      browser = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('admin: new client → key shown once → detail with keys; worker at 360 px: revoke, re-grant; the key reads the record only while granted', async () => {
      attempt += 1;
      const clientName = attempt === 1 ? '深圳市家政服务平台' : `深圳市家政服务平台（第${attempt}次）`;
      const admin = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'zh-CN',
        baseURL: server.url,
      });
      const page = await admin.newPage();
      await signIn(page, server, phoneOf('admin'), '/admin/partners');
      await expect
        .poll(() => page.getByText('广州市家政服务综合平台（沙箱）').count(), { timeout: 20_000 })
        .toBeGreaterThan(0);
      await page.getByRole('button', { name: '新建接入方' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('接入方名称').fill(clientName);
      await dialog.getByLabel('所属单位').fill('深圳市商务局');
      await dialog.getByLabel('联系人').fill('罗国梁');
      await dialog.getByLabel('联系电话').fill('13926000099');
      await dialog.getByRole('button', { name: '创建并生成密钥' }).click();
      const secret = page.locator('.partners-secret');
      await expect.poll(() => secret.textContent(), { timeout: 20_000 }).toMatch(/^ak_[A-Za-z0-9_-]{43}/);
      await page.getByRole('button', { name: /确\s*定|OK/ }).click();
      // The key's dialog must have closed before the list takes a click.
      await secret.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: clientName, exact: true }).click();
      await expect.poll(() => page.getByText('API 密钥').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect
        .poll(() => page.getByText('有效', { exact: true }).count(), { timeout: 20_000 })
        .toBeGreaterThan(0);
      await admin.close();

      const worker = await browser.newContext({
        viewport: { width: 360, height: 740 },
        locale: 'zh-CN',
        baseURL: server.url,
      });
      const wp = await worker.newPage();
      await signIn(wp, server, phoneOf('worker'), '/worker/partner-access');
      await expect.poll(() => wp.getByText('生效中').count(), { timeout: 20_000 }).toBe(1);
      const workerId = await server.app.services.workers.findWorkerIdByUser(workerUserId);
      const read = () =>
        fetch(`${server.url}/api/partner/v1/workers/${workerId}/record`, {
          headers: { authorization: `Bearer ${DEV_SANDBOX_KEY}` },
        }).then((r) => r.status);
      expect(await read()).toBe(200);
      await wp.getByRole('button', { name: '撤销授权' }).click();
      await expect.poll(() => wp.getByText('已撤销').count(), { timeout: 20_000 }).toBe(1);
      expect(await read()).toBe(403);
      const width = await wp.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(360);
      await worker.close();
    }, 180_000);
  },
);
