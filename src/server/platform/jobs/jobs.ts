import { DrizzleQueryError } from 'drizzle-orm';
import { type BaseLogger, pino } from 'pino';
import { type Db as BossDb, type Job as BossJob, fromPglite, type JobResult, PgBoss } from 'pg-boss';
import type { Database } from '../db/client.js';
import { withStatementTimeout } from '../db/tx-hooks.js';

/**
 * Background jobs, retries and cron schedules on pg-boss, in the app's own database (its tables live in the
 * `pgboss` schema, which pg-boss creates and migrates itself; drizzle-kit does not manage it). pg-boss runs
 * through an adapter over our `Database`: on PostgreSQL it shares the app's pool, on PGlite it shares the
 * one embedded connection. Every app process runs the same workers; a job is claimed by one of them
 * (`SKIP LOCKED`) and each cron occurrence is sent once across all of them.
 */

/** The logging surface the job runner needs; a pino logger or Fastify's `app.log` fits. */
export type JobsLogger = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** What a handler receives for one job. */
export interface JobContext<T extends object = object> {
  id: string;
  name: string;
  data: T;
  /** 0 on the first attempt. */
  retryCount: number;
  /** Aborted when the job expires or the runner stops without waiting. */
  signal: AbortSignal;
}

/** Runs one job; a throw (or rejection) fails the attempt and the queue's retry policy applies. */
export type JobHandler<T extends object = object> = (job: JobContext<T>) => Promise<void>;

/** Queue and worker settings given with `register`. Retry settings apply to jobs sent from then on. */
export interface RegisterOptions {
  /** Retries after the first attempt. Default 2. */
  retryLimit?: number;
  /** Seconds before a retry. Default 0. */
  retryDelaySeconds?: number;
  /** Double the delay on each retry (with jitter). Default false. */
  retryBackoff?: boolean;
  /** Cap on the backed-off delay, in seconds. */
  retryDelayMaxSeconds?: number;
  /** Seconds an attempt may run before it counts as failed. Default 900. */
  expireInSeconds?: number;
  /** `singleton`: at most one job active at a time; `stately`: at most one queued and one active. */
  policy?: 'standard' | 'singleton' | 'stately';
  /**
   * Jobs of this queue one process runs at once, claimed together in one fetch. Default 5. With 1 the
   * worker takes one job per poll interval (pg-boss only fetches again at once after a full batch > 1).
   */
  concurrency?: number;
  /** How often an idle worker polls. Default from `createJobs`, else 2 s. */
  pollingIntervalSeconds?: number;
}

/** Per-job settings for `send`. */
export interface SendJobOptions {
  /** Run no earlier than this time, or this many seconds from now. */
  startAfter?: Date | number;
  /** Jobs with the same key are not queued twice while one is pending (returns null). */
  singletonKey?: string;
  priority?: number;
  retryLimit?: number;
}

/** Settings for `schedule`. */
export interface ScheduleJobOptions {
  /** IANA time zone the cron expression is read in. Default Asia/Shanghai. */
  tz?: string;
  /** Distinguishes several schedules of the same job. */
  key?: string;
}

/** A stored job, as `find` reports it. */
export interface JobRecord {
  id: string;
  name: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  data: object;
  retryCount: number;
  /** For a failed attempt, the serialized error; for a completed one, the handler's result. */
  output: object | null;
}

/** A stored cron schedule. */
export interface JobSchedule {
  name: string;
  key: string;
  cron: string;
  timezone: string;
  data: object | null;
}

/** Options for {@link createJobs}. */
export interface JobsOptions {
  database: Database;
  logger?: JobsLogger;
  /** Schema for pg-boss's tables. Default `pgboss`. */
  schema?: string;
  /** Default idle poll for workers. Default 2 s. */
  pollingIntervalSeconds?: number;
  /** Seconds between pg-boss's cron passes. Default 30 (its own default). */
  cronWorkerIntervalSeconds?: number;
}

/** The job runner: register handlers and schedules at wiring time, `start()` at boot, `stop()` at shutdown. */
export interface Jobs {
  /** Installs or migrates pg-boss's schema, then creates the queues, workers and schedules declared so far. */
  start(): Promise<void>;
  /** Stops polling and waits (up to `timeoutMs`, default 10 s) for running handlers. */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
  /** Declares a job and its handler; after `start()` it takes effect immediately. */
  register<T extends object = object>(
    name: string,
    handler: JobHandler<T>,
    opts?: RegisterOptions,
  ): Promise<void>;
  /** Queues a job; returns its id, or null when a singleton key suppressed it. Requires `start()`. */
  send<T extends object>(name: string, data: T, opts?: SendJobOptions): Promise<string | null>;
  /** Declares a cron schedule (e.g. `'0 2 * * *'` nightly at 02:00 Beijing time) that sends `name` jobs. */
  schedule(name: string, cron: string, data?: object, opts?: ScheduleJobOptions): Promise<void>;
  /** Removes a stored schedule; schedules persist in the database until removed. */
  unschedule(name: string, key?: string): Promise<void>;
  /** Lists stored schedules, optionally for one job. */
  schedules(name?: string): Promise<JobSchedule[]>;
  /** Looks a job up by id (for tests and operators); null when absent or already purged. */
  find(name: string, id: string): Promise<JobRecord | null>;
}

const NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const DEFAULT_TZ = 'Asia/Shanghai';

/** Throws unless `name` looks like `module.job_name`. */
export function assertJobName(name: string): void {
  if (name.length > 100 || !NAME_PATTERN.test(name)) {
    throw new Error(`Invalid job name "${name}": expected "module.job_name" in lower case`);
  }
}

/** pg-boss's database adapter over our `Database`, so it runs on the app's pool or embedded PGlite. */
export function bossDatabase(database: Database): BossDb {
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('PGlite database without its instance');
    // pg-boss's own adapter: routes parameterless multi-statement SQL through exec() and rolls back an
    // aborted transaction so the single shared connection is never left poisoned.
    return fromPglite(database.pglite);
  }
  const pool = database.pool;
  if (!pool) throw new Error('PostgreSQL database without its pool');
  return {
    // Multi-statement text comes back as an array of results, exactly as from pg-boss's own pool-based Db.
    executeSql: (text, values) => pool.query(text, values),
    poolCounts: () => ({
      max: pool.options.max ?? 10,
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
  };
}

/** Session advisory lock key that app processes take in turn while pg-boss installs or migrates its schema. */
export const JOBS_INSTALL_LOCK = 7_305_114_002;

/**
 * Runs `install` (pg-boss's start: `CREATE SCHEMA`, tables, version) while holding a session advisory lock on
 * PostgreSQL. pg-boss does not serialise its own install, so two processes starting at once on a new database
 * collide on `pg_namespace` (23505) and one of them fails to start. The second waits, then finds the schema
 * installed. PGlite has one connection in one process, so nothing can race.
 */
export async function installSerialised(database: Database, install: () => Promise<unknown>): Promise<void> {
  if (database.kind === 'pglite' || !database.pool) {
    await install();
    return;
  }
  // No statement limit on this connection: waiting for another process's install can outlast it.
  const pool = database.pool;
  const client = await withStatementTimeout(0, () => pool.connect());
  let broken = false;
  try {
    await client.query('select pg_advisory_lock($1)', [JOBS_INSTALL_LOCK]);
    try {
      await install();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [JOBS_INSTALL_LOCK]).catch(() => {
        broken = true;
      });
    }
  } finally {
    // A connection whose unlock failed may still hold the lock: end it rather than return it to the pool.
    client.release(broken);
  }
}

// Drizzle's query error puts the bound parameters (possibly personal data) in its message; use the cause.
const rootError = (err: unknown): unknown =>
  err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err;

function errorText(thrown: unknown): string {
  const err = rootError(thrown);
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

interface Registration {
  handler: JobHandler<object>;
  opts: RegisterOptions;
}

/** Creates the job runner over the app's database. */
export function createJobs(options: JobsOptions): Jobs {
  const { database } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const defaultPolling = options.pollingIntervalSeconds ?? 2;
  const boss = new PgBoss({
    db: bossDatabase(database),
    backend: database.kind === 'pglite' ? 'pglite' : 'postgres',
    schema: options.schema ?? 'pgboss',
    ...(options.cronWorkerIntervalSeconds
      ? { cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds }
      : {}),
  });
  boss.on('error', (err) => logger.error({ error: errorText(err) }, 'job runner error'));
  // Warning payloads can carry job data or SQL; the message alone says what is wrong.
  boss.on('warning', (w) => logger.warn({ warning: w.message }, 'job runner warning'));

  const registrations = new Map<string, Registration>();
  const pendingSchedules: Array<{
    name: string;
    cron: string;
    data: object | null;
    opts: ScheduleJobOptions;
  }> = [];
  const ensured = new Set<string>();
  let state: 'idle' | 'started' | 'stopped' = 'idle';

  function queueOptions(opts: RegisterOptions) {
    return {
      ...(opts.retryLimit !== undefined ? { retryLimit: opts.retryLimit } : {}),
      ...(opts.retryDelaySeconds !== undefined ? { retryDelay: opts.retryDelaySeconds } : {}),
      ...(opts.retryBackoff !== undefined ? { retryBackoff: opts.retryBackoff } : {}),
      ...(opts.retryDelayMaxSeconds !== undefined ? { retryDelayMax: opts.retryDelayMaxSeconds } : {}),
      ...(opts.expireInSeconds !== undefined ? { expireInSeconds: opts.expireInSeconds } : {}),
    };
  }

  async function ensureQueue(name: string): Promise<void> {
    if (ensured.has(name)) return;
    const opts = registrations.get(name)?.opts ?? {};
    await boss.createQueue(name, { ...queueOptions(opts), policy: opts.policy ?? 'standard' });
    // createQueue leaves an existing queue as it was; this applies retry settings changed since.
    const changes = queueOptions(opts);
    if (Object.keys(changes).length > 0) await boss.updateQueue(name, changes);
    ensured.add(name);
  }

  async function runOne(name: string, reg: Registration, job: BossJob<object>): Promise<JobResult> {
    try {
      await reg.handler({
        id: job.id,
        name: job.name,
        data: job.data,
        retryCount: job.retryCount,
        signal: job.signal,
      });
      return { id: job.id, status: 'completed' };
    } catch (err) {
      logger.warn(
        { job: name, jobId: job.id, retryCount: job.retryCount, error: errorText(err) },
        'job failed',
      );
      const root = rootError(err);
      const output =
        root instanceof Error
          ? { name: root.name, message: root.message, stack: root.stack }
          : { value: String(root) };
      return { id: job.id, status: 'failed', output };
    }
  }

  async function startWorker(name: string, reg: Registration): Promise<void> {
    await ensureQueue(name);
    const concurrency = reg.opts.concurrency ?? 5;
    // One fetch claims up to `concurrency` jobs, which run side by side and settle one by one; while
    // fetches come back full the worker fetches again at once instead of waiting out the poll interval.
    await boss.work<object>(
      name,
      {
        batchSize: concurrency,
        perJobResults: true,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: reg.opts.pollingIntervalSeconds ?? defaultPolling,
      },
      (batch) => Promise.all(batch.map((job) => runOne(name, reg, job))),
    );
  }

  async function applySchedule(s: (typeof pendingSchedules)[number]): Promise<void> {
    await ensureQueue(s.name);
    await boss.schedule(s.name, s.cron, s.data, {
      tz: s.opts.tz ?? DEFAULT_TZ,
      ...(s.opts.key ? { key: s.opts.key } : {}),
    });
  }

  function assertStarted(): void {
    if (state !== 'started') throw new Error('job runner is not started');
  }

  return {
    async start() {
      if (state !== 'idle') throw new Error(`job runner cannot start: it is ${state}`);
      // A few attempts: a database still starting, or another node mid-migration, is not a reason to die.
      await installSerialised(database, () => boss.start({ attempts: 4 }));
      state = 'started';
      for (const [name, reg] of registrations) await startWorker(name, reg);
      for (const s of pendingSchedules.splice(0)) await applySchedule(s);
      logger.info({ queues: registrations.size, engine: database.kind }, 'job runner started');
    },

    async stop(opts = {}) {
      if (state !== 'started') {
        state = 'stopped';
        return;
      }
      state = 'stopped';
      await boss.stop({ graceful: true, timeout: opts.timeoutMs ?? 10_000, close: true });
    },

    async register<T extends object>(name: string, handler: JobHandler<T>, opts: RegisterOptions = {}) {
      assertJobName(name);
      if (registrations.has(name)) throw new Error(`job "${name}" is already registered`);
      // A handler is only ever given data sent to its own queue, so the widening is safe.
      const reg: Registration = { handler: handler as unknown as JobHandler<object>, opts };
      registrations.set(name, reg);
      // A send() may have created the queue with defaults already; apply this registration's settings.
      ensured.delete(name);
      if (state === 'started') await startWorker(name, reg);
    },

    async send(name, data, opts = {}) {
      assertJobName(name);
      assertStarted();
      await ensureQueue(name);
      return boss.send(name, data, { ...opts });
    },

    async schedule(name, cron, data, opts = {}) {
      assertJobName(name);
      // Fails fast on a malformed expression, before anything is stored.
      boss.previewSchedule(cron, { count: 1, tz: opts.tz ?? DEFAULT_TZ });
      const entry = { name, cron, data: data ?? null, opts };
      if (state === 'started') await applySchedule(entry);
      else pendingSchedules.push(entry);
    },

    async unschedule(name, key) {
      assertStarted();
      await boss.unschedule(name, key);
    },

    async schedules(name) {
      assertStarted();
      const rows = await boss.getSchedules(name);
      return rows.map((s) => ({
        name: s.name,
        key: s.key,
        cron: s.cron,
        timezone: s.timezone,
        data: s.data ?? null,
      }));
    },

    async find(name, id) {
      assertStarted();
      const [job] = await boss.findJobs<object>(name, { id });
      if (!job) return null;
      return {
        id: job.id,
        name: job.name,
        state: job.state,
        data: job.data,
        retryCount: job.retryCount,
        output: job.output ?? null,
      };
    },
  };
}
