import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.js';

/**
 * Per-request hook into the request's business transaction. The idempotency plugin sets one for a keyed create,
 * so the key's "effect committed" mark is written by the first top-level `db.transaction(...)` the request runs
 * and commits or rolls back with the business rows. Modules keep calling `db.transaction` as before.
 */
export interface TxScope {
  /** Runs first inside the request's first top-level transaction; cleared once that transaction committed. */
  onFirstTransaction: ((tx: Tx) => Promise<void>) | null;
  /** A hooked transaction is open (a concurrent second one in the same request runs unhooked). */
  running?: boolean;
}

const scopes = new AsyncLocalStorage<TxScope>();

/** Runs `fn` (and everything it starts) with `scope` as the current transaction scope. */
export function runInTxScope<T>(scope: TxScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** Wraps `db.transaction` so a scope's hook runs inside the first top-level transaction; nested ones are savepoints on `tx`. */
export function installTxHooks(db: Db): Db {
  const original = db.transaction.bind(db);
  const hooked = async <T>(fn: (tx: Tx) => Promise<T>, config?: Parameters<Db['transaction']>[1]) => {
    const scope = scopes.getStore();
    const hook = scope?.onFirstTransaction;
    if (!scope || !hook || scope.running) return original(fn, config);
    scope.running = true;
    try {
      const result = await original(async (tx) => {
        await hook(tx);
        return fn(tx);
      }, config);
      // Committed: the mark is durable; later transactions of the same request need not repeat it.
      if (scope.onFirstTransaction === hook) scope.onFirstTransaction = null;
      return result;
    } finally {
      scope.running = false;
    }
  };
  db.transaction = hooked as Db['transaction'];
  return db;
}

const statementTimeouts = new AsyncLocalStorage<number>();

/**
 * Lifts the pool's `statement_timeout` for every statement `fn` runs (0 = none): for the long set-based jobs
 * (credit recompute, insights refresh) that legitimately run longer than a business request may.
 */
export function withStatementTimeout<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  // Awaited inside the scope: drizzle queries are lazy and would otherwise run after `run` returned.
  return statementTimeouts.run(Math.max(0, Math.floor(ms)), async () => await fn());
}

/** The lifted statement timeout of the current async context, if any. */
export function liftedStatementTimeout(): number | undefined {
  return statementTimeouts.getStore();
}

/** Statement limit for the long set-based jobs (credit recompute, insights refresh): far above a request's. */
export const LONG_JOB_STATEMENT_TIMEOUT_MS = 30 * 60_000;

/** Lifts `statement_timeout` for the rest of the caller's own transaction only (`set local`). */
export async function liftStatementTimeout(tx: Tx, ms = LONG_JOB_STATEMENT_TIMEOUT_MS): Promise<void> {
  await tx.execute(sql.raw(`set local statement_timeout = ${Math.max(0, Math.floor(ms))}`));
}
