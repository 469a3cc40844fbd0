import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoAccounts, ORDERS_DEMO_RESIDENTS, seedDemoCityIfEmpty } from '../../src/server/seed/demo.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signInByApi } from './support.js';

// A resident and a worker walk their journeys at 360 px, as a person with a phone would (the H4 walk): what a thumb
// has to hit is at least 40 px tall, text in lists and card titles is not squeezed or clipped, an unread count does
// not cover the name it counts for. The accessibility journey checks each section's first screen; this one goes
// into the drawers, forms and detail pages behind them.
const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const PHONE = { width: 360, height: 740 };
const MIN_TAP = 40;
// A detail page's back link, whatever its wording (返回, 返回搜索, ← 返回培训考试).
const BACK = 'main a:has-text("返回")';

/** The visible elements matching `selector` shorter than a 40 px tap target, as "text (height px)". */
async function smallTargets(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll(
    (els, min) =>
      els
        .filter((el) => (el as HTMLElement).checkVisibility() && el.getBoundingClientRect().height > 0)
        .filter((el) => el.getBoundingClientRect().height < min - 0.5)
        .map(
          (el) =>
            `${(el.textContent || el.getAttribute('aria-label') || el.className).toString().trim().slice(0, 16)} (${Math.round(el.getBoundingClientRect().height)} px)`,
        ),
    MIN_TAP,
  );
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page
    .locator('.ant-spin-spinning, .page-loader')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(wide, `${new URL(page.url()).pathname} is ${wide}px wide`).toBeLessThanOrEqual(PHONE.width);
}

describe.skipIf(!chromiumPath)('the resident and worker journeys at 360 px', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function signedIn(account: string | { phone: string }): Promise<Page> {
    const context = await browser.newContext({
      viewport: PHONE,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: server.url,
      hasTouch: true,
    });
    contexts.push(context);
    const phone =
      typeof account === 'string' ? demoAccounts.find((a) => a.key === account)!.phone : account.phone;
    expect(await signInByApi(context.request, server, phone)).toBe(200);
    return context.newPage();
  }

  beforeAll(async () => {
    server = await startServer({ webRoot });
    await seedDemoCityIfEmpty(server.app);
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('resident: inbox, conversation, find filters, profile, booking, orders and complaints fit a thumb', async () => {
    const page = await signedIn('resident');

    // The inbox: a list inside a card used to keep 286 of 360 px (24 px card + 24 px list padding a side), and
    // the unread badge, wrapped around the name, sat on its last characters.
    await page.goto('/resident/messages');
    await page.locator('.messaging-inbox-item').first().waitFor();
    await settle(page);
    const inbox = await page
      .locator('.messaging-inbox-item')
      .first()
      .evaluate((li) => {
        const name = li.querySelector('strong')!.getBoundingClientRect();
        const badge = li.querySelector('.ant-badge-count')?.getBoundingClientRect();
        const overlaps =
          !!badge &&
          badge.left < name.right &&
          badge.right > name.left &&
          badge.top < name.bottom &&
          badge.bottom > name.top;
        return {
          width: li.querySelector('.messaging-inbox-link')!.getBoundingClientRect().width,
          overlaps,
          badge: !!badge,
        };
      });
    expect.soft(inbox.width, 'inbox row text width').toBeGreaterThanOrEqual(300);
    expect(inbox.badge, 'the demo conversation has unread messages').toBe(true);
    expect.soft(inbox.overlaps, 'unread badge covers the name').toBe(false);
    await noSidewaysScroll(page);

    // The conversation: the card title (name · company) was clipped by the search and interview buttons.
    await page.locator('.messaging-inbox-link').first().click();
    const title = page.getByTestId('conversation-title');
    await expect.poll(() => title.textContent()).not.toBe('');
    const clipped = await title.evaluate((el) => {
      const head = el.closest('.ant-card-head-title') as HTMLElement;
      const card = el.closest('.ant-card')!.getBoundingClientRect();
      return head.scrollWidth > head.clientWidth + 1 || el.getBoundingClientRect().right > card.right;
    });
    expect.soft(clipped, 'conversation title clipped').toBe(false);
    expect.soft(await smallTargets(page, BACK)).toEqual([]);
    await noSidewaysScroll(page);

    // Find: the list/map and worker/company switches and the filter drawer's checkboxes and close button.
    await page.goto('/resident/find');
    await page.locator('.find-card').first().waitFor();
    expect.soft(await smallTargets(page, 'main .ant-segmented-item')).toEqual([]);
    await page.getByRole('button', { name: /筛\s*选/ }).click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.waitFor();
    expect.soft(await smallTargets(page, '.ant-drawer .ant-checkbox-wrapper, .ant-drawer-close')).toEqual([]);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // A bookable worker's profile, then the booking form (its weekday checkboxes were 22 px tall).
    await page.locator('.find-card:has(.find-price)').first().click();
    await page.locator('a[href*="/resident/orders/new"]').first().waitFor();
    expect.soft(await smallTargets(page, BACK)).toEqual([]);
    await noSidewaysScroll(page);
    await page.locator('a[href*="/resident/orders/new"]').first().click();
    await page.getByText('服务时间与地址').waitFor();
    await settle(page);
    expect.soft(await smallTargets(page, `${BACK}, main .ant-checkbox-wrapper`)).toEqual([]);
    await noSidewaysScroll(page);

    // My orders and my complaints: the status filters were 28 px tall.
    await page.goto('/resident/orders');
    await page.getByTestId('order-item').first().waitFor();
    expect.soft(await smallTargets(page, 'main .ant-segmented-item')).toEqual([]);
    await page.getByTestId('order-item').first().click();
    await page.getByText('订单进度').waitFor();
    expect.soft(await smallTargets(page, BACK)).toEqual([]);
    await noSidewaysScroll(page);
    // 扫码查验: the pasted-link field of an inline form ran 16 px past its card; a wrong link is refused.
    await page.goto('/resident/verify');
    const link = page.getByLabel('扫描得到的链接');
    await link.waitFor();
    const overrun = await link.evaluate(
      (el) =>
        (el.closest('.ant-input-affix-wrapper') ?? el).getBoundingClientRect().right -
        el.closest('.ant-card')!.getBoundingClientRect().right,
    );
    expect.soft(overrun, 'link field overruns its card by').toBeLessThanOrEqual(0);
    await link.fill('https://example.com/not-a-certificate');
    await page.getByRole('button', { name: /打\s*开/ }).click();
    await expect.poll(() => page.getByText('请粘贴安心服务证二维码中的链接').isVisible()).toBe(true);
    await noSidewaysScroll(page);

    await page.goto('/resident/feedback');
    await page.locator('main .ant-segmented-item').first().waitFor();
    expect.soft(await smallTargets(page, 'main .ant-segmented-item')).toEqual([]);
    await noSidewaysScroll(page);
  });

  it('resident signing a contract: a way back to the list and a PDF button, not 20 px links', async () => {
    // 何伟明 has a contract waiting for the other signatures in the demo city.
    const page = await signedIn(ORDERS_DEMO_RESIDENTS[1]!);
    await page.goto('/resident/contracts');
    await page.locator('main a[href^="/resident/contracts/"]').first().click();
    await page.locator('main .ant-descriptions').first().waitFor();
    expect.soft(await page.locator(BACK).count(), 'back link on the contract page').toBe(1);
    expect.soft(await smallTargets(page, `${BACK}, main a:has-text("PDF")`)).toEqual([]);
    await noSidewaysScroll(page);
    await page.locator(BACK).click();
    await page.waitForURL('**/resident/contracts');
  });

  it('worker: training, jobs, insurance, my file and the exam have targets a thumb can hit', async () => {
    const page = await signedIn('worker');
    await page.goto('/worker/training');
    await page.locator('main a[href^="/worker/training/"]').first().click();
    await page.locator(BACK).first().waitFor();
    expect.soft(await smallTargets(page, BACK)).toEqual([]);
    await noSidewaysScroll(page);

    await page.goto('/worker/jobs');
    await page.locator('main a[href^="/worker/jobs/"]').first().click();
    await page.locator(BACK).first().waitFor();
    expect.soft(await smallTargets(page, BACK)).toEqual([]);
    await noSidewaysScroll(page);

    await page.goto('/worker/insurance');
    await page.locator('main a[href^="/worker/insurance/claims/"]').first().click();
    await page.locator(BACK).first().waitFor();
    expect.soft(await smallTargets(page, BACK)).toEqual([]);

    // 我的档案: the links to sharing and the access log sat as 20 px text beside 44 px export buttons.
    await page.goto('/worker/file');
    await page.locator('main a:has-text("查阅记录")').waitFor();
    expect
      .soft(await smallTargets(page, 'main a:has-text("分享与授权"), main a:has-text("查阅记录")'))
      .toEqual([]);

    // The 岗前考试 on a phone: true/false and single-choice answers were 22 px radio labels.
    await page.goto('/worker/training');
    await page.getByRole('button', { name: '开始考试' }).first().click();
    await page.locator('main .ant-radio-wrapper').first().waitFor();
    expect.soft(await smallTargets(page, 'main .ant-radio-wrapper, main .ant-checkbox-wrapper')).toEqual([]);
    await noSidewaysScroll(page);
  });
});
