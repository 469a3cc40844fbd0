import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';
import { type InspectedUpload, type InspectUploadOptions, inspectUpload } from './inspect-upload.js';
import type { FileStorage } from './storage.js';
import { stripJpeg, stripPng } from './strip-metadata.js';

/**
 * No image reaches storage with its camera metadata (ASVS 14.2.8, PIPL Art 28 "whereabouts"). Two layers:
 *  - `withImageHygiene(storage)` wraps the one FileStorage the app hands to every module (app.ts), so each `put` of a
 *    JPEG or PNG stores the stripped bytes and every other image format (WebP, HEIC/HEIF, AVIF, TIFF, GIF, camera RAW…)
 *    is refused: a module that forgets, or a new one, cannot store a GPS position.
 *  - `prepareUpload` (inspect + strip) gives a module the bytes it will store, so the size and SHA-256 it records are
 *    those of the stored file. Stripping is idempotent, so the wrapper's second pass changes nothing.
 */

const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What storage does with bytes of a given content: strip (JPEG, PNG), refuse (other images), or keep (the rest). */
export type ImageHandling = 'jpeg' | 'png' | 'refuse' | 'keep';

/**
 * Classifies by magic bytes first (so a damaged JPEG or PNG is still treated as one and refused), then by file-type
 * for the other image formats. Animated PNG (`image/apng`) is a PNG.
 */
export async function imageHandling(data: Buffer): Promise<{ handling: ImageHandling; mime?: string }> {
  if (data.subarray(0, 3).equals(JPEG_SOI)) return { handling: 'jpeg', mime: 'image/jpeg' };
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return { handling: 'png', mime: 'image/png' };
  if (data.length === 0) return { handling: 'keep' };
  const mime = (await fileTypeFromBuffer(data))?.mime;
  if (mime?.startsWith('image/')) return { handling: 'refuse', mime };
  return mime ? { handling: 'keep', mime } : { handling: 'keep' };
}

/**
 * The bytes storage may hold: a JPEG or PNG without its metadata (`AppError('FILE_DAMAGED')` when it cannot be
 * parsed), anything that is not an image unchanged; an image of another format throws `FILE_TYPE_NOT_ALLOWED`.
 */
export async function storableBytes(data: Buffer): Promise<Buffer> {
  const { handling, mime } = await imageHandling(data);
  if (handling === 'jpeg') return stripJpeg(data);
  if (handling === 'png') return stripPng(data);
  if (handling === 'refuse')
    throw new AppError('FILE_TYPE_NOT_ALLOWED', {
      detail: `${mime} images can carry camera metadata (EXIF/XMP, GPS) that is not removed; only JPEG and PNG images are stored`,
    });
  return data;
}

const WRAPPED = Symbol('anxin.imageHygiene');

/** `storage` with every `put` passed through `storableBytes`; wrapping twice is a no-op. */
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

/** True when `storage` strips images on `put` (see `withImageHygiene`). */
export const hasImageHygiene = (storage: FileStorage): boolean =>
  (storage as { [WRAPPED]?: true })[WRAPPED] === true;

/** An inspected upload with the bytes to store: metadata stripped, size and SHA-256 of those bytes. */
export interface PreparedUpload extends InspectedUpload {
  data: Buffer;
}

/**
 * `inspectUpload`, then the bytes to store: images stripped of metadata (`AppError('FILE_DAMAGED')` when damaged,
 * before anything is stored). Size and SHA-256 describe the stored bytes.
 */
export async function prepareUpload(data: Buffer, opts: InspectUploadOptions): Promise<PreparedUpload> {
  const inspected = await inspectUpload(data, opts);
  if (inspected.mime === 'application/pdf') return { ...inspected, data };
  const clean = await storableBytes(data);
  return {
    ...inspected,
    data: clean,
    size: clean.length,
    sha256: createHash('sha256').update(clean).digest('hex'),
  };
}
