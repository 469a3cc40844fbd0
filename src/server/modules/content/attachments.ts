import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../platform/errors.js';
import { storableBytes } from '../../platform/storage/index.js';

/** Attachment types, decided by the bytes (file-type), never by the name or the declared type. */
export const attachmentTypes = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'image/jpeg': 'jpg',
  'image/png': 'png',
} as const;
export type AttachmentMime = keyof typeof attachmentTypes;

/** 10 MB per file; a policy PDF with scans stays well under it. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** At most this many attachments per item. */
export const MAX_ATTACHMENTS = 10;

export interface InspectedAttachment {
  /** The bytes to store, without their metadata (EXIF GPS, XMP, text chunks, PDF Info, document authors). */
  data: Buffer;
  mime: AttachmentMime;
  ext: (typeof attachmentTypes)[AttachmentMime];
  size: number;
  sha256: string;
}

const isAttachmentMime = (m: string | undefined): m is AttachmentMime =>
  m !== undefined && Object.hasOwn(attachmentTypes, m);

/**
 * Checks an upload: not empty, not above the limit, and really one of the allowed types; it comes back stripped of
 * its metadata (image EXIF, PDF Info/XMP, DOCX/XLSX authors; `FILE_DAMAGED` when it cannot be parsed,
 * `FILE_ARCHIVE_TOO_LARGE` for a zip bomb), with size and hash of the stripped bytes.
 */
export async function inspectAttachment(
  data: Buffer,
  maxBytes = MAX_ATTACHMENT_BYTES,
): Promise<InspectedAttachment> {
  if (data.length === 0) throw new AppError('FILE_EMPTY');
  if (data.length > maxBytes)
    throw new AppError('FILE_TOO_LARGE', {
      zh: `文件过大：附件不能超过 ${Math.floor(maxBytes / 1024 / 1024)} MB`,
      en: `The file is too large: attachments are limited to ${Math.floor(maxBytes / 1024 / 1024)} MB`,
    });
  const detected = await fileTypeFromBuffer(data);
  if (!isAttachmentMime(detected?.mime))
    throw new AppError('FILE_TYPE_NOT_ALLOWED', {
      zh: '文件类型不被允许：附件仅支持 PDF、Word (DOCX)、Excel (XLSX)、JPEG、PNG',
      en: 'File type not allowed: attachments may be PDF, Word (DOCX), Excel (XLSX), JPEG or PNG',
      detail: `Detected ${detected?.mime ?? 'an unknown type'}`,
    });
  const mime = detected.mime;
  const stored = await storableBytes(data);
  return {
    data: stored,
    mime,
    ext: attachmentTypes[mime],
    size: stored.length,
    sha256: createHash('sha256').update(stored).digest('hex'),
  };
}

/**
 * The name shown and offered on download: no path, no control or reserved characters, at most 100 characters,
 * and always the extension of the detected type (a `.pdf.exe` upload that is a PDF is offered as `….pdf`).
 */
export function displayName(original: string, ext: string): string {
  const base =
    original
      .split(/[\\/]/)
      .pop()!
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
      .replace(/\.[A-Za-z0-9]{1,5}$/, '')
      .trim()
      .slice(0, 100) || 'attachment';
  return `${base}.${ext}`;
}
