import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import {
  createLocalStorage,
  type FileStorage,
  InvalidStorageKeyError,
  isValidStorageKey,
  MAX_STORAGE_KEY_LENGTH,
  MAX_STORAGE_SEGMENT_LENGTH,
} from '../index.js';

let sandbox: string;
let root: string;
let storage: FileStorage;

beforeEach(async () => {
  sandbox = await mkdtemp(path.join(tmpdir(), 'anxin-storage-'));
  root = path.join(sandbox, 'files');
  storage = createLocalStorage(root);
});

afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

/** Every file below `dir`, as paths relative to it. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const VALID_KEYS = [
  'a',
  'workers/wk_01jq2/id-front.jpg',
  'contracts/2025/06/ctr_01.pdf',
  '0/1/2/3',
  'x-y_z.v1.tar.gz',
  'a.b',
  'k'.repeat(MAX_STORAGE_SEGMENT_LENGTH),
  `${'a'.repeat(200)}/${'b'.repeat(200)}/${'c'.repeat(110)}`,
];

const INVALID_KEYS = [
  ['empty', ''],
  ['absolute', '/etc/passwd'],
  ['parent at the start', '../outside.txt'],
  ['parent in the middle', 'workers/../../outside.txt'],
  ['parent at the end', 'workers/..'],
  ['double dot inside a name', 'a..b'],
  ['current directory segment', 'workers/./x.jpg'],
  ['hidden file', '.env'],
  ['hidden segment', 'workers/.tmp/x'],
  ['empty segment', 'workers//x.jpg'],
  ['trailing slash', 'workers/'],
  ['upper case', 'Workers/x.jpg'],
  ['space', 'my file.pdf'],
  ['backslash', 'workers\\x.jpg'],
  ['Windows drive', 'c:/x'],
  ['Chinese', '身份证.jpg'],
  ['null byte', 'a\u0000b'],
  ['newline', 'a\nb'],
  ['percent encoding', '%2e%2e/x'],
  ['too long', `${'a'.repeat(200)}/${'b'.repeat(200)}/${'c'.repeat(111)}`],
  ['a too long segment', 'k'.repeat(MAX_STORAGE_SEGMENT_LENGTH + 1)],
] as const;

describe('isValidStorageKey', () => {
  it('allows keys up to the documented lengths', () => {
    expect(VALID_KEYS.at(-1)).toHaveLength(MAX_STORAGE_KEY_LENGTH);
    expect(INVALID_KEYS.find(([label]) => label === 'too long')?.[1]).toHaveLength(
      MAX_STORAGE_KEY_LENGTH + 1,
    );
  });

  it.each(VALID_KEYS)('accepts %j', (key) => {
    expect(isValidStorageKey(key)).toBe(true);
  });

  it.each(INVALID_KEYS)('refuses a key that is %s', (_label, key) => {
    expect(isValidStorageKey(key)).toBe(false);
  });
});

describe('createLocalStorage', () => {
  it('stores and reads back bytes, creating the root and nested directories', async () => {
    const data = Buffer.from([0, 1, 2, 254, 255]);
    await storage.put('workers/wk_1/docs/health.pdf', data);
    expect(await storage.get('workers/wk_1/docs/health.pdf')).toEqual(data);
    expect(await readFile(path.join(root, 'workers', 'wk_1', 'docs', 'health.pdf'))).toEqual(data);
  });

  it.each(VALID_KEYS)('round-trips key %j', async (key) => {
    await storage.put(key, Buffer.from(key));
    expect((await storage.get(key)).toString()).toBe(key);
    expect(await storage.exists(key)).toBe(true);
  });

  it('stores an empty object and Chinese content unchanged', async () => {
    await storage.put('empty', Buffer.alloc(0));
    expect(await storage.get('empty')).toHaveLength(0);
    await storage.put('zh.txt', Buffer.from('安心家政', 'utf8'));
    expect((await storage.get('zh.txt')).toString('utf8')).toBe('安心家政');
  });

  it('replaces an existing object', async () => {
    await storage.put('a/b.bin', Buffer.from('first, longer content'));
    await storage.put('a/b.bin', Buffer.from('second'));
    expect((await storage.get('a/b.bin')).toString()).toBe('second');
  });

  it('keeps its own copy of the data', async () => {
    const data = Buffer.from('original');
    await storage.put('copy', data);
    data.fill(0);
    expect((await storage.get('copy')).toString()).toBe('original');
  });

  it('leaves no temporary files behind', async () => {
    for (let i = 0; i < 10; i++) await storage.put(`dir/f${i}`, Buffer.from(String(i)));
    await storage.put('dir/f0', Buffer.from('again'));
    expect(await listFiles(root)).toEqual(
      Array.from({ length: 10 }, (_, i) => path.join('dir', `f${i}`)).sort(),
    );
  });

  it('never exposes a torn file when writes to one key race', async () => {
    const payloads = Array.from({ length: 25 }, (_, i) => Buffer.alloc(64 * 1024, i + 1));
    await Promise.all(payloads.map((p) => storage.put('race/obj', p)));
    const stored = await storage.get('race/obj');
    expect(payloads.some((p) => p.equals(stored))).toBe(true);
    expect(await listFiles(root)).toEqual([path.join('race', 'obj')]);
  });

  it('reads either the old or the new content while a write is in flight', async () => {
    const before = Buffer.alloc(256 * 1024, 1);
    const after = Buffer.alloc(256 * 1024, 2);
    await storage.put('swap', before);
    const writing = storage.put('swap', after);
    const seen = await Promise.all(Array.from({ length: 10 }, () => storage.get('swap')));
    await writing;
    for (const s of seen) expect(s.equals(before) || s.equals(after)).toBe(true);
    expect((await storage.get('swap')).equals(after)).toBe(true);
  });

  it('writes files readable by the owner only', async () => {
    if (process.platform === 'win32') return;
    await storage.put('private/id-card.jpg', Buffer.from('x'));
    expect((await stat(path.join(root, 'private', 'id-card.jpg'))).mode & 0o777).toBe(0o600);
  });

  it('reports existence', async () => {
    expect(await storage.exists('nope')).toBe(false);
    expect(await storage.exists('a/b/c')).toBe(false);
    await storage.put('a/b/c', Buffer.from('x'));
    expect(await storage.exists('a/b/c')).toBe(true);
    // A directory is not an object, and a path through a file is simply absent.
    expect(await storage.exists('a/b')).toBe(false);
    expect(await storage.exists('a/b/c/d')).toBe(false);
  });

  it('throws AppError NOT_FOUND for a missing object', async () => {
    const err = await storage.get('missing/file.pdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('throws NOT_FOUND for a directory or a path through a file', async () => {
    await storage.put('a/b', Buffer.from('x'));
    await expect(storage.get('a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(storage.get('a/b/c')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deletes, and deleting an absent object is not an error', async () => {
    await storage.put('gone/soon.jpg', Buffer.from('x'));
    await storage.delete('gone/soon.jpg');
    expect(await storage.exists('gone/soon.jpg')).toBe(false);
    await expect(storage.get('gone/soon.jpg')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(storage.delete('gone/soon.jpg')).resolves.toBeUndefined();
    await expect(storage.delete('never/existed')).resolves.toBeUndefined();
  });

  it('cleans up its temporary file when the final rename fails', async () => {
    await storage.put('taken/child', Buffer.from('x'));
    // 'taken' is a directory now, so renaming a file onto it fails.
    await expect(storage.put('taken', Buffer.from('y'))).rejects.toThrow();
    expect(await listFiles(root)).toEqual([path.join('taken', 'child')]);
  });

  it('fails when a parent path is an existing file', async () => {
    await storage.put('file', Buffer.from('x'));
    await expect(storage.put('file/child', Buffer.from('y'))).rejects.toThrow();
    expect((await storage.get('file')).toString()).toBe('x');
  });

  it('accepts a relative root directory', async () => {
    const relative = path.relative(process.cwd(), path.join(sandbox, 'rel'));
    const rel = createLocalStorage(relative);
    await rel.put('k', Buffer.from('v'));
    expect(await readFile(path.join(sandbox, 'rel', 'k'), 'utf8')).toBe('v');
  });

  it.each(INVALID_KEYS)('refuses a key that is %s in every operation', async (_label, key) => {
    await mkdir(root, { recursive: true });
    await writeFile(path.join(sandbox, 'outside.txt'), 'secret');
    await expect(storage.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.exists(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    expect(await readFile(path.join(sandbox, 'outside.txt'), 'utf8')).toBe('secret');
    expect(await listFiles(root)).toEqual([]);
  });
});
