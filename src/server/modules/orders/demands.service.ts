import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { maskAddress, maskName } from '../../../shared/validators/index.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import type { Pii } from '../../platform/pii/index.js';
import type { NotificationsService } from '../notifications/index.js';
import type { OrgsService } from '../orgs/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { TrustFacts } from '../workers/index.js';
import type { OrdersService } from './orders.service.js';
import { demand, demandOffer, referral, serviceOrder } from './orders.tables.js';
import { bookingPeriods, type Schedule } from './schedule.js';
import { amountFigure } from '../../../shared/money-words.js';

const ADDRESS_AAD = 'demand.address';
/** A demand stays open a week, or until its service would start. */
const DEMAND_OPEN_MS = 7 * 24 * 3600_000;

export interface DemandsDeps {
  db: Db;
  clock: () => Date;
  pii: Pii;
  orders: Pick<
    OrdersService,
    'prepareAccepted' | 'insertAccepted' | 'announceAccepted' | 'get' | 'assertBookable'
  >;
  catalog: Pick<CatalogService, 'priceForOrder'>;
  notifications: Pick<NotificationsService, 'notify'>;
  orgs: Pick<OrgsService, 'getOrganization'>;
  workers: { trustFacts(workerId: string): Promise<TrustFacts | null> };
}

export interface DemandInput {
  category: string;
  mode: string;
  district: string;
  address: string;
  schedule: Schedule;
  budgetMinFen?: number | null | undefined;
  budgetMaxFen?: number | null | undefined;
  description: string;
}

type DemandRow = typeof demand.$inferSelect;

/** Demand list (需求发布), company offers, and community station referrals (转介). */
export function createDemandsService(deps: DemandsDeps) {
  const { db, clock, pii, notifications, orgs } = deps;

  function checkSchedule(s: Schedule, mode: string, now: Date) {
    if (s.mode !== mode) throw new AppError('ORDER_BAD_SCHEDULE');
    const r = bookingPeriods(s, now);
    if (!r.ok)
      throw new AppError(
        r.error === 'in_the_past'
          ? 'ORDER_SLOT_IN_PAST'
          : r.error === 'too_far'
            ? 'ORDER_SLOT_TOO_FAR'
            : 'ORDER_BAD_SCHEDULE',
      );
    return r.periods;
  }

  async function loadOpen(id: string): Promise<DemandRow> {
    const [d] = await db.select().from(demand).where(eq(demand.id, id)).limit(1);
    if (!d) throw new AppError('NOT_FOUND');
    return d;
  }

  function isOpen(d: DemandRow, now: Date) {
    return d.state === 'open' && d.expiresAt > now;
  }

  /** What a company or station may see of a demand: no name, no full address, no phone. */
  function publicView(d: DemandRow) {
    return {
      id: d.id,
      category: d.category,
      mode: d.mode,
      district: d.district,
      addressMasked: d.addressMasked,
      schedule: d.schedule as Schedule,
      budgetMinFen: d.budgetMinFen,
      budgetMaxFen: d.budgetMaxFen,
      description: d.description,
      state: d.state,
      expiresAt: d.expiresAt.toISOString(),
      createdAt: d.createdAt.toISOString(),
    };
  }

  async function offerViews(rows: (typeof demandOffer.$inferSelect)[]) {
    const out = [];
    for (const o of rows) {
      const org = await orgs.getOrganization(o.companyId);
      const facts = await deps.workers.trustFacts(o.workerId);
      const item = await deps.catalog.priceForOrder(o.priceItemId);
      out.push({
        id: o.id,
        demandId: o.demandId,
        company: { id: o.companyId, name: org?.name ?? '', creditGrade: org?.creditGrade ?? null },
        worker: {
          id: o.workerId,
          name: facts ? maskName(facts.name) : '',
          skillLevel: facts?.skillLevel ?? null,
        },
        priceItemId: o.priceItemId,
        priceTitle: item?.title ?? null,
        unit: item?.unit ?? null,
        priceFen: item?.priceFen ?? null,
        message: o.message,
        state: o.state,
        referred: !!o.referralId,
        createdAt: o.createdAt.toISOString(),
      });
    }
    return out;
  }

  return {
    /** A resident publishes a need; companies serving the district and the area's station see it. */
    async post(ctx: RequestContext, input: DemandInput) {
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      const now = clock();
      const periods = checkSchedule(input.schedule, input.mode, now);
      if (input.budgetMinFen != null && input.budgetMaxFen != null && input.budgetMaxFen < input.budgetMinFen)
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'budgetMaxFen', message: 'below budgetMinFen' }],
        });
      const address = input.address.trim();
      const expiresAt = new Date(Math.min(now.getTime() + DEMAND_OPEN_MS, periods[0]!.startsAt.getTime()));
      const id = newId('dmd');
      await db.transaction(async (tx) => {
        await tx.insert(demand).values({
          id,
          residentUserId: ctx.actor!.userId,
          category: input.category,
          mode: input.mode,
          district: input.district,
          addressEnc: pii.encrypt(address, ADDRESS_AAD),
          addressMasked: maskAddress(address),
          schedule: input.schedule,
          budgetMinFen: input.budgetMinFen ?? null,
          budgetMaxFen: input.budgetMaxFen ?? null,
          description: input.description.trim(),
          state: 'open',
          expiresAt,
          createdAt: now,
          updatedAt: now,
        });
        await appendAudit(tx, ctx, { action: 'demand.post', objectType: 'demand', objectId: id }, now);
      });
      return this.getMine(ctx, id);
    },

    /** The resident's own demand with all offers. */
    async getMine(ctx: RequestContext, id: string) {
      const d = await loadOpen(id);
      if (!ctx.actor || d.residentUserId !== ctx.actor.userId) throw new AppError('NOT_FOUND');
      const offers = await db
        .select()
        .from(demandOffer)
        .where(eq(demandOffer.demandId, id))
        .orderBy(demandOffer.id);
      return {
        ...publicView(d),
        address: pii.decrypt(d.addressEnc, ADDRESS_AAD),
        orderId: d.orderId,
        offers: await offerViews(offers),
      };
    },

    /** The resident's demands, newest first. */
    async listMine(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      const c = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(demand)
        .where(and(eq(demand.residentUserId, ctx.actor.userId), c ? lt(demand.id, c.id) : undefined))
        .orderBy(desc(demand.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      const counts = page.items.length
        ? await db
            .select({ demandId: demandOffer.demandId, n: sql<number>`count(*)::int` })
            .from(demandOffer)
            .where(
              and(
                inArray(
                  demandOffer.demandId,
                  page.items.map((d) => d.id),
                ),
                eq(demandOffer.state, 'pending'),
              ),
            )
            .groupBy(demandOffer.demandId)
        : [];
      const byId = new Map(counts.map((c) => [c.demandId, c.n]));
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((d) => ({
          ...publicView(d),
          orderId: d.orderId,
          pendingOffers: byId.get(d.id) ?? 0,
        })),
      };
    },

    /** The resident withdraws an open demand; pending offers lapse. */
    async withdraw(ctx: RequestContext, id: string) {
      const d = await loadOpen(id);
      if (!ctx.actor || d.residentUserId !== ctx.actor.userId) throw new AppError('NOT_FOUND');
      const now = clock();
      await db.transaction(async (tx) => {
        const [row] = await tx.select().from(demand).where(eq(demand.id, id)).for('update');
        if (row?.state !== 'open') throw new AppError('DEMAND_NOT_OPEN');
        await tx.update(demand).set({ state: 'withdrawn', updatedAt: now }).where(eq(demand.id, id));
        await tx
          .update(demandOffer)
          .set({ state: 'withdrawn', updatedAt: now })
          .where(and(eq(demandOffer.demandId, id), eq(demandOffer.state, 'pending')));
        await appendAudit(tx, ctx, { action: 'demand.withdraw', objectType: 'demand', objectId: id }, now);
      });
      return this.getMine(ctx, id);
    },

    /**
     * Open demands a company may answer: its categories, in its district or referred to it by a station.
     * Referred ones come first.
     */
    async companyFeed(
      ctx: RequestContext,
      companyId: string,
      q: { cursor?: string | undefined; limit: number },
    ) {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'company').includes(companyId)) throw new AppError('NOT_FOUND');
      const org = await orgs.getOrganization(companyId);
      if (!org) throw new AppError('NOT_FOUND');
      const c = decodeCursor(q.cursor, idCursor);
      const referredIds = sql`(select ${referral.demandId} from ${referral} where ${referral.companyId} = ${companyId})`;
      const rows = await db
        .select({
          d: demand,
          referred: sql<boolean>`${demand.id} in ${referredIds}`,
          offered: sql<boolean>`exists (select 1 from ${demandOffer} where ${demandOffer.demandId} = ${demand.id} and ${demandOffer.companyId} = ${companyId} and ${demandOffer.state} = 'pending')`,
        })
        .from(demand)
        .where(
          and(
            eq(demand.state, 'open'),
            sql`${demand.expiresAt} > ${clock()}`,
            or(
              sql`${demand.id} in ${referredIds}`,
              org.district && org.serviceCategories.length
                ? and(eq(demand.district, org.district), inArray(demand.category, org.serviceCategories))
                : undefined,
            ),
            c ? lt(demand.id, c.id) : undefined,
          ),
        )
        .orderBy(desc(demand.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.d.id }));
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({ ...publicView(r.d), referred: r.referred, offered: r.offered })),
      };
    },

    /** A company offers a green worker at one of its listed prices. */
    async offer(
      ctx: RequestContext,
      companyId: string,
      demandId: string,
      input: { workerId: string; priceItemId: string; message?: string | null | undefined },
    ) {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'company').includes(companyId)) throw new AppError('NOT_FOUND');
      const d = await loadOpen(demandId);
      const now = clock();
      if (!isOpen(d, now)) throw new AppError('DEMAND_NOT_OPEN');
      const item = await deps.catalog.priceForOrder(input.priceItemId);
      if (!item || item.companyId !== companyId || item.category !== d.category || item.mode !== d.mode)
        throw new AppError('ORDER_PRICE_ITEM_INVALID');
      await deps.orders.assertBookable(input.workerId, companyId, d.category);
      const [ref] = await db
        .select({ id: referral.id })
        .from(referral)
        .where(and(eq(referral.demandId, demandId), eq(referral.companyId, companyId)));
      const id = newId('dof');
      try {
        await db.transaction(async (tx) => {
          await tx.insert(demandOffer).values({
            id,
            demandId,
            companyId,
            workerId: input.workerId,
            priceItemId: input.priceItemId,
            message: input.message?.trim() || null,
            state: 'pending',
            referralId: ref?.id ?? null,
            createdBy: ctx.actor!.userId,
            createdAt: now,
            updatedAt: now,
          });
          await appendAudit(
            tx,
            ctx,
            {
              action: 'demand.offer',
              objectType: 'demand',
              objectId: demandId,
              detail: { offerId: id, companyId },
            },
            now,
          );
          await notifications.notify(
            {
              userId: d.residentUserId,
              kind: 'demand.offer',
              title: '您的需求收到新报价',
              body: `${item.title}：${amountFigure(item.priceFen)} 元`,
              link: `/resident/orders/demands/${demandId}`,
            },
            tx,
          );
        });
      } catch (e) {
        for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause)
          if ((c as { code?: string }).code === '23505') throw new AppError('DEMAND_OFFER_EXISTS');
        throw e;
      }
      const [row] = await db.select().from(demandOffer).where(eq(demandOffer.id, id));
      return (await offerViews([row!]))[0]!;
    },

    /** The resident accepts an offer: it becomes an accepted order with the worker's time held; others lapse. */
    async acceptOffer(ctx: RequestContext, offerId: string) {
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      const [o] = await db.select().from(demandOffer).where(eq(demandOffer.id, offerId)).limit(1);
      if (!o) throw new AppError('NOT_FOUND');
      const d = await loadOpen(o.demandId);
      if (d.residentUserId !== ctx.actor.userId) throw new AppError('NOT_FOUND');
      if (!isOpen(d, clock())) throw new AppError('DEMAND_NOT_OPEN');
      if (o.state !== 'pending') throw new AppError('DEMAND_OFFER_NOT_PENDING');
      const input = {
        priceItemId: o.priceItemId,
        workerId: o.workerId,
        schedule: d.schedule as Schedule,
        address: pii.decrypt(d.addressEnc, ADDRESS_AAD),
        district: d.district,
        note: d.description,
      };
      // Checked and priced before the transaction (it reads other modules); the locks below re-check the states.
      const prepared = await deps.orders.prepareAccepted(input);
      const order = await db.transaction(async (tx) => {
        const [dl] = await tx.select().from(demand).where(eq(demand.id, d.id)).for('update');
        if (!dl || !isOpen(dl, clock())) throw new AppError('DEMAND_NOT_OPEN');
        const [ol] = await tx.select().from(demandOffer).where(eq(demandOffer.id, offerId)).for('update');
        if (ol?.state !== 'pending') throw new AppError('DEMAND_OFFER_NOT_PENDING');
        const created = await deps.orders.insertAccepted(ctx, tx, dl.residentUserId, input, prepared, {
          demandId: dl.id,
          referralId: ol.referralId,
        });
        const now = clock();
        await tx
          .update(demandOffer)
          .set({ state: 'accepted', updatedAt: now })
          .where(eq(demandOffer.id, ol.id));
        await tx
          .update(demandOffer)
          .set({ state: 'rejected', updatedAt: now })
          .where(and(eq(demandOffer.demandId, dl.id), eq(demandOffer.state, 'pending')));
        await tx
          .update(demand)
          .set({ state: 'matched', orderId: created.id, updatedAt: now })
          .where(eq(demand.id, dl.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'demand.accept_offer',
            objectType: 'demand',
            objectId: dl.id,
            detail: { offerId, orderId: created.id },
          },
          now,
        );
        return created;
      });
      await deps.orders.announceAccepted(order);
      const orderId = order.id;
      return deps.orders.get(ctx, orderId);
    },

    /** Open demands in a station's district, with the referrals it made. */
    async stationFeed(
      ctx: RequestContext,
      stationId: string,
      q: { cursor?: string | undefined; limit: number },
    ) {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'station').includes(stationId)) throw new AppError('NOT_FOUND');
      const station = await orgs.getOrganization(stationId);
      if (!station?.district) throw new AppError('NOT_FOUND');
      const c = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(demand)
        .where(
          and(
            eq(demand.district, station.district),
            eq(demand.state, 'open'),
            sql`${demand.expiresAt} > ${clock()}`,
            c ? lt(demand.id, c.id) : undefined,
          ),
        )
        .orderBy(desc(demand.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      const refs = page.items.length
        ? await db
            .select({ demandId: referral.demandId, companyId: referral.companyId })
            .from(referral)
            .where(
              and(
                eq(referral.stationId, stationId),
                inArray(
                  referral.demandId,
                  page.items.map((d) => d.id),
                ),
              ),
            )
        : [];
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((d) => ({
          ...publicView(d),
          referredTo: refs.filter((r) => r.demandId === d.id).map((r) => r.companyId),
        })),
      };
    },

    /** A station refers a demand in its district to an active company (转介); the company is notified. */
    async refer(
      ctx: RequestContext,
      stationId: string,
      demandId: string,
      input: { companyId: string; note?: string | null | undefined },
    ) {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'station').includes(stationId)) throw new AppError('NOT_FOUND');
      const station = await orgs.getOrganization(stationId);
      const d = await loadOpen(demandId);
      if (!station || d.district !== station.district) throw new AppError('REFERRAL_NOT_ALLOWED');
      if (!isOpen(d, clock())) throw new AppError('DEMAND_NOT_OPEN');
      const company = await orgs.getOrganization(input.companyId);
      if (company?.type !== 'company' || company.status !== 'active')
        throw new AppError('ORDER_COMPANY_NOT_ACTIVE');
      const id = newId('ref');
      const now = clock();
      try {
        await db.transaction(async (tx) => {
          await tx.insert(referral).values({
            id,
            demandId,
            stationId,
            companyId: input.companyId,
            note: input.note?.trim() || null,
            createdBy: ctx.actor!.userId,
            createdAt: now,
          });
          await appendAudit(
            tx,
            ctx,
            {
              action: 'demand.refer',
              objectType: 'demand',
              objectId: demandId,
              detail: { stationId, companyId: input.companyId },
            },
            now,
          );
          await notifications.notify(
            {
              orgId: input.companyId,
              kind: 'demand.referral',
              title: `${station.name} 转介了一条需求`,
              body: d.description.slice(0, 100),
              link: '/company/orders/demands',
            },
            tx,
          );
        });
      } catch (e) {
        for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause)
          if ((c as { code?: string }).code === '23505') throw new AppError('REFERRAL_NOT_ALLOWED');
        throw e;
      }
      return { id, demandId, companyId: input.companyId, createdAt: now.toISOString() };
    },

    /** A station's referrals and what came of them: offers made, the order and its state. */
    async stationReferrals(
      ctx: RequestContext,
      stationId: string,
      q: { cursor?: string | undefined; limit: number },
    ) {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'station').includes(stationId)) throw new AppError('NOT_FOUND');
      const c = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select({ r: referral, d: demand })
        .from(referral)
        .innerJoin(demand, eq(demand.id, referral.demandId))
        .where(and(eq(referral.stationId, stationId), c ? lt(referral.id, c.id) : undefined))
        .orderBy(desc(referral.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.r.id }));
      const items = [];
      for (const { r, d } of page.items) {
        const company = await orgs.getOrganization(r.companyId);
        const [offer] = await db
          .select({ state: demandOffer.state })
          .from(demandOffer)
          .where(and(eq(demandOffer.referralId, r.id)))
          .orderBy(desc(demandOffer.id))
          .limit(1);
        const [order] = d.orderId
          ? await db
              .select({
                id: serviceOrder.id,
                number: serviceOrder.number,
                state: serviceOrder.state,
                companyId: serviceOrder.companyId,
                referralId: serviceOrder.referralId,
              })
              .from(serviceOrder)
              .where(eq(serviceOrder.id, d.orderId))
          : [];
        items.push({
          id: r.id,
          demand: publicView(d),
          company: { id: r.companyId, name: company?.name ?? '' },
          note: r.note,
          offerState: offer?.state ?? null,
          // The outcome counts for this referral only when the order came through it.
          order:
            order && order.referralId === r.id
              ? { id: order.id, number: order.number, state: order.state }
              : null,
          createdAt: r.createdAt.toISOString(),
        });
      }
      return { items, nextCursor: page.nextCursor };
    },

    /** Expires open demands past their date. */
    async expireDue(): Promise<number> {
      const now = clock();
      const rows = await db
        .update(demand)
        .set({ state: 'expired', updatedAt: now })
        .where(and(eq(demand.state, 'open'), lt(demand.expiresAt, now)))
        .returning({ id: demand.id });
      if (rows.length)
        await db
          .update(demandOffer)
          .set({ state: 'withdrawn', updatedAt: now })
          .where(
            and(
              inArray(
                demandOffer.demandId,
                rows.map((r) => r.id),
              ),
              eq(demandOffer.state, 'pending'),
            ),
          );
      return rows.length;
    },
  };
}

export type DemandsService = ReturnType<typeof createDemandsService>;
