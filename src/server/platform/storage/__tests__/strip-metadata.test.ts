import { describe, expect, test } from 'vitest';
import { AppError } from '../../errors.js';
import { inspectUpload } from '../inspect-upload.js';
import { stripImageMetadata, stripJpeg, stripPng } from '../strip-metadata.js';
import { decodePng, GPS_TEXT, jpegParts, jpegSize, pngPair, tinyJpeg } from './image-fixtures.js';

const BLOCKS = [
  [16, 128, 240],
  [255, 0, 97],
];

const has = (data: Buffer, text: string) => data.includes(Buffer.from(text, 'latin1'));

describe('JPEG', () => {
  test('Exif (GPS), XMP, IPTC, comments and a trailer are removed; everything else is byte-identical', async () => {
    const tagged = tinyJpeg(BLOCKS, { metadata: true });
    const clean = tinyJpeg(BLOCKS);
    expect(has(tagged, 'GPS 23.1291')).toBe(true);
    expect((await inspectUpload(tagged, { allowed: ['image/jpeg'], maxBytes: 1e6 })).mime).toBe('image/jpeg');

    const out = stripJpeg(tagged);
    for (const needle of ['GPS', 'Exif', 'xap/1.0', 'Photoshop', 'IPTC', '13800138000', 'trailer', 'Li Wei'])
      expect(has(out, needle), needle).toBe(false);
    // Exactly the image without its metadata: what the same encoder writes with none.
    expect(out.equals(clean)).toBe(true);
    expect([out[0], out[1], out.at(-2), out.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(jpegSize(out)).toEqual({ width: 24, height: 16 });
    expect(jpegParts(out).scan.equals(jpegParts(tagged).scan)).toBe(true);
    expect(jpegParts(out).segments.map(([m]) => m.toString(16))).toEqual([
      'e0',
      'db',
      'c0',
      'c4',
      'c4',
      'da',
    ]);
  });

  test('an image with no metadata comes back unchanged; stripping twice changes nothing', () => {
    const clean = tinyJpeg(BLOCKS);
    expect(stripJpeg(clean).equals(clean)).toBe(true);
    const once = stripJpeg(tinyJpeg(BLOCKS, { metadata: true }));
    expect(stripJpeg(once).equals(once)).toBe(true);
  });

  test('an ICC colour profile (APP2) and the Adobe segment (APP14) are kept; other APP2 data is not', () => {
    const clean = tinyJpeg(BLOCKS);
    const seg = (marker: number, body: string) => {
      const b = Buffer.from(body, 'latin1');
      const head = Buffer.from([0xff, marker, 0, 0]);
      head.writeUInt16BE(b.length + 2, 2);
      return Buffer.concat([head, b]);
    };
    const icc = seg(0xe2, 'ICC_PROFILE\0\x01\x01profile-bytes');
    const adobe = seg(0xee, 'Adobe\0\x64\0\0\0\0\x01');
    const flashpix = seg(0xe2, 'FPXR\0 camera serial 12345');
    const withThem = Buffer.concat([clean.subarray(0, 20), icc, adobe, flashpix, clean.subarray(20)]);
    const out = stripJpeg(withThem);
    expect(out.equals(Buffer.concat([clean.subarray(0, 20), icc, adobe, clean.subarray(20)]))).toBe(true);
  });

  test('scan data containing FF00 byte stuffing is copied through', () => {
    // The first pair of greys whose DC codes put a 0xFF byte in the scan, so the stuffing is exercised.
    const stuffed = (img: Buffer) => jpegParts(img).scan.includes(Buffer.from([0xff, 0x00]));
    const img = Array.from({ length: 256 }, (_, g) =>
      tinyJpeg([[0, g, 255, g, 0, 255]], { metadata: true }),
    ).find(stuffed)!;
    const scan = jpegParts(img).scan;
    expect(scan.includes(Buffer.from([0xff, 0x00]))).toBe(true);
    expect(jpegParts(stripJpeg(img)).scan.equals(scan)).toBe(true);
  });

  test('damaged files are refused with FILE_DAMAGED', () => {
    const img = tinyJpeg(BLOCKS, { metadata: true });
    for (const bad of [
      img.subarray(0, 30),
      img.subarray(0, img.length - 60),
      Buffer.from([0xff, 0xd8, 0x00, 0x01]),
    ]) {
      const e = (() => {
        try {
          stripJpeg(bad);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('FILE_DAMAGED');
    }
  });
});

describe('PNG', () => {
  test('tEXt, iTXt, eXIf, tIME chunks and a trailer are removed; pixels and size unchanged', () => {
    const { clean, tagged } = pngPair(5, 3);
    expect(has(tagged, GPS_TEXT)).toBe(true);
    const out = stripPng(tagged);
    for (const needle of ['GPS', 'tEXt', 'iTXt', 'eXIf', 'tIME', 'trailer', 'Li Wei'])
      expect(has(out, needle), needle).toBe(false);
    expect(out.equals(clean)).toBe(true);
    const a = decodePng(out);
    const b = decodePng(tagged);
    expect([a.width, a.height]).toEqual([5, 3]);
    expect(a.raw.equals(b.raw)).toBe(true);
  });

  test('truncated or malformed PNGs are refused', () => {
    const { tagged } = pngPair(2, 2);
    expect(() => stripPng(tagged.subarray(0, 40))).toThrow(AppError);
    expect(() => stripPng(Buffer.from('not a png at all'))).toThrow(AppError);
  });
});

test('PDFs are not touched', () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  expect(stripImageMetadata(pdf, 'application/pdf')).toBe(pdf);
});
