import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeIdCard } from '../../src/shared/validators/index.js';
import { CONSENT_VERSION } from '../../src/server/modules/workers/index.js';
import { DEMO_PASSWORD, DEMO_SEED, demoAccounts, seedSteps } from '../../src/server/seed/demo.js';
import { createRandom } from '../../src/server/seed/random.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const resultsDir = join(repo, 'test-results');
const PHONE_VIEWPORT = { width: 360, height: 740 };
const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
const SEEKER = { phone: '13900003101', name: '罗春燕' };
const TITLE = '天河区住家育婴员（测试岗位）';

const phoneOf = (key: string) => demoAccounts.find((a) => a.key === key)!.phone;

async function pick(page: Page, label: string, option: string) {
  const item = page.locator('.ant-form-item').filter({ hasText: label });
  await item.locator('.ant-select-selector').first().click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

describe.skipIf(!chromiumPath)(
  'journey: a company posts a job, a worker applies, they interview, the worker is hired and is on the staff list',
  () => {
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await startServer({ webRoot });
      const ctx = { app: server.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} };
      const steps = ['organizations', 'accounts', 'workers', 'certificates'];
      for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
      // A job seeker with an account and a worker record, employed nowhere.
      const { identity, workers } = server.app.services;
      const userId = await identity.createAccount({
        phone: SEEKER.phone,
        password: DEMO_PASSWORD,
        name: SEEKER.name,
        roles: [{ role: 'worker' }],
      });
      await workers.registerSelf(
        {
          actor: {
            userId,
            sessionId: 'setup',
            name: SEEKER.name,
            phoneMasked: '',
            roles: ['worker'],
            memberships: [],
            regulatorDistrict: null,
          },
          requestId: 'setup',
          ip: null,
        },
        {
          name: SEEKER.name,
          idNumber: makeIdCard('520502', '1986-04-12', 602),
          district: '440106',
          categories: ['infant_care', 'cleaning'],
          skillLevel: 'level4',
          yearsExperience: 4,
          languages: ['普通话'],
          intro: '毕节订单班学员，细心负责',
          consent: { version: CONSENT_VERSION, accepted: true },
        },
      );
      browser = await launchBrowser();
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('runs end to end', async () => {
      const company = await browser.newContext({
        baseURL: server.url,
        viewport: DESKTOP_VIEWPORT,
        locale: 'zh-CN',
      });
      const worker = await browser.newContext({
        baseURL: server.url,
        viewport: PHONE_VIEWPORT,
        locale: 'zh-CN',
      });
      const c = await company.newPage();
      const w = await worker.newPage();
      try {
        // 1. The company publishes a post.
        await signIn(c, server, phoneOf('companyAdmin'), '/company/recruiting');
        await c.getByRole('tab', { name: '发布岗位' }).click();
        await c.getByLabel('岗位名称').fill(TITLE);
        await pick(c, '服务类别', '婴幼儿照护');
        await c.getByLabel('工作地点').fill('天河区珠江新城');
        await c.getByLabel('薪资下限（元）').fill('6000');
        await c.getByLabel('薪资上限（元）').fill('8000');
        await c.getByLabel('岗位描述').fill('照顾 1 岁宝宝，协助做饭和家务，包吃住。');
        await c.getByRole('button', { name: '发布', exact: true }).click();
        await c.getByText('岗位已发布').waitFor();

        // 2. The worker finds it on the phone and applies.
        await signIn(w, server, SEEKER.phone, '/worker/jobs');
        await w.getByRole('link', { name: TITLE }).first().click();
        await w.getByRole('button', { name: '投递申请' }).click();
        await w.getByRole('link', { name: '查看我的申请' }).waitFor();
        const width = await w.evaluate(() => document.documentElement.scrollWidth);
        expect(width).toBeLessThanOrEqual(PHONE_VIEWPORT.width);

        // 3. The company shortlists, schedules a video interview and makes an offer.
        await c.getByRole('tab', { name: '筛选看板' }).click();
        await c.reload();
        await c.getByRole('link', { name: SEEKER.name }).click();
        await c.getByRole('button', { name: '入围' }).click();
        await c.getByText('已入围').first().waitFor();
        await c.getByRole('button', { name: '安排视频面试' }).click();
        await c.getByRole('link', { name: '进入视频面试' }).waitFor();
        await c.getByText('面试中').first().waitFor();
        await c.getByRole('button', { name: '发录用通知' }).click();
        await c.getByText('已发录用').first().waitFor();

        // 4. The worker sees the interview and the offer, and accepts.
        await w.goto('/worker/jobs');
        await w.getByRole('tab', { name: '我的申请' }).click();
        await w.getByRole('link', { name: TITLE }).click();
        await w.getByRole('link', { name: '进入视频面试' }).waitFor();
        await w.getByRole('button', { name: '接受录用' }).click();
        await w.getByText('已入职', { exact: true }).waitFor();

        // 5. The worker is on the company's staff list.
        await c.goto('/company/workers');
        await c.getByText(SEEKER.name).first().waitFor();
      } catch (e) {
        await c.screenshot({ path: join(resultsDir, 'recruitment-company.png') }).catch(() => undefined);
        await w.screenshot({ path: join(resultsDir, 'recruitment-worker.png') }).catch(() => undefined);
        throw e;
      } finally {
        await company.close();
        await worker.close();
      }
    }, 300_000);
  },
);
