// PGlite runs PostgreSQL inside the app's thread, so every cycle the engine spends competes with request handling.
// PGlite's own `query` sends each statement unnamed, in six protocol calls (parse, describe statement, bind, describe
// portal, execute, sync): every execution is parsed, analysed and planned again (the planner's relation-size checks
// are file `fstat`s through the emulated file system), and the result parsing copies the whole type-parser table when
// a caller passes parsers (drizzle always does). Drizzle's `.prepare(name)` does not change that on PGlite.
//
// `preparedPglite` wraps the instance for drizzle: a DML statement is parsed once as a named prepared statement
// (PostgreSQL's plan cache then keeps its plan), and each execution is one protocol call (bind, execute, sync).
// Anything else (DDL, `set`, savepoints, COPY with a blob, explicit parameter types) goes through PGlite unchanged.
import {
  type PGlite,
  parse as pgliteParse,
  protocol,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';

const { serialize } = protocol;
type BackendMessage = Parameters<typeof pgliteParse.parseResults>[0][number];
type Parsers = NonNullable<QueryOptions['parsers']>;

/** What the wrapped client offers drizzle (and `bulk.ts`, which calls `query` with a blob and checks for `exec`). */
export interface PreparedPglite {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  exec: PGlite['exec'];
  dumpDataDir: PGlite['dumpDataDir'];
  /** The instance behind it. */
  pglite: PGlite;
  /** Statements prepared so far (for tests and the statement counters). */
  readonly prepared: ReadonlyMap<string, string>;
}

interface Statement {
  name: string;
  paramOids: number[];
  /** RowDescription from describing the statement (null: the statement returns no rows). */
  rowDescription: BackendMessage | null;
}

/** Statements worth preparing: data reads and writes. Utility statements (DDL, set, savepoint, begin) are not. */
const CACHEABLE = /^\s*(select|insert|update|delete|with)\b/i;
/** A cap on named statements per instance (each holds a plan in the engine's memory); later texts run unnamed. */
export const MAX_PREPARED = 2_000;
/** The statement's plan no longer fits its tables (changed by DDL) or it is gone: prepare again. */
const STALE = new Set(['0A000', '26000']);

interface Internals {
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

function join(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Names are unique in the process, so two wrappers of one instance never collide.
let seq = 0;
// Statement names to texts per instance, for the statement counters (a cached execution sends only its name).
const registry = new WeakMap<PGlite, Map<string, string>>();

/** The SQL text behind a prepared statement's name on this instance (statement counters). */
export function preparedStatementText(pg: PGlite, name: string): string | undefined {
  return registry.get(pg)?.get(name);
}

/** Wraps a PGlite instance so drizzle's DML runs as named prepared statements (see the file comment). */
export function preparedPglite(pg: PGlite): PreparedPglite {
  const internals = pg as unknown as Internals;
  const statements = new Map<string, Statement>();
  const texts = registry.get(pg) ?? new Map<string, string>();
  registry.set(pg, texts);
  // The parser table with a caller's overrides on top, without copying the table (PGlite copies it per query).
  let lastOverrides: Parsers | undefined;
  let lastMerged: Parsers = pg.parsers;
  const parsersFor = (overrides: Parsers | undefined): Parsers => {
    if (!overrides) return pg.parsers;
    if (overrides === lastOverrides) return lastMerged;
    const merged = Object.assign(Object.create(pg.parsers) as Parsers, overrides);
    lastOverrides = overrides;
    lastMerged = merged;
    return merged;
  };

  async function prepare(text: string): Promise<Statement> {
    const name = `anxin_${++seq}`;
    const messages = await pg.execProtocolStream(
      join([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const params = messages.find((m) => m.name === 'parameterDescription') as
      | { dataTypeIDs: number[] }
      | undefined;
    const stmt: Statement = {
      name,
      paramOids: params?.dataTypeIDs ?? [],
      rowDescription: messages.find((m) => m.name === 'rowDescription') ?? null,
    };
    statements.set(text, stmt);
    texts.set(name, text);
    return stmt;
  }

  function forget(text: string) {
    const stmt = statements.get(text);
    if (!stmt) return;
    statements.delete(text);
    texts.delete(stmt.name);
  }

  async function execute<T>(
    stmt: Statement,
    params: unknown[],
    options: QueryOptions | undefined,
  ): Promise<Results<T>> {
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const oid = stmt.paramOids[i]!;
      const s = options?.serializers?.[oid] ?? pg.serializers[oid];
      return s ? s(v) : String(v);
    });
    let messages: BackendMessage[];
    try {
      messages = await pg.execProtocolStream(
        join([
          serialize.bind({ statement: stmt.name, values: values as string[] }),
          serialize.execute({}),
          serialize.sync(),
        ]),
        { syncToFs: false },
      );
    } catch (e) {
      // As PGlite's own query reports it: the statement and its parameters on the error.
      Object.assign(e as object, { query: texts.get(stmt.name), params, queryOptions: options });
      throw e;
    }
    if (stmt.rowDescription) messages.unshift(stmt.rowDescription);
    const rowMode = options?.rowMode;
    const parsers = parsersFor(options?.parsers) as Parameters<typeof pgliteParse.parseResults>[1];
    return pgliteParse.parseResults(messages, parsers, rowMode ? { rowMode } : undefined)[0] as Results<T>;
  }

  /** Runs one statement; the caller holds the query mutex (and the transaction one, or is inside a transaction). */
  async function run<T>(text: string, params: unknown[], options: QueryOptions | undefined, inTx: boolean) {
    let stmt = statements.get(text);
    if (!stmt) {
      if (statements.size >= MAX_PREPARED) return null;
      stmt = await prepare(text);
    }
    try {
      return await execute<T>(stmt, params, options);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (!code || !STALE.has(code)) throw e;
      forget(text);
      // Outside a transaction nothing was aborted: prepare again and run once more.
      if (inTx) throw e;
      return execute<T>(await prepare(text), params, options);
    }
  }

  const usable = (text: string, options: QueryOptions | undefined) =>
    CACHEABLE.test(text) && !options?.blob && !options?.paramTypes;

  async function query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    if (!usable(text, options)) return pg.query<T>(text, params, options);
    const out = await internals._runExclusiveTransaction(() =>
      internals._runExclusiveQuery(async () => {
        const r = await run<T>(text, params, options, false);
        if (r) await pg.syncToFs();
        return r;
      }),
    );
    return out ?? pg.query<T>(text, params, options);
  }

  async function transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return pg.transaction(async (tx) => {
      const fast: Transaction = {
        ...tx,
        get closed() {
          return tx.closed;
        },
        query: async <R>(text: string, params: unknown[] = [], options?: QueryOptions) => {
          if (tx.closed) throw new Error('Transaction is closed');
          if (!usable(text, options)) return tx.query<R>(text, params, options);
          const r = await internals._runExclusiveQuery(() => run<R>(text, params, options, true));
          return r ?? tx.query<R>(text, params, options);
        },
      };
      return fn(fast);
    });
  }

  return {
    query,
    transaction,
    exec: pg.exec.bind(pg),
    dumpDataDir: pg.dumpDataDir.bind(pg),
    pglite: pg,
    prepared: texts,
  };
}
