import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';
import { organization } from '../orgs/orgs.tables.js';

/**
 * A company's published service item and price (公开服务项目和收费标准). Rows are versions: editing an item
 * inserts a new row with the same `lineage_id` and a higher `version` and stamps `superseded_at` on the old one,
 * so an order that quoted a row id keeps pointing at exactly what was offered.
 */
export const serviceItem = pgTable(
  'service_item',
  {
    id: idColumn(),
    /** Id of the first version; stable across edits. */
    lineageId: text('lineage_id').notNull(),
    version: integer('version').notNull(),
    companyId: text('company_id')
      .notNull()
      .references(() => organization.id),
    category: text('category').notNull(),
    mode: text('mode').notNull(),
    unit: text('unit').notNull(),
    /** Price in fen; with `price_max_fen` the item is a range (e.g. 月嫂 by stars). */
    priceFen: integer('price_fen').notNull(),
    priceMaxFen: integer('price_max_fen'),
    title: text('title').notNull(),
    description: text('description'),
    /** Published (true) or withdrawn by the company (false). */
    active: boolean('active').notNull().default(true),
    supersededAt: tstz('superseded_at'),
    createdBy: text('created_by').references(() => user.id),
    ...timestamps(),
  },
  (t) => [
    index('service_item_company_idx').on(t.companyId, t.id).where(sql`${t.supersededAt} is null`),
    index('service_item_category_idx')
      .on(t.category, t.priceFen)
      .where(sql`${t.supersededAt} is null and ${t.active}`),
    uniqueIndex('service_item_lineage_version_uq').on(t.lineageId, t.version),
    uniqueIndex('service_item_lineage_current_uq').on(t.lineageId).where(sql`${t.supersededAt} is null`),
  ],
);

/**
 * A guide price (统一价格指导) published by the regulator for a category and unit, city-wide (`district` null) or
 * for one district, valid from `effective_from` until `effective_until` (exclusive; null = open). Publishing a new
 * guide for the same category, district and unit ends the previous one, so history is kept.
 */
export const guidePrice = pgTable(
  'guide_price',
  {
    id: idColumn(),
    category: text('category').notNull(),
    district: text('district'),
    unit: text('unit').notNull(),
    minFen: integer('min_fen').notNull(),
    maxFen: integer('max_fen').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    effectiveUntil: date('effective_until', { mode: 'string' }),
    note: text('note'),
    publishedBy: text('published_by').references(() => user.id),
    ...timestamps(),
  },
  (t) => [index('guide_price_lookup_idx').on(t.category, t.unit, t.district, t.effectiveFrom)],
);
