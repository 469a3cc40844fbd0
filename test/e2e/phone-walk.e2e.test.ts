import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { ORDERS_DEMO_RESIDENTS } from '../../src/server/seed/demo.js';
import { demoPhone, settle, signInByApi, useJourney } from './support.js';

// A resident and a worker walk their journeys at 360 px, as a person with a phone would (the H4 walk): what a thumb
// has to hit is at least 40 px tall, text in lists and card titles is not squeezed or clipped, an unread count does
// not cover the name it counts for. The accessibility journey checks each section's first screen; this one goes
// into the drawers, forms and detail pages behind them.
const chromiumPath = inject('chromiumPath');
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

// Money as the shared formatter writes it (src/web/shared/money.ts): "16,000 元", "1,600.50 元", never "¥12000.00".
const MONEY = /^-?\d{1,3}(,\d{3})*(\.\d\d)? 元$/;

/**
 * The amounts in the page's main area written as anything but the one money format, e.g. "¥12000.00" or "16000 元".
 * `skip`: parts whose text the server writes (a contract's clauses), left out.
 */
async function oddMoney(page: Page, skip?: string): Promise<string[]> {
  // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, one element apart from the next
  let text = await page.locator('main').innerText();
  if (skip) for (const part of await page.locator(skip).allInnerTexts()) text = text.replace(part, '');
  return [...text.matchAll(/¥\s?[\d,.]+|\d{4,}(\.\d+)? ?元|\d+\.\d(?!\d) ?元/g)].map((m) => m[0]);
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(wide, `${new URL(page.url()).pathname} is ${wide}px wide`).toBeLessThanOrEqual(PHONE.width);
}

describe.skipIf(!chromiumPath)('the resident and worker journeys at 360 px', () => {
  const journey = useJourney({ seed: true });

  async function signedIn(account: string | { phone: string }): Promise<Page> {
    const context = await journey.context({ viewport: PHONE, hasTouch: true });
    const phone = typeof account === 'string' ? demoPhone(account) : account.phone;
    expect(await signInByApi(context.request, journey.server, phone)).toBe(200);
    return context.newPage();
  }

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
    // 排序 was a blank field: with no location or district the server sorts by credit, and the field says so.
    expect
      .soft(await drawer.locator('[data-testid="find-sort"] .ant-select-selection-item').textContent())
      .toBe('信用最好');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // 距离最近 chosen while a district was set, then the district cleared: the search asked for a distance sort with
    // no point and showed a 422; now the field and the search go back to the credit order.
    const districtBox = page.locator('.find-toolbar .ant-select').nth(1);
    await districtBox.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.getByRole('button', { name: /筛\s*选/ }).click();
    await drawer.waitFor();
    const sortBox = drawer.locator('[data-testid="find-sort"]');
    await expect.poll(() => sortBox.locator('.ant-select-selection-item').textContent()).toBe('距离最近');
    for (const order of ['评价最高', '距离最近']) {
      await sortBox.click();
      await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${order}"]`).click();
    }
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await districtBox.hover();
    await districtBox.locator('.ant-select-clear').click();
    await settle(page);
    await page.locator('main .find-card, main .ant-alert-error').first().waitFor();
    expect
      .soft(await page.locator('main .ant-alert-error').count(), 'error after clearing the district')
      .toBe(0);

    // A bookable worker's profile, then the booking form (its weekday checkboxes were 22 px tall).
    await page.locator('.find-card:has(.find-price)').first().click();
    await page.locator('a[href*="/resident/orders/new"]').first().waitFor();
    // The worker's company was a 20 px link in the profile's details.
    const companyLink = 'main .ant-descriptions a[href*="/companies/"]';
    expect.soft(await page.locator(companyLink).count(), 'company link on the profile').toBe(1);
    expect.soft(await smallTargets(page, `${BACK}, ${companyLink}`)).toEqual([]);
    for (const price of await page.locator('main .find-price').allInnerTexts())
      expect.soft(price, 'a price on the profile').toMatch(/^[\d,.–]+ 元\//);
    await noSidewaysScroll(page);
    const companyHref = await page.locator(companyLink).getAttribute('href');
    await page.locator('a[href*="/resident/orders/new"]').first().click();
    await page.getByText('服务时间与地址').waitFor();
    await settle(page);
    expect.soft(await smallTargets(page, `${BACK}, main .ant-checkbox-wrapper`)).toEqual([]);
    await noSidewaysScroll(page);

    // A weekly item: the seven weekday boxes wrapped onto two lines; now one row of seven, each a 44 px target.
    const weekly = 'main .ant-radio-wrapper:has-text("每周固定")';
    if ((await page.locator(weekly).count()) === 0) {
      // This worker's company lists no weekly item: book with the company instead, which lists all of its items.
      await page.goto(`/resident/orders/new?company=${companyHref!.split('/').pop()}`);
      await page.locator('main .ant-radio-wrapper').first().waitFor();
    }
    await page.locator(weekly).first().click();
    const days = page.locator('main .weekday-grid .ant-checkbox-wrapper');
    await days.first().waitFor();
    const boxes = await days.evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { top: Math.round(r.top), right: r.right, height: r.height };
      }),
    );
    expect(boxes).toHaveLength(7);
    expect.soft(new Set(boxes.map((b) => b.top)).size, 'rows of weekday boxes').toBe(1);
    const cardRight = await days
      .first()
      .evaluate((el) => el.closest('.ant-card')!.getBoundingClientRect().right);
    expect
      .soft(Math.max(...boxes.map((b) => b.right)), 'weekday row right edge')
      .toBeLessThanOrEqual(cardRight);
    expect.soft(await smallTargets(page, 'main .weekday-grid .ant-checkbox-wrapper')).toEqual([]);
    await days.nth(1).click();
    await days.nth(3).click();
    const total = page.getByTestId('booking-total');
    await total.waitFor();
    expect.soft(await total.textContent(), 'booking total').toMatch(MONEY);
    expect.soft(await oddMoney(page)).toEqual([]);
    await noSidewaysScroll(page);

    // My orders and my complaints: the status filters were 28 px tall.
    await page.goto('/resident/orders');
    await page.getByTestId('order-item').first().waitFor();
    expect.soft(await smallTargets(page, 'main .ant-segmented-item')).toEqual([]);
    expect
      .soft(await page.locator('main .orders-item-total').first().textContent(), 'order total')
      .toMatch(MONEY);
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

  it('the public portal: news titles and categories are 44 px tap targets on the home page and the news list', async () => {
    const context = await journey.context({ viewport: PHONE, hasTouch: true });
    const page = await context.newPage();
    for (const [path, list] of [
      ['/', 'latest-news'],
      ['/news', 'news-list'],
    ] as const) {
      await page.goto(path);
      await page.getByTestId(list).locator('.news-title').first().waitFor();
      expect
        .soft(await page.getByTestId(list).locator('.news-title').count(), `news on ${path}`)
        .toBeGreaterThan(0);
      expect.soft(await smallTargets(page, '.news-title, .portal-cats a'), path).toEqual([]);
      await noSidewaysScroll(page);
    }
  });

  it('resident signing a contract: a way back to the list and a PDF button, not 20 px links', async () => {
    // 何伟明 has a contract waiting for the other signatures in the demo city.
    const page = await signedIn(ORDERS_DEMO_RESIDENTS[1]!);
    await page.goto('/resident/contracts');
    await page.locator('main a[href^="/resident/contracts/"]').first().click();
    await page.locator('main .ant-descriptions').first().waitFor();
    expect.soft(await page.locator(BACK).count(), 'back link on the contract page').toBe(1);
    expect.soft(await smallTargets(page, `${BACK}, main a:has-text("PDF")`)).toEqual([]);
    // The contract's fee was "¥12000.00" while the orders said "16,000 元". (The clauses are the server's text.)
    const fee = page.locator(
      'main .ant-descriptions-item:has-text("服务费总额") .ant-descriptions-item-content',
    );
    expect.soft(await fee.textContent(), 'contract fee').toMatch(MONEY);
    expect.soft(await oddMoney(page, 'main .contract-clause')).toEqual([]);
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
    await page.locator('main a[href^="/worker/jobs/"]').first().waitFor();
    // 订阅: the invitation opt-in and a new subscription's alerts were 22 px switches.
    await page.getByRole('tab', { name: '订阅' }).click();
    await page.getByTestId('contact-optin').waitFor();
    expect.soft(await page.locator('main .ant-switch').count(), 'switches on 订阅').toBeGreaterThanOrEqual(2);
    expect.soft(await smallTargets(page, 'main .ant-switch')).toEqual([]);
    await noSidewaysScroll(page);
    await page.getByRole('tab', { name: '找岗位' }).click();
    await page.locator('main a[href^="/worker/jobs/"]').first().click();
    await page.locator(BACK).first().waitFor();
    expect.soft(await smallTargets(page, BACK)).toEqual([]);
    await noSidewaysScroll(page);

    await page.goto('/worker/insurance');
    await page.locator('main a[href^="/worker/insurance/claims/"]').first().waitFor();
    expect.soft(await oddMoney(page)).toEqual([]);
    await page.locator('main a[href^="/worker/insurance/claims/"]').first().click();
    await page.locator(BACK).first().waitFor();
    expect.soft(await smallTargets(page, BACK)).toEqual([]);
    const paid = page.getByTestId('claim-paid');
    // "—" while nothing is paid yet.
    if (await paid.count())
      expect.soft(await paid.textContent(), 'claim paid').toMatch(new RegExp(`${MONEY.source}|^—$`));
    expect.soft(await oddMoney(page)).toEqual([]);

    // 我的档案: the links to sharing and the access log sat as 20 px text beside 44 px export buttons.
    await page.goto('/worker/file');
    await page.locator('main a:has-text("查阅记录")').waitFor();
    expect
      .soft(await smallTargets(page, 'main a:has-text("分享与授权"), main a:has-text("查阅记录")'))
      .toEqual([]);
    // A document's 打开 link was 20 px; the file's contracts show the wage as money.
    expect
      .soft(await page.locator('main a:has-text("打开")').count(), '打开 links in the file')
      .toBeGreaterThan(0);
    expect.soft(await smallTargets(page, 'main a:has-text("打开")')).toEqual([]);
    expect.soft(await oddMoney(page)).toEqual([]);

    // 证件: each document's 查看 link was 20 px, and the type field of the upload form was blank.
    await page.goto('/worker/documents');
    await page.locator('main a:has-text("查看")').first().waitFor();
    expect.soft(await smallTargets(page, 'main a:has-text("查看")')).toEqual([]);
    expect
      .soft(await page.locator('main .ant-select-selection-placeholder').first().textContent())
      .toBe('请选择要上传的证件');
    await noSidewaysScroll(page);

    // The 岗前考试 on a phone: true/false and single-choice answers were 22 px radio labels.
    await page.goto('/worker/training');
    await page.getByRole('button', { name: '开始考试' }).first().click();
    await page.locator('main .ant-radio-wrapper').first().waitFor();
    expect.soft(await smallTargets(page, 'main .ant-radio-wrapper, main .ant-checkbox-wrapper')).toEqual([]);
    await noSidewaysScroll(page);
  });
});
