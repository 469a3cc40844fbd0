// On PostgreSQL, drizzle sends a statement unnamed unless it was built with `.prepare(name)`: each execution is then
// parsed, analysed and planned again. A lifecycle step of an order is one large statement (its update, history row,
// outbox event, notices and audit append as CTEs), built per call with its values as parameters; planning it afresh
// took 0.36–0.47 ms each time, against 0.03–0.05 ms for a cached generic plan (docs/performance.md).
//
// `PreparingClient` is the pool's client class: a data statement with parameters (drizzle's `select`, `insert`,
// `update`, `delete`, `with`) is sent as a named prepared statement once its text has been seen twice in the process,
// named by the text's hash. node-postgres parses a name once per connection and afterwards sends only bind and
// execute; PostgreSQL keeps the parsed statement and, after five executions, may keep a generic plan. The same text
// always gets the same name, so a connection never meets one name with two texts.
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements worth naming: data reads and writes. Utility statements (DDL, set, savepoint, begin) are not. */
const CACHEABLE = /^\s*(select|insert|update|delete|with)\b/i;
/** A cap on named texts per process (each costs memory on every connection that ran it); later texts run unnamed. */
const MAX_NAMED = 2_000;
/**
 * Texts seen once are remembered until they hold this many characters in all (then forgotten at once), so a one-off
 * statement is never named and long one-off texts (a bulk insert's many rows) cannot pile up.
 */
const MAX_SEEN_CHARS = 4_000_000;
/** The statement no longer fits its tables (changed by DDL) or is gone: such a text runs unnamed from then on. */
const STALE = new Set(['0A000', '26000']);

const named = new Map<string, string>();
const seenOnce = new Set<string>();
let seenChars = 0;
const unnamedForGood = new Set<string>();

/** The name a text is prepared under: its hash, the same on every connection and in every process. */
export function statementName(text: string): string {
  return `ax_${createHash('sha256').update(text).digest('base64url').slice(0, 40)}`;
}

/** The name to send `text` under, or undefined to send it unnamed (first sighting, not DML, over the cap). */
function nameFor(text: string): string | undefined {
  const known = named.get(text);
  if (known !== undefined) return known;
  if (!CACHEABLE.test(text) || unnamedForGood.has(text)) return undefined;
  if (!seenOnce.has(text)) {
    if (seenChars + text.length > MAX_SEEN_CHARS) {
      seenOnce.clear();
      seenChars = 0;
    }
    seenOnce.add(text);
    seenChars += text.length;
    return undefined;
  }
  if (named.size >= MAX_NAMED) return undefined;
  seenOnce.delete(text);
  seenChars -= text.length;
  const name = statementName(text);
  named.set(text, name);
  return name;
}

interface QueryConfigLike {
  text?: unknown;
  name?: unknown;
  values?: unknown;
  submit?: unknown;
}

type QueryFn = (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) => unknown;
/** node-postgres's own `query`, looked up per call: a statement counter that wraps it (tests, bench) still counts. */
const baseQuery: QueryFn = function (this: pg.Client, config, values, callback) {
  return (pg.Client.prototype.query as unknown as QueryFn).call(this, config, values, callback);
};

/** A node-postgres client that names drizzle's data statements (see the file comment). Pass as the pool's `Client`. */
export class PreparingClient extends pg.Client {}

(PreparingClient.prototype as unknown as { query: QueryFn }).query = function query(
  this: pg.Client,
  config: unknown,
  values?: unknown,
  callback?: unknown,
) {
  if (config === null || typeof config !== 'object') return baseQuery.call(this, config, values, callback);
  const c = config as QueryConfigLike;
  const params = c.values ?? values;
  // Only statements that already take the extended protocol (parameters), so one text is one statement.
  if (
    typeof c.submit === 'function' ||
    c.name ||
    typeof c.text !== 'string' ||
    !Array.isArray(params) ||
    params.length === 0
  )
    return baseQuery.call(this, config, values, callback);
  const text = c.text;
  const name = nameFor(text);
  if (name === undefined) return baseQuery.call(this, config, values, callback);
  const stale = (e: unknown) => {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && STALE.has(code)) {
      named.delete(text);
      unnamedForGood.add(text);
    }
  };
  // The pool's own `query` passes a callback (as the values when there are none); a checked-out client gets a promise.
  const watched = (cb: unknown) =>
    typeof cb === 'function'
      ? (err: unknown, res: unknown) => {
          if (err) stale(err);
          (cb as (err: unknown, res: unknown) => void)(err, res);
        }
      : cb;
  const result = baseQuery.call(this, { ...c, name }, watched(values), watched(callback));
  if (result && typeof (result as Promise<unknown>).then === 'function')
    (result as Promise<unknown>).then(undefined, stale);
  return result;
};
