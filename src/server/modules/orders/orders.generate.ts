import { maskAddress } from '../../../shared/validators/index.js';
import { longTermModes, type PriceUnit, type ServiceMode } from '../../../shared/domain.js';
import { type BulkWriter, directWriter } from '../../platform/db/bulk.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import type { Pii } from '../../platform/pii/index.js';
import { mod3736Check } from '../certification/index.js';
import type { OrderState } from './order-status.js';
import { orderAssignment, orderEvent, orderNumberSeq, serviceOrder, workerBooking } from './orders.tables.js';
import {
  AUTO_CONFIRM_MS,
  bookingPeriods,
  CLOSE_AFTER_MS,
  type Period,
  quantityOf,
  requestExpiry,
  type Schedule,
  shanghaiDate,
} from './schedule.js';
import { sql } from 'drizzle-orm';

/**
 * Benchmark generator (issue 13): two years of orders in bulk through this module's tables — every mode, every
 * state, with their history (order_event), assignments and worker bookings. Each worker's orders follow one
 * another in time, so active bookings never overlap (the exclusion constraint holds); schedules, periods and
 * quantities come from schedule.ts, the same functions the service uses. Order numbers continue
 * `order_number_seq` per day. No audit rows (a data load, not anyone's action) and no follow-ups.
 */
export interface GenerateOrdersRandom {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export interface GenerateItem {
  id: string;
  companyId: string;
  category: string;
  mode: ServiceMode;
  unit: PriceUnit;
  priceFen: number;
  title: string;
  guideFlag: 'below' | 'above' | null;
}

/** The tables the order generator fills: a load into an empty database may defer their indexes (bulk.ts). */
export const ordersBulkTables = [serviceOrder, orderEvent, orderAssignment, workerBooking];

export interface OrderGenerator {
  /** Generates `count` orders; each picks a company's item, one of its workers for that category, a resident. */
  generate(count: number): Promise<{ orders: number; rows: number }>;
  /** Stores the number sequences reached. Call once at the end. */
  finish(): Promise<void>;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ADDRESS_AAD = 'service_order.address';
const streets = [
  '中山路',
  '解放路',
  '环市路',
  '工业大道',
  '迎宾路',
  '新港路',
  '广州大道',
  '府前路',
  '建设路',
];

export async function createOrderGenerator(input: {
  db: DbOrTx;
  pii: Pick<Pii, 'encrypt'>;
  random: GenerateOrdersRandom;
  now: Date;
  /** Each company's current items and its green workers by category, with the worker's district. */
  companies: {
    id: string;
    items: GenerateItem[];
    workers: Map<string, { id: string; district: string }[]>;
  }[];
  residentIds: string[];
  /** Average orders per worker over the period, to spread each worker's orders across two years. */
  ordersPerWorker: number;
  /** Where the rows go (COPY); a queued writer lets the caller generate the next chunk meanwhile. */
  writer?: BulkWriter;
}): Promise<OrderGenerator> {
  const { db, pii, random, now } = input;
  const writer = input.writer ?? directWriter(db);
  const seqs = new Map<string, number>();
  for (const r of await db.select().from(orderNumberSeq)) seqs.set(r.day, r.last);
  const cursor = new Map<string, number>();
  const from = now.getTime() - 730 * DAY;
  const meanGap = (700 * DAY) / Math.max(1, input.ordersPerWorker);
  const usable = input.companies
    .map((c) => ({ ...c, items: c.items.filter((i) => (c.workers.get(i.category) ?? []).length > 0) }))
    .filter((c) => c.items.length > 0);
  if (!usable.length) throw new Error('generateOrders: no company has an item with a green worker');

  const number = (at: Date) => {
    const day = shanghaiDate(at);
    const seq = (seqs.get(day) ?? 0) + 1;
    seqs.set(day, seq);
    const payload = day.replaceAll('-', '') + String(seq).padStart(6, '0');
    return `DD${payload}${mod3736Check(payload)}`;
  };
  const quarter = () =>
    `${String(random.int(8, 16)).padStart(2, '0')}:${random.pick(['00', '15', '30', '45'])}`;
  const scheduleAt = (mode: ServiceMode, startMs: number): Schedule => {
    const day = shanghaiDate(new Date(startMs + DAY));
    switch (mode) {
      case 'hourly':
        return {
          mode,
          startAt: new Date(Date.parse(`${day}T${quarter()}:00+08:00`)).toISOString(),
          hours: random.int(2, 4),
        };
      case 'recurring': {
        const a = random.int(1, 7);
        const b = random.int(1, 7);
        return {
          mode,
          startDate: day,
          weekdays: [...new Set([a, b])].sort(),
          startTime: quarter(),
          hours: random.int(2, 3),
          weeks: random.int(1, 4),
        };
      }
      case 'day_care':
      case 'live_in':
        return { mode, startDate: day, months: random.int(1, 3) };
      case 'maternity':
        return { mode, dueDate: shanghaiDate(new Date(startMs + 8 * DAY)), stars: random.int(3, 5) };
    }
  };

  return {
    async generate(count) {
      const orders: (typeof serviceOrder.$inferInsert)[] = [];
      const events: (typeof orderEvent.$inferInsert)[] = [];
      const assignments: (typeof orderAssignment.$inferInsert)[] = [];
      const bookings: (typeof workerBooking.$inferInsert)[] = [];
      for (let n = 0; n < count; n++) {
        const company = random.pick(usable);
        const item = random.pick(company.items);
        const w = random.pick(company.workers.get(item.category)!);
        const longTerm = longTermModes.includes(item.mode);
        const at = cursor.get(w.id) ?? from + random.int(0, 30) * DAY;
        let startMs = at + random.next() * 2 * meanGap;
        const roll = random.next();
        // Past the horizon the worker's calendar is full: the request is turned down (holds no time).
        const refused = roll < 0.03 || startMs > now.getTime() + 120 * DAY;
        if (startMs > now.getTime() + 120 * DAY) startMs = now.getTime() + random.int(2, 60) * DAY;
        const schedule = scheduleAt(item.mode, startMs);
        const createdAt = new Date(
          Math.min(
            startMs - random.int(1, 5) * DAY,
            startMs > now.getTime() ? now.getTime() - random.int(1, 10) * HOUR : Infinity,
          ),
        );
        const p = bookingPeriods(schedule, createdAt);
        if (!p.ok) continue;
        const periods: Period[] = p.periods;
        const quantity = quantityOf(schedule, item.unit, periods);
        if (quantity === null) continue;
        const start = periods[0]!.startsAt;
        const end = periods[periods.length - 1]!.endsAt;
        const id = newId('ord');
        const address = `广东省广州市${random.pick(streets)}${random.int(1, 399)}号${random.int(1, 30)}栋${random.int(101, 2808)}`;
        const ev = (
          action: string,
          fromState: OrderState | null,
          toState: OrderState,
          party: string,
          when: Date,
          reason: string | null = null,
        ) =>
          events.push({
            id: newId('oev'),
            orderId: id,
            action,
            fromState,
            toState,
            party,
            actorId: null,
            reason,
            detail: null,
            at: when,
          });
        ev('request', null, 'requested', 'resident', createdAt);
        const acceptedAt = new Date(
          Math.min(createdAt.getTime() + random.int(10, 600) * 60_000, start.getTime() - HOUR),
        );
        let state: OrderState;
        const o: Partial<typeof serviceOrder.$inferInsert> = {};
        let holds = false;
        let assigned = false;
        if (refused || roll < 0.05) {
          state = 'declined';
          ev('decline', 'requested', 'declined', 'company', acceptedAt, '该时段人员已排满');
        } else if (roll < 0.06 && start.getTime() > now.getTime()) {
          state = 'requested';
          o.expiresAt = requestExpiry(createdAt, start);
        } else if (roll < 0.07 && start.getTime() < now.getTime()) {
          state = 'expired';
          ev('expire', 'requested', 'expired', 'system', requestExpiry(createdAt, start));
        } else if (roll < 0.12) {
          state = 'cancelled';
          ev('accept', 'requested', 'accepted', 'company', acceptedAt);
          const cancelledAt = new Date(acceptedAt.getTime() + random.int(1, 60) * 60_000);
          ev('cancel', 'accepted', 'cancelled', 'resident', cancelledAt, '家中临时有事，改期再约');
          Object.assign(o, {
            acceptedAt,
            cancelledAt,
            cancelledBy: 'resident',
            cancelFeeFen: 0,
            stateReason: '家中临时有事，改期再约',
          });
          assigned = true;
        } else {
          ev('accept', 'requested', 'accepted', 'company', acceptedAt);
          o.acceptedAt = acceptedAt;
          assigned = true;
          holds = true;
          state = 'accepted';
          if (longTerm) {
            ev('contract', 'accepted', 'contracted', 'company', acceptedAt);
            o.contractRef = `HT-${id.slice(-10)}`;
            state = 'contracted';
          }
          if (start.getTime() <= now.getTime()) {
            ev('start', state, 'in_service', 'company', start);
            o.startedAt = start;
            state = 'in_service';
            const auto = end.getTime() + AUTO_CONFIRM_MS;
            if (end.getTime() + 2 * HOUR < now.getTime()) {
              const confirmed = random.chance(0.7);
              const completedAt = new Date(confirmed ? end.getTime() + random.int(1, 24) * HOUR : auto);
              if (completedAt.getTime() < now.getTime()) {
                ev(
                  confirmed ? 'confirm' : 'auto_confirm',
                  'in_service',
                  'completed',
                  confirmed ? 'resident' : 'system',
                  completedAt,
                );
                o.completedAt = completedAt;
                state = 'completed';
                const closedAt = new Date(completedAt.getTime() + CLOSE_AFTER_MS);
                if (closedAt.getTime() < now.getTime()) {
                  ev('close', 'completed', 'closed', 'system', closedAt);
                  o.closedAt = closedAt;
                  state = 'closed';
                }
              }
            }
          }
        }
        if (holds) cursor.set(w.id, end.getTime() + HOUR);
        const last = events[events.length - 1]!.at as Date;
        orders.push({
          id,
          number: number(createdAt),
          residentUserId: random.pick(input.residentIds),
          companyId: company.id,
          workerId: assigned ? w.id : null,
          category: item.category,
          mode: item.mode,
          state,
          schedule,
          serviceStart: start,
          serviceEnd: end,
          visits: periods.length,
          priceItemId: item.id,
          priceTitle: item.title,
          unit: item.unit,
          unitPriceFen: item.priceFen,
          quantity,
          totalFen: item.priceFen * quantity,
          guideFlag: item.guideFlag,
          addressEnc: pii.encrypt(address, ADDRESS_AAD),
          addressMasked: maskAddress(address),
          district: w.district,
          createdAt,
          updatedAt: last,
          ...o,
        });
        if (assigned) {
          const done = o.completedAt ?? o.cancelledAt ?? null;
          assignments.push({
            id: newId('asg'),
            orderId: id,
            workerId: w.id,
            fromAt: start,
            toAt: done,
            endedReason: o.completedAt ? 'completed' : o.cancelledAt ? 'cancelled' : null,
            createdAt: acceptedAt,
          });
          for (const per of periods)
            bookings.push({
              id: newId('bkg'),
              orderId: id,
              workerId: w.id,
              startsAt: per.startsAt,
              endsAt: per.endsAt,
              status: holds ? 'scheduled' : 'cancelled',
              active: holds,
              createdAt: acceptedAt,
            });
        }
      }
      await writer.write(serviceOrder, orders);
      await writer.write(orderEvent, events);
      await writer.write(orderAssignment, assignments);
      await writer.write(workerBooking, bookings);
      return {
        orders: orders.length,
        rows: orders.length + events.length + assignments.length + bookings.length,
      };
    },

    async finish() {
      await writer.flush();
      const rows = [...seqs].map(([day, last]) => ({ day, last }));
      for (let i = 0; i < rows.length; i += 1000)
        await db
          .insert(orderNumberSeq)
          .values(rows.slice(i, i + 1000))
          .onConflictDoUpdate({
            target: orderNumberSeq.day,
            set: { last: sql`greatest(${orderNumberSeq.last}, excluded.last)` },
          });
    },
  };
}
