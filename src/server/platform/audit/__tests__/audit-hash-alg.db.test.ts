import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../../../../../test/db.js';
import { anchorMessage, createAuditAnchorer } from '../../audit-anchor/audit-anchor.js';
import { createDirSink, readAnchorDir } from '../../audit-anchor/sink.js';
import { verifyAnchors } from '../../audit-anchor/verify-anchors.js';
import { generateSigningKey, importSigningKey, importVerifyKey } from '../../crypto-sign/index.js';
import type { Tx } from '../../db/client.js';
import { systemContext } from '../../http/context.js';
import {
  auditHashAlg,
  auditHashAlgOf,
  hashStoredRow,
  recordAudit,
  setAuditHashAlg,
  verifyAuditChain,
} from '../audit.js';
import { auditChainHead, auditLog } from '../audit.tables.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());
afterEach(() => setAuditHashAlg('sha256'));

const ctx = systemContext('test');
const add = async (n: number, tag: string) => {
  for (let i = 0; i < n; i++)
    await recordAudit(database.db, ctx, { action: 'test.alg', objectId: `${tag}${i}` });
};

class Rollback extends Error {}
/** Changes stored rows with the append-only triggers off, checks, then rolls back. */
async function tampered(fn: (tx: Tx) => Promise<void>, check: (tx: Tx) => Promise<void>) {
  await database.db
    .transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await fn(tx);
      await check(tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
}

describe('SM3 (GB/T 32905-2016) as Node computes it', () => {
  test('the standard test vectors', () => {
    expect(createHash('sm3').update('abc').digest('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    expect(createHash('sm3').update('abcd'.repeat(16)).digest('hex')).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  test('profiles map to hash functions', () => {
    expect(auditHashAlgOf('intl')).toBe('sha256');
    expect(auditHashAlgOf('gm')).toBe('sm3');
    expect(() => setAuditHashAlg('md5' as never)).toThrow(RangeError);
    expect(auditHashAlg()).toBe('sha256');
  });
});

describe('audit chain per crypto profile', () => {
  test('a chain that switches from SHA-256 to SM3 and back verifies end to end', async () => {
    await add(3, 'intl');
    setAuditHashAlg('sm3');
    await add(4, 'gm');
    const [head] = await database.db.select().from(auditChainHead);
    expect(head!.hashAlg).toBe('sm3');
    setAuditHashAlg('sha256');
    await add(2, 'back');

    const rows = await database.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    const algs = rows.map((r) => r.hashAlg);
    expect(algs.slice(-9)).toEqual([
      'sha256',
      'sha256',
      'sha256',
      'sm3',
      'sm3',
      'sm3',
      'sm3',
      'sha256',
      'sha256',
    ]);
    // The first SM3 row links to the last SHA-256 row's hash, and is SM3 over the same input.
    const firstSm3 = rows.findIndex((r) => r.hashAlg === 'sm3');
    expect(rows[firstSm3]!.prevHash).toBe(rows[firstSm3 - 1]!.hash);
    expect(rows[firstSm3]!.hash).toBe(hashStoredRow(rows[firstSm3 - 1]!.hash, rows[firstSm3]!));
    expect(hashStoredRow(rows[firstSm3 - 1]!.hash, { ...rows[firstSm3]!, hashAlg: 'sha256' })).not.toBe(
      rows[firstSm3]!.hash,
    );

    const report = await verifyAuditChain(database.db);
    expect(report.ok).toBe(true);
    expect(report.byAlg.sm3).toBeGreaterThanOrEqual(4);
    expect(report.byAlg.sha256).toBeGreaterThanOrEqual(5);
    expect(report.head?.hashAlg).toBe('sha256');
  });

  test('concurrent appends under SM3 still form one chain', async () => {
    setAuditHashAlg('sm3');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        recordAudit(database.db, ctx, { action: 'test.race', objectId: `r${i}` }),
      ),
    );
    const report = await verifyAuditChain(database.db);
    expect(report.ok).toBe(true);
    expect(report.head?.hashAlg).toBe('sm3');
  });

  test.each(['sha256', 'sm3'] as const)('a tampered %s row is found and named', async (alg) => {
    setAuditHashAlg(alg);
    await add(3, `t-${alg}`);
    const [victim] = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.objectId, `t-${alg}1`));
    expect(victim!.hashAlg).toBe(alg);
    await tampered(
      (tx) =>
        tx
          .update(auditLog)
          .set({ objectId: 'forged' })
          .where(eq(auditLog.seq, victim!.seq))
          .then(() => {}),
      async (tx) => {
        const r = await verifyAuditChain(tx);
        expect(r.ok).toBe(false);
        expect(r.firstBroken).toMatchObject({ seq: victim!.seq, reason: 'content-altered' });
      },
    );
    // Relabelling a row's algorithm (without recomputing everything after it) is caught too.
    await tampered(
      (tx) =>
        tx
          .update(auditLog)
          .set({ hashAlg: alg === 'sm3' ? 'sha256' : 'sm3' })
          .where(eq(auditLog.seq, victim!.seq))
          .then(() => {}),
      async (tx) => {
        const r = await verifyAuditChain(tx);
        expect(r.firstBroken).toMatchObject({ seq: victim!.seq, reason: 'content-altered' });
      },
    );
    // An algorithm the verifier does not accept is never trusted.
    await tampered(
      (tx) =>
        tx
          .update(auditLog)
          .set({ hashAlg: 'md5' })
          .where(eq(auditLog.seq, victim!.seq))
          .then(() => {}),
      async (tx) => {
        expect((await verifyAuditChain(tx)).firstBroken?.reason).toBe('content-altered');
      },
    );
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  test('anchors carry the hash function of the anchored row and verify across a switch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anxin-anchor-alg-'));
    const key = importSigningKey('gm', generateSigningKey('gm').privateKeyPem);
    const anchorer = createAuditAnchorer({ db: database.db, key, sink: createDirSink(dir) });
    setAuditHashAlg('sha256');
    await add(2, 'a1');
    const first = await anchorer.anchorNow();
    expect(first).toMatchObject({ v: 2, halg: 'sha256' });
    setAuditHashAlg('sm3');
    await add(2, 'a2');
    const second = await anchorer.anchorNow();
    expect(second).toMatchObject({ v: 2, halg: 'sm3' });
    const [stored] = await database.db
      .select()
      .from((await import('../../audit-anchor/audit-anchor.tables.js')).auditAnchor)
      .orderBy(sql`seq desc`)
      .limit(1);
    expect(stored!.hashAlg).toBe('sm3');

    const trusted = [importVerifyKey('gm', key.publicKeyPem)];
    const ok = await verifyAnchors(database.db, await readAnchorDir(dir), trusted);
    expect(ok.problems).toEqual([]);
    expect(ok.verified).toBe(2);

    // A line whose hash function was edited no longer verifies (the function is signed).
    const edited = { ...second, halg: 'sha256' as const };
    const lines = [{ file: 'x.jsonl', line: 1, text: JSON.stringify(edited) }];
    const bad = await verifyAnchors(database.db, lines, trusted);
    expect(bad.problems.map((p) => p.kind)).toEqual(['bad-signature']);
    // Re-signed with the wrong function, it is a mismatch with the chain.
    const { sig: _sig, alg: _alg, ...unsigned } = edited;
    const forged = { ...edited, sig: key.sign(anchorMessage(unsigned)).toString('base64') };
    const mismatch = await verifyAnchors(
      database.db,
      [{ file: 'y.jsonl', line: 1, text: JSON.stringify(forged) }],
      trusted,
    );
    expect(mismatch.problems.map((p) => p.kind)).toEqual(['head-mismatch']);
  });

  test('v1 anchor lines (before hash functions were recorded) still verify', async () => {
    setAuditHashAlg('sha256');
    await add(1, 'v1');
    const key = importSigningKey('intl', generateSigningKey('intl').privateKeyPem);
    const report = await verifyAuditChain(database.db);
    const rows = await database.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    const last = rows[rows.length - 1]!;
    const unsigned = {
      v: 1 as const,
      n: report.checked,
      seq: last.seq,
      head: last.hash,
      at: new Date().toISOString(),
      suite: 'intl' as const,
      kid: key.keyId,
    };
    const line = { ...unsigned, alg: 'Ed25519', sig: key.sign(anchorMessage(unsigned)).toString('base64') };
    const r = await verifyAnchors(
      database.db,
      [{ file: 'v1.jsonl', line: 1, text: JSON.stringify(line) }],
      [importVerifyKey('intl', key.publicKeyPem)],
    );
    expect(r.problems).toEqual([]);
    expect(r.verified).toBe(1);
  });
});
