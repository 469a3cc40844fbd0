import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeIdCard } from '../../src/shared/validators/index.js';
import type { Actor } from '../../src/server/platform/http/actor.js';
import type { RequestContext } from '../../src/server/platform/http/context.js';
import { CONSENT_VERSION } from '../../src/server/modules/workers/index.js';
import { DEMO_PASSWORD, DEMO_SEED, demoAccounts, seedSteps } from '../../src/server/seed/demo.js';
import { createRandom } from '../../src/server/seed/random.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn, axeFindings } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const resultsDir = join(repo, 'test-results');
const PHONE = { width: 360, height: 740 };
const FAIR = '天河区家政专场招聘会（公开页测试）';
const POST = '招聘会专场：住家育婴员';
const SEEKER = { phone: '13900003201', name: '龙秀兰' };

const ctxOf = (userId: string, roles: Actor['roles'], companyId?: string): RequestContext => ({
  actor: {
    userId,
    sessionId: 'e2e',
    name: 'e2e',
    phoneMasked: '',
    roles,
    memberships: companyId ? [{ orgId: companyId, orgName: '', orgType: 'company', role: 'admin' }] : [],
    regulatorDistrict: null,
  },
  requestId: 'e2e-fairs',
  ip: null,
});

describe.skipIf(!chromiumPath)(
  'journey: a stranger finds a job fair on the phone and is asked to sign in; 当家政 opt-in and invitation',
  () => {
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await startServer({ webRoot });
      const seed = { app: server.app, random: createRandom(DEMO_SEED), ids: {}, accounts: {} } as Parameters<
        (typeof seedSteps)[number]['run']
      >[0];
      for (const step of seedSteps.filter((s) => ['organizations', 'accounts'].includes(s.name)))
        await step.run(seed);
      const accounts = seed.accounts as Record<string, string>;
      const { recruitment, orgs } = server.app.services;
      let companyId: string | undefined;
      for (const id of (seed.ids as Record<string, string[]>).company ?? [])
        if ((await orgs.getOrganization(id))?.status === 'active') {
          companyId = id;
          break;
        }
      const regulator = ctxOf(accounts.regulator!, ['regulator']);
      const company = ctxOf(accounts.companyAdmin!, ['company_admin'], companyId);
      const start = Date.now() + 2 * 86_400_000;
      const fair = await recruitment.createFair(regulator, {
        title: FAIR,
        format: 'venue',
        venue: '天河区人力资源市场一楼大厅',
        district: '440106',
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 6 * 3600_000).toISOString(),
      });
      await recruitment.joinFair(company, fair.id, companyId!);
      await recruitment.createPost(company, companyId!, {
        title: POST,
        category: 'infant_care',
        mode: 'live_in',
        district: '440106',
        location: '天河区珠江新城',
        salaryMinFen: 700_000,
        salaryMaxFen: 900_000,
        certificateRequired: false,
        minExperienceYears: 1,
        minAge: 25,
        maxAge: 55,
        benefits: ['accident_insurance', 'housing'],
        description: '照顾 1 岁宝宝，包吃住。',
        headcount: 2,
        closesOn: new Date(start + 10 * 86_400_000).toISOString().slice(0, 10),
        fairId: fair.id,
      });
      // A job seeker who registered for the fair and has not completed the certificate checks (当家政).
      const seekerId = await server.app.services.identity.createAccount({
        phone: SEEKER.phone,
        password: DEMO_PASSWORD,
        name: SEEKER.name,
        roles: [{ role: 'worker' }],
      });
      const seeker = ctxOf(seekerId, ['worker']);
      await server.app.services.workers.registerSelf(seeker, {
        name: SEEKER.name,
        idNumber: makeIdCard('440106', '1990-03-08', 417),
        district: '440106',
        categories: ['infant_care'],
        skillLevel: 'level5',
        yearsExperience: 1,
        languages: ['普通话'],
        intro: '想做育婴员',
        consent: { version: CONSENT_VERSION, accepted: true },
      });
      await recruitment.registerForFair(seeker, fair.id);
      browser = await launchBrowser();
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('home → fairs → one fair with its company and post → sign in to register, on a 360 px phone', async () => {
      // axe is injected as an inline script, which the app's CSP rightly refuses.
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: PHONE,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        bypassCSP: true,
      });
      const page = await context.newPage();
      const axe = async () => (await axeFindings(page)).map((v) => `${v.id} (${v.impact})`);
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth);
      try {
        await page.goto('/');
        await page
          .getByRole('link', { name: /招聘会/ })
          .first()
          .click();
        await page.waitForURL('**/jobs/fairs');
        await page.getByRole('heading', { name: '家政专场招聘会', level: 1 }).waitFor();
        await page.getByRole('link', { name: FAIR }).waitFor();
        expect(await fits()).toBeLessThanOrEqual(PHONE.width);
        expect(await axe()).toEqual([]);

        await page.getByRole('link', { name: FAIR }).click();
        await page.getByRole('heading', { name: FAIR, level: 1 }).waitFor();
        await page.getByText(POST).waitFor();
        await page.getByText('天河区人力资源市场一楼大厅').first().waitFor();
        expect(await fits()).toBeLessThanOrEqual(PHONE.width);
        expect(await axe()).toEqual([]);

        await page.getByRole('link', { name: '登录后报名' }).click();
        await page.waitForURL(/\/login\?next=%2Fworker%2Fjobs%2Ffairs%2Fjf_/);
        await page.getByLabel('手机号').waitFor();
      } catch (e) {
        await page.screenshot({ path: join(resultsDir, 'recruitment-fairs.png') }).catch(() => undefined);
        throw e;
      } finally {
        await context.close();
      }
    }, 300_000);

    it('当家政: the seeker opts in on the phone; the regulator sees them and sends an invitation', async () => {
      const phone = await browser.newContext({ baseURL: server.url, viewport: PHONE, locale: 'zh-CN' });
      const desk = await browser.newContext({
        baseURL: server.url,
        viewport: { width: 1280, height: 800 },
        locale: 'zh-CN',
      });
      const w = await phone.newPage();
      const r = await desk.newPage();
      try {
        await signIn(w, server, SEEKER.phone, '/worker/jobs');
        await w.getByRole('tab', { name: '订阅' }).click();
        await w.getByRole('switch', { name: '愿意接受完成登记的邀请' }).click();
        await w.waitForFunction(
          () => document.querySelector('#contact-optin')?.getAttribute('aria-checked') === 'true',
        );
        expect(await w.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

        const regulator = demoAccounts.find((a) => a.key === 'regulator')!.phone;
        await signIn(r, server, regulator, '/regulator/employment');
        await r.getByRole('tab', { name: '当家政' }).click();
        const row = r.getByRole('row').filter({ hasText: SEEKER.name });
        await row.getByText('报名招聘会').waitFor();
        await row.getByRole('button', { name: `邀请 ${SEEKER.name} 完成登记` }).click();
        await row.getByText('—').waitFor({ state: 'detached' });

        await w.goto('/worker/notifications');
        await w.getByText('欢迎成为家政服务员').first().waitFor();
      } catch (e) {
        await w
          .screenshot({ path: join(resultsDir, 'recruitment-likely-worker.png') })
          .catch(() => undefined);
        await r
          .screenshot({ path: join(resultsDir, 'recruitment-likely-regulator.png') })
          .catch(() => undefined);
        throw e;
      } finally {
        await phone.close();
        await desk.close();
      }
    }, 300_000);
  },
);
