import { createHash } from 'node:crypto';
import {
  type AnyColumn,
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  lt,
  lte,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import { longTermModes, type ServiceMode } from '../../../shared/domain.js';
import { maskAddress, maskName } from '../../../shared/validators/index.js';
import { type AuditEntry, appendAudit, appendAuditWith, recordAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx, Tx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { enqueueEventSql } from '../../platform/outbox/outbox.js';
import type { Pii } from '../../platform/pii/index.js';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { SmsSender } from '../../platform/sms/sms.js';
import type { CatalogService } from '../catalog/index.js';
import { mod3736Check } from '../certification/index.js';
import { type UserProfile, userPhoneSql, userProfileOf, userProfileSql } from '../identity/index.js';
import {
  type NewNotification,
  type NewNotificationSql,
  type NotificationsService,
  notifyManySql,
} from '../notifications/index.js';
import { type OrgsService, organizationNameSql } from '../orgs/index.js';
import { type TrustFacts, workerNameSql, workerUserIdSql } from '../workers/index.js';
import {
  availableActions,
  holdingStates,
  type OrderAction,
  type OrderParty,
  type OrderState,
  transitionOrder,
} from './order-status.js';
import { relationTo } from './orders.policy.js';
import {
  followUp,
  orderAssignment,
  orderEvent,
  orderNumberSeq,
  referral,
  serviceOrder,
  workerBooking,
} from './orders.tables.js';
import {
  AUTO_CONFIRM_MS,
  bookingPeriods,
  cancellationFee,
  CLOSE_AFTER_MS,
  EARLY_START_MS,
  FOLLOW_UP_DUE_MS,
  type Period,
  quantityOf,
  requestExpiry,
  type Schedule,
  shanghaiDate,
  totalFen,
} from './schedule.js';

export type OrderRow = typeof serviceOrder.$inferSelect;

/** The lists an order detail shows, as one statement returns them (times in epoch milliseconds). */
interface OrderLists {
  events: {
    action: string;
    fromState: string | null;
    toState: string;
    party: string;
    reason: string | null;
    at: number;
  }[];
  assignments: {
    id: string;
    workerId: string;
    fromAt: number;
    toAt: number | null;
    endedReason: string | null;
    replacedById: string | null;
  }[];
  bookings: {
    id: string;
    workerId: string;
    startsAt: number;
    endsAt: number;
    status: string;
    substituteFor: string | null;
  }[];
  followUps: {
    id: string;
    assigneeKind: string;
    state: string;
    dueAt: number;
    reached: boolean | null;
    satisfaction: number | null;
    notes: string | null;
    recordedAt: number | null;
  }[];
}
type Relation = 'resident' | 'company' | 'worker' | 'station' | 'regulator';

export interface OrdersEvents {
  'orders.requested': OrderEventPayload;
  'orders.accepted': OrderEventPayload;
  'orders.declined': OrderEventPayload;
  'orders.expired': OrderEventPayload;
  'orders.contracted': OrderEventPayload;
  'orders.started': OrderEventPayload;
  'orders.completed': OrderEventPayload;
  'orders.closed': OrderEventPayload;
  'orders.cancelled': OrderEventPayload;
  'orders.worker_replaced': OrderEventPayload;
}
export interface OrderEventPayload {
  orderId: string;
  companyId: string;
  workerId: string | null;
  residentUserId: string;
  state: OrderState;
}

const topicOf: Record<OrderAction, keyof OrdersEvents> = {
  accept: 'orders.accepted',
  decline: 'orders.declined',
  expire: 'orders.expired',
  contract: 'orders.contracted',
  start: 'orders.started',
  confirm: 'orders.completed',
  auto_confirm: 'orders.completed',
  end_early: 'orders.completed',
  close: 'orders.closed',
  cancel: 'orders.cancelled',
};

/** SMS templates (短信模板) the carrier approved; params never carry addresses or ID numbers. */
const smsTemplate: Partial<Record<OrderAction | 'requested' | 'worker_replaced', string>> = {
  accept: 'ORDER_ACCEPTED',
  decline: 'ORDER_DECLINED',
  expire: 'ORDER_EXPIRED',
  cancel: 'ORDER_CANCELLED',
  start: 'ORDER_STARTED',
  worker_replaced: 'ORDER_WORKER_REPLACED',
};

const stateZh: Record<OrderState, string> = {
  requested: '待接单',
  accepted: '已接单',
  declined: '已拒绝',
  expired: '已过期',
  contracted: '已签约',
  in_service: '服务中',
  completed: '已完成',
  closed: '已关闭',
  cancelled: '已取消',
};

export interface OrdersDeps {
  db: Db;
  clock: () => Date;
  pii: Pii;
  sms: Pick<SmsSender, 'sendNotice'>;
  notifications: Pick<NotificationsService, 'notify' | 'notifyMany'>;
  phoneOf: (userId: string) => Promise<string | null>;
  profilesOf: (userIds: string[]) => Promise<{ id: string; name: string; phoneMasked: string }[]>;
  catalog: Pick<CatalogService, 'priceForOrder'>;
  /** The worker's facts and live status (certification); NOT_FOUND for an unknown worker. */
  workerStatus: (workerId: string) => Promise<{ facts: TrustFacts; status: { canTakeNewBookings: boolean } }>;
  workers: {
    findWorkerIdByUser(userId: string): Promise<string | null>;
    namesOf(workerIds: string[]): Promise<Map<string, string>>;
  };
  orgs: Pick<OrgsService, 'getOrganization'>;
}

export interface NewOrderInput {
  priceItemId: string;
  workerId?: string | null | undefined;
  schedule: Schedule;
  address: string;
  district: string;
  note?: string | null | undefined;
}

const ADDRESS_AAD = 'service_order.address';
const isLongTerm = (mode: string) => longTermModes.includes(mode as ServiceMode);

function pgCode(e: unknown): string | null {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/** A step's writes besides its order row, as CTEs of the step's one statement (`name as (…)`). */
interface StepWrites {
  ctes: SQL[];
  /**
   * Rows each named CTE (`… on conflict do nothing returning id`) must write when the order moved. They all run
   * before the chain head is locked, and a step whose order did not move keeps nothing: a loser of two concurrent
   * steps may meet the winner's rows (its assignment, follow-ups) and skips them, then rolls back and decides again.
   * Fewer in `bk` (the worker's periods) means time already held: the step is refused; fewer elsewhere is a fault.
   */
  counts?: Record<string, number>;
}

/** Thrown inside a step's transaction when the order moved since it was read: rolls it back, not an error. */
const movedSignal = new Error('order moved');

const orderColumns = Object.entries(getTableColumns(serviceOrder));
/** An order row from `row_to_json` of a `returning` (column names as keys), mapped as Drizzle maps a selected row. */
function orderFromJson(j: Record<string, unknown>): OrderRow {
  const out: Record<string, unknown> = {};
  for (const [key, c] of orderColumns) {
    const v = j[c.name];
    out[key] = v === null || v === undefined ? null : c.mapFromDriverValue(v);
  }
  return out as OrderRow;
}

/** Orders: booking, dispatch, the lifecycle with its history, worker time without double booking, follow-ups. */
export function createOrdersService(deps: OrdersDeps) {
  const { db, clock, pii, catalog, workers, orgs, notifications } = deps;

  // Hot statements of the booking flow, built once and prepared (named on PostgreSQL: each connection parses and
  // plans them once). Query building was about a quarter of the server's CPU per flow.
  const orderByIdStmt = db
    .select()
    .from(serviceOrder)
    .where(eq(serviceOrder.id, sql.placeholder('id')))
    .limit(1)
    .prepare('orders_by_id');
  const heldPeriodsStmt = db
    .select({ s: workerBooking.startsAt, e: workerBooking.endsAt })
    .from(workerBooking)
    .where(
      and(
        eq(workerBooking.workerId, sql.placeholder('workerId')),
        eq(workerBooking.active, true),
        lt(workerBooking.startsAt, sql.placeholder('to')),
        gt(workerBooking.endsAt, sql.placeholder('from')),
      ),
    )
    .orderBy(asc(workerBooking.startsAt))
    .limit(sql.placeholder('limit'))
    .prepare('orders_held_periods');
  const nextNumberStmt = db
    .insert(orderNumberSeq)
    .values({ day: sql.placeholder('day'), last: 1 })
    .onConflictDoUpdate({ target: orderNumberSeq.day, set: { last: sql`${orderNumberSeq.last} + 1` } })
    .returning({ last: orderNumberSeq.last })
    .prepare('orders_next_number');

  // Helpers ---------------------------------------------------------------------------------------------------

  async function ownWorkerId(ctx: RequestContext): Promise<string | null> {
    return ctx.actor?.roles.includes('worker') ? workers.findWorkerIdByUser(ctx.actor.userId) : null;
  }

  async function stationOf(o: OrderRow, q: DbOrTx = db): Promise<string | null> {
    if (!o.referralId) return null;
    const [r] = await q.select({ s: referral.stationId }).from(referral).where(eq(referral.id, o.referralId));
    return r?.s ?? null;
  }

  /** The order and the caller's relation to it; 404 when the caller may not see it. */
  async function visible(ctx: RequestContext, orderId: string): Promise<{ order: OrderRow; rel: Relation }> {
    const [order] = await orderByIdStmt.execute({ id: orderId });
    if (!order) throw new AppError('NOT_FOUND');
    const rel = relationTo(
      ctx.actor,
      { ...order, referralStationId: await stationOf(order) },
      await ownWorkerId(ctx),
    );
    if (!rel) throw new AppError('NOT_FOUND');
    return { order, rel };
  }

  async function nextNumber(tx: DbOrTx, now: Date): Promise<string> {
    const day = shanghaiDate(now);
    const [row] =
      tx === db
        ? await nextNumberStmt.execute({ day })
        : await tx
            .insert(orderNumberSeq)
            .values({ day, last: 1 })
            .onConflictDoUpdate({
              target: orderNumberSeq.day,
              set: { last: sql`${orderNumberSeq.last} + 1` },
            })
            .returning({ last: orderNumberSeq.last });
    const payload = day.replaceAll('-', '') + String(row!.last).padStart(6, '0');
    return `DD${payload}${mod3736Check(payload)}`;
  }

  /**
   * Checks that a worker may serve this company's order of this category now; throws the reason otherwise. One
   * status read gives both the facts and the live colour (the facts were read twice before).
   */
  async function checkWorker(workerId: string, companyId: string, category: string): Promise<TrustFacts> {
    const st = await deps.workerStatus(workerId).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    });
    if (!st || st.facts.companyId !== companyId || !st.facts.categories.includes(category))
      throw new AppError('ORDER_WORKER_NOT_OFFERED');
    if (!st.status.canTakeNewBookings) throw new AppError('ORDER_WORKER_NOT_GREEN');
    // The worker's account and name, for the notices and the answer after the step (saves reading them again).
    return st.facts;
  }

  /** The worker's active held periods that meet [from, to), earliest first. */
  async function heldPeriods(workerId: string, from: Date, to: Date, limit = 1000) {
    return heldPeriodsStmt.execute({ workerId, from, to, limit });
  }

  /** Whether any of these periods meets time the worker already holds (an early, friendly refusal). */
  async function overlaps(workerId: string, periods: Period[]): Promise<boolean> {
    if (periods.length === 0) return false;
    const held = await heldPeriods(
      workerId,
      periods[0]!.startsAt,
      periods[periods.length - 1]!.endsAt,
      10_000,
    );
    return held.some((b) => periods.some((p) => p.startsAt < b.e && b.s < p.endsAt));
  }

  /** The worker's time as booking rows of the order (holdTime, holdTimeWrites). */
  function bookingRows(order: { id: string }, workerId: string, periods: Period[]) {
    const now = clock();
    return periods.map((p) => ({
      id: newId('bkg'),
      orderId: order.id,
      workerId,
      startsAt: p.startsAt,
      endsAt: p.endsAt,
      createdAt: now,
    }));
  }

  /** Holds the worker's time; the database refuses an overlap even when two requests race. */
  async function holdTime(tx: Tx, order: OrderRow, workerId: string, periods: Period[]) {
    const rows = bookingRows(order, workerId, periods);
    try {
      // The no-overlap constraint is an arbiter of `on conflict do nothing`: a period meeting held time is skipped,
      // not an error that aborts the transaction, so no savepoint (two round trips) is needed for the clear error.
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        const held = await tx
          .insert(workerBooking)
          .values(chunk)
          .onConflictDoNothing()
          .returning({ id: workerBooking.id });
        if (held.length !== chunk.length) throw new AppError('ORDER_WORKER_UNAVAILABLE');
      }
    } catch (e) {
      if (pgCode(e) === '23P01') throw new AppError('ORDER_WORKER_UNAVAILABLE');
      throw e;
    }
  }

  async function releaseTime(tx: DbOrTx, orderId: string, status: 'cancelled' | 'released', from?: Date) {
    await releaseTimeQuery(tx, orderId, status, from);
  }

  /** The update releasing the order's held time (after `from`), not yet run: awaited, or a CTE of a step. */
  function releaseTimeQuery(tx: DbOrTx, orderId: string, status: 'cancelled' | 'released', from?: Date) {
    return tx
      .update(workerBooking)
      .set({ active: false, status })
      .where(
        and(
          eq(workerBooking.orderId, orderId),
          eq(workerBooking.active, true),
          from ? gt(workerBooking.startsAt, from) : undefined,
        ),
      );
  }

  /** The order's hold on the worker's time stops at `end`: a booking spanning it is cut, later ones released. */
  async function releaseTimeAfter(tx: DbOrTx, orderId: string, end: Date) {
    await tx
      .update(workerBooking)
      .set({ endsAt: end })
      .where(
        and(
          eq(workerBooking.orderId, orderId),
          eq(workerBooking.active, true),
          lt(workerBooking.startsAt, end),
          gt(workerBooking.endsAt, end),
        ),
      );
    await releaseTime(tx, orderId, 'released', end);
  }

  async function history(
    tx: DbOrTx,
    ctx: RequestContext,
    o: OrderRow,
    e: {
      action: string;
      from: OrderState | null;
      to: OrderState;
      party: string;
      reason?: string | null;
      detail?: object;
    },
    now: Date,
    topic?: keyof OrdersEvents,
    /** More audit rows of the same step, chained after its own in the same append (the address its response shows). */
    also: AuditEntry[] = [],
    /** The step's own writes (its order update first), CTEs of the same statement; `result` is read from them. */
    step?: { ctes: SQL[]; result: SQL },
  ): Promise<unknown> {
    // The history row and the outbox event go in the audit append's statement (three round trips before). Last: the
    // append locks the chain head until commit.
    const writes = [
      ...(step?.ctes ?? []),
      sql`ev as (insert into ${orderEvent}
          (id, order_id, action, from_state, to_state, party, actor_id, reason, detail, at)
        values (${newId('oev')}, ${o.id}, ${e.action}, ${e.from}, ${e.to}, ${e.party}, ${ctx.actor?.userId ?? null},
          ${e.reason ?? null}, ${e.detail === undefined ? null : JSON.stringify(e.detail)}::jsonb,
          ${now.toISOString()}::timestamptz))`,
    ];
    if (topic) writes.push(sql`ob as (${enqueueEventSql<OrdersEvents>({ topic, payload: payloadOf(o) })})`);
    const { result } = await appendAuditWith(
      tx,
      ctx,
      [
        {
          action: `order.${e.action}`,
          objectType: 'order',
          objectId: o.id,
          detail: { from: e.from, to: e.to, party: e.party, reason: e.reason ?? null, ...(e.detail ?? {}) },
        },
        ...also,
      ],
      now,
      { writes: sql.join(writes, sql`, `), ...(step ? { result: step.result } : {}) },
    );
    return result;
  }

  type NoticeAction = OrderAction | 'requested' | 'worker_replaced' | 'service_shortened';
  /** The steps the assigned worker hears of (their schedule changes). */
  const workerNoticeActions: ReadonlySet<NoticeAction> = new Set([
    'accept',
    'cancel',
    'worker_replaced',
    'confirm',
    'auto_confirm',
    'end_early',
    'service_shortened',
  ]);

  /**
   * The notices of a step to the resident, the company and (`workerUser`: their account, or an SQL expression of it;
   * null for none) the assigned worker.
   */
  function noticesOf(
    o: OrderRow,
    action: NoticeAction,
    extra: string | undefined,
    workerUser: string | SQL | null,
  ): NewNotificationSql[] {
    const what: Record<string, string> = {
      requested: '新预约',
      worker_replaced: '已更换家政员',
      service_shortened: '服务期限已变更',
    };
    const title = `订单 ${o.number} ${what[action] ?? stateZh[transitionTarget(action as OrderAction)]}`;
    const body = extra ?? `订单状态：${stateZh[o.state as OrderState]}`;
    const notices: NewNotificationSql[] = [];
    if (action !== 'requested')
      notices.push({
        userId: o.residentUserId,
        kind: `order.${action}`,
        title,
        body,
        link: `/resident/orders/${o.id}`,
      });
    notices.push({
      orgId: o.companyId,
      kind: `order.${action}`,
      title,
      body,
      link: `/company/orders/${o.id}`,
    });
    if (workerUser)
      notices.push({ userId: workerUser, kind: `order.${action}`, title, body, link: `/worker/schedule` });
    return notices;
  }

  /**
   * In-app notices to the resident, the company and the worker, sent after the change committed (they read other
   * modules, which must not run inside this module's transaction: PGlite has one connection). A lifecycle step
   * stores the same notices in its own statement instead (see `step`).
   */
  async function tell(
    o: OrderRow,
    action: NoticeAction,
    extra?: string,
    /** The assigned worker's account when the caller already knows it (undefined: look it up). */
    workerUserId?: string | null,
  ) {
    let userId: string | null = null;
    if (o.workerId && workerNoticeActions.has(action))
      // The worker's account from the one-statement status read (the full facts took six queries).
      userId =
        workerUserId !== undefined
          ? workerUserId
          : await deps.workerStatus(o.workerId).then(
              (st) => st.facts.userId ?? null,
              (e: unknown) => {
                if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
                throw e;
              },
            );
    // One insert for all of the step's recipients.
    await notifications.notifyMany(noticesOf(o, action, extra, userId) as NewNotification[]);
  }

  function transitionTarget(action: OrderAction): OrderState {
    switch (action) {
      case 'accept':
        return 'accepted';
      case 'decline':
        return 'declined';
      case 'expire':
        return 'expired';
      case 'contract':
        return 'contracted';
      case 'start':
        return 'in_service';
      case 'confirm':
      case 'auto_confirm':
      case 'end_early':
        return 'completed';
      case 'close':
        return 'closed';
      case 'cancel':
        return 'cancelled';
    }
  }

  async function smsResident(
    o: OrderRow,
    action: OrderAction | 'worker_replaced',
    /** The resident's number when the caller read it already (a step reads it in its statement). */
    known?: { phone: string | null },
  ) {
    const template = smsTemplate[action];
    if (!template) return;
    const phone = known ? known.phone : await deps.phoneOf(o.residentUserId);
    if (!phone) return;
    await deps.sms.sendNotice({
      phone,
      template,
      params: { number: o.number, state: stateZh[o.state as OrderState] },
      sentAt: clock(),
    });
  }

  function payloadOf(o: OrderRow): OrderEventPayload {
    return {
      orderId: o.id,
      companyId: o.companyId,
      workerId: o.workerId,
      residentUserId: o.residentUserId,
      state: o.state as OrderState,
    };
  }

  function periodsOf(o: OrderRow): Period[] {
    // Re-derived at the order's creation time, so a booking made yesterday for today still yields its periods.
    const r = bookingPeriods(o.schedule as Schedule, new Date(o.createdAt.getTime() - 2 * 3600_000));
    if (!r.ok) throw new AppError('ORDER_BAD_SCHEDULE');
    return r.periods;
  }

  /** The follow-ups due when an order completes: the company's own, and a sample for the station or regulator. */
  function followUpRows(o: OrderRow, now: Date, station: string | null) {
    const due = new Date(now.getTime() + FOLLOW_UP_DUE_MS);
    const rows: (typeof followUp.$inferInsert)[] = [
      {
        id: newId('fup'),
        orderId: o.id,
        assigneeKind: 'company',
        assigneeOrgId: o.companyId,
        district: o.district,
        dueAt: due,
        state: 'pending',
        createdAt: now,
      },
    ];
    if (station)
      rows.push({
        id: newId('fup'),
        orderId: o.id,
        assigneeKind: 'station',
        assigneeOrgId: station,
        district: o.district,
        dueAt: due,
        state: 'pending',
        createdAt: now,
      });
    // One order in ten, chosen by a hash of its id so the sample cannot be steered, goes to the regulator.
    else if (createHash('sha256').update(o.id).digest()[0]! % 10 === 0)
      rows.push({
        id: newId('fup'),
        orderId: o.id,
        assigneeKind: 'regulator',
        assigneeOrgId: null,
        district: o.district,
        dueAt: due,
        state: 'pending',
        createdAt: now,
      });
    return rows;
  }

  /**
   * One lifecycle step, in ONE statement between BEGIN and COMMIT: the transition table decides on the order as read,
   * and `update … where state = <that state>` moves it (and locks it), with the step's writes (`writes`: time holds,
   * follow-ups), its history row, outbox event and audit rows as CTEs of the same statement (the update and the writes
   * are read before the chain head is locked, see appendAuditWith). Of two concurrent steps on one order exactly one
   * moves it: the other waits for the row lock, finds the new state, updates nothing, rolls back (its audit rows
   * with it) and decides again on the order as it is now.
   */
  async function step(
    ctx: RequestContext,
    orderId: string,
    action: OrderAction,
    party: OrderParty,
    opts: {
      reason?: string | null;
      detail?: object;
      /** What the step sets besides the state, from the order before the step (may refuse by throwing). */
      patch?: (o: OrderRow, now: Date) => PgUpdateSetSource<typeof serviceOrder>;
      /** Writes the step makes besides the row, as CTEs of its statement, from the order before the step. */
      writes?: (tx: Tx, o: OrderRow, now: Date) => StepWrites | Promise<StepWrites>;
      /** Writes that cannot share the statement, run after it in the same transaction (the head is held by then). */
      effects?: (tx: Tx, o: OrderRow, now: Date) => Promise<void>;
      workerUserId?: string | null;
      /** The order as the caller just read it (saves a read; the state guard still decides). */
      order?: OrderRow;
      /**
       * The caller's relation when the step's response is the order's detail: if that shows the full address to
       * someone other than the resident, the read is audited in the step's own append (see addressReadAudit).
       */
      respondsTo?: Relation;
    } = {},
  ): Promise<OrderRow> {
    const plan = (o: OrderRow) => {
      const t = transitionOrder({
        from: o.state as OrderState,
        action,
        by: party,
        longTerm: isLongTerm(o.mode),
        reason: opts.reason ?? null,
      });
      if (!t.ok)
        throw new AppError(
          t.error === 'reason_required'
            ? 'ORDER_REASON_REQUIRED'
            : t.error === 'not_your_step'
              ? 'ORDER_NOT_YOUR_STEP'
              : 'ORDER_INVALID_TRANSITION',
        );
      const now = clock();
      return { o, to: t.to, now, patch: opts.patch ? opts.patch(o, now) : {} };
    };
    const [read] = opts.order ? [opts.order] : await orderByIdStmt.execute({ id: orderId });
    if (!read) throw new AppError('NOT_FOUND');
    let p = plan(read);
    for (let attempt = 1; ; attempt++) {
      const moved = await db
        .transaction(async (tx) => {
          const w = opts.writes ? await opts.writes(tx, p.o, p.now) : { ctes: [] };
          const update = tx
            .update(serviceOrder)
            .set({ ...p.patch, state: p.to, stateReason: opts.reason?.trim() || null, updatedAt: p.now })
            .where(and(eq(serviceOrder.id, p.o.id), eq(serviceOrder.state, p.o.state)))
            .returning();
          // The event's payload names the order as the update leaves it (only an acceptance sets the worker).
          const patchedWorker = (p.patch as { workerId?: unknown }).workerId;
          const after: OrderRow = {
            ...p.o,
            state: p.to,
            workerId: typeof patchedWorker === 'string' ? patchedWorker : p.o.workerId,
          };
          const notices = noticesOf(
            after,
            action,
            undefined,
            after.workerId && workerNoticeActions.has(action)
              ? opts.workerUserId !== undefined
                ? opts.workerUserId
                : workerUserIdSql(sql`${after.workerId}`)
              : null,
          );
          const result = (await history(
            tx,
            ctx,
            after,
            {
              action,
              from: p.o.state as OrderState,
              to: p.to,
              party,
              reason: opts.reason ?? null,
              detail: opts.detail,
            },
            p.now,
            topicOf[action],
            opts.respondsTo ? addressReadAudit(opts.respondsTo, p.o) : [],
            {
              // The step's notices go in its statement too: they commit with it, no round trip after.
              ctes: [sql`o as ${update}`, ...w.ctes, sql`ntf as (${notifyManySql(notices, p.now)})`],
              // The order first: its row lock is waited for before the writes run. Then the notices (read here, so
              // they are written before the chain head is locked) and, for the SMS, the resident's number.
              result: sql`json_build_object('o', (select row_to_json(o) from o), 'ntf', (select count(*) from ntf)${
                smsTemplate[action] ? sql`, 'phone', ${userPhoneSql(sql`${p.o.residentUserId}`)}` : sql``
              }${sql.join(
                Object.keys(w.counts ?? {}).map(
                  (name) => sql`, ${name}::text, (select count(*) from ${sql.identifier(name)})`,
                ),
              )})`,
            },
          )) as Record<string, unknown> | string;
          const r = (typeof result === 'string' ? JSON.parse(result) : result) as Record<string, unknown>;
          // Moved since it was read (or was moving: the update waited for its lock): roll back, decide again.
          if (!r.o) throw movedSignal;
          for (const [name, n] of Object.entries(w.counts ?? {}))
            if (Number(r[name]) !== n) {
              if (name === 'bk') throw new AppError('ORDER_WORKER_UNAVAILABLE');
              throw new Error(`order step ${action}: ${name} wrote ${String(r[name])} rows, not ${n}`);
            }
          const row = orderFromJson(r.o as Record<string, unknown>);
          if (row.workerId !== after.workerId) throw new Error('order step: the event names another worker');
          if (opts.effects) await opts.effects(tx, row, p.now);
          return { row, phone: typeof r.phone === 'string' ? r.phone : null };
        })
        .catch((e: unknown) => {
          if (e === movedSignal) return null;
          if (pgCode(e) === '23P01') throw new AppError('ORDER_WORKER_UNAVAILABLE');
          throw e;
        });
      if (moved) {
        await smsResident(moved.row, action, { phone: moved.phone });
        return moved.row;
      }
      const [fresh] = await orderByIdStmt.execute({ id: orderId });
      if (!fresh) throw new AppError('NOT_FOUND');
      if (attempt >= 5) throw new AppError('ORDER_INVALID_TRANSITION');
      p = plan(fresh);
    }
  }

  /**
   * The audit row of a detail that shows the full address to someone other than the resident (the company or the
   * assigned worker; none for the resident's own order). A step whose response is the detail appends it with the
   * step's own row, in the same statement (one chain-head lock per step, not two); a plain read appends it alone.
   */
  function addressReadAudit(rel: Relation, o: { id: string }): AuditEntry[] {
    return rel === 'company' || rel === 'worker'
      ? [{ action: 'order.address_read', objectType: 'order', objectId: o.id }]
      : [];
  }

  /** The detail a step answers with, read after its commit: its address read was audited with the step (`respondsTo`). */
  async function stepDetail(ctx: RequestContext, o: OrderRow, rel: Relation) {
    const d = await detailById(ctx, o.id, () => rel, true);
    if (!d) throw new AppError('NOT_FOUND');
    return d;
  }

  function partyOf(rel: Relation, action: OrderAction): OrderParty {
    if (rel === 'resident') return 'resident';
    if (rel === 'company') return 'company';
    // The assigned worker may mark the start of a service (上门打卡); nothing else.
    if (rel === 'worker' && action === 'start') return 'company';
    throw new AppError('ORDER_NOT_YOUR_STEP');
  }

  // Views -----------------------------------------------------------------------------------------------------

  function workerNames(ids: string[]): Promise<Map<string, string>> {
    return workers.namesOf(ids);
  }

  async function companyNames(ids: string[], known?: Map<string, string>): Promise<Map<string, string>> {
    const out = new Map<string, string>(known);
    for (const id of new Set(ids)) {
      if (out.has(id)) continue;
      const org = await orgs.getOrganization(id);
      if (org) out.set(id, org.name);
    }
    return out;
  }

  function summary(
    o: OrderRow,
    rel: Relation,
    names: { worker: Map<string, string>; company: Map<string, string> },
  ) {
    const wname = o.workerId ? (names.worker.get(o.workerId) ?? null) : null;
    return {
      id: o.id,
      number: o.number,
      state: o.state as OrderState,
      category: o.category,
      mode: o.mode,
      serviceStart: o.serviceStart.toISOString(),
      serviceEnd: o.serviceEnd.toISOString(),
      visits: o.visits,
      totalFen: o.totalFen,
      district: o.district,
      addressMasked: o.addressMasked,
      company: { id: o.companyId, name: names.company.get(o.companyId) ?? '' },
      worker: o.workerId
        ? {
            id: o.workerId,
            name: wname ? (rel === 'company' || rel === 'worker' ? wname : maskName(wname)) : '',
          }
        : null,
      createdAt: o.createdAt.toISOString(),
      updatedAt: o.updatedAt.toISOString(),
    };
  }

  async function summaries(
    rows: OrderRow[],
    rel: Relation,
    knownWorkers?: Map<string, string>,
    knownCompanies?: Map<string, string>,
  ) {
    const names = {
      worker: knownWorkers ?? (await workerNames(rows.flatMap((r) => (r.workerId ? [r.workerId] : [])))),
      company: await companyNames(
        rows.map((r) => r.companyId),
        knownCompanies,
      ),
    };
    return rows.map((r) => summary(r, rel, names));
  }

  const ms = (col: string) => sql.raw(`floor(extract(epoch from ${col}) * 1000)::float8`);
  /** The detail's lists as four json columns over `orderId` (an SQL expression): history, assignments, visits, follow-ups. */
  const listColumns = (orderId: SQLWrapper) => ({
    events: sql<unknown>`(select coalesce(json_agg(json_build_object('action', e.action,
        'fromState', e.from_state, 'toState', e.to_state, 'party', e.party, 'reason', e.reason,
        'at', ${ms('e.at')}) order by e.at, e.id), '[]'::json)
       from order_event e where e.order_id = ${orderId})`,
    assignments: sql<unknown>`(select coalesce(json_agg(json_build_object('id', a.id, 'workerId', a.worker_id,
        'fromAt', ${ms('a.from_at')}, 'toAt', ${ms('a.to_at')}, 'endedReason', a.ended_reason,
        'replacedById', a.replaced_by_id) order by a.from_at, a.id), '[]'::json)
       from order_assignment a where a.order_id = ${orderId})`,
    bookings: sql<unknown>`(select coalesce(json_agg(json_build_object('id', b.id, 'workerId', b.worker_id,
        'startsAt', ${ms('b.starts_at')}, 'endsAt', ${ms('b.ends_at')}, 'status', b.status,
        'substituteFor', b.substitute_for) order by b.starts_at, b.id), '[]'::json)
       from (select * from worker_booking where order_id = ${orderId}
              order by starts_at, id limit 400) b)`,
    followUps: sql<unknown>`(select coalesce(json_agg(json_build_object('id', f.id,
        'assigneeKind', f.assignee_kind, 'state', f.state, 'dueAt', ${ms('f.due_at')}, 'reached', f.reached,
        'satisfaction', f.satisfaction, 'notes', f.notes, 'recordedAt', ${ms('f.recorded_at')})
        order by f.id), '[]'::json)
       from follow_up f where f.order_id = ${orderId})`,
  });
  const orderListsStmt = db
    .select(listColumns(sql.placeholder('orderId')))
    .from(sql`(select 1) as one`)
    .prepare('orders_detail_lists');
  /**
   * The order's history, assignments, visits (first 400) and follow-ups in one prepared statement (four before): the detail
   * is read after every step. Times travel as epoch milliseconds, truncated like a Date read through Drizzle.
   */
  async function orderLists(orderId: string): Promise<OrderLists> {
    const [row] = await orderListsStmt.execute({ orderId });
    // PGlite hands json back parsed, node-postgres too; a string would mean a driver that does not.
    const parse = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;
    return {
      events: parse(row!.events),
      assignments: parse(row!.assignments),
      bookings: parse(row!.bookings),
      followUps: parse(row!.followUps),
    };
  }

  // GET /orders/:id in ONE statement (five before: the order, its lists, worker names, the company name, and the
  // station of a referred order): the order row with its referring station, company name, lists and the names of
  // every worker the detail shows (the order's, its assignments' and its first 400 visits').
  // Qualified: in a one-table select drizzle writes a column unqualified, which a subquery would take as its own.
  const col = (name: string) => sql.raw(`"service_order"."${name}"`);
  const detailStmt = db
    .select({
      o: serviceOrder,
      stationId: sql<
        string | null
      >`(select r.station_id from ${referral} r where r.id = ${col('referral_id')})`,
      companyName: organizationNameSql(col('company_id')),
      // The resident as a company, station or regulator sees them (masked phone): no profile read after.
      resident: userProfileSql(col('resident_user_id')),
      workerNames: sql<unknown>`(select coalesce(json_object_agg(x.id, x.name), '{}'::json)
         from (select ids.id, ${workerNameSql(sql`ids.id`)} as name
                 from (select ${col('worker_id')} as id
                       union select a.worker_id from order_assignment a where a.order_id = ${col('id')}
                       union select b.worker_id from (select worker_id from worker_booking
                              where order_id = ${col('id')} order by starts_at, id limit 400) b) ids
                where ids.id is not null) x
        where x.name is not null)`,
      ...listColumns(col('id')),
    })
    .from(serviceOrder)
    .where(eq(serviceOrder.id, sql.placeholder('id')))
    .limit(1)
    .prepare('orders_detail_one');

  /** What the caller of `detail` already knows, so it is not read again. */
  interface DetailOptions {
    /** The order's company name (a booking read it with the price item, to check the company). */
    companyName?: string | undefined;
    /** The order's lists when the caller just wrote all of them (a new booking): not read back. */
    lists?: OrderLists | undefined;
    /** Names of the workers the lists show (a booking read its named worker's status, name included). */
    workerNames?: Map<string, string> | undefined;
    /** The address read is already audited (by the step this detail answers). */
    addressAudited?: boolean | undefined;
  }

  /** The detail of an order the caller holds, as `rel` may see it; reads only what `opts` does not give. */
  async function detail(ctx: RequestContext, o: OrderRow, rel: Relation, opts: DetailOptions = {}) {
    const lists = opts.lists ?? (await orderLists(o.id));
    const ids = [
      ...(o.workerId ? [o.workerId] : []),
      ...lists.assignments.map((a) => a.workerId),
      ...lists.bookings.map((b) => b.workerId),
    ];
    const known = opts.workerNames;
    // One name lookup for the order's worker, its assignments and its visits, unless the caller knows them all.
    const names = known && ids.every((id) => known.has(id)) ? known : await workerNames(ids);
    // A company member's session already read its organization's name (the membership): no lookup for it.
    const knownCompany =
      opts.companyName ??
      (rel === 'company' ? ctx.actor?.memberships.find((m) => m.orgId === o.companyId)?.orgName : undefined);
    return render(ctx, o, rel, lists, names, knownCompany, opts.addressAudited ?? false);
  }

  /**
   * The detail of an order by id in ONE prepared statement (`detailStmt`: the row, its lists, worker and company
   * names, the referring station), rendered for `rel`; null for an unknown id. `GET /orders/:id` and every step's
   * answer use it (a step's answer took three to five statements before).
   */
  async function detailById(
    ctx: RequestContext,
    orderId: string,
    relOf: (o: OrderRow, stationId: string | null) => Promise<Relation | null> | Relation | null,
    addressAudited = false,
  ) {
    const [row] = await detailStmt.execute({ id: orderId });
    if (!row) return null;
    const rel = await relOf(row.o, row.stationId);
    if (!rel) return null;
    const json = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;
    const lists: OrderLists = {
      events: json(row.events),
      assignments: json(row.assignments),
      bookings: json(row.bookings),
      followUps: json(row.followUps),
    };
    const names = new Map(Object.entries(json<Record<string, string>>(row.workerNames)));
    return render(
      ctx,
      row.o,
      rel,
      lists,
      names,
      row.companyName ?? '',
      addressAudited,
      userProfileOf(row.resident),
    );
  }

  /** The detail as the caller may see it, from the order, its lists and the names read (the company's, if known). */
  async function render(
    ctx: RequestContext,
    o: OrderRow,
    rel: Relation,
    { events, assignments, bookings, followUps }: OrderLists,
    names: Map<string, string>,
    knownCompany: string | undefined,
    addressAudited = false,
    /** The resident's profile when the caller read it (null: no such account); undefined: read it here. */
    knownResident?: UserProfile | null,
  ) {
    const showName = (id: string) => {
      const n = names.get(id) ?? '';
      return rel === 'company' || rel === 'worker' ? n : maskName(n);
    };
    // The full address goes to those who must reach the home: the resident, the company and the assigned worker.
    const address =
      rel === 'resident' || rel === 'company' || rel === 'worker'
        ? pii.decrypt(o.addressEnc, ADDRESS_AAD)
        : null;
    // Independent: on PostgreSQL they run at once on the pool (PGlite runs them one after another).
    const [[base], resident] = await Promise.all([
      summaries(
        [o],
        rel,
        names,
        knownCompany === undefined ? undefined : new Map([[o.companyId, knownCompany]]),
      ),
      rel === 'company' || rel === 'regulator' || rel === 'station'
        ? knownResident !== undefined
          ? knownResident
          : deps.profilesOf([o.residentUserId]).then((p) => p[0] ?? null)
        : null,
      address !== null && !addressAudited
        ? Promise.all(addressReadAudit(rel, o).map((a) => recordAudit(db, ctx, a)))
        : null,
    ]);
    const iso = (msEpoch: number) => new Date(msEpoch).toISOString();
    const party: OrderParty | null = rel === 'resident' ? 'resident' : rel === 'company' ? 'company' : null;
    let actions: string[] = party ? availableActions(o.state as OrderState, party, isLongTerm(o.mode)) : [];
    if (
      rel === 'worker' &&
      availableActions(o.state as OrderState, 'company', isLongTerm(o.mode)).includes('start')
    )
      actions = ['start'];
    if (rel === 'company' && isLongTerm(o.mode) && holdingStates.includes(o.state as OrderState))
      actions.push('replace_worker');
    if (rel === 'company' && o.mode === 'recurring' && holdingStates.includes(o.state as OrderState))
      actions.push('substitute', 'pause', 'resume');
    return {
      ...base!,
      schedule: o.schedule as Schedule,
      priceItemId: o.priceItemId,
      priceTitle: o.priceTitle,
      unit: o.unit,
      unitPriceFen: o.unitPriceFen,
      quantity: o.quantity,
      guideFlag: o.guideFlag as 'below' | 'above' | null,
      address,
      note: o.note,
      contractRef: o.contractRef,
      expiresAt: o.expiresAt?.toISOString() ?? null,
      cancelledBy: o.cancelledBy,
      cancelFeeFen: o.cancelFeeFen,
      stateReason: o.stateReason,
      demandId: o.demandId,
      resident: resident ? { name: resident.name, phoneMasked: resident.phoneMasked } : null,
      relation: rel,
      actions,
      history: events.map((e) => ({
        action: e.action,
        fromState: e.fromState,
        toState: e.toState,
        party: e.party,
        reason: e.reason,
        at: iso(e.at),
      })),
      assignments: assignments.map((a) => ({
        id: a.id,
        workerId: a.workerId,
        workerName: showName(a.workerId),
        fromAt: iso(a.fromAt),
        toAt: a.toAt === null ? null : iso(a.toAt),
        endedReason: a.endedReason,
        replacedById: a.replacedById,
      })),
      bookings: bookings.map((b) => ({
        id: b.id,
        workerId: b.workerId,
        workerName: showName(b.workerId),
        startsAt: iso(b.startsAt),
        endsAt: iso(b.endsAt),
        status: b.status,
        substituteFor: b.substituteFor,
      })),
      followUps: followUps.map((f) => ({
        id: f.id,
        assigneeKind: f.assigneeKind,
        state: f.state,
        dueAt: iso(f.dueAt),
        reached: f.reached,
        satisfaction: f.satisfaction,
        notes: rel === 'resident' ? null : f.notes,
        recordedAt: f.recordedAt === null ? null : iso(f.recordedAt),
      })),
    };
  }

  // Creation --------------------------------------------------------------------------------------------------

  /** Validates a request and prices it from the company's current list; throws the first reason it cannot be booked. */
  async function quote(input: NewOrderInput, now: Date) {
    const item = await catalog.priceForOrder(input.priceItemId);
    if (!item || item.mode !== input.schedule.mode) throw new AppError('ORDER_PRICE_ITEM_INVALID');
    // The quote comes only from an active company, read with it: its type and name need no second read.
    if (item.companyType !== 'company') throw new AppError('ORDER_COMPANY_NOT_ACTIVE');
    const p = bookingPeriods(input.schedule, now);
    if (!p.ok)
      throw new AppError(
        p.error === 'in_the_past'
          ? 'ORDER_SLOT_IN_PAST'
          : p.error === 'too_far'
            ? 'ORDER_SLOT_TOO_FAR'
            : 'ORDER_BAD_SCHEDULE',
      );
    const quantity = quantityOf(input.schedule, item.unit, p.periods);
    if (quantity === null) throw new AppError('ORDER_PRICE_ITEM_INVALID');
    return { item, periods: p.periods, quantity, companyName: item.companyName };
  }

  type Quote = Awaited<ReturnType<typeof quote>>;

  /** The one history row a new order's transaction writes (insertOrder); a new request's answer shows just that. */
  const requestEvent = { action: 'request', from: null, to: 'requested', party: 'resident' } as const;

  type OrderExtra = {
    state: 'requested' | 'accepted';
    demandId?: string;
    referralId?: string | null;
    /** Drawn before the transaction, so the day's counter row is not locked while it runs. */
    number?: string;
  };

  /** A new order's row (every column but the step timestamps a new order does not have). */
  function newOrderRow(
    residentUserId: string,
    input: NewOrderInput,
    q: Quote,
    extra: OrderExtra & { number: string },
    now: Date,
  ) {
    const start = q.periods[0]!.startsAt;
    const end = q.periods[q.periods.length - 1]!.endsAt;
    const address = input.address.trim();
    return {
      id: newId('ord'),
      number: extra.number,
      residentUserId,
      companyId: q.item.companyId,
      workerId: input.workerId ?? null,
      category: q.item.category,
      mode: q.item.mode,
      state: extra.state,
      schedule: input.schedule,
      serviceStart: start,
      serviceEnd: end,
      visits: q.periods.length,
      priceItemId: q.item.itemId,
      priceTitle: q.item.title,
      unit: q.item.unit,
      unitPriceFen: q.item.priceFen,
      quantity: q.quantity,
      totalFen: totalFen(q.item.priceFen, q.quantity),
      guideFlag: q.item.guideFlag,
      addressEnc: pii.encrypt(address, ADDRESS_AAD),
      addressMasked: maskAddress(address),
      district: input.district,
      note: input.note?.trim() || null,
      demandId: extra.demandId ?? null,
      referralId: extra.referralId ?? null,
      expiresAt: extra.state === 'requested' ? requestExpiry(now, start) : null,
      acceptedAt: extra.state === 'accepted' ? now : null,
      createdAt: now,
      updatedAt: now,
    } satisfies typeof serviceOrder.$inferInsert;
  }

  async function insertOrder(
    tx: Tx,
    ctx: RequestContext,
    residentUserId: string,
    input: NewOrderInput,
    q: Quote,
    extra: OrderExtra,
    now: Date,
  ): Promise<OrderRow> {
    const number = extra.number ?? (await nextNumber(tx, now));
    const [o] = await tx
      .insert(serviceOrder)
      .values(newOrderRow(residentUserId, input, q, { ...extra, number }, now))
      .returning();
    await history(
      tx,
      ctx,
      o!,
      requestEvent,
      now,
      extra.state === 'requested' ? 'orders.requested' : undefined,
    );
    return o!;
  }

  /**
   * A resident's request in ONE statement (inside the caller's transaction): the order row, its history row, outbox
   * event and audit row, and the company's notice, as CTEs of the audit append (three statements before).
   */
  async function insertRequest(
    tx: Tx,
    ctx: RequestContext,
    residentUserId: string,
    input: NewOrderInput,
    q: Quote,
    number: string,
    now: Date,
  ): Promise<OrderRow> {
    const values = newOrderRow(residentUserId, input, q, { state: 'requested', number }, now);
    // What the history, the event and the notice name; the row itself comes back from the insert.
    const known = values as unknown as OrderRow;
    const notices = noticesOf(
      known,
      'requested',
      `${q.item.title}，${shanghaiDate(known.serviceStart)} 开始`,
      null,
    );
    const result = (await history(tx, ctx, known, requestEvent, now, 'orders.requested', [], {
      ctes: [
        sql`o as ${tx.insert(serviceOrder).values(values).returning()}`,
        sql`ntf as (${notifyManySql(notices, now)})`,
      ],
      result: sql`json_build_object('o', (select row_to_json(o) from o), 'ntf', (select count(*) from ntf))`,
    })) as Record<string, unknown> | string;
    const r = (typeof result === 'string' ? JSON.parse(result) : result) as Record<string, unknown>;
    if (!r.o) throw new Error('order request: the insert returned no row');
    return orderFromJson(r.o as Record<string, unknown>);
  }

  async function assign(
    tx: Tx,
    ctx: RequestContext,
    o: OrderRow,
    workerId: string,
    periods: Period[],
    now: Date,
  ) {
    await holdTime(tx, o, workerId, periods);
    await tx.insert(orderAssignment).values(assignmentRow(ctx, o, workerId, periods, now));
  }

  function assignmentRow(
    ctx: RequestContext,
    o: { id: string },
    workerId: string,
    periods: Period[],
    now: Date,
  ) {
    return {
      id: newId('asg'),
      orderId: o.id,
      workerId,
      fromAt: periods[0]!.startsAt,
      createdBy: ctx.actor?.userId ?? null,
      createdAt: now,
    };
  }

  const service = {
    /** A resident books a company's price item, optionally naming one of its green workers. */
    async create(ctx: RequestContext, input: NewOrderInput) {
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      const now = clock();
      const q = await quote(input, now);
      const workerNames = new Map<string, string>();
      if (input.workerId) {
        const facts = await checkWorker(input.workerId, q.item.companyId, q.item.category);
        if (await overlaps(input.workerId, q.periods)) throw new AppError('ORDER_WORKER_UNAVAILABLE');
        workerNames.set(input.workerId, facts.name);
      }
      // The day's counter commits on its own: a booking that fails later leaves a gap in the numbers, not a lock
      // that every concurrent booking waits on.
      const number = await nextNumber(db, now);
      // The order, its history, event, audit row and the company's notice: one statement.
      const o = await db.transaction((tx) =>
        insertRequest(tx, ctx, ctx.actor!.userId, input, q, number, now),
      );
      // A new request has the one history row its transaction wrote (insertOrder) and nothing else: no worker
      // time is held before acceptance. Rendered from that, not read back (one statement less per booking).
      const e = requestEvent;
      const lists: OrderLists = {
        events: [
          { action: e.action, fromState: e.from, toState: e.to, party: e.party, reason: null, at: +now },
        ],
        assignments: [],
        bookings: [],
        followUps: [],
      };
      return detail(ctx, o, 'resident', { companyName: q.companyName, lists, workerNames });
    },

    /**
     * Checks and prices an order the company already agreed to (a demand offer being accepted). Runs before the
     * caller's transaction, since it reads other modules.
     */
    async prepareAccepted(input: NewOrderInput & { workerId: string }) {
      const q = await quote(input, clock());
      await checkWorker(input.workerId, q.item.companyId, q.item.category);
      return q;
    },

    /** Inserts the prepared order as accepted and holds the worker's time, inside the caller's transaction. */
    async insertAccepted(
      ctx: RequestContext,
      tx: Tx,
      residentUserId: string,
      input: NewOrderInput & { workerId: string },
      q: Quote,
      extra: { demandId: string; referralId: string | null },
    ): Promise<OrderRow> {
      const now = clock();
      const o = await insertOrder(tx, ctx, residentUserId, input, q, { state: 'accepted', ...extra }, now);
      await assign(tx, ctx, o, input.workerId, q.periods, now);
      await history(
        tx,
        ctx,
        o,
        {
          action: 'accept',
          from: 'requested',
          to: 'accepted',
          party: 'company',
          detail: { via: 'demand_offer' },
        },
        now,
        'orders.accepted',
      );
      return o;
    },

    /** Notices and SMS for an order accepted through a demand offer, after the caller's commit. */
    async announceAccepted(o: OrderRow) {
      await tell(o, 'accept');
      await smsResident(o, 'accept');
    },

    /** Throws ORDER_WORKER_NOT_OFFERED or ORDER_WORKER_NOT_GREEN unless the worker may be booked for this company now. */
    assertBookable: async (workerId: string, companyId: string, category: string): Promise<void> => {
      await checkWorker(workerId, companyId, category);
    },

    /** The order as the caller may see it, with its history, assignments, visits and follow-ups. */
    async get(ctx: RequestContext, orderId: string) {
      const d = await detailById(ctx, orderId, async (o, stationId) =>
        relationTo(ctx.actor, { ...o, referralStationId: stationId }, await ownWorkerId(ctx)),
      );
      if (!d) throw new AppError('NOT_FOUND');
      return d;
    },

    /** Ids of an order's parties for a caller who may see the order (messaging opens order conversations). */
    async partiesOf(ctx: RequestContext, orderId: string) {
      const { order } = await visible(ctx, orderId);
      return { residentUserId: order.residentUserId, companyId: order.companyId, workerId: order.workerId };
    },

    /** The company accepts a request, assigning a green worker (the one the resident chose, or another). */
    async accept(ctx: RequestContext, orderId: string, input: { workerId?: string | null | undefined }) {
      const { order, rel } = await visible(ctx, orderId);
      const party = partyOf(rel, 'accept');
      const workerId = input.workerId ?? order.workerId;
      let workerUserId: string | null | undefined;
      if (party === 'company') {
        if (!workerId) throw new AppError('ORDER_NOT_READY');
        workerUserId = (await checkWorker(workerId, order.companyId, order.category)).userId ?? null;
      }
      const row = await step(ctx, orderId, 'accept', party, {
        order,
        respondsTo: rel,
        workerUserId,
        detail: { workerId },
        patch: (_o, now) => ({ workerId, acceptedAt: now, expiresAt: null }),
        writes: (tx, o, now) => assignWrites(tx, ctx, o, workerId!, now),
      });
      return stepDetail(ctx, row, rel);
    },

    /** The company declines a request, with a reason the resident sees. */
    async decline(ctx: RequestContext, orderId: string, input: { reason: string }) {
      const { order, rel } = await visible(ctx, orderId);
      const row = await step(ctx, orderId, 'decline', partyOf(rel, 'decline'), {
        order,
        respondsTo: rel,
        reason: input.reason,
      });
      return stepDetail(ctx, row, rel);
    },

    /** The resident or the company cancels before service starts; the fee follows cancellationFee(). */
    async cancel(ctx: RequestContext, orderId: string, input: { reason: string }) {
      const { order, rel } = await visible(ctx, orderId);
      const party = partyOf(rel, 'cancel');
      const row = await step(ctx, orderId, 'cancel', party, {
        order,
        respondsTo: rel,
        reason: input.reason,
        patch: (o, now) => {
          const months = 'months' in (o.schedule as object) ? (o.schedule as { months: number }).months : 1;
          const fee = cancellationFee({
            by: party === 'resident' ? 'resident' : 'company',
            state: o.state as 'requested' | 'accepted' | 'contracted',
            mode: o.mode as ServiceMode,
            serviceStart: o.serviceStart,
            now,
            totalFen: o.totalFen,
            visits: o.visits,
            months,
          });
          return { cancelledAt: now, cancelledBy: party, cancelFeeFen: fee, expiresAt: null };
        },
        writes: (tx, o, now) => cancelWrites(tx, o.id, now, 'order_cancelled'),
      });
      return stepDetail(ctx, row, rel);
    },

    /**
     * A long-term order's contract is signed: the contracts module calls this with the contract id; until it
     * exists, the company records a contract signed on paper by its reference.
     */
    async recordContract(ctx: RequestContext, orderId: string, input: { contractRef: string }) {
      const { order, rel } = await visible(ctx, orderId);
      const row = await step(ctx, orderId, 'contract', partyOf(rel, 'contract'), {
        order,
        respondsTo: rel,
        detail: { contractRef: input.contractRef },
        patch: () => ({ contractRef: input.contractRef.trim() }),
      });
      return stepDetail(ctx, row, rel);
    },

    /** The contracts module records its sealed e-contract on the order (a system step, after its own commit). */
    async recordSealedContract(ctx: RequestContext, orderId: string, contractId: string) {
      const row = await step(ctx, orderId, 'contract', 'system', {
        detail: { contractRef: contractId },
        patch: () => ({ contractRef: contractId }),
      });
      return { id: row.id, state: row.state as OrderState };
    },

    /** The facts a contract is filled from (parties, schedule, price, the full address); null for an unknown order. */
    async contractFacts(orderId: string) {
      const [o] = await db.select().from(serviceOrder).where(eq(serviceOrder.id, orderId)).limit(1);
      if (!o) return null;
      return {
        orderId: o.id,
        number: o.number,
        state: o.state as OrderState,
        residentUserId: o.residentUserId,
        companyId: o.companyId,
        workerId: o.workerId,
        category: o.category,
        mode: o.mode as ServiceMode,
        schedule: o.schedule as Schedule,
        serviceStart: o.serviceStart,
        serviceEnd: o.serviceEnd,
        priceTitle: o.priceTitle,
        unit: o.unit,
        unitPriceFen: o.unitPriceFen,
        quantity: o.quantity,
        totalFen: o.totalFen,
        district: o.district,
        address: pii.decrypt(o.addressEnc, ADDRESS_AAD),
      };
    },

    /** The company or the assigned worker marks the service started (no earlier than two hours before the slot). */
    async start(ctx: RequestContext, orderId: string) {
      const { order, rel } = await visible(ctx, orderId);
      const party = partyOf(rel, 'start');
      const row = await step(ctx, orderId, 'start', party, {
        order,
        respondsTo: rel,
        patch: (o, now) => {
          if (o.serviceStart.getTime() - now.getTime() > EARLY_START_MS)
            throw new AppError('ORDER_NOT_READY');
          return { startedAt: now };
        },
      });
      return stepDetail(ctx, row, rel);
    },

    /** The resident confirms the service is done: the order completes and follow-ups are scheduled. */
    async confirm(ctx: RequestContext, orderId: string) {
      const { order, rel } = await visible(ctx, orderId);
      const row = await step(ctx, orderId, 'confirm', partyOf(rel, 'confirm'), {
        order,
        respondsTo: rel,
        patch: (_o, now) => ({ completedAt: now }),
        writes: (tx, o, now) => completeWrites(tx, o, now),
      });
      return stepDetail(ctx, row, rel);
    },

    /** Replaces the worker of a long-term order (换人): the old assignment ends now, the new one holds the rest. */
    async replaceWorker(ctx: RequestContext, orderId: string, input: { workerId: string; reason: string }) {
      const { order, rel } = await visible(ctx, orderId);
      if (rel !== 'company') throw new AppError('ORDER_NOT_YOUR_STEP');
      if (!isLongTerm(order.mode) || !holdingStates.includes(order.state as OrderState))
        throw new AppError('ORDER_INVALID_TRANSITION');
      if (!input.reason.trim()) throw new AppError('ORDER_REASON_REQUIRED');
      if (input.workerId === order.workerId) throw new AppError('ORDER_WORKER_UNAVAILABLE');
      await checkWorker(input.workerId, order.companyId, order.category);
      const updated = await db.transaction(async (tx) => {
        const [o] = await tx.select().from(serviceOrder).where(eq(serviceOrder.id, orderId)).for('update');
        if (!o || !holdingStates.includes(o.state as OrderState))
          throw new AppError('ORDER_INVALID_TRANSITION');
        const now = clock();
        const from = new Date(Math.max(now.getTime(), o.serviceStart.getTime()));
        if (from >= o.serviceEnd) throw new AppError('ORDER_INVALID_TRANSITION');
        // The old worker keeps the time already served; the rest is released.
        const [held] = await tx
          .select()
          .from(workerBooking)
          .where(and(eq(workerBooking.orderId, o.id), eq(workerBooking.active, true)))
          .for('update');
        if (held) {
          if (held.startsAt < from)
            await tx.update(workerBooking).set({ endsAt: from }).where(eq(workerBooking.id, held.id));
          else
            await tx
              .update(workerBooking)
              .set({ active: false, status: 'released' })
              .where(eq(workerBooking.id, held.id));
        }
        await holdTime(tx, o, input.workerId, [{ startsAt: from, endsAt: o.serviceEnd }]);
        const newAssignment = newId('asg');
        await tx
          .update(orderAssignment)
          .set({ toAt: from, endedReason: input.reason.trim(), replacedById: newAssignment })
          .where(and(eq(orderAssignment.orderId, o.id), sql`${orderAssignment.toAt} is null`));
        await tx.insert(orderAssignment).values({
          id: newAssignment,
          orderId: o.id,
          workerId: input.workerId,
          fromAt: from,
          createdBy: ctx.actor?.userId ?? null,
          createdAt: now,
        });
        const [row] = await tx
          .update(serviceOrder)
          .set({ workerId: input.workerId, updatedAt: now })
          .where(eq(serviceOrder.id, o.id))
          .returning();
        await history(
          tx,
          ctx,
          row!,
          {
            action: 'replace_worker',
            from: o.state as OrderState,
            to: o.state as OrderState,
            party: 'company',
            reason: input.reason.trim(),
            detail: { fromWorkerId: o.workerId, toWorkerId: input.workerId },
          },
          now,
          'orders.worker_replaced',
        );
        return row!;
      });
      await tell(updated, 'worker_replaced');
      await smsResident(updated, 'worker_replaced');
      return detail(ctx, updated, rel);
    },

    /** A substitute covers one visit of a recurring order while the regular worker is away (顶班). */
    async substitute(
      ctx: RequestContext,
      orderId: string,
      input: { bookingId: string; workerId: string; reason: string },
    ) {
      const { order, rel } = await visible(ctx, orderId);
      if (rel !== 'company') throw new AppError('ORDER_NOT_YOUR_STEP');
      if (order.mode !== 'recurring' || !holdingStates.includes(order.state as OrderState))
        throw new AppError('ORDER_INVALID_TRANSITION');
      if (!input.reason.trim()) throw new AppError('ORDER_REASON_REQUIRED');
      await checkWorker(input.workerId, order.companyId, order.category);
      await db.transaction(async (tx) => {
        const [b] = await tx
          .select()
          .from(workerBooking)
          .where(and(eq(workerBooking.id, input.bookingId), eq(workerBooking.orderId, orderId)))
          .for('update');
        if (!b) throw new AppError('NOT_FOUND');
        if (!b.active || b.startsAt <= clock() || b.workerId === input.workerId)
          throw new AppError('ORDER_INVALID_TRANSITION');
        await tx
          .update(workerBooking)
          .set({ active: false, status: 'released' })
          .where(eq(workerBooking.id, b.id));
        try {
          await tx.transaction(async (sp) => {
            await sp.insert(workerBooking).values({
              id: newId('bkg'),
              orderId,
              workerId: input.workerId,
              startsAt: b.startsAt,
              endsAt: b.endsAt,
              substituteFor: b.id,
              createdAt: clock(),
            });
          });
        } catch (e) {
          if (pgCode(e) === '23P01') throw new AppError('ORDER_WORKER_UNAVAILABLE');
          throw e;
        }
        await history(
          tx,
          ctx,
          order,
          {
            action: 'substitute',
            from: order.state as OrderState,
            to: order.state as OrderState,
            party: 'company',
            reason: input.reason.trim(),
            detail: { bookingId: b.id, regularWorkerId: b.workerId, substituteWorkerId: input.workerId },
          },
          clock(),
        );
      });
      return detail(ctx, (await visible(ctx, orderId)).order, rel);
    },

    /** Pauses (or resumes) the visits of a recurring order between two days; paused visits free the worker. */
    async pause(ctx: RequestContext, orderId: string, input: { from: string; to: string; resume: boolean }) {
      const { order, rel } = await visible(ctx, orderId);
      if (rel !== 'company' && rel !== 'resident') throw new AppError('ORDER_NOT_YOUR_STEP');
      if (order.mode !== 'recurring' || !holdingStates.includes(order.state as OrderState))
        throw new AppError('ORDER_INVALID_TRANSITION');
      const from = new Date(`${input.from}T00:00:00+08:00`);
      const to = new Date(new Date(`${input.to}T00:00:00+08:00`).getTime() + 24 * 3600_000);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from)
        throw new AppError('ORDER_BAD_SCHEDULE');
      const lower = new Date(Math.max(from.getTime(), clock().getTime()));
      await db.transaction(async (tx) => {
        const where = and(
          eq(workerBooking.orderId, orderId),
          gt(workerBooking.startsAt, lower),
          lt(workerBooking.startsAt, to),
          sql`${workerBooking.substituteFor} is null`,
        );
        if (input.resume) {
          try {
            await tx.transaction(async (sp) => {
              await sp
                .update(workerBooking)
                .set({ active: true, status: 'scheduled' })
                .where(and(where, eq(workerBooking.status, 'paused')));
            });
          } catch (e) {
            if (pgCode(e) === '23P01') throw new AppError('ORDER_WORKER_UNAVAILABLE');
            throw e;
          }
        } else
          await tx
            .update(workerBooking)
            .set({ active: false, status: 'paused' })
            .where(and(where, eq(workerBooking.active, true)));
        await history(
          tx,
          ctx,
          order,
          {
            action: input.resume ? 'resume' : 'pause',
            from: order.state as OrderState,
            to: order.state as OrderState,
            party: rel,
            detail: { from: input.from, to: input.to },
          },
          clock(),
        );
      });
      return detail(ctx, (await visible(ctx, orderId)).order, rel);
    },

    /** The resident's orders, newest first. */
    async listMine(
      ctx: RequestContext,
      q: { state?: OrderState | undefined; cursor?: string | undefined; limit: number },
    ) {
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      return listWhere(eq(serviceOrder.residentUserId, ctx.actor.userId), q, 'resident');
    },

    /** A company's orders (its dispatch board), newest first, by state. */
    async listForCompany(
      ctx: RequestContext,
      companyId: string,
      q: { state?: OrderState | undefined; cursor?: string | undefined; limit: number },
    ) {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'company').includes(companyId)) throw new AppError('NOT_FOUND');
      return listWhere(eq(serviceOrder.companyId, companyId), q, 'company');
    },

    /** Orders in a regulator's district (all of them for a city-wide regulator). */
    async listForRegulator(
      ctx: RequestContext,
      q: {
        state?: OrderState | undefined;
        district?: string | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      const scope = ctx.actor?.regulatorDistrict ?? null;
      if (q.district && scope && !q.district.startsWith(scope)) throw new AppError('NOT_FOUND');
      const district = q.district ?? scope;
      return listWhere(
        district ? sql`${serviceOrder.district} like ${`${district}%`}` : undefined,
        q,
        'regulator',
      );
    },

    /** The signed-in worker's booked time between two instants, with each order's essentials. */
    async mySchedule(ctx: RequestContext, q: { from: Date; to: Date }) {
      const workerId = await ownWorkerId(ctx);
      if (!workerId) throw new AppError('NOT_FOUND');
      const rows = await db
        .select({ b: workerBooking, o: serviceOrder })
        .from(workerBooking)
        .innerJoin(serviceOrder, eq(serviceOrder.id, workerBooking.orderId))
        .where(
          and(
            eq(workerBooking.workerId, workerId),
            lt(workerBooking.startsAt, q.to),
            gt(workerBooking.endsAt, q.from),
            inArray(workerBooking.status, ['scheduled', 'paused']),
          ),
        )
        .orderBy(asc(workerBooking.startsAt))
        .limit(500);
      const names = await companyNames(rows.map((r) => r.o.companyId));
      return rows.map(({ b, o }) => ({
        bookingId: b.id,
        orderId: o.id,
        number: o.number,
        state: o.state as OrderState,
        category: o.category,
        mode: o.mode,
        startsAt: b.startsAt.toISOString(),
        endsAt: b.endsAt.toISOString(),
        status: b.status,
        district: o.district,
        addressMasked: o.addressMasked,
        company: { id: o.companyId, name: names.get(o.companyId) ?? '' },
        substitute: !!b.substituteFor,
      }));
    },

    /** The facts of an order that reviews and complaints check (parties, state, completion); null when absent. */
    async reviewFacts(orderId: string) {
      const [o] = await db
        .select({
          id: serviceOrder.id,
          number: serviceOrder.number,
          state: serviceOrder.state,
          residentUserId: serviceOrder.residentUserId,
          companyId: serviceOrder.companyId,
          workerId: serviceOrder.workerId,
          completedAt: serviceOrder.completedAt,
          contractRef: serviceOrder.contractRef,
          district: serviceOrder.district,
          category: serviceOrder.category,
        })
        .from(serviceOrder)
        .where(eq(serviceOrder.id, orderId))
        .limit(1);
      return o ? { ...o, state: o.state as OrderState } : null;
    },

    /**
     * The worker's order history for their e-file (一档) and export: every order they were assigned to or covered
     * a visit of, with their own span. No resident names or addresses (those belong to the household).
     */
    async efileSection(workerId: string) {
      const assigned = await db
        .select({ o: serviceOrder, a: orderAssignment })
        .from(orderAssignment)
        .innerJoin(serviceOrder, eq(serviceOrder.id, orderAssignment.orderId))
        .where(eq(orderAssignment.workerId, workerId))
        .orderBy(desc(orderAssignment.fromAt))
        .limit(1000);
      const covered = await db
        .select({ o: serviceOrder, b: workerBooking })
        .from(workerBooking)
        .innerJoin(serviceOrder, eq(serviceOrder.id, workerBooking.orderId))
        .where(and(eq(workerBooking.workerId, workerId), sql`${workerBooking.substituteFor} is not null`))
        .orderBy(desc(workerBooking.startsAt))
        .limit(1000);
      const names = await companyNames([
        ...assigned.map((r) => r.o.companyId),
        ...covered.map((r) => r.o.companyId),
      ]);
      // Every visit or span the worker was held for, so the export holds their whole booked time.
      const visits = await db
        .select()
        .from(workerBooking)
        .where(eq(workerBooking.workerId, workerId))
        .orderBy(asc(workerBooking.startsAt))
        .limit(5000);
      const visitsOf = (orderId: string) =>
        visits
          .filter((v) => v.orderId === orderId && !v.substituteFor)
          .map((v) => ({
            id: v.id,
            startsAt: v.startsAt.toISOString(),
            endsAt: v.endsAt.toISOString(),
            status: v.status,
          }));
      const item = (
        ref: string,
        o: OrderRow,
        role: 'assigned' | 'substitute',
        from: Date,
        to: Date | null,
      ) => ({
        ref,
        orderId: o.id,
        number: o.number,
        category: o.category,
        mode: o.mode,
        state: o.state as OrderState,
        role,
        companyName: names.get(o.companyId) ?? '',
        district: o.district,
        from: from.toISOString(),
        to: (to ?? o.serviceEnd).toISOString(),
        visits: role === 'assigned' ? visitsOf(o.id) : [],
      });
      return {
        available: true as const,
        items: [
          ...assigned.map(({ o, a }) => item(a.id, o, 'assigned', a.fromAt, a.toAt)),
          ...covered.map(({ o, b }) => item(b.id, o, 'substitute', b.startsAt, b.endsAt)),
        ].sort((x, y) => y.from.localeCompare(x.from)),
        message: null,
      };
    },

    /**
     * A condition, true when the worker in `workerIdColumn` holds booked time in [from, to): a correlated
     * `exists` for search filters, so each candidate probes an index instead of the query scanning every booking
     * (`not in (select …)` did, measured in docs/performance.md): `worker_booking_free_idx` (worker_id, ends_at,
     * starts_at) where active, read from the index alone and from the period's start on, past bookings skipped.
     */
    workerBusySql(workerIdColumn: SQL | AnyColumn, from: Date, to: Date): SQL {
      return sql`exists (select 1 from ${workerBooking} where ${workerBooking.workerId} = ${workerIdColumn} and ${workerBooking.active} and ${workerBooking.startsAt} < ${to} and ${workerBooking.endsAt} > ${from})`;
    },

    /** A worker's held periods in [from, to), for the availability calendar. No order details. */
    async busyPeriods(workerId: string, from: Date, to: Date): Promise<{ from: Date; to: Date }[]> {
      return (await heldPeriods(workerId, from, to)).map((r) => ({ from: r.s, to: r.e }));
    },

    /** A company's orders not yet final (for the regulator when the company is expelled), oldest service first. */
    async openOrdersOf(companyId: string) {
      const rows = await db
        .select({
          id: serviceOrder.id,
          number: serviceOrder.number,
          state: serviceOrder.state,
          workerId: serviceOrder.workerId,
          serviceStart: serviceOrder.serviceStart,
        })
        .from(serviceOrder)
        .where(
          and(
            eq(serviceOrder.companyId, companyId),
            sql`${serviceOrder.state} not in ('declined', 'expired', 'cancelled', 'closed')`,
          ),
        )
        .orderBy(asc(serviceOrder.serviceStart), asc(serviceOrder.id));
      return rows.map((r) => ({ ...r, serviceStart: r.serviceStart.toISOString() }));
    },

    // Follow-ups -------------------------------------------------------------------------------------------------

    /** Follow-up tasks for a company, a station, or the regulator's sample (district-scoped), due first. */
    async listFollowUps(
      ctx: RequestContext,
      who: { kind: 'company' | 'station'; orgId: string } | { kind: 'regulator' },
      q: { state?: 'pending' | 'done' | undefined; cursor?: string | undefined; limit: number },
    ) {
      let scope: SQL | undefined;
      if (who.kind === 'regulator') {
        const d = ctx.actor?.regulatorDistrict;
        scope = and(
          eq(followUp.assigneeKind, 'regulator'),
          d ? sql`${followUp.district} like ${`${d}%`}` : undefined,
        );
      } else {
        if (!ctx.actor || !orgIdsOf(ctx.actor, who.kind).includes(who.orgId)) throw new AppError('NOT_FOUND');
        scope = and(eq(followUp.assigneeKind, who.kind), eq(followUp.assigneeOrgId, who.orgId));
      }
      const c = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select({ f: followUp, o: serviceOrder })
        .from(followUp)
        .innerJoin(serviceOrder, eq(serviceOrder.id, followUp.orderId))
        .where(
          and(
            scope,
            q.state ? eq(followUp.state, q.state) : undefined,
            c ? gt(followUp.id, c.id) : undefined,
          ),
        )
        .orderBy(asc(followUp.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.f.id }));
      const names = await companyNames(page.items.map((r) => r.o.companyId));
      return {
        nextCursor: page.nextCursor,
        items: page.items.map(({ f, o }) => ({
          id: f.id,
          orderId: o.id,
          orderNumber: o.number,
          category: o.category,
          mode: o.mode,
          company: { id: o.companyId, name: names.get(o.companyId) ?? '' },
          district: f.district,
          assigneeKind: f.assigneeKind,
          dueAt: f.dueAt.toISOString(),
          state: f.state,
          reached: f.reached,
          satisfaction: f.satisfaction,
          notes: f.notes,
          recordedAt: f.recordedAt?.toISOString() ?? null,
          completedAt: o.completedAt?.toISOString() ?? null,
        })),
      };
    },

    /** Records a follow-up call's result; the company's own closes the order. */
    async recordFollowUp(
      ctx: RequestContext,
      followUpId: string,
      input: {
        reached: boolean;
        satisfaction?: number | null | undefined;
        notes?: string | null | undefined;
      },
    ) {
      const [f] = await db.select().from(followUp).where(eq(followUp.id, followUpId)).limit(1);
      if (!f || !ctx.actor) throw new AppError('NOT_FOUND');
      const allowed =
        f.assigneeKind === 'regulator'
          ? ctx.actor.roles.includes('regulator') &&
            (!ctx.actor.regulatorDistrict || f.district.startsWith(ctx.actor.regulatorDistrict))
          : !!f.assigneeOrgId &&
            orgIdsOf(ctx.actor, f.assigneeKind as 'company' | 'station').includes(f.assigneeOrgId);
      if (!allowed) throw new AppError('NOT_FOUND');
      if (input.reached && !input.satisfaction)
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'satisfaction', message: 'required when reached' }],
        });
      await db.transaction(async (tx) => {
        const [row] = await tx.select().from(followUp).where(eq(followUp.id, followUpId)).for('update');
        if (row!.state === 'done') throw new AppError('FOLLOW_UP_DONE');
        const now = clock();
        await tx
          .update(followUp)
          .set({
            state: 'done',
            reached: input.reached,
            satisfaction: input.reached ? (input.satisfaction ?? null) : null,
            notes: input.notes?.trim() || null,
            recordedBy: ctx.actor!.userId,
            recordedAt: now,
          })
          .where(eq(followUp.id, followUpId));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'order.follow_up',
            objectType: 'order',
            objectId: row!.orderId,
            detail: {
              followUpId,
              kind: row!.assigneeKind,
              reached: input.reached,
              satisfaction: input.satisfaction ?? null,
            },
          },
          now,
        );
      });
      if (f.assigneeKind === 'company') {
        const [o] = await db.select().from(serviceOrder).where(eq(serviceOrder.id, f.orderId));
        if (o?.state === 'completed')
          await step(ctx, o.id, 'close', 'system', { order: o, detail: { via: 'follow_up' } });
      }
      const [done] = await db.select().from(followUp).where(eq(followUp.id, followUpId));
      return { id: done!.id, state: done!.state, reached: done!.reached, satisfaction: done!.satisfaction };
    },

    /**
     * The order's contract was terminated (解除) with an effective date; the service ends at the end of that day. An
     * order in service whose day has passed ends at once (end_early: time released, follow-ups started, as on
     * completion); one terminated before its service would start is cancelled without a fee (the contract's
     * settlement covers money); otherwise the service is shortened to that day and the worker's later time released,
     * so the usual confirmation completes it. Other states are left alone: a redelivered event changes nothing.
     */
    async onContractTerminated(
      ctx: RequestContext,
      p: { orderId: string; contractNumber: string; effectiveDate: string },
    ) {
      const reason = `合同 ${p.contractNumber} 已解除，服务至 ${p.effectiveDate}`;
      // The end of the effective day in China Standard Time (UTC+8, no daylight saving).
      const end = new Date(Date.parse(`${p.effectiveDate}T00:00:00+08:00`) + 24 * 3600_000);
      const [o] = await db
        .select({
          state: serviceOrder.state,
          serviceStart: serviceOrder.serviceStart,
          serviceEnd: serviceOrder.serviceEnd,
        })
        .from(serviceOrder)
        .where(eq(serviceOrder.id, p.orderId));
      if (!o) return;
      try {
        if (o.state === 'in_service' && end <= clock())
          await step(ctx, p.orderId, 'end_early', 'system', {
            reason,
            // Least in SQL: the end stays right even if the service was shortened since the order was read.
            patch: (_row, now) => ({
              completedAt: now,
              serviceEnd: sql`least(${serviceOrder.serviceEnd}, ${end.toISOString()}::timestamptz)`,
            }),
            // The completion releases the visits after now; the cut at `end` (≤ now) follows in the transaction.
            writes: (tx, row, now) => completeWrites(tx, row, now),
            effects: (tx, row) => releaseTimeAfter(tx, row.id, end),
          });
        else if (o.state === 'contracted' && end <= o.serviceStart)
          await step(ctx, p.orderId, 'cancel', 'system', {
            reason,
            patch: (_row, now) => ({
              cancelledAt: now,
              cancelledBy: 'system',
              cancelFeeFen: 0,
              expiresAt: null,
            }),
            writes: (tx, row, now) => cancelWrites(tx, row.id, now, 'contract_terminated'),
          });
        else if ((o.state === 'in_service' || o.state === 'contracted') && end < o.serviceEnd)
          await shortenService(ctx, p.orderId, end, reason);
      } catch (e) {
        // Someone moved the order between the read and the lock; the state it is in now needs nothing more.
        if (!(e instanceof AppError && e.code === 'ORDER_INVALID_TRANSITION')) throw e;
      }
    },

    // Jobs -------------------------------------------------------------------------------------------------------

    /** Moves orders whose time has come: unanswered requests expire, short services start, services complete, orders close. */
    async runDue(
      ctx: RequestContext,
    ): Promise<Record<'expired' | 'started' | 'confirmed' | 'closed', number>> {
      const now = clock();
      const counts = { expired: 0, started: 0, confirmed: 0, closed: 0 };
      const due = async (where: SQL | undefined) =>
        db
          .select({ id: serviceOrder.id })
          .from(serviceOrder)
          .where(where)
          .orderBy(asc(serviceOrder.id))
          .limit(500);
      for (const o of await due(and(eq(serviceOrder.state, 'requested'), lte(serviceOrder.expiresAt, now))))
        if (await tryStep(ctx, o.id, 'expire')) counts.expired++;
      for (const o of await due(
        and(
          eq(serviceOrder.state, 'accepted'),
          inArray(serviceOrder.mode, ['hourly', 'recurring']),
          lte(serviceOrder.serviceStart, now),
        ),
      ))
        if (await tryStep(ctx, o.id, 'start')) counts.started++;
      for (const o of await due(
        and(
          eq(serviceOrder.state, 'in_service'),
          lte(serviceOrder.serviceEnd, new Date(now.getTime() - AUTO_CONFIRM_MS)),
        ),
      ))
        if (await tryStep(ctx, o.id, 'auto_confirm')) counts.confirmed++;
      for (const o of await due(
        and(
          eq(serviceOrder.state, 'completed'),
          lte(serviceOrder.completedAt, new Date(now.getTime() - CLOSE_AFTER_MS)),
        ),
      ))
        if (await tryStep(ctx, o.id, 'close')) counts.closed++;
      return counts;
    },
  };

  async function tryStep(
    ctx: RequestContext,
    id: string,
    action: 'expire' | 'start' | 'auto_confirm' | 'close',
  ) {
    try {
      await step(ctx, id, action, 'system', {
        patch: (_o, now) =>
          action === 'expire'
            ? { expiresAt: null }
            : action === 'start'
              ? { startedAt: now }
              : action === 'auto_confirm'
                ? { completedAt: now }
                : { closedAt: now },
        writes: action === 'auto_confirm' ? (tx, o, now) => completeWrites(tx, o, now) : undefined,
      });
      return true;
    } catch (e) {
      // Another node or a person moved it first; the next run sees the new state.
      if (e instanceof AppError && e.code === 'ORDER_INVALID_TRANSITION') return false;
      throw e;
    }
  }

  /** A contracted or in-service order now ends earlier (its contract was terminated); later time is released. */
  async function shortenService(ctx: RequestContext, orderId: string, end: Date, reason: string) {
    const row = await db.transaction(async (tx) => {
      const [o] = await tx.select().from(serviceOrder).where(eq(serviceOrder.id, orderId)).for('update');
      if (!o || !['in_service', 'contracted'].includes(o.state) || end >= o.serviceEnd) return null;
      const now = clock();
      await releaseTimeAfter(tx, o.id, end);
      const [u] = await tx
        .update(serviceOrder)
        .set({ serviceEnd: end, stateReason: reason, updatedAt: now })
        .where(eq(serviceOrder.id, o.id))
        .returning();
      await history(
        tx,
        ctx,
        u!,
        {
          action: 'service_shortened',
          from: o.state as OrderState,
          to: o.state as OrderState,
          party: 'system',
          reason,
          detail: { serviceEnd: end.toISOString(), previousEnd: o.serviceEnd.toISOString() },
        },
        now,
      );
      return u!;
    });
    if (row) await tell(row, 'service_shortened', reason);
  }

  /**
   * A completion's writes as CTEs of the step's statement (three statements before): visits after the confirmation
   * are not owed any more (the worker's time is released), the assignment ends, the follow-ups are scheduled.
   */
  async function completeWrites(tx: Tx, o: OrderRow, now: Date): Promise<StepWrites> {
    const rows = followUpRows(o, now, await stationOf(o, tx));
    return {
      ctes: [
        sql`rel as ${releaseTimeQuery(tx, o.id, 'released', now)}`,
        sql`asg as ${closeOpenAssignmentQuery(tx, o.id, now, 'completed')}`,
        sql`fup as ${tx.insert(followUp).values(rows).onConflictDoNothing().returning({ id: followUp.id })}`,
      ],
      counts: { fup: rows.length },
    };
  }

  /** A cancellation's writes as CTEs of the step's statement: the held time is released, the assignment ends. */
  function cancelWrites(tx: Tx, orderId: string, now: Date, reason: string): StepWrites {
    return {
      ctes: [
        sql`rel as ${releaseTimeQuery(tx, orderId, 'cancelled')}`,
        sql`asg as ${closeOpenAssignmentQuery(tx, orderId, now, reason)}`,
      ],
    };
  }

  /** An acceptance's writes as CTEs of the step's statement: the worker's time (`bk`, counted) and the assignment. */
  function assignWrites(tx: Tx, ctx: RequestContext, o: OrderRow, workerId: string, now: Date): StepWrites {
    const periods = periodsOf(o);
    return {
      ctes: [
        // The no-overlap constraint is an arbiter of `on conflict do nothing`: time already held is skipped, and the
        // count of rows held tells the step (held), which then refuses and rolls back.
        sql`bk as ${tx
          .insert(workerBooking)
          .values(bookingRows(o, workerId, periods))
          .onConflictDoNothing()
          .returning({ id: workerBooking.id })}`,
        sql`asn as ${tx
          .insert(orderAssignment)
          .values(assignmentRow(ctx, o, workerId, periods, now))
          .onConflictDoNothing()
          .returning({ id: orderAssignment.id })}`,
      ],
      counts: { bk: periods.length, asn: 1 },
    };
  }

  /** The update ending the order's open assignment, not yet run: awaited, or a CTE of a step. */
  function closeOpenAssignmentQuery(tx: DbOrTx, orderId: string, now: Date, reason: string) {
    return tx
      .update(orderAssignment)
      .set({ toAt: now, endedReason: reason })
      .where(and(eq(orderAssignment.orderId, orderId), sql`${orderAssignment.toAt} is null`));
  }

  async function listWhere(
    scope: SQL | undefined,
    q: { state?: OrderState | undefined; cursor?: string | undefined; limit: number },
    rel: Relation,
  ) {
    const c = decodeCursor(q.cursor, idCursor);
    // The worker's and the company's names come with each row: one statement per page (one per company before).
    const rows = await db
      .select({
        o: serviceOrder,
        workerName: workerNameSql(sql.raw('"service_order"."worker_id"')),
        companyName: organizationNameSql(sql.raw('"service_order"."company_id"')),
      })
      .from(serviceOrder)
      .where(
        and(
          scope,
          q.state ? eq(serviceOrder.state, q.state) : undefined,
          c ? lt(serviceOrder.id, c.id) : undefined,
        ),
      )
      .orderBy(desc(serviceOrder.id))
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => ({ id: r.o.id }));
    const names = { worker: new Map<string, string>(), company: new Map<string, string>() };
    for (const r of page.items) {
      if (r.o.workerId && r.workerName !== null) names.worker.set(r.o.workerId, r.workerName);
      if (r.companyName !== null) names.company.set(r.o.companyId, r.companyName);
    }
    return { items: page.items.map((r) => summary(r.o, rel, names)), nextCursor: page.nextCursor };
  }

  return service;
}

export type OrdersService = ReturnType<typeof createOrdersService>;
export type OrderDetail = Awaited<ReturnType<OrdersService['get']>>;
