import { brotliDecompressSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningServer, startServer } from './server.js';
import { demoPhone, settle, signInByApi, useJourney } from './support.js';

const chromiumPath = inject('chromiumPath');
const webRoot = inject('webRoot');
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

/** One stop of the Tab sequence, as the page saw it. */
interface Stop {
  index: number;
  tag: string;
  role: string;
  name: string;
  /** Rendered, not hidden, and (after the browser scrolled it into view) inside the viewport. */
  visible: boolean;
  inMain: boolean;
  inDialog: boolean;
  skipLink: boolean;
  /** The computed-style properties that differ between focused and unfocused (outline, box-shadow, border). */
  ring: string[];
  /** Where the difference was seen: the element itself, a wrapper around it, or the styled box after an input. */
  ringOn: string[];
}

// Runs in the page (a plain script, so no compiler helper can creep in). Before the first Tab it records the
// computed focus-relevant styles of every focusable element and of the boxes that draw its ring (a wrapper that
// hugs it, or the styled box after a hidden checkbox input); at each stop it compares the focused element with
// that record. Elements that appear later are compared with their styles after focus has moved on.
const PROBE = `(() => {
  if (window.__kb) return;
  const SELECTOR = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]';
  const RING = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'borderTopColor', 'borderRightColor',
    'borderBottomColor', 'borderLeftColor', 'borderTopWidth', 'borderBottomWidth'];
  const boxes = (el) => {
    const out = [['self', el]];
    if (el.tagName === 'INPUT' && el.nextElementSibling) out.push(['next', el.nextElementSibling]);
    // A visually hidden input (a radio inside antd's Segmented) is measured by the first box around it with a size.
    let ref = el;
    while (ref.parentElement && ref.getBoundingClientRect().width < 2) ref = ref.parentElement;
    const r = ref.getBoundingClientRect();
    let p = el.parentElement;
    for (let i = 1; p && i <= 4; i += 1) {
      const q = p.getBoundingClientRect();
      if (q.width > r.width + 64 || q.height > r.height + 64) break;
      out.push(['wrapper', p]);
      p = p.parentElement;
    }
    return out;
  };
  const snap = (el) => boxes(el).map(([where, node]) => {
    const cs = getComputedStyle(node);
    return { where, node, values: RING.map((p) => cs[p]) };
  });
  const baseline = new WeakMap();
  const focusedSnaps = new Map();
  const visibleRing = (prop, value) => {
    if (prop === 'outlineStyle') return value !== 'none';
    if (prop === 'outlineWidth' || prop.endsWith('Width')) return parseFloat(value) > 0;
    if (prop === 'boxShadow') return value !== 'none';
    return !/rgba\\([^)]*, 0\\)$/.test(value) && value !== 'transparent';
  };
  const diff = (before, after) => {
    const ring = new Set();
    const on = new Set();
    for (const a of after) {
      const b = before.find((x) => x.node === a.node);
      if (!b) continue;
      RING.forEach((prop, i) => {
        if (a.values[i] !== b.values[i] && visibleRing(prop, a.values[i])) {
          // An outline only shows when it has a style, a width and a colour.
          if (prop.startsWith('outline')) {
            const [style, width] = a.values;
            if (style === 'none' || parseFloat(width) === 0) return;
          }
          ring.add(prop.replace(/(Top|Right|Bottom|Left)/, ''));
          on.add(a.where);
        }
      });
    }
    return { ring: [...ring], on: [...on] };
  };
  const nameOf = (el) => {
    const label = el.getAttribute('aria-label');
    if (label) return label.trim();
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
    if (el.labels && el.labels[0]) return el.labels[0].textContent.trim();
    const text = (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim();
    return text || el.getAttribute('title') || el.getAttribute('placeholder') || el.value || '';
  };
  const settle = async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const moving = document.getAnimations().filter((a) => a instanceof CSSTransition);
    await Promise.all(moving.map((a) => a.finished.catch(() => null)));
  };
  let count = 0;
  let pending = null;
  window.__kb = {
    baseline() {
      for (const el of document.querySelectorAll(SELECTOR)) baseline.set(el, snap(el));
      count = 0;
      pending = null;
    },
    async stop() {
      await settle();
      const updates = [];
      // The element before this one had no record from before its focus: compare it now that focus has left.
      if (pending && pending.el !== document.activeElement) {
        const d = diff(snap(pending.el), pending.focused);
        updates.push({ index: pending.index, ring: d.ring, ringOn: d.on });
        pending = null;
      }
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return { stop: null, updates };
      if (el.dataset.kbStop) return { stop: { repeat: Number(el.dataset.kbStop) }, updates };
      const index = count;
      count += 1;
      el.dataset.kbStop = String(index);
      const focused = snap(el);
      let ring = [];
      let ringOn = [];
      const before = baseline.get(el);
      if (before) {
        const d = diff(before, focused);
        ring = d.ring;
        ringOn = d.on;
      } else pending = { el, index, focused };
      // What shows the focus of a hidden input is the box that draws its ring (a label around it, a styled sibling).
      const shown = (ringOn.includes('wrapper') || ringOn.includes('next')) && el.getBoundingClientRect().width < 2
        ? (ringOn.includes('next') ? el.nextElementSibling : el.parentElement)
        : el;
      const r = shown.getBoundingClientRect();
      const visible = r.width > 0 && r.height > 0 && shown.checkVisibility({ visibilityProperty: true }) &&
        r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
      return {
        stop: {
          index,
          tag: el.tagName.toLowerCase(),
          role: el.getAttribute('role') || el.tagName.toLowerCase(),
          name: nameOf(el).slice(0, 40),
          visible,
          inMain: !!el.closest('#main'),
          inDialog: !!el.closest('[role=dialog], .ant-drawer, .ant-modal'),
          skipLink: el.classList.contains('skip-link'),
          ring,
          ringOn,
        },
        updates,
      };
    },
    clear() {
      for (const el of document.querySelectorAll('[data-kb-stop]')) delete el.dataset.kbStop;
      count = 0;
      pending = null;
    },
  };
})()`;

/** Presses Tab until focus leaves the page or comes back to a stop already seen (the sequence wrapped). */
async function tabThrough(
  page: Page,
  max: number,
): Promise<{ stops: Stop[]; ended: 'left' | 'wrapped' | 'max' }> {
  await page.evaluate(PROBE);
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    (window as unknown as { __kb: { clear(): void; baseline(): void } }).__kb.clear();
    (window as unknown as { __kb: { baseline(): void } }).__kb.baseline();
  });
  const stops: Stop[] = [];
  const record = async () =>
    (await page.evaluate(() =>
      (window as unknown as { __kb: { stop(): Promise<unknown> } }).__kb.stop(),
    )) as {
      stop: Stop | { repeat: number } | null;
      updates: { index: number; ring: string[]; ringOn: string[] }[];
    };
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const { stop, updates } = await record();
    for (const u of updates) Object.assign(stops[u.index]!, { ring: u.ring, ringOn: u.ringOn });
    if (!stop) return { stops, ended: 'left' };
    if ('repeat' in stop) return { stops, ended: 'wrapped' };
    stops.push(stop);
  }
  return { stops, ended: 'max' };
}

const activeInfo = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? null,
      id: el?.id ?? '',
      skipLink: !!el?.classList.contains('skip-link'),
      inMain: !!el?.closest('#main'),
      inDialog: !!el?.closest('[role=dialog], .ant-drawer, .ant-modal-wrap'),
      expanded: el?.getAttribute('aria-expanded') ?? null,
      role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? null,
      name: (
        el?.getAttribute('aria-label') ||
        (el as HTMLInputElement | null)?.labels?.[0]?.textContent ||
        el?.textContent ||
        el?.getAttribute('placeholder') ||
        ''
      )
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 40),
      inViewport: (() => {
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;
      })(),
    };
  });

/** Presses Tab until the focused element matches, within `max` presses; returns whether it got there. */
async function tabTo(page: Page, matches: (a: Awaited<ReturnType<typeof activeInfo>>) => boolean, max = 80) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (matches(await activeInfo(page))) return true;
  }
  return false;
}

interface PageCase {
  name: string;
  account: string | null;
  path: string;
  viewport: { width: number; height: number };
  /** Accessible names (substrings) the Tab sequence must reach, in and around the main content. */
  reaches: string[];
  minStops: number;
}

const pages: PageCase[] = [
  {
    name: 'portal home',
    account: null,
    path: '/',
    viewport: PHONE,
    reaches: ['跳到主要内容', '长辈模式', '切换语言', '登录', '安心服务证编号', '查证', '我要找家政'],
    minStops: 5,
  },
  {
    name: 'verification page',
    account: null,
    path: '/verify',
    viewport: PHONE,
    reaches: ['跳到主要内容', '长辈模式', '切换语言', '登录', '安心服务证编号', '查证'],
    minStops: 7,
  },
  {
    name: 'resident find/booking',
    account: 'resident',
    path: '/resident/find',
    viewport: PHONE,
    reaches: [
      '跳到主要内容',
      '消息通知',
      '长辈模式',
      '账号菜单',
      '找服务人员',
      '关键词',
      '搜索',
      '服务类别',
      '区域',
      '用我的位置',
      '筛选',
      '列表',
      '绿码',
      '首页',
      '找家政',
      '我的订单',
      '更多',
    ],
    minStops: 20,
  },
  {
    name: 'worker home',
    account: 'worker',
    path: '/worker',
    viewport: PHONE,
    reaches: [
      '跳到主要内容',
      '消息通知',
      '长辈模式',
      '账号菜单',
      '我的证件',
      '安心服务证',
      '我的日程',
      '找工作',
      '首页',
      '更多',
    ],
    minStops: 15,
  },
  {
    name: 'company console',
    account: 'companyAdmin',
    path: '/company',
    viewport: DESKTOP,
    reaches: [
      '跳到主要内容',
      '工作台首页',
      '服务人员',
      '订单派单',
      '收起侧边栏',
      '消息通知',
      '长辈模式',
      '账号菜单',
      '投诉处理',
    ],
    minStops: 20,
  },
  {
    name: 'regulator console',
    account: 'regulator',
    path: '/regulator',
    viewport: DESKTOP,
    reaches: ['跳到主要内容', '收起侧边栏', '消息通知', '长辈模式', '账号菜单'],
    minStops: 15,
  },
];

describe.skipIf(!chromiumPath)('keyboard: reachable controls, visible focus, no traps, skip link', () => {
  const journey = useJourney({ seed: true });

  async function open(pc: Pick<PageCase, 'account' | 'viewport'>) {
    const context = await journey.context({
      viewport: pc.viewport,
      // antd then runs without motion (theme.ts), so a computed style read after focus is the final one.
      reducedMotion: 'reduce',
    });
    if (pc.account) {
      // Regulator and admin sessions confirm an SMS code before their roles apply (identity MFA).
      const status = await signInByApi(context.request, journey.server, demoPhone(pc.account));
      expect(status, `sign-in of ${pc.account}`).toBe(200);
    }
    return { context, page: await context.newPage() };
  }

  for (const pc of pages) {
    it(`${pc.name} (${pc.path}): every control is reachable by Tab, shows its focus, and Tab leaves the page`, async () => {
      const { page } = await open(pc);
      await page.goto(pc.path);
      await settle(page);
      const { stops, ended } = await tabThrough(page, 200);
      console.info(
        `${pc.name}: ${stops.length} stops, ${ended}\n${stops
          .map(
            (s) =>
              `  ${s.index} ${s.role} "${s.name}" ${s.ring.join('+') || 'NO RING'} ${s.ringOn.join(',')}${s.visible ? '' : ' INVISIBLE'}`,
          )
          .join('\n')}`,
      );
      expect(ended, 'Tab must leave the page or wrap round, never stick').not.toBe('max');
      expect(stops.length).toBeGreaterThanOrEqual(pc.minStops);
      const names = stops.map((s) => s.name);
      for (const want of pc.reaches)
        expect(
          names.some((n) => n.includes(want)),
          `reaches "${want}"`,
        ).toBe(true);
      expect(
        stops.some((s) => s.inMain),
        'reaches the main content',
      ).toBe(true);
      expect(
        stops.filter((s) => !s.visible).map((s) => `${s.role} "${s.name}"`),
        'focused but not visible',
      ).toEqual([]);
      expect(
        stops.filter((s) => s.ring.length === 0).map((s) => `${s.index} ${s.role} "${s.name}"`),
        'focused without a visible change of outline, box-shadow or border',
      ).toEqual([]);
    });
  }

  it('skip link: the first Tab stop of every main page, shown on focus, and Enter moves focus into the content', async () => {
    for (const pc of pages) {
      const { page } = await open(pc);
      await page.goto(pc.path);
      await settle(page);
      await page.keyboard.press('Tab');
      const first = await activeInfo(page);
      expect(first.skipLink, `${pc.path}: first stop is the skip link`).toBe(true);
      expect(first.inViewport, `${pc.path}: the skip link shows when focused`).toBe(true);
      await page.keyboard.press('Enter');
      await expect
        .poll(async () => (await activeInfo(page)).id, { message: `${pc.path}: focus on #main` })
        .toBe('main');
      await page.keyboard.press('Tab');
      const next = await activeInfo(page);
      expect(
        next.inMain,
        `${pc.path}: the next Tab stop is in the content, not the header (${next.name})`,
      ).toBe(true);
    }
  });

  it('phone consoles: the "more" drawer takes focus, keeps it while open, closes on Escape and gives focus back', async () => {
    for (const pc of pages.filter((p) => p.path === '/resident/find' || p.path === '/worker')) {
      const { page } = await open(pc);
      await page.goto(pc.path);
      await settle(page);
      expect(
        await tabTo(page, (a) => a.role === 'button' && a.name === '更多'),
        `${pc.path}: Tab reaches 更多`,
      ).toBe(true);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await expect
        .poll(async () => (await activeInfo(page)).inDialog, { message: 'focus moves into the drawer' })
        .toBe(true);
      // A modal keeps focus inside until it is closed: Tab cycles through the drawer's entries.
      const seen = new Set<string>();
      for (let i = 0; i < 25; i += 1) {
        await page.keyboard.press('Tab');
        const a = await activeInfo(page);
        expect(a.inDialog, `${pc.path}: Tab ${i + 1} stays in the open drawer (${a.name})`).toBe(true);
        seen.add(a.name);
      }
      expect(seen.size, 'the drawer entries are reachable').toBeGreaterThanOrEqual(4);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await expect
        .poll(async () => (await activeInfo(page)).name, { message: 'focus back on 更多' })
        .toBe('更多');
    }
  });

  it('resident find: a filter select opens from the keyboard, Escape closes it, Tab closes it and moves on', async () => {
    const pc = pages.find((p) => p.path === '/resident/find')!;
    const { page } = await open(pc);
    await page.goto(pc.path);
    await settle(page);
    const category = page.getByRole('combobox', { name: '服务类别' });
    expect(await tabTo(page, (a) => a.role === 'combobox' && a.name.includes('服务类别'))).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => category.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => category.getAttribute('aria-expanded')).toBe('false');
    expect((await activeInfo(page)).role).toBe('combobox');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => category.getAttribute('aria-expanded')).toBe('true');
    // Tab on the open list takes the highlighted option and closes it (rc-select); the next Tab moves on.
    await page.keyboard.press('Tab');
    await expect.poll(() => category.getAttribute('aria-expanded')).toBe('false');
    if ((await activeInfo(page)).name.includes('服务类别')) await page.keyboard.press('Tab');
    const next = await activeInfo(page);
    expect(next.name, 'Tab moved on from the select').not.toContain('服务类别');
    expect(next.inMain).toBe(true);
  });

  it('verification page: a certificate is looked up with the keyboard alone; its status has words and an icon, not colour only', async () => {
    const { context: workerCtx } = await open({ account: 'worker', viewport: PHONE });
    const wallet = (await (await workerCtx.request.get('/api/v1/workers/me/certificate')).json()) as {
      certificate: { number: string } | null;
      color: string;
    };
    expect(wallet.certificate).not.toBeNull();
    const { page } = await open({ account: null, viewport: PHONE });
    await page.goto('/verify');
    await settle(page);
    expect(await tabTo(page, (a) => a.name.includes('安心服务证编号'))).toBe(true);
    await page.keyboard.type(wallet.certificate!.number);
    await page.keyboard.press('Enter');
    const banner = page.locator('.verify-banner[role=status]');
    await banner.waitFor();
    const label = { green: '绿码', yellow: '黄码', red: '红码' }[wallet.color]!;
    expect(await banner.textContent()).toContain(label);
    // The icon differs per colour (check, exclamation, cross), so the status reads without colour vision too.
    expect(await banner.locator('.verify-banner-icon svg').count()).toBe(1);
    expect(await page.locator(`.verify-${wallet.color}`).count()).toBe(1);
  });

  it('consoles at tablet width (768 px): the desktop frame fits without sideways scrolling', async () => {
    for (const pc of pages.filter((p) => p.path === '/company' || p.path === '/regulator')) {
      const { page } = await open({ account: pc.account, viewport: { width: 768, height: 1024 } });
      await page.goto(pc.path);
      await settle(page);
      expect(await page.locator('.console-sider').count(), `${pc.path}: side menu at 768 px`).toBe(1);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth, `${pc.path} scrolls sideways at 768 px`).toBeLessThanOrEqual(innerWidth);
    }
  });

  it('desktop consoles: the account menu opens with Enter, closes with Escape, and focus returns to its button', async () => {
    for (const pc of pages.filter((p) => p.path === '/company' || p.path === '/regulator')) {
      const { page } = await open(pc);
      await page.goto(pc.path);
      await settle(page);
      expect(await tabTo(page, (a) => a.role === 'button' && a.name.includes('账号菜单'))).toBe(true);
      await page.keyboard.press('Enter');
      const menu = page.locator('.ant-dropdown:not(.ant-dropdown-hidden) [role=menu]');
      await menu.waitFor();
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
      await expect
        .poll(async () => (await activeInfo(page)).name, {
          message: `${pc.path}: focus back on the account button`,
        })
        .toContain('账号菜单');
    }
  });
});

describe.skipIf(!chromiumPath)('the built web app is served precompressed, with cache headers', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ webRoot });
  }, 120_000);
  afterAll(() => server?.close());

  it('accept-encoding br gets content-encoding br with the bytes of the built file; index.html is no-cache', async () => {
    const index = await server.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(index.headers['content-encoding']).toBe('br');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers.vary).toMatch(/accept-encoding/i);
    const html = brotliDecompressSync(index.rawPayload).toString();
    expect(html).toBe(readFileSync(join(webRoot!, 'index.html'), 'utf8'));
    const entry = /<script type="module" crossorigin src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry, 'index.html names its entry script').toBeDefined();
    const js = await server.app.inject({ url: `/${entry}`, headers: { 'accept-encoding': 'br' } });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-encoding']).toBe('br');
    expect(js.headers.vary).toMatch(/accept-encoding/i);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const raw = readFileSync(join(webRoot!, entry!));
    expect(brotliDecompressSync(js.rawPayload)).toEqual(raw);
    expect(js.rawPayload.length).toBeLessThan(raw.length / 3);
    // A page address the SPA owns gets the same compressed index.html.
    const deep = await server.app.inject({
      url: '/resident/find',
      headers: { accept: 'text/html', 'accept-encoding': 'br' },
    });
    expect(deep.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(deep.rawPayload).toString()).toBe(html);
    const sw = await server.app.inject({ url: '/sw.js', headers: { 'accept-encoding': 'br' } });
    expect(sw.headers['cache-control']).toBe('no-cache');
  });
});
