import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  dueAt,
  plantContract,
  type RetentionBase,
  retentionAudits,
  retentionBase,
  retentionDeps,
} from '../../../../../test/factories/retention.js';
import { purgeEndedContracts } from '../retention.js';

let t: TestApp;
let b: RetentionBase;
beforeAll(async () => {
  t = await buildTestApp();
  b = await retentionBase(t);
});
afterAll(async () => t?.close());

const rows = async (contractId: string) => {
  const n = async (table: string) =>
    Number(
      (
        await t.app.database.raw.query<{ n: number }>(
          `select count(*)::int n from ${table} where ${table === 'contract' ? 'id' : 'contract_id'} = $1`,
          [contractId],
        )
      )[0]!.n,
    );
  return [await n('contract'), await n('contract_revision'), await n('contract_signature')];
};

describe('contract retention (3 years after the contract ends)', () => {
  test('deletes ended contracts with revisions, signatures and stored files; keeps running and younger ones', async () => {
    const now = t.clock.now;
    const terminated = await plantContract(t, b, 'terminated', dueAt(now, 3, -1));
    const voided = await plantContract(t, b, 'void', dueAt(now, 3, -1));
    // Filed: ends with the last day of its term.
    const filedClosed = await plantContract(t, b, 'filed', dueAt(now, 3, -1));
    const filedRunning = await plantContract(t, b, 'filed', dueAt(now, -1, 0));
    const kept = await plantContract(t, b, 'terminated', dueAt(now, 3, 1));
    const signing = await plantContract(t, b, 'signing', dueAt(now, 6, 0));
    const before = (await retentionAudits(t, 'contracts.retention_purge')).length;

    expect(await purgeEndedContracts(retentionDeps(t, now, 2))).toEqual({ contracts: 3, files: 6 });
    for (const c of [terminated, voided, filedClosed]) {
      expect(await rows(c.contractId)).toEqual([0, 0, 0]);
      expect(await t.app.storage.exists(c.pdfKey)).toBe(false);
      expect(await t.app.storage.exists(c.signatureKey)).toBe(false);
    }
    for (const c of [filedRunning, kept, signing]) {
      expect(await rows(c.contractId)).toEqual([1, 1, 1]);
      expect(await t.app.storage.exists(c.pdfKey)).toBe(true);
      expect(await t.app.storage.exists(c.signatureKey)).toBe(true);
    }
    // The orders stay (their own retention anonymises them).
    const [o] = await t.app.database.raw.query<{ n: number }>(
      'select count(*)::int n from service_order where id = $1',
      [terminated.orderId],
    );
    expect(Number(o!.n)).toBe(1);

    expect(await purgeEndedContracts(retentionDeps(t, now))).toEqual({ contracts: 0, files: 0 });
    const audits = await retentionAudits(t, 'contracts.retention_purge');
    expect(audits.length).toBe(before + 2);
    expect(audits.at(-2)!.detail).toMatchObject({ contracts: 3, files: 6 });
    expect(JSON.stringify(audits)).not.toMatch(/ct_|contracts\/|留存/);

    expect(await purgeEndedContracts(retentionDeps(t, new Date(now.getTime() + 2 * 86_400_000)))).toEqual({
      contracts: 1,
      files: 2,
    });
    expect(await rows(filedRunning.contractId)).toEqual([1, 1, 1]);
    expect(await rows(signing.contractId)).toEqual([1, 1, 1]);
  });
});
