import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { type Database, openDatabase } from '../../db/client.js';
import { createJobs, installSerialised, type JobRecord, type Jobs } from '../jobs.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let jobs: Jobs;
const lines: Array<Record<string, unknown>> = [];
const stream = new Writable({
  write(chunk, _enc, done) {
    lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
    done();
  },
});

const echoed: Array<{ data: { text: string }; retryCount: number }> = [];
let flakyCalls = 0;
let doomedCalls = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  jobs = createJobs({ database, logger: pino({ level: 'info' }, stream), pollingIntervalSeconds: 0.5 });
  // Declared before start(), as modules do at wiring time.
  await jobs.register<{ text: string }>('test.echo', async (job) => {
    echoed.push({ data: job.data, retryCount: job.retryCount });
  });
  await jobs.register(
    'test.flaky',
    async () => {
      flakyCalls++;
      if (flakyCalls === 1) throw new Error('SMS gateway timed out');
    },
    { retryLimit: 3, retryDelaySeconds: 0 },
  );
  await jobs.register(
    'test.doomed',
    async () => {
      doomedCalls++;
      throw new Error(`always broken #${doomedCalls}`);
    },
    { retryLimit: 2, retryDelaySeconds: 0 },
  );
  await jobs.schedule('test.nightly_reminder', '0 2 * * *', { kind: 'certificate_expiry' });
  await jobs.start();
});

afterAll(async () => {
  await jobs?.stop();
  await database?.drop();
});

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const settled = (name: string, id: string) =>
  waitFor<JobRecord>(async () => {
    const job = await jobs.find(name, id);
    return job && (job.state === 'completed' || job.state === 'failed') ? job : null;
  }, `${name} ${id} to settle`);

test('a sent job is handled with its data and completes', async () => {
  const id = await jobs.send('test.echo', { text: '保洁 reminder' });
  expect(id).toBeTypeOf('string');
  const job = await settled('test.echo', id!);
  expect(job).toMatchObject({ state: 'completed', retryCount: 0, data: { text: '保洁 reminder' } });
  expect(echoed).toEqual([{ data: { text: '保洁 reminder' }, retryCount: 0 }]);
});

test('a failing job is retried and then succeeds', async () => {
  const id = await jobs.send('test.flaky', {});
  const job = await settled('test.flaky', id!);
  expect(job.state).toBe('completed');
  expect(job.retryCount).toBe(1);
  expect(flakyCalls).toBe(2);
  expect(lines.some((l) => l.msg === 'job failed' && l.job === 'test.flaky' && l.jobId === id)).toBe(true);
});

test('a job that keeps failing stops after its retry limit and keeps the last error', async () => {
  const id = await jobs.send('test.doomed', { secret: 'must not be logged' });
  const job = await settled('test.doomed', id!);
  expect(job.state).toBe('failed');
  expect(job.retryCount).toBe(2);
  expect(doomedCalls).toBe(3);
  expect(JSON.stringify(job.output)).toContain('always broken #3');
  expect(JSON.stringify(lines)).not.toContain('must not be logged');
});

test('jobs can be delayed', async () => {
  const id = await jobs.send('test.echo', { text: 'later' }, { startAfter: 3600 });
  await new Promise((r) => setTimeout(r, 1500));
  expect(await jobs.find('test.echo', id!)).toMatchObject({ state: 'created' });
  expect(echoed.map((e) => e.data.text)).not.toContain('later');
});

test('a handler registered after start() runs too', async () => {
  const seen: string[] = [];
  await jobs.register<{ n: number }>('test.late', async (job) => {
    seen.push(job.id);
  });
  const id = await jobs.send('test.late', { n: 1 });
  await settled('test.late', id!);
  expect(seen).toEqual([id]);
  await expect(jobs.register('test.late', async () => undefined)).rejects.toThrow(/already registered/);
});

describe('schedules', () => {
  test('a schedule declared before start is stored, in Beijing time by default', async () => {
    expect(await jobs.schedules('test.nightly_reminder')).toEqual([
      {
        name: 'test.nightly_reminder',
        key: '',
        cron: '0 2 * * *',
        timezone: 'Asia/Shanghai',
        data: { kind: 'certificate_expiry' },
      },
    ]);
  });

  test('schedules can be added, keyed, replaced and removed after start', async () => {
    await jobs.schedule('test.weekly_report', '0 9 * * 1', { scope: 'all' }, { tz: 'UTC', key: 'all' });
    await jobs.schedule('test.weekly_report', '30 9 * * 1', { scope: 'all' }, { tz: 'UTC', key: 'all' });
    expect(await jobs.schedules('test.weekly_report')).toMatchObject([
      { key: 'all', cron: '30 9 * * 1', timezone: 'UTC' },
    ]);
    await jobs.unschedule('test.weekly_report', 'all');
    expect(await jobs.schedules('test.weekly_report')).toEqual([]);
  });

  test('malformed cron expressions and names are refused', async () => {
    await expect(jobs.schedule('test.bad', 'every night')).rejects.toThrow();
    await expect(jobs.schedule('Bad Name', '0 2 * * *')).rejects.toThrow(/Invalid job name/);
    expect(await jobs.schedules('test.bad')).toEqual([]);
  });
});

describe('two app processes', () => {
  let other: Database | undefined;
  let second: Jobs | undefined;
  const handledBy = new Map<string, string[]>();
  const record = (who: string) => async (job: { id: string }) => {
    handledBy.set(job.id, [...(handledBy.get(job.id) ?? []), who]);
    await new Promise((r) => setTimeout(r, 5));
  };

  beforeAll(async () => {
    // A second pool on PostgreSQL; on PGlite both runners share the one embedded instance.
    const url = database.pool?.options.connectionString;
    other = url ? await openDatabase({ databaseUrl: url, poolSize: 3 }) : undefined;
    second = createJobs({ database: other ?? database, pollingIntervalSeconds: 0.5 });
    await jobs.register('test.shared', record('a'), { concurrency: 2 });
    await second.register('test.shared', record('b'), { concurrency: 2 });
    await second.start();
  });
  afterAll(async () => {
    await second?.stop();
    await other?.close();
  });

  test('each job is handled exactly once', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 30; n++) {
      const id = await jobs.send('test.shared', { n });
      if (id) ids.push(id);
    }
    expect(ids).toHaveLength(30);
    await waitFor(async () => handledBy.size === 30, 'all shared jobs');
    await new Promise((r) => setTimeout(r, 1000));
    expect([...handledBy.values()].filter((who) => who.length !== 1)).toEqual([]);
    expect(new Set(handledBy.keys())).toEqual(new Set(ids));
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('processes starting at once on a new database', () => {
  // Four processes install pg-boss's schema at the same moment; without the install lock one of them fails
  // with a duplicate key on pg_namespace (CREATE SCHEMA racing), as it did in CI with two app processes.
  const schema = `pgboss_race_${process.pid}_${Date.now() % 100_000}`;
  const pools: Database[] = [];
  const runners: Jobs[] = [];

  afterAll(async () => {
    for (const r of runners) await r.stop().catch(() => undefined);
    await database.raw.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    for (const p of pools) await p.close();
  });

  test("a second process's install waits until the first one's has finished", async () => {
    const url = database.pool!.options.connectionString!;
    const a = await openDatabase({ databaseUrl: url, poolSize: 2 });
    const b = await openDatabase({ databaseUrl: url, poolSize: 2 });
    pools.push(a, b);
    const events: string[] = [];
    let finishA!: () => void;
    const aMayFinish = new Promise<void>((r) => (finishA = r));
    let aStarted!: () => void;
    const aHasStarted = new Promise<void>((r) => (aStarted = r));
    const first = installSerialised(a, async () => {
      events.push('a begins');
      aStarted();
      await aMayFinish;
      events.push('a ends');
    });
    await aHasStarted;
    const second = installSerialised(b, async () => {
      events.push('b begins');
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual(['a begins']);
    finishA();
    await Promise.all([first, second]);
    expect(events).toEqual(['a begins', 'a ends', 'b begins']);
    // A failed install releases the lock too.
    await expect(installSerialised(a, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await installSerialised(b, async () => events.push('b again'));
    expect(events.at(-1)).toBe('b again');
  });

  test('every one of them starts, and the schema is installed once', async () => {
    const url = database.pool!.options.connectionString!;
    for (let n = 0; n < 4; n++) pools.push(await openDatabase({ databaseUrl: url, poolSize: 3 }));
    for (const p of pools) runners.push(createJobs({ database: p, schema, pollingIntervalSeconds: 0.5 }));
    const results = await Promise.allSettled(runners.map((r) => r.start()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = await database.raw.query('select count(*)::int as n from pg_namespace where nspname = $1', [
      schema,
    ]);
    expect(rows).toEqual([{ n: 1 }]);
  });
});
