import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { recordAudit } from '../../audit/audit.js';
import { generateSigningKey, importSigningKey, type SigningKey } from '../../crypto-sign/index.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { systemContext } from '../../http/context.js';
import { createEgress, parseAllowList } from '../../net/egress.js';
import { type AuditAnchorer, createAuditAnchorer } from '../audit-anchor.js';
import { auditAnchor } from '../audit-anchor.tables.js';
import { missingFromSink } from '../cross-check.js';
import { AnchorSinkError, createHttpsSink } from '../https-sink.js';
import { type AnchorSink, createDirSink, readAnchorDir } from '../sink.js';
import { verifyAnchors } from '../verify-anchors.js';

// The HTTPS anchor sink against a real receiver (node:http on 127.0.0.1) that keeps the contract of
// docs/operations.md: bearer token, idempotency by the SHA-256 of the line, 201 stored / 200 already held, GET lists.
const TOKEN = 'anchor-test-token-0123456789';

interface Receiver {
  url: string;
  lines: string[];
  posts: number;
  /** Next POST: answer 500 without storing, store and still answer 500, or never answer. */
  next: 'fail' | 'store-then-fail' | 'hang' | null;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const byId = new Map<string, string>();
  const r = { lines: [] as string[], posts: 0, next: null as Receiver['next'] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end();
      if (req.method === 'GET')
        return void res
          .writeHead(200, { 'content-type': 'application/x-ndjson' })
          .end(r.lines.map((l) => `${l}\n`).join(''));
      if (req.method !== 'POST') return void res.writeHead(405).end();
      r.posts++;
      const body = Buffer.concat(chunks).toString('utf8');
      const id = req.headers['idempotency-key'];
      const mode = r.next;
      r.next = null;
      if (mode === 'hang') return;
      if (mode === 'fail') return void res.writeHead(500).end();
      if (id !== createHash('sha256').update(body).digest('hex')) return void res.writeHead(400).end();
      if (byId.has(id)) return void res.writeHead(200).end();
      byId.set(id, body);
      r.lines.push(body);
      res.writeHead(mode === 'store-then-fail' ? 500 : 201).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}/anchors`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  });
}

const ctx = systemContext('test');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
let key: SigningKey;
let rx: Receiver;
const clock = { now: new Date('2026-11-29T03:00:00Z') };

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db as Db;
  key = importSigningKey('intl', generateSigningKey('intl').privateKeyPem);
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
  await database?.drop();
});

const allowReceiver = () =>
  createEgress({ allow: { mode: 'list', rules: parseAllowList(new URL(rx.url).host) } });
const httpsSink = (timeoutMs?: number) =>
  createHttpsSink({
    url: rx.url,
    token: TOKEN,
    egress: allowReceiver(),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
const anchorer = (sink: AnchorSink | AnchorSink[]): AuditAnchorer =>
  createAuditAnchorer({ db, key, sink, everyRows: 1000, everyMinutes: 60, clock: () => clock.now });
const addRows = async (k: number) => {
  for (let i = 0; i < k; i++) await recordAudit(db, ctx, { action: 'test.anchor_https', objectId: `r${i}` });
  clock.now = new Date(clock.now.getTime() + 60_000);
};
const lastRow = async () => (await db.select().from(auditAnchor).orderBy(desc(auditAnchor.seq)).limit(1))[0]!;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('HTTPS anchor sink', () => {
  const sink = httpsSinkLazy();
  function httpsSinkLazy() {
    let s: AnchorSink | undefined;
    return () => (s ??= httpsSink());
  }

  test('appends an anchor: one POST, the row acknowledged, and the line reads back and verifies', async () => {
    await addRows(3);
    const a = await anchorer(sink()).anchorNow();
    expect(rx.lines).toHaveLength(1);
    expect(JSON.parse(rx.lines[0]!)).toMatchObject({ n: a.n, seq: a.seq, head: a.head, kid: key.keyId });
    expect((await lastRow()).sink).toBe(`https:${new URL(rx.url).host}`);
    const lines = await sink().read();
    expect(lines).toEqual([{ file: `https:${new URL(rx.url).host}`, line: 1, text: rx.lines[0] }]);
    expect(await verifyAnchors(db, lines, [key])).toMatchObject({ ok: true, anchors: 1, verified: 1 });
  });

  test('a 500 leaves the anchor pending; the next run sends the same line and nothing else', async () => {
    await addRows(2);
    rx.next = 'fail';
    const err = await failure(anchorer(sink()).anchorNow());
    expect(err).toBeInstanceOf(AnchorSinkError);
    expect((err as Error).message).toMatch(/answered 500/);
    expect((err as Error).message).not.toContain(TOKEN);
    expect((await lastRow()).sink).toBe('https:?');
    expect(rx.lines).toHaveLength(1);
    await addRows(1);
    // The job's next run: delivers the pending anchor (as signed then), does not sign a new one.
    const retried = await anchorer(sink()).runDue();
    expect(rx.lines).toHaveLength(2);
    expect(JSON.parse(rx.lines[1]!)).toMatchObject({ n: retried!.n, sig: retried!.sig });
    expect(retried!.n).toBe(5);
    expect((await lastRow()).sink).toBe(`https:${new URL(rx.url).host}`);
    expect(await anchorer(sink()).runDue()).toBeNull();
    expect(await verifyAnchors(db, await sink().read(), [key])).toMatchObject({ ok: true, verified: 2 });
  });

  test('a POST stored but answered with an error is sent again and dropped by the receiver as a duplicate', async () => {
    await addRows(2);
    rx.next = 'store-then-fail';
    const posts = rx.posts;
    expect(await failure(anchorer(sink()).anchorNow())).toBeInstanceOf(AnchorSinkError);
    expect(rx.lines).toHaveLength(3);
    await anchorer(sink()).runDue();
    expect(rx.posts).toBe(posts + 2);
    expect(rx.lines).toHaveLength(3);
    expect(new Set(rx.lines).size).toBe(3);
    expect((await lastRow()).sink).toBe(`https:${new URL(rx.url).host}`);
    expect(await verifyAnchors(db, await sink().read(), [key])).toMatchObject({ ok: true, verified: 3 });
  });

  test('no answer within the timeout: the anchor stays pending', async () => {
    await addRows(1);
    rx.next = 'hang';
    const err = await failure(anchorer(httpsSink(300)).anchorNow());
    expect(err).toBeInstanceOf(AnchorSinkError);
    expect((err as Error).message).toMatch(/no answer within 300 ms/);
    expect((await lastRow()).sink).toBe('https:?');
    await anchorer(sink()).runDue();
    expect((await lastRow()).sink).toBe(`https:${new URL(rx.url).host}`);
    expect(rx.lines).toHaveLength(4);
  });

  test('verification reads the lines back and names a tampered line and a missing one', async () => {
    const lines = await sink().read();
    expect(await missingFromSink(db, lines, 'https')).toEqual([]);
    const edited = lines.map((l, i) =>
      i === 1 ? { ...l, text: JSON.stringify({ ...JSON.parse(l.text), n: 1 }) } : l,
    );
    const tampered = await verifyAnchors(db, edited, [key]);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems.map((p) => [p.kind, p.where])).toEqual([
      ['bad-signature', `https:${new URL(rx.url).host}:2`],
    ]);
    const without = lines.filter((_, i) => i !== 2);
    expect((await verifyAnchors(db, without, [key])).ok).toBe(true);
    const missing = await missingFromSink(db, without, 'https');
    expect(missing).toEqual([
      expect.objectContaining({ kind: 'missing', message: expect.stringContaining('n 8,') }),
    ]);
  });

  test('both sinks: each gets every anchor once, even when one of them fails and is retried', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'anxin-anchor-both-')), 'anchors');
    const both = () => anchorer([createDirSink(dir), sink()]);
    await addRows(2);
    rx.next = 'fail';
    expect(await failure(both().anchorNow())).toBeInstanceOf(AnchorSinkError);
    expect(await readAnchorDir(dir)).toHaveLength(1);
    expect((await lastRow()).sink).toMatch(/^dir:audit-anchors-2026-11-29\.jsonl https:\?$/);
    await both().runDue();
    expect(await readAnchorDir(dir)).toHaveLength(1);
    expect((await lastRow()).sink).toBe(`dir:audit-anchors-2026-11-29.jsonl https:${new URL(rx.url).host}`);
    const fromDir = (await readAnchorDir(dir))[0]!.text;
    expect(rx.lines.at(-1)).toBe(fromDir);
  });

  test('a receiver whose host is not on the allow-list is refused before any connection', async () => {
    const posts = rx.posts;
    const refused = createHttpsSink({
      url: rx.url,
      token: TOKEN,
      egress: createEgress({ allow: { mode: 'list', rules: parseAllowList('anchors.example.cn') } }),
    });
    await addRows(1);
    const err = await failure(anchorer(refused).anchorNow());
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('EGRESS_HOST_NOT_ALLOWED');
    expect(rx.posts).toBe(posts);
    expect((await lastRow()).sink).toBe('https:?');
    expect(await failure(refused.read())).toBeInstanceOf(AppError);
    // Once allowed, the pending anchor goes out.
    await anchorer(sink()).runDue();
    expect(rx.posts).toBe(posts + 1);
  });
});
