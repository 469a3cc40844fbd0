import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

// Text formats worth compressing; images and fonts are compressed already, source maps are fetched only by devtools.
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml)$/;
// Below this a compressed copy saves less than a TCP packet and costs a file.
const MIN_BYTES = 1024;

export interface PrecompressResult {
  file: string;
  raw: number;
  br: number;
  gzip: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) beside every compressible file of `dir`, for the
 * server to send as they are (`@fastify/static` `preCompressed`). A copy that would not be smaller is not written.
 */
export function precompressDir(dir: string): PrecompressResult[] {
  const results: PrecompressResult[] = [];
  for (const file of walk(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const raw = readFileSync(file);
    if (raw.length < MIN_BYTES) continue;
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    });
    const gz = gzipSync(raw, { level: 9 });
    if (br.length < raw.length) writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
    results.push({ file: relative(dir, file), raw: raw.length, br: br.length, gzip: gz.length });
  }
  return results;
}

/** Vite build plugin: precompresses the finished output directory (after the public files are copied in). */
export function precompressPlugin(): Plugin {
  let outDir = '';
  return {
    name: 'anxin:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const results = precompressDir(outDir);
      const sum = (k: 'raw' | 'br') => results.reduce((s, r) => s + r[k], 0);
      this.info(
        `precompressed ${results.length} files: ${Math.round(sum('raw') / 1024)} KB → ${Math.round(sum('br') / 1024)} KB brotli`,
      );
    },
  };
}
