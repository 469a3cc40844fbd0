import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../../errors.js';
import {
  type AllowList,
  AllowListError,
  createEgress,
  isAllowed,
  parseAllowList,
  parseAllowRule,
} from '../egress.js';

const list = (raw: string): AllowList => ({ mode: 'list', rules: parseAllowList(raw) });
const ok = (raw: string, url: string) => isAllowed(list(raw), new URL(url));

describe('allow-list entries', () => {
  test('exact names, case and trailing dots folded', () => {
    expect(ok('api.example.cn', 'https://api.example.cn/x?token=1')).toBe(true);
    expect(ok('API.Example.CN', 'https://api.EXAMPLE.cn/')).toBe(true);
    expect(ok('api.example.cn.', 'https://api.example.cn/')).toBe(true);
    expect(ok('api.example.cn', 'https://api.example.cn./')).toBe(true);
    expect(ok('api.example.cn', 'https://evil-api.example.cn/')).toBe(false);
    expect(ok('api.example.cn', 'https://api.example.cn.evil.com/')).toBe(false);
    expect(ok('api.example.cn', 'https://example.cn/')).toBe(false);
  });

  test('*.suffix matches names below it, not the apex and not look-alikes', () => {
    const l = '*.sms.example.cn';
    expect(ok(l, 'https://gw1.sms.example.cn/')).toBe(true);
    expect(ok(l, 'https://a.b.sms.example.cn/')).toBe(true);
    expect(ok(l, 'https://sms.example.cn/')).toBe(false);
    expect(ok(l, 'https://badsms.example.cn/')).toBe(false);
    expect(ok(l, 'https://sms.example.cn.attacker.net/')).toBe(false);
  });

  test('ports: none = any port; host:port = that port only (default ports count)', () => {
    expect(ok('hooks.example.cn', 'https://hooks.example.cn:8443/')).toBe(true);
    expect(ok('hooks.example.cn:8443', 'https://hooks.example.cn:8443/')).toBe(true);
    expect(ok('hooks.example.cn:8443', 'https://hooks.example.cn/')).toBe(false);
    expect(ok('hooks.example.cn:443', 'https://hooks.example.cn/')).toBe(true);
    expect(ok('hooks.example.cn:443', 'http://hooks.example.cn/')).toBe(false);
    expect(ok('*.example.cn:443', 'https://a.example.cn/')).toBe(true);
    expect(ok('*.example.cn:443', 'https://a.example.cn:444/')).toBe(false);
  });

  test('IP literals: exact only, in any spelling the URL parser accepts; never by a wildcard', () => {
    expect(ok('203.0.113.7', 'https://203.0.113.7/')).toBe(true);
    // 0xCB.0.113.7 and the 32-bit integer are the same address once parsed.
    expect(ok('203.0.113.7', 'https://0xcb.0.113.7/')).toBe(true);
    expect(ok('203.0.113.7', 'https://203.0.113.8/')).toBe(false);
    expect(ok('127.0.0.1', 'http://2130706433/')).toBe(true);
    expect(ok('localhost', 'http://127.0.0.1/')).toBe(false);
    expect(ok('2001:db8::1', 'https://[2001:db8:0:0::1]/')).toBe(true);
    expect(ok('[2001:DB8::1]:8443', 'https://[2001:db8::1]:8443/')).toBe(true);
    expect(ok('[2001:db8::1]:8443', 'https://[2001:db8::1]/')).toBe(false);
    expect(ok('*.example.cn', 'https://[::1]/')).toBe(false);
    expect(() => parseAllowRule('*.10.0.0.1')).toThrow(AllowListError);
  });

  test('IDN names match in Unicode or punycode, either side', () => {
    expect(ok('例子.中国', 'https://例子.中国/')).toBe(true);
    expect(ok('例子.中国', 'https://xn--fsqu00a.xn--fiqs8s/')).toBe(true);
    expect(ok('xn--fsqu00a.xn--fiqs8s', 'https://例子.中国/')).toBe(true);
    expect(ok('*.中国', 'https://hooks.例子.中国/')).toBe(true);
    expect(parseAllowRule('例子.中国').host).toBe('xn--fsqu00a.xn--fiqs8s');
  });

  test('only http(s); an empty list refuses everything; "all" allows any http(s)', () => {
    expect(ok('files.example.cn', 'ftp://files.example.cn/')).toBe(false);
    expect(isAllowed({ mode: 'list', rules: [] }, new URL('https://a.example.cn/'))).toBe(false);
    expect(isAllowed({ mode: 'all' }, new URL('http://10.0.0.1/'))).toBe(true);
    expect(isAllowed({ mode: 'all' }, new URL('file:///etc/passwd'))).toBe(false);
  });

  test('malformed entries are refused with the entry named', () => {
    for (const bad of [
      'https://a.example.cn',
      'a.example.cn/path',
      'user@a.example.cn',
      'a.*.example.cn',
      '*example.cn',
      'a.example.cn:0',
      'a.example.cn:70000',
      'a.example.cn:https',
      'a b.cn',
    ])
      expect(() => parseAllowRule(bad), bad).toThrow(AllowListError);
    expect(parseAllowList(' a.example.cn , ,*.b.cn:443 ')).toEqual([
      { host: 'a.example.cn', wildcard: false, port: null },
      { host: 'b.cn', wildcard: true, port: 443 },
    ]);
  });
});

/** A loopback HTTP server counting the TCP connections it accepts. */
async function listener(handler: (url: string, res: import('node:http').ServerResponse) => void) {
  let connections = 0;
  const server: Server = createServer((req, res) => handler(req.url ?? '/', res));
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('egress fetch', () => {
  let target: Awaited<ReturnType<typeof listener>>;
  let hop: Awaited<ReturnType<typeof listener>>;
  const warnings: object[] = [];
  const logger = { warn: (obj: object) => warnings.push(obj) };
  beforeAll(async () => {
    target = await listener((_url, res) => res.end('secret'));
    // `localhost` is listed, 127.0.0.1 is not: the same machine, two names, so a redirect can try to escape.
    hop = await listener((url, res) => {
      res.statusCode = url.startsWith('/same') ? 302 : 307;
      res.setHeader(
        'location',
        url.startsWith('/same') ? '/done' : `http://127.0.0.1:${target.port}/inside?token=abc`,
      );
      if (url === '/done') res.statusCode = 200;
      res.end();
    });
  });
  afterAll(async () => {
    await target.close();
    await hop.close();
  });

  test('a host not on the list is refused before connecting; the log has no path or query', async () => {
    const egress = createEgress({ allow: list('localhost'), logger });
    const before = target.connections;
    const err = await egress
      .fetch(`http://127.0.0.1:${target.port}/hook?token=abc`, { method: 'POST', body: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('EGRESS_HOST_NOT_ALLOWED');
    expect(target.connections).toBe(before);
    const logged = JSON.stringify(warnings.at(-1));
    expect(logged).toContain(`127.0.0.1:${target.port}`);
    expect(logged).not.toContain('token');
    expect(logged).not.toContain('/hook');
  });

  test('a redirect to a host not on the list is refused before the hop is connected', async () => {
    const egress = createEgress({ allow: list('localhost'), logger });
    const before = target.connections;
    const err = await egress.fetch(`http://localhost:${hop.port}/out`).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('EGRESS_HOST_NOT_ALLOWED');
    expect(target.connections).toBe(before);
    expect(JSON.stringify(warnings.at(-1))).not.toContain('token');
  });

  test('redirects within the list are followed; manual mode returns the 3xx unfollowed', async () => {
    const egress = createEgress({ allow: list('localhost') });
    const res = await egress.fetch(`http://localhost:${hop.port}/same`);
    expect([res.status, await res.text()]).toEqual([200, '']);
    const manual = await egress.fetch(`http://localhost:${hop.port}/out`, { redirect: 'manual' });
    expect(manual.status).toBe(307);
    const before = target.connections;
    await manual.body?.cancel();
    expect(target.connections).toBe(before);
  });

  test('with no list (development), any http(s) host is reached', async () => {
    const egress = createEgress({ allow: { mode: 'all' } });
    const res = await egress.fetch(`http://127.0.0.1:${target.port}/`);
    expect(await res.text()).toBe('secret');
    expect(egress.allows('not a url')).toBe(false);
  });
});

describe('every outbound call goes through platform/net', () => {
  test('no fetch, http(s).request, net/tls connect or undici outside platform/net in server code', () => {
    const root = resolve(import.meta.dirname, '../../../../..');
    const dir = join(root, 'src/server');
    const offenders = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.parentPath.includes('__tests__'))
      .map((d) => relative(root, join(d.parentPath, d.name)))
      .filter((f) => !f.startsWith('src/server/platform/net/'))
      .filter((f) =>
        /(?<![\w.])fetch\(|\bhttps?\.(?:request|get)\(|\b(?:net|tls)\.(?:connect|createConnection)\(|from 'undici'/.test(
          readFileSync(join(root, f), 'utf8'),
        ),
      );
    expect(offenders).toEqual([]);
  });
});
