import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { assertStorageKey, type FileStorage, InvalidStorageKeyError } from './storage.js';

// Stored files hold ID scans and health certificates: readable by the service account only.
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** File storage in a local directory; each key is a relative path below `rootDir`, created on demand. */
export function createLocalStorage(rootDir: string): FileStorage {
  const root = path.resolve(rootDir);

  function pathOf(key: string): string {
    assertStorageKey(key);
    const full = path.resolve(root, ...key.split('/'));
    // Defence in depth: the key pattern already forbids anything that could leave the root.
    if (!full.startsWith(root + path.sep)) throw new InvalidStorageKeyError(key);
    return full;
  }

  return {
    async put(key, data) {
      const target = pathOf(key);
      const dir = path.dirname(target);
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      const temp = path.join(dir, `.${randomUUID()}.tmp`);
      try {
        const handle = await open(temp, 'wx', FILE_MODE);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, target);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      await syncDir(dir);
    },

    async get(key) {
      const target = pathOf(key);
      try {
        return await readFile(target);
      } catch (err) {
        if (isCode(err, 'ENOENT', 'ENOTDIR', 'EISDIR')) {
          throw new AppError('NOT_FOUND', { detail: `No stored file under ${key}`, cause: err });
        }
        throw err;
      }
    },

    async delete(key) {
      const target = pathOf(key);
      try {
        await unlink(target);
      } catch (err) {
        if (!isCode(err, 'ENOENT', 'ENOTDIR')) throw err;
      }
    },

    async exists(key) {
      const target = pathOf(key);
      try {
        return (await stat(target)).isFile();
      } catch (err) {
        if (isCode(err, 'ENOENT', 'ENOTDIR')) return false;
        throw err;
      }
    },
  };
}

// Makes the rename itself durable; not every platform can fsync a directory, and that is not an error.
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

function isCode(err: unknown, ...codes: string[]): boolean {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && codes.includes(err.code);
}
