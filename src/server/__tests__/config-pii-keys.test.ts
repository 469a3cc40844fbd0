import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createPii } from '../platform/pii/index.js';

const k = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const base = (extra: Record<string, string> = {}) => ({
  NODE_ENV: 'test',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-pii-cfg-')),
  PII_KEY: k(1),
  PII_HASH_KEY: k(2),
  ...extra,
});

/** The ConfigError loadConfig throws for this environment (fails the test when it does not throw one). */
function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('PII_KEY_VERSION and PII_OLD_KEYS', () => {
  test('defaults: version 1, no retired keys', () => {
    const c = loadConfig(base());
    expect(c.piiKeyVersion).toBe(1);
    expect(c.piiOldKeys).toEqual({});
  });

  test('a rotated deployment: version 3 with versions 1 and 2 retired (spaces tolerated)', () => {
    const c = loadConfig(base({ PII_KEY_VERSION: '3', PII_OLD_KEYS: ` 1:${k(3)} , 2:${k(4)},` }));
    expect(c.piiKeyVersion).toBe(3);
    expect(Object.keys(c.piiOldKeys).map(Number)).toEqual([1, 2]);
    expect(c.piiOldKeys[1]!.equals(Buffer.alloc(32, 3))).toBe(true);
    expect(c.piiOldKeys[2]!.equals(Buffer.alloc(32, 4))).toBe(true);
  });

  test('PII_KEY_VERSION must be an integer of at least 1', () => {
    for (const v of ['0', '-1', '1.5', 'two'])
      expect(errorOf(base({ PII_KEY_VERSION: v })).message).toMatch(/PII_KEY_VERSION/);
  });

  test('bad PII_OLD_KEYS items are refused, naming the variable and never printing a key', () => {
    const secret = k(7);
    const short = Buffer.alloc(16, 7).toString('base64');
    const cases = [
      secret, // no version
      `x:${secret}`,
      `0:${secret}`,
      `1:${short}`,
      `1:${secret}!`,
      `1:${secret}:2`,
    ];
    for (const item of cases) {
      const e = errorOf(base({ PII_KEY_VERSION: '2', PII_OLD_KEYS: item }));
      expect(e.message).toMatch(/^PII_OLD_KEYS item 1 must be <version>:<base64 32-byte key>/);
      expect(e.message).not.toContain(secret);
      expect(e.message).not.toContain(short);
    }
    const dup = errorOf(base({ PII_KEY_VERSION: '3', PII_OLD_KEYS: `1:${secret},1:${k(8)}` }));
    expect(dup.message).toBe('PII_OLD_KEYS lists version 1 twice');
    const clash = errorOf(base({ PII_KEY_VERSION: '2', PII_OLD_KEYS: `2:${secret}` }));
    expect(clash.message).toMatch(/PII_OLD_KEYS item 1 has version 2, which is PII_KEY_VERSION/);
    expect(clash.message).not.toContain(secret);
  });

  test('two-phase roll-out: nodes still writing v1 already read v2 tokens when PII_OLD_KEYS lists the new key', () => {
    const piiOf = (env: Record<string, string>) => {
      const c = loadConfig(base(env));
      return createPii({
        key: c.piiKey,
        keyVersion: c.piiKeyVersion,
        oldKeys: c.piiOldKeys,
        hashKey: c.piiHashKey,
      });
    };
    const before = piiOf({ PII_OLD_KEYS: `2:${k(5)}` });
    const after = piiOf({ PII_KEY: k(5), PII_KEY_VERSION: '2', PII_OLD_KEYS: `1:${k(1)}` });
    const v2 = after.encrypt('440106199001011234', 'worker.id_number');
    expect(v2.startsWith('v1.2.')).toBe(true);
    expect(before.decrypt(v2, 'worker.id_number')).toBe('440106199001011234');
    const v1 = before.encrypt('440106199001011234', 'worker.id_number');
    expect(v1.startsWith('v1.1.')).toBe(true);
    expect(after.decrypt(v1, 'worker.id_number')).toBe('440106199001011234');
    expect(after.needsReencrypt(v1)).toBe(true);
  });
});
