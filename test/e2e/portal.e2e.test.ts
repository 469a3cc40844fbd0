import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedContent } from '../../src/server/modules/content/index.js';
import type { TestApp } from '../app.js';
import { account, certifiedWorker } from '../factories/workers.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn, axeFindings } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const screenshotsDir = join(repo, 'docs/screenshots');
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

/** Serious and critical axe findings (support.ts runs axe as the accessibility journey does). */
async function axe(page: Page): Promise<string[]> {
  return (await axeFindings(page)).map((v) => `${v.id}: ${v.targets}`);
}

/**
 * Journey: the public front door. The regulator's demo content (news, a policy with a Chinese PDF, notices) is
 * written and published through the real service; a visitor on a phone and on a desktop opens the portal, reads a
 * news article and the policy, downloads its attachment, searches, and checks a certificate from the home page.
 */
describe.skipIf(!chromiumPath)(
  'journey: the public portal, news and policies, search and verification',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let certNo: string;
    let regulatorPhone: string;
    const shots = new Map<string, Buffer>();

    beforeAll(async () => {
      server = await startServer({ webRoot });
      const t = {
        app: server.app,
        database: server.app.database,
        clock: { now: new Date(), advance() {} },
      } as unknown as TestApp;
      const regulator = await account(t, [{ role: 'regulator' }], '林处长');
      regulatorPhone = regulator.phone;
      await seedContent({ content: server.app.services.content, regulatorUserId: regulator.userId });
      // An article whose body tried to run script: the sanitizer must have left nothing that can.
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/content/items',
        headers: { cookie: regulator.cookie },
        payload: {
          category: 'news',
          slug: 'xss-attempt',
          title: '家政服务安全提示（测试）',
          bodyHtml:
            '<p>请核对安心码。<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">链接</a></p>',
          authorOrg: '广州市商务局',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      await server.app.inject({
        method: 'POST',
        url: `/api/v1/content/items/${res.json().id}/transitions`,
        headers: { cookie: regulator.cookie },
        payload: { action: 'publish' },
      });
      const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie });
      certNo = (await server.app.services.certification.workerStatus(w.workerId)).certificate!.number;
      browser = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      mkdirSync(screenshotsDir, { recursive: true });
      for (const [file, png] of shots) writeFileSync(join(screenshotsDir, file), png);
      await browser?.close();
      await server?.close();
    });

    async function open(viewport: typeof PHONE) {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        // axe-core is injected inline, as in the accessibility suite; inline scripts in an article would now run too.
        bypassCSP: true,
      });
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      return { page, dialogs, close: () => context.close() };
    }
    const noSideScroll = (page: Page) =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    it('on a 360 px phone: home, a news article, the policy with its PDF, search and verification', async () => {
      const { page, dialogs, close } = await open(PHONE);
      await page.goto('/');
      const latest = page.getByTestId('latest-news');
      await latest.waitFor();
      await expect.poll(() => latest.locator('li').count()).toBeGreaterThanOrEqual(6);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('安心家政');
      expect(await page.getByTestId('hotline').getAttribute('href')).toBe('tel:12345');
      expect(await noSideScroll(page)).toBe(true);
      await page.waitForLoadState('networkidle');
      expect(await axe(page)).toEqual([]);
      shots.set('portal-1-home-360.png', await page.screenshot({ fullPage: true }));

      // A news article, reached from the news centre's 新闻动态 tab.
      await page.goto('/news?category=news');
      await page.getByTestId('news-list').waitFor();
      await page.getByRole('link', { name: '我市安心服务证持证人数突破 10 万（示例）' }).click();
      await page.getByTestId('article-body').waitFor();
      expect(await page.getByTestId('article-body').textContent()).toContain('安心服务证超过 10 万张');
      expect(await noSideScroll(page)).toBe(true);
      expect(await axe(page)).toEqual([]);
      shots.set('portal-2-news-article-360.png', await page.screenshot({ fullPage: true }));

      // The policy with its attachment, from the home page's 政策法规 entry.
      await page.goto('/');
      await page
        .getByRole('link', { name: /政策法规/ })
        .first()
        .click();
      await page.getByRole('link', { name: '广州市家政服务提质扩容若干措施（示例）' }).click();
      const files = page.getByTestId('article-attachments');
      await files.waitFor();
      const pdfLink = files.getByRole('link', { name: /\.pdf/ });
      expect(await pdfLink.textContent()).toContain('广州市家政服务提质扩容若干措施（示例）.pdf');
      const href = (await pdfLink.getAttribute('href'))!;
      const download = await page.request.get(href);
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toBe('application/pdf');
      expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');
      expect(await noSideScroll(page)).toBe(true);
      shots.set('portal-3-policy-attachment-360.png', await page.screenshot({ fullPage: true }));

      // The search box: content titles, and the way on to workers and companies.
      await page.goto('/');
      await page.locator('#portal-q').fill('月嫂');
      await page.getByRole('button', { name: '搜索' }).click();
      await page.waitForURL(/\/news\?q=/);
      const results = page.getByTestId('news-list');
      await results.waitFor();
      expect(await results.textContent()).toContain('母婴护理（月嫂）服务规范要点（示例）');
      await page.getByTestId('find-hint').waitFor();
      expect(await noSideScroll(page)).toBe(true);
      expect(await axe(page)).toEqual([]);
      shots.set('portal-4-search-360.png', await page.screenshot({ fullPage: true }));
      await page.locator('#news-q').fill('没有这种内容xyz');
      await page.getByRole('button', { name: '搜索' }).click();
      await page.getByTestId('news-empty').waitFor();

      // The verification entry: a certificate number typed on the home page.
      await page.goto('/');
      await page.locator('#verify_certNo').fill(certNo);
      await page.getByRole('button', { name: '查证' }).click();
      await page.waitForURL(/\/verify\?number=/);
      await page.getByRole('status').first().waitFor();
      expect(await page.locator('main').textContent()).toContain(certNo);
      shots.set('portal-5-verify-360.png', await page.screenshot({ fullPage: true }));

      // The sanitized article: nothing runs.
      await page.goto('/news/xss-attempt');
      await page.getByTestId('article-body').waitFor();
      expect(await page.getByTestId('article-body').innerHTML()).not.toMatch(/onerror|script|javascript:/i);
      await page.waitForTimeout(300);
      expect(dialogs).toEqual([]);

      // An unpublished or unknown slug is a plain "not found", not an error page.
      await page.goto('/news/training-class-registration-draft');
      await page.getByRole('heading', { name: '内容不存在或已撤下' }).waitFor();
      await close();
    }, 180_000);

    it('on a desktop: the home page and the policy page', async () => {
      const { page, close } = await open(DESKTOP);
      await page.goto('/');
      await page.getByTestId('latest-news').waitFor();
      // Blocks fed by other modules (statistics, 5A list, guide prices) show when their data exists, else hide.
      await page.waitForLoadState('networkidle');
      shots.set('portal-6-home-desktop.png', await page.screenshot({ fullPage: true }));
      await page.goto('/news/gz-domestic-service-quality-measures');
      await page.getByTestId('article-attachments').waitFor();
      shots.set('portal-7-policy-desktop.png', await page.screenshot({ fullPage: true }));
      await close();
    }, 120_000);

    it('the regulator writes, attaches a file and publishes in the editor; the public reads it', async () => {
      const { page, close } = await open(DESKTOP);
      await signIn(page, server, regulatorPhone, '/regulator/content', 'Factory2026pass');
      await page.getByTestId('content-row').first().waitFor();
      await page.getByRole('button', { name: '新建' }).click();
      await page.locator('#content_title').fill('关于家政服务员技能提升补贴的通知');
      await page.locator('#content_slug').fill('skills-subsidy-notice');
      await page.getByTestId('content-body').click();
      await page.keyboard.type('符合条件的家政服务员可申请技能提升补贴。');
      await page.getByRole('button', { name: '保存草稿' }).click();
      const publish = page.getByTestId('content-publish');
      await publish.waitFor();
      const policy = await (
        await page.request.get('/api/v1/public/content/gz-domestic-service-quality-measures')
      ).json();
      const pdf = await (await page.request.get(policy.attachments[0].url)).body();
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: '补贴申请表.pdf', mimeType: 'application/pdf', buffer: pdf });
      await page.getByRole('link', { name: /补贴申请表\.pdf/ }).waitFor();
      expect(await axe(page)).toEqual([]);
      await publish.click();
      await page.getByTestId('content-unpublish').waitFor();
      shots.set('portal-8-editor-desktop.png', await page.screenshot({ fullPage: true }));

      await page.goto('/news/skills-subsidy-notice');
      await page.getByTestId('article-body').waitFor();
      expect(await page.getByTestId('article-body').textContent()).toContain('技能提升补贴');
      expect(await page.getByTestId('article-attachments').textContent()).toContain('补贴申请表.pdf');

      // A notice with an event date, scheduled for the day after tomorrow: not public until then (the job that
      // publishes it at its time is tested with the test clock in content.schedule.db.test.ts); 立即发布 works too.
      const day = (n: number) =>
        new Date(Date.now() + n * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
      await page.goto('/regulator/content');
      await page.getByTestId('content-row').first().waitFor();
      await page.getByRole('button', { name: '新建' }).click();
      await page.locator('#content_title').fill('家政服务专场招聘会通知');
      await page.locator('#content_slug').fill('job-fair-notice');
      const okButton = page.locator(
        '.ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-ok button',
      );
      await page.locator('#content_eventAt').click();
      await page.locator('#content_eventAt').fill(`${day(5)} 09:30`);
      await okButton.click();
      await page.getByTestId('content-body').click();
      await page.keyboard.type('专场招聘会将在天河区举行，欢迎家政服务员参加。');
      await page.getByRole('button', { name: '保存草稿' }).click();
      const at = page.getByPlaceholder('发布时间');
      await at.click();
      await at.fill(`${day(2)} 10:00`);
      await okButton.click();
      await page.getByTestId('content-schedule').click();
      await page.getByTestId('content-unschedule').waitFor();
      expect(await page.getByTestId('content-scheduled-at').textContent()).toContain('10:00');
      expect(await axe(page)).toEqual([]);
      shots.set('portal-9-editor-scheduled-desktop.png', await page.screenshot({ fullPage: true }));
      expect((await page.request.get('/api/v1/public/content/job-fair-notice')).status()).toBe(404);
      await page.getByTestId('content-publish').click();
      await page.getByTestId('content-unpublish').waitFor();
      await page.goto('/news/job-fair-notice');
      await page.getByTestId('article-event').waitFor();
      expect(await page.getByTestId('article-event').textContent()).toContain('09:30');
      await close();
    }, 180_000);
  },
);
