import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';
import { type InspectedUpload, type InspectUploadOptions, inspectUpload } from './inspect-upload.js';
import type { FileStorage } from './storage.js';
import { stripMatroska, stripMp4 } from './strip-media.js';
import { stripJpeg, stripPng } from './strip-metadata.js';
import { stripOoxml } from './strip-ooxml.js';
import { stripPdf } from './strip-pdf.js';

/**
 * Nothing reaches storage with its personal metadata (ASVS 5.2 / 14.2.8, PIPL Art 28 "whereabouts"). Two layers:
 *  - `withImageHygiene(storage)` wraps the one FileStorage the app hands to every module (app.ts), so each `put` stores
 *    stripped bytes: JPEG and PNG (EXIF/XMP/text), PDF (Info, XMP, embedded JPEG EXIF), DOCX/XLSX (docProps authors,
 *    company, custom properties, comment authors), MP4/MOV and WebM/Matroska (udta/meta/XMP boxes, Tags, titles).
 *    Every other image format (WebP, HEIC/HEIF, AVIF, TIFF, GIF, camera RAW…) is refused: a module that forgets, or a
 *    new one, cannot store a GPS position or an author's name.
 *  - `prepareUpload` (inspect + strip) gives a module the bytes it will store, so the size and SHA-256 it records are
 *    those of the stored file. Those bytes are remembered as clean, so the wrapper stores them without parsing them
 *    again; bytes the server rendered itself (sealed contracts, reports) are marked with `serverRendered` so that
 *    their recorded hash stays the hash of the stored file.
 */

const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const OOXML = /^application\/vnd\.openxmlformats-officedocument\./;
const MATROSKA = new Set(['video/webm', 'audio/webm', 'video/x-matroska', 'audio/x-matroska']);

/**
 * What storage does with bytes of a given content: strip them (by format), refuse them (images with no stripper), or
 * keep them (nothing known to carry personal metadata).
 */
export type ContentHandling = 'jpeg' | 'png' | 'pdf' | 'ooxml' | 'mp4' | 'matroska' | 'refuse' | 'keep';

/**
 * Classifies by magic bytes first (so a damaged JPEG or PNG is still treated as one and refused), then by file-type.
 * Animated PNG (`image/apng`) is a PNG; an ISO BMFF file is a video unless file-type calls it an image (HEIC, AVIF).
 */
export async function contentHandling(data: Buffer): Promise<{ handling: ContentHandling; mime?: string }> {
  if (data.subarray(0, 3).equals(JPEG_SOI)) return { handling: 'jpeg', mime: 'image/jpeg' };
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return { handling: 'png', mime: 'image/png' };
  if (data.length === 0) return { handling: 'keep' };
  const mime = (await fileTypeFromBuffer(data))?.mime;
  if (!mime) return { handling: 'keep' };
  if (mime.startsWith('image/')) return { handling: 'refuse', mime };
  if (mime === 'application/pdf') return { handling: 'pdf', mime };
  if (OOXML.test(mime)) return { handling: 'ooxml', mime };
  if (MATROSKA.has(mime)) return { handling: 'matroska', mime };
  if (data.toString('latin1', 4, 8) === 'ftyp') return { handling: 'mp4', mime };
  return { handling: 'keep', mime };
}

/** Buffers known to be storable as they are: the output of `storableBytes`, and `serverRendered` documents. */
const CLEAN = new WeakSet<Buffer>();
let strips = 0;

/** How many times a file has been parsed and stripped in this process (tests and metrics; never reset). */
export const metadataStripCount = (): number => strips;

/**
 * Marks bytes the server rendered itself (pdfkit contracts, monthly reports) so that storage keeps them byte for byte:
 * their SHA-256 is recorded (a sealed contract's hash and filing) and they carry no uploader's metadata. Returns `data`.
 * Mutating the buffer afterwards is a bug.
 */
export function serverRendered(data: Buffer): Buffer {
  CLEAN.add(data);
  RENDERED.add(data);
  return data;
}

/** Bytes marked by `serverRendered`: made here from the database's own content, not handed over by anyone. */
const RENDERED = new WeakSet<Buffer>();

/** Whether `data` is a document the server rendered itself (the antivirus wrapper does not scan those). */
export const isServerRendered = (data: Buffer): boolean => RENDERED.has(data);

/**
 * The bytes storage may hold: metadata stripped by format (see the file comment; `AppError('FILE_DAMAGED')` when a
 * file cannot be parsed, `FILE_ARCHIVE_TOO_LARGE` for a zip over the limits), other files unchanged; an image of
 * another format throws `FILE_TYPE_NOT_ALLOWED`. The result is remembered as clean: passing it again costs nothing.
 */
export async function storableBytes(data: Buffer): Promise<Buffer> {
  if (CLEAN.has(data)) return data;
  const { handling, mime } = await contentHandling(data);
  if (handling === 'refuse')
    throw new AppError('FILE_TYPE_NOT_ALLOWED', {
      detail: `${mime} images can carry camera metadata (EXIF/XMP, GPS) that is not removed; only JPEG and PNG images are stored`,
    });
  if (handling !== 'keep') strips++;
  const clean =
    handling === 'jpeg'
      ? stripJpeg(data)
      : handling === 'png'
        ? stripPng(data)
        : handling === 'pdf'
          ? await stripPdf(data)
          : handling === 'ooxml'
            ? stripOoxml(data)
            : handling === 'mp4'
              ? stripMp4(data)
              : handling === 'matroska'
                ? stripMatroska(data)
                : data;
  CLEAN.add(clean);
  return clean;
}

const WRAPPED = Symbol('anxin.imageHygiene');

/** `storage` with every `put` passed through `storableBytes` (free for bytes already clean); wrapping twice is a no-op. */
export function withImageHygiene(storage: FileStorage): FileStorage {
  if ((storage as { [WRAPPED]?: true })[WRAPPED]) return storage;
  const wrapped: FileStorage & { [WRAPPED]: true } = {
    [WRAPPED]: true,
    put: async (key, data) => storage.put(key, await storableBytes(data)),
    get: (key) => storage.get(key),
    delete: (key) => storage.delete(key),
    exists: (key) => storage.exists(key),
  };
  return wrapped;
}

/** True when `storage` strips metadata on `put` (see `withImageHygiene`). */
export const hasImageHygiene = (storage: FileStorage): boolean =>
  (storage as { [WRAPPED]?: true })[WRAPPED] === true;

/** An inspected upload with the bytes to store: metadata stripped, size and SHA-256 of those bytes. */
export interface PreparedUpload extends InspectedUpload {
  data: Buffer;
}

/**
 * `inspectUpload`, then the bytes to store: metadata stripped (`AppError('FILE_DAMAGED')` when damaged, before
 * anything is stored). Size and SHA-256 describe the stored bytes, which the storage wrapper does not parse again.
 */
export async function prepareUpload(data: Buffer, opts: InspectUploadOptions): Promise<PreparedUpload> {
  const inspected = await inspectUpload(data, opts);
  const clean = await storableBytes(data);
  if (clean === data) return { ...inspected, data: clean };
  return {
    ...inspected,
    data: clean,
    size: clean.length,
    sha256: createHash('sha256').update(clean).digest('hex'),
  };
}
