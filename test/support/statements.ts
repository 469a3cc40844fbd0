import pg from 'pg';
import type { Database } from '../../src/server/platform/db/client.js';

/**
 * Runs `fn` and returns the SQL statements it sent to the database, as the database received them (PGlite: each
 * Parse or simple Query message; PostgreSQL: each node-postgres Client#query). For statement-count tests, which
 * count work instead of timing it. Not safe with unrelated queries running at the same time.
 */
export async function statementsOf<T>(
  database: Database,
  fn: () => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const decoder = new TextDecoder();
  if (database.pglite) {
    const lite = database.pglite as unknown as {
      execProtocolStream: (message: Uint8Array, ...rest: unknown[]) => Promise<unknown>;
    };
    const original = lite.execProtocolStream;
    lite.execProtocolStream = function (this: unknown, message: Uint8Array, ...rest: unknown[]) {
      const kind = message[0];
      if (kind === 0x50 || kind === 0x51) {
        // 'P' int32 name\0 query\0 …  |  'Q' int32 query\0
        let at = 5;
        if (kind === 0x50) at = message.indexOf(0, at) + 1;
        statements.push(decoder.decode(message.subarray(at, message.indexOf(0, at))));
      }
      return original.call(this, message, ...rest);
    };
    try {
      return { result: await fn(), statements };
    } finally {
      lite.execProtocolStream = original;
    }
  }
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    statements.push((typeof first === 'string' ? first : first?.text) ?? '');
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
  try {
    return { result: await fn(), statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}
