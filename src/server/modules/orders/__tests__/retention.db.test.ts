import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  dueAt,
  plantDemand,
  plantOrder,
  type RetentionBase,
  retentionAudits,
  retentionBase,
  retentionDeps,
} from '../../../../../test/factories/retention.js';
import { ANONYMISED } from '../../../platform/retention.js';
import { anonymiseClosedOrders } from '../retention.js';

let t: TestApp;
let b: RetentionBase;
beforeAll(async () => {
  t = await buildTestApp();
  b = await retentionBase(t);
});
afterAll(async () => t?.close());

const order = async (id: string) => {
  const [o] = await t.app.database.raw.query<{
    address_enc: string;
    address_masked: string;
    note: string | null;
    state_reason: string | null;
    resident_user_id: string;
  }>(
    'select address_enc, address_masked, note, state_reason, total_fen, resident_user_id from service_order where id = $1',
    [id],
  );
  const [f] = await t.app.database.raw.query<{ notes: string | null }>(
    'select notes from follow_up where order_id = $1',
    [id],
  );
  return { ...o!, address: t.app.pii.decrypt(o!.address_enc, 'service_order.address'), followUp: f!.notes };
};
const demand = async (id: string) => {
  const [d] = await t.app.database.raw.query<Record<string, string>>(
    'select address_enc, address_masked, description from demand where id = $1',
    [id],
  );
  return { ...d!, address: t.app.pii.decrypt(d!.address_enc!, 'demand.address') };
};

describe('order and demand retention', () => {
  test('anonymises orders 3 years after close (with their demand) and lone demands a year after; keeps the rest', async () => {
    const now = t.clock.now;
    const dueOrder = await plantOrder(t, b, 'closed', dueAt(now, 3, -1));
    const dueCancelled = await plantOrder(t, b, 'cancelled', dueAt(now, 3, -1));
    const keptOrder = await plantOrder(t, b, 'closed', dueAt(now, 3, 1));
    const openOrder = await plantOrder(t, b, 'in_service', dueAt(now, 5, 0));
    const demandOfDue = await plantDemand(t, b, 'matched', dueAt(now, 4, 0), dueOrder);
    const demandOfKept = await plantDemand(t, b, 'matched', dueAt(now, 4, 0), keptOrder);
    const loneDue = await plantDemand(t, b, 'expired', dueAt(now, 1, -1));
    const loneKept = await plantDemand(t, b, 'expired', dueAt(now, 1, 1));
    const loneOpen = await plantDemand(t, b, 'open', dueAt(now, 2, 0));
    const before = (await retentionAudits(t, 'orders.retention_purge')).length;

    expect(await anonymiseClosedOrders(retentionDeps(t, now))).toEqual({ orders: 2, demands: 2 });
    for (const id of [dueOrder, dueCancelled]) {
      const o = await order(id);
      expect(o).toMatchObject({
        address: ANONYMISED,
        address_masked: ANONYMISED,
        note: null,
        state_reason: null,
      });
      expect(o.followUp).toBeNull();
      expect(o.resident_user_id).toBe(b.residentId); // the row stays for credit and insights
    }
    for (const id of [keptOrder, openOrder]) {
      const o = await order(id);
      expect(o.address).toBe('广州市越秀区留存路1号');
      expect(o.note).toBe('门铃坏了请敲门');
      expect(o.followUp).toBe('客户说很满意');
    }
    for (const id of [demandOfDue, loneDue])
      expect(await demand(id)).toMatchObject({
        address: ANONYMISED,
        address_masked: ANONYMISED,
        description: ANONYMISED,
      });
    for (const id of [demandOfKept, loneKept, loneOpen])
      expect(await demand(id)).toMatchObject({ address: '广州市越秀区留存路2号' });

    // Twice is a no-op.
    expect(await anonymiseClosedOrders(retentionDeps(t, now))).toEqual({ orders: 0, demands: 0 });
    const audits = await retentionAudits(t, 'orders.retention_purge');
    expect(audits.length).toBe(before + 2);
    expect(audits.at(-2)!.detail).toMatchObject({ orders: 2, demands: 2 });
    expect(JSON.stringify(audits)).not.toMatch(/留存|ord_|dmd_/);

    // Two days on the kept ones fall due; the open order and open demand never do.
    expect(await anonymiseClosedOrders(retentionDeps(t, new Date(now.getTime() + 2 * 86_400_000)))).toEqual({
      orders: 1,
      demands: 2,
    });
    expect((await order(openOrder)).address).toBe('广州市越秀区留存路1号');
    expect((await demand(loneOpen)).address).toBe('广州市越秀区留存路2号');
  });
});
