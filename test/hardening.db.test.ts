import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { generateSigningKey } from '../src/server/platform/crypto-sign/index.js';
import { createTestDatabase } from './db.js';

// Configuration hardening (docs/security.md, known gap 6 and the rate limit on web assets): the real app in
// production mode, with a real built-web directory.
const secrets = {
  PII_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
  AUTH_SECRET: randomBytes(32).toString('base64'),
  AUDIT_ANCHOR_KEY: generateSigningKey('intl').privateKeyPem,
  // Production needs a scanner address to start; nothing here uploads, so no daemon has to answer on it.
  ANTIVIRUS_CLAMD: 'tcp://127.0.0.1:3310',
};

const open: { app: FastifyInstance; drop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.app.close();
    await o.drop();
  }
});

/** A built web root: index.html and content-hashed assets. */
function webRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'anxin-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>安心家政</title>');
  writeFileSync(join(dir, 'assets', 'index-3f9a1c.js'), 'console.log(1)');
  return dir;
}

async function start(env: Record<string, string>) {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'anxin-hard-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JOBS: 'off',
    SEED_DEMO: 'never',
    ...env,
  });
  const app = await buildApp({ config, database, webRoot: webRoot() });
  open.push({ app, drop: () => database.drop() });
  return app;
}

describe('configuration checks', () => {
  test('production refuses LOG_LEVEL debug and trace with a clear message; info is fine', () => {
    for (const level of ['debug', 'trace'])
      expect(() => loadConfig({ NODE_ENV: 'production', LOG_LEVEL: level, ...secrets })).toThrow(
        new ConfigError(
          `LOG_LEVEL=${level} is not allowed in production (use info, warn, error, fatal or silent)`,
        ),
      );
    expect(loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'info', ...secrets }).logLevel).toBe('info');
    const dir = mkdtempSync(join(tmpdir(), 'anxin-cfg-'));
    expect(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'debug', DATA_DIR: dir }).logLevel).toBe('debug');
  });

  test('TRUST_PROXY: booleans as before, or a list of addresses and CIDRs; anything else refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anxin-cfg-'));
    const tp = (v?: string) =>
      loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, ...(v === undefined ? {} : { TRUST_PROXY: v }) })
        .trustProxy;
    expect([tp(), tp(''), tp('false'), tp('0'), tp('true'), tp('1')]).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(tp(' 10.0.0.0/8, 127.0.0.1 ,fd00::/8')).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
    for (const bad of ['yes', 'proxy.example.cn', '10.0.0.0/33', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x'])
      expect(() => tp(bad), bad).toThrow(ConfigError);
  });

  test('OUTBOUND_ALLOW_HOSTS: unset = any host outside production and none in production; bad entries refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anxin-cfg-'));
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir }).outbound.allow).toEqual({ mode: 'all' });
    expect(loadConfig({ NODE_ENV: 'production', ...secrets }).outbound.allow).toEqual({
      mode: 'list',
      rules: [],
    });
    expect(
      loadConfig({ NODE_ENV: 'production', OUTBOUND_ALLOW_HOSTS: '*.hooks.example.cn:443', ...secrets })
        .outbound.allow,
    ).toEqual({ mode: 'list', rules: [{ host: 'hooks.example.cn', wildcard: true, port: 443 }] });
    expect(() =>
      loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, OUTBOUND_ALLOW_HOSTS: 'https://x.cn/' }),
    ).toThrow(ConfigError);
  });
});

describe('production mode exposes no docs, metrics or debug endpoints', () => {
  test('OpenAPI UI and JSON, /metrics and the dev SMS endpoints answer 404; /healthz still works', async () => {
    const app = await start({ NODE_ENV: 'production', ...secrets });
    for (const url of ['/api/docs', '/api/docs/', '/api/docs/json', '/openapi.json', '/metrics']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toMatch(/swagger|openapi|process_cpu|anxin_http/i);
    }
    const devRoutes = app
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .filter((l) => /dev|debug/i.test(l));
    expect(devRoutes).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  test('with METRICS_TOKEN set, /metrics needs it', async () => {
    const app = await start({
      NODE_ENV: 'production',
      METRICS_TOKEN: 'm-token-for-tests-1234567890',
      ...secrets,
    });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const ok = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer m-token-for-tests-1234567890' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('process_cpu');
  });

  test('the same build in development does expose the docs (the 404s above are production-only)', async () => {
    const app = await start({ NODE_ENV: 'development' });
    expect((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });
});

describe('per-IP rate limit', () => {
  test('700 requests for /assets/ from one IP in a minute get no 429; the API budget still applies', async () => {
    const app = await start({ NODE_ENV: 'test', RATE_LIMIT_GLOBAL: '20' });
    const statuses = new Map<number, number>();
    for (let i = 0; i < 700; i++) {
      const res = await app.inject({
        method: 'GET',
        url: '/assets/index-3f9a1c.js',
        remoteAddress: '198.51.100.7',
      });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 700 });
    const api: number[] = [];
    for (let i = 0; i < 25; i++)
      api.push(
        (
          await app.inject({
            method: 'GET',
            url: '/api/v1/public/guide-prices',
            remoteAddress: '198.51.100.7',
          })
        ).statusCode,
      );
    expect(api.filter((s) => s === 429)).toHaveLength(5);
    // The page itself (index.html) is not an asset: it counts.
    const page = await app.inject({ method: 'GET', url: '/', remoteAddress: '198.51.100.7' });
    expect(page.statusCode).toBe(429);
    // Another IP has its own budget.
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/public/guide-prices', remoteAddress: '198.51.100.8' }))
        .statusCode,
    ).not.toBe(429);
  });

  test('TRUST_PROXY as a list: X-Forwarded-For is believed only from the listed proxies', async () => {
    const app = await start({ NODE_ENV: 'test', RATE_LIMIT_GLOBAL: '3', TRUST_PROXY: '10.0.0.0/8' });
    const hit = (from: string, client: string) =>
      app.inject({
        method: 'GET',
        url: '/api/v1/public/guide-prices',
        remoteAddress: from,
        headers: { 'x-forwarded-for': client },
      });
    // Through the load balancer: each client has its own budget.
    for (let i = 0; i < 6; i++)
      expect((await hit('10.1.2.3', `203.0.113.${i + 1}`)).statusCode).not.toBe(429);
    // Straight from the internet, a forged header changes nothing: one budget for the real peer.
    const direct: number[] = [];
    for (let i = 0; i < 6; i++) direct.push((await hit('198.51.100.50', `203.0.113.${100 + i}`)).statusCode);
    expect(direct.filter((s) => s === 429)).toHaveLength(3);
  });
});
