// `npm run backup -- [--out <file>]`: an encrypted, self-checking backup of the configured database (PGlite under
// DATA_DIR, or DATABASE_URL with pg_dump) to backups/anxin-<time>.anxbk; prints its manifest figures.
// `npm run backup -- --restore <file> --to <pglite dir | postgres URL of an empty database>` restores one and checks
// it table by table against the manifest; a changed byte or a wrong key refuses.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../src/server/config.js';
import {
  BackupError,
  backupKey,
  backupKeys,
  createBackup,
  restoreBackup,
} from '../src/server/platform/backup/backup.js';
import { openDatabase } from '../src/server/platform/db/client.js';

const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const config = loadConfig();
const key = backupKey(config.piiKey);

process.on('uncaughtException', (e) => {
  // A refused backup is an answer, not a crash: say why in one line.
  if (e instanceof BackupError) console.error(`${e.code}: ${e.message}`);
  else console.error(e);
  process.exit(1);
});

if (opt('--restore')) {
  const to = opt('--to');
  if (!to) throw new Error('--restore needs --to <pglite directory | postgres://… empty database>');
  const started = Date.now();
  const { database, manifest } = await restoreBackup(
    readFileSync(opt('--restore')!),
    // A backup made before a PII_KEY rotation opens with the retired key it was made under (PII_OLD_KEYS).
    backupKeys(config.piiKey, config.piiOldKeys),
    to.startsWith('postgres') ? { databaseUrl: to } : { pgliteDir: to },
  );
  await database.close();
  const tables = Object.keys(manifest.fingerprint.tables).length;
  console.log(
    `restored ${manifest.engine} backup of ${manifest.createdAt}: ${tables} tables equal to the manifest, audit chain ` +
      `${manifest.fingerprint.audit.length} entries head ${manifest.fingerprint.audit.head ?? '-'}, ${Date.now() - started} ms`,
  );
} else {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: join(config.dataDir, 'pglite'),
  });
  try {
    const started = Date.now();
    const { file, manifest } = await createBackup(database, key);
    const out = opt('--out') ?? join('backups', `anxin-${manifest.createdAt.replace(/[:.]/g, '-')}.anxbk`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, file, { mode: 0o600 });
    const rows = Object.values(manifest.fingerprint.tables).reduce((n, t) => n + t.rows, 0);
    console.log(
      `backup ${out}: ${manifest.engine}, ${Object.keys(manifest.fingerprint.tables).length} tables, ${rows} rows, ` +
        `${file.length} bytes, audit head ${manifest.fingerprint.audit.head ?? '-'}, ${Date.now() - started} ms`,
    );
    console.log('Uploaded files live in DATA_DIR/files (or the object store): back them up alongside.');
  } finally {
    await database.close();
  }
}
