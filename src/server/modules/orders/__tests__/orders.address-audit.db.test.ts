import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { statementsOf } from '../../../../../test/support/statements.js';
import { verifyAuditChain } from '../../../platform/audit/audit.js';

// Issue 13 (order flows, sixth pass): a step answered with the order's detail records the address read that detail
// shows (company, assigned worker) in the step's own audit append — two rows, one statement, one chain-head lock —
// instead of a second append after commit. The read must still be recorded, as its own row right after the step's.
let t: TestApp;
let co: Awaited<ReturnType<typeof company>>;
let w: Awaited<ReturnType<typeof certifiedWorker>>['w'];
let itemId: string;
let resident: Awaited<ReturnType<typeof account>>;
const HOUR = 3600_000;
let slot = 0;

beforeAll(async () => {
  t = await buildTestApp();
  const regulator = await account(t, [{ role: 'regulator' }]);
  co = await company(t, '地址审计家政');
  ({ w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co }));
  const item = await t.app.inject({
    method: 'POST',
    url: `/api/v1/orgs/${co.orgId}/service-items`,
    headers: { cookie: co.cookie },
    payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（2小时起）' },
  });
  itemId = item.json().id as string;
  resident = await account(t, [{ role: 'resident' }], '周女士');
});
afterAll(async () => t?.close());

async function requestOrder(hoursAhead: number): Promise<string> {
  const q = 15 * 60_000;
  slot++;
  const startAt = new Date(Math.ceil((t.clock.now.getTime() + hoursAhead * HOUR) / q) * q).toISOString();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { cookie: resident.cookie, 'idempotency-key': `k-addr-${slot}-${Date.now()}` },
    payload: {
      priceItemId: itemId,
      workerId: w.workerId,
      schedule: { mode: 'hourly', startAt, hours: 2 },
      address: '广州市越秀区东风中路300号5楼',
      district: '440104',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const stepOf = (orderId: string, action: string, cookie: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1/orders/${orderId}/${action}`, headers: { cookie }, payload });

async function auditRows(orderId: string) {
  return (
    (await t.database.db.execute(sql`select seq, action, actor_id, request_id, prev_hash, hash from audit_log
      where object_type = 'order' and object_id = ${orderId} order by seq`)) as unknown as {
      rows: {
        seq: number;
        action: string;
        actor_id: string | null;
        request_id: string | null;
        prev_hash: string;
        hash: string;
      }[];
    }
  ).rows;
}

/** Statements that move the audit chain's head (one per append). */
const appends = (statements: string[]) => statements.filter((s) => /update\s+audit_chain_head/i.test(s));

describe('address reads of a step’s response', () => {
  test('accept (company) and start (worker) append once each, their address read chained right after the step’s row; confirm (resident) records none', async () => {
    const id = await requestOrder(1.5);
    const expected: Record<string, string[]> = {
      accept: ['order.accept', 'order.address_read'],
      start: ['order.start', 'order.address_read'],
      confirm: ['order.confirm'],
    };
    for (const [action, cookie] of [
      ['accept', co.cookie],
      ['start', w.cookie],
      ['confirm', resident.cookie],
    ] as const) {
      const before = (await auditRows(id)).length;
      const { result, statements } = await statementsOf(t.database, () => stepOf(id, action, cookie));
      expect(result.statusCode, `${action}: ${result.body}`).toBe(200);
      // The response still carries the full address to the company and the worker (and the resident).
      expect(result.json().address).toBe('广州市越秀区东风中路300号5楼');
      // PGlite sends a prepared text once, then binds it by name: count the appends on both engines by their text.
      expect(appends(statements), action).toHaveLength(1);
      const added = (await auditRows(id)).slice(before);
      expect(
        added.map((r) => r.action),
        action,
      ).toEqual(expected[action]);
      if (added.length === 2) {
        const [own, read] = added as [(typeof added)[0], (typeof added)[0]];
        expect(read.prev_hash).toBe(own.hash);
        expect(Number(read.seq)).toBeGreaterThan(Number(own.seq));
        expect(read.actor_id).toBe(own.actor_id);
        expect(read.request_id).toBe(own.request_id);
      }
    }
    const chain = await verifyAuditChain(t.database.db);
    expect(chain.ok, JSON.stringify(chain.firstBroken)).toBe(true);
  });

  test('a refused step records no address read; a plain read by the company records one, on its own', async () => {
    const id = await requestOrder(4);
    const before = await auditRows(id);
    const refused = await stepOf(id, 'start', co.cookie);
    expect(refused.statusCode).toBe(409);
    expect(await auditRows(id)).toEqual(before);
    const { result, statements } = await statementsOf(t.database, () =>
      t.app.inject({ method: 'GET', url: `/api/v1/orders/${id}`, headers: { cookie: co.cookie } }),
    );
    expect(result.statusCode).toBe(200);
    expect(appends(statements)).toHaveLength(1);
    expect((await auditRows(id)).slice(before.length).map((r) => r.action)).toEqual(['order.address_read']);
  });

  test('decline and cancel by the company: one append each, the read with the step', async () => {
    const a = await requestOrder(20);
    const declined = await statementsOf(t.database, () =>
      stepOf(a, 'decline', co.cookie, { reason: '人手不足' }),
    );
    expect(declined.result.statusCode, declined.result.body).toBe(200);
    expect(appends(declined.statements)).toHaveLength(1);
    expect((await auditRows(a)).map((r) => r.action)).toEqual([
      'order.request',
      'order.decline',
      'order.address_read',
    ]);
    const b = await requestOrder(30);
    const cancelled = await statementsOf(t.database, () =>
      stepOf(b, 'cancel', co.cookie, { reason: '家政员请假' }),
    );
    expect(cancelled.result.statusCode, cancelled.result.body).toBe(200);
    expect(appends(cancelled.statements)).toHaveLength(1);
    expect((await auditRows(b)).map((r) => r.action)).toEqual([
      'order.request',
      'order.cancel',
      'order.address_read',
    ]);
  });
});
