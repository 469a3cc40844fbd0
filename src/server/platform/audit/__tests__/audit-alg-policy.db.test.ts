import { asc, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import type { Tx } from '../../db/client.js';
import { systemContext } from '../../http/context.js';
import { piiProfileSwitch } from '../../pii/pii.tables.js';
import { appendAudit, hashStoredRow, setAuditHashAlg, verifyAuditChain } from '../audit.js';
import { auditLog } from '../audit.tables.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());
afterEach(() => setAuditHashAlg('sha256'));

const ctx = systemContext('test');
const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);
const add = async (n: number, when: Date, tag: string) => {
  for (let i = 0; i < n; i++)
    await database.db.transaction((tx) =>
      appendAudit(tx, ctx, { action: 'test.policy', objectId: `${tag}${i}` }, when),
    );
};

class Rollback extends Error {}
async function rolledBack(fn: (tx: Tx) => Promise<void>) {
  await database.db
    .transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await fn(tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
}

/** What an attacker with database access does: every row rehashed with SHA-256 in order, the head moved. */
async function rewriteInSha256(tx: Tx) {
  const rows = await tx.select().from(auditLog).orderBy(asc(auditLog.seq));
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const hash = hashStoredRow(prev, { ...r, prevHash: prev, hashAlg: 'sha256' })!;
    await tx.execute(
      sql`update audit_log set prev_hash = ${prev}, hash = ${hash}, hash_alg = 'sha256' where seq = ${r.seq}`,
    );
    prev = hash;
  }
  await tx.execute(sql`update audit_chain_head set hash = ${prev}, hash_alg = 'sha256' where id = 1`);
}

describe('国密: each row’s hash function against the recorded profile history', () => {
  test('SHA-256 before the switch, during the run and SM3 after it verify', async () => {
    await add(3, at(0), 'intl');
    await database.db.insert(piiProfileSwitch).values({
      toProfile: 'gm',
      status: 'done',
      cursor: {},
      counts: {},
      startedAt: at(10),
      updatedAt: at(20),
      finishedAt: at(20),
    });
    // A node not yet restarted while the run goes on.
    await add(1, at(15), 'rolling');
    setAuditHashAlg('sm3');
    await add(1, at(15), 'restarted');
    await add(3, at(30), 'gm');
    const report = await verifyAuditChain(database.db);
    expect(report).toMatchObject({ ok: true, problem: null, byAlg: { sha256: 4, sm3: 4 } });
  });

  test('a chain recomputed wholly in SHA-256 is refused, naming the first row after the switch and why', async () => {
    const rows = await database.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    const firstAfter = rows.find((r) => r.at.getTime() >= at(20).getTime())!;
    await rolledBack(async (tx) => {
      await rewriteInSha256(tx);
      const r = await verifyAuditChain(tx);
      expect(r.ok).toBe(false);
      expect(r.firstBroken).toBeNull();
      expect(r.problem).toMatchObject({ kind: 'hash-alg', seq: firstAfter.seq });
      expect(r.problem!.message).toMatch(/sha256.*gm profile.*SM3.*recomputed with SHA-256/);
      // The rows' own hashes and links hold: only the profile history shows the rewrite.
      expect(r.checked).toBe(rows.indexOf(firstAfter));
    });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  test('a baseline on gm (first start on the 国密 profile) makes every later row SM3; a later switch to intl frees them', async () => {
    await database.db.insert(piiProfileSwitch).values({
      toProfile: 'gm',
      status: 'baseline',
      cursor: {},
      counts: {},
      startedAt: at(40),
      updatedAt: at(40),
      finishedAt: at(40),
    });
    await add(1, at(41), 'sha-after-baseline');
    const r = await verifyAuditChain(database.db);
    expect(r.problem).toMatchObject({ kind: 'hash-alg' });
    expect(r.problem!.message).toContain('started on the gm profile');
    await database.db.insert(piiProfileSwitch).values({
      toProfile: 'intl',
      status: 'running',
      cursor: {},
      counts: {},
      startedAt: at(41),
      updatedAt: at(41),
    });
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
