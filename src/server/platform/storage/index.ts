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
  hasImageHygiene,
  type ImageHandling,
  imageHandling,
  type PreparedUpload,
  prepareUpload,
  storableBytes,
  withImageHygiene,
} from './image-hygiene.js';
