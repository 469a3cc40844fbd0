import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { hashRow, recordAudit, verifyAuditChain } from '../../audit/audit.js';
import { auditChainHead, auditLog } from '../../audit/audit.tables.js';
import {
  generateSigningKey,
  importSigningKey,
  importVerifyKey,
  SIGN_SUITES,
  type SigningKey,
  type VerifyKey,
} from '../../crypto-sign/index.js';
import type { DbOrTx, Tx } from '../../db/client.js';
import { systemContext } from '../../http/context.js';
import { ChainBrokenError, createAuditAnchorer, type AuditAnchorer } from '../audit-anchor.js';
import { auditAnchor } from '../audit-anchor.tables.js';
import { createDirSink, readAnchorDir } from '../sink.js';
import { verifyAnchors } from '../verify-anchors.js';

const ctx = systemContext('test');
class Rollback extends Error {}

async function addRows(db: DbOrTx, k: number, tag: string): Promise<void> {
  for (let i = 0; i < k; i++)
    await recordAudit(db as never, ctx, { action: 'test.anchor', objectId: `${tag}${i}` });
}

/** Runs `fn` in a transaction with the append-only triggers off (a superuser's path), then rolls everything back. */
async function tampered<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await (db as { transaction: (f: (tx: Tx) => Promise<void>) => Promise<void> })
    .transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      out = await fn(tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return out as T;
}

/**
 * Rewrites the chain from row index `from` (0-based) with `change` applied to the rows' content, recomputing every
 * hash after it and the head: a consistent chain the chain check alone accepts.
 */
async function rewriteFrom(
  tx: Tx,
  from: number,
  change: (rows: (typeof auditLog.$inferSelect)[]) => (typeof auditLog.$inferSelect)[],
): Promise<void> {
  const all = await tx.select().from(auditLog).orderBy(asc(auditLog.seq));
  const changed = change(all.map((r) => ({ ...r })));
  let prev = from === 0 ? '0'.repeat(64) : all[from - 1]!.hash;
  // Park the ids first so rows can trade them (ids are unique).
  await tx.execute(sql`update audit_log set id = 'parked_' || seq where seq >= ${all[from]!.seq}`);
  for (let i = from; i < changed.length; i++) {
    const r = changed[i]!;
    const hash = hashRow(prev, { ...r, detail: r.detail ?? null });
    await tx
      .update(auditLog)
      .set({
        id: r.id,
        at: r.at,
        action: r.action,
        objectType: r.objectType,
        objectId: r.objectId,
        outcome: r.outcome,
        detail: r.detail,
        prevHash: prev,
        hash,
      })
      .where(eq(auditLog.seq, all[i]!.seq));
    prev = hash;
  }
  await tx.update(auditChainHead).set({ hash: prev });
}

describe.each(SIGN_SUITES)('audit anchors, suite %s', (suite) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let key: SigningKey;
  let dir: string;
  let anchorer: AuditAnchorer;
  const clock = { now: new Date('2026-11-29T02:00:00Z') };

  beforeAll(async () => {
    database = await createTestDatabase();
    key = importSigningKey(suite, generateSigningKey(suite).privateKeyPem);
    dir = join(mkdtempSync(join(tmpdir(), 'anxin-anchor-')), 'anchors');
    anchorer = createAuditAnchorer({
      db: database.db,
      key,
      sink: createDirSink(dir),
      everyRows: 5,
      everyMinutes: 60,
      clock: () => clock.now,
    });
    // Rows, an anchor, more rows, a second anchor.
    await addRows(database.db, 12, 'a');
    await anchorer.anchorNow();
    await addRows(database.db, 5, 'b');
    await anchorer.anchorNow();
  });
  afterAll(async () => database.drop());

  const verify = async (db: DbOrTx = database.db, keys: VerifyKey[] = [key]) =>
    verifyAnchors(db, await readAnchorDir(dir), keys);

  test('(d) a clean chain verifies against its anchors', async () => {
    const report = await verify();
    expect(report).toMatchObject({
      ok: true,
      anchors: 2,
      verified: 2,
      chainLength: 17,
      unanchoredRows: 0,
      truncationDetected: false,
      problems: [],
    });
    // The lines name suite, algorithm and key; the directory and files are private.
    const lines = (await readAnchorDir(dir)).map((l) => JSON.parse(l.text));
    expect(lines.map((l) => [l.n, l.suite, l.alg, l.kid])).toEqual([
      [12, suite, suite === 'gm' ? 'SM2-SM3' : 'Ed25519', key.keyId],
      [17, suite, suite === 'gm' ? 'SM2-SM3' : 'Ed25519', key.keyId],
    ]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    // Only the public half is needed to verify.
    const pub = importVerifyKey(suite, key.publicKeyPem);
    expect((await verify(database.db, [pub])).verified).toBe(2);
  });

  test('(a) the last k rows deleted (head reset to match): the chain alone passes, the anchor names the truncation', async () => {
    const report = await tampered(database.db, async (tx) => {
      const rows = await tx.select().from(auditLog).orderBy(asc(auditLog.seq));
      const keep = rows[rows.length - 4]!;
      await tx.delete(auditLog).where(gt(auditLog.seq, keep.seq));
      await tx.update(auditChainHead).set({ prevHash: keep.prevHash, hash: keep.hash });
      expect((await verifyAuditChain(tx)).ok).toBe(true);
      return verify(tx);
    });
    expect(report.ok).toBe(false);
    expect(report.truncationDetected).toBe(true);
    expect(report.chainLength).toBe(14);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'truncated',
        message: expect.stringMatching(/has 14 rows .* covers 17 .*3 rows removed/),
      }),
    ]);
  });

  test('(a) tail cut and refilled to the same length: the head no longer matches', async () => {
    const report = await tampered(database.db, async (tx) => {
      const rows = await tx.select().from(auditLog).orderBy(asc(auditLog.seq));
      const keep = rows[rows.length - 3]!;
      await tx.delete(auditLog).where(gt(auditLog.seq, keep.seq));
      await tx.update(auditChainHead).set({ prevHash: keep.prevHash, hash: keep.hash });
      await addRows(tx, 2, 'refill');
      return verify(tx);
    });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(['head-mismatch']);
  });

  test('(b) a row before the anchor edited in place: the chain breaks', async () => {
    const report = await tampered(database.db, async (tx) => {
      const rows = await tx.select().from(auditLog).orderBy(asc(auditLog.seq));
      await tx.update(auditLog).set({ objectId: 'forged' }).where(eq(auditLog.seq, rows[3]!.seq));
      return verify(tx);
    });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({
      kind: 'chain-broken',
      message: expect.stringMatching(/content-altered/),
    });
  });

  test('(b) a prefix rewritten with fresh hashes, or two rows reordered: only the anchors catch it', async () => {
    const rewritten = await tampered(database.db, async (tx) => {
      await rewriteFrom(tx, 3, (rows) => {
        rows[3]!.objectId = 'forged';
        return rows;
      });
      expect((await verifyAuditChain(tx)).ok).toBe(true);
      return verify(tx);
    });
    expect(rewritten.ok).toBe(false);
    expect(rewritten.problems.map((p) => p.kind)).toEqual(['head-mismatch', 'head-mismatch']);
    const reordered = await tampered(database.db, async (tx) => {
      await rewriteFrom(tx, 13, (rows) => {
        [rows[13], rows[14]] = [rows[14]!, rows[13]!];
        return rows;
      });
      expect((await verifyAuditChain(tx)).ok).toBe(true);
      return verify(tx);
    });
    expect(reordered.ok).toBe(false);
    expect(reordered.verified).toBe(1);
    expect(reordered.problems.map((p) => p.kind)).toEqual(['head-mismatch']);
  });

  test('(c) forged, edited, foreign-key and malformed anchor lines fail', async () => {
    const lines = await readAnchorDir(dir);
    const last = JSON.parse(lines.at(-1)!.text);
    const mallory = importSigningKey(suite, generateSigningKey(suite).privateKeyPem);
    const forged = [
      // An attacker who cut the tail moves the anchor back to fit: the signature no longer holds.
      { file: 'x.jsonl', line: 1, text: JSON.stringify({ ...last, n: 14 }) },
      // Signed by a key of their own: not a trusted key.
      { file: 'x.jsonl', line: 2, text: JSON.stringify({ ...last, kid: mallory.keyId }) },
      { file: 'x.jsonl', line: 3, text: '{"v":1,"n":' },
    ];
    const report = await verifyAnchors(database.db, [...lines, ...forged], [key]);
    expect(report.ok).toBe(false);
    expect(report.verified).toBe(2);
    expect(report.problems.map((p) => [p.kind, p.where])).toEqual([
      ['bad-signature', 'x.jsonl:1'],
      ['unknown-key', 'x.jsonl:2'],
      ['malformed', 'x.jsonl:3'],
    ]);
    // The same file line appended to the real sink is found by the directory reader.
    const file = join(dir, readdirSync(dir)[0]!);
    const before = readFileSync(file, 'utf8');
    appendFileSync(file, `${forged[0]!.text}\n`);
    try {
      expect((await verify()).problems.map((p) => p.kind)).toEqual(['bad-signature']);
    } finally {
      writeFileSync(file, before);
    }
    // The other suite's key is not accepted for this suite's lines.
    const otherSuite = suite === 'gm' ? 'intl' : 'gm';
    const other = importSigningKey(otherSuite, generateSigningKey(otherSuite).privateKeyPem);
    expect((await verify(database.db, [other])).problems.map((p) => p.kind)).toEqual([
      'unknown-key',
      'unknown-key',
    ]);
    // No anchors at all is a failure, not a pass.
    expect((await verifyAnchors(database.db, [], [key])).problems.map((p) => p.kind)).toEqual(['none']);
  });

  test('the job refuses to sign a chain that no longer extends the last anchor, and writes nothing', async () => {
    const linesBefore = (await readAnchorDir(dir)).length;
    const err = await tampered(database.db, async (tx) => {
      await addRows(tx, 2, 'c');
      const rows = await tx.select().from(auditLog).orderBy(asc(auditLog.seq));
      // Row 18, the first after the last anchor (17): the job hashes from the anchor on.
      await tx.update(auditLog).set({ objectId: 'forged' }).where(eq(auditLog.seq, rows[17]!.seq));
      const a = createAuditAnchorer({ db: tx, key, sink: createDirSink(dir), clock: () => clock.now });
      return a.anchorNow().then(
        () => null,
        (e: unknown) => e,
      );
    });
    expect(err).toBeInstanceOf(ChainBrokenError);
    expect((await readAnchorDir(dir)).length).toBe(linesBefore);
  });

  test('runDue anchors every N rows or T minutes, and records each anchor in audit_anchor too', async () => {
    const rowsBefore = (await database.db.select().from(auditAnchor)).length;
    await addRows(database.db, 3, 'd');
    expect(await anchorer.runDue()).toBeNull();
    await addRows(database.db, 2, 'e');
    const byRows = await anchorer.runDue();
    expect(byRows).toMatchObject({ n: 22 });
    expect(await anchorer.runDue()).toBeNull();
    clock.now = new Date(clock.now.getTime() + 61 * 60_000);
    const byTime = await anchorer.runDue();
    expect(byTime).toMatchObject({ n: 22, head: byRows!.head });
    const stored = await database.db.select().from(auditAnchor).orderBy(asc(auditAnchor.seq));
    expect(stored.length).toBe(rowsBefore + 2);
    expect(stored.at(-1)).toMatchObject({ n: 22, keyId: key.keyId, suite, signature: byTime!.sig });
    expect(stored.at(-1)!.sink).toMatch(/^dir:audit-anchors-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const report = await verify();
    expect(report).toMatchObject({ ok: true, anchors: 4, verified: 4, chainLength: 22 });
  });
});
