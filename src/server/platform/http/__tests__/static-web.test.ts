import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../../../../scripts/precompress.js';
import { registerWebStatic, webCacheControl } from '../static-web.js';

// A built web app in miniature: hashed assets, index.html, the service worker, an icon and a tiny file.
const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `家政服务 ${i}`))};\n`;
const html = `<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body>${'<div>安心家政</div>'.repeat(100)}</body></html>`;
const sw = `self.addEventListener('fetch', () => {});\n${'// cache the shell\n'.repeat(100)}`;
const png = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));

describe('built web files: precompressed copies and cache headers', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'anxin-static-'));
    mkdirSync(join(root, 'assets'));
    mkdirSync(join(root, 'icons'));
    writeFileSync(join(root, 'assets/index-Ab12Cd34.js'), script);
    writeFileSync(join(root, 'assets/tiny-Zz99Yy88.css'), 'a{color:red}');
    writeFileSync(join(root, 'index.html'), html);
    writeFileSync(join(root, 'sw.js'), sw);
    writeFileSync(join(root, 'icons/icon-192.png'), png);
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('the build step writes brotli and gzip copies of text files only, and only when worth it', () => {
    const results = precompressDir(root);
    expect(results.map((r) => r.file).sort()).toEqual(['assets/index-Ab12Cd34.js', 'index.html', 'sw.js']);
    for (const r of results) {
      const raw = readFileSync(join(root, r.file));
      expect(brotliDecompressSync(readFileSync(join(root, `${r.file}.br`)))).toEqual(raw);
      expect(gunzipSync(readFileSync(join(root, `${r.file}.gz`)))).toEqual(raw);
      expect(r.br).toBeLessThan(r.raw / 3);
    }
  });

  describe('served', () => {
    // Routes are made from the files present at registration, so serve the precompressed tree afresh.
    let served: FastifyInstance;
    beforeAll(async () => {
      precompressDir(root);
      served = Fastify();
      await registerWebStatic(served, root);
      await served.ready();
    });
    afterAll(() => served?.close());

    it('accept-encoding br gets the brotli copy: content-encoding br, the original bytes, Vary, immutable', async () => {
      const res = await served.inject({
        url: '/assets/index-Ab12Cd34.js',
        headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.rawPayload).toEqual(readFileSync(join(root, 'assets/index-Ab12Cd34.js.br')));
      expect(brotliDecompressSync(res.rawPayload).toString()).toBe(script);
    });

    it('gzip only gets the gzip copy; no accept-encoding gets the plain file, still with Vary', async () => {
      const gz = await served.inject({
        url: '/assets/index-Ab12Cd34.js',
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).toString()).toBe(script);

      const plain = await served.inject({
        url: '/assets/index-Ab12Cd34.js',
        headers: { 'accept-encoding': '' },
      });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.body).toBe(script);
    });

    it('index.html and the service worker are compressed but revalidated on every visit (no-cache)', async () => {
      for (const url of ['/', '/index.html']) {
        const res = await served.inject({ url, headers: { 'accept-encoding': 'br' } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-encoding']).toBe('br');
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(brotliDecompressSync(res.rawPayload).toString()).toBe(html);
      }
      const swRes = await served.inject({ url: '/sw.js', headers: { 'accept-encoding': 'br' } });
      expect(swRes.headers['content-encoding']).toBe('br');
      expect(swRes.headers['cache-control']).toBe('no-cache');
    });

    it('files without a compressed copy (images, tiny files) are sent as they are', async () => {
      const icon = await served.inject({ url: '/icons/icon-192.png', headers: { 'accept-encoding': 'br' } });
      expect(icon.headers['content-encoding']).toBeUndefined();
      expect(icon.rawPayload).toEqual(png);
      expect(icon.headers['cache-control']).toBe('no-cache');
      const tiny = await served.inject({
        url: '/assets/tiny-Zz99Yy88.css',
        headers: { 'accept-encoding': 'br' },
      });
      expect(tiny.headers['content-encoding']).toBeUndefined();
      expect(tiny.body).toBe('a{color:red}');
    });

    it('the compressed copies are not addressable by their own names', async () => {
      const res = await served.inject({ url: '/assets/index-Ab12Cd34.js.br' });
      expect(res.statusCode).toBe(404);
    });
  });

  it('cache policy by path', () => {
    expect(webCacheControl('assets/react-CkHq1z9e.js')).toContain('immutable');
    expect(webCacheControl('index.html')).toBe('no-cache');
    expect(webCacheControl('sw.js')).toBe('no-cache');
    expect(webCacheControl('manifest.webmanifest')).toBe('no-cache');
  });
});
