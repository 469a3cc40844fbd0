import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemContext } from '../../src/server/platform/http/context.js';
import { DEMO_SEED, demoAccounts, seedSteps } from '../../src/server/seed/demo.js';
import { createRandom } from '../../src/server/seed/random.js';
import { YEAR_LONG_SESSIONS } from '../app.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const PHONE_VIEWPORT = { width: 360, height: 740 };
const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
const HOUR = 3600_000;

const phoneOf = (key: string) => demoAccounts.find((a) => a.key === key)!.phone;

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${new URL(page.url()).pathname} is ${scrollWidth}px wide`).toBeLessThanOrEqual(
    innerWidth,
  );
}

/** The primary button of the open dialog (antd spaces two-character labels, so match by role in the footer). */
const okButton = (page: Page) => page.locator('.ant-modal-footer .ant-btn-primary');

describe.skipIf(!chromiumPath)(
  'journey: a resident complains; the company does not answer in time; it escalates; the regulator upholds it',
  () => {
    let server: RunningServer;
    let browser: Browser;
    // The server's clock runs `offset` ahead of real time: the journey moves it past the response deadline.
    let offset = 0;
    let target: { workerId: string; itemId: string };

    beforeAll(async () => {
      // Sessions outlive the 25-hour jump of that clock (the timeouts themselves are tested in the identity module).
      server = await startServer({
        webRoot,
        env: YEAR_LONG_SESSIONS,
        clock: () => new Date(Date.now() + offset),
      });
      const ctx = { app: server.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} };
      const steps = ['organizations', 'accounts', 'workers', 'certificates', 'catalog-discovery'];
      for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
      const ids = ctx.ids as Record<string, string[]>;
      const companyId = ids.company![0]!;
      const { workers, certification, catalog } = server.app.services;
      const items = (await catalog.publicItems(companyId)).filter(
        (i) => i.active && i.current && i.mode === 'hourly',
      );
      for (const id of ids.worker ?? []) {
        const facts = await workers.trustFacts(id);
        if (facts?.companyId !== companyId || !(await certification.canTakeNewBookings(id))) continue;
        const item = items.find((i) => facts.categories.includes(i.category));
        if (!item) continue;
        target = { workerId: id, itemId: item.id };
        break;
      }
      expect(target, 'a green worker of the demo company with an hourly item').toBeDefined();
      browser = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('投诉 → 企业超时未回应 → 自动升级 → 监管受理并认定成立 → 三方可见', async () => {
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
        const resident = await open(PHONE_VIEWPORT);
        await signIn(resident, server, phoneOf('resident'), '/resident/orders');
        const company = await open(DESKTOP_VIEWPORT);
        await signIn(company, server, phoneOf('companyAdmin'), '/company/orders');

        // A real completed order: booked by the resident, accepted and started by the company, confirmed.
        const q = 15 * 60_000;
        const startAt = new Date(Math.ceil((Date.now() + 1.5 * HOUR) / q) * q).toISOString();
        const booked = await resident.request.post('/api/v1/orders', {
          headers: { 'idempotency-key': `fb-e2e-${Date.now()}` },
          data: {
            priceItemId: target.itemId,
            workerId: target.workerId,
            schedule: { mode: 'hourly', startAt, hours: 2 },
            address: '广州市天河区林和西路100号3栋1201',
            district: '440106',
          },
        });
        expect(booked.status(), await booked.text()).toBe(201);
        const orderId = (await booked.json()).id as string;
        for (const [page, step] of [
          [company, 'accept'],
          [company, 'start'],
          [resident, 'confirm'],
        ] as const) {
          const res = await page.request.post(`/api/v1/orders/${orderId}/${step}`, { data: {} });
          expect(res.status(), `${step}: ${await res.text()}`).toBe(200);
        }

        // --- The resident, on a phone, complains from the order page. ---
        await resident.goto(`/resident/orders/${orderId}`);
        await resident.getByTestId('complaint-open').click();
        await resident.getByLabel('投诉类别').click();
        await resident.locator('.ant-select-item-option', { hasText: '迟到或未到' }).click();
        await resident.getByLabel('情况描述').fill('约定上午九点，家政员十一点才到，也未提前告知。');
        await resident.getByRole('button', { name: '提交投诉' }).click();
        await resident.getByText('投诉已提交，企业须在规定时限内回应').waitFor();
        await expectNoHorizontalScroll(resident);
        await resident.goto('/resident/feedback');
        const item = resident.getByTestId('complaint-item').first();
        await item.waitFor();
        await expect(item.getByTestId('complaint-state').textContent()).resolves.toBe('待企业回应');
        await expectNoHorizontalScroll(resident);
        await item.click();
        await resident.waitForURL(/\/resident\/feedback\/cmp_/);
        const complaintId = resident.url().split('/').pop()!;

        // --- The company sees it in its inbox with the SLA timer running, and does not answer. ---
        await company.goto('/company/complaints');
        const row = company.getByTestId('complaint-item').first();
        await row.waitFor();
        await expect(row.getByTestId('sla-timer').textContent()).resolves.toMatch(/^剩余 2[0-3] 小时/);

        // --- 25 hours later the scheduled job escalates it. ---
        offset = 25 * HOUR;
        const run = await server.app.services.feedback.runDue(systemContext('e2e'));
        expect(run.escalated).toBe(1);

        // --- The regulator, on the supervision board, takes it up and upholds it, suspending the certificate. ---
        const regulator = await open(DESKTOP_VIEWPORT);
        await signIn(regulator, server, phoneOf('regulator'), '/regulator/complaints');
        await regulator.getByTestId('complaint-summary').waitFor();
        await regulator.getByTestId('complaint-item').first().waitFor();
        await regulator.goto(`/regulator/complaints/${complaintId}`);
        await regulator.getByText('企业超时未回应', { exact: false }).waitFor();
        await expect(regulator.getByTestId('complaint-state').first().textContent()).resolves.toBe(
          '已升级监管',
        );
        await regulator.getByRole('button', { name: '受理调查' }).click();
        await okButton(regulator).click();
        await regulator.getByRole('button', { name: '认定成立' }).waitFor();
        await expect(regulator.getByTestId('complaint-state').first().textContent()).resolves.toBe('调查中');
        await regulator.getByRole('button', { name: '认定成立' }).click();
        await regulator.getByTestId('complaint-reason').fill('经核实家政员迟到两小时且未告知，投诉成立。');
        await regulator.getByText('暂停安心服务证').click();
        await okButton(regulator).click();
        await regulator.getByTestId('complaint-outcome').waitFor();
        await expect(regulator.getByTestId('complaint-state').first().textContent()).resolves.toBe(
          '投诉成立',
        );
        const status = await server.app.services.certification.workerStatus(target.workerId);
        expect(status.certificate?.state).toBe('suspended');

        // --- The upheld complaint is visible to the resident (phone), the company and the regulator. ---
        for (const [page, url] of [
          [resident, `/resident/feedback/${complaintId}`],
          [company, `/company/complaints/${complaintId}`],
          [regulator, `/regulator/complaints/${complaintId}`],
        ] as const) {
          await page.goto(url);
          const outcome = page.getByTestId('complaint-outcome');
          await outcome.waitFor();
          await expect(outcome.textContent()).resolves.toContain('监管部门认定：投诉成立');
        }
        await expectNoHorizontalScroll(resident);
        expect(pageErrors).toEqual([]);
      } finally {
        for (const c of contexts) await c.close();
      }
    }, 240_000);
  },
);
