import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, inArray } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { trainingAttempt, trainingQuestion } from '../../src/server/modules/training/training.tables.js';
import { DEMO_PASSWORD, DEMO_SEED, seedSteps, TRAINING_DEMO_WORKER } from '../../src/server/seed/demo.js';
import { createRandom } from '../../src/server/seed/random.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const resultsDir = join(repo, 'test-results');
const screenshotsDir = join(repo, 'docs/screenshots');
const PHONE_VIEWPORT = { width: 360, height: 740 };

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${new URL(page.url()).pathname} is ${scrollWidth}px wide`).toBeLessThanOrEqual(
    innerWidth,
  );
}

describe.skipIf(!chromiumPath)(
  'journey: the demo worker studies the 岗前培训, passes the 岗前考试 and sees the training check turn green',
  () => {
    let server: RunningServer;
    let browser: Browser;
    const shots = new Map<string, Buffer>();
    let failed = false;

    beforeAll(async () => {
      server = await startServer({ webRoot });
      // The demo city's organizations, accounts and training (with 何美玲, whose only missing check is training).
      const ctx = { app: server.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} };
      for (const step of seedSteps.filter((s) => ['organizations', 'accounts', 'training'].includes(s.name)))
        await step.run(ctx);
      browser = await launchBrowser();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (failed || shots.size < 3) return;
      mkdirSync(screenshotsDir, { recursive: true });
      for (const [file, png] of shots) writeFileSync(join(screenshotsDir, file), png);
    });

    it('lessons → exam with a server countdown → pass → training check green on the card page', async () => {
      failed = false;
      shots.clear();
      const contexts: BrowserContext[] = [];
      const pageErrors: string[] = [];
      try {
        const context = await browser.newContext({
          viewport: PHONE_VIEWPORT,
          locale: 'zh-CN',
          timezoneId: 'Asia/Shanghai',
          baseURL: server.url,
        });
        contexts.push(context);
        const page = await context.newPage();
        page.on('pageerror', (e) => pageErrors.push(e.message));

        await page.goto('/login?next=/worker/card');
        await page.getByLabel('手机号').fill(TRAINING_DEMO_WORKER.phone);
        await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
        await page.getByRole('button', { name: '登录', exact: true }).click();
        await page.waitForURL('**/worker/card');

        // Before: every check but training passes.
        const checklist = page.locator('ul.cert-checklist');
        await checklist.locator('li').first().waitFor();
        await expect.poll(() => checklist.locator('li.check-no').count()).toBe(1);
        await checklist.locator('li.check-no').filter({ hasText: '岗前培训考核' }).waitFor();

        // The training page: the 岗前考试 and the 岗前培训 course.
        await page.goto('/worker/training');
        await page.getByRole('heading', { level: 1, name: '培训考试' }).waitFor();
        await page.getByText('家政服务员岗前考试').waitFor();
        await expectNoHorizontalScroll(page);
        shots.set('training-worker-360.png', await page.screenshot({ fullPage: true }));

        // Study the three lessons of the pre-job course.
        await page.getByRole('link', { name: '家政服务员岗前培训' }).click();
        await page.getByRole('heading', { level: 1, name: '家政服务员岗前培训' }).waitFor();
        // (A retried run finds lessons already done: click only what is left.)
        const doneButtons = page.getByRole('button', { name: '学完本课' });
        await page.getByText('第三课 居家安全与急救').waitFor();
        while ((await doneButtons.count()) > 0) {
          const left = await doneButtons.count();
          await doneButtons.first().click();
          await expect.poll(() => doneButtons.count()).toBe(left - 1);
        }
        await expect.poll(() => page.getByText('已学完').count()).toBe(3);
        await page.getByText('2/2 学时').waitFor();
        await page.getByRole('link', { name: '← 返回培训考试' }).click();

        // Take the exam: the paper arrives without answers; the countdown runs from the server's deadline.
        const examCard = page.locator('.training-card').filter({ hasText: '家政服务员岗前考试' });
        const resume = examCard.getByRole('button', { name: '继续答题' });
        if (await resume.count()) await resume.click();
        else await examCard.getByRole('button', { name: '开始考试' }).click();
        await page.waitForURL('**/worker/training/attempt/*');
        const attemptId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
        const paper = (await (
          await page.request.get(`/api/v1/workers/me/training/attempts/${attemptId}`)
        ).json()) as {
          id: string;
          startedAt: string;
          deadline: string;
          serverNow: string;
          questions: { id: string; correct: unknown; explanation: unknown }[];
        };
        expect(paper.questions).toHaveLength(10);
        expect(paper.questions.every((q) => q.correct === null && q.explanation === null)).toBe(true);
        expect(new Date(paper.deadline).getTime() - new Date(paper.startedAt).getTime()).toBe(30 * 60_000);
        expect(new Date(paper.serverNow).getTime()).toBeLessThan(new Date(paper.deadline).getTime());
        const countdown = page.getByTestId('countdown');
        await expect.poll(async () => (await countdown.textContent()) ?? '').toMatch(/^(29|30):\d\d$/);

        // The key, read from the database as a grader would (the browser never had it).
        const db = server.app.database.db;
        const [attempt] = await db.select().from(trainingAttempt).where(eq(trainingAttempt.id, paper.id));
        const questions = await db
          .select()
          .from(trainingQuestion)
          .where(inArray(trainingQuestion.id, attempt!.questionIds));
        const byId = new Map(questions.map((q) => [q.id, q]));
        const items = page.locator('li.exam-question');
        await expect.poll(() => items.count()).toBe(10);
        for (const [i, qid] of attempt!.questionIds.entries()) {
          const q = byId.get(qid)!;
          const item = items.nth(i);
          for (const idx of q.answer) {
            const label = q.type === 'true_false' ? q.options[idx]! : `${'ABCDEF'[idx]}. ${q.options[idx]}`;
            await item.getByText(label, { exact: true }).click();
          }
        }
        await page.getByText('已答 10/10 题').waitFor();
        // Answers are saved as they are picked; wait until the last one has reached the server.
        await page.waitForLoadState('networkidle');
        shots.set('training-exam-360.png', await page.screenshot());
        await expectNoHorizontalScroll(page);
        await page.getByRole('button', { name: '交卷' }).click();

        // Result with the per-topic breakdown.
        await page.getByText('考试通过：100 分').waitFor();
        await page.getByRole('heading', { name: '分知识点得分' }).waitFor();
        shots.set('training-result-360.png', await page.screenshot({ fullPage: true }));
        await expectNoHorizontalScroll(page);

        // The card page: the training check is green now.
        await page.getByRole('link', { name: '查看我的安心服务证 →' }).click();
        await page.waitForURL('**/worker/card');
        await checklist.locator('li').first().waitFor();
        await expect.poll(() => checklist.locator('li.check-no').count()).toBe(0);
        await checklist.locator('li.check-ok').filter({ hasText: '岗前培训考核' }).waitFor();
        shots.set('training-card-green-360.png', await page.screenshot({ fullPage: true }));

        // The training certificate is listed with its number.
        await page.goto('/worker/training');
        await page
          .getByText(/PX-\d{4}-\d{6}-[0-9A-Z]/)
          .first()
          .waitFor();

        expect(pageErrors, 'uncaught errors in the pages').toEqual([]);
      } catch (e) {
        failed = true;
        mkdirSync(resultsDir, { recursive: true });
        for (const [i, context] of contexts.entries())
          for (const p of context.pages())
            await p
              .screenshot({ path: join(resultsDir, `training-${i}-${Date.now()}.png`), fullPage: true })
              .catch(() => undefined);
        throw e;
      } finally {
        for (const context of contexts) await context.close();
      }
    }, 180_000);
  },
);
