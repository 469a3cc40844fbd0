/** File storage behind one interface, and content-based checks of uploads. */
export {
  assertStorageKey,
  type FileStorage,
  InvalidStorageKeyError,
  isValidStorageKey,
  MAX_STORAGE_KEY_LENGTH,
  MAX_STORAGE_SEGMENT_LENGTH,
} from './storage.js';
export { createLocalStorage } from './local-storage.js';
export {
  type InspectedUpload,
  type InspectUploadOptions,
  inspectUpload,
  type UploadMime,
} from './inspect-upload.js';
export { stripImageMetadata, stripJpeg, stripPng } from './strip-metadata.js';
export {
  type ContentHandling,
  contentHandling,
  hasImageHygiene,
  metadataStripCount,
  type PreparedUpload,
  prepareUpload,
  serverRendered,
  isServerRendered,
  storableBytes,
  withImageHygiene,
} from './image-hygiene.js';
export { stripMatroska, stripMp4 } from './strip-media.js';
export { stripOoxml, ZIP_LIMITS, type ZipLimits } from './strip-ooxml.js';
export { stripPdf } from './strip-pdf.js';
