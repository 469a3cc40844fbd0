import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../errors.js';
import {
  createLocalStorage,
  hasImageHygiene,
  metadataStripCount,
  prepareUpload,
  serverRendered,
  storableBytes,
  withImageHygiene,
} from '../index.js';
import {
  AUTHOR,
  DOC_NEEDLES,
  docxWithEntries,
  encryptedPdf,
  MINIMAL_PDF,
  pdfAllText,
  taggedDocx,
  taggedMp4,
  taggedPdf,
  taggedWebm,
  unzipParts,
} from './document-fixtures.js';
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
    await storage.put('a/doc.pdf', MINIMAL_PDF);
    expect(readFileSync(join(dir, 'a', 'doc.pdf')).equals(MINIMAL_PDF)).toBe(true);
    const text = Buffer.from(`notes ${GPS_TEXT}`);
    await storage.put('a/notes.txt', text);
    expect(readFileSync(join(dir, 'a', 'notes.txt')).equals(text)).toBe(true);
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

  test('a PDF, a DOCX, an MP4 and a WebM are written without their metadata', async () => {
    const files: [string, Buffer][] = [
      ['d/doc.pdf', await taggedPdf()],
      ['d/doc.docx', taggedDocx()],
      ['d/lesson.mp4', taggedMp4()],
      ['d/lesson.webm', taggedWebm()],
    ];
    for (const [key, data] of files) {
      await storage.put(key, data);
      const onDisk = readFileSync(join(dir, ...key.split('/')));
      const all = key.endsWith('.pdf')
        ? await pdfAllText(onDisk)
        : key.endsWith('.docx')
          ? Object.values(unzipParts(onDisk))
              .map((u) => Buffer.from(u).toString('utf8'))
              .join('\n')
          : onDisk.toString('latin1');
      for (const n of DOC_NEEDLES) expect(all, `${key} ${n}`).not.toContain(n);
      if (!key.endsWith('.pdf') && !key.endsWith('.docx')) expect(onDisk.length).toBe(data.length);
    }
  });

  test('a damaged PDF, an encrypted PDF, a broken video and a zip bomb are refused and nothing is stored', async () => {
    const cases: [string, Buffer, string][] = [
      ['bad/a.pdf', (await taggedPdf()).subarray(0, 600), 'FILE_DAMAGED'],
      ['bad/b.pdf', await encryptedPdf(), 'FILE_DAMAGED'],
      ['bad/c.mp4', taggedMp4().subarray(0, 200), 'FILE_DAMAGED'],
      ['bad/d.docx', docxWithEntries(10_000), 'FILE_ARCHIVE_TOO_LARGE'],
    ];
    for (const [key, data, expected] of cases) expect(await code(storage.put(key, data)), key).toBe(expected);
    expect(readdirSync(dir)).not.toContain('bad');
  });

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
  test('returns the stripped bytes with their own size and SHA-256; a clean PDF is kept as it is', async () => {
    const tagged = tinyJpeg(BLOCKS, { metadata: true });
    const p = await prepareUpload(tagged, { allowed: ['image/jpeg', 'application/pdf'], maxBytes: 1e6 });
    expect(p.data.equals(tinyJpeg(BLOCKS))).toBe(true);
    expect(p).toMatchObject({
      mime: 'image/jpeg',
      size: p.data.length,
      sha256: createHash('sha256').update(p.data).digest('hex'),
    });
    const q = await prepareUpload(MINIMAL_PDF, { allowed: ['application/pdf'], maxBytes: 1e6 });
    expect(q.data).toBe(MINIMAL_PDF);
    const pdf = await taggedPdf();
    const r = await prepareUpload(pdf, { allowed: ['application/pdf'], maxBytes: 1e6 });
    expect(await pdfAllText(r.data)).not.toContain(AUTHOR);
    expect(r).toMatchObject({
      size: r.data.length,
      sha256: createHash('sha256').update(r.data).digest('hex'),
    });
  });
});

describe('uploads are stripped once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anxin-once-'));
  const storage = withImageHygiene(createLocalStorage(dir));

  test('bytes from prepareUpload or storableBytes are stored without a second parse; raw bytes are still stripped', async () => {
    const tagged = await taggedPdf();
    const start = metadataStripCount();
    const prepared = await prepareUpload(tagged, { allowed: ['application/pdf'], maxBytes: 1e6 });
    expect(metadataStripCount()).toBe(start + 1);
    await storage.put('once/prepared.pdf', prepared.data);
    expect(metadataStripCount()).toBe(start + 1);
    expect(readFileSync(join(dir, 'once', 'prepared.pdf')).equals(prepared.data)).toBe(true);

    const jpeg = await storableBytes(tinyJpeg(BLOCKS, { metadata: true }));
    await storage.put('once/photo.jpg', jpeg);
    expect(metadataStripCount()).toBe(start + 2);

    // The same content, not through prepareUpload: parsed and stripped by the wrapper.
    await storage.put('once/raw.pdf', Buffer.from(tagged));
    expect(metadataStripCount()).toBe(start + 3);
    const raw = readFileSync(join(dir, 'once', 'raw.pdf'));
    expect(await pdfAllText(raw)).not.toContain(AUTHOR);
    expect(raw.equals(prepared.data)).toBe(true);
  });

  test('a document the server rendered is stored byte for byte (its recorded hash stays true)', async () => {
    const rendered = await taggedPdf();
    const start = metadataStripCount();
    await storage.put('once/sealed.pdf', serverRendered(rendered));
    expect(metadataStripCount()).toBe(start);
    expect(readFileSync(join(dir, 'once', 'sealed.pdf')).equals(rendered)).toBe(true);
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
    // Only documents the server renders itself bypass the stripper; never an upload.
    const bypass = files.filter((f) => /serverRendered\(/.test(src(f)));
    expect(bypass.sort()).toEqual([
      'modules/contracts/contracts.service.ts',
      'modules/insights/insights.service.ts',
    ]);
  });
});
