import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, point, smallint, text } from 'drizzle-orm/pg-core';
import { serviceCategories } from '../../../shared/domain.js';
import { tstz } from '../../platform/db/columns.js';

/** The columns `worker_search_hit` builds a hit from, in its parameters' order (drizzle/0034_search_hit_json.sql). */
const hitSourceColumns = [
  'worker_id',
  'masked_name',
  'age',
  'sex',
  'categories',
  'skill_level',
  'maternity_stars',
  'years_experience',
  'native_place',
  'languages',
  'district',
  'color',
  'company_id',
  'company_name',
  'company_grade',
  'price_from',
  'min_price_fen',
  'rating_avg',
  'rating_count',
  'worker_credit_score',
  'intro',
];

/** The partial GiST index of one category's green workers (one per service category). */
const greenCategoryGist = (category: string) => `worker_search_green_${category}_gist`;

/**
 * Search projection of workers who may appear publicly (active, holding a certificate that is not revoked).
 * Rebuilt from the workers, certification, orgs and catalog services; never written by requests. No personal
 * data beyond what the public certificate page shows: masked name, age, sex, categories, level, district.
 *
 * `location` is a scaled point: x = lon × cos(23.1°) (Guangzhou's latitude), y = lat, both in degrees, so the
 * Euclidean `<->` between points is the distance in degrees of latitude (× 111.2 km) — see docs/discovery.md.
 */
export const workerSearch = pgTable(
  'worker_search',
  {
    workerId: text('worker_id').primaryKey(),
    maskedName: text('masked_name').notNull(),
    age: smallint('age'),
    /** 'F' | 'M' | null */
    sex: text('sex'),
    categories: text('categories').array().notNull(),
    skillLevel: text('skill_level'),
    /** 1–5 stars of a 月嫂 (GB/T 31771), null for others. */
    maternityStars: smallint('maternity_stars'),
    yearsExperience: smallint('years_experience'),
    nativePlace: text('native_place'),
    languages: text('languages').array().notNull(),
    district: text('district'),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    location: point('location', { mode: 'xy' }).notNull(),
    /** 安心码 colour of the certificate: 'green' | 'yellow' | 'red'. */
    color: text('color').notNull(),
    certificateNumber: text('certificate_number'),
    companyId: text('company_id'),
    companyName: text('company_name'),
    companyGrade: text('company_grade'),
    /** Sort key for "credit": company grade (5A = 5 … A = 1, unrated 0) × 10 + colour (green 2, yellow 1, red 0). */
    creditRank: smallint('credit_rank').notNull(),
    /** Filled by the credit module when it exists; null until then (see docs/discovery.md). */
    workerCreditScore: integer('worker_credit_score'),
    /** Lowest price of the employer per category: { [category]: { fen, unit } }. */
    priceFrom: jsonb('price_from').$type<Record<string, { fen: number; unit: string }>>().notNull(),
    /** Lowest of `price_from` over the worker's categories; null when the employer publishes none. */
    minPriceFen: integer('min_price_fen'),
    /** Filled by the feedback module when it exists; null until then. */
    ratingAvg: doublePrecision('rating_avg'),
    ratingCount: integer('rating_count'),
    intro: text('intro'),
    skills: text('skills').array().notNull(),
    /** Unigrams and bigrams of intro, skills and category names (GIN): Chinese keyword search without a scan. */
    searchTokens: text('search_tokens').array().notNull(),
    /** The text `search_tokens` came from, lower-cased, for the exact substring recheck. */
    searchText: text('search_text').notNull(),
    /**
     * The worker's search hit as JSON text, without its distance (the search adds `distanceM`): written by PostgreSQL
     * from the row's own columns (`worker_search_hit`, migration 0034), so every writer of the row — the projection,
     * the credit module's set-based updates, a COPY — keeps it current, and a search sends it on as it is read.
     */
    hitJson: text('hit_json')
      .notNull()
      .generatedAlwaysAs(sql.raw(`worker_search_hit(${hitSourceColumns.join(', ')})`)),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('worker_search_location_gist').using('gist', t.location),
    index('worker_search_tokens_gin').using('gin', t.searchTokens),
    index('worker_search_categories_gin').using('gin', t.categories),
    // Match the sort keys exactly (direction, coalesce) so each sort is an ordered index walk.
    index('worker_search_credit_sort_idx').on(t.creditRank.desc(), t.workerId),
    index('worker_search_price_sort_idx').on(sql`coalesce(${t.minPriceFen}, 2147483647)`, t.workerId),
    index('worker_search_rating_sort_idx').on(sql`coalesce(${t.ratingAvg}, -1) desc nulls last`, t.workerId),
    index('worker_search_district_idx').on(t.district, t.workerId),
    // Nearest-first search of one category's bookable workers (the common search) walks only their rows; the
    // predicate is written as the search's filters fold to (discovery.service.ts nearestQuery).
    ...serviceCategories.map((c) =>
      index(greenCategoryGist(c.code))
        .using('gist', t.location)
        .where(sql.raw(`categories @> '{${c.code}}'::text[] and color = 'green'`)),
    ),
  ],
);

/**
 * Search projection of active companies and stations with a location (the organization table keeps lon/lat as
 * plain columns; a projection keeps orgs' table untouched and gives the map one GiST-indexed table).
 */
export const orgSearch = pgTable(
  'org_search',
  {
    orgId: text('org_id').primaryKey(),
    /** 'company' | 'station' */
    type: text('type').notNull(),
    name: text('name').notNull(),
    district: text('district'),
    address: text('address'),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    location: point('location', { mode: 'xy' }).notNull(),
    categories: text('categories').array().notNull(),
    creditGrade: text('credit_grade'),
    /** Grade as a number for sorting: 5A = 5 … A = 1, unrated 0. */
    gradeRank: smallint('grade_rank').notNull(),
    staffCount: integer('staff_count').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('org_search_location_gist').using('gist', t.location),
    index('org_search_type_idx').on(t.type, t.district, t.orgId),
    index('org_search_categories_gin').using('gin', t.categories),
  ],
);
