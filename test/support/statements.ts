import pg from 'pg';
import type { Database } from '../../src/server/platform/db/client.js';
import { preparedStatementText } from '../../src/server/platform/db/pglite-prepared.js';

/**
 * Runs `fn` and returns the SQL statements it sent to the database, as the database received them (PGlite: each
 * Bind or simple Query message; PostgreSQL: each node-postgres Client#query). For statement-count tests, which
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
    const pglite = database.pglite;
    let unnamed = '';
    // One statement = one Bind (PGlite's unnamed path and a named prepared statement, pglite-prepared.ts) or Query.
    lite.execProtocolStream = function (this: unknown, message: Uint8Array, ...rest: unknown[]) {
      const kind = message[0];
      const cstring = (at: number) => decoder.decode(message.subarray(at, message.indexOf(0, at)));
      if (kind === 0x50) {
        // 'P' int32 name\0 query\0 …: the text of the next unnamed Bind
        const name = cstring(5);
        if (!name) unnamed = cstring(5 + name.length + 1);
      } else if (kind === 0x42) {
        // 'B' int32 portal\0 statement\0 …
        const portalEnd = message.indexOf(0, 5);
        const name = cstring(portalEnd + 1);
        statements.push(name ? (preparedStatementText(pglite, name) ?? name) : unnamed);
      } else if (kind === 0x51) statements.push(cstring(5)); // 'Q' int32 query\0
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
