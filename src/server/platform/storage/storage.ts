/** Where uploaded and generated files live: a local directory by default, S3-compatible in production. */
export interface FileStorage {
  /** Stores `data` under `key`, replacing any earlier object; readers never see a partial write. */
  put(key: string, data: Buffer): Promise<void>;
  /** The object's bytes; throws `AppError('NOT_FOUND')` when there is none. */
  get(key: string): Promise<Buffer>;
  /** Removes the object; deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** True when an object is stored under `key`. */
  exists(key: string): Promise<boolean>;
}

/** Longest key accepted, well under common file-system and S3 limits. */
export const MAX_STORAGE_KEY_LENGTH = 512;
/** Longest segment between slashes; file systems stop at 255 bytes per name. */
export const MAX_STORAGE_SEGMENT_LENGTH = 200;

// Segments of [a-z0-9_.-] separated by '/', none starting with '.', which rules out '.', '..' and
// hidden names (temp files use a leading dot, so a key can never name one).
const SEGMENT = '[a-z0-9_-][a-z0-9_.-]*';
const KEY_PATTERN = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);

/** Thrown for a key that is not a safe relative path; keys are made by server code, so this is a bug. */
export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 80))}`);
    this.name = 'InvalidStorageKeyError';
  }
}

/** True for keys like `workers/wk_01/health-2025.pdf`: lower-case [a-z0-9/_.-], relative, no `..`. */
export function isValidStorageKey(key: string): boolean {
  return (
    key.length <= MAX_STORAGE_KEY_LENGTH &&
    KEY_PATTERN.test(key) &&
    !key.includes('..') &&
    key.split('/').every((segment) => segment.length <= MAX_STORAGE_SEGMENT_LENGTH)
  );
}

/** Throws `InvalidStorageKeyError` unless `isValidStorageKey(key)`. */
export function assertStorageKey(key: string): void {
  if (!isValidStorageKey(key)) throw new InvalidStorageKeyError(key);
}
