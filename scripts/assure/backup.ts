// P13 / 等保 L3-CES1-29: the backup and restore drill on the suites' own data. Back up (encrypted, with a manifest
// of per-table counts and digests and the audit chain head), restore into a fresh instance of the same engine,
// compare table by table, decrypt a planted ID number from the restored copy with the app's key, and show that a
// changed byte or a wrong key is refused. Figures: tables, rows, bytes, backup and restore times (RTO).
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import {
  BackupError,
  backupKey,
  compareFingerprints,
  createBackup,
  fingerprint,
  openBackup,
  restoreBackup,
} from '../../src/server/platform/backup/backup.js';
import type { Database } from '../../src/server/platform/db/client.js';
import { worker } from '../../src/server/platform/db/schema.js';
import { selfWorker } from '../../test/factories/workers.js';
import type { Suite } from './support.js';

export const backup: Suite = async ({ t }) => {
  const details: string[] = [];
  const planted = await selfWorker(t);
  const key = backupKey(randomBytes(32));

  const source = await fingerprint(t.database);
  const b0 = Date.now();
  const { file, manifest } = await createBackup(t.database, key);
  const backupMs = Date.now() - b0;
  const plaintextHits = [planted.idNumber, '张秀芳'].filter((s) => file.includes(Buffer.from(s))).length;
  if (plaintextHits) details.push(`${plaintextHits} planted values found in plaintext in the backup file`);
  const manifestDiff = compareFingerprints(source, manifest.fingerprint);
  if (manifestDiff.length) details.push(`manifest differs from the source: ${manifestDiff[0]}`);

  let drop: (() => Promise<void>) | null = null;
  let restored: Database | null = null;
  let restoreMs = 0;
  let restoredEqual = false;
  let canaryDecrypted = false;
  try {
    const target = await freshTarget();
    drop = target.drop;
    const r0 = Date.now();
    restored = (await restoreBackup(file, key, target.where)).database;
    restoreMs = Date.now() - r0;
    const diff = compareFingerprints(source, await fingerprint(restored));
    restoredEqual = diff.length === 0;
    for (const d of diff.slice(0, 5)) details.push(`restored: ${d}`);
    const [w] = await restored.db
      .select({ enc: worker.idNumberEnc })
      .from(worker)
      .where(eq(worker.id, planted.workerId));
    canaryDecrypted = !!w && t.app.pii.decrypt(w.enc, 'worker.id_number') === planted.idNumber;
    if (!canaryDecrypted) details.push('the planted ID number did not decrypt from the restored copy');
  } catch (e) {
    details.push(`restore failed: ${(e as Error).message.slice(0, 200)}`);
  } finally {
    await restored?.close().catch(() => undefined);
    await drop?.().catch(() => undefined);
  }

  // Tampering: one flipped byte in the manifest, the IV, the tag and the payload; a truncated file; a wrong key.
  const headEnd = 12 + file.readUInt32BE(8);
  const probes: Buffer[] = [headEnd - 5, headEnd + 2, headEnd + 14, file.length - 7].map((at) => {
    const bad = Buffer.from(file);
    bad[at] = bad[at]! ^ 0x20;
    return bad;
  });
  probes.push(file.subarray(0, file.length - 64));
  let refused = 0;
  for (const bad of probes) {
    try {
      openBackup(bad, key);
      details.push('a changed backup file opened');
    } catch (e) {
      if (e instanceof BackupError) refused++;
    }
  }
  try {
    openBackup(file, backupKey(randomBytes(32)));
    details.push('the backup opened with a wrong key');
  } catch (e) {
    if (e instanceof BackupError) refused++;
  }

  const rows = Object.values(source.tables).reduce((n, x) => n + x.rows, 0);
  const passed =
    plaintextHits === 0 &&
    manifestDiff.length === 0 &&
    restoredEqual &&
    canaryDecrypted &&
    refused === probes.length + 1;
  return {
    name: 'backup',
    passed,
    line:
      `${t.database.kind}: ${Object.keys(source.tables).length} tables ${rows} rows, backup ${file.length} B in ${backupMs} ms, ` +
      `restore (RTO) ${restoreMs} ms, restored ${restoredEqual ? 'equal' : 'DIFFERENT'} incl. audit chain ` +
      `(${source.audit.length}), canary decrypts ${canaryDecrypted ? 'yes' : 'no'}, tampered refused ${refused}/${probes.length + 1}, ` +
      `plaintext hits ${plaintextHits}`,
    figures: {
      tables: Object.keys(source.tables).length,
      rows,
      backup_bytes: file.length,
      backup_ms: backupMs,
      restore_ms: restoreMs,
      audit_entries: source.audit.length,
      tampered_refused: refused,
      tampered_probes: probes.length + 1,
      plaintext_hits: plaintextHits,
    },
    details,
  };
};

/** PGlite in memory, or a new empty PostgreSQL database next to the suites' own (dropped afterwards). */
async function freshTarget(): Promise<{
  where: { pgliteDir?: string; databaseUrl?: string };
  drop: (() => Promise<void>) | null;
}> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return { where: { pgliteDir: 'memory://' }, drop: null };
  const name = `anxin_restore_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    where: { databaseUrl: u.toString() },
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}
