// Preloaded into the benchmark's server process (`node --import tsx --import ./bench/statement-count.ts …`, only by
// bench/run.ts): counts the SQL statements the process sends to the database, on either driver, and answers the
// benchmark's `statements` message over the IPC channel with the count so far (and, with BENCH_STATEMENT_TEXTS=1,
// the count per statement text). The same count `log_statement = all` gives: BEGIN/COMMIT and `set` included.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { preparedStatementText } from '../src/server/platform/db/pglite-prepared.js';

let count = 0;
const keepTexts = process.env.BENCH_STATEMENT_TEXTS === '1';
const texts = new Map<string, number>();
const MAX_TEXTS = 2_000;

function record(text: string | undefined) {
  count++;
  if (!keepTexts || text === undefined) return;
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 400);
  if (texts.has(key) || texts.size < MAX_TEXTS) texts.set(key, (texts.get(key) ?? 0) + 1);
}

// node-postgres: every statement, pooled or in a transaction, goes through Client#query.
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  record(typeof first === 'string' ? first : first?.text);
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

// PGlite: a parameterised statement runs with one Bind message ('B': PGlite's unnamed path after its Parse, or a named
// prepared statement of platform/db/pglite-prepared.ts), a simple one (BEGIN, exec) is a Query ('Q').
const decoder = new TextDecoder();
const proto = PGlite.prototype as unknown as {
  execProtocolStream: (message: Uint8Array, ...rest: unknown[]) => Promise<unknown>;
};
const execProtocolStream = proto.execProtocolStream;
let unnamed = '';
proto.execProtocolStream = function (this: unknown, message: Uint8Array, ...rest: unknown[]) {
  const kind = message[0];
  const cstring = (at: number) => decoder.decode(message.subarray(at, message.indexOf(0, at)));
  if (kind === 0x50 && keepTexts) {
    // 'P' int32 name\0 query\0 …: the text of the next unnamed Bind
    const name = cstring(5);
    if (!name) unnamed = cstring(6);
  } else if (kind === 0x42) {
    // 'B' int32 portal\0 statement\0 …
    let text: string | undefined;
    if (keepTexts) {
      const name = cstring(message.indexOf(0, 5) + 1);
      text = name ? (preparedStatementText(this as PGlite, name) ?? name) : unnamed;
    }
    record(text);
  } else if (kind === 0x51) record(keepTexts ? cstring(5) : undefined); // 'Q' int32 query\0
  return execProtocolStream.call(this, message, ...rest);
};

if (process.send) {
  process.on('message', (m) => {
    if (m === 'statements')
      process.send?.({ statements: count, texts: keepTexts ? Object.fromEntries(texts) : null });
  });
  // The channel must not keep the server alive after it closed.
  process.channel?.unref();
}
