import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { base32Decode, totpAt } from '../../src/server/modules/identity/totp.js';
import { DEMO_PASSWORD, demoAccounts, seedDemoCityIfEmpty } from '../../src/server/seed/demo.js';
import { isDevSink } from '../../src/server/platform/sms/sms.js';
import { type RunningServer, startServer } from './server.js';

/** The flags every journey runs Debian's Chromium with (no sandbox in the CI container, no background traffic). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches the Chromium the global setup found (`/usr/bin/chromium`), with the common flags and any extra ones
 * (e.g. fake media devices for the video interview).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = inject('chromiumPath');
  if (!executablePath) throw new Error('no Chromium: the e2e global setup did not find one');
  return chromium.launch({ executablePath, args: [...chromiumArgs, ...extraArgs] });
}

/** A free loopback port: WebAuthn needs a host name (localhost), not 127.0.0.1, and PUBLIC_URL must name the port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface JourneyOptions {
  /** Seed the demo city once the server is up (demo accounts sign in with DEMO_PASSWORD). */
  seed?: boolean;
  /** Serve at http://localhost:<free port> with PUBLIC_URL naming it, as a WebAuthn origin must. */
  localhost?: boolean;
}

/** A suite's server and browser, started before its tests and closed after them with every context it opened. */
export interface Journey {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** Where pages open: the server's URL, or http://localhost:<port> with `localhost`. */
  readonly origin: string;
  /** A new context at `origin` in zh-CN and Asia/Shanghai; `options` add to (or override) those. */
  context(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * Registers the suite's beforeAll (the real server on the built web app, the demo city if asked, Chromium) and
 * afterAll (contexts, browser, server). Call it in a describe body; read `server` and `browser` inside tests.
 */
export function useJourney({ seed = false, localhost = false }: JourneyOptions = {}): Journey {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let origin: string | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const webRoot = inject('webRoot');
    if (localhost) {
      const port = await freePort();
      origin = `http://localhost:${port}`;
      server = await startServer({ webRoot, port, env: { PUBLIC_URL: origin } });
    } else {
      server = await startServer({ webRoot });
      origin = server.url;
    }
    if (seed) await seedDemoCityIfEmpty(server.app);
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the journey's ${what} is not started (read it inside a test)`);
    return value;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    get origin() {
      return started(origin, 'origin');
    },
    async context(options: BrowserContextOptions = {}) {
      const c = await started(browser, 'browser').newContext({
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        baseURL: started(origin, 'origin'),
        ...options,
      });
      contexts.push(c);
      return c;
    },
  };
}

/** The phone of a demo-city account by its key (`resident`, `regulator`, `securityAdmin` …). */
export function demoPhone(key: string): string {
  const account = demoAccounts.find((a) => a.key === key);
  if (!account) throw new Error(`no demo account ${key}`);
  return account.phone;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A serious or critical axe finding: rule, impact, help text and the CSS targets of the offending nodes. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string;
}

/**
 * Runs axe-core in the page over WCAG 2.x A/AA (2.2 AA included) and best practices and returns the serious and
 * critical findings. axe goes in as an inline script, so the page's context needs `bypassCSP: true`.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = (await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> };
    };
    const result = await w.axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return result.violations;
  })) as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact!,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).join(', '),
    }));
}

/** Waits until the page is quiet: no network for a moment and no antd spinner or lazy-page loader left. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page
    .locator('.ant-spin-spinning, .page-loader')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}

/** The MFA code the running server's dev SMS sink last sent to a phone. */
function mfaCode(server: RunningServer, phone: string): string {
  const sms = server.app.sms;
  if (!isDevSink(sms)) throw new Error('e2e sign-in of a regulator or admin needs the dev SMS sink');
  const sent = sms.latest(phone);
  if (sent?.purpose !== 'mfa') throw new Error(`no MFA code was sent to ${phone.slice(0, 3)}****`);
  return sent.code;
}

/**
 * Signs in through the login page and lands on `next`. Regulator and admin accounts get the SMS step after the
 * password: the code is read from the server's dev SMS sink and typed in, as a person would from their phone.
 */
export async function signIn(
  page: Page,
  server: RunningServer,
  phone: string,
  next: string,
  password: string = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  const confirm = page.getByRole('button', { name: '验证并进入' });
  // Whichever comes first: the page asked for, or the second step. Both waits settle (no stray rejection).
  const landed = page.waitForURL(`**${next}`).then(
    () => 'landed' as const,
    () => 'timeout' as const,
  );
  const asked = confirm.waitFor().then(
    () => 'mfa' as const,
    () => 'timeout' as const,
  );
  const step = await Promise.race([landed, asked]);
  if (step === 'mfa') {
    await page.getByLabel('短信验证码').fill(mfaCode(server, phone));
    await confirm.click();
    await page.waitForURL(`**${next}`);
  } else if (step === 'timeout') {
    throw new Error(`sign-in did not reach ${next}`);
  }
}

/** The same sign-in over the API for a browser context (pages then open already signed in). */
export async function signInByApi(
  request: APIRequestContext,
  server: RunningServer,
  phone: string,
  password: string = DEMO_PASSWORD,
): Promise<number> {
  const res = await request.post('/api/v1/auth/login/password', { data: { phone, password } });
  if (res.status() !== 200) return res.status();
  const { user } = (await res.json()) as { user: { mfaPending: boolean } };
  if (!user.mfaPending) return 200;
  const ok = await request.post('/api/v1/auth/mfa/verify', { data: { code: mfaCode(server, phone) } });
  return ok.status();
}

/**
 * Starts and confirms an authenticator (TOTP) on a signed-in context's session, as the person's app would. Returns
 * the key and when its first code was used: that time step is spent, a later code must come from the next one.
 */
export async function enrolTotpByApi(request: APIRequestContext): Promise<{ key: Buffer; at: Date }> {
  const started = await request.post('/api/v1/auth/totp/enrol');
  expect(started.status()).toBe(201);
  const key = base32Decode(((await started.json()) as { secret: string }).secret);
  const at = new Date();
  const confirmed = await request.post('/api/v1/auth/totp/confirm', { data: { code: totpAt(key, at) } });
  expect(confirmed.status()).toBe(200);
  return { key, at };
}

/** Writes a journey's screenshot into docs/screenshots (the README and docs show them). */
export function writeScreenshot(file: string, png: Buffer): void {
  const dir = join(resolve(import.meta.dirname, '../..'), 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), png);
}
