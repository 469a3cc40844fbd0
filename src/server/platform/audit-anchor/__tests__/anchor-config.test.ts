import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../../config.js';
import { generateSigningKey } from '../../crypto-sign/index.js';

const base = (extra: Record<string, string> = {}) => ({
  NODE_ENV: 'test',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-anchor-cfg-')),
  ...extra,
});

describe('audit anchor configuration', () => {
  test('dev/test: a key of the profile is generated once under DATA_DIR (0600) and reused', () => {
    const env = base({ PII_CRYPTO_PROFILE: 'gm' });
    const a = loadConfig(env).auditAnchor;
    const b = loadConfig(env).auditAnchor;
    expect(a.key.suite).toBe('gm');
    expect(b.key.keyId).toBe(a.key.keyId);
    const file = join(env.DATA_DIR, 'dev-audit-anchor-gm.pem');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    expect(a.dir).toBe(join(env.DATA_DIR, 'audit-anchors'));
    expect([a.everyRows, a.everyMinutes]).toEqual([1000, 60]);
  });

  test('production refuses to start without AUDIT_ANCHOR_KEY', () => {
    const secrets = {
      NODE_ENV: 'production',
      PII_KEY: Buffer.alloc(32, 1).toString('base64'),
      PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
      AUTH_SECRET: 'x'.repeat(40),
      ANTIVIRUS_CLAMD: 'tcp://127.0.0.1:3310',
    };
    expect(() => loadConfig({ ...base(), ...secrets })).toThrow(/AUDIT_ANCHOR_KEY is required/);
    const pem = generateSigningKey('intl').privateKeyPem;
    const c = loadConfig({
      ...base(),
      ...secrets,
      AUDIT_ANCHOR_KEY: pem,
      AUDIT_ANCHOR_DIR: '/var/lib/anxin/anchors',
    });
    expect(c.auditAnchor.key.suite).toBe('intl');
    expect(c.auditAnchor.dir).toBe('/var/lib/anxin/anchors');
  });

  test('a key of the other suite, or garbage, is a ConfigError; retired keys of either suite are trusted', () => {
    const sm2 = generateSigningKey('gm');
    expect(() => loadConfig(base({ AUDIT_ANCHOR_KEY: sm2.privateKeyPem }))).toThrow(ConfigError);
    expect(() => loadConfig(base({ PII_CRYPTO_PROFILE: 'gm', AUDIT_ANCHOR_KEY: 'nope' }))).toThrow(
      ConfigError,
    );
    const retired = generateSigningKey('intl');
    const c = loadConfig(
      base({
        PII_CRYPTO_PROFILE: 'gm',
        AUDIT_ANCHOR_KEY: sm2.privateKeyPem.replace(/\n/g, '\\n'),
        AUDIT_ANCHOR_PUBLIC_KEYS: `intl:${retired.publicKeyPem}, ${generateSigningKey('gm').publicKeyPem}`,
        AUDIT_ANCHOR_EVERY_ROWS: '50',
        AUDIT_ANCHOR_EVERY_MIN: '5',
      }),
    );
    expect(c.auditAnchor.trustedKeys.map((k) => k.suite)).toEqual(['gm', 'intl', 'gm']);
    expect(c.auditAnchor.trustedKeys[0]!.keyId).toBe(sm2.keyId);
    expect(c.auditAnchor.trustedKeys[1]!.keyId).toBe(retired.keyId);
    expect([c.auditAnchor.everyRows, c.auditAnchor.everyMinutes]).toEqual([50, 5]);
    expect(() => loadConfig(base({ AUDIT_ANCHOR_EVERY_ROWS: '0' }))).toThrow(ConfigError);
  });

  test('AUDIT_ANCHOR_URL: https, on the allow-list, with a token in production; alone it replaces the directory', () => {
    const prod = {
      NODE_ENV: 'production',
      PII_KEY: Buffer.alloc(32, 1).toString('base64'),
      PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
      AUTH_SECRET: 'x'.repeat(40),
      AUDIT_ANCHOR_KEY: generateSigningKey('intl').privateKeyPem,
      OUTBOUND_ALLOW_HOSTS: 'anchors.example.cn',
      AUDIT_ANCHOR_URL: 'https://anchors.example.cn/v1/anchors',
      AUDIT_ANCHOR_TOKEN: 'receiver-token',
      ANTIVIRUS_CLAMD: 'tcp://127.0.0.1:3310',
    };
    const only = loadConfig({ ...base(), ...prod }).auditAnchor;
    expect(only).toMatchObject({ url: prod.AUDIT_ANCHOR_URL, token: 'receiver-token', dir: undefined });
    const both = loadConfig({ ...base(), ...prod, AUDIT_ANCHOR_DIR: '/var/lib/anxin/anchors' }).auditAnchor;
    expect([both.dir, both.url]).toEqual(['/var/lib/anxin/anchors', prod.AUDIT_ANCHOR_URL]);
    const refused = (over: Record<string, string>) => () => loadConfig({ ...base(), ...prod, ...over });
    expect(refused({ OUTBOUND_ALLOW_HOSTS: 'sms.example.cn' })).toThrow(/not on OUTBOUND_ALLOW_HOSTS/);
    expect(refused({ OUTBOUND_ALLOW_HOSTS: '' })).toThrow(/not on OUTBOUND_ALLOW_HOSTS/);
    expect(refused({ AUDIT_ANCHOR_URL: 'http://anchors.example.cn/v1' })).toThrow(/must be https/);
    expect(refused({ AUDIT_ANCHOR_URL: 'https://u:p@anchors.example.cn/v1' })).toThrow(/credentials/);
    expect(refused({ AUDIT_ANCHOR_TOKEN: '' })).toThrow(/AUDIT_ANCHOR_TOKEN is required/);
    // Outside production a local receiver over plain http is accepted (the tests' own).
    expect(loadConfig(base({ AUDIT_ANCHOR_URL: 'http://127.0.0.1:9/anchors' })).auditAnchor.url).toBe(
      'http://127.0.0.1:9/anchors',
    );
  });
});
