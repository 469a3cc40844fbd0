import { AppError } from '../errors.js';

/**
 * Neutralises metadata in video files in place, without changing any size or offset (chunk offsets in `stco`/`co64`
 * and Matroska cue positions stay valid, and the media data is byte-identical):
 *  - MP4/MOV (ISO BMFF): every `udta` and `meta` box at the top level and under `moov`, `trak` and `mdia` (Apple
 *    `©xyz` GPS, `©day`, `©nam`, iTunes `ilst`, QuickTime keys), and in a fragmented MP4 under every `moof` and
 *    `traf` (and the top-level ones between fragments), and XMP `uuid` boxes at any of those levels, become `free`
 *    boxes with a zeroed payload. Fragment offsets (`trun` data offsets, `tfhd` base offsets, `sidx`/`mfra`) stay
 *    valid because nothing moves.
 *  - WebM/Matroska (EBML): `Tags` and `Attachments` in the Segment, and `Title` and `DateUTC` in `Info`, become EBML
 *    `Void` elements of the same length with zeroed content.
 * A structure that runs past the end of the file throws `AppError('FILE_DAMAGED')`. Returns a new buffer.
 */
export function stripMp4(data: Buffer): Buffer {
  const out = Buffer.from(data);
  walkBoxes(out, 0, out.length, 0);
  return out;
}

/** See `stripMp4`; Matroska and WebM. */
export function stripMatroska(data: Buffer): Buffer {
  const out = Buffer.from(data);
  let p = 0;
  let segments = 0;
  while (p < out.length) {
    const el = readElement(out, p, out.length);
    if (el.id === SEGMENT) {
      segments++;
      walkSegment(out, el.dataStart, el.end);
    } else if (el.id !== EBML_HEADER && el.id !== VOID)
      throw damaged(`unexpected top-level element ${hex(el.id)}`);
    p = el.end;
  }
  if (segments === 0) throw damaged('no Segment');
  return out;
}

const damaged = (why: string) =>
  new AppError('FILE_DAMAGED', {
    zh: '视频文件已损坏，无法处理',
    en: 'The video file is damaged and cannot be processed',
    detail: `The video is damaged: ${why}`,
  });
const hex = (n: number) => `0x${n.toString(16)}`;

// ISO BMFF --------------------------------------------------------------------------------------------------------

/** Walked for metadata: the movie, its tracks and media, and (fragmented MP4) each fragment and track fragment. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'moof', 'traf']);
const METADATA_BOXES = new Set(['udta', 'meta']);
const XMP_UUID = Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex');

function walkBoxes(buf: Buffer, start: number, end: number, depth: number): void {
  let p = start;
  let sawMoov = false;
  while (p < end) {
    if (p + 8 > end) throw damaged(`box header cut short at byte ${p}`);
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1) {
      if (p + 16 > end) throw damaged(`large box header cut short at byte ${p}`);
      const large = buf.readBigUInt64BE(p + 8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw damaged(`box ${type} is too large`);
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      if (depth > 0) throw damaged(`box ${type} of size 0 inside a container`);
      size = end - p;
    }
    if (size < header || p + size > end) throw damaged(`box ${JSON.stringify(type)} runs past its container`);
    if (type === 'moov') sawMoov = true;
    const uuid = type === 'uuid' && buf.subarray(p + header, p + header + 16).equals(XMP_UUID);
    if (METADATA_BOXES.has(type) || uuid) {
      buf.write('free', p + 4, 'latin1');
      buf.fill(0, p + header, p + size);
    } else if (CONTAINERS.has(type)) {
      walkBoxes(buf, p + header, p + size, depth + 1);
    }
    p += size;
  }
  if (depth === 0 && !sawMoov) throw damaged('no moov box');
}

// EBML ------------------------------------------------------------------------------------------------------------

const EBML_HEADER = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const VOID = 0xec;
const INFO = 0x1549a966;
const TAGS = 0x1254c367;
const ATTACHMENTS = 0x1941a469;
const TITLE = 0x7ba9;
const DATE_UTC = 0x4461;
/** Segment children: where an unknown-size Cluster ends. */
const LEVEL1 = new Set([0x114d9b74, INFO, 0x1654ae6b, 0x1f43b675, 0x1c53bb6b, TAGS, ATTACHMENTS, 0x1043a770]);

interface Element {
  id: number;
  start: number;
  dataStart: number;
  /** End of the element; for an unknown size, the end of its parent. */
  end: number;
  unknownSize: boolean;
}

function readVint(
  buf: Buffer,
  p: number,
  end: number,
  keepMarker: boolean,
): { value: number; length: number; allOnes: boolean } {
  if (p >= end) throw damaged(`element cut short at byte ${p}`);
  const first = buf[p]!;
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (length > 8 || (keepMarker && length > 4)) throw damaged(`invalid variable-length integer at byte ${p}`);
  if (p + length > end) throw damaged(`element cut short at byte ${p}`);
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + buf[p + i]!;
    if (buf[p + i] !== 0xff) allOnes = false;
  }
  return { value, length, allOnes: !keepMarker && allOnes };
}

function readElement(buf: Buffer, p: number, parentEnd: number): Element {
  const id = readVint(buf, p, parentEnd, true);
  const size = readVint(buf, p + id.length, parentEnd, false);
  const dataStart = p + id.length + size.length;
  if (size.allOnes) return { id: id.value, start: p, dataStart, end: parentEnd, unknownSize: true };
  const end = dataStart + size.value;
  if (end > parentEnd) throw damaged(`element ${hex(id.value)} runs past its parent`);
  return { id: id.value, start: p, dataStart, end, unknownSize: false };
}

function walkSegment(buf: Buffer, start: number, end: number): void {
  let p = start;
  while (p < end) {
    const el = readElement(buf, p, end);
    if (el.unknownSize) {
      // Only a Cluster may be open-ended (live recordings): it ends where the next Segment child starts.
      if (el.id !== 0x1f43b675) throw damaged(`element ${hex(el.id)} of unknown size`);
      p = endOfOpenCluster(buf, el.dataStart, end);
      continue;
    }
    if (el.id === TAGS || el.id === ATTACHMENTS) toVoid(buf, el);
    else if (el.id === INFO) {
      for (let q = el.dataStart; q < el.end; ) {
        const child = readElement(buf, q, el.end);
        if (child.unknownSize) throw damaged('Info child of unknown size');
        if (child.id === TITLE || child.id === DATE_UTC) toVoid(buf, child);
        q = child.end;
      }
    }
    p = el.end;
  }
}

function endOfOpenCluster(buf: Buffer, start: number, end: number): number {
  let p = start;
  while (p < end) {
    const id = readVint(buf, p, end, true);
    if (LEVEL1.has(id.value)) return p;
    const child = readElement(buf, p, end);
    if (child.unknownSize) throw damaged('Cluster child of unknown size');
    p = child.end;
  }
  return end;
}

/** Rewrites `el` as a Void element of exactly the same length, content zeroed. */
function toVoid(buf: Buffer, el: Element): void {
  const total = el.end - el.start;
  for (let length = 1; length <= 8; length++) {
    const size = total - 1 - length;
    if (size < 0 || size > 2 ** (7 * length) - 2) continue;
    buf.fill(0, el.start, el.end);
    buf[el.start] = VOID;
    // The size with its length marker, big-endian over `length` bytes.
    let v = size;
    for (let i = length; i >= 1; i--) {
      buf[el.start + i] = v % 256;
      v = Math.floor(v / 256);
    }
    buf[el.start + 1]! |= 0x80 >> (length - 1);
    return;
  }
  throw damaged(`element ${hex(el.id)} cannot be voided`);
}
