import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RequestContext } from '../../src/server/platform/http/context.js';
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
const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
const PRODUCT = '家政服务人员意外+责任组合险（测试）';

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

/** Opens the antd select of a form item and picks the option with this text. */
async function pick(page: Page, label: string, option: string, type?: string) {
  const item = page.locator('.ant-form-item').filter({ hasText: label });
  await item.locator('.ant-select-selector').click();
  if (type) await page.keyboard.type(type);
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

describe.skipIf(!chromiumPath)(
  'journey: a company enrols two workers, the insurer confirms, the verification page shows "insured until", a claim is filed and paid',
  () => {
    let server: RunningServer;
    let browser: Browser;
    const shots = new Map<string, Buffer>();
    let failed = false;
    const targets: { id: string; name: string; certNumber: string }[] = [];

    beforeAll(async () => {
      server = await startServer({ webRoot });
      const ctx = { app: server.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} };
      const steps = ['organizations', 'accounts', 'workers', 'certificates'];
      for (const step of seedSteps.filter((s) => steps.includes(s.name))) await step.run(ctx);
      const ids = ctx.ids as Record<string, string[]>;
      const accounts = ctx.accounts as Record<string, string>;
      const companyId = ids.company![0]!;
      const insurerId = ids.insurer![0]!;
      const { workers, certification, insurance } = server.app.services;
      // The insurer's product (its console form is exercised elsewhere; this journey is about enrolment and claims).
      const insurerCtx: RequestContext = {
        actor: {
          userId: accounts.insurer!,
          sessionId: 'setup',
          name: '',
          phoneMasked: '',
          roles: ['insurer_staff'],
          memberships: [{ orgId: insurerId, orgName: '', orgType: 'insurer', role: 'admin' }],
          regulatorDistrict: null,
        },
        requestId: 'setup',
        ip: null,
      };
      await insurance.createProduct(insurerCtx, insurerId, {
        title: PRODUCT,
        kind: 'combined',
        coverage: [
          { code: 'accident_medical', amountFen: 2_000_000 },
          { code: 'liability_property', amountFen: 1_000_000 },
        ],
        premiumFen: 12_000,
        periodMonths: 12,
        categories: [],
        subsidyShareBp: 5_000,
        subsidyCapFen: 6_000,
        waitingDays: 0,
      });
      // The demo worker (who signs in on a phone) and another certified worker of the demo company with a unique name.
      const demoId = (await workers.findWorkerIdByUser(accounts.worker!))!;
      const names = new Map<string, number>();
      const staff: { id: string; name: string }[] = [];
      for (const id of ids.worker ?? []) {
        const f = await workers.trustFacts(id);
        if (f?.companyId !== companyId) continue;
        names.set(f.name, (names.get(f.name) ?? 0) + 1);
        staff.push({ id, name: f.name });
      }
      for (const w of [staff.find((s) => s.id === demoId)!, ...staff.filter((s) => s.id !== demoId)]) {
        if (names.get(w.name) !== 1) continue;
        const st = await certification.workerStatus(w.id);
        if (st.certificate?.state !== 'active') continue;
        targets.push({ ...w, certNumber: st.certificate.number });
        if (targets.length === 2) break;
      }
      expect(targets.map((x) => x.id)).toContain(demoId);
      expect(targets).toHaveLength(2);
      browser = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (failed || shots.size < 4) return;
      mkdirSync(screenshotsDir, { recursive: true });
      for (const [file, png] of shots) writeFileSync(join(screenshotsDir, file), png);
    });

    it('enrol two → insurer confirms → 已投保，保障至 on the verify page → worker reports on the phone → insurer pays', async () => {
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
        // --- The company enrols two of its workers. ---
        const company = await open(DESKTOP_VIEWPORT);
        await signIn(company, server, phoneOf('companyAdmin'), '/company/insurance');
        await pick(company, '保险产品', PRODUCT);
        await company.getByTestId('split-preview').waitFor();
        // 120 元: half subsidised (capped at 60), the company pays the rest.
        expect(await company.getByTestId('split-preview').textContent()).toContain('财政补贴 60 元');
        for (const w of targets) await pick(company, '投保人员', w.name, w.name);
        await company.keyboard.press('Escape');
        await company.getByRole('button', { name: '提交投保' }).click();
        const pendingRows = company.locator('.ant-table-row').filter({ hasText: '待承保确认' });
        await expect.poll(() => pendingRows.count(), { timeout: 20_000 }).toBe(2);
        shots.set('insurance-1-enrolled-desktop.png', await company.screenshot({ fullPage: true }));

        // --- The insurer confirms both. ---
        const insurer = await open(DESKTOP_VIEWPORT);
        await signIn(insurer, server, phoneOf('insurer'), '/insurer/insured');
        const rows = insurer.locator('.ant-table-row');
        await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
        await insurer.locator('.ant-table-thead .ant-checkbox-input').check();
        await insurer.getByRole('button', { name: '确认承保（2）' }).click();
        await expect.poll(() => insurer.locator('.ant-table-row').count(), { timeout: 20_000 }).toBe(0);
        await insurer.locator('.ant-segmented-item').filter({ hasText: '保障中' }).click();
        await expect.poll(() => insurer.locator('.ant-table-row').count(), { timeout: 20_000 }).toBe(2);
        const endsOn = (await insurer.locator('.ant-table-row').first().textContent())!.match(
          /~ (\d{4}-\d{2}-\d{2})/,
        )![1]!;
        shots.set('insurance-2-confirmed-desktop.png', await insurer.screenshot({ fullPage: true }));

        // --- Anyone checking the card sees the cover. ---
        const visitor = await open(PHONE_VIEWPORT);
        for (const w of targets) {
          await visitor.goto(`/verify?number=${encodeURIComponent(w.certNumber)}`);
          await visitor.getByText(`已投保，保障至 ${endsOn}`).waitFor();
        }
        await expectNoHorizontalScroll(visitor);
        shots.set('insurance-3-verify-360.png', await visitor.screenshot({ fullPage: true }));

        // --- The worker reports a claim on the phone. ---
        const worker = await open(PHONE_VIEWPORT);
        await signIn(worker, server, phoneOf('worker'), '/worker/insurance');
        await worker
          .getByTestId('cover')
          .filter({ hasText: `已投保，保障至 ${endsOn}` })
          .waitFor();
        await worker.getByRole('button', { name: '我要报案' }).click();
        await worker.waitForURL('**/worker/insurance/claim');
        await pick(worker, '保障项目', '意外医疗');
        await worker.getByLabel('出险地点').fill('广州市天河区体育西路191号');
        await worker.getByLabel('事故经过').fill('擦窗时从梯子上滑落，右手腕扭伤');
        await worker.getByLabel('证明材料（每行一项，如：门诊病历、发票）').fill('门诊病历\n医疗费发票');
        await worker.getByLabel('申请金额（元）').fill('1200');
        await expectNoHorizontalScroll(worker);
        shots.set('insurance-4-claim-form-360.png', await worker.screenshot({ fullPage: true }));
        await worker.getByRole('button', { name: '提交报案' }).click();
        await worker.waitForURL(/\/worker\/insurance\/claims\/clm_[a-z0-9]+$/);
        const claimId = worker.url().split('/').pop()!;
        await worker.locator('.insurance-claim h2').filter({ hasText: '已报案' }).waitFor();
        await worker.getByTestId('sla').waitFor(); // the insurer's response time is visible
        await expectNoHorizontalScroll(worker);

        // --- The insurer assesses and pays. ---
        await insurer.goto('/insurer/claims');
        await insurer
          .locator('.ant-table-row')
          .filter({ hasText: '已报案' })
          .getByRole('link')
          .first()
          .click();
        await insurer.waitForURL(`**/insurer/claims/${claimId}`);
        await insurer.getByRole('button', { name: '受理审核' }).click();
        await insurer.locator('.insurance-claim h2').filter({ hasText: '审核中' }).waitFor();
        await insurer.getByLabel('核定金额（元）').fill('1000');
        await insurer.getByRole('button', { name: '核定赔付' }).click();
        await insurer.locator('.insurance-claim h2').filter({ hasText: '已核定' }).waitFor();
        await insurer.getByLabel('支付流水号').fill('PICC-GZ-0001');
        await insurer.getByRole('button', { name: '登记赔付' }).click();
        await insurer.locator('.insurance-claim h2').filter({ hasText: '已赔付' }).waitFor();
        shots.set('insurance-5-paid-desktop.png', await insurer.screenshot({ fullPage: true }));

        // --- The worker sees the payout. ---
        await worker.reload();
        await worker.locator('.insurance-claim h2').filter({ hasText: '已赔付' }).waitFor();
        expect(await worker.getByTestId('claim-paid').textContent()).toBe('1,000 元');
        const notices = await worker.evaluate(async () => {
          const r = await fetch('/api/v1/me/notifications?limit=20', { credentials: 'include' });
          return (await r.json()) as { items: { title: string }[] };
        });
        expect(notices.items.some((n) => n.title.includes('已赔付'))).toBe(true);
        expect(pageErrors).toEqual([]);
      } catch (e) {
        failed = true;
        mkdirSync(resultsDir, { recursive: true });
        for (const [i, c] of contexts.entries())
          for (const [j, p] of c.pages().entries())
            writeFileSync(
              join(resultsDir, `insurance-failure-${i}-${j}.png`),
              await p.screenshot({ fullPage: true }),
            );
        throw e;
      } finally {
        for (const c of contexts) await c.close();
      }
    });
  },
);
