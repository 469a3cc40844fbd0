import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, certifiedWorker, company, day } from '../../../../../test/factories/workers.js';
import { demand, demandOffer, serviceOrder } from '../orders.tables.js';

// Demand list (需求发布) → company offers → the resident accepts one → an accepted order; a station refers a
// demand (转介) to a company in another district and sees the outcome; follow-ups land with the station.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const inject = (
  method: 'GET' | 'POST',
  url: string,
  cookie?: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    ...(payload ? { payload } : {}),
  });

async function station(district: string) {
  const { orgs } = t.app.services;
  const orgId = await orgs.createOrganization(t.database.db, {
    type: 'station',
    name: '林和街基层服务站',
    district,
    status: 'active',
  });
  const a = await account(t, [], '站长');
  await orgs.addMember(t.database.db, { orgId, userId: a.userId, role: 'staff' });
  const login = await inject('POST', '/api/v1/auth/login/password', undefined, {
    phone: a.phone,
    password: 'Factory2026pass',
  });
  return { orgId, cookie: String(login.headers['set-cookie']).split(';')[0]! };
}

async function companyWithWorker(district = '440106') {
  const co = await company(t, '需求测试家政', { district, serviceCategories: ['cleaning'] });
  const { w } = await certifiedWorker(t, { regulatorCookie: regulator.cookie, employer: co });
  const item = await inject('POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
    category: 'cleaning',
    mode: 'recurring',
    priceFen: 4500,
    title: '每周两次保洁',
  });
  expect(item.statusCode).toBe(201);
  return { co, w, itemId: item.json().id as string };
}

const need = {
  category: 'cleaning',
  mode: 'recurring',
  district: '440106',
  address: '广州市天河区天河北路200号5楼',
  budgetMinFen: 4000,
  budgetMaxFen: 6000,
  description: '每周二、周五上午打扫三房两厅，家有老人',
};
const schedule = () => ({
  mode: 'recurring',
  startDate: day(t, 3),
  weekdays: [2, 5],
  startTime: '09:00',
  hours: 3,
  weeks: 4,
});

describe('demands, offers and referrals', () => {
  test('post → a station refers it → the company offers → the resident accepts → an accepted order; others lapse', async () => {
    const resident = await account(t, [{ role: 'resident' }], '黄先生');
    const posted = await inject('POST', '/api/v1/demands', resident.cookie, {
      ...need,
      schedule: schedule(),
    });
    expect(posted.statusCode).toBe(201);
    const d = posted.json();
    expect(d).toMatchObject({ state: 'open', address: need.address, offers: [] });

    // Companies in the district serving the category see it; the station of the district too.
    const local = await companyWithWorker();
    const feed = await inject('GET', `/api/v1/orgs/${local.co.orgId}/demands`, local.co.cookie);
    const seen = feed.json().items.find((i: { id: string }) => i.id === d.id);
    expect(seen).toMatchObject({
      referred: false,
      offered: false,
      addressMasked: expect.not.stringContaining('5楼'),
    });
    expect(seen.address).toBeUndefined();

    const st = await station('440106');
    const area = await inject('GET', `/api/v1/orgs/${st.orgId}/area-demands`, st.cookie);
    expect(area.json().items.map((i: { id: string }) => i.id)).toContain(d.id);

    // A company from another district does not see it until the station refers it.
    const far = await companyWithWorker('440105');
    const before = await inject('GET', `/api/v1/orgs/${far.co.orgId}/demands`, far.co.cookie);
    expect(before.json().items.map((i: { id: string }) => i.id)).not.toContain(d.id);
    const ref = await inject('POST', `/api/v1/orgs/${st.orgId}/area-demands/${d.id}/referrals`, st.cookie, {
      companyId: far.co.orgId,
      note: '该企业口碑好',
    });
    expect(ref.statusCode).toBe(201);
    const dup = await inject('POST', `/api/v1/orgs/${st.orgId}/area-demands/${d.id}/referrals`, st.cookie, {
      companyId: far.co.orgId,
    });
    expect(dup.json().code).toBe('REFERRAL_NOT_ALLOWED');
    const after = await inject('GET', `/api/v1/orgs/${far.co.orgId}/demands`, far.co.cookie);
    expect(after.json().items.find((i: { id: string }) => i.id === d.id)).toMatchObject({ referred: true });

    // Both companies offer; an offer with another company's worker or price is refused.
    const bad = await inject(
      'POST',
      `/api/v1/orgs/${local.co.orgId}/demands/${d.id}/offers`,
      local.co.cookie,
      {
        workerId: far.w.workerId,
        priceItemId: local.itemId,
      },
    );
    expect(bad.json().code).toBe('ORDER_WORKER_NOT_OFFERED');
    const badItem = await inject(
      'POST',
      `/api/v1/orgs/${local.co.orgId}/demands/${d.id}/offers`,
      local.co.cookie,
      {
        workerId: local.w.workerId,
        priceItemId: far.itemId,
      },
    );
    expect(badItem.json().code).toBe('ORDER_PRICE_ITEM_INVALID');
    const o1 = await inject(
      'POST',
      `/api/v1/orgs/${local.co.orgId}/demands/${d.id}/offers`,
      local.co.cookie,
      {
        workerId: local.w.workerId,
        priceItemId: local.itemId,
        message: '阿姨做事麻利',
      },
    );
    expect(o1.statusCode).toBe(201);
    const twice = await inject(
      'POST',
      `/api/v1/orgs/${local.co.orgId}/demands/${d.id}/offers`,
      local.co.cookie,
      {
        workerId: local.w.workerId,
        priceItemId: local.itemId,
      },
    );
    expect(twice.json().code).toBe('DEMAND_OFFER_EXISTS');
    const o2 = await inject('POST', `/api/v1/orgs/${far.co.orgId}/demands/${d.id}/offers`, far.co.cookie, {
      workerId: far.w.workerId,
      priceItemId: far.itemId,
    });
    expect(o2.statusCode).toBe(201);
    expect(o2.json()).toMatchObject({
      referred: true,
      priceFen: 4500,
      worker: { name: expect.stringContaining('*') },
    });

    const mine = await inject('GET', `/api/v1/demands/${d.id}`, resident.cookie);
    expect(mine.json().offers).toHaveLength(2);

    // Another resident cannot accept it; the resident accepts the referred company's offer, idempotently.
    const stranger = await account(t);
    expect(
      (await inject('POST', `/api/v1/demand-offers/${o2.json().id}/accept`, stranger.cookie, {})).statusCode,
    ).toBe(404);
    const key = { 'idempotency-key': `accept-${d.id}` };
    const acc = await inject(
      'POST',
      `/api/v1/demand-offers/${o2.json().id}/accept`,
      resident.cookie,
      {},
      key,
    );
    expect(acc.statusCode).toBe(201);
    const replay = await inject(
      'POST',
      `/api/v1/demand-offers/${o2.json().id}/accept`,
      resident.cookie,
      {},
      key,
    );
    expect(replay.json().id).toBe(acc.json().id);
    const order = acc.json();
    expect(order).toMatchObject({
      state: 'accepted',
      visits: 8,
      quantity: 24,
      totalFen: 108_000,
      demandId: d.id,
    });
    expect(order.worker.id).toBe(far.w.workerId);
    expect(order.bookings).toHaveLength(8);
    expect(
      await t.database.db.select().from(serviceOrder).where(eq(serviceOrder.demandId, d.id)),
    ).toHaveLength(1);

    const [stored] = await t.database.db.select().from(demand).where(eq(demand.id, d.id));
    expect(stored).toMatchObject({ state: 'matched', orderId: order.id });
    const offers = await t.database.db.select().from(demandOffer).where(eq(demandOffer.demandId, d.id));
    expect(offers.map((o) => o.state).sort()).toEqual(['accepted', 'rejected']);
    const late = await inject('POST', `/api/v1/demand-offers/${o1.json().id}/accept`, resident.cookie, {});
    expect(late.json().code).toBe('DEMAND_NOT_OPEN');

    // The station sees the outcome of its referral, and the order (it came through the referral).
    const outcomes = await inject('GET', `/api/v1/orgs/${st.orgId}/referrals`, st.cookie);
    expect(outcomes.json().items[0]).toMatchObject({
      offerState: 'accepted',
      order: { id: order.id, state: 'accepted' },
    });
    const asStation = await inject('GET', `/api/v1/orders/${order.id}`, st.cookie);
    expect(asStation.json()).toMatchObject({ relation: 'station', address: null });

    // Completion gives the station its own follow-up.
    // An hour before the first visit, when the company may mark it started.
    const shift = Date.parse(order.serviceStart) - t.clock.now.getTime() - 3600_000;
    t.clock.advance(shift);
    try {
      const started = await inject('POST', `/api/v1/orders/${order.id}/start`, far.co.cookie, {});
      expect(started.json().state).toBe('in_service');
      const done = await inject('POST', `/api/v1/orders/${order.id}/confirm`, resident.cookie, {});
      expect(
        done
          .json()
          .followUps.map((f: { assigneeKind: string }) => f.assigneeKind)
          .sort(),
      ).toEqual(['company', 'station']);
      const tasks = await inject('GET', `/api/v1/orgs/${st.orgId}/follow-ups`, st.cookie);
      const task = tasks.json().items.find((i: { orderId: string }) => i.orderId === order.id);
      expect(task).toMatchObject({ assigneeKind: 'station', state: 'pending' });
      const wrong = await inject('POST', `/api/v1/follow-ups/${task.id}`, far.co.cookie, {
        reached: true,
        satisfaction: 5,
      });
      expect(wrong.statusCode).toBe(404);
      const noScore = await inject('POST', `/api/v1/follow-ups/${task.id}`, st.cookie, { reached: true });
      expect(noScore.statusCode).toBe(422);
      const ok = await inject('POST', `/api/v1/follow-ups/${task.id}`, st.cookie, {
        reached: true,
        satisfaction: 4,
        notes: '满意',
      });
      expect(ok.json()).toMatchObject({ state: 'done', satisfaction: 4 });
    } finally {
      t.clock.advance(-shift);
    }
  });

  test('bad demands are refused and store nothing; a withdrawn demand takes no offers', async () => {
    const resident = await account(t);
    const count = async () =>
      (await t.database.db.select().from(demand).where(eq(demand.residentUserId, resident.userId))).length;
    const bad: [object, string][] = [
      [{ ...need, category: 'astrology', schedule: schedule() }, 'VALIDATION_FAILED'],
      // A week and a day back: the first Tuesday or Friday from then has passed whatever today is (from two days back
      // it had not on Mondays after midnight Shanghai).
      [{ ...need, schedule: { ...schedule(), startDate: day(t, -8) } }, 'ORDER_SLOT_IN_PAST'],
      [{ ...need, mode: 'live_in', schedule: schedule() }, 'ORDER_BAD_SCHEDULE'],
      [{ ...need, budgetMinFen: 9000, budgetMaxFen: 100, schedule: schedule() }, 'VALIDATION_FAILED'],
      [{ ...need, budgetMinFen: -5, schedule: schedule() }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of bad) {
      const res = await inject('POST', '/api/v1/demands', resident.cookie, body);
      expect({ code: res.json().code, status: res.statusCode }).toEqual({ code, status: 422 });
    }
    expect(await count()).toBe(0);

    const d = (
      await inject('POST', '/api/v1/demands', resident.cookie, { ...need, schedule: schedule() })
    ).json();
    const w = await inject('POST', `/api/v1/demands/${d.id}/withdraw`, resident.cookie, {});
    expect(w.json().state).toBe('withdrawn');
    const { co, w: worker, itemId } = await companyWithWorker();
    const offer = await inject('POST', `/api/v1/orgs/${co.orgId}/demands/${d.id}/offers`, co.cookie, {
      workerId: worker.workerId,
      priceItemId: itemId,
    });
    expect(offer.json().code).toBe('DEMAND_NOT_OPEN');
    // A station outside the district may not refer it.
    const st = await station('440105');
    const ref = await inject('POST', `/api/v1/orgs/${st.orgId}/area-demands/${d.id}/referrals`, st.cookie, {
      companyId: co.orgId,
    });
    expect(ref.json().code).toBe('REFERRAL_NOT_ALLOWED');
  });
});
