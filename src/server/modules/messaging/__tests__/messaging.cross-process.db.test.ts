import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { startAppProcess } from '../../../../../test/app-process.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestApp } from '../../../../../test/app.js';
import { createTestDatabase } from '../../../../../test/db.js';
import { account, selfWorker } from '../../../../../test/factories/workers.js';
import { buildApp } from '../../../app.js';
import { loadConfig } from '../../../config.js';
import { connect } from './ws-client.js';

// Two real app processes (src/server/main.ts) on one PostgreSQL: a message sent through process A reaches a
// socket connected to process B, and interview signaling crosses processes too (LISTEN/NOTIFY).
// PGlite lives inside one process, so this needs TEST_DATABASE_URL.
const onPostgres = !!process.env.TEST_DATABASE_URL;
const ORIGIN = 'http://anxin.test';

describe.skipIf(!onPostgres)('messaging across two app processes on one PostgreSQL', () => {
  let shared: Awaited<ReturnType<typeof createTestDatabase>>;
  let setup: FastifyInstance;
  const nodes: ChildProcess[] = [];
  let a: string;
  let b: string;

  beforeAll(async () => {
    shared = await createTestDatabase();
    // One data directory: the three processes share the generated dev secrets (cookie signing, PII keys).
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'anxin-xproc-')),
      JOBS: 'off',
      SEED_DEMO: 'never',
      PUBLIC_URL: ORIGIN,
      DATABASE_URL: shared.url!,
    };
    setup = await buildApp({ config: loadConfig(env), database: shared });
    const [na, nb] = [await startAppProcess(env), await startAppProcess(env)];
    nodes.push(na.child, nb.child);
    a = na.base;
    b = nb.base;
  }, 200_000);

  afterAll(async () => {
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

  test('a message sent through A is delivered to a socket on B; signaling crosses too', async () => {
    const t = { app: setup, database: shared } as unknown as TestApp;
    const resident = await account(t, [{ role: 'resident' }], '陈女士');
    const worker = await selfWorker(t);
    const post = (base: string, path: string, cookie: string, body: object) =>
      fetch(`${base}/api/v1${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify(body),
      });
    const opened = await post(a, '/conversations', resident.cookie, {
      context: 'profile',
      workerId: worker.workerId,
    });
    expect(opened.status).toBe(200);
    const id = ((await opened.json()) as { id: string }).id;

    const onB = await connect(`${b.replace('http', 'ws')}/api/v1/ws`, {
      origin: ORIGIN,
      cookie: worker.cookie,
    });
    const sent = await post(a, `/conversations/${id}/messages`, resident.cookie, { text: '跨进程你好' });
    expect(sent.status).toBe(201);
    const frame = await onB.waitFor((f) => f.type === 'message');
    expect(frame.message).toMatchObject({ conversationId: id, seq: 1, body: '跨进程你好' });

    const scheduled = await post(a, '/interviews', resident.cookie, {
      workerId: worker.workerId,
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const interviewId = ((await scheduled.json()) as { id: string }).id;
    const onA = await connect(`${a.replace('http', 'ws')}/api/v1/ws`, {
      origin: ORIGIN,
      cookie: resident.cookie,
    });
    onA.send({ type: 'signal', interviewId, data: { kind: 'hello' } });
    expect(await onB.waitFor((f) => f.type === 'signal')).toMatchObject({
      interviewId,
      data: { kind: 'hello' },
    });
    onB.send({
      type: 'signal',
      interviewId,
      data: { kind: 'answer', sdp: `v=0\r\n${'a=x\r\n'.repeat(2000)}` },
    });
    const answer = await onA.waitFor((f) => f.type === 'signal');
    expect((answer.data as { kind: string }).kind).toBe('answer');
    await Promise.all([onA.close(), onB.close()]);
  }, 60_000);
});
