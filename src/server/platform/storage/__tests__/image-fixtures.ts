import { crc32, deflateSync, inflateSync } from 'node:zlib';

/**
 * Real small images for the metadata tests, made here rather than checked in: a baseline greyscale JPEG (8×8 blocks
 * of flat grey, its own Huffman tables) and RGBA PNGs (zlib), each with the metadata a phone camera writes.
 */

export const GPS_TEXT = 'GPS 23.129100N 113.264400E Guangzhou Tianhe';

const segment = (marker: number, body: Buffer) => {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};

/** An Exif APP1 body: TIFF header, IFD0 with ImageDescription (the GPS text) and a GPS IFD with latitude ref. */
function exifBody(): Buffer {
  const text = Buffer.from(`${GPS_TEXT}\0`, 'latin1');
  // Big-endian TIFF: header (8) + IFD0 (2 + 2×12 + 4) + GPS IFD (2 + 12 + 4) + text.
  const ifd0 = 8;
  const gpsIfd = ifd0 + 2 + 2 * 12 + 4;
  const textAt = gpsIfd + 2 + 12 + 4;
  const tiff = Buffer.alloc(textAt + text.length);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(ifd0, 4);
  tiff.writeUInt16BE(2, ifd0);
  // 0x010E ImageDescription, ASCII, count, offset
  tiff.writeUInt16BE(0x010e, ifd0 + 2);
  tiff.writeUInt16BE(2, ifd0 + 4);
  tiff.writeUInt32BE(text.length, ifd0 + 6);
  tiff.writeUInt32BE(textAt, ifd0 + 10);
  // 0x8825 GPSInfo IFD pointer, LONG
  tiff.writeUInt16BE(0x8825, ifd0 + 14);
  tiff.writeUInt16BE(4, ifd0 + 16);
  tiff.writeUInt32BE(1, ifd0 + 18);
  tiff.writeUInt32BE(gpsIfd, ifd0 + 22);
  tiff.writeUInt32BE(0, ifd0 + 26);
  tiff.writeUInt16BE(1, gpsIfd);
  // 0x0001 GPSLatitudeRef 'N'
  tiff.writeUInt16BE(0x0001, gpsIfd + 2);
  tiff.writeUInt16BE(2, gpsIfd + 4);
  tiff.writeUInt32BE(2, gpsIfd + 6);
  tiff.write('N\0', gpsIfd + 10, 'latin1');
  tiff.writeUInt32BE(0, gpsIfd + 14);
  text.copy(tiff, textAt);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

/** Bit writer for the entropy-coded segment, with FF00 byte stuffing. */
class Bits {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  put(value: number, length: number) {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte() {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00);
    this.acc = 0;
    this.n = 0;
  }
  end(): Buffer {
    while (this.n !== 0) this.put(1, 1);
    return Buffer.from(this.bytes);
  }
}

/**
 * A baseline greyscale JPEG whose 8×8 blocks are flat greys (`blocks[row][col]`, 0–255), quantiser 1. DC symbols
 * 0–11 all take 4-bit codes (0000…1011) and the only AC symbol is EOB (code 0).
 */
export function tinyJpeg(blocks: number[][], opts: { metadata?: boolean } = {}): Buffer {
  const h = blocks.length * 8;
  const w = blocks[0]!.length * 8;
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  parts.push(segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])));
  if (opts.metadata) {
    parts.push(segment(0xe1, exifBody()));
    parts.push(
      segment(
        0xe1,
        Buffer.from(
          `http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>23,7.746N</exif:GPSLatitude></x:xmpmeta>`,
          'latin1',
        ),
      ),
    );
    parts.push(
      segment(0xed, Buffer.from('Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x10IPTC by-line Li Wei', 'latin1')),
    );
    parts.push(segment(0xfe, Buffer.from('shot at 13800138000 home', 'latin1')));
  }
  parts.push(segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)])));
  const sof = Buffer.alloc(9);
  sof[0] = 8;
  sof.writeUInt16BE(h, 1);
  sof.writeUInt16BE(w, 3);
  sof[5] = 1;
  sof[6] = 1;
  sof[7] = 0x11;
  sof[8] = 0;
  parts.push(segment(0xc0, sof));
  const dcCounts = Array(16).fill(0) as number[];
  dcCounts[3] = 12;
  parts.push(segment(0xc4, Buffer.from([0x00, ...dcCounts, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])));
  const acCounts = Array(16).fill(0) as number[];
  acCounts[0] = 1;
  parts.push(segment(0xc4, Buffer.from([0x10, ...acCounts, 0x00])));
  parts.push(segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])));
  const bits = new Bits();
  let prev = 0;
  for (const row of blocks)
    for (const grey of row) {
      const dc = 8 * (grey - 128);
      const diff = dc - prev;
      prev = dc;
      const size = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      bits.put(size, 4);
      if (size) bits.put(diff >= 0 ? diff : diff + (1 << size) - 1, size);
      bits.put(0, 1);
    }
  parts.push(bits.end(), Buffer.from([0xff, 0xd9]));
  if (opts.metadata) parts.push(Buffer.from(`trailer ${GPS_TEXT}`, 'latin1'));
  return Buffer.concat(parts);
}

/** Width and height from a JPEG's SOF0 segment. */
export function jpegSize(data: Buffer): { width: number; height: number } {
  for (let i = 2; i < data.length - 8; ) {
    const marker = data[i + 1]!;
    const len = data.readUInt16BE(i + 2);
    if (marker === 0xc0) return { height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  throw new Error('no SOF0');
}

/** The JPEG's segments in order as [marker, bytes] up to the scan, and the scan data (entropy-coded) through EOI. */
export function jpegParts(data: Buffer): { segments: [number, Buffer][]; scan: Buffer } {
  const segments: [number, Buffer][] = [];
  let i = 2;
  for (;;) {
    const marker = data[i + 1]!;
    const end = i + 2 + data.readUInt16BE(i + 2);
    segments.push([marker, data.subarray(i, end)]);
    i = end;
    if (marker === 0xda) {
      const eoi = data.indexOf(Buffer.from([0xff, 0xd9]), i);
      return { segments, scan: data.subarray(i, eoi + 2) };
    }
  }
}

const chunk = (type: string, body: Buffer) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
};

/** A w×h RGBA PNG with a gradient, and the same with tEXt/zTXt/iTXt/eXIf/tIME chunks and a trailer. */
export function pngPair(width: number, height: number): { clean: Buffer; tagged: Buffer } {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 4);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      row.set([(i * 37) & 255, (i * 91) & 255, 200, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const clean = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  const iendAt = clean.length - 12;
  const extra = Buffer.concat([
    chunk('tEXt', Buffer.from(`Comment\0${GPS_TEXT}`, 'latin1')),
    chunk(
      'iTXt',
      Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0<exif:GPSLatitude>23,7.746N</exif:GPSLatitude>`, 'utf8'),
    ),
    chunk('eXIf', exifBody().subarray(6)),
    chunk('tIME', Buffer.from([0x07, 0xea, 11, 29, 8, 30, 0])),
  ]);
  // Metadata both before the image data (after IHDR) and after it.
  const ihdrEnd = 8 + 25;
  const tagged = Buffer.concat([
    clean.subarray(0, ihdrEnd),
    chunk('tEXt', Buffer.from(`Author\0Li Wei ${GPS_TEXT}`, 'latin1')),
    clean.subarray(ihdrEnd, iendAt),
    extra,
    clean.subarray(iendAt),
    Buffer.from(`trailer ${GPS_TEXT}`, 'latin1'),
  ]);
  return { clean, tagged };
}

/** Decodes an RGBA, non-interlaced PNG of this file's kind: size and raw scanlines (CRCs checked). */
export function decodePng(data: Buffer): { width: number; height: number; raw: Buffer } {
  let i = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (i < data.length) {
    const length = data.readUInt32BE(i);
    const type = data.toString('latin1', i + 4, i + 8);
    const body = data.subarray(i + 8, i + 8 + length);
    if (crc32(data.subarray(i + 4, i + 8 + length)) >>> 0 !== data.readUInt32BE(i + 8 + length))
      throw new Error(`bad CRC in ${type}`);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
    }
    if (type === 'IDAT') idat.push(body);
    i += 12 + length;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (1 + width * 4)) throw new Error('image data does not match the size');
  return { width, height, raw };
}
