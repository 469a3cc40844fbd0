import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FileStorage } from '../storage.js';
import { decodePng, GPS_TEXT, jpegParts, jpegSize, pngPair, tinyJpeg } from './image-fixtures.js';

/** Helpers for the per-module `*-metadata.db.test.ts` files: tagged images, multipart bodies, clean-image checks. */

const BLOCKS = [
  [40, 200, 90, 250],
  [0, 128, 255, 64],
];

/** A JPEG with Exif GPS, XMP, IPTC, a comment and a trailer; a PNG with text/XMP/eXIf/tIME; damaged variants. */
export function taggedImages() {
  const jpeg = tinyJpeg(BLOCKS, { metadata: true });
  const png = pngPair(7, 5);
  return {
    jpeg,
    cleanJpeg: tinyJpeg(BLOCKS),
    png: png.tagged,
    cleanPng: png.clean,
    // No end-of-image marker: the scan runs past the end.
    damagedJpeg: tinyJpeg(BLOCKS).subarray(0, -3),
    // IEND and part of IDAT cut off.
    damagedPng: png.clean.subarray(0, png.clean.length - 20),
  };
}

const NEEDLES = [
  'GPS',
  'Exif',
  'xap/1.0',
  'Photoshop',
  '13800138000',
  'trailer',
  'Li Wei',
  'XML:com.adobe.xmp',
];

/** The stored JPEG carries none of the metadata and has the tagged one's size and entropy-coded data. */
export function expectCleanJpeg(stored: Buffer, tagged: Buffer): void {
  expect(tagged.includes(Buffer.from(GPS_TEXT, 'latin1'))).toBe(true);
  for (const n of NEEDLES) expect(stored.includes(Buffer.from(n, 'latin1')), n).toBe(false);
  expect([stored[0], stored[1], stored.at(-2), stored.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  expect(jpegSize(stored)).toEqual(jpegSize(tagged));
  expect(jpegParts(stored).scan.equals(jpegParts(tagged).scan)).toBe(true);
}

/** The stored PNG carries none of the metadata and decodes to the same pixels as the untagged one. */
export function expectCleanPng(stored: Buffer, clean: Buffer): void {
  for (const n of NEEDLES) expect(stored.includes(Buffer.from(n, 'latin1')), n).toBe(false);
  const a = decodePng(stored);
  const b = decodePng(clean);
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  expect(a.raw.equals(b.raw)).toBe(true);
  expect(stored.equals(clean)).toBe(true);
}

/** A multipart/form-data body with text fields and one `file` part. */
export function multipart(
  file: Buffer,
  opts: { filename?: string; type?: string; fields?: Record<string, string> } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----anxin${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(opts.fields ?? {}))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${opts.filename ?? 'photo.jpg'}"\r\nContent-Type: ${opts.type ?? 'image/jpeg'}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * The directory a test app's local storage writes to (buildTestApp makes it under the temp dir), found by storing a
 * uniquely named probe through the app's own storage.
 */
export async function storageRoot(storage: FileStorage): Promise<string> {
  const probe = `probe/${randomUUID()}`;
  await storage.put(probe, Buffer.from('probe'));
  for (const d of readdirSync(tmpdir())) {
    const root = join(tmpdir(), d, 'files');
    if (d.startsWith('anxin-app-') && existsSync(join(root, ...probe.split('/')))) return root;
  }
  throw new Error('storage root not found');
}

/** Every stored file below `root` (relative paths), probes excluded. */
export function storedFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .filter((p) => !p.startsWith('probe/'))
    .sort();
}
