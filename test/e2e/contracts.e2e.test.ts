import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DevSmsSink } from '../../src/server/platform/sms/sms.js';
import type { TestApp } from '../app.js';
import { account, certifiedWorker, company, day } from '../factories/workers.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn, writeScreenshot } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const PHONE_VIEWPORT = { width: 360, height: 740 };
const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
/** The password test/factories gives every account it makes. */
const FACTORY_PASSWORD = 'Factory2026pass';

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

/** Draws a signature with the pointer on the pad. */
async function drawSignature(page: Page): Promise<void> {
  const pad = page.getByTestId('signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++)
    await page.mouse.move(
      box.x + box.width * (0.15 + i * 0.05),
      box.y + box.height * (0.6 - 0.3 * Math.sin(i / 2)),
      { steps: 2 },
    );
  await page.mouse.up();
}

describe.skipIf(!chromiumPath)(
  'journey: three parties sign a contract on three devices, and anyone verifies it',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let sms: DevSmsSink;
    let people: {
      co: { cookie: string; phone: string; orgId: string };
      worker: { phone: string };
      resident: { phone: string };
      orderNumber: string;
    };

    beforeAll(async () => {
      server = await startServer({ webRoot });
      sms = server.app.sms as DevSmsSink;
      // The factories drive the real routes; they only need the app, its database and a clock.
      const t = {
        app: server.app,
        database: server.app.database,
        sms,
        clock: { now: new Date(), advance() {} },
      } as unknown as TestApp;
      const regulator = await account(t, [{ role: 'regulator' }]);
      const co = await company(t, '安心合同测试家政');
      const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
      const resident = await account(t, [{ role: 'resident' }], '陈女士');
      const post = (url: string, cookie: string, payload: object) =>
        server.app.inject({ method: 'POST', url, headers: { cookie }, payload });
      const item = await post(`/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
        category: 'cleaning',
        mode: 'live_in',
        priceFen: 650_000,
        title: '住家保姆（月）',
      });
      const order = await post('/api/v1/orders', resident.cookie, {
        priceItemId: item.json().id,
        workerId: w.workerId,
        schedule: { mode: 'live_in', startDate: day(t, 3), months: 2 },
        address: '广州市天河区体育西路8号1201',
        district: '440106',
      });
      expect(order.statusCode, order.body).toBe(201);
      expect((await post(`/api/v1/orders/${order.json().id}/accept`, co.cookie, {})).statusCode).toBe(200);
      people = {
        co,
        worker: { phone: w.phone },
        resident: { phone: resident.phone },
        orderNumber: order.json().number,
      };
      browser = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    async function signOn(page: Page, phone: string) {
      await page.getByText('在线签署').waitFor();
      await expectNoHorizontalScroll(page);
      await drawSignature(page);
      const before = sms.latest(phone);
      await page.getByRole('button', { name: '获取验证码' }).click();
      await expect
        .poll(() => sms.latest(phone) !== before && sms.latest(phone)?.purpose === 'contract_sign')
        .toBe(true);
      await page.getByPlaceholder('短信验证码').fill(sms.latest(phone)!.code);
      await page.getByRole('button', { name: '确认签署' }).click();
    }

    it('company drafts from the order → resident (phone) → worker (phone) → company sign → filed → public verify by number and PDF', async () => {
      const contexts: BrowserContext[] = [];
      const pageErrors: string[] = [];
      const open = async (viewport: typeof PHONE_VIEWPORT) => {
        const ctx = await browser.newContext({
          viewport,
          locale: 'zh-CN',
          timezoneId: 'Asia/Shanghai',
          baseURL: server.url,
        });
        contexts.push(ctx);
        const page = await ctx.newPage();
        page.on('pageerror', (e) => pageErrors.push(e.message));
        return { ctx, page };
      };
      try {
        // The company drafts the contract from the accepted live-in order.
        const company = await open(DESKTOP_VIEWPORT);
        await signIn(company.page, server, people.co.phone, '/company/contracts', FACTORY_PASSWORD);
        await company.page.getByTestId('pick-order').click();
        await company.page.getByTitle(people.orderNumber).click();
        await company.page.getByRole('button', { name: '生成合同' }).click();
        await company.page.waitForURL(/\/company\/contracts\/ctr_/);
        const number = (await company.page.getByTestId('contract-number').textContent())!.trim();
        expect(number).toMatch(/^HT\d{10}[0-9A-Z]$/);
        const contractPath = new URL(company.page.url()).pathname.replace('/company/contracts/', '');

        // The resident, on a phone, reads the terms and signs first.
        const resident = await open(PHONE_VIEWPORT);
        await signIn(resident.page, server, people.resident.phone, '/resident/contracts', FACTORY_PASSWORD);
        await resident.page.getByTestId('contract-row').first().click();
        await resident.page.getByText('甲方（消费者）：陈女士').waitFor();
        await resident.page.getByText('合同须经各方签署并自动备案后方才生效。').waitFor();
        // Amounts as legal text states them: the figure and its capitals (大写), never "¥" or "12000.00 元".
        const fee = resident.page.getByText(
          /服务费每月 人民币 [\d,]+\.\d\d 元（大写：[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+）/,
        );
        await fee.first().scrollIntoViewIfNeeded();
        writeScreenshot('contract-1-fees-360.png', await resident.page.screenshot());
        await signOn(resident.page, people.resident.phone);
        await resident.page.getByText('签署成功，等待其他各方签署').waitFor();

        // The worker, on another phone.
        const worker = await open(PHONE_VIEWPORT);
        await signIn(worker.page, server, people.worker.phone, '/worker/contracts', FACTORY_PASSWORD);
        await worker.page.getByTestId('contract-row').first().click();
        await signOn(worker.page, people.worker.phone);
        await worker.page.getByText('签署成功，等待其他各方签署').waitFor();

        // The company signs last: the contract is sealed and filed.
        await company.page.reload();
        await signOn(company.page, people.co.phone);
        await company.page.getByText('各方已签署，合同已封存备案').waitFor();
        await expect
          .poll(async () => (await company.page.getByTestId('contract-filing').textContent())?.trim())
          .toMatch(/^BA440106/);
        await company.page.getByText('已备案生效').first().waitFor();

        // Anyone checks the number on a phone, then the PDF the resident downloaded.
        const pdf = await resident.ctx.request.get(`/api/v1/contracts/${contractPath}/pdf`);
        expect(pdf.headers()['content-type']).toBe('application/pdf');
        const pdfBytes = await pdf.body();
        const anyone = await open(PHONE_VIEWPORT);
        await anyone.page.goto(`/contracts/verify?no=${number}`);
        await anyone.page.getByText('该合同已签署备案，现行有效').waitFor();
        await expectNoHorizontalScroll(anyone.page);
        await anyone.page
          .locator('input[type=file]')
          .setInputFiles({ name: `${number}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes });
        await anyone.page.getByText('文件与备案版本完全一致').waitFor();
        const altered = Buffer.from(pdfBytes);
        altered.writeUInt8(altered.readUInt8(1000) ^ 0x01, 1000);
        await anyone.page
          .locator('input[type=file]')
          .setInputFiles({ name: 'altered.pdf', mimeType: 'application/pdf', buffer: altered });
        await anyone.page.getByText('文件与备案版本不一致，可能已被篡改').waitFor();
        expect(pageErrors).toEqual([]);
      } finally {
        for (const c of contexts) await c.close();
      }
    }, 300_000);
  },
);
