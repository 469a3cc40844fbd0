// `npm run bench:pages [-- --json]`
//
// How heavy the phone-facing pages are (issue 15): builds the web app when dist/web is missing, starts the real
// server on an in-memory PGlite with the demo city, then opens each page in Debian's Chromium as a mid-range
// phone would (360×740, CPU slowed 4×, "fast 3G": 1.6 Mbit/s down, 150 ms latency) with an empty cache, and
// reports per page: JavaScript and CSS bytes (compressed, as transferred, and decoded), requests, First
// Contentful Paint, Largest Contentful Paint and load; and the initial JavaScript of index.html raw, gzip and brotli
// (the precompressed copies the server sends). Prints one JSON object with --json.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { sampleVerifyTokens } from '../src/server/modules/certification/index.js';
import { seedDemoCityIfEmpty } from '../src/server/seed/demo.js';
import { startServer } from '../test/e2e/server.js';

const root = resolve(import.meta.dirname, '..');
const asJson = process.argv.includes('--json');
const say = (line: string) => (asJson ? process.stderr.write(`${line}\n`) : console.log(line));
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// A build from before precompression (no index.html.br) would measure uncompressed transfers: rebuild it.
if (!existsSync(join(root, 'dist/web/index.html')) || !existsSync(join(root, 'dist/web/index.html.br'))) {
  say('building the web app …');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
}
if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install chromium)`);

// A private copy: a `vite build` elsewhere in the tree meanwhile empties dist/web, and the server makes its routes
// from the files present at start.
const webDir = mkdtempSync(join(tmpdir(), 'anxin-bench-web-'));
cpSync(join(root, 'dist/web'), webDir, { recursive: true });
// Initial JavaScript: what index.html names (entry script + modulepreloads), raw and as the server sends it.
const initialJs = [
  ...readFileSync(join(webDir, 'index.html'), 'utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g),
].map((m) => m[1]!);
const sizeOf = (file: string) =>
  existsSync(file) ? statSync(file).size : statSync(file.replace(/\.(br|gz)$/, '')).size;
const kb = (files: string[], suffix: string) =>
  Math.round(files.reduce((sum, f) => sum + sizeOf(join(webDir, f) + suffix), 0) / 1024);
const initial = {
  files: initialJs.length,
  raw_kb: kb(initialJs, ''),
  gzip_kb: kb(initialJs, '.gz'),
  brotli_kb: kb(initialJs, '.br'),
};
say(`initial JS: ${JSON.stringify(initial)}`);

const server = await startServer({ webRoot: webDir, env: { LOG_LEVEL: 'silent' } });
await seedDemoCityIfEmpty(server.app);
// The public verification page of a worker of the demo city (what a QR scan opens).
const tokens = await sampleVerifyTokens(server.app.database.db, server.app.pii, 1);
const pages: { name: string; path: string }[] = [
  { name: 'portal', path: '/' },
  { name: 'verify_lookup', path: '/verify' },
  { name: 'verify_scan', path: tokens[0] ? `/v/${tokens[0].token}` : '/verify' },
  { name: 'login', path: '/login' },
];

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
});
const results: Record<string, unknown> = {};
try {
  for (const p of pages) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, baseURL: server.url });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    const transferred = new Map<string, { type: string; bytes: number; encoding: string }>();
    cdp.on('Network.responseReceived', (e) =>
      transferred.set(e.requestId, {
        type: e.type,
        bytes: 0,
        encoding: String(
          e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? '',
        ),
      }),
    );
    cdp.on('Network.loadingFinished', (e) => {
      const r = transferred.get(e.requestId);
      if (r) r.bytes = e.encodedDataLength;
    });
    await page.goto(p.path, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    const metrics = await page.evaluate(async () => {
      const lcp = await new Promise<number>((done) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          done(entries[entries.length - 1]?.startTime ?? 0);
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => done(0), 3000);
      });
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
      // No named function expressions in here: tsx would wrap them in a `__name` helper the page does not have.
      let jsDecoded = 0;
      let cssDecoded = 0;
      for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
        const path = new URL(r.name).pathname;
        if (/\.m?js$/.test(path)) jsDecoded += r.decodedBodySize;
        else if (/\.css$/.test(path)) cssDecoded += r.decodedBodySize;
      }
      return {
        fcp_ms: Math.round(fcp),
        lcp_ms: Math.round(lcp),
        load_ms: Math.round(nav.loadEventEnd),
        js_decoded_kb: Math.round(jsDecoded / 1024),
        css_decoded_kb: Math.round(cssDecoded / 1024),
      };
    });
    const sum = (type: string) =>
      Math.round(
        [...transferred.values()].filter((r) => r.type === type).reduce((s, r) => s + r.bytes, 0) / 1024,
      );
    results[p.name] = {
      path: p.path.startsWith('/v/') ? '/v/<token>' : p.path,
      ...metrics,
      js_transferred_kb: sum('Script'),
      css_transferred_kb: sum('Stylesheet'),
      total_transferred_kb: Math.round([...transferred.values()].reduce((s, r) => s + r.bytes, 0) / 1024),
      requests: transferred.size,
      // How the scripts came over the wire (br, gzip or none), so a missing compressed copy shows.
      js_encodings: [
        ...new Set(
          [...transferred.values()].filter((r) => r.type === 'Script').map((r) => r.encoding || 'none'),
        ),
      ],
    };
    say(`${p.name}: ${JSON.stringify(results[p.name])}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(webDir, { recursive: true, force: true });
}

const out = {
  profile:
    'Chromium, 360×740, CPU 4× slower (CDP Emulation.setCPUThrottlingRate), 1.6 Mbit/s down, 150 ms RTT (CDP Network.emulateNetworkConditions), empty cache',
  initial_js_kb: initial,
  pages: results,
};
if (asJson) console.log(JSON.stringify(out));
process.exit(0);
