import type { ServiceMode } from '../../../shared/domain.js';
import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { createDemandsService, type DemandsDeps } from './demands.service.js';
import { createOrdersService, type OrdersDeps } from './orders.service.js';
import type { Schedule } from './schedule.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A price item of the company, as the catalog publishes it. */
export interface SeedItem {
  id: string;
  category: string;
  mode: ServiceMode;
  unit: string;
}

/** A green worker of the company with the categories they serve. */
export interface SeedWorker {
  id: string;
  categories: string[];
}

export interface OrdersSeedInput {
  /** The orders and demands services' dependencies; the seed brings its own clock. */
  ordersDeps: Omit<OrdersDeps, 'clock'>;
  demandsDeps: Omit<DemandsDeps, 'clock' | 'orders'>;
  now: Date;
  /** The demo company: its id, its admin's user id, its current price items and green workers. */
  company: { id: string; name: string; adminUserId: string; items: SeedItem[]; workers: SeedWorker[] };
  /** The demo worker's id (first in the agenda), when that account is one of the company's green workers. */
  demoWorkerId: string | null;
  /** The demo resident first, then others; each with a home in `district`. */
  residents: { userId: string; name: string }[];
  /** The demo station and its district (demands there are referred to the demo company). */
  station: { id: string; name: string; district: string; userId: string } | null;
}

export interface OrdersSeedResult {
  orders: Record<string, number>;
  demands: number;
  offers: number;
  referrals: number;
  followUps: { done: number; pending: number };
}

const COMPANY_DISTRICT_ADDRESSES = [
  '广东省广州市天河区体育西路191号中石化大厦B座1203房',
  '广东省广州市天河区天河北路233号中信广场公寓2806房',
  '广东省广州市天河区林和西路9号耀中广场A座1705房',
  '广东省广州市天河区华夏路16号富力盈凯公寓3302房',
];
const STATION_ADDRESSES = [
  '广东省广州市荔湾区中山七路50号西门口广场1508房',
  '广东省广州市荔湾区龙津西路88号3栋601房',
];

/** `YYYY-MM-DD` in Asia/Shanghai of an instant. */
const shanghaiDay = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 10);
/** An instant on a Shanghai day at HH:MM, as ISO with +08:00. */
const at = (t: number, hhmm: string) => `${shanghaiDay(t)}T${hhmm}:00+08:00`;
/** The quarter hour at or after an instant. */
const quarterUp = (t: number) => Math.ceil(t / (15 * MIN)) * 15 * MIN;

/**
 * Demo orders through the real orders and demands services, on a clock the seed moves: orders in every state for
 * the demo resident and company (requests waiting on the dispatch board, one in service, completed and closed ones
 * with follow-ups, declined, cancelled and expired ones, a recurring, a live-in and a 月嫂 booking), open demands
 * with and without offers, and a station's referrals (one completed with the station's follow-up pending). Every
 * booked period is distinct in time, so no worker is double booked.
 */
export async function seedOrders(input: OrdersSeedInput): Promise<OrdersSeedResult> {
  const base = input.now.getTime();
  let clockAt = base;
  const clock = () => new Date(clockAt);
  const orders = createOrdersService({ ...input.ordersDeps, clock });
  const demands = createDemandsService({ ...input.demandsDeps, clock, orders });
  const counts: Record<string, number> = {};
  const done = (state: string) => {
    counts[state] = (counts[state] ?? 0) + 1;
  };

  const actor = (userId: string, name: string, extra: Partial<Actor>): RequestContext => ({
    actor: {
      userId,
      sessionId: 'seed',
      name,
      phoneMasked: '',
      roles: [],
      memberships: [],
      regulatorDistrict: null,
      ...extra,
    },
    requestId: 'sys-seed-orders',
    ip: null,
  });
  const residentCtx = (i: number) => {
    const r = input.residents[i % input.residents.length]!;
    return actor(r.userId, r.name, { roles: ['resident'] });
  };
  const company = input.company;
  const companyCtx = actor(company.adminUserId, 'seed', {
    roles: ['company_admin'],
    memberships: [{ orgId: company.id, orgName: company.name, orgType: 'company', role: 'admin' }],
  });
  const station = input.station;
  const stationCtx = station
    ? actor(station.userId, 'seed', {
        roles: ['station_staff'],
        memberships: [{ orgId: station.id, orgName: station.name, orgType: 'station', role: 'staff' }],
      })
    : null;

  /** A price item of this mode and a green worker serving its category (the demo worker first when asked). */
  const match = (modes: ServiceMode[], preferDemo = false) => {
    const items = company.items.filter((i) => modes.includes(i.mode));
    const demo = company.workers.find((w) => w.id === input.demoWorkerId);
    const forDemo = preferDemo && demo ? items.find((i) => demo.categories.includes(i.category)) : undefined;
    if (forDemo && demo) return { item: forDemo, workerId: demo.id };
    for (const item of items) {
      const w = company.workers.find((x) => x.categories.includes(item.category));
      if (w) return { item, workerId: w.id };
    }
    return null;
  };
  const hourly = match(['hourly'], true);
  if (!hourly)
    return { orders: counts, demands: 0, offers: 0, referrals: 0, followUps: { done: 0, pending: 0 } };

  const hourlySchedule = (t: number, hhmm: string, hours = 2): Schedule => ({
    mode: 'hourly',
    startAt: at(t, hhmm),
    hours,
  });
  const book = async (
    ri: number,
    m: { item: SeedItem; workerId: string },
    schedule: Schedule,
    createdAt: number,
    note?: string,
  ) => {
    clockAt = createdAt;
    return orders.create(residentCtx(ri), {
      priceItemId: m.item.id,
      workerId: m.workerId,
      schedule,
      address: COMPANY_DISTRICT_ADDRESSES[ri % COMPANY_DISTRICT_ADDRESSES.length]!,
      district: '440106',
      note: note ?? null,
    });
  };
  const startOf = (o: { serviceStart: string }) => new Date(o.serviceStart).getTime();
  let followDone = 0;
  let followPending = 0;
  /** Accept → start → confirm, then optionally the company's follow-up (which closes the order). */
  const serve = async (
    o: { id: string; serviceStart: string; serviceEnd: string },
    opts: { confirm: boolean; followUp?: { satisfaction: number; notes: string } },
  ) => {
    clockAt = Math.max(clockAt + 20 * MIN, startOf(o) - 90 * MIN);
    await orders.start(companyCtx, o.id);
    if (!opts.confirm) return;
    clockAt = new Date(o.serviceEnd).getTime() + 2 * HOUR;
    const confirmed = await orders.confirm(residentCtx(0), o.id);
    const companyFollowUp = confirmed.followUps.find((f) => f.assigneeKind === 'company');
    if (opts.followUp && companyFollowUp) {
      clockAt += DAY;
      await orders.recordFollowUp(companyCtx, companyFollowUp.id, {
        reached: true,
        satisfaction: opts.followUp.satisfaction,
        notes: opts.followUp.notes,
      });
      followDone++;
      followPending += confirmed.followUps.length - 1;
    } else followPending += confirmed.followUps.length;
  };

  // Expired first: the due-job runs while it is the only order due.
  {
    // Booked 18 hours before its slot: measured from the slot, not from now, or the slot would be under an hour
    // away (or past) when the seed runs between 21:00 and midnight in Shanghai.
    const slotStart = Date.parse(at(base - 6 * DAY, '10:00'));
    const o = await book(1, hourly, hourlySchedule(base - 6 * DAY, '10:00'), slotStart - 18 * HOUR);
    clockAt = new Date(o.expiresAt!).getTime() + MIN;
    await orders.runDue({ actor: null, requestId: 'sys-seed-orders', ip: null });
    done('expired');
  }
  // Closed: served, confirmed, followed up (满意度 5).
  {
    const o = await book(0, hourly, hourlySchedule(base - 11 * DAY, '10:00', 3), base - 12 * DAY);
    clockAt += 30 * MIN;
    await orders.accept(companyCtx, o.id, { workerId: hourly.workerId });
    await serve(o, { confirm: true, followUp: { satisfaction: 5, notes: '居民表示阿姨准时、打扫干净' } });
    done('closed');
  }
  // Completed, the company's follow-up pending.
  {
    const o = await book(0, hourly, hourlySchedule(base - 3 * DAY, '15:00'), base - 4 * DAY);
    clockAt += 2 * HOUR;
    await orders.accept(companyCtx, o.id, { workerId: hourly.workerId });
    await serve(o, { confirm: true });
    done('completed');
  }
  // In service now: started half an hour ago, ends in two and a half hours.
  {
    const start = quarterUp(base - HOUR);
    const o = await book(
      0,
      hourly,
      { mode: 'hourly', startAt: new Date(start).toISOString(), hours: 3 },
      base - DAY,
    );
    clockAt += HOUR;
    await orders.accept(companyCtx, o.id, { workerId: hourly.workerId });
    clockAt = start - 30 * MIN;
    await orders.start(companyCtx, o.id);
    clockAt = base;
    done('in_service');
  }
  // Later today (or just after midnight): accepted; the worker can start it two hours before.
  {
    // After the recurring order's first visit below (which ends by now + 4½ h).
    const start = quarterUp(base + 4 * HOUR + 30 * MIN);
    const o = await book(
      2,
      hourly,
      { mode: 'hourly', startAt: new Date(start).toISOString(), hours: 2 },
      base - 5 * HOUR,
      '家里有猫，请随手关门',
    );
    clockAt = base - 4 * HOUR;
    await orders.accept(companyCtx, o.id, { workerId: hourly.workerId });
    done('accepted');
  }
  // Accepted for the day after tomorrow.
  {
    const o = await book(0, hourly, hourlySchedule(base + 2 * DAY, '10:00', 3), base - 2 * HOUR);
    clockAt += 30 * MIN;
    await orders.accept(companyCtx, o.id, { workerId: hourly.workerId });
    done('accepted');
  }
  // Declined and cancelled (no time held after).
  {
    const o = await book(1, hourly, hourlySchedule(base + DAY, '08:00'), base - 3 * HOUR);
    clockAt += HOUR;
    await orders.decline(companyCtx, o.id, { reason: '该时段家政员已有安排，建议改约下午' });
    done('declined');
    const c = await book(0, hourly, hourlySchedule(base + 5 * DAY, '15:00'), base - 2 * DAY);
    clockAt += HOUR;
    await orders.accept(companyCtx, c.id, { workerId: hourly.workerId });
    clockAt += HOUR;
    await orders.cancel(residentCtx(0), c.id, { reason: '临时出差，改天再约' });
    done('cancelled');
  }
  // Requests waiting on the dispatch board (待接单), from three residents.
  clockAt = base - 25 * MIN;
  for (const [ri, day, time] of [
    [0, 1, '10:00'],
    [1, 1, '14:00'],
    [2, 2, '16:00'],
  ] as const) {
    await book(ri, hourly, hourlySchedule(base + day * DAY, time), base - (25 - ri * 5) * MIN);
    done('requested');
  }
  // Recurring weekly cleaning, accepted: two visits a week for four weeks, the first later today (the demo worker
  // can start it from their agenda two hours before), after the visit in service ends.
  const recurring = match(['recurring'], true);
  if (recurring) {
    const first = quarterUp(base + 2 * HOUR + 15 * MIN);
    const weekday = ((new Date(first + 8 * HOUR).getUTCDay() + 6) % 7) + 1;
    const o = await book(
      1,
      recurring,
      {
        mode: 'recurring',
        startDate: shanghaiDay(first),
        weekdays: [weekday, ((weekday + 2) % 7) + 1].sort(),
        startTime: new Date(first + 8 * HOUR).toISOString().slice(11, 16),
        hours: 2,
        weeks: 4,
      },
      base - DAY,
      '每次重点打扫厨房和卫生间',
    );
    clockAt += HOUR;
    await orders.accept(companyCtx, o.id, { workerId: recurring.workerId });
    done('accepted');
  }
  // Long-term: a live-in (or day care) contracted, a 月嫂 accepted and waiting for the contract. The live-in starts
  // tomorrow (on the demo worker's agenda) unless that worker already has the recurring visits of the coming weeks.
  const longTerm = match(['live_in', 'day_care'], true);
  if (longTerm) {
    const busySoon = [hourly.workerId, recurring?.workerId].includes(longTerm.workerId);
    const startDay = longTerm.workerId === input.demoWorkerId && !busySoon ? base + DAY : base + 40 * DAY;
    const o = await book(
      0,
      longTerm,
      {
        mode: longTerm.item.mode as 'live_in' | 'day_care',
        startDate: shanghaiDay(startDay),
        months: 2,
      },
      base - 3 * DAY,
    );
    clockAt += HOUR;
    await orders.accept(companyCtx, o.id, { workerId: longTerm.workerId });
    clockAt += DAY;
    await orders.recordContract(companyCtx, o.id, { contractRef: 'GZJZ-2026-000187' });
    done('contracted');
  }
  const maternity = match(['maternity'], true);
  if (maternity) {
    const o = await book(
      2,
      maternity,
      { mode: 'maternity', dueDate: shanghaiDay(base + 130 * DAY), stars: 4 },
      base - DAY,
    );
    clockAt += 2 * HOUR;
    await orders.accept(companyCtx, o.id, { workerId: maternity.workerId });
    done('accepted');
  }

  // Demands: one of the demo resident's with the demo company's offer waiting; one without offers.
  let demandCount = 0;
  let offerCount = 0;
  let referralCount = 0;
  const postDemand = async (
    ri: number,
    district: string,
    address: string,
    schedule: Schedule,
    description: string,
    t: number,
  ) => {
    clockAt = t;
    demandCount++;
    return demands.post(residentCtx(ri), {
      category: hourly.item.category,
      mode: 'hourly',
      district,
      address,
      schedule,
      budgetMinFen: 4000,
      budgetMaxFen: 6000,
      description,
    });
  };
  {
    const d = await postDemand(
      0,
      '440106',
      COMPANY_DISTRICT_ADDRESSES[0]!,
      hourlySchedule(base + 4 * DAY, '14:00', 3),
      '三室两厅日常保洁，需自带清洁工具',
      base - 6 * HOUR,
    );
    clockAt += HOUR;
    await demands.offer(companyCtx, company.id, d.id, {
      workerId: hourly.workerId,
      priceItemId: hourly.item.id,
      message: '阿姨有五年经验，可提前电话沟通',
    });
    offerCount++;
    await postDemand(
      1,
      '440106',
      COMPANY_DISTRICT_ADDRESSES[1]!,
      hourlySchedule(base + 3 * DAY, '09:00', 2),
      '老人独居，需要每周做一次清洁和简单做饭',
      base - 2 * HOUR,
    );
  }
  // The station's district: a demand referred to the demo company, offered, accepted, served, confirmed; the
  // company's follow-up done, the station's pending. A second one open, waiting to be referred.
  if (station && stationCtx) {
    const d = await postDemand(
      2,
      station.district,
      STATION_ADDRESSES[0]!,
      hourlySchedule(base - 5 * DAY, '10:00', 2),
      '行动不便的老人，需要上门清洁',
      base - 7 * DAY,
    );
    clockAt += HOUR;
    await demands.refer(stationCtx, station.id, d.id, {
      companyId: company.id,
      note: '该企业信用等级高，就近服务',
    });
    referralCount++;
    clockAt += HOUR;
    const offer = await demands.offer(companyCtx, company.id, d.id, {
      workerId: hourly.workerId,
      priceItemId: hourly.item.id,
      message: '服务站推荐，可按时上门',
    });
    offerCount++;
    clockAt += HOUR;
    const o = await demands.acceptOffer(residentCtx(2), offer.id);
    // The resident of this demand confirms.
    clockAt = startOf(o) - 60 * MIN;
    await orders.start(companyCtx, o.id);
    clockAt = new Date(o.serviceEnd).getTime() + HOUR;
    const confirmed = await orders.confirm(residentCtx(2), o.id);
    const cf = confirmed.followUps.find((f) => f.assigneeKind === 'company');
    if (cf) {
      clockAt += DAY;
      await orders.recordFollowUp(companyCtx, cf.id, {
        reached: true,
        satisfaction: 4,
        notes: '居民满意，希望下次能早到十分钟',
      });
      followDone++;
    }
    followPending += confirmed.followUps.filter((f) => f.assigneeKind !== 'company').length;
    done('closed');
    await postDemand(
      1,
      station.district,
      STATION_ADDRESSES[1]!,
      hourlySchedule(base + 2 * DAY, '15:00', 2),
      '新房开荒后需要日常保洁，周末优先',
      base - 3 * HOUR,
    );
  }
  clockAt = base;
  return {
    orders: counts,
    demands: demandCount,
    offers: offerCount,
    referrals: referralCount,
    followUps: { done: followDone, pending: followPending },
  };
}
