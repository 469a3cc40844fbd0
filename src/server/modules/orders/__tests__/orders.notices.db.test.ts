import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company } from '../../../../../test/factories/workers.js';
import { statementsOf } from '../../../../../test/support/statements.js';

// Issue 13: an order step tells the resident, the company and the worker in one insert (one per recipient before),
// and since the seventh pass that insert is a CTE of the step's own statement (one statement after the commit before).
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const HOUR = 3600_000;

describe('order notices', () => {
  test('each step stores all its recipients’ notices with one insert', async () => {
    const co = await company(t, '通知批量家政');
    const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
    const item = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${co.orgId}/service-items`,
      headers: { cookie: co.cookie },
      payload: { category: 'cleaning', mode: 'hourly', priceFen: 5000, title: '日常保洁（2小时起）' },
    });
    const resident = await account(t, [{ role: 'resident' }], '陈女士');
    const q = 15 * 60_000;
    const startAt = new Date(Math.ceil((t.clock.now.getTime() + 1.5 * HOUR) / q) * q).toISOString();
    const created = await statementsOf(t.database, () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { cookie: resident.cookie, 'idempotency-key': 'k-notices-1' },
        payload: {
          priceItemId: item.json().id,
          workerId: w.workerId,
          schedule: { mode: 'hourly', startAt, hours: 2 },
          address: '广州市天河区林和西路100号3栋1201',
          district: '440106',
        },
      }),
    );
    expect(created.result.statusCode, created.result.body).toBe(201);
    const id = created.result.json().id as string;
    const inserts = (statements: string[]) =>
      statements.filter((s) => s.includes('insert into "notification"')).length;
    expect(inserts(created.statements)).toBe(1);
    // The request's notice goes in the statement that inserts the order (with its history and audit row).
    expect(created.statements.find((s) => s.includes('insert into "notification"'))).toMatch(
      /o as \(insert into "service_order"/,
    );

    const parties = { resident: resident.cookie, company: co.cookie, worker: w.cookie };
    /** Who (of resident, company, worker) has a notice of this order step in their list. */
    const told = async (action: string) => {
      const out: string[] = [];
      for (const [party, cookie] of Object.entries(parties)) {
        const list = await t.app.inject({
          method: 'GET',
          url: '/api/v1/me/notifications',
          headers: { cookie },
        });
        const items = list.json().items as { kind: string; link: string | null; scope: string }[];
        const mine = items.filter((n) => n.kind === `order.${action}`);
        if (mine.length) out.push(`${party}:${mine.length}:${mine[0]!.scope}`);
      }
      return out;
    };
    expect(await told('requested')).toEqual(['company:1:organization']);

    const everyone = ['resident:1:personal', 'company:1:organization', 'worker:1:personal'];
    const steps: [string, string, string, string[]][] = [
      ['accept', co.cookie, 'accept', everyone],
      ['start', co.cookie, 'start', everyone.slice(0, 2)],
      ['confirm', resident.cookie, 'confirm', everyone],
    ];
    for (const [step, cookie, action, recipients] of steps) {
      const res = await statementsOf(t.database, () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/orders/${id}/${step}`,
          headers: { cookie },
          payload: {},
        }),
      );
      expect(res.result.statusCode, `${step}: ${res.result.body}`).toBe(200);
      expect(inserts(res.statements), step).toBe(1);
      // In the statement that moves the order, not after it.
      const stepStatement = res.statements.find((s) => s.includes('insert into "notification"'))!;
      expect(stepStatement.trim(), step).toMatch(/^with o as \(update "service_order"/);
      expect(await told(action), step).toEqual(recipients);
    }
  });
});
