import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestApp } from '../app.js';
import { account, selfWorker } from '../factories/workers.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const PHONE_VIEWPORT = { width: 360, height: 740 };
const FACTORY_PASSWORD = 'Factory2026pass';

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

/** The remote <video> shows a moving picture: it has a size and its clock advances. */
async function remoteVideoPlays(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
    if (!v || v.videoWidth === 0) return false;
    const t0 = v.currentTime;
    await new Promise((r) => setTimeout(r, 500));
    return v.videoWidth > 0 && v.currentTime > t0;
  });
}

describe.skipIf(!chromiumPath)(
  'journey: a resident chats with a worker, then they hold a video interview',
  () => {
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await startServer({ webRoot });
      browser = await launchBrowser([
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
      ]);
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('message round trip with a read receipt, then both join the interview room and see each other', async () => {
      const t = { app: server.app } as unknown as TestApp;
      const resident = await account(t, [{ role: 'resident' }], '陈女士');
      const worker = await selfWorker(t);
      const contexts: BrowserContext[] = [];
      const pageErrors: string[] = [];
      try {
        const newPage = async () => {
          const ctx = await browser.newContext({
            viewport: PHONE_VIEWPORT,
            locale: 'zh-CN',
            timezoneId: 'Asia/Shanghai',
            baseURL: server.url,
            permissions: ['camera', 'microphone'],
          });
          contexts.push(ctx);
          const page = await ctx.newPage();
          page.on('pageerror', (e) => pageErrors.push(e.message));
          return page;
        };
        const r = await newPage();
        const w = await newPage();
        await signIn(r, server, resident.phone, '/resident/messages', FACTORY_PASSWORD);
        await signIn(w, server, worker.phone, '/worker/messages', FACTORY_PASSWORD);

        // The resident opens the conversation from the API the profile button uses, then finds it in the inbox.
        const opened = await r.evaluate(async (workerId) => {
          const res = await fetch('/api/v1/conversations', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ context: 'profile', workerId }),
          });
          return (await res.json()) as { id: string };
        }, worker.workerId);
        await r.reload();
        await r.locator(`[data-conversation="${opened.id}"]`).click();
        await r.waitForURL(`**/resident/messages/${opened.id}`);
        await w.goto(`/worker/messages/${opened.id}`);
        await w.getByTestId('thread').waitFor();

        await r.getByLabel('输入消息…').fill('您好，想约个视频面试');
        await r.getByRole('button', { name: /发\s*送/ }).click();
        await w.getByText('您好，想约个视频面试').waitFor({ timeout: 15_000 });
        await w.getByLabel('输入消息…').fill('好的，明天上午都可以');
        await w.getByRole('button', { name: /发\s*送/ }).click();
        await r.getByText('好的，明天上午都可以').waitFor({ timeout: 15_000 });
        await expect
          .poll(() => w.getByTestId('receipt').textContent(), { timeout: 15_000 })
          .toContain('已读');
        await expectNoHorizontalScroll(r);
        await expectNoHorizontalScroll(w);

        // The interview, scheduled from the conversation (the API the dialog calls), joined from both phones.
        const iv = await r.evaluate(
          async ({ workerId, conversationId }) => {
            const res = await fetch('/api/v1/interviews', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                workerId,
                conversationId,
                scheduledAt: new Date(Date.now() + 10 * 60_000).toISOString(),
                durationMinutes: 30,
              }),
            });
            return (await res.json()) as { id: string };
          },
          { workerId: worker.workerId, conversationId: opened.id },
        );
        await r.getByText('已预约视频面试').waitFor({ timeout: 15_000 });
        await r.goto(`/resident/messages/interviews/${iv.id}`);
        await w.goto(`/worker/messages/interviews/${iv.id}`);
        await r.getByRole('button', { name: '加入面试' }).click();
        await w.getByRole('button', { name: '加入面试' }).click();
        for (const page of [r, w])
          await expect
            .poll(() => page.getByTestId('conn-state').getAttribute('data-state'), { timeout: 30_000 })
            .toBe('connected');
        for (const page of [r, w])
          await expect.poll(() => remoteVideoPlays(page), { timeout: 20_000 }).toBe(true);
        await expectNoHorizontalScroll(r);

        await r.getByRole('button', { name: '静音' }).click();
        await r.getByRole('button', { name: '取消静音' }).waitFor();
        await r.getByRole('button', { name: '挂断' }).click();
        await r.getByPlaceholder('面试记录（仅本方可见）').fill('沟通顺畅，经验丰富');
        await r.getByRole('button', { name: '保存结果' }).click();
        await r.getByRole('link', { name: '去预约该服务人员' }).waitFor();
        expect(pageErrors).toEqual([]);
      } finally {
        for (const c of contexts) await c.close();
      }
    }, 180_000);
  },
);
