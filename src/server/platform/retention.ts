import { sql } from 'drizzle-orm';
import { appendAudit } from './audit/audit.js';
import type { AnchorSink } from './audit-anchor/sink.js';
import type { SigningKey } from './crypto-sign/index.js';
import type { Db, Tx } from './db/client.js';
import { systemContext } from './http/context.js';
import type { Pii } from './pii/index.js';
import type { FileStorage } from './storage/index.js';

/**
 * Shared plumbing of the modules' retention jobs (test/data-inventory.ts states each limit): bounded batches, each
 * in its own transaction, and one summary audit row per run holding counts only, never personal data.
 */
export interface RetentionDeps {
  db: Db;
  /** The app's clock at the time of the run. */
  now: Date;
  /** For tombstones in encrypted NOT NULL columns (readers keep decrypting them). */
  pii: Pii;
  /** Files named by purged rows (PDFs, signature images, evidence, chat images) are deleted through it. */
  storage: FileStorage;
  /** Rows per transaction; 500 unless a test asks for fewer. */
  batchSize?: number;
  /** The audit anchor key and sinks: platform.audit_prune signs its checkpoint with them (without, it removes nothing). */
  auditAnchor?: { key: SigningKey; sinks: readonly AnchorSink[] } | undefined;
}

/** Rows per transaction. */
export const RETENTION_BATCH = 500;
/** What anonymised free-text and masked columns hold (also marks the row as done, so a rerun skips it). */
export const ANONYMISED = '（已匿名）';

/** `now` moved back by whole calendar years (a leap day does not make the limit a day short). */
export function yearsBefore(now: Date, years: number): Date {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
}

/** Plain rows from `execute` on either driver. */
export const rowsOf = <T>(res: unknown): T[] =>
  (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];

/**
 * Runs `step` in a fresh transaction per batch until a batch handles fewer rows than the limit; total handled.
 * `step` gets the last id of the batch before ('' at first) and returns the ids it handled in id order: queries
 * take `id > after order by id`, so each batch resumes where the last stopped instead of rescanning done rows.
 */
export async function inBatches(
  deps: Pick<RetentionDeps, 'db' | 'batchSize'>,
  step: (tx: Tx, limit: number, after: string) => Promise<string[]>,
): Promise<number> {
  const limit = deps.batchSize ?? RETENTION_BATCH;
  let total = 0;
  let after = '';
  for (;;) {
    const ids = await deps.db.transaction((tx) => step(tx, limit, after));
    total += ids.length;
    if (ids.length < limit) return total;
    after = ids.at(-1)!;
  }
}

/** The ids a batch works on: selected with `for update skip locked`, so two app processes never share a row. */
export async function lockIds(tx: Tx, query: ReturnType<typeof sql>): Promise<string[]> {
  return rowsOf<{ id: string }>(await tx.execute(sql`${query} for update skip locked`)).map((r) => r.id);
}

/** Deletes stored files (absent ones are fine); called inside the batch so a failure rolls the batch back. */
export async function deleteFiles(
  storage: FileStorage,
  keys: (string | null | undefined)[],
): Promise<number> {
  let n = 0;
  for (const key of keys) {
    if (!key) continue;
    await storage.delete(key);
    n++;
  }
  return n;
}

/** One audit row per run: the job, the cut-off(s) and how many rows each step handled. */
export async function auditRetentionRun(
  deps: Pick<RetentionDeps, 'db' | 'now'>,
  job: string,
  detail: Record<string, number | string>,
): Promise<void> {
  await deps.db.transaction((tx) =>
    appendAudit(
      tx,
      systemContext(job),
      { action: 'retention.run', objectType: 'retention_job', objectId: job, detail },
      deps.now,
    ),
  );
}

/** `(id1, id2, …)` as bound parameters, for `where id in ${idList(ids)}`. */
export const idList = (ids: readonly string[]) =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;
