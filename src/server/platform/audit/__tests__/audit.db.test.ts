import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../../../test/db.js';
import { systemContext } from '../../http/context.js';
import { appendAudit, hashRow, recordAudit, verifyAuditChain } from '../audit.js';
import { auditChainHead, auditLog } from '../audit.tables.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

const ctx = systemContext('test');

describe('audit chain', () => {
  test('rows link into a chain that verifies', async () => {
    for (let i = 0; i < 5; i++) {
      await recordAudit(database.db, ctx, {
        action: 'test.event',
        objectType: 'thing',
        objectId: `t${i}`,
        detail: { i, nested: { b: 1, a: [1, 2] } },
      });
    }
    const report = await verifyAuditChain(database.db);
    expect(report.ok).toBe(true);
    expect(report.checked).toBeGreaterThanOrEqual(5);
    expect(report.head?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the hash the database computes equals hashRow for awkward content', async () => {
    // Quotes, backslashes, Chinese, a non-BMP character, control characters, numbers and nested keys out of order.
    const detail = {
      z: 'a"b\\c',
      中文: '家政 安心',
      emoji: '𠮷😀',
      ctl: '\u0001\n\t',
      n: [1.5, -0, 1e21],
      o: { b: null, a: true },
    };
    const id = await recordAudit(database.db, { ...ctx, ip: '::1' }, { action: 'test.awkward', detail });
    const [row] = await database.db.select().from(auditLog).where(eq(auditLog.id, id));
    expect(row!.hash).toBe(
      hashRow(row!.prevHash, {
        id: row!.id,
        at: row!.at,
        actorId: row!.actorId,
        actorRoles: row!.actorRoles,
        action: row!.action,
        objectType: row!.objectType,
        objectId: row!.objectId,
        outcome: row!.outcome,
        requestId: row!.requestId,
        ip: row!.ip,
        detail: row!.detail ?? null,
      }),
    );
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  test('concurrent appends each link to exactly one predecessor', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction(async (tx) => {
          await appendAudit(tx, ctx, { action: 'test.concurrent', objectId: String(i) });
        }),
      ),
    );
    const report = await verifyAuditChain(database.db);
    expect(report.ok).toBe(true);
    const [head] = await database.db.select().from(auditChainHead);
    expect(head!.hash).toBe(report.head!.hash);
  });

  test('without its head row no audit row is written and the change fails', async () => {
    const fresh = await createTestDatabase();
    try {
      await fresh.db.delete(auditChainHead);
      await expect(recordAudit(fresh.db, ctx, { action: 'test.headless' })).rejects.toThrow(
        /audit chain head/,
      );
      expect(await fresh.db.select().from(auditLog).where(eq(auditLog.action, 'test.headless'))).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });

  test('an audit row written in a rolled-back transaction disappears with the change', async () => {
    const before = (await database.db.select().from(auditLog)).length;
    await expect(
      database.db.transaction(async (tx) => {
        await appendAudit(tx, ctx, { action: 'test.rollback' });
        throw new Error('business write failed');
      }),
    ).rejects.toThrow('business write failed');
    expect((await database.db.select().from(auditLog)).length).toBe(before);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  test('UPDATE and DELETE are refused by the database', async () => {
    await expect(database.db.update(auditLog).set({ action: 'forged' })).rejects.toThrow();
    await expect(database.db.delete(auditLog)).rejects.toThrow();
  });

  test('a tampered row is found and named', async () => {
    const rows = await database.db.select().from(auditLog).orderBy(auditLog.seq);
    const victim = rows[2]!;
    // A superuser bypassing the trigger: the chain must still expose the edit.
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.update(auditLog).set({ objectId: 'forged' }).where(eq(auditLog.seq, victim.seq));
    });
    const report = await verifyAuditChain(database.db);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toEqual({ seq: victim.seq, id: victim.id, reason: 'content-altered' });
  });

  test('a deleted row breaks the link of its successor', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 4; i++) await recordAudit(fresh.db, ctx, { action: 'e', objectId: String(i) });
      const rows = await fresh.db.select().from(auditLog).orderBy(auditLog.seq);
      await fresh.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.delete(auditLog).where(eq(auditLog.seq, rows[1]!.seq));
      });
      const report = await verifyAuditChain(fresh.db);
      expect(report.firstBroken).toEqual({ seq: rows[2]!.seq, id: rows[2]!.id, reason: 'link-broken' });
    } finally {
      await fresh.drop();
    }
  });
});
