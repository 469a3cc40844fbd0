// Bulk loading for generators (issue 13): COPY instead of multi-row INSERT, a background writer that lets the
// next chunk be generated while the previous one is written, and index/constraint deferral for a load into
// empty tables. No domain rules: the modules decide what to write, into their own tables.
import type { PGlite } from '@electric-sql/pglite';
import { type Column, getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import { PgArray, type PgTable, PgTimestamp } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db, DbOrTx } from './client.js';

type PgClientLike = pg.Pool | pg.PoolClient | pg.Client;

/** The driver behind a Drizzle handle: node-postgres (pool or a transaction's client) or PGlite. */
function driverOf(db: DbOrTx): { kind: 'pg'; client: PgClientLike } | { kind: 'pglite'; client: PGlite } {
  const h = db as unknown as { $client?: unknown; session?: { client?: unknown } };
  const client = h.$client ?? h.session?.client;
  if (!client) throw new Error('copyRows: cannot find the driver of this database handle');
  const c = client as { query?: unknown; dumpDataDir?: unknown; exec?: unknown };
  if (typeof c.dumpDataDir === 'function' || typeof c.exec === 'function')
    return { kind: 'pglite', client: client as PGlite };
  return { kind: 'pg', client: client as PgClientLike };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** One value in COPY's text format: `\N` for null, backslash escapes for the characters COPY reserves. */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  else if (typeof value === 'boolean') return value ? 't' : 'f';
  else if (value instanceof Date) return value.toISOString();
  else s = JSON.stringify(value);
  // Fast path: most values hold none of the four characters that need escaping.
  if (!/[\\\n\r\t]/.test(s)) return s;
  return s.replace(/[\\\n\r\t]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '\\t',
  );
}

interface Plan {
  sql: string;
  /** Appends the row's line (values, tabs, the newline) to the block. */
  encode: (row: Record<string, unknown>, out: CopyBlock) => void;
}

/** A Buffer with Node's undocumented `utf8Write` (what `write` ends in); absent elsewhere. */
type Utf8Writable = Buffer<ArrayBuffer> & { utf8Write?: (s: string, offset: number) => number };

/**
 * COPY text written straight into a Buffer: each value's UTF-8 lands at its place, separators are single bytes.
 * Instead of a string per row joined into a string per block and then copied into a Buffer for the socket (two
 * copies of every byte and a heap of short-lived strings for the collector), one copy of every byte.
 */
export class CopyBlock {
  private buf: Buffer<ArrayBuffer>;
  private off = 0;
  constructor(private readonly size = 1 << 20) {
    this.buf = Buffer.allocUnsafe(size);
  }
  /** Bytes written since the last `take`. */
  get length(): number {
    return this.off;
  }
  private room(bytes: number) {
    if (this.off + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + bytes));
    this.buf.copy(bigger, 0, 0, this.off);
    this.buf = bigger;
  }
  /** A value already in COPY's text form (escaped): at most 3 UTF-8 bytes per UTF-16 unit. */
  text(s: string) {
    this.room(s.length * 3);
    // Node's own UTF-8 writer, which `write` calls after normalizing its arguments (a tenth of the encoding's time
    // in a gz profile went to that wrapper alone).
    const b = this.buf as Utf8Writable;
    this.off += b.utf8Write ? b.utf8Write(s, this.off) : b.write(s, this.off);
  }
  /** `\N`, COPY's null. */
  nil() {
    this.room(2);
    this.buf[this.off++] = 0x5c;
    this.buf[this.off++] = 0x4e;
  }
  /** One ASCII separator: tab (9) between values, newline (10) after a row. */
  sep(byte: number) {
    this.room(1);
    this.buf[this.off++] = byte;
  }
  /** The bytes written so far; the block starts again on a fresh buffer (the one returned is the caller's). */
  take(): Buffer<ArrayBuffer> {
    const out = this.buf.subarray(0, this.off);
    this.buf = Buffer.allocUnsafe(Math.max(this.size, this.off));
    this.off = 0;
    return out;
  }
}

/** An array literal as drizzle's `makePgArray` writes it (each string quoted, `\\` and `"` escaped). */
function pgArrayLiteral(items: unknown[]): string {
  let out = '{';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (i) out += ',';
    if (typeof item === 'string')
      out += /[\\"]/.test(item) ? `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `"${item}"`;
    else out += `${item}`;
  }
  return `${out}}`;
}

/**
 * A non-null value in COPY's text format through the column's own `mapToDriverValue`, with two shortcuts that
 * write the same text for less CPU (the generator encodes millions of rows): a one-dimensional array (drizzle checks
 * the element column's class once per element) and a timestamp held as a Date (its ISO form needs no escaping).
 */
function columnEncoder(col: Column): (value: unknown) => string {
  const base = (col as { baseColumn?: Column }).baseColumn;
  if (is(col, PgArray) && base && !is(base, PgArray))
    return (v) =>
      copyText(pgArrayLiteral((v as unknown[]).map((x) => (x === null ? null : base.mapToDriverValue(x)))));
  if (is(col, PgTimestamp))
    return (v) => (v instanceof Date ? v.toISOString() : copyText((col as Column).mapToDriverValue(v)));
  return (v) => copyText(col.mapToDriverValue(v));
}

/** The COPY statement and a row encoder for the columns the rows set (a column no row sets keeps its default). */
function planCopy<T extends PgTable>(table: T, rows: T['$inferInsert'][]): Plan {
  const columns = Object.entries(getTableColumns(table));
  const used = columns.filter(([key]) => rows.some((r) => (r as Record<string, unknown>)[key] !== undefined));
  for (const [key, col] of used)
    if (col.hasDefault && rows.some((r) => (r as Record<string, unknown>)[key] === undefined))
      // COPY has no per-row DEFAULT: a column is either given for every row or left to its default for all.
      throw new Error(
        `copyRows: ${getTableName(table)}.${col.name} is set in some rows only and has a default`,
      );
  const sqlText = `COPY ${quoteIdent(getTableName(table))} (${used.map(([, c]) => quoteIdent(c.name)).join(', ')}) FROM STDIN`;
  const keys = used.map(([key]) => key);
  const encoders = used.map(([, col]) => columnEncoder(col));
  const encode = (row: Record<string, unknown>, out: CopyBlock) => {
    for (let i = 0; i < keys.length; i++) {
      const v = row[keys[i]!];
      if (i) out.sep(9);
      if (v === null || v === undefined) out.nil();
      else if (v instanceof SQL)
        throw new Error(`copyRows: ${used[i]![1].name} holds SQL, which COPY cannot run`);
      else out.text(encoders[i]!(v));
    }
    out.sep(10);
  };
  return { sql: sqlText, encode };
}

/** The bytes `copyRows` sends for these rows (COPY's text format, one line per row), for tests. */
export function encodeCopyRows<T extends PgTable>(table: T, rows: T['$inferInsert'][]): Buffer {
  const plan = planCopy(table, rows);
  const block = new CopyBlock(64);
  for (const r of rows) plan.encode(r as Record<string, unknown>, block);
  return block.take();
}

const BLOCK_ROWS = 2000;

async function copyPg(client: PgClientLike, plan: Plan, rows: Record<string, unknown>[]) {
  const pool = 'totalCount' in client ? (client as pg.Pool) : null;
  const conn = pool ? await pool.connect() : (client as pg.PoolClient);
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = conn.query(copyFrom(plan.sql));
      stream.on('error', reject);
      stream.on('finish', () => resolve());
      let i = 0;
      const block = new CopyBlock();
      const pump = () => {
        while (i < rows.length) {
          const end = Math.min(rows.length, i + BLOCK_ROWS);
          for (; i < end; i++) plan.encode(rows[i]!, block);
          if (!stream.write(block.take())) {
            stream.once('drain', pump);
            return;
          }
        }
        stream.end();
      };
      pump();
    });
  } finally {
    if (pool) (conn as pg.PoolClient).release();
  }
}

async function copyPglite(client: PGlite, plan: Plan, rows: Record<string, unknown>[]) {
  const block = new CopyBlock();
  for (const r of rows) plan.encode(r, block);
  // PGlite reads COPY data from a blob it mounts at /dev/blob.
  await client.query(plan.sql.replace(/FROM STDIN$/, "FROM '/dev/blob'"), [], {
    blob: new Blob([block.take()]),
  });
}

/**
 * Writes rows into a table with COPY (node-postgres: pg-copy-streams; PGlite: COPY from its /dev/blob).
 * Values are encoded by the Drizzle columns, so rows are the same `$inferInsert` objects an INSERT takes.
 * Unlike INSERT, a column with a database default must be set in all rows or in none.
 */
export async function copyRows<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: T['$inferInsert'][],
): Promise<void> {
  if (!rows.length) return;
  const plan = planCopy(table, rows);
  const driver = driverOf(db);
  if (driver.kind === 'pg') await copyPg(driver.client, plan, rows as Record<string, unknown>[]);
  else await copyPglite(driver.client, plan, rows as Record<string, unknown>[]);
}

/**
 * Where a bulk generator writes: straight away (`directWriter`), or queued behind the caller so the next chunk
 * is generated while this one is written (`createBulkWriter`).
 */
export interface BulkWriter {
  /** Writes the rows (or queues them); resolves when the caller may go on generating. */
  write<T extends PgTable>(table: T, rows: T['$inferInsert'][]): Promise<void>;
  /** Resolves when everything written so far is stored; rejects with the first failed write. */
  flush(): Promise<void>;
}

export const directWriter = (db: DbOrTx): BulkWriter => ({
  write: (table, rows) => copyRows(db, table, rows),
  flush: async () => {},
});

/**
 * A writer with one background COPY at a time (so rows land in the order written: parents before children)
 * and at most `maxQueuedRows` rows waiting, which bounds memory while generation runs ahead.
 */
export function createBulkWriter(db: DbOrTx, opts: { maxQueuedRows?: number } = {}): BulkWriter {
  const max = opts.maxQueuedRows ?? 200_000;
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;
  let failure: unknown = null;
  const waiting: (() => void)[] = [];
  const wake = () => {
    while (waiting.length && (queued < max || failure)) waiting.shift()!();
  };
  return {
    async write(table, rows) {
      if (failure) throw failure;
      if (!rows.length) return;
      queued += rows.length;
      tail = tail.then(async () => {
        try {
          if (!failure) await copyRows(db, table, rows);
        } catch (e) {
          failure ??= e;
        } finally {
          queued -= rows.length;
          wake();
        }
      });
      if (queued > max) await new Promise<void>((resolve) => waiting.push(resolve));
      if (failure) throw failure;
    },
    async flush() {
      await tail;
      if (failure) throw failure;
    },
  };
}

interface Deferred {
  table: string;
  kind: 'index' | 'constraint';
  name: string;
  def: string;
}

/**
 * For a load into empty tables: drops their secondary indexes and their foreign-key, unique and exclusion
 * constraints (primary keys stay), and returns a function that recreates them all (constraints validated then,
 * over the whole table at once). If the load fails, call the function anyway: the definitions are restored.
 */
export async function deferIndexes(
  db: Db,
  tables: PgTable[],
  opts: { parallel?: number; maintenanceWorkMem?: string; log?: (line: string) => void } = {},
): Promise<() => Promise<void>> {
  const names = tables.map((t) => getTableName(t));
  const run = async <R>(text: string): Promise<R[]> => {
    const res = (await db.execute(sql.raw(text))) as unknown as { rows: R[] };
    return res.rows;
  };
  const list = names.map((n) => `'${n.replaceAll("'", "''")}'`).join(',');
  // Constraints first (a unique or exclusion constraint owns its index), then the remaining plain indexes.
  const constraints = await run<{ table: string; name: string; def: string; type: string }>(
    `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def,
            c.contype as type
       from pg_constraint c join pg_class r on r.oid = c.conrelid
      where r.relname in (${list}) and r.relnamespace = 'public'::regnamespace and c.contype in ('f','u','x')
        and not exists (select 1 from pg_constraint f join pg_class fr on fr.oid = f.conrelid
                         where f.contype = 'f' and f.confrelid = c.conrelid and f.conindid = c.conindid
                           and fr.relname not in (${list}))`,
  );
  const indexes = await run<{ table: string; name: string; def: string }>(
    `select t.oid::regclass::text as table, i.relname as name, pg_get_indexdef(x.indexrelid) as def
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      where t.relname in (${list}) and t.relnamespace = 'public'::regnamespace and not x.indisprimary
        and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid and c.contype in ('p','u','x'))
        and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = x.indexrelid)`,
  );
  const deferred: Deferred[] = [
    ...constraints.map((c) => ({ table: c.table, kind: 'constraint' as const, name: c.name, def: c.def })),
    ...indexes.map((i) => ({ table: i.table, kind: 'index' as const, name: i.name, def: i.def })),
  ];
  // Foreign keys go first so unique constraints they reference can be dropped.
  const order = (d: Deferred) => (d.kind === 'constraint' && d.def.startsWith('FOREIGN KEY') ? 0 : 1);
  for (const d of [...deferred].sort((a, b) => order(a) - order(b)))
    await db.execute(
      sql.raw(
        d.kind === 'constraint'
          ? `alter table ${d.table} drop constraint ${quoteIdent(d.name)}`
          : `drop index ${quoteIdent(d.name)}`,
      ),
    );
  // Each statement in its own transaction with room to sort in memory (the default 64 MB spills at this size).
  const build = async (d: Deferred, text: string) => {
    const started = Date.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local maintenance_work_mem = '${opts.maintenanceWorkMem ?? '256MB'}'`));
      await tx.execute(sql.raw(text));
    });
    const s = (Date.now() - started) / 1000;
    if (s >= 0.5) opts.log?.(`  ${d.kind} ${d.name} in ${s.toFixed(1)} s`);
  };
  const add = (d: Deferred) => `alter table ${d.table} add constraint ${quoteIdent(d.name)} ${d.def}`;
  return async () => {
    // An exclusion constraint is the slowest build (a GiST index, then a probe per row to check it): each starts at
    // once on a connection of its own, followed by the plain indexes of its table (its lock would hold them up
    // anyway). The other plain indexes build beside it, `parallel` at a time (CREATE INDEX locks let several build
    // on one table at once); then unique constraints one by one, foreign keys last (they may need a unique key).
    // Foreign keys that touch no table an exclusion build holds (neither theirs nor the one they reference) are
    // validated while that build still runs, not after it (on a fresh gz city: the orders' eight foreign keys
    // beside the no-double-booking constraint); the ones that touch such a table follow it.
    const exclusions = deferred.filter((d) => d.kind === 'constraint' && d.def.startsWith('EXCLUDE'));
    const held = new Set(exclusions.map((d) => d.table));
    const slow = exclusions.map(async (x) => {
      await build(x, add(x));
      for (const d of deferred) if (d.kind === 'index' && d.table === x.table) await build(d, d.def);
    });
    const plain = deferred.filter((d) => d.kind === 'index' && !held.has(d.table));
    let next = 0;
    const lane = async () => {
      while (next < plain.length) {
        const d = plain[next++]!;
        await build(d, d.def);
      }
    };
    const rest = deferred.filter((d) => d.kind === 'constraint' && !exclusions.includes(d));
    const foreign = rest.filter((d) => order(d) === 0);
    // pg_get_constraintdef names the referenced table as regclass::text names `table` (quoted when it must be).
    const referenced = (d: Deferred) => /\bREFERENCES\s+((?:"(?:[^"]|"")+"|[^\s(])+)\(/.exec(d.def)?.[1];
    const touchesHeld = (d: Deferred) => held.has(d.table) || held.has(referenced(d) ?? '');
    const slowDone = Promise.all(slow);
    slowDone.catch(() => {});
    await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 2) }, lane));
    for (const d of rest.filter((x) => order(x) !== 0)) await build(d, add(d));
    for (const d of foreign) if (!touchesHeld(d)) await build(d, add(d));
    await slowDone;
    for (const d of foreign) if (touchesHeld(d)) await build(d, add(d));
  };
}

/** True when none of the tables holds a row (a fresh database, where deferring indexes is safe and pays). */
export async function tablesEmpty(db: DbOrTx, tables: PgTable[]): Promise<boolean> {
  for (const t of tables) {
    const res = (await db.execute(sql`select exists (select 1 from ${t}) as any`)) as unknown as {
      rows: { any: boolean }[];
    };
    if (res.rows[0]?.any) return false;
  }
  return true;
}
