import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { and, eq, isNull } from 'drizzle-orm';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workerDocument } from '../../src/server/modules/workers/workers.tables.js';
import { makeIdCard } from '../../src/shared/validators/index.js';
import { type RunningServer, startServer } from './server.js';
import { launchBrowser, signIn } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const resultsDir = join(repo, 'test-results');
const screenshotsDir = join(repo, 'docs/screenshots');

const PHONE_VIEWPORT = { width: 360, height: 740 };
const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
const PASSWORD = 'Anxin2024jia';

/** A mainland number no earlier run used: 13x + 8 digits from the clock and a random tail. */
function freshPhone(prefix = '139'): string {
  const n = ((Date.now() % 100_000) * 1000 + Math.floor(Math.random() * 1000)) % 100_000_000;
  return `${prefix}${String(n).padStart(8, '0')}`;
}

/** A day in Asia/Shanghai (the server's calendar for document dates), `offset` days from today, YYYY-MM-DD. */
function shanghaiDay(offset = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

async function latestCode(baseUrl: string, phone: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/dev/sms/latest?phone=${phone}`);
  expect(res.status, 'the dev SMS sink should hold a code').toBe(200);
  const body = (await res.json()) as { code: string };
  return body.code;
}

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(
    scrollWidth,
    `${new URL(page.url()).pathname} is ${scrollWidth}px wide in a ${innerWidth}px viewport`,
  ).toBeLessThanOrEqual(innerWidth);
}

// --- Small valid files for the uploads (the server sniffs the bytes, not the name). ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 16×10 RGB PNG filled with one colour (a different colour per document, so the files differ). */
function makePng([r, g, b]: [number, number, number]): Buffer {
  const width = 16;
  const height = 10;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat()),
  ]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF 1.4 with a correct cross-reference table. */
function makePdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// --- antd helpers ---

/** Opens the antd Select labelled `label`, clicks the option showing `option` and checks it took. */
async function pickOption(scope: Page | Locator, page: Page, label: string, option: string): Promise<void> {
  const box = scope
    .getByLabel(label, { exact: true })
    .locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const item = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: option })
    .first();
  for (let attempt = 0; ; attempt++) {
    // Click the box, not its search input: once a value is chosen it covers the input.
    if (attempt === 0 || !(await item.isVisible())) await box.locator('.ant-select-selector').click();
    await item.click();
    const chosen = () => box.locator('.ant-select-selection-item').filter({ hasText: option }).count();
    try {
      await expect.poll(chosen, { timeout: 2_000 }).toBeGreaterThan(0);
      return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

/** Types a date into the antd DatePicker labelled `label` and confirms it with Enter (which closes the panel). */
async function pickDate(scope: Page | Locator, label: string, date: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(date);
}

describe.skipIf(!chromiumPath)(
  'journey: a worker earns the 安心服务证; a resident scans it: green, then yellow when the health certificate expires',
  () => {
    let server: RunningServer;
    let browser: Browser;
    const shots = new Map<string, Buffer>();
    let failed = false;

    beforeAll(async () => {
      server = await startServer({ webRoot });
      browser = await launchBrowser();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('registration → documents → regulator review, checks and issue → wallet → /v/<token> green → health expires → yellow', async () => {
      failed = false;
      shots.clear();
      const contexts: BrowserContext[] = [];
      const pageErrors: string[] = [];
      /** A fresh browser context (own cookies) with one page; page errors are collected for the final check. */
      const open = async (role: string, viewport: { width: number; height: number }): Promise<Page> => {
        const context = await browser.newContext({
          viewport,
          locale: 'zh-CN',
          timezoneId: 'Asia/Shanghai',
          baseURL: server.url,
        });
        contexts.push(context);
        const page = await context.newPage();
        page.on('pageerror', (e) => pageErrors.push(`${role}: ${e.message}`));
        return page;
      };

      // Each attempt (vitest retries once) is a new person: new phone, new ID number, new name.
      const phone = freshPhone('138');
      const given = '秀丽春桂玉兰淑雪梅凤'[Math.floor(Math.random() * 10)]!;
      const name = `张${given}芳`;
      const masked = `张*芳`;
      const birth = `19${80 + Math.floor(Math.random() * 10)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
      const idNumber = makeIdCard('440106', birth, Math.floor(Math.random() * 1000));
      const today = shanghaiDay(0);
      const healthIssued = shanghaiDay(-2);
      const healthExpires = shanghaiDay(330); // about 11 months
      const yesterday = shanghaiDay(-1);

      try {
        // ---------- 1. Registration by SMS code, then the become-worker wizard (360 px) ----------
        const worker = await open('worker', PHONE_VIEWPORT);
        await worker.goto('/register');
        await worker.getByLabel('手机号').fill(phone);
        await worker.getByRole('button', { name: '获取验证码' }).click();
        const codeInput = worker.getByLabel('短信验证码');
        await codeInput.waitFor();
        await expect.poll(() => worker.getByRole('button', { name: /秒后重新获取/ }).count()).toBe(1);
        await codeInput.fill(await latestCode(server.url, phone));
        await worker.getByLabel('姓名').fill(name);
        await worker.getByLabel('密码', { exact: true }).fill(PASSWORD);
        await worker.getByLabel('确认密码').fill(PASSWORD);
        await worker.getByRole('checkbox').check();
        await expectNoHorizontalScroll(worker);
        await worker.getByRole('button', { name: '注册', exact: true }).click();
        await worker.waitForURL('**/resident');
        await worker.getByRole('heading', { level: 1, name: `您好，${name}` }).waitFor();

        // The resident console offers "成为家政服务员".
        await worker
          .getByRole('link', { name: /成为家政服务员/ })
          .first()
          .click();
        await worker.waitForURL('**/resident/become-worker');
        await worker.getByText('登记为家政服务员').first().waitFor();
        await worker.getByText('版本', { exact: false }).first().waitFor();
        await expectNoHorizontalScroll(worker);
        await worker.getByRole('checkbox', { name: /信用信息授权书/ }).check();
        await worker.getByRole('button', { name: '下一步' }).click();

        await worker.getByLabel('姓名', { exact: true }).fill(name);
        await worker.getByLabel('身份证号码').fill(idNumber);
        await pickOption(worker, worker, '所在区', '天河区');
        await expectNoHorizontalScroll(worker);
        await worker.getByRole('button', { name: '下一步' }).click();

        await pickOption(worker, worker, '服务类别', '一般家务/保洁');
        await worker
          .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
          .filter({ hasText: '家庭烹饪' })
          .click();
        await worker.keyboard.press('Escape');
        await pickOption(worker, worker, '技能等级', '四级');
        await expectNoHorizontalScroll(worker);
        await worker.getByRole('button', { name: '提交' }).click();
        await worker.getByText('登记成功').waitFor();

        // The account now has the worker role: the wizard's button leads into the worker console.
        await worker.getByRole('link', { name: '去上传证件' }).click();
        await worker.waitForURL('**/worker/documents');
        await worker.getByText('服务员中心').first().waitFor();
        await worker
          .getByRole('navigation', { name: '主导航' })
          .getByRole('link', { name: /安心服务证/ })
          .waitFor();

        // ---------- 2. The five documents (360 px) ----------
        await worker.getByText('上传证件').first().waitFor();
        await expectNoHorizontalScroll(worker);
        const uploads: {
          kind: string;
          file: { name: string; mimeType: string; buffer: Buffer };
          dates?: [string, string];
          number?: string;
        }[] = [
          {
            kind: '身份证人像面',
            file: { name: 'id-front.png', mimeType: 'image/png', buffer: makePng([200, 60, 60]) },
          },
          {
            kind: '身份证国徽面',
            file: { name: 'id-back.png', mimeType: 'image/png', buffer: makePng([60, 60, 200]) },
          },
          {
            kind: '健康证/体检报告',
            file: { name: 'health.pdf', mimeType: 'application/pdf', buffer: makePdf('Health certificate') },
            dates: [healthIssued, healthExpires],
            number: `JK${phone.slice(-6)}`,
          },
          {
            kind: '无犯罪记录证明',
            file: {
              name: 'no-record.pdf',
              mimeType: 'application/pdf',
              buffer: makePdf('No criminal record'),
            },
          },
          {
            kind: '职业技能/培训证书',
            file: { name: 'skill.png', mimeType: 'image/png', buffer: makePng([60, 160, 60]) },
          },
        ];
        const listItems = worker.locator('.ant-list-item');
        for (const [i, u] of uploads.entries()) {
          await pickOption(worker, worker, '证件类型', u.kind);
          if (u.dates) {
            await pickDate(worker, '签发日期', u.dates[0]);
            await pickDate(worker, '有效期至', u.dates[1]);
          }
          if (u.number) await worker.getByLabel('证件编号').fill(u.number);
          await worker.locator('input[type="file"]').setInputFiles(u.file);
          await worker.getByText(u.file.name).waitFor();
          await worker.getByRole('button', { name: '提交' }).click();
          await expect.poll(() => listItems.count(), { timeout: 10_000 }).toBe(i + 1);
          // The form resets for the next document.
          await expect.poll(() => worker.getByText(u.file.name).count()).toBe(0);
        }
        await expect.poll(() => listItems.filter({ hasText: '待审核' }).count()).toBe(5);
        await listItems.filter({ hasText: `有效期至 ${healthExpires}` }).waitFor();
        await expectNoHorizontalScroll(worker);

        // The worker's own id: the regulator's certificate form asks for it, and no regulator page shows it
        // (the workers table has no id column), so the worker reads it out — here through their own API.
        const meRes = await worker.request.get('/api/v1/workers/me');
        expect(meRes.status()).toBe(200);
        const workerId = ((await meRes.json()) as { id: string }).id;
        expect(workerId).toMatch(/^wk_/);

        // ---------- 3. The regulator (1280 px): review queue, checks, issue ----------
        const regulatorPhone = freshPhone('137');
        await server.app.services.identity.createAccount({
          phone: regulatorPhone,
          password: PASSWORD,
          name: '市监管员',
          roles: [{ role: 'regulator' }],
        });
        const regulator = await open('regulator', DESKTOP_VIEWPORT);
        await signIn(regulator, server, regulatorPhone, '/regulator/reviews', PASSWORD);

        // UI: select this worker's five pending documents and approve them in bulk.
        const rows = regulator.locator('tr.ant-table-row').filter({ hasText: name });
        await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(5);
        for (const row of await rows.all()) await row.getByRole('checkbox').check();
        await regulator.getByRole('button', { name: '批量通过（5）' }).click();
        await regulator.getByText('已处理 5 份').waitFor();
        await expect.poll(() => rows.count()).toBe(0);

        // UI: the regulator workers page records the background check and the training result.
        await regulator.goto('/regulator/workers');
        await regulator.getByPlaceholder('姓名').fill(name);
        await regulator.getByPlaceholder('姓名').press('Enter');
        const workerRow = regulator.locator('tr.ant-table-row').filter({ hasText: name });
        await expect.poll(() => workerRow.count(), { timeout: 10_000 }).toBe(1);
        // The list masks the ID number.
        expect(await workerRow.textContent()).not.toContain(idNumber);

        await workerRow.getByRole('button', { name: '背景核查' }).click();
        const checkDialog = regulator.getByRole('dialog');
        await checkDialog.getByText(`${name} · 背景核查`).waitFor();
        await pickOption(checkDialog, regulator, '状态', '无犯罪记录');
        await pickDate(checkDialog, '核查日期', today);
        await checkDialog.getByLabel('核查编号').fill(`GA-${phone.slice(-6)}`);
        await checkDialog.getByRole('button', { name: '确定' }).click();
        await regulator.getByText('已保存').first().waitFor();
        await checkDialog.waitFor({ state: 'hidden' });

        await workerRow.getByRole('button', { name: '培训成绩' }).click();
        const trainingDialog = regulator.getByRole('dialog');
        await trainingDialog.getByText(`${name} · 培训成绩`).waitFor();
        expect(await trainingDialog.getByLabel('课程名称').inputValue()).toBe('家政服务员岗前培训');
        expect(await trainingDialog.getByRole('switch').getAttribute('aria-checked')).toBe('true');
        await trainingDialog.getByLabel('成绩').fill('92');
        await pickDate(trainingDialog, '考试日期', today);
        await trainingDialog.getByRole('button', { name: '确定' }).click();
        await expect.poll(() => regulator.getByText('已保存').count()).toBeGreaterThanOrEqual(1);
        await trainingDialog.waitFor({ state: 'hidden' });

        // UI: /regulator/certificates shows the checklist for the worker id and issues the certificate.
        await regulator.goto('/regulator/certificates');
        await regulator.getByLabel('家政员编号').fill(workerId);
        await regulator.getByRole('button', { name: '查看核验' }).click();
        const checklist = regulator.getByRole('list', { name: '核验清单' });
        await checklist.waitFor();
        await expect.poll(() => checklist.locator('li.check-ok').count()).toBe(6);
        await regulator.getByRole('button', { name: '发证' }).click();
        await regulator.getByText('操作成功').waitFor();
        const certRow = regulator.locator('tr.ant-table-row').filter({ hasText: name });
        await certRow.waitFor();
        await certRow.getByText('绿码').waitFor();
        const certNumber = (await certRow.locator('td').first().textContent())?.trim() ?? '';
        expect(certNumber).not.toBe('');

        // ---------- 4. The worker's wallet (360 px) ----------
        await worker.goto('/worker/card');
        await worker.getByRole('heading', { level: 1, name: '安心服务证' }).waitFor();
        await worker.locator('.trust-badge').filter({ hasText: '绿码' }).waitFor();
        await worker.getByText(certNumber).first().waitFor();
        const openLink = worker.getByRole('link', { name: '打开查验页' });
        const href = await openLink.getAttribute('href');
        expect(href).toMatch(/\/v\/[^/]+$/);
        const walletRes = await worker.request.get('/api/v1/workers/me/certificate');
        const wallet = (await walletRes.json()) as {
          color: string;
          verifyUrl: string | null;
          certificate: { number: string } | null;
        };
        expect(wallet).toMatchObject({
          color: 'green',
          verifyUrl: href,
          certificate: { number: certNumber },
        });
        const verifyPath = new URL(href!).pathname;
        // The card image (drawn by the server) has loaded.
        await expect
          .poll(() =>
            worker
              .locator('.wallet-card img')
              .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
          )
          .toBeGreaterThan(0);
        await expectNoHorizontalScroll(worker);

        // ---------- 5. A resident scans the code: an anonymous phone opens /v/<token> ----------
        const resident = await open('resident', PHONE_VIEWPORT);
        const first = await resident.goto(verifyPath);
        expect(first?.status()).toBe(200);
        const status = resident.getByRole('status');
        await expect.poll(() => status.textContent()).toContain('绿码');
        expect(await status.textContent()).toContain('各项核验有效');
        expect(await resident.locator('.name').textContent()).toBe(masked);
        const body = (await resident.locator('body').textContent()) ?? '';
        expect(body).toContain(certNumber);
        expect(body).toContain(`有效期至 ${healthExpires}`);
        expect(body, 'the public page must not show the full name').not.toContain(name);
        expect(body).not.toContain(idNumber);
        await expectNoHorizontalScroll(resident);
        shots.set('verify-green-360.png', await resident.screenshot({ fullPage: true }));

        // ---------- 6. Time passes: the health certificate expires ----------
        // The server judges expiry against the real clock, so instead of waiting 11 months we move the approved
        // health certificate's last valid day to yesterday, straight in the database.
        const moved = await server.app.database.db
          .update(workerDocument)
          .set({ expiresOn: yesterday })
          .where(
            and(
              eq(workerDocument.workerId, workerId),
              eq(workerDocument.kind, 'health'),
              eq(workerDocument.state, 'approved'),
              isNull(workerDocument.supersededAt),
            ),
          )
          .returning({ id: workerDocument.id });
        expect(moved).toHaveLength(1);

        // The resident scans again (reload): yellow, with the reason in Chinese.
        const again = await resident.reload();
        expect(again?.status()).toBe(200);
        await expect.poll(() => status.textContent()).toContain('黄码');
        expect(await status.textContent()).toContain('健康证已过期，暂停接新单');
        expect(await resident.locator('.name').textContent()).toBe(masked);
        const body2 = (await resident.locator('body').textContent()) ?? '';
        expect(body2).toContain(certNumber);
        expect(body2).toContain(`已过期（${yesterday} 到期）`);
        await expectNoHorizontalScroll(resident);
        shots.set('verify-yellow-360.png', await resident.screenshot({ fullPage: true }));

        // The worker's wallet turns yellow too, and says no new bookings until renewed.
        await worker.reload();
        await worker
          .locator('.trust-badge')
          .filter({ hasText: '黄码' })
          .filter({ hasText: '健康证已过期' })
          .waitFor();
        await worker.getByText('不能接新单').waitFor();
        await expectNoHorizontalScroll(worker);

        // ---------- 7. No uncaught errors in any page ----------
        expect(pageErrors, 'uncaught errors in the pages').toEqual([]);
      } catch (e) {
        failed = true;
        mkdirSync(resultsDir, { recursive: true });
        for (const [i, context] of contexts.entries()) {
          for (const page of context.pages()) {
            await page
              .screenshot({ path: join(resultsDir, `trust-record-${i}-${Date.now()}.png`), fullPage: true })
              .catch(() => undefined);
          }
        }
        throw e;
      } finally {
        for (const context of contexts) await context.close();
      }
    });

    afterAll(() => {
      // Screenshots are kept only from a run where the journey passed.
      if (failed || shots.size < 2) return;
      mkdirSync(screenshotsDir, { recursive: true });
      for (const [file, png] of shots) writeFileSync(join(screenshotsDir, file), png);
    });
  },
);
