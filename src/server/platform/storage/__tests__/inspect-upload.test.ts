import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../errors.js';
import { inspectUpload, type UploadMime } from '../index.js';

const ALL: UploadMime[] = ['image/jpeg', 'image/png', 'application/pdf'];
const opts = { allowed: ALL, maxBytes: 1024 * 1024 };

const bytes = (...values: number[]) => Buffer.from(values);

/** SOI, a JFIF APP0 segment and EOI: the smallest thing every JPEG reader recognises. */
const JPEG = Buffer.concat([
  bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10),
  Buffer.from('JFIF\0', 'latin1'),
  bytes(0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00),
  bytes(0xff, 0xd9),
]);

/** A JPEG as phones write it: SOI then an Exif APP1 segment. */
const JPEG_EXIF = Buffer.concat([
  bytes(0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10),
  Buffer.from('Exif\0\0', 'latin1'),
  Buffer.from('MM\0*\0\0\0\x08', 'latin1'),
  bytes(0xff, 0xd9),
]);

/** Signature, a 1×1 RGBA IHDR chunk and IEND, with their real CRCs. */
const PNG = Buffer.concat([
  bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  bytes(0, 0, 0, 13),
  Buffer.from('IHDR', 'latin1'),
  bytes(0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0),
  bytes(0x1f, 0x15, 0xc4, 0x89),
  bytes(0, 0, 0, 0),
  Buffer.from('IEND', 'latin1'),
  bytes(0xae, 0x42, 0x60, 0x82),
]);

const PDF = Buffer.from(
  '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
    'trailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

const ELF = Buffer.concat([bytes(0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00), Buffer.alloc(56)]);
const MZ = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(126)]);

async function refusal(data: Buffer, options = opts): Promise<AppError> {
  const err = await inspectUpload(data, options).catch((e: unknown) => e);
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

async function expectRefused(data: Buffer, code: ErrorCode, options = opts): Promise<void> {
  expect((await refusal(data, options)).code).toBe(code);
}

describe('inspectUpload accepts real content', () => {
  it.each([
    ['a JFIF JPEG', JPEG, 'image/jpeg', 'jpg'],
    ['an Exif JPEG', JPEG_EXIF, 'image/jpeg', 'jpg'],
    ['a PNG', PNG, 'image/png', 'png'],
    ['a PDF', PDF, 'application/pdf', 'pdf'],
  ])('%s', async (_label, data, mime, ext) => {
    expect(await inspectUpload(data, opts)).toEqual({
      mime,
      ext,
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  });

  it('reports the SHA-256 as 64 lower-case hex characters that change with the content', async () => {
    const a = await inspectUpload(PDF, opts);
    const b = await inspectUpload(Buffer.concat([PDF, Buffer.from('% more\n')]), opts);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sha256).not.toBe(a.sha256);
  });

  it('detects a JPEG declared as a PDF as a JPEG: the name and declared type are never consulted', async () => {
    const upload = { filename: 'contract.pdf', declaredMime: 'application/pdf', data: JPEG };
    const result = await inspectUpload(upload.data, opts);
    expect(result.mime).toBe('image/jpeg');
    expect(result.ext).toBe('jpg');
  });

  it('accepts a file exactly at the size limit', async () => {
    await expect(inspectUpload(PNG, { allowed: ALL, maxBytes: PNG.length })).resolves.toMatchObject({
      size: PNG.length,
    });
  });
});

describe('inspectUpload refuses', () => {
  it.each([
    ['a renamed ELF executable (photo.jpg)', ELF],
    ['a renamed Windows executable (photo.jpg)', MZ],
    ['plain text', Buffer.from('这不是图片，只是文字。\nplain text\n', 'utf8')],
    ['HTML', Buffer.from('<!doctype html><html><script>alert(1)</script></html>')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['a shell script', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
    ['a ZIP archive', Buffer.concat([bytes(0x50, 0x4b, 0x03, 0x04), Buffer.alloc(40)])],
    ['a lone PNG signature', PNG.subarray(0, 8)],
    ['a truncated JPEG marker', bytes(0xff, 0xd8)],
    ['a PDF marker after other content', Buffer.concat([Buffer.from('<html>'), PDF])],
    ['zero bytes', Buffer.alloc(64)],
  ])('%s with FILE_TYPE_NOT_ALLOWED', async (_label, data) => {
    const err = await refusal(data);
    expect(err.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(err.status).toBe(415);
  });

  it('names the detected type in the detail', async () => {
    expect((await refusal(ELF)).message).toContain('application/x-elf');
    expect((await refusal(MZ)).message).toContain('application/x-msdownload');
  });

  it('a real type outside the allowed list', async () => {
    await expectRefused(JPEG, 'FILE_TYPE_NOT_ALLOWED', { allowed: ['application/pdf'], maxBytes: 1024 });
    await expectRefused(PDF, 'FILE_TYPE_NOT_ALLOWED', {
      allowed: ['image/jpeg', 'image/png'],
      maxBytes: 1024,
    });
    await expectRefused(PNG, 'FILE_TYPE_NOT_ALLOWED', { allowed: [], maxBytes: 1024 });
  });

  it('an empty file with FILE_EMPTY', async () => {
    const err = await refusal(Buffer.alloc(0));
    expect(err.code).toBe('FILE_EMPTY');
    expect(err.status).toBe(422);
  });

  it('a file over the limit with FILE_TOO_LARGE, before looking at its type', async () => {
    const err = await refusal(PNG, { allowed: ALL, maxBytes: PNG.length - 1 });
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.status).toBe(413);
    await expectRefused(ELF, 'FILE_TOO_LARGE', { allowed: ALL, maxBytes: 8 });
  });

  it.each([0, -1, 1.5, Number.NaN])('a maxBytes of %d as a programming error', async (maxBytes) => {
    await expect(inspectUpload(PNG, { allowed: ALL, maxBytes })).rejects.toBeInstanceOf(RangeError);
  });
});
