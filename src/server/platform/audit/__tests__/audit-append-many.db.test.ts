import { asc, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { systemContext } from '../../http/context.js';
import { appendAudit, hashStoredRow, recordAudit, setAuditHashAlg, verifyAuditChain } from '../audit.js';
import { auditChainHead, auditLog } from '../audit.tables.js';

// Issue 13 (order flows): a step and the address read its response carries are one append — two rows, one head move,
// one statement — so the chain head is locked once per step, not twice. The rows must chain exactly as two appends.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());
afterEach(() => setAuditHashAlg('sha256'));

const ctx = systemContext('test');

describe.each(['sha256', 'sm3'] as const)('several entries in one append (%s)', (alg) => {
  test('one statement writes them in order, each linked to the one before; the head ends past the last', async () => {
    setAuditHashAlg(alg);
    await recordAudit(database.db, ctx, { action: 'test.before', objectId: alg });
    const statements: string[] = [];
    const counting = new Proxy(database.db, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (key !== 'execute') return v;
        return (q: Parameters<typeof target.execute>[0]) => {
          statements.push('execute');
          return target.execute(q);
        };
      },
    });
    const id = await appendAudit(
      counting,
      ctx,
      [
        { action: 'test.step', objectType: 'order', objectId: alg, detail: { to: 'accepted' } },
        { action: 'test.address_read', objectType: 'order', objectId: alg },
        { action: 'test.third', objectType: 'order', objectId: alg, detail: { n: 3 } },
      ],
      new Date('2026-11-30T01:00:00.123Z'),
    );
    // SHA-256: one statement; SM3 reads the head first (compare-and-set), then one statement.
    expect(statements).toHaveLength(alg === 'sha256' ? 1 : 2);
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(inArray(auditLog.action, ['test.step', 'test.address_read', 'test.third']))
      .orderBy(asc(auditLog.seq));
    const mine = rows.filter((r) => r.objectId === alg);
    expect(mine.map((r) => r.action)).toEqual(['test.step', 'test.address_read', 'test.third']);
    expect(mine[0]!.id).toBe(id);
    expect(mine.every((r) => r.hashAlg === alg)).toBe(true);
    expect(mine[1]!.seq).toBeGreaterThan(mine[0]!.seq);
    expect(mine[2]!.seq).toBeGreaterThan(mine[1]!.seq);
    expect(mine[1]!.prevHash).toBe(mine[0]!.hash);
    expect(mine[2]!.prevHash).toBe(mine[1]!.hash);
    for (const r of mine) expect(hashStoredRow(r.prevHash, r)).toBe(r.hash);
    const [head] = await database.db.select().from(auditChainHead);
    expect(head!.hash).toBe(mine[2]!.hash);
    // The head's prev_hash is where the append started: the row before the first of them.
    expect(head!.prevHash).toBe(mine[0]!.prevHash);
    // A later single append links to the last of them, and the whole chain verifies.
    await recordAudit(database.db, ctx, { action: 'test.after', objectId: alg });
    const report = await verifyAuditChain(database.db);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });
});

test('an empty list appends nothing and says so', async () => {
  await expect(appendAudit(database.db, ctx, [])).rejects.toThrow(RangeError);
});
