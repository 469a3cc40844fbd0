import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';

const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' } as const;

/** The upload types the platform accepts. */
export type UploadMime = keyof typeof EXTENSIONS;

/** What the content of an accepted upload really is. */
export interface InspectedUpload {
  mime: UploadMime;
  ext: (typeof EXTENSIONS)[UploadMime];
  size: number;
  /** Lower-case hex SHA-256 of the bytes, for de-duplication and tamper evidence. */
  sha256: string;
}

/** Limits for `inspectUpload`. */
export interface InspectUploadOptions {
  allowed: readonly UploadMime[];
  maxBytes: number;
}

/**
 * Checks an upload by its bytes, never by its name or declared type. Throws `AppError('FILE_EMPTY')`,
 * `AppError('FILE_TOO_LARGE')` above `maxBytes`, or `AppError('FILE_TYPE_NOT_ALLOWED')` when the content
 * is not one of `allowed` (executables, text, HTML and SVG included).
 */
export async function inspectUpload(data: Buffer, opts: InspectUploadOptions): Promise<InspectedUpload> {
  if (!Number.isInteger(opts.maxBytes) || opts.maxBytes < 1)
    throw new RangeError('maxBytes must be a positive integer');
  const size = data.length;
  if (size === 0) throw new AppError('FILE_EMPTY');
  if (size > opts.maxBytes) {
    throw new AppError('FILE_TOO_LARGE', {
      detail: `The file has ${size} bytes; the limit is ${opts.maxBytes}`,
    });
  }
  const detected = await fileTypeFromBuffer(data);
  const mime = detected?.mime;
  if (!isUploadMime(mime) || !opts.allowed.includes(mime)) {
    throw new AppError('FILE_TYPE_NOT_ALLOWED', {
      detail: `Detected ${mime ?? 'an unknown type'}; allowed: ${opts.allowed.join(', ') || 'none'}`,
    });
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { mime, ext: EXTENSIONS[mime], size, sha256 };
}

function isUploadMime(mime: string | undefined): mime is UploadMime {
  return mime !== undefined && Object.hasOwn(EXTENSIONS, mime);
}
