import { and, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import {
  type PriceUnit,
  type ServiceCategory,
  type ServiceMode,
  unitOfMode,
} from '../../../shared/domain.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { enqueueEvent } from '../../platform/outbox/outbox.js';
import type { Actor } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { type OrgsService, organizationQuoteJsonSql } from '../orgs/index.js';
import { guidePrice, serviceItem } from './catalog.tables.js';
import {
  type GuideFlag,
  type PriceProblem,
  checkItem,
  checkRange,
  guideFlagOf,
  isServiceCategory,
  shanghaiDate,
} from './price-rules.js';

type ItemRow = typeof serviceItem.$inferSelect;
type GuideRow = typeof guidePrice.$inferSelect;

export interface GuideView {
  id: string;
  category: ServiceCategory;
  district: string | null;
  unit: PriceUnit;
  minFen: number;
  maxFen: number;
  effectiveFrom: string;
  effectiveUntil: string | null;
  note: string | null;
}

export interface ServiceItemView {
  id: string;
  lineageId: string;
  version: number;
  companyId: string;
  category: ServiceCategory;
  mode: ServiceMode;
  unit: PriceUnit;
  priceFen: number;
  priceMaxFen: number | null;
  title: string;
  description: string | null;
  active: boolean;
  current: boolean;
  guideFlag: GuideFlag;
  guide: { minFen: number; maxFen: number; district: string | null } | null;
  createdAt: string;
}

export interface ServiceItemInput {
  category: string;
  mode: ServiceMode;
  unit?: PriceUnit | undefined;
  priceFen: number;
  priceMaxFen?: number | null | undefined;
  title: string;
  description?: string | null | undefined;
  active?: boolean | undefined;
}

export interface GuideInput {
  category: string;
  district?: string | null | undefined;
  unit: PriceUnit;
  minFen: number;
  maxFen: number;
  effectiveFrom?: string | undefined;
  note?: string | null | undefined;
}

/** The quote an order snapshots: exactly one version of a published item. */
export interface OrderQuote {
  itemId: string;
  companyId: string;
  category: ServiceCategory;
  mode: ServiceMode;
  unit: PriceUnit;
  priceFen: number;
  title: string;
  guideFlag: GuideFlag;
  /** The company as read for this quote (active), so a booking need not read it again. */
  companyName: string;
  companyType: string;
}

/** Lowest current price of a company per category, for search ("from … 元"). */
export interface CompanyPriceFrom {
  companyId: string;
  category: ServiceCategory;
  unit: PriceUnit;
  priceFen: number;
}

export interface CatalogDeps {
  db: Db;
  clock: () => Date;
  orgs: Pick<OrgsService, 'getOrganization'>;
}

const problem = (p: PriceProblem) =>
  new AppError(p.code, { issues: [{ path: p.path, message: 'message' in p ? p.message : p.code }] });

function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
}

/** Companies' price lists (versioned) and the regulator's guide prices, with out-of-range flags. */
export function createCatalogService(deps: CatalogDeps) {
  const { db, clock, orgs } = deps;

  /** Guides in force today, keyed `category|unit|district` ('' for city-wide). */
  async function currentGuides(q: DbOrTx = db): Promise<Map<string, GuideRow>> {
    const today = shanghaiDate(clock());
    const rows = await q
      .select()
      .from(guidePrice)
      .where(
        and(
          lte(guidePrice.effectiveFrom, today),
          or(isNull(guidePrice.effectiveUntil), gt(guidePrice.effectiveUntil, today)),
        ),
      )
      .orderBy(guidePrice.effectiveFrom, guidePrice.id);
    // Later rows win: the newest guide in force for a key.
    return new Map(rows.map((g) => [`${g.category}|${g.unit}|${g.district ?? ''}`, g]));
  }

  // A booking's quote in ONE prepared statement (three before: the item, its company, the guide): the item, what the
  // order needs of its company (orgs' fragment), and the one guide that applies to it — guideFor's choice in SQL: the
  // company district's guide before the city-wide one, the newest in force on `today` (Asia/Shanghai) of each.
  const companyOf = organizationQuoteJsonSql(sql`${serviceItem.companyId}`);
  const quoteStmt = db
    .select({
      item: serviceItem,
      company: companyOf,
      guide: sql<unknown>`(select json_build_object('minFen', g.min_fen, 'maxFen', g.max_fen) from ${guidePrice} g
        where g.category = ${serviceItem.category} and g.unit = ${serviceItem.unit}
          and (g.district = (${companyOf})->>'district' or g.district is null)
          and g.effective_from <= ${sql.placeholder('today')}
          and (g.effective_until is null or g.effective_until > ${sql.placeholder('today')})
        order by g.district is null, g.effective_from desc, g.id desc limit 1)`,
    })
    .from(serviceItem)
    .where(eq(serviceItem.id, sql.placeholder('id')))
    .limit(1)
    .prepare('catalog_order_quote');
  // Both drivers hand json back parsed; a string would mean a driver that does not.
  const parseJson = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T | null;

  /** The district guide when there is one, else the city-wide one. */
  function guideFor(guides: Map<string, GuideRow>, category: string, unit: string, district: string | null) {
    return (
      (district ? guides.get(`${category}|${unit}|${district}`) : undefined) ??
      guides.get(`${category}|${unit}|`) ??
      null
    );
  }

  function toView(row: ItemRow, guide: GuideRow | null): ServiceItemView {
    return {
      id: row.id,
      lineageId: row.lineageId,
      version: row.version,
      companyId: row.companyId,
      category: row.category as ServiceCategory,
      mode: row.mode as ServiceMode,
      unit: row.unit as PriceUnit,
      priceFen: row.priceFen,
      priceMaxFen: row.priceMaxFen,
      title: row.title,
      description: row.description,
      active: row.active,
      current: row.supersededAt === null,
      guideFlag: guideFlagOf(row.priceFen, row.priceMaxFen, guide),
      guide: guide ? { minFen: guide.minFen, maxFen: guide.maxFen, district: guide.district } : null,
      createdAt: row.createdAt.toISOString(),
    };
  }

  async function viewsOf(rows: ItemRow[], q: DbOrTx = db): Promise<ServiceItemView[]> {
    if (rows.length === 0) return [];
    const guides = await currentGuides(q);
    const districtOf = new Map<string, string | null>();
    for (const id of new Set(rows.map((r) => r.companyId)))
      districtOf.set(id, (await orgs.getOrganization(id, q))?.district ?? null);
    return rows.map((r) =>
      toView(r, guideFor(guides, r.category, r.unit, districtOf.get(r.companyId) ?? null)),
    );
  }

  function toGuideView(g: GuideRow): GuideView {
    return {
      id: g.id,
      category: g.category as ServiceCategory,
      district: g.district,
      unit: g.unit as PriceUnit,
      minFen: g.minFen,
      maxFen: g.maxFen,
      effectiveFrom: g.effectiveFrom,
      effectiveUntil: g.effectiveUntil,
      note: g.note,
    };
  }

  /** The company, when the caller is its admin or staff; another company's list is hidden (404) and audited. */
  async function requireOwnCompany(ctx: RequestContext, orgId: string, action: string) {
    const actor = actorOf(ctx);
    const member = actor.memberships.some((m) => m.orgId === orgId && m.orgType === 'company');
    const org = member ? await orgs.getOrganization(orgId) : null;
    if (!member || !org || org.type !== 'company') {
      await recordAudit(db, ctx, {
        action,
        objectType: 'organization',
        objectId: orgId,
        outcome: 'denied',
        detail: { reason: 'not_a_member' },
      });
      throw new AppError('NOT_FOUND');
    }
    return org;
  }

  function validated(input: ServiceItemInput) {
    const unit = input.unit ?? null;
    const mode = input.mode;
    const checked = { ...input, unit: unit ?? defaultUnit(mode) };
    const p = checkItem({
      category: input.category,
      mode,
      unit: checked.unit,
      priceFen: input.priceFen,
      priceMaxFen: input.priceMaxFen ?? null,
    });
    if (p) throw problem(p);
    return checked as ServiceItemInput & { unit: PriceUnit; category: ServiceCategory };
  }

  return {
    /** The exact quote of one published, current item version, or null when absent, withdrawn or superseded. */
    async priceForOrder(itemId: string): Promise<OrderQuote | null> {
      const [r] = await quoteStmt.execute({ id: itemId, today: shanghaiDate(clock()) });
      if (!r?.item.active || r.item.supersededAt) return null;
      const row = r.item;
      const org = parseJson<{ type: string; name: string; status: string }>(r.company);
      if (org?.status !== 'active') return null;
      return {
        itemId: row.id,
        companyId: row.companyId,
        category: row.category as ServiceCategory,
        mode: row.mode as ServiceMode,
        unit: row.unit as PriceUnit,
        priceFen: row.priceFen,
        title: row.title,
        guideFlag: guideFlagOf(
          row.priceFen,
          row.priceMaxFen,
          parseJson<{ minFen: number; maxFen: number }>(r.guide),
        ),
        companyName: org.name,
        companyType: org.type,
      };
    },

    /** Any version of an item by id (current or not), with its flag; null when absent. For orders showing a past quote. */
    async itemVersion(itemId: string): Promise<ServiceItemView | null> {
      const [row] = await db.select().from(serviceItem).where(eq(serviceItem.id, itemId)).limit(1);
      return row ? ((await viewsOf([row]))[0] ?? null) : null;
    },

    /** The company's own current items, withdrawn ones included. */
    async listOwn(ctx: RequestContext, orgId: string): Promise<ServiceItemView[]> {
      await requireOwnCompany(ctx, orgId, 'catalog.item.list');
      const rows = await db
        .select()
        .from(serviceItem)
        .where(and(eq(serviceItem.companyId, orgId), isNull(serviceItem.supersededAt)))
        .orderBy(serviceItem.category, serviceItem.id);
      return viewsOf(rows);
    },

    /** Every version of one of the company's items, newest first. */
    async history(ctx: RequestContext, orgId: string, itemId: string): Promise<ServiceItemView[]> {
      await requireOwnCompany(ctx, orgId, 'catalog.item.history');
      const [row] = await db
        .select()
        .from(serviceItem)
        .where(and(eq(serviceItem.id, itemId), eq(serviceItem.companyId, orgId)))
        .limit(1);
      if (!row) throw new AppError('NOT_FOUND');
      const rows = await db
        .select()
        .from(serviceItem)
        .where(eq(serviceItem.lineageId, row.lineageId))
        .orderBy(desc(serviceItem.version));
      return viewsOf(rows);
    },

    /** Publishes a new item in the caller's company. */
    async create(ctx: RequestContext, orgId: string, input: ServiceItemInput): Promise<ServiceItemView> {
      await requireOwnCompany(ctx, orgId, 'catalog.item.create');
      const v = validated(input);
      const now = clock();
      const id = newId('svi');
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(serviceItem)
          .values({
            id,
            lineageId: id,
            version: 1,
            companyId: orgId,
            category: v.category,
            mode: v.mode,
            unit: v.unit,
            priceFen: v.priceFen,
            priceMaxFen: v.priceMaxFen ?? null,
            title: v.title,
            description: v.description ?? null,
            active: v.active ?? true,
            createdBy: ctx.actor?.userId ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          {
            action: 'catalog.item.create',
            objectType: 'service_item',
            objectId: id,
            detail: { companyId: orgId, category: v.category, priceFen: v.priceFen },
          },
          now,
        );
        await enqueueEvent(tx, { topic: 'catalog.items_changed', payload: { companyId: orgId } });
        return created!;
      });
      return (await viewsOf([row]))[0]!;
    },

    /** Edits an item by publishing a new version; the old version stays for orders that quoted it. */
    async update(
      ctx: RequestContext,
      orgId: string,
      itemId: string,
      input: ServiceItemInput,
    ): Promise<ServiceItemView> {
      await requireOwnCompany(ctx, orgId, 'catalog.item.update');
      const v = validated(input);
      const now = clock();
      const row = await db.transaction(async (tx) => {
        const [old] = await tx
          .select()
          .from(serviceItem)
          .where(and(eq(serviceItem.id, itemId), eq(serviceItem.companyId, orgId)))
          .for('update');
        if (!old) throw new AppError('NOT_FOUND');
        if (old.supersededAt) throw new AppError('CATALOG_ITEM_SUPERSEDED');
        await tx
          .update(serviceItem)
          .set({ supersededAt: now, updatedAt: now })
          .where(eq(serviceItem.id, old.id));
        const id = newId('svi');
        const [created] = await tx
          .insert(serviceItem)
          .values({
            id,
            lineageId: old.lineageId,
            version: old.version + 1,
            companyId: orgId,
            category: v.category,
            mode: v.mode,
            unit: v.unit,
            priceFen: v.priceFen,
            priceMaxFen: v.priceMaxFen ?? null,
            title: v.title,
            description: v.description ?? null,
            active: v.active ?? old.active,
            createdBy: ctx.actor?.userId ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          {
            action: 'catalog.item.update',
            objectType: 'service_item',
            objectId: id,
            detail: { previous: old.id, companyId: orgId, priceFen: v.priceFen, active: created!.active },
          },
          now,
        );
        await enqueueEvent(tx, { topic: 'catalog.items_changed', payload: { companyId: orgId } });
        return created!;
      });
      return (await viewsOf([row]))[0]!;
    },

    /** A company's published price list for the public: current, active items of an active company. */
    async publicItems(companyId: string): Promise<ServiceItemView[]> {
      const org = await orgs.getOrganization(companyId);
      if (org?.type !== 'company' || org.status !== 'active') throw new AppError('NOT_FOUND');
      const rows = await db
        .select()
        .from(serviceItem)
        .where(
          and(
            eq(serviceItem.companyId, companyId),
            isNull(serviceItem.supersededAt),
            eq(serviceItem.active, true),
          ),
        )
        .orderBy(serviceItem.category, serviceItem.priceFen, serviceItem.id);
      return viewsOf(rows);
    },

    /** Lowest current, active price per company and category (search projection input). */
    async priceFromOf(companyIds: string[]): Promise<CompanyPriceFrom[]> {
      if (companyIds.length === 0) return [];
      const rows = await db
        .selectDistinctOn([serviceItem.companyId, serviceItem.category], {
          companyId: serviceItem.companyId,
          category: serviceItem.category,
          unit: serviceItem.unit,
          priceFen: serviceItem.priceFen,
        })
        .from(serviceItem)
        .where(
          and(
            inArray(serviceItem.companyId, companyIds),
            isNull(serviceItem.supersededAt),
            eq(serviceItem.active, true),
          ),
        )
        .orderBy(serviceItem.companyId, serviceItem.category, serviceItem.priceFen);
      return rows.map((r) => ({ ...r, category: r.category as ServiceCategory, unit: r.unit as PriceUnit }));
    },

    /** Guide prices in force today (or with `includeEnded`, the whole history), optionally for one category/district. */
    async listGuides(q: {
      category?: string | undefined;
      district?: string | undefined;
      includeEnded?: boolean | undefined;
    }) {
      if (q.category && !isServiceCategory(q.category))
        throw new AppError('CATALOG_CATEGORY_UNKNOWN', {
          issues: [{ path: 'category', message: 'unknown' }],
        });
      const today = shanghaiDate(clock());
      const rows = await db
        .select()
        .from(guidePrice)
        .where(
          and(
            q.category ? eq(guidePrice.category, q.category) : undefined,
            q.district ? or(eq(guidePrice.district, q.district), isNull(guidePrice.district)) : undefined,
            q.includeEnded
              ? undefined
              : and(
                  lte(guidePrice.effectiveFrom, today),
                  or(isNull(guidePrice.effectiveUntil), gt(guidePrice.effectiveUntil, today)),
                ),
          ),
        )
        .orderBy(
          guidePrice.category,
          guidePrice.unit,
          sql`${guidePrice.district} nulls first`,
          desc(guidePrice.effectiveFrom),
        )
        .limit(1000);
      return rows.map(toGuideView);
    },

    /**
     * Publishes a guide range (regulator). A district regulator publishes only for their district; a city
     * regulator for the city or any district. The guide in force for the same key ends the day the new one starts.
     */
    async publishGuide(ctx: RequestContext, input: GuideInput): Promise<GuideView> {
      const actor = actorOf(ctx);
      if (!isServiceCategory(input.category))
        throw new AppError('CATALOG_CATEGORY_UNKNOWN', {
          issues: [{ path: 'category', message: 'unknown' }],
        });
      const district = input.district ?? null;
      if (actor.regulatorDistrict && district !== actor.regulatorDistrict) {
        await recordAudit(db, ctx, {
          action: 'catalog.guide.publish',
          objectType: 'guide_price',
          outcome: 'denied',
          detail: { reason: 'out_of_district', district },
        });
        throw new AppError('GUIDE_OUT_OF_DISTRICT');
      }
      const p = checkRange(input.unit, input.minFen, input.maxFen, 'minFen', 'maxFen');
      if (p) throw problem(p);
      const now = clock();
      const today = shanghaiDate(now);
      const from = input.effectiveFrom ?? today;
      if (from < today)
        throw new AppError('GUIDE_PERIOD_INVALID', {
          issues: [{ path: 'effectiveFrom', message: 'not in the past' }],
        });
      const id = newId('gdp');
      const row = await db.transaction(async (tx) => {
        const key = and(
          eq(guidePrice.category, input.category),
          eq(guidePrice.unit, input.unit),
          district ? eq(guidePrice.district, district) : isNull(guidePrice.district),
        );
        // A guide starting later than the new one would overlap it; it is replaced (ended before it starts).
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtext(${`guide|${input.category}|${input.unit}|${district ?? ''}`}))`,
        );
        await tx
          .update(guidePrice)
          .set({ effectiveUntil: from, updatedAt: now })
          .where(
            and(
              key,
              lte(guidePrice.effectiveFrom, from),
              or(isNull(guidePrice.effectiveUntil), gt(guidePrice.effectiveUntil, from)),
            ),
          );
        await tx
          .update(guidePrice)
          .set({ effectiveUntil: sql`${guidePrice.effectiveFrom}`, updatedAt: now })
          .where(and(key, gt(guidePrice.effectiveFrom, from)));
        const [created] = await tx
          .insert(guidePrice)
          .values({
            id,
            category: input.category,
            district,
            unit: input.unit,
            minFen: input.minFen,
            maxFen: input.maxFen,
            effectiveFrom: from,
            note: input.note ?? null,
            publishedBy: actor.userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          {
            action: 'catalog.guide.publish',
            objectType: 'guide_price',
            objectId: id,
            detail: {
              category: input.category,
              district,
              unit: input.unit,
              minFen: input.minFen,
              maxFen: input.maxFen,
            },
          },
          now,
        );
        return created!;
      });
      return toGuideView(row);
    },

    /** Ends a guide today (regulator of its district, or the city). */
    async endGuide(ctx: RequestContext, id: string): Promise<GuideView> {
      const actor = actorOf(ctx);
      const now = clock();
      const today = shanghaiDate(now);
      return db.transaction(async (tx) => {
        const [g] = await tx.select().from(guidePrice).where(eq(guidePrice.id, id)).for('update');
        if (!g) throw new AppError('NOT_FOUND');
        if (actor.regulatorDistrict && g.district !== actor.regulatorDistrict)
          throw new AppError('GUIDE_OUT_OF_DISTRICT');
        if (g.effectiveUntil !== null && g.effectiveUntil <= today)
          throw new AppError('GUIDE_PERIOD_INVALID');
        // YYYY-MM-DD strings order like dates: end today, or on the start day of a guide not yet in force.
        const until = [g.effectiveFrom, today].sort()[1]!;
        const [updated] = await tx
          .update(guidePrice)
          .set({ effectiveUntil: until, updatedAt: now })
          .where(eq(guidePrice.id, id))
          .returning();
        await appendAudit(
          tx,
          ctx,
          { action: 'catalog.guide.end', objectType: 'guide_price', objectId: id },
          now,
        );
        return toGuideView(updated!);
      });
    },
  };
}

const defaultUnit = (mode: ServiceMode): PriceUnit => unitOfMode[mode];

export type CatalogService = ReturnType<typeof createCatalogService>;
export type { GuideFlag };
