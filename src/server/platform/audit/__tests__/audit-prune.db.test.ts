import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { dataInventory } from '../../../../../test/data-inventory.js';
import { retentionJobs } from '../../../retention-jobs.js';
import { verifyAnchors } from '../../audit-anchor/verify-anchors.js';
import { generateSigningKey, importSigningKey } from '../../crypto-sign/index.js';
import type { Tx } from '../../db/client.js';
import { systemContext } from '../../http/context.js';
import { appendAudit, verifyAuditChain } from '../audit.js';
import { auditCheckpoint, auditLog } from '../audit.tables.js';
import { AUDIT_RETENTION_YEARS, AuditPruneError, pruneAuditLog } from '../prune.js';

const DAY = 86_400_000;
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

const ctx = systemContext('test');
const db = () => t.app.database.db;
const keys = () => [t.app.auditAnchor.key];
const deps = (now: Date) => ({
  db: db(),
  now,
  pii: t.app.pii,
  storage: t.app.storage,
  auditAnchor: t.app.auditAnchor,
});
const plant = async (n: number, at: Date, tag: string) => {
  for (let i = 0; i < n; i++)
    await db().transaction((tx) =>
      appendAudit(tx, ctx, { action: 'test.prune', objectId: `${tag}${i}` }, at),
    );
};
const rows = () => db().select().from(auditLog).orderBy(asc(auditLog.seq));
const checkpoints = () => db().select().from(auditCheckpoint).orderBy(asc(auditCheckpoint.seq));
const yearsAfter = (d: Date, y: number) => {
  const x = new Date(d);
  x.setUTCFullYear(x.getUTCFullYear() + y);
  return x;
};

class Rollback extends Error {}
/** Runs `fn` in a transaction that is rolled back (with the append-only triggers off when `raw`). */
async function rolledBack(fn: (tx: Tx) => Promise<void>, raw = false) {
  await db()
    .transaction(async (tx) => {
      if (raw) await tx.execute(sql`set local session_replication_role = replica`);
      await fn(tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
}
/** The error a statement fails with, inside a rolled-back savepoint. */
async function refusal(tx: Tx, q: ReturnType<typeof sql>): Promise<string> {
  try {
    await tx.transaction(async (sp) => {
      await sp.execute(q);
    });
    return 'no error';
  } catch (e) {
    const err = e as { message?: string; cause?: { message?: string } };
    return `${err.message ?? ''} ${err.cause?.message ?? ''}`;
  }
}

let base: Date;
let now: Date;
describe('audit retention: checkpointed prefix removal', () => {
  test('the retention matches the inventory and the job is scheduled daily', () => {
    const entry = dataInventory['audit_log.ip'];
    expect(entry?.personal && entry.retention).toContain(`kept ${AUDIT_RETENTION_YEARS} years`);
    expect(retentionJobs.map(([name]) => name)).toContain('platform.audit_prune');
  });

  test('without the anchor key nothing is removed; a retention under 180 days is refused', async () => {
    base = t.clock.now;
    await plant(7, base, 'old');
    await plant(2, yearsAfter(base, 2), 'young');
    now = new Date(yearsAfter(base, 3).getTime() + DAY);
    const before = (await rows()).length;
    await expect(pruneAuditLog({ ...deps(now), auditAnchor: undefined })).rejects.toThrow(AuditPruneError);
    await expect(pruneAuditLog(deps(now), { years: 0 })).rejects.toThrow(/180 days/);
    expect((await rows()).length).toBe(before);
    expect(await checkpoints()).toEqual([]);
  });

  test('removes exactly the rows past 3 years, as a prefix, after a signed checkpoint per batch sent to the sink', async () => {
    const all = await rows();
    const due = all.filter((r) => r.at.getTime() < base.getTime() + DAY);
    expect(due.length).toBeGreaterThanOrEqual(7);
    // Still inside the limit a day earlier: nothing goes.
    expect(await pruneAuditLog(deps(new Date(now.getTime() - 2 * DAY)), { batchSize: 3 })).toEqual({
      auditRows: 0,
      checkpoints: 0,
    });
    const result = await pruneAuditLog(deps(now), { batchSize: 3 });
    expect(result).toEqual({ auditRows: due.length, checkpoints: Math.ceil(due.length / 3) });
    const left = await rows();
    expect(left[0]!.seq).toBe(all[due.length]!.seq);
    expect(left.filter((r) => r.at.getTime() < base.getTime() + DAY)).toEqual([]);
    const cps = await checkpoints();
    expect(cps.length).toBe(result.checkpoints);
    const last = cps.at(-1)!;
    expect(last).toMatchObject({ n: due.length, lastSeq: due.at(-1)!.seq, hash: due.at(-1)!.hash });
    expect(last.sink).toMatch(/^dir:audit-anchors-\d{4}-\d{2}-\d{2}\.jsonl$/);
    expect(cps.reduce((s, c) => s + c.removed, 0)).toBe(due.length);

    // One summary row with counts only, the cut-off and no personal data.
    const [summary] = left
      .filter((r) => r.action === 'retention.run' && r.objectId === 'platform.audit_prune')
      .slice(-1);
    expect(summary!.detail).toEqual({
      auditRows: due.length,
      checkpoints: result.checkpoints,
      cutoff: new Date(base.getTime() + DAY).toISOString(),
    });

    // The chain verifies from the newest checkpoint; the sink's lines (checkpoints) verify against the chain.
    const report = await verifyAuditChain(db(), { keys: keys() });
    expect(report).toMatchObject({
      ok: true,
      problem: null,
      start: { n: due.length, seq: last.lastSeq, checkpoint: last.seq },
    });
    expect(report.checked).toBe(left.length);
    const lines = await t.app.auditAnchor.sink.read();
    expect(lines.filter((l) => l.text.includes('"checkpoint"')).length).toBe(cps.length);
    expect((await verifyAnchors(db(), lines, keys())).problems).toEqual([]);

    // The anchor job resumes from the checkpoint; its anchor verifies too. A second prune removes nothing.
    t.clock.now = now;
    const anchor = await t.app.auditAnchor.anchorNow();
    expect(anchor.n).toBe(due.length + report.checked);
    const after = await verifyAnchors(db(), await t.app.auditAnchor.sink.read(), keys());
    expect(after).toMatchObject({ ok: true, chainLength: anchor.n });
    expect(await pruneAuditLog(deps(now), { batchSize: 3 })).toEqual({ auditRows: 0, checkpoints: 0 });
  });

  test('a tampered or untrusted checkpoint, a hole after it and rows removed without one are all detected', async () => {
    const [first] = await rows();
    const cps = await checkpoints();
    const last = cps.at(-1)!;
    await rolledBack(async (tx) => {
      await tx.execute(
        sql`update audit_checkpoint set removed = removed + 1, n = n + 1 where seq = ${last.seq}`,
      );
      const r = await verifyAuditChain(tx, { keys: keys() });
      expect(r.ok).toBe(false);
      expect(r.problem).toMatchObject({ kind: 'checkpoint-forged' });
    }, true);
    const stranger = importSigningKey('intl', generateSigningKey('intl').privateKeyPem);
    expect((await verifyAuditChain(db(), { keys: [stranger] })).problem?.kind).toBe('checkpoint-unverified');
    // A hole right after the checkpoint: the first remaining row is gone.
    await rolledBack(async (tx) => {
      await tx.execute(sql`delete from audit_log where seq = ${first!.seq}`);
      const r = await verifyAuditChain(tx, { keys: keys() });
      expect(r.problem).toMatchObject({
        kind: 'prefix-removed',
        message: expect.stringContaining('after the checkpoint'),
      });
    }, true);
    // A hole further on: the row after it no longer links.
    const second = (await rows())[1]!;
    await rolledBack(async (tx) => {
      await tx.execute(sql`delete from audit_log where seq = ${second.seq}`);
      const r = await verifyAuditChain(tx, { keys: keys() });
      expect(r.firstBroken).toMatchObject({ reason: 'link-broken' });
    }, true);
    // Rows removed with no checkpoint (the checkpoints deleted too).
    await rolledBack(async (tx) => {
      await tx.execute(sql`delete from audit_checkpoint`);
      const r = await verifyAuditChain(tx, { keys: keys() });
      expect(r.problem).toMatchObject({
        kind: 'prefix-removed',
        message: expect.stringContaining('without a checkpoint'),
      });
    }, true);
    expect((await verifyAuditChain(db(), { keys: keys() })).ok).toBe(true);
  });

  test('the database refuses ordinary deletes, holes, a checkpoint that does not match, and changes to a checkpoint', async () => {
    const all = await rows();
    const [cp] = (await checkpoints()).slice(-1);
    await rolledBack(async (tx) => {
      expect(await refusal(tx, sql`delete from audit_log where seq = ${all[0]!.seq}`)).toMatch(/append-only/);
      expect(await refusal(tx, sql`delete from audit_log`)).toMatch(/append-only/);
      expect(await refusal(tx, sql`update audit_log set outcome = 'ok' where seq = ${all[0]!.seq}`)).toMatch(
        /append-only/,
      );
      // Naming an old checkpoint does not open the rows after it.
      await tx.execute(sql`select set_config('anxin.audit_prune', ${String(cp!.seq)}, true)`);
      expect(await refusal(tx, sql`delete from audit_log where seq = ${all[0]!.seq}`)).toMatch(/append-only/);
      expect(
        await refusal(tx, sql`update audit_checkpoint set signature = 'AAAA' where seq = ${cp!.seq}`),
      ).toMatch(/append-only/);
      expect(await refusal(tx, sql`delete from audit_checkpoint where seq = ${cp!.seq}`)).toMatch(
        /append-only/,
      );
      // A checkpoint naming a hash the chain does not have, or a wrong count.
      const row = all[2]!;
      const insert = (hash: string, removed: number) => sql`
        insert into audit_checkpoint (n, last_seq, hash, hash_alg, removed, first_at, last_at, at, suite, key_id, signature, sink)
        values (${cp!.n + removed}, ${row.seq}, ${hash}, ${row.hashAlg}, ${removed}, now(), now(), now(), 'intl', 'x', 'x', 'dir:?')`;
      expect(await refusal(tx, insert('f'.repeat(64), 3))).toMatch(/does not match/);
      expect(await refusal(tx, insert(row.hash, 2))).toMatch(/does not match/);
      // A matching checkpoint (unsigned: the verifier would reject it) lets only its prefix go, never a hole.
      await tx.execute(insert(row.hash, 3));
      const [fresh] = (await tx.select().from(auditCheckpoint).orderBy(asc(auditCheckpoint.seq))).slice(-1);
      await tx.execute(sql`select set_config('anxin.audit_prune', ${String(fresh!.seq)}, true)`);
      expect(await refusal(tx, sql`delete from audit_log where seq = ${all[1]!.seq}`)).toMatch(/prefix/);
      expect(await refusal(tx, sql`delete from audit_log where seq = ${all[3]!.seq}`)).toMatch(/append-only/);
      expect(await refusal(tx, sql`truncate audit_log`)).toMatch(/append-only/);
      expect(await refusal(tx, sql`select audit_prune(${fresh!.seq})`)).toBe('no error');
      expect((await tx.select().from(auditLog).orderBy(asc(auditLog.seq)))[0]!.seq).toBe(all[3]!.seq);
    });
    expect((await rows()).length).toBe(all.length);
  });
});
