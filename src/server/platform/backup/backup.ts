import { spawn } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { verifyAuditChain } from '../audit/audit.js';
import { type Database, openDatabase, pgliteExtensions } from '../db/client.js';

/**
 * Encrypted, self-checking backups of the whole database (等保 L3-CES1-29: backup and recovery).
 *
 * File layout: `ANXINBK1` · u32 manifest length · manifest JSON · 12-byte IV · 16-byte GCM tag · ciphertext.
 * The payload is a PGlite data-directory tarball (gzip) or a `pg_dump -Fc` archive, encrypted with AES-256-GCM under
 * a key derived (HKDF-SHA256) from the PII key; the manifest is the GCM additional data, so changing one byte
 * anywhere — manifest, IV, tag or payload — makes the restore refuse before it touches a database.
 */
const MAGIC = Buffer.from('ANXINBK1');

export interface Fingerprint {
  /** table → { rows, md5 over the rows' text in a stable order } */
  tables: Record<string, { rows: number; md5: string }>;
  audit: { length: number; head: string | null };
}

export interface BackupManifest {
  format: 'anxin-backup';
  version: 1;
  engine: 'pglite' | 'postgres';
  createdAt: string;
  /** SHA-256 of the plaintext payload (checked again after decryption). */
  sha256: string;
  bytes: number;
  fingerprint: Fingerprint;
}

export class BackupError extends Error {
  constructor(
    readonly code: 'BACKUP_FORMAT' | 'BACKUP_TAMPERED' | 'BACKUP_TOOL_FAILED' | 'BACKUP_MISMATCH',
    message: string,
  ) {
    super(message);
  }
}

/** The backup key: separate from the column key by derivation, so one leaked backup key opens no columns. */
export function backupKey(piiKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', piiKey, Buffer.alloc(0), 'anxin/backup/v1', 32));
}

/**
 * The keys a restore tries: the current PII key's backup key, then those of the retired PII keys (PII_OLD_KEYS),
 * newest first, so a backup made before a PII_KEY rotation still restores while its key is kept retired.
 */
export function backupKeys(piiKey: Buffer, oldPiiKeys: Record<number, Buffer> = {}): Buffer[] {
  const retired = Object.entries(oldPiiKeys)
    .sort(([a], [b]) => Number(b) - Number(a))
    .map(([, k]) => backupKey(k));
  return [backupKey(piiKey), ...retired];
}

/** Every base table of the public schema with its row count and a digest of its rows (order-independent). */
export async function fingerprint(database: Database): Promise<Fingerprint> {
  const tables = await database.raw.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Fingerprint['tables'] = {};
  for (const { name } of tables) {
    const q = `"${name.replaceAll('"', '""')}"`;
    const [r] = await database.raw.query<{ rows: number | string; md5: string | null }>(
      `select count(*) as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5 from ${q} t`,
    );
    out[name] = { rows: Number(r!.rows), md5: r!.md5 ?? '' };
  }
  if (!out.audit_log) return { tables: out, audit: { length: 0, head: null } };
  const chain = await verifyAuditChain(database.db);
  return {
    tables: out,
    audit: { length: chain.checked, head: chain.ok ? (chain.head?.hash ?? null) : null },
  };
}

/** Differences between two fingerprints, as readable lines (empty when equal). */
export function compareFingerprints(a: Fingerprint, b: Fingerprint): string[] {
  const diff: string[] = [];
  for (const name of new Set([...Object.keys(a.tables), ...Object.keys(b.tables)])) {
    const x = a.tables[name];
    const y = b.tables[name];
    if (!x || !y) diff.push(`${name}: only in ${x ? 'the source' : 'the restore'}`);
    else if (x.rows !== y.rows || x.md5 !== y.md5)
      diff.push(`${name}: ${x.rows} rows ${x.md5.slice(0, 8)} → ${y.rows} rows ${y.md5.slice(0, 8)}`);
  }
  if (a.audit.length !== b.audit.length || a.audit.head !== b.audit.head)
    diff.push(`audit chain: ${a.audit.length}/${a.audit.head} → ${b.audit.length}/${b.audit.head}`);
  return diff;
}

/** The database's raw dump: a PGlite data-directory tarball, or a pg_dump custom-format archive. */
export async function dumpDatabase(database: Database): Promise<Buffer> {
  if (database.pglite) {
    const blob = await database.pglite.dumpDataDir('gzip');
    return Buffer.from(await blob.arrayBuffer());
  }
  const { url, env } = withoutPassword(connectionStringOf(database));
  return run('pg_dump', ['-Fc', '--no-owner', '--no-privileges', `--dbname=${url}`], undefined, env);
}

/** Makes an encrypted backup file's bytes, with the source's fingerprint in the manifest. */
export async function createBackup(
  database: Database,
  key: Buffer,
  clock: () => Date = () => new Date(),
): Promise<{ file: Buffer; manifest: BackupManifest }> {
  const fp = await fingerprint(database);
  const payload = await dumpDatabase(database);
  const manifest: BackupManifest = {
    format: 'anxin-backup',
    version: 1,
    engine: database.kind,
    createdAt: clock().toISOString(),
    sha256: createHash('sha256').update(payload).digest('hex'),
    bytes: payload.length,
    fingerprint: fp,
  };
  const head = Buffer.from(JSON.stringify(manifest));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(head);
  const body = Buffer.concat([cipher.update(payload), cipher.final()]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return { file: Buffer.concat([MAGIC, len, head, iv, cipher.getAuthTag(), body]), manifest };
}

/**
 * Checks and decrypts a backup file with the first of `keys` that opens it (backupKeys: current, then retired);
 * refuses (BackupError) on any change to any byte, or when no key opens it.
 */
export function openBackup(
  file: Buffer,
  keys: Buffer | readonly Buffer[],
): { manifest: BackupManifest; payload: Buffer } {
  if (file.length < MAGIC.length + 4 + 28 || !file.subarray(0, MAGIC.length).equals(MAGIC))
    throw new BackupError('BACKUP_FORMAT', 'not an Anxin backup file');
  const len = file.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + len + 28 > file.length) throw new BackupError('BACKUP_FORMAT', 'truncated backup file');
  const head = file.subarray(start, start + len);
  const iv = file.subarray(start + len, start + len + 12);
  const tag = file.subarray(start + len + 12, start + len + 28);
  const body = file.subarray(start + len + 28);
  let payload: Buffer | undefined;
  for (const key of Buffer.isBuffer(keys) ? [keys] : keys) {
    try {
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAAD(head);
      d.setAuthTag(tag);
      payload = Buffer.concat([d.update(body), d.final()]);
      break;
    } catch {
      // GCM authentication failed under this key: try the next one.
    }
  }
  if (!payload) throw new BackupError('BACKUP_TAMPERED', 'the backup was altered or the key is wrong');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(head.toString('utf8')) as BackupManifest;
  } catch {
    throw new BackupError('BACKUP_FORMAT', 'unreadable manifest');
  }
  if (manifest.format !== 'anxin-backup' || manifest.version !== 1)
    throw new BackupError('BACKUP_FORMAT', 'unknown backup format or version');
  if (createHash('sha256').update(payload).digest('hex') !== manifest.sha256)
    throw new BackupError('BACKUP_TAMPERED', 'payload digest does not match the manifest');
  return { manifest, payload };
}

/**
 * Restores a backup into a fresh target — a PGlite directory (or `memory://`) for PGlite backups, an empty
 * PostgreSQL database URL for pg_dump ones — then checks the restored fingerprint equals the manifest's.
 */
export async function restoreBackup(
  file: Buffer,
  keys: Buffer | readonly Buffer[],
  target: { pgliteDir?: string; databaseUrl?: string },
): Promise<{ database: Database; manifest: BackupManifest }> {
  const { manifest, payload } = openBackup(file, keys);
  let database: Database;
  if (manifest.engine === 'pglite') {
    const pglite = await PGlite.create({
      ...(target.pgliteDir && target.pgliteDir !== 'memory://' ? { dataDir: target.pgliteDir } : {}),
      loadDataDir: new Blob([new Uint8Array(payload)]),
      extensions: pgliteExtensions,
    });
    database = await openDatabase({ pglite });
  } else {
    if (!target.databaseUrl)
      throw new BackupError('BACKUP_FORMAT', 'a pg_dump backup restores into a database URL');
    const { url, env } = withoutPassword(target.databaseUrl);
    await run(
      'pg_restore',
      ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${url}`],
      payload,
      env,
    );
    database = await openDatabase({ databaseUrl: target.databaseUrl, poolSize: 2 });
  }
  const diff = compareFingerprints(manifest.fingerprint, await fingerprint(database));
  if (diff.length) {
    await database.close();
    throw new BackupError('BACKUP_MISMATCH', `restored data differs: ${diff.slice(0, 3).join('; ')}`);
  }
  return { database, manifest };
}

function connectionStringOf(database: Database): string {
  const url = (database.pool as (pg.Pool & { options: { connectionString?: string } }) | undefined)?.options
    .connectionString;
  if (!url) throw new BackupError('BACKUP_TOOL_FAILED', 'no connection string to dump from');
  return url;
}

/** The password travels in PGPASSWORD, not in the command line other local users can read. */
function withoutPassword(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(databaseUrl);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

/** Runs a PostgreSQL client tool, feeding stdin when given; its stdout is the result. */
function run(
  cmd: string,
  args: string[],
  stdin?: Buffer,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', (e) => reject(new BackupError('BACKUP_TOOL_FAILED', `${cmd}: ${e.message}`)));
    p.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new BackupError('BACKUP_TOOL_FAILED', `${cmd} exited ${code}: ${err.slice(0, 300)}`)),
    );
    p.stdin.end(stdin ?? Buffer.alloc(0));
  });
}
