import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../errors.js';
import {
  createLocalStorage,
  hasImageHygiene,
  prepareUpload,
  storableBytes,
  withImageHygiene,
} from '../index.js';
import { GPS_TEXT, pngPair, tinyJpeg } from './image-fixtures.js';

const BLOCKS = [[10, 250]];
const box = (type: string, body: Buffer) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};
/** Heads of the image formats that can carry EXIF/XMP (GPS) but have no stripper here: each must be refused. */
const OTHER_IMAGES: [string, Buffer][] = [
  [
    'WebP',
    Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00', 'latin1'), Buffer.alloc(32)]),
  ],
  ['HEIC', Buffer.concat([box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1')), Buffer.alloc(32)])],
  ['AVIF', Buffer.concat([box('ftyp', Buffer.from('avif\0\0\0\0mif1avif', 'latin1')), Buffer.alloc(32)])],
  ['GIF', Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'), Buffer.alloc(32)])],
  ['TIFF', Buffer.concat([Buffer.from('II*\0\x08\0\0\0', 'latin1'), Buffer.alloc(64)])],
];

const code = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  return e instanceof AppError ? e.code : e;
};

describe('storage strips images on every put', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anxin-hygiene-'));
  const storage = withImageHygiene(createLocalStorage(dir));

  test('a JPEG and a PNG with GPS metadata are written clean to disk; other files byte for byte', async () => {
    await storage.put('a/photo.jpg', tinyJpeg(BLOCKS, { metadata: true }));
    const onDisk = readFileSync(join(dir, 'a', 'photo.jpg'));
    expect(onDisk.includes(Buffer.from('GPS', 'latin1'))).toBe(false);
    expect(onDisk.equals(tinyJpeg(BLOCKS))).toBe(true);
    const { clean, tagged } = pngPair(3, 2);
    await storage.put('a/scan.png', tagged);
    expect(readFileSync(join(dir, 'a', 'scan.png')).equals(clean)).toBe(true);
    const pdf = Buffer.from(`%PDF-1.4\n% ${GPS_TEXT}\n%%EOF\n`, 'latin1');
    await storage.put('a/doc.pdf', pdf);
    expect(readFileSync(join(dir, 'a', 'doc.pdf')).equals(pdf)).toBe(true);
    await storage.put('a/empty', Buffer.alloc(0));
    expect(await storage.get('a/empty')).toEqual(Buffer.alloc(0));
  });

  test.each(OTHER_IMAGES)(
    '%s is refused (FILE_TYPE_NOT_ALLOWED) and nothing is stored',
    async (name, data) => {
      const key = `other/${name.toLowerCase()}`;
      expect(await code(storage.put(key, data))).toBe('FILE_TYPE_NOT_ALLOWED');
      expect(await storage.exists(key)).toBe(false);
    },
  );

  test('a damaged JPEG or PNG is refused (FILE_DAMAGED) and nothing is stored', async () => {
    const jpeg = tinyJpeg(BLOCKS).subarray(0, -3);
    const png = pngPair(3, 2).clean.subarray(0, -20);
    expect(await code(storage.put('bad/a.jpg', jpeg))).toBe('FILE_DAMAGED');
    expect(await code(storage.put('bad/a.png', png))).toBe('FILE_DAMAGED');
    expect(readdirSync(dir)).not.toContain('bad');
  });

  test('stripping is idempotent and wrapping twice is a no-op', async () => {
    const once = await storableBytes(tinyJpeg(BLOCKS, { metadata: true }));
    expect((await storableBytes(once)).equals(once)).toBe(true);
    expect(hasImageHygiene(storage)).toBe(true);
    expect(withImageHygiene(storage)).toBe(storage);
    expect(hasImageHygiene(createLocalStorage(dir))).toBe(false);
  });
});

describe('prepareUpload', () => {
  test('returns the stripped bytes with their own size and SHA-256; a PDF is kept as it is', async () => {
    const tagged = tinyJpeg(BLOCKS, { metadata: true });
    const p = await prepareUpload(tagged, { allowed: ['image/jpeg', 'application/pdf'], maxBytes: 1e6 });
    expect(p.data.equals(tinyJpeg(BLOCKS))).toBe(true);
    expect(p).toMatchObject({
      mime: 'image/jpeg',
      size: p.data.length,
      sha256: createHash('sha256').update(p.data).digest('hex'),
    });
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
    const q = await prepareUpload(pdf, { allowed: ['application/pdf'], maxBytes: 1e6 });
    expect(q.data).toBe(pdf);
  });
});

describe('no module can store around the stripper', () => {
  const src = (p: string) => readFileSync(join(import.meta.dirname, '../../..', p), 'utf8');
  test('the app hands every module one storage, wrapped; nothing else creates a storage', () => {
    expect(src('app.ts')).toMatch(/app\.decorate\(\s*'storage',\s*withImageHygiene\(/);
    const files = readdirSync(join(import.meta.dirname, '../../..'), {
      recursive: true,
      encoding: 'utf8',
    }).filter((f) => f.endsWith('.ts') && !f.includes('__tests__') && !f.startsWith('platform/storage/'));
    const creators = files.filter((f) => /createLocalStorage\(/.test(src(f)));
    expect(creators).toEqual(['app.ts']);
  });
});
