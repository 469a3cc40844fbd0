import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type BaseLogger, pino } from 'pino';
import type { PGlite } from '@electric-sql/pglite';
import type { Database, DbOrTx } from '../db/client.js';

/**
 * Cross-process fan-out over PostgreSQL LISTEN/NOTIFY. Every app process publishes with NOTIFY and holds one
 * listening session, so a message published on any node reaches subscribers on every node (the publisher's
 * own included). Delivery is at most once: messages sent while a listener is reconnecting are lost, so
 * durable state (chat messages, order changes) is stored first and the bus carries ids; `onReconnect`
 * tells consumers when to resynchronise.
 */

/** The logging surface the bus needs; a pino logger or Fastify's `app.log` fits. */
export type RealtimeLogger = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** Receives one message, parsed from JSON; validate it before use, anyone with database access can NOTIFY. */
export type RealtimeHandler = (message: unknown) => void | Promise<void>;

/** Stops one subscription; the channel is UNLISTENed when its last handler goes. */
export type Unsubscribe = () => Promise<void>;

/** Publish/subscribe across app processes. */
export interface RealtimeBus {
  /** Sends `message` as JSON to every subscriber of `channel` in every process. */
  publish(channel: string, message: object): Promise<void>;
  /** Calls `handler` for each message on `channel`; resolves once the channel is being listened to. */
  subscribe(channel: string, handler: RealtimeHandler): Promise<Unsubscribe>;
  /** Drops every subscription and the listening connection. */
  close(): Promise<void>;
}

/** Options for {@link createRealtimeBus}. */
export interface RealtimeBusOptions {
  logger?: RealtimeLogger;
  /** Called after the listening connection (PostgreSQL) was lost and re-established: messages may be missed. */
  onReconnect?: () => void;
  /** First reconnect delay, doubling up to `reconnectMaxDelayMs`. Default 500 ms. */
  reconnectBaseDelayMs?: number;
  /** Default 15 s. */
  reconnectMaxDelayMs?: number;
  /** How often the listening connection is probed, so a silently dropped one is noticed. Default 30 s. */
  heartbeatMs?: number;
}

/** Why the bus refused a call. */
export type RealtimeErrorCode = 'REALTIME_CHANNEL_INVALID' | 'REALTIME_PAYLOAD_TOO_LARGE' | 'REALTIME_CLOSED';

/** Thrown for an invalid channel, an oversized message, or use after close; a programming error, not input. */
export class RealtimeError extends Error {
  readonly code: RealtimeErrorCode;
  constructor(code: RealtimeErrorCode, message: string) {
    super(message);
    this.name = 'RealtimeError';
    this.code = code;
  }
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (BLCKSZ − NAMEDATALEN − 128). */
export const NOTIFY_PAYLOAD_MAX_BYTES = 7999;

const CHANNEL_PATTERN = /^[a-z0-9_]{1,48}$/;
// Namespaces our channels in the database-wide NOTIFY space (pg-boss and others notify there too).
const CHANNEL_PREFIX = 'rt_';

function pgChannel(channel: string): string {
  if (!CHANNEL_PATTERN.test(channel)) {
    throw new RealtimeError(
      'REALTIME_CHANNEL_INVALID',
      `Invalid realtime channel "${channel.slice(0, 60)}": use 1–48 of a-z, 0-9 and _`,
    );
  }
  return CHANNEL_PREFIX + channel;
}

function encode(message: object): string {
  if (typeof message !== 'object' || message === null) {
    throw new TypeError('A realtime message must be a JSON object or array');
  }
  const payload = JSON.stringify(message);
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > NOTIFY_PAYLOAD_MAX_BYTES) {
    throw new RealtimeError(
      'REALTIME_PAYLOAD_TOO_LARGE',
      `Realtime message is ${bytes} bytes; the limit is ${NOTIFY_PAYLOAD_MAX_BYTES}. Store the content and send its id.`,
    );
  }
  return payload;
}

/**
 * Publishes from inside the caller's transaction: PostgreSQL delivers it only when that transaction commits,
 * so subscribers never hear about rows they cannot yet read (and never about rolled-back ones).
 */
export async function publishOnCommit(tx: DbOrTx, channel: string, message: object): Promise<void> {
  const name = pgChannel(channel);
  await tx.execute(sql`select pg_notify(${name}, ${encode(message)})`);
}

interface Transport {
  listen(channel: string): Promise<void>;
  unlisten(channel: string): Promise<void>;
  close(): Promise<void>;
}

type Deliver = (channel: string, payload: string) => void;

function pgliteTransport(pglite: PGlite, deliver: Deliver): Transport {
  const unsubscribers = new Map<string, () => Promise<void>>();
  return {
    async listen(channel) {
      if (unsubscribers.has(channel)) return;
      unsubscribers.set(channel, await pglite.listen(channel, (payload) => deliver(channel, payload)));
    },
    async unlisten(channel) {
      const unsubscribe = unsubscribers.get(channel);
      unsubscribers.delete(channel);
      if (unsubscribe && !pglite.closed) await unsubscribe();
    },
    async close() {
      const all = [...unsubscribers.values()];
      unsubscribers.clear();
      if (!pglite.closed) await Promise.all(all.map((u) => u()));
    },
  };
}

interface PgTransportOptions {
  config: pg.ClientConfig;
  deliver: Deliver;
  logger: RealtimeLogger;
  onReconnect: () => void;
  baseDelayMs: number;
  maxDelayMs: number;
  heartbeatMs: number;
}

// A dedicated client rather than a pool checkout: LISTEN is tied to its session, and a pooled connection
// could be recycled (or handed to someone else) under us.
function pgTransport(o: PgTransportOptions): Transport {
  const channels = new Set<string>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let missedWhileDown = false;
  let closed = false;

  const quiet = (c: pg.Client) => {
    c.removeAllListeners();
    c.on('error', () => undefined);
    c.end().catch(() => undefined);
  };

  function lost(c: pg.Client, err: Error): void {
    if (c !== client) return;
    client = undefined;
    if (heartbeatTimer) clearTimeout(heartbeatTimer);
    quiet(c);
    if (closed) return;
    missedWhileDown = true;
    o.logger.warn({ error: err.message }, 'realtime listener connection lost; reconnecting');
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer || channels.size === 0) return;
    const delay = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(attempt, 16));
    attempt++;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      ensure().catch((err: Error) => {
        o.logger.warn({ error: err.message, attempt }, 'realtime listener reconnect failed');
        scheduleReconnect();
      });
    }, delay);
  }

  function heartbeat(c: pg.Client): void {
    heartbeatTimer = setTimeout(() => {
      let timeout: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error('heartbeat timed out')), Math.min(5000, o.heartbeatMs));
      });
      Promise.race([c.query('select 1'), expired])
        .then(
          () => {
            if (c === client && !closed) heartbeat(c);
          },
          (err: Error) => lost(c, err),
        )
        .finally(() => clearTimeout(timeout));
    }, o.heartbeatMs);
    heartbeatTimer.unref();
  }

  async function open(): Promise<pg.Client> {
    const c = new pg.Client({ ...o.config, keepAlive: true, application_name: 'anxin-realtime' });
    c.on('notification', (n) => o.deliver(n.channel, n.payload ?? ''));
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('connection ended')));
    try {
      await c.connect();
      for (const channel of channels) await c.query(`LISTEN "${channel}"`);
    } catch (err) {
      quiet(c);
      throw err;
    }
    if (closed) {
      quiet(c);
      throw new RealtimeError('REALTIME_CLOSED', 'realtime bus closed');
    }
    client = c;
    attempt = 0;
    heartbeat(c);
    if (missedWhileDown) {
      missedWhileDown = false;
      o.logger.info({ channels: channels.size }, 'realtime listener reconnected');
      o.onReconnect();
    }
    return c;
  }

  function ensure(): Promise<pg.Client> {
    if (client) return Promise.resolve(client);
    connecting ??= open().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  return {
    async listen(channel) {
      channels.add(channel);
      try {
        const c = await ensure();
        // A fresh connection has already LISTENed to every channel in the set; repeating it is harmless.
        await c.query(`LISTEN "${channel}"`);
      } catch (err) {
        channels.delete(channel);
        throw err;
      }
    },
    async unlisten(channel) {
      channels.delete(channel);
      const c = client;
      if (c) await c.query(`UNLISTEN "${channel}"`).catch((err: Error) => lost(c, err));
    },
    async close() {
      closed = true;
      channels.clear();
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (heartbeatTimer) clearTimeout(heartbeatTimer);
      await connecting?.catch(() => undefined);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}

/** Creates the bus over the app's database: LISTEN on a dedicated connection (PostgreSQL) or in-process (PGlite). */
export function createRealtimeBus(database: Database, options: RealtimeBusOptions = {}): RealtimeBus {
  const logger = options.logger ?? pino({ level: 'silent' });
  const handlers = new Map<string, Set<RealtimeHandler>>();
  let closed = false;
  // Subscribe and unsubscribe run one at a time, so LISTEN/UNLISTEN of a channel always match the handler set.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const deliver: Deliver = (channel, payload) => {
    const set = handlers.get(channel);
    if (!set || set.size === 0) return;
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      logger.warn({ channel }, 'realtime message is not JSON; dropped');
      return;
    }
    for (const handler of [...set]) {
      try {
        const result = handler(message);
        if (result instanceof Promise) {
          result.catch((err: Error) =>
            logger.error({ channel, error: err.message }, 'realtime handler failed'),
          );
        }
      } catch (err) {
        logger.error(
          { channel, error: err instanceof Error ? err.message : String(err) },
          'realtime handler failed',
        );
      }
    }
  };

  let transport: Transport;
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('PGlite database without its instance');
    transport = pgliteTransport(database.pglite, deliver);
  } else {
    if (!database.pool) throw new Error('PostgreSQL database without its pool');
    transport = pgTransport({
      config: database.pool.options,
      deliver,
      logger,
      onReconnect: options.onReconnect ?? (() => undefined),
      baseDelayMs: options.reconnectBaseDelayMs ?? 500,
      maxDelayMs: options.reconnectMaxDelayMs ?? 15_000,
      heartbeatMs: options.heartbeatMs ?? 30_000,
    });
  }

  const assertOpen = () => {
    if (closed) throw new RealtimeError('REALTIME_CLOSED', 'realtime bus closed');
  };

  return {
    async publish(channel, message) {
      assertOpen();
      await publishOnCommit(database.db, channel, message);
    },

    async subscribe(channel, handler) {
      const name = pgChannel(channel);
      assertOpen();
      return serial(async () => {
        assertOpen();
        let set = handlers.get(name);
        if (!set) {
          set = new Set();
          handlers.set(name, set);
        }
        // A wrapper per call, so subscribing the same function twice yields two independent subscriptions.
        const entry: RealtimeHandler = (m) => handler(m);
        set.add(entry);
        if (set.size === 1) {
          try {
            await transport.listen(name);
          } catch (err) {
            set.delete(entry);
            handlers.delete(name);
            throw err;
          }
        }
        let active = true;
        return () =>
          serial(async () => {
            if (!active) return;
            active = false;
            const current = handlers.get(name);
            if (!current?.delete(entry) || current.size > 0) return;
            handlers.delete(name);
            if (!closed) await transport.unlisten(name);
          });
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      await serial(() => transport.close());
    },
  };
}
