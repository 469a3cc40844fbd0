import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { freePort, startAppProcess } from './app-process.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestApp } from './app.js';
import { createTestDatabase } from './db.js';
import { account, company } from './factories/workers.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { contentItem } from '../src/server/modules/content/content.tables.js';
import { newId } from '../src/server/platform/db/ids.js';

// Two real app processes (src/server/main.ts) with their job runners and outbox dispatchers on, on one fresh
// PostgreSQL database, behind a round-robin proxy: both serve requests, each cron occurrence of a scheduled job
// becomes one job that runs once, content due for publication is published once, and every outbox event
// written by a request is delivered once. PGlite lives inside one process, so this needs TEST_DATABASE_URL.
const onPostgres = !!process.env.TEST_DATABASE_URL;
const ORIGIN = 'http://anxin.test';
/** Both run every minute (app.ts), so a test sees several occurrences in a few minutes. */
const EVERY_MINUTE = ['content.publish_due', 'partners.webhook_sweep'];

/** A round-robin HTTP proxy in front of the given ports; `answered[i]` counts the responses backend i gave. */
async function roundRobin(ports: number[]): Promise<{ server: Server; base: string; answered: number[] }> {
  const answered = ports.map(() => 0);
  let next = 0;
  const server = createHttpServer((req, res) => {
    const i = next++ % ports.length;
    const upstream = request(
      { host: '127.0.0.1', port: ports[i], method: req.method, path: req.url, headers: req.headers },
      (up) => {
        answered[i]!++;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${port}`, answered };
}

describe.skipIf(!onPostgres)('jobs and outbox across two app processes behind a round-robin proxy', () => {
  let shared: Awaited<ReturnType<typeof createTestDatabase>>;
  let setup: FastifyInstance;
  let proxy: Awaited<ReturnType<typeof roundRobin>>;
  const nodes: ChildProcess[] = [];
  let startedAt: Date;

  const rows = async <T>(q: ReturnType<typeof sql>) =>
    ((await shared.db.execute(q)) as unknown as { rows: T[] }).rows;

  beforeAll(async () => {
    shared = await createTestDatabase();
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      // One data directory: the processes share the generated dev secrets (cookie signing, PII keys).
      DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-2proc-')),
      SEED_DEMO: 'never',
      PUBLIC_URL: ORIGIN,
      DATABASE_URL: shared.url!,
    };
    // The test's own app writes fixtures only: its job runner and dispatcher stay off.
    setup = await buildApp({ config: loadConfig({ ...env, JOBS: 'off' }), database: shared });
    startedAt = new Date();
    const [a, b] = await Promise.all([
      startAppProcess({ ...env, JOBS: 'on' }),
      startAppProcess({ ...env, JOBS: 'on' }),
    ]);
    nodes.push(a.child, b.child);
    proxy = await roundRobin([a.port, b.port]);
  }, 200_000);

  afterAll(async () => {
    await new Promise((r) => (proxy ? proxy.server.close(r) : r(null)));
    for (const child of nodes) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await setup?.close();
    await shared?.drop();
  }, 60_000);

  test('both serve; each due cron occurrence runs once; scheduled content and outbox events go out once', async () => {
    const t = { app: setup, database: shared } as unknown as TestApp;
    const co = await company(t, '双进程测试家政');
    const editor = await account(t, [{ role: 'regulator' }], '编辑');

    // Content due over the next minutes: the every-minute job publishes each item, whichever process runs it.
    const due = [20, 70, 130].map((s, i) => ({
      id: newId('cnt'),
      slug: `two-process-${i}-${Date.now()}`,
      at: new Date(Date.now() + s * 1000),
    }));
    await shared.db.insert(contentItem).values(
      due.map((d) => ({
        id: d.id,
        slug: d.slug,
        category: 'news',
        title: `双进程定时发布 ${d.slug}`,
        summary: '定时发布',
        bodyHtml: '<p>定时发布</p>',
        authorOrg: '广州市商务局',
        state: 'scheduled',
        scheduledAt: d.at,
        createdBy: editor.userId,
        updatedBy: editor.userId,
      })),
    );

    // Requests through the proxy: reads and writes land on both processes; each write enqueues one event.
    const items: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${proxy.base}/api/v1/orgs/${co.orgId}/service-items`, {
        method: 'POST',
        headers: { cookie: co.cookie, 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          category: 'hourly',
          mode: 'hourly',
          priceFen: 5000 + i,
          title: `钟点工 ${i}`,
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      items.push(((await res.json()) as { id: string }).id);
      expect((await fetch(`${proxy.base}/healthz`)).status).toBe(200);
    }
    expect(proxy.answered[0]).toBeGreaterThan(0);
    expect(proxy.answered[1]).toBeGreaterThan(0);
    expect(proxy.answered[0]! + proxy.answered[1]!).toBe(12);

    // Wait until every item is published and each every-minute job has completed at least three occurrences.
    const deadline = Date.now() + 240_000;
    for (;;) {
      const [left] = await rows<{ n: number }>(
        sql`select count(*)::int n from content_item where id in ${due.map((d) => d.id)} and state <> 'published'`,
      );
      const done = await rows<{ name: string; n: number }>(
        sql`select name, count(*)::int n from pgboss.job
             where name in ${EVERY_MINUTE} and state = 'completed' and created_on >= ${startedAt}
             group by name`,
      );
      const enough = EVERY_MINUTE.every((n) => (done.find((d) => d.name === n)?.n ?? 0) >= 3);
      if (left?.n === 0 && enough) break;
      if (Date.now() > deadline) throw new Error(`still waiting: ${JSON.stringify({ left, done })}`);
      await new Promise((r) => setTimeout(r, 2000));
    }

    // The cron passes of both processes forward each occurrence (schedule × minute slot) once…
    const forwarded = await rows<{ name: string; slot: string; n: number }>(
      sql`select data->>'name' as name, data->>'slot' as slot, count(*)::int n from pgboss.job
           where name = '__pgboss__send-it' and data->>'name' in ${EVERY_MINUTE} and created_on >= ${startedAt}
           group by 1, 2 order by 2`,
    );
    expect(forwarded.length).toBeGreaterThanOrEqual(6);
    expect(forwarded.filter((f) => f.n !== 1)).toEqual([]);
    // …into exactly one job each, which one process ran once (no retry, no second start).
    const jobs = await rows<{ name: string; state: string; retry_count: number; minute_slot: string }>(
      sql`select name, state, retry_count, to_char(date_trunc('minute', created_on), 'YYYY-MM-DD HH24:MI') as minute_slot
            from pgboss.job where name in ${EVERY_MINUTE} and created_on >= ${startedAt}`,
    );
    for (const name of EVERY_MINUTE) {
      const mine = jobs.filter((j) => j.name === name);
      expect(mine.length, name).toBe(forwarded.filter((f) => f.name === name).length);
      expect(new Set(mine.map((j) => j.minute_slot)).size, name).toBe(mine.length);
    }
    expect(jobs.filter((j) => j.retry_count !== 0 || !['completed', 'active'].includes(j.state))).toEqual([]);

    // Each scheduled item published once, at its time, with one audit row.
    const published = await rows<{ id: string; published_at: Date; audits: number }>(
      sql`select c.id, c.published_at,
                 (select count(*)::int from audit_log a where a.object_id = c.id and a.action = 'content.publish') audits
            from content_item c where c.id in ${due.map((d) => d.id)} order by c.id`,
    );
    expect(published.map((p) => p.audits)).toEqual([1, 1, 1]);
    for (const d of due)
      expect(new Date(published.find((p) => p.id === d.id)!.published_at).getTime()).toBe(d.at.getTime());

    // Every event the requests wrote (one per price item) was claimed once and delivered.
    const deadline2 = Date.now() + 30_000;
    for (;;) {
      const events = await rows<{ attempts: number; published: boolean }>(
        sql`select attempts, published_at is not null as published from outbox_event
             where topic = 'catalog.items_changed' and payload->>'companyId' = ${co.orgId}`,
      );
      if (events.length === items.length && events.every((e) => e.published)) {
        expect(events.map((e) => e.attempts)).toEqual(items.map(() => 1));
        break;
      }
      if (Date.now() > deadline2) throw new Error(`events not delivered: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 330_000);
});
