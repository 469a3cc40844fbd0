import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultScorecard } from '../../src/server/modules/credit/index.js';
import { type TestApp, YEAR_LONG_SESSIONS } from '../app.js';
import { account, certifiedWorker, company } from '../factories/workers.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const HOUR = 3600_000;
const PHONE_VIEWPORT = { width: 360, height: 740 };

/**
 * Journey: a worker's stars and the company's grade on the public pages change after an upheld complaint.
 * The data is made through the API (orders, a review, feedback's complaint workflow, the regulator's scorecard);
 * the outbox is drained by hand (JOBS=off), as the dispatcher would.
 */
describe.skipIf(!chromiumPath)(
  'journey: an upheld complaint lowers the worker’s stars and the company’s grade on public pages',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let t: TestApp;

    // The server's clock runs `offset` ahead of real time, so an order booked hours ahead can be started.
    let offset = 0;

    beforeAll(async () => {
      // Sessions outlive the jumps of that clock (the timeouts themselves are tested in the identity module).
      server = await startServer({
        webRoot,
        env: YEAR_LONG_SESSIONS,
        clock: () => new Date(Date.now() + offset),
      });
      // The test factories drive the real routes through inject; they need the app, its database and a clock.
      t = {
        app: server.app,
        database: server.app.database,
        clock: { now: new Date(), advance() {} },
      } as unknown as TestApp;
      browser = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const call = async (
      method: 'GET' | 'POST',
      url: string,
      cookie: string | undefined,
      payload?: object,
      headers = {},
    ) => {
      const res = await server.app.inject({
        method,
        url,
        headers: { ...(cookie ? { cookie } : {}), ...headers },
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };
    const drain = async () => {
      for (;;) if (!(await server.app.platform.outbox.drainOnce()).claimed) return;
    };
    const slot = (hoursAhead: number) => {
      const q = 15 * 60_000;
      return new Date(Math.ceil((Date.now() + offset + hoursAhead * HOUR) / q) * q).toISOString();
    };

    async function verifyPage(page: Page, number: string) {
      await page.goto(`/verify?number=${encodeURIComponent(number)}`);
      await page.getByTestId('credit-stars').waitFor();
      return {
        stars: (await page.getByTestId('credit-stars').textContent())?.trim() ?? '',
        grade: (await page.locator('.grade-tag').textContent())?.trim() ?? '',
      };
    }

    it('verify page and 5A list before → complaint upheld → verify page and 5A list after', async () => {
      const regulator = await account(t, [{ role: 'regulator' }], '监管员');
      const co = await company(t, '星级旅程家政');
      const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
      const item = await call('POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
        category: 'cleaning',
        mode: 'hourly',
        priceFen: 5000,
        title: '日常保洁',
      });
      const resident = await account(t, [{ role: 'resident' }], '陈女士');
      const order = async (hoursAhead: number) => {
        const startAt = slot(hoursAhead);
        const o = await call(
          'POST',
          '/api/v1/orders',
          resident.cookie,
          {
            priceItemId: item.id,
            workerId: w.workerId,
            schedule: { mode: 'hourly', startAt, hours: 2 },
            address: '广州市天河区林和西路100号3栋1201',
            district: '440106',
          },
          { 'idempotency-key': `credit-e2e-${hoursAhead}-${Date.now()}` },
        );
        await call('POST', `/api/v1/orders/${o.id}/accept`, co.cookie, {});
        // A worker may start at most two hours early (orders' EARLY_START_MS): move to one hour before.
        offset = Math.max(offset, new Date(startAt).getTime() - HOUR - Date.now());
        await call('POST', `/api/v1/orders/${o.id}/start`, w.cookie, {});
        await call('POST', `/api/v1/orders/${o.id}/confirm`, resident.cookie, {});
        return o.id as string;
      };
      const first = await order(1.5);
      await call('POST', '/api/v1/reviews', resident.cookie, {
        orderId: first,
        ratings: { quality: 5, punctuality: 5, attitude: 5, skill: 5 },
        text: '阿姨很细心',
      });
      const second = await order(5);
      await drain();

      // The regulator sets the lines just under today's scores (a new scorecard version), so one upheld complaint
      // (−2.5 points at least for both) crosses them.
      const before = {
        worker: (
          await call('GET', `/api/v1/regulator/credit/subjects/worker/${w.workerId}`, regulator.cookie)
        ).score as number,
        company: (
          await call('GET', `/api/v1/regulator/credit/subjects/company/${co.orgId}`, regulator.cookie)
        ).score as number,
      };
      const lines = (s: number) => [s - 30, s - 20, s - 10, s - 1].map((x) => Math.round(x * 100) / 100);
      const config = structuredClone(defaultScorecard);
      config.worker.thresholds = lines(before.worker);
      config.company.thresholds = lines(before.company);
      await call('POST', '/api/v1/regulator/credit/scorecards', regulator.cookie, { config, note: 'e2e' });
      await drain();
      const number = (await server.app.services.certification.workerStatus(w.workerId)).certificate!.number;

      const ctx = await browser.newContext({
        viewport: PHONE_VIEWPORT,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        baseURL: server.url,
      });
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        const shown = await verifyPage(page, number);
        expect(shown.stars).toContain('5 星');
        expect(shown.grade).toContain('5A');
        await page.goto('/credit/5a');
        await expect
          .poll(() => page.getByTestId('five-a-item').filter({ hasText: '星级旅程家政' }).count())
          .toBe(1);

        // The resident complains about the second order; the company answers, the resident refuses, the
        // regulator investigates and upholds (feedback's workflow, through its API).
        const c = await call(
          'POST',
          '/api/v1/complaints',
          resident.cookie,
          { orderId: second, subject: 'worker', category: 'service_quality', description: '打扫不干净' },
          { 'idempotency-key': `credit-e2e-cmp-${Date.now()}` },
        );
        await call('POST', `/api/v1/complaints/${c.id}/respond`, co.cookie, { reason: '已核实' });
        await call('POST', `/api/v1/complaints/${c.id}/refuse`, resident.cookie, { reason: '不满意' });
        await call('POST', `/api/v1/complaints/${c.id}/investigate`, regulator.cookie, {});
        await call('POST', `/api/v1/complaints/${c.id}/uphold`, regulator.cookie, { reason: '经调查属实' });
        await drain();

        const after = await verifyPage(page, number);
        expect(after.stars).toContain('4 星');
        expect(after.grade).toContain('4A');
        await page.goto('/credit/5a');
        await page.getByRole('heading', { name: '5A 级家政企业名单' }).waitFor();
        await expect
          .poll(() => page.getByTestId('five-a-item').filter({ hasText: '星级旅程家政' }).count())
          .toBe(0);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
        await page.goto('/credit/blacklist');
        await page.getByRole('heading', { name: '信用红黑名单' }).waitFor();
        expect(errors).toEqual([]);
      } finally {
        await ctx.close();
      }
    }, 240_000);
  },
);
