// Anxin service worker: the app shell works offline, and a scanned 安心服务证 page (/v/<token>) still shows its
// last known status without a network, clearly marked as such. Personal data from the API is never cached.
const VERSION = 'anxin-v1';
const SHELL = `${VERSION}-shell`;
const ASSETS = `${VERSION}-assets`;
const VERIFY = `${VERSION}-verify`;
const FETCHED_AT = 'x-anxin-fetched-at';

// The shell is index.html plus every script and stylesheet it names (their names carry content hashes).
async function cacheShell() {
  const cache = await caches.open(SHELL);
  const response = await fetch('/', { cache: 'no-store' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put('/', response);
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  const assets = await caches.open(ASSETS);
  await Promise.all(refs.map((ref) => assets.add(ref).catch(() => undefined)));
  for (const extra of ['/manifest.webmanifest', '/favicon.svg', '/icons/icon-192.png']) {
    await cache.add(extra).catch(() => undefined);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => !k.startsWith(VERSION)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

// Shown on top of a cached verification page: never let an old status pass for a live one.
function offlineBanner(fetchedAt) {
  const when = new Date(fetchedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return (
    `<div id="offline-banner" role="alert" style="background:#fff7e6;border:2px solid #874d00;color:#3d2600;` +
    `padding:12px 16px;margin:0 0 12px;border-radius:8px;font-size:16px;line-height:1.6">` +
    `<strong>离线显示 · Offline</strong><br>当前无法联网，以下是 ${escapeHtml(when)} 查询到的最后已知状态，` +
    `不代表实时状态，请联网后刷新核验。<br>No connection: this is the last known status, checked ` +
    `${escapeHtml(new Date(fetchedAt).toISOString())}; it may have changed.</div>`
  );
}

async function verifyPage(request) {
  const cache = await caches.open(VERIFY);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const body = await response.clone().text();
      const headers = new Headers(response.headers);
      headers.set(FETCHED_AT, new Date().toISOString());
      await cache.put(request, new Response(body, { status: 200, headers }));
    }
    return response;
  } catch {
    const cached = await cache.match(request, { ignoreVary: true });
    if (!cached) return offlineShell();
    const html = await cached.text();
    const marked = html.replace(/<body([^>]*)>/, `<body$1>${offlineBanner(cached.headers.get(FETCHED_AT))}`);
    const headers = new Headers(cached.headers);
    headers.set('content-type', 'text/html; charset=utf-8');
    return new Response(marked, { status: 200, headers });
  }
}

async function offlineShell() {
  const shell = await caches.match('/', { cacheName: SHELL, ignoreVary: true });
  return (
    shell ??
    new Response('离线 · Offline', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  );
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Verification pages: network first, the last copy when offline (marked).
  if (request.mode === 'navigate' && url.pathname.startsWith('/v/')) {
    event.respondWith(verifyPage(request));
    return;
  }
  // The API carries personal data and live state: never from a cache.
  if (url.pathname.startsWith('/api/') || url.pathname === '/sw.js') return;
  // Pages of the single-page app: the network, else the cached shell.
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => offlineShell()));
    return;
  }
  // Hashed assets never change, and the shell's icons rarely do: cache first. `ignoreVary`: the server varies on
  // Origin (CORS) and module scripts are fetched with one, while the install step fetched them without.
  event.respondWith(
    caches.match(request, { ignoreVary: true }).then(
      (hit) =>
        hit ??
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith('/assets/')) {
            const copy = response.clone();
            caches.open(ASSETS).then((c) => c.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
