import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_SEED, demoAccounts, seedSteps } from '../../src/server/seed/demo.js';
import { createRandom } from '../../src/server/seed/random.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const resultsDir = join(repo, 'test-results');
const screenshotsDir = join(repo, 'docs/screenshots');
const PHONE_VIEWPORT = { width: 360, height: 740 };
const DESKTOP_VIEWPORT = { width: 1440, height: 900 };

const phoneOf = (key: string) => demoAccounts.find((a) => a.key === key)!.phone;

/** Waits until the ECharts chart has drawn into its canvas (not a blank one). */
async function chartDrawn(page: Page, testId: string) {
  const chart = page.getByTestId(testId);
  // Drawn, or failed to draw (EChart sets data-error): a failure is reported with its message at once.
  await chart.and(page.locator('[data-rendered="true"], [data-error]')).waitFor();
  expect(await chart.getAttribute('data-error'), `${testId} failed to draw`).toBeNull();
  const painted = await chart
    .locator('canvas')
    .first()
    .evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d');
      if (!ctx || !c.width || !c.height) return 0;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
  expect(painted, `${testId} has painted pixels`).toBeGreaterThan(500);
}

describe.skipIf(!chromiumPath)(
  'journey: the regulator reads the market dashboard, drills into a district, finds the stored report; the public reads the wage survey on a phone',
  () => {
    let server: RunningServer;
    let browser: Browser;
    const shots = new Map<string, Buffer>();
    let failed = false;

    beforeAll(async () => {
      server = await startServer({ webRoot });
      const ctx = { app: server.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} };
      // The whole demo city, insights last (rollups, a published survey, last month's report).
      for (const step of seedSteps) await step.run(ctx);
      browser = await launchBrowser();
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (failed || shots.size < 4) return;
      mkdirSync(screenshotsDir, { recursive: true });
      for (const [file, png] of shots) writeFileSync(join(screenshotsDir, file), png);
    });

    it('dashboard charts render with the API figures, drill-down lists orders, reports and survey editor load, /wages works at 360 px', async () => {
      failed = false;
      const contexts: BrowserContext[] = [];
      const pageErrors: string[] = [];
      const open = async (viewport: typeof PHONE_VIEWPORT) => {
        const c = await browser.newContext({
          viewport,
          locale: 'zh-CN',
          timezoneId: 'Asia/Shanghai',
          baseURL: server.url,
        });
        contexts.push(c);
        const p = await c.newPage();
        p.on('pageerror', (e) => pageErrors.push(e.message));
        return p;
      };
      try {
        const reg = await open(DESKTOP_VIEWPORT);
        // Less motion asked for: the charts draw without animation (and the screenshot shows them finished).
        await reg.emulateMedia({ reducedMotion: 'reduce' });
        await signIn(reg, server, phoneOf('regulator'), '/regulator/dashboard');
        await reg.getByRole('heading', { name: '家政市场监管大屏' }).waitFor();
        for (const id of ['chart-trend', 'chart-map', 'chart-heat']) await chartDrawn(reg, id);
        const api = await reg.evaluate(async () => {
          const r = await fetch('/api/v1/insights/dashboard', { credentials: 'include' });
          return (await r.json()) as {
            workers: { registered: number };
            orders: { created: number };
            companies: { active: number };
          };
        });
        expect(
          await reg.getByTestId('kpi-workers').locator('.ant-statistic-content-value').textContent(),
        ).toBe(api.workers.registered.toLocaleString('en-US'));
        expect(
          await reg.getByTestId('kpi-orders').locator('.ant-statistic-content-value').textContent(),
        ).toBe(api.orders.created.toLocaleString('en-US'));
        expect(await reg.getByTestId('as-of').textContent()).toMatch(
          /^数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/,
        );
        // The picture shows finished charts: every chart has drawn its last animation frame.
        await reg.waitForFunction(
          () => {
            const charts = [...document.querySelectorAll<HTMLElement>('.insights-chart')];
            return charts.length > 0 && charts.every((c) => c.dataset.finished === 'true');
          },
          undefined,
          { timeout: 20_000 },
        );
        shots.set('insights-1-dashboard-desktop.png', await reg.screenshot({ fullPage: true }));
        // The choropleth's figure can be switched; the chart says which figure it shows.
        await reg.locator('.ant-select', { has: reg.getByRole('combobox', { name: '地图指标' }) }).click();
        await reg
          .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
          .filter({ hasText: '在营企业' })
          .click();
        await expect
          .poll(() => reg.getByTestId('chart-map').getAttribute('aria-label'))
          .toContain('在营企业');
        await chartDrawn(reg, 'chart-map');

        // Filter to the district with the most orders: the figures follow the filter.
        const top = await reg.evaluate(async () => {
          const r = await fetch('/api/v1/insights/dashboard', { credentials: 'include' });
          const d = (await r.json()) as {
            orders: { byDistrict: { district: string; name: string; ordersCreated: number }[] };
          };
          return d.orders.byDistrict.sort((a, b) => b.ordersCreated - a.ordersCreated)[0]!;
        });
        expect(top.ordersCreated).toBeGreaterThan(0);
        await reg.getByRole('combobox', { name: '区域' }).click();
        await reg
          .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
          .filter({ hasText: top.name })
          .click();
        await expect
          .poll(async () =>
            reg.getByTestId('kpi-orders').locator('.ant-statistic-content-value').textContent(),
          )
          .toBe(String(top.ordersCreated));

        // Drill down from the district table to its orders.
        await reg
          .locator('.insights-table .ant-table-row')
          .filter({ hasText: top.name })
          .getByRole('button', { name: top.name })
          .click();
        const drawer = reg.locator('.ant-drawer-content');
        await drawer.locator('.ant-table-row').first().waitFor();
        expect(await drawer.locator('.ant-table-row').count()).toBeGreaterThan(0);
        expect(await drawer.locator('.ant-table-row').first().textContent()).toContain(top.name);

        // Paging: 10 a page; the next page adds no row seen before, and 上一页 gives back exactly the first page.
        const pageLabel = drawer.getByTestId('drill-page');
        const numbers = () => drawer.locator('.ant-table-row td:first-child').allTextContents();
        await drawer.locator('.ant-select', { has: reg.getByRole('combobox', { name: '每页条数' }) }).click();
        await reg
          .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
          .filter({ hasText: '每页 10 条' })
          .click();
        await expect.poll(() => numbers().then((n) => n.length)).toBe(10);
        const total = Number(/共 (\d+) 条/.exec((await pageLabel.textContent()) ?? '')?.[1]);
        expect(total).toBeGreaterThan(10);
        expect(await pageLabel.textContent()).toBe(`第 1 / ${Math.ceil(total / 10)} 页 · 共 ${total} 条`);
        const first = await numbers();
        await drawer.getByTestId('drill-next').click();
        // Rows of the next page, not the gap while it loads (no rows: an undefined first row also differs).
        await expect
          .poll(async () => {
            const n = await numbers();
            return n.length === Math.min(10, total - 10) && n[0] !== first[0];
          })
          .toBe(true);
        expect(await pageLabel.textContent()).toMatch(/^第 2 \//);
        const second = await numbers();
        expect(second.length).toBe(Math.min(10, total - 10));
        expect(second.filter((n) => first.includes(n))).toEqual([]);
        shots.set('insights-2-drilldown-desktop.png', await reg.screenshot());
        await drawer.getByTestId('drill-prev').click();
        await expect.poll(numbers).toEqual(first);
        expect(await pageLabel.textContent()).toMatch(/^第 1 \//);
        const drillOf = () => new URL(reg.url()).searchParams.get('drill');
        expect(drillOf()).toBe('orders');
        // (上一页 is disabled again on page 1, so focus left the drawer: close it with its button.)
        await drawer.locator('.ant-drawer-close').click();
        await expect.poll(drillOf).toBeNull();
        await drawer.waitFor({ state: 'hidden' });

        // The drill-down is in the address, so the browser's Back closes it and stays on the dashboard.
        await reg
          .locator('.insights-table .ant-table-row')
          .filter({ hasText: top.name })
          .getByRole('button', { name: top.name })
          .click();
        await drawer.locator('.ant-table-row').first().waitFor();
        expect(new URL(reg.url()).searchParams.get('d.district')).toBe(top.district);
        await reg.goBack();
        await expect.poll(drillOf).toBeNull();
        await drawer.waitFor({ state: 'hidden' });
        expect(new URL(reg.url()).pathname).toBe('/regulator/dashboard');

        // The stored monthly report and the exports.
        await reg.goto('/regulator/reports');
        const reportLink = reg.getByRole('link', { name: /^下载 \d{4}-\d{2} 月报$/ });
        await reportLink.waitFor();
        const pdf = await reg.evaluate(
          async (href) => {
            const r = await fetch(href, { credentials: 'include' });
            const b = new Uint8Array(await r.arrayBuffer());
            return { type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 5)) };
          },
          (await reportLink.getAttribute('href'))!,
        );
        expect(pdf).toEqual({ type: 'application/pdf', head: '%PDF-' });
        shots.set('insights-3-reports-desktop.png', await reg.screenshot({ fullPage: true }));

        // The survey editor lists the published edition and shows its cells with the thin ones flagged.
        await reg.goto('/regulator/wage-survey');
        const edition = reg.locator('.ant-table-row').filter({ hasText: '已发布' }).first();
        await edition.waitFor();
        await edition.getByRole('button').first().click();
        await reg.getByText('样本不足，公开时隐藏').first().waitFor();

        // The public survey on a phone: no horizontal scroll, the chart drawn, thin cells hidden.
        const phone = await open(PHONE_VIEWPORT);
        await phone.goto('/wages');
        await phone.getByRole('heading', { name: '家政服务工资价位' }).waitFor();
        const positionSelect = phone
          .locator('.insights-public-controls > *')
          .filter({ hasText: '岗位' })
          .locator('.ant-select-selector');
        await positionSelect.click();
        await phone
          .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
          .filter({ hasText: '月嫂' })
          .click();
        await chartDrawn(phone, 'wages-chart');
        expect(
          await phone.getByTestId('wages-row').filter({ hasText: '样本不足，不公布' }).count(),
        ).toBeGreaterThan(0);
        expect(await phone.getByTestId('wages-row').filter({ hasText: '中位数' }).count()).toBeGreaterThan(0);
        const { scrollWidth, innerWidth } = await phone.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
        const box = await positionSelect.boundingBox();
        expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
        shots.set('insights-4-wages-360.png', await phone.screenshot({ fullPage: true }));
        expect(pageErrors).toEqual([]);
      } catch (e) {
        failed = true;
        mkdirSync(resultsDir, { recursive: true });
        for (const [i, c] of contexts.entries())
          for (const [j, p] of c.pages().entries())
            writeFileSync(
              join(resultsDir, `insights-failure-${i}-${j}.png`),
              await p.screenshot({ fullPage: true }),
            );
        throw e;
      } finally {
        for (const c of contexts) await c.close();
      }
    });
  },
);
