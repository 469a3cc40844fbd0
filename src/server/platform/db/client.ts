import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import { schema } from './schema.js';
import { PreparingClient } from './pg-prepared.js';
import { preparedPglite } from './pglite-prepared.js';
import { installTxHooks, liftedStatementTimeout } from './tx-hooks.js';

type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database or an open transaction. */
export type DbOrTx = Db | Tx;

export interface RawSql {
  /** Runs parameterised SQL and returns plain rows; used where Drizzle has no builder (LISTEN, advisory locks). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /**
   * For reads that may lag a little (search, public verification, dashboards): a read replica's pool when
   * `readUrl` was given, otherwise the same handle as `db`. Writes and read-your-writes stay on `db`.
   */
  readDb: Db;
  /** The replica's pool, when there is one. */
  readPool?: pg.Pool;
  raw: RawSql;
  /** The underlying PGlite, when embedded (used for LISTEN/NOTIFY and backups). */
  pglite?: PGlite;
  /** The node-postgres pool, when on a server. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory for PGlite; `memory://` keeps it in memory (tests). */
  pgliteDir?: string;
  pglite?: PGlite;
  /** PGlite only: run every statement through PGlite's own unnamed path (the reference in equality tests). */
  pglitePlain?: boolean;
  /** PostgreSQL only: send drizzle's statements as it does, unnamed unless built with `.prepare(name)`. */
  pgPlain?: boolean;
  poolSize?: number;
  /** A read replica (or any server with the same data) for lag-tolerant reads; PostgreSQL only. */
  readUrl?: string | undefined;
  /**
   * PostgreSQL only; unset = no limit (scripts, generators). The server passes config values: connect (and wait for
   * a pooled connection), per statement (server-side), and idle inside an open transaction (server-side).
   */
  connectTimeoutMs?: number | undefined;
  statementTimeoutMs?: number | undefined;
  idleInTransactionTimeoutMs?: number | undefined;
}

/** node-postgres options for the timeouts that are set; the two server-side ones go in the startup packet. */
function poolTimeouts(opts: OpenOptions): pg.PoolConfig {
  return {
    ...(opts.connectTimeoutMs ? { connectionTimeoutMillis: opts.connectTimeoutMs } : {}),
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    ...(opts.idleInTransactionTimeoutMs
      ? { idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs }
      : {}),
    // A peer that vanished (partition) is noticed by TCP keepalive instead of never.
    keepAlive: true,
  };
}

type ConnectCallback = (err: Error | undefined, client?: pg.PoolClient, done?: (err?: Error) => void) => void;

/**
 * Inside `withStatementTimeout(ms, …)` a checked-out connection gets `set statement_timeout` and is reset before
 * it goes back to the pool; drizzle's plain queries (`pool.query`) and transactions (`pool.connect`) both pass here.
 */
function allowLiftedTimeouts(pool: pg.Pool): void {
  // The server may end a session while it is checked out (idle_in_transaction_session_timeout, shutdown): the
  // client then emits 'error', which the pool only listens to while idle — unheard it would crash the process.
  // The caller's next query fails instead, and the pool drops the client when it comes back.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const original = pool.connect.bind(pool) as (cb?: ConnectCallback) => Promise<pg.PoolClient> | undefined;
  const lifted = async (ms: number): Promise<pg.PoolClient> => {
    const client = (await original())!;
    try {
      await client.query(`set statement_timeout = ${ms}`);
    } catch (e) {
      client.release(e as Error);
      throw e;
    }
    const release = client.release.bind(client);
    client.release = ((err?: Error | boolean) => {
      if (err) return release(err);
      client.query('reset statement_timeout').then(
        () => release(),
        (e: Error) => release(e),
      );
    }) as typeof client.release;
    return client;
  };
  (pool as unknown as { connect: (cb?: ConnectCallback) => unknown }).connect = (cb?: ConnectCallback) => {
    const ms = liftedStatementTimeout();
    // Checkouts by promise are drizzle's transactions (pool.query checks out by callback and handles loss itself).
    if (ms === undefined) return cb ? original(cb) : original()!.then(releaseOnLoss);
    const p = lifted(ms).then(releaseOnLoss);
    if (!cb) return p;
    p.then(
      (c) => cb(undefined, c, c.release),
      (e: Error) => cb(e),
    );
    return undefined;
  };
}

/**
 * A checked-out client whose connection ends is released (and so removed) at once. drizzle's transaction() never
 * releases a client whose BEGIN failed; such a client kept its pool slot forever, and pool.end() waited for it (a
 * failover left the pool short by every transaction caught at BEGIN, and the failover drill could not close its app).
 * The holder's own release afterwards is then a no-op; a true double release still throws.
 */
function releaseOnLoss(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let lost = false;
  const onEnd = () => {
    lost = true;
    release(new Error('connection lost while checked out'));
  };
  client.once('end', onEnd);
  client.release = ((err?: Error | boolean) => {
    if (lost) return;
    client.removeListener('end', onEnd);
    return release(err);
  }) as typeof client.release;
  return client;
}

/**
 * Extensions the migrations create (`btree_gist` for exclusion constraints on bookings, `pg_trgm` for text
 * search); PGlite ships them as contrib bundles that must be loaded when the instance is created.
 */
export const pgliteExtensions = { btree_gist, pg_trgm };

// timestamptz and bigint come back as strings from pg by default; keep bigint exact but parse int8 counts we own.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    // application_name tells the two pools apart in pg_stat_activity (and in the routing test).
    // Data statements run as named prepared statements once their text recurs (pg-prepared.ts).
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      ...(opts.pgPlain ? {} : { Client: PreparingClient }),
      max: opts.poolSize ?? 10,
      application_name: 'anxin',
      ...poolTimeouts(opts),
    });
    allowLiftedTimeouts(pool);
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Readiness reports a down database.
    });
    const db = installTxHooks(drizzlePg(pool, { schema }) as unknown as Db);
    const readPool = opts.readUrl
      ? new pg.Pool({
          connectionString: opts.readUrl,
          ...(opts.pgPlain ? {} : { Client: PreparingClient }),
          max: opts.poolSize ?? 10,
          application_name: 'anxin-read',
          ...poolTimeouts(opts),
        })
      : undefined;
    if (readPool) allowLiftedTimeouts(readPool);
    readPool?.on('error', () => {
      // As above; a lost replica connection is replaced on the next checkout.
    });
    return {
      kind: 'postgres',
      db,
      readDb: readPool ? (drizzlePg(readPool, { schema }) as unknown as Db) : db,
      ...(readPool ? { readPool } : {}),
      pool,
      raw: {
        async query(text, params) {
          const r = await pool.query(text, params as unknown[]);
          return r.rows;
        },
      },
      close: async () => {
        await readPool?.end();
        await pool.end();
      },
    };
  }
  let client = opts.pglite;
  if (!client) {
    const dir = opts.pgliteDir ?? 'memory://';
    if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
    client = await PGlite.create(dir, { extensions: pgliteExtensions });
  }
  const pgl = client;
  // DML as named prepared statements, one protocol call per execution (pglite-prepared.ts).
  const driver = opts.pglitePlain ? pgl : (preparedPglite(pgl) as unknown as PGlite);
  const db = installTxHooks(drizzlePglite(driver, { schema }) as unknown as Db);
  return {
    kind: 'pglite',
    db,
    readDb: db,
    pglite: pgl,
    raw: {
      async query(text, params) {
        const r = await pgl.query(text, params as unknown[]);
        return r.rows as never[];
      },
    },
    close: async () => {
      if (!pgl.closed) await pgl.close();
    },
  };
}
