import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  EICAR,
  EICAR_SIGNATURE,
  pdfWith,
  skipWithoutClamd,
  startClamd,
  type TestClamd,
} from '../../../../../test/support/clamd.js';
import { ConfigError, loadConfig } from '../../../config.js';
import { generateSigningKey } from '../../crypto-sign/index.js';
import { operationErrors } from '../../openapi/openapi.js';
import { routeErrors } from '../../openapi/route-errors.js';
import { AppError } from '../../errors.js';
import {
  AntivirusUnavailableError,
  createClamdScanner,
  hasAntivirus,
  parseClamdAddress,
  parseScanReply,
  FileInfectedError,
  withAntivirus,
} from '../antivirus.js';
import { serverRendered, withImageHygiene } from '../image-hygiene.js';
import { createLocalStorage } from '../local-storage.js';
import { pngPair } from './image-fixtures.js';

// ASVS 5.4.3: every stored file passes a real clamd first (test/support/clamd.ts starts one with the EICAR test
// signature only). No fake protocol server: the unreachable and hung cases are the real daemon stopped and paused.

const skip = skipWithoutClamd();
let clamd: TestClamd;
beforeAll(async () => {
  if (!skip) clamd = await startClamd();
}, 60_000);
afterAll(async () => clamd?.close());

describe('parsing (no daemon)', () => {
  test('addresses: tcp://host:port, [v6]:port and unix:///path; anything else is refused', () => {
    expect(parseClamdAddress('tcp://127.0.0.1:3310')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 3310 });
    expect(parseClamdAddress('tcp://[::1]:3310')).toEqual({ kind: 'tcp', host: '::1', port: 3310 });
    expect(parseClamdAddress('tcp://clamd.internal:3310/')).toMatchObject({ host: 'clamd.internal' });
    expect(parseClamdAddress('unix:///run/clamav/clamd.ctl')).toEqual({
      kind: 'unix',
      path: '/run/clamav/clamd.ctl',
    });
    for (const bad of [
      '127.0.0.1:3310',
      'tcp://127.0.0.1',
      'tcp://h:0',
      'tcp://h:70000',
      'unix://rel/path',
      'http://h:1',
    ])
      expect(() => parseClamdAddress(bad), bad).toThrow(/ANTIVIRUS_CLAMD/);
  });

  test('replies: OK is clean, FOUND names the signature, ERROR is no verdict', () => {
    expect(parseScanReply('stream: OK')).toEqual({ infected: false });
    expect(parseScanReply('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({
      infected: true,
      signature: 'Win.Test.EICAR_HDB-1',
    });
    expect(() => parseScanReply('INSTREAM size limit exceeded. ERROR')).toThrow(AntivirusUnavailableError);
    expect(() => parseScanReply('')).toThrow(AntivirusUnavailableError);
  });

  test('config: off when unset outside production; production needs ANTIVIRUS_CLAMD or an explicit ANTIVIRUS_DISABLED', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'anxin-av-cfg-'));
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }).antivirus).toEqual({
      clamd: undefined,
      timeoutMs: 30_000,
      explicitlyDisabled: false,
    });
    const c = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      ANTIVIRUS_CLAMD: 'unix:///run/clamav/clamd.ctl',
      ANTIVIRUS_TIMEOUT_MS: '5000',
    });
    expect(c.antivirus).toMatchObject({
      clamd: { kind: 'unix', path: '/run/clamav/clamd.ctl' },
      timeoutMs: 5000,
    });
    expect(() => loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ANTIVIRUS_CLAMD: 'clamd:3310' })).toThrow(
      ConfigError,
    );
    const prod = {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PII_KEY: Buffer.alloc(32, 1).toString('base64'),
      PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
      AUTH_SECRET: 'x'.repeat(40),
      AUDIT_ANCHOR_KEY: generateSigningKey('intl').privateKeyPem,
    };
    expect(() => loadConfig(prod)).toThrow(/ANTIVIRUS_CLAMD is required in production/);
    expect(loadConfig({ ...prod, ANTIVIRUS_DISABLED: 'true' }).antivirus).toMatchObject({
      clamd: undefined,
      explicitlyDisabled: true,
    });
    expect(loadConfig({ ...prod, ANTIVIRUS_CLAMD: 'tcp://127.0.0.1:3310' }).antivirus.clamd).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 3310,
    });
    expect(() =>
      loadConfig({ ...prod, ANTIVIRUS_CLAMD: 'tcp://127.0.0.1:3310', ANTIVIRUS_DISABLED: 'true' }),
    ).toThrow(/contradict/);
  });

  test('OpenAPI: every upload route documents FILE_INFECTED (422) and ANTIVIRUS_UNAVAILABLE (503); others do not', () => {
    const meta = { authz: { roles: 'any' as const }, idempotent: false, hasBody: true, hasInput: true };
    const uploads = Object.keys(routeErrors).filter((k) => routeErrors[k]!.includes('FILE_EMPTY'));
    expect(uploads).toEqual(
      expect.arrayContaining([
        'POST /api/v1/workers/me/documents',
        'POST /api/v1/feedback/files',
        'POST /api/v1/conversations/:id/images',
        'POST /api/v1/content/items/:id/attachments',
      ]),
    );
    for (const k of uploads)
      expect(operationErrors(k, meta), k).toEqual(
        expect.arrayContaining(['FILE_INFECTED', 'ANTIVIRUS_UNAVAILABLE']),
      );
    expect(operationErrors('GET /readyz', meta)).not.toContain('FILE_INFECTED');
  });

  test('app.ts wraps the one storage with the scanner, outside image hygiene', () => {
    const app = readFileSync(join(import.meta.dirname, '../../../app.ts'), 'utf8');
    expect(app).toMatch(/app\.storage = withAntivirus\(app\.storage, antivirus/);
    expect(app.indexOf('withAntivirus(app.storage')).toBeGreaterThan(
      app.indexOf("'storage',\n    withImageHygiene("),
    );
  });
});

describe.skipIf(skip)('clamd INSTREAM client (real clamd)', () => {
  test('PING and VERSION', async () => {
    const scanner = createClamdScanner({ address: clamd.address, timeoutMs: 5000 });
    await expect(scanner.ping()).resolves.toBeUndefined();
    expect(await scanner.version()).toMatch(/^ClamAV \d+\.\d+/);
    expect(scanner.target).toBe(clamd.address);
  });

  test('a clean file is OK; the EICAR test file is FOUND with its signature name', async () => {
    const scanner = createClamdScanner({ address: clamd.address, timeoutMs: 5000 });
    expect(await scanner.scan(Buffer.from('%PDF-1.4\n健康证 2026\n%%EOF\n'))).toEqual({ infected: false });
    expect(await scanner.scan(EICAR)).toEqual({ infected: true, signature: EICAR_SIGNATURE });
    expect(await scanner.scan(pdfWith(EICAR))).toEqual({ infected: true, signature: EICAR_SIGNATURE });
  });

  test('a file of many chunks: EICAR split across a chunk boundary near the end is still found', async () => {
    const chunkBytes = 4096;
    const scanner = createClamdScanner({ address: clamd.address, timeoutMs: 10_000, chunkBytes });
    const filler = Buffer.alloc(300 * 1024 - 30, 0x41);
    const infected = Buffer.concat([filler, EICAR, Buffer.from('\n')]);
    // The signature straddles two chunks; 76 chunks in all.
    expect(Math.floor((filler.length + EICAR.length - 1) / chunkBytes)).not.toBe(
      Math.floor(filler.length / chunkBytes),
    );
    expect(await scanner.scan(infected)).toEqual({ infected: true, signature: EICAR_SIGNATURE });
    expect(await scanner.scan(Buffer.concat([filler, Buffer.alloc(200_000, 0x42)]))).toEqual({
      infected: false,
    });
    // Default chunk (64 KiB) on a 2 MB file.
    const big = createClamdScanner({ address: clamd.address, timeoutMs: 10_000 });
    expect(await big.scan(Buffer.concat([Buffer.alloc(2 * 1024 * 1024, 0x43), EICAR]))).toMatchObject({
      infected: true,
    });
  });

  test('no daemon at the address (closed port, missing unix socket) → AntivirusUnavailableError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anxin-av-'));
    for (const address of [`unix://${join(dir, 'clamd.ctl')}`, 'tcp://127.0.0.1:9']) {
      const scanner = createClamdScanner({ address, timeoutMs: 2000 });
      await expect(scanner.scan(EICAR), address).rejects.toThrow(AntivirusUnavailableError);
      await expect(scanner.ping(), address).rejects.toThrow(/not reachable/);
    }
  });

  test('a hung daemon (SIGSTOP) → the scan times out with AntivirusUnavailableError; it recovers on SIGCONT', async () => {
    const scanner = createClamdScanner({ address: clamd.address, timeoutMs: 300 });
    clamd.pause();
    try {
      const started = Date.now();
      await expect(scanner.scan(Buffer.from('hello'))).rejects.toThrow(/did not answer within 300 ms/);
      await expect(scanner.ping()).rejects.toThrow(AntivirusUnavailableError);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      clamd.resume();
    }
    const patient = createClamdScanner({ address: clamd.address, timeoutMs: 5000 });
    expect(await patient.scan(Buffer.from('hello'))).toEqual({ infected: false });
  });
});

describe.skipIf(skip)('withAntivirus (real clamd, local storage)', () => {
  const setup = (timeoutMs = 5000) => {
    const dir = mkdtempSync(join(tmpdir(), 'anxin-av-store-'));
    const events: unknown[] = [];
    const scanner = createClamdScanner({ address: clamd.address, timeoutMs });
    const storage = withAntivirus(withImageHygiene(createLocalStorage(dir)), scanner, {
      infected: (i) => events.push({ infected: i }),
      unavailable: (i) => events.push({ unavailable: i }),
    });
    const files = () => (existsSync(dir) ? readdirSync(dir, { recursive: true }) : []);
    return { dir, storage, events, files };
  };

  test('clean bytes are stored; EICAR is FILE_INFECTED (422), nothing stored, the event has signature and size only', async () => {
    const s = setup();
    expect(hasAntivirus(s.storage)).toBe(true);
    await s.storage.put('workers/wk_1/doc_1.pdf', pdfWith(Buffer.from('clean')));
    expect(await s.storage.exists('workers/wk_1/doc_1.pdf')).toBe(true);
    const err = await s.storage.put('workers/wk_1/doc_2.pdf', pdfWith(EICAR)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('FILE_INFECTED');
    expect((err as AppError).status).toBe(422);
    expect(await s.storage.exists('workers/wk_1/doc_2.pdf')).toBe(false);
    // The hash of the refused bytes identifies the file for the audit row (app.ts); its name and key are not there.
    const upload = {
      signature: EICAR_SIGNATURE,
      size: pdfWith(EICAR).length,
      area: 'workers',
      sha256: createHash('sha256').update(pdfWith(EICAR)).digest('hex'),
    };
    expect(err).toBeInstanceOf(FileInfectedError);
    expect((err as FileInfectedError).upload).toEqual(upload);
    expect(s.events).toEqual([{ infected: upload }]);
  });

  test('the ORIGINAL bytes are scanned: EICAR in a PNG text chunk (which hygiene would strip) is refused', async () => {
    const s = setup();
    const { clean } = pngPair(3, 3);
    // A tEXt chunk is dropped by image hygiene; the scan must see it before that happens.
    const text = Buffer.concat([Buffer.from('Comment\0', 'latin1'), EICAR]);
    const chunk = Buffer.alloc(12 + text.length);
    chunk.writeUInt32BE(text.length, 0);
    chunk.write('tEXt', 4, 'latin1');
    text.copy(chunk, 8);
    chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + text.length)), 8 + text.length);
    const png = Buffer.concat([clean.subarray(0, 33), chunk, clean.subarray(33)]);
    await expect(s.storage.put('chat/c_1/m_1.png', png)).rejects.toMatchObject({ code: 'FILE_INFECTED' });
    expect(s.files()).toEqual([]);
  });

  test('scanner down or hung → ANTIVIRUS_UNAVAILABLE (503, Retry-After), nothing stored', async () => {
    const s = setup(300);
    clamd.pause();
    try {
      const err = (await s.storage
        .put('content/ci_1/a.pdf', pdfWith(Buffer.from('x')))
        .catch((e) => e)) as AppError;
      expect(err.code).toBe('ANTIVIRUS_UNAVAILABLE');
      expect(err.status).toBe(503);
      expect(err.headers).toEqual({ 'retry-after': '30' });
    } finally {
      clamd.resume();
    }
    const down = withAntivirus(
      createLocalStorage(s.dir),
      createClamdScanner({ address: 'tcp://127.0.0.1:9', timeoutMs: 2000 }),
    );
    await expect(down.put('content/ci_1/b.pdf', Buffer.from('x'))).rejects.toMatchObject({
      code: 'ANTIVIRUS_UNAVAILABLE',
    });
    expect(s.files()).toEqual([]);
    // What the server rendered itself is stored without a scan, so sealing a contract does not need clamd.
    await down.put('contracts/ct_1/sealed.pdf', serverRendered(pdfWith(Buffer.from('sealed'))));
    expect(await down.exists('contracts/ct_1/sealed.pdf')).toBe(true);
    await down.delete('contracts/ct_1/sealed.pdf');
    expect(s.events).toEqual([
      {
        unavailable: {
          reason: expect.stringMatching(/did not answer/),
          size: expect.any(Number),
          area: 'content',
        },
      },
    ]);
  });
});
