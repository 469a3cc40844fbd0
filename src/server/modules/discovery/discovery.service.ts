import {
  type AnyColumn,
  and,
  count,
  eq,
  getTableColumns,
  gte,
  inArray,
  lt,
  lte,
  is,
  or,
  Placeholder,
  type Query,
  type SQL,
  sql,
} from 'drizzle-orm';
import { z } from 'zod';
import { districtByCode } from '../../../shared/districts.js';
import {
  type CreditGrade,
  creditGrades,
  labelOf,
  serviceCategories,
  type SkillLevel,
  skillLevelCodes,
  skillLevels,
  type TrustColor,
} from '../../../shared/domain.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import type { CatalogService, ServiceItemView } from '../catalog/index.js';
import type { CertificationService } from '../certification/index.js';
import type { OrgsService } from '../orgs/index.js';
import type { WorkersService } from '../workers/index.js';
import { orgSearch, workerSearch } from './discovery.tables.js';
import { metresToUnits, scaledPoint, unitsToMetres } from './geo.js';
import { indexTokens, missingTokenBound, normalise, queryRuns, queryTokens } from './tokens.js';

export const workerSorts = ['distance', 'credit', 'rating', 'price'] as const;
export type WorkerSort = (typeof workerSorts)[number];
export const companySorts = ['distance', 'grade'] as const;

/** Largest search radius: the whole city fits in 80 km. */
export const MAX_RADIUS_M = 80_000;

export interface WorkerQuery {
  category?: string | undefined;
  district?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  radiusM?: number | undefined;
  colors?: TrustColor[] | undefined;
  companyGrades?: CreditGrade[] | undefined;
  minWorkerCredit?: number | undefined;
  minLevel?: SkillLevel | undefined;
  minStars?: number | undefined;
  availableFrom?: Date | undefined;
  availableTo?: Date | undefined;
  ageMin?: number | undefined;
  ageMax?: number | undefined;
  sex?: 'F' | 'M' | undefined;
  nativePlace?: string | undefined;
  languages?: string[] | undefined;
  q?: string | undefined;
  sort?: WorkerSort | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface WorkerHit {
  workerId: string;
  maskedName: string;
  age: number | null;
  sex: string | null;
  categories: string[];
  skillLevel: string | null;
  maternityStars: number | null;
  yearsExperience: number | null;
  nativePlace: string | null;
  languages: string[];
  district: string | null;
  distanceM: number | null;
  color: TrustColor;
  bookable: boolean;
  company: { id: string; name: string; creditGrade: string | null } | null;
  priceFrom: Record<string, { fen: number; unit: string }>;
  minPriceFen: number | null;
  ratingAvg: number | null;
  ratingCount: number | null;
  workerCreditScore: number | null;
  intro: string | null;
}

export interface OrgQuery {
  category?: string | undefined;
  district?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  radiusM?: number | undefined;
  companyGrades?: CreditGrade[] | undefined;
  /** One organization (a station's console centres its map on itself). */
  id?: string | undefined;
  sort?: (typeof companySorts)[number] | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface OrgHit {
  id: string;
  type: 'company' | 'station';
  name: string;
  district: string | null;
  address: string | null;
  lon: number;
  lat: number;
  categories: string[];
  creditGrade: string | null;
  staffCount: number;
  distanceM: number | null;
}

/** The orders module's availability functions, once it exports them (see docs/discovery.md). */
export interface Availability {
  workerBusySql(workerIdColumn: AnyColumn, from: Date, to: Date): SQL;
  busyPeriods(workerId: string, from: Date, to: Date): Promise<{ from: Date; to: Date }[]>;
}

export interface DiscoveryDeps {
  db: Db;
  /** Where searches and public profiles read (a replica when configured); the projection is written on `db`. */
  readDb?: Db;
  clock: () => Date;
  workers: Pick<WorkersService, 'searchSources'>;
  certification: Pick<CertificationService, 'workerStatus' | 'workerStatuses'>;
  orgs: Pick<OrgsService, 'getOrganization' | 'publicCompanies' | 'publicOrganizations' | 'publicCompany'>;
  catalog: Pick<CatalogService, 'priceFromOf' | 'publicItems'>;
  availability?: Availability | undefined;
  /** Workers' credit scores (credit module): score 0–100, raw rating average and count; absent until wired. */
  credit?: {
    workerCredits(
      ids: string[],
    ): Promise<Map<string, { score: number; ratingAvg: number | null; ratingCount: number }>>;
  };
  /** false: every search statement is built per request (tests compare it with the prepared common search). */
  preparedSearch?: boolean;
}

const gradeRank = (g: string | null | undefined) => (g ? 5 - creditGrades.indexOf(g as CreditGrade) : 0);
const colorRank: Record<TrustColor, number> = { green: 2, yellow: 1, red: 0 };
/** "Credit" order until the credit module scores workers: the employer's grade first, then the 安心码 colour. */
export const creditRankOf = (grade: string | null, color: TrustColor) =>
  (grade && creditGrades.includes(grade as CreditGrade) ? gradeRank(grade) : 0) * 10 + colorRank[color];

/** `gradeRank` in SQL (the grades are the code's constants, written as literals). */
const gradeRankSql = (grade: SQL) =>
  sql`(case ${grade} ${sql.raw(creditGrades.map((g) => `when '${g}' then ${gradeRank(g)}`).join(' '))} else 0 end)`;
/** `creditRankOf` in SQL, for set-based updates of the projection. */
const creditRankSql = (grade: SQL, color: SQL) =>
  sql`(${gradeRankSql(grade)} * 10 + (case ${color} ${sql.raw(
    Object.entries(colorRank)
      .map(([c, n]) => `when '${c}' then ${n}`)
      .join(' '),
  )} else 0 end))::smallint`;

/** A worker's credit as the projection shows it (credit's `workerCredits`). */
export interface CreditProjection {
  workerId: string;
  score: number;
  ratingAvg: number | null;
  ratingCount: number;
}
/** Workers per statement of `applyCredit`. */
const APPLY_CHUNK = 10_000;
/** Runs an update and returns how many rows it wrote (the same on both drivers). */
async function updated(db: Db, update: SQL): Promise<number> {
  const res = (await db.execute(
    sql`with u as (${update} returning 1) select count(*)::int as n from u`,
  )) as unknown;
  const rows = (Array.isArray(res) ? res : (res as { rows: { n: number }[] }).rows) as { n: number }[];
  return Number(rows[0]?.n ?? 0);
}

/** Public display name: surname and two stars (王**), whatever the name's length. */
export const displayName = (name: string) => `${Array.from(name.trim())[0] ?? ''}**`;

/**
 * The columns a search reads: the worker and its hit as JSON text (`hit_json`, written by PostgreSQL from the row's
 * own columns). A search adds the distance to that text and sends it on: no column is decoded into a value and
 * written out again (≈ 670 values a page — the driver's text decoding was ≈ 15 % of the server's CPU per search).
 */
export const searchColumns = { workerId: workerSearch.workerId, hit: workerSearch.hitJson };
/**
 * A search row: the worker, its hit's JSON text, its distance in `<->` units (null when the sort is not by
 * distance) and, in a non-distance sort, the page's sort key (for the cursor).
 */
export interface SearchRow {
  workerId: string;
  hit: string;
  dist: number | null;
  key: number | null;
}

/**
 * A search row from an array-mode row: `searchColumns` in order, then `dist`, then (non-distance sorts only) the sort
 * key. `search-rows.db.test.ts` holds every search path to this order.
 */
export function searchRowAt(r: unknown[]): SearchRow {
  return {
    workerId: r[0] as string,
    hit: r[1] as string,
    dist: r[2] === null || r[2] === undefined ? null : Number(r[2]),
    key: r[3] === null || r[3] === undefined ? null : Number(r[3]),
  };
}

/**
 * A hit's JSON text with its distance (shown to 10 m: the base itself is only ~100 m precise). `hit_json` is a JSON
 * object (`{…}`), so the distance goes in as its first field.
 */
export function hitText(hit: string, dist: number | null): string {
  const metres = dist === null ? 'null' : String(Math.round(unitsToMetres(dist) / 10) * 10);
  return `{"distanceM":${metres},${hit.slice(1)}`;
}

/** The key of each non-distance sort, written exactly as its index (discovery.tables.ts). */
const sortKeys = {
  credit: { expr: sql<number>`${workerSearch.creditRank}`, dir: 'desc' },
  rating: { expr: sql<number>`coalesce(${workerSearch.ratingAvg}, -1)`, dir: 'desc' },
  price: { expr: sql<number>`coalesce(${workerSearch.minPriceFen}, ${sql.raw('2147483647')})`, dir: 'asc' },
} as const;

/** Rows of a sort's index a keyword search walks before it asks the keyword's GIN index (see orderedWalkQuery). */
const ORDERED_WALK = 2000;

/** Rows the nearest-first query reads past a page, so a page rarely ends inside a group of equal distances. */
const TIE_SLACK = 8;
/** The page sizes the prepared nearest-first search walks for (a page of `limit` walks the next one up). */
const WALK_PAGES = [10, 20, 50, 100] as const;
/** The rows the prepared nearest-first search reads for a page of `limit`: a few lengths, written as literals. */
function walkLength(limit: number): number {
  return (WALK_PAGES.find((n) => n >= limit) ?? limit) + 1 + TIE_SLACK;
}

const cursorShape = z.object({ v: z.number(), id: z.string().max(64) });

function searchInvalid(path: string, message: string): AppError {
  return new AppError('SEARCH_INVALID', { issues: [{ path, message }] });
}

function checkCategory(c: string | undefined) {
  if (c !== undefined && !serviceCategories.some((x) => x.code === c))
    throw new AppError('CATALOG_CATEGORY_UNKNOWN', {
      issues: [{ path: 'category', message: 'unknown category' }],
    });
}

/** The reference point of a query: an explicit lon/lat, else the district centre (only when no radius asked). */
function refPoint(q: { lon?: number | undefined; lat?: number | undefined; district?: string | undefined }) {
  if ((q.lon === undefined) !== (q.lat === undefined)) throw searchInvalid('lon', 'lon and lat go together');
  if (q.lon !== undefined && q.lat !== undefined) return { lon: q.lon, lat: q.lat };
  const d = q.district ? districtByCode.get(q.district) : undefined;
  return d ? { lon: d.lon, lat: d.lat } : null;
}

type WorkerRow = typeof workerSearch.$inferInsert;

/**
 * Where `rebuildAll` puts the worker rows instead of upserting them page by page (rebuild-bulk.ts: COPY into an
 * empty table whose indexes are built once at the end); `finish` runs before the rows not seen are swept.
 */
export interface WorkerRowSink {
  write(rows: WorkerRow[]): Promise<void>;
  finish(): Promise<void>;
}

/** Search over workers, companies and stations (projection tables, rebuilt from the owning modules). */
export function createDiscoveryService(deps: DiscoveryDeps) {
  const { db, clock, workers, certification, orgs, catalog } = deps;
  const reader = deps.readDb ?? db;

  /**
   * A search statement whose rows come back as arrays and are read by position (`searchRowAt`); named when `name`
   * is given (the prepared common search), else sent unnamed. Its select must list `searchColumns`, then `dist`,
   * then (a non-distance sort) the sort key.
   */
  const hitStatement = (query: Query, name?: string) =>
    reader._.session.prepareQuery<{ execute: SearchRow[]; all: never; values: never }>(
      query,
      undefined,
      name,
      true,
      (rows) => (rows as unknown[][]).map(searchRowAt),
    );
  /** Runs a search select (`searchColumns`, `dist`, the sort key) once. */
  const hitRows = (qb: { toSQL(): Query }) => hitStatement(qb.toSQL()).execute();

  /** Builds the projection row of one worker, or null when the worker may not appear publicly. */
  async function projectWorkers(
    sources: Awaited<ReturnType<WorkersService['searchSources']>>,
    companyCache: Map<string, { name: string; grade: string | null; active: boolean } | null>,
  ) {
    const rows: (typeof workerSearch.$inferInsert)[] = [];
    const staged: {
      src: (typeof sources)[number];
      color: TrustColor;
      number: string;
      companyId: string | null;
    }[] = [];
    // One batch of queries for the whole page of workers (certification.workerStatuses), not a set per worker.
    const statuses = await certification.workerStatuses(sources.map((s) => s.id));
    const credits = deps.credit ? await deps.credit.workerCredits(sources.map((s) => s.id)) : new Map();
    for (const src of sources) {
      const st = statuses.get(src.id);
      if (!st?.certificate) continue;
      staged.push({
        src,
        color: st.status.color,
        number: st.certificate.number,
        companyId: st.facts.companyId,
      });
    }
    const companyIds = [...new Set(staged.map((s) => s.companyId).filter((x): x is string => !!x))];
    for (const id of companyIds)
      if (!companyCache.has(id)) {
        const o = await orgs.getOrganization(id);
        companyCache.set(
          id,
          o ? { name: o.name, grade: o.creditGrade, active: o.status === 'active' } : null,
        );
      }
    const prices = new Map<string, Record<string, { fen: number; unit: string }>>();
    for (const p of await catalog.priceFromOf(companyIds)) {
      const m = prices.get(p.companyId) ?? {};
      m[p.category] = { fen: p.priceFen, unit: p.unit };
      prices.set(p.companyId, m);
    }
    const now = clock();
    for (const { src, color, number, companyId } of staged) {
      const co = companyId ? companyCache.get(companyId) : null;
      // A suspended or expelled employer cannot take bookings: its workers are not shown as employed there.
      const company = co?.active ? co : null;
      const base =
        src.baseLon !== null && src.baseLat !== null
          ? { lon: src.baseLon, lat: src.baseLat }
          : src.district && districtByCode.get(src.district)
            ? { lon: districtByCode.get(src.district)!.lon, lat: districtByCode.get(src.district)!.lat }
            : null;
      if (!base) continue;
      const allPrices = company && companyId ? (prices.get(companyId) ?? {}) : {};
      const priceFrom = Object.fromEntries(
        Object.entries(allPrices).filter(([c]) => src.categories.includes(c)),
      );
      const fens = Object.values(priceFrom).map((p) => p.fen);
      const skills = [
        ...src.categories.flatMap((c) => labelOf(serviceCategories, c).split(/[/（）()]/u)),
        ...(src.skillLevel ? [labelOf(skillLevels, src.skillLevel)] : []),
        ...(src.maternityStars ? [`${src.maternityStars}星月嫂`] : []),
      ].filter(Boolean);
      const searchText = normalise([src.intro ?? '', ...skills].join(' '));
      rows.push({
        workerId: src.id,
        maskedName: displayName(src.name),
        age: src.age,
        sex: src.sex,
        categories: src.categories,
        skillLevel: src.skillLevel,
        maternityStars: src.maternityStars,
        yearsExperience: src.yearsExperience,
        nativePlace: src.nativePlace,
        languages: src.languages,
        district: src.district,
        lon: base.lon,
        lat: base.lat,
        location: scaledPoint(base.lon, base.lat),
        color,
        certificateNumber: number,
        companyId: company ? companyId : null,
        companyName: company?.name ?? null,
        companyGrade: company?.grade ?? null,
        creditRank: creditRankOf(company?.grade ?? null, color),
        workerCreditScore: credits.get(src.id)?.score ?? null,
        ratingAvg: credits.get(src.id)?.ratingAvg ?? null,
        ratingCount: credits.get(src.id)?.ratingCount ?? null,
        priceFrom,
        minPriceFen: fens.length ? Math.min(...fens) : null,
        intro: src.intro,
        skills,
        searchTokens: indexTokens(searchText),
        searchText,
        updatedAt: now,
      });
    }
    return rows;
  }

  async function upsertWorkers(rows: (typeof workerSearch.$inferInsert)[]) {
    if (!rows.length) return;
    await db
      .insert(workerSearch)
      .values(rows)
      .onConflictDoUpdate({
        target: workerSearch.workerId,
        set: Object.fromEntries(
          Object.keys(rows[0]!)
            .filter((k) => k !== 'workerId')
            .map((k) => {
              const col = workerSearch[k as keyof typeof workerSearch.$inferInsert];
              return [k, sql.raw(`excluded.${col.name}`)];
            }),
        ),
      });
  }

  /** Keyset condition and order for a sort expression. */
  function keyset(expr: SQL, dir: 'asc' | 'desc', idCol: SQL, cursor: z.infer<typeof cursorShape> | null) {
    const where = cursor
      ? dir === 'asc'
        ? sql`(${expr} > ${cursor.v} or (${expr} = ${cursor.v} and ${idCol} > ${cursor.id}))`
        : sql`(${expr} < ${cursor.v} or (${expr} = ${cursor.v} and ${idCol} > ${cursor.id}))`
      : undefined;
    // `desc nulls last` matches the sort indexes (discovery.tables.ts); the keys are never null anyway.
    const order =
      dir === 'asc'
        ? [sql`${expr} asc`, sql`${idCol} asc`]
        : [sql`${expr} desc nulls last`, sql`${idCol} asc`];
    return { where, order };
  }

  /**
   * The filters of a worker query, in three parts: plain filters, the radius (in `<->` units) and the
   * availability condition, so the nearest-first query can place each where its plan needs it.
   */
  function workerFilters(q: WorkerQuery): {
    where: SQL[];
    radius: number | null;
    free: SQL | null;
    point: { x: number; y: number } | null;
    /** A category's green workers: the predicate of its own partial GiST index (discovery.tables.ts), and the other filters. */
    greenCategory: { keys: SQL[]; rest: SQL[] } | null;
  } {
    checkCategory(q.category);
    const where: SQL[] = [];
    const ref = refPoint(q);
    const point = ref ? scaledPoint(ref.lon, ref.lat) : null;
    const t = workerSearch;
    let radius: number | null = null;
    if (q.radiusM !== undefined) {
      if (q.lon === undefined) throw searchInvalid('radiusM', 'a radius needs lon and lat');
      radius = metresToUnits(q.radiusM);
    }
    const byCategory = q.category ? sql`${t.categories} @> array[${q.category}]::text[]` : null;
    if (byCategory) where.push(byCategory);
    if (q.district) where.push(eq(t.district, q.district));
    const colors = q.colors?.length ? q.colors : ['green'];
    const byColor = inArray(t.color, colors);
    where.push(byColor);
    if (q.companyGrades?.length) where.push(inArray(t.companyGrade, q.companyGrades));
    if (q.minWorkerCredit !== undefined) where.push(gte(t.workerCreditScore, q.minWorkerCredit));
    if (q.minLevel) {
      const at = skillLevelCodes.indexOf(q.minLevel);
      where.push(inArray(t.skillLevel, skillLevelCodes.slice(at)));
    }
    if (q.minStars !== undefined) where.push(gte(t.maternityStars, q.minStars));
    if (q.ageMin !== undefined) where.push(gte(t.age, q.ageMin));
    if (q.ageMax !== undefined) where.push(lte(t.age, q.ageMax));
    if (q.ageMin !== undefined && q.ageMax !== undefined && q.ageMin > q.ageMax)
      throw searchInvalid('ageMin', 'ageMin is above ageMax');
    if (q.sex) where.push(eq(t.sex, q.sex));
    if (q.nativePlace) where.push(sql`position(${q.nativePlace} in coalesce(${t.nativePlace}, '')) > 0`);
    if (q.languages?.length)
      where.push(
        sql`${t.languages} @> ${sql`array[${sql.join(
          q.languages.map((l) => sql`${l}`),
          sql`, `,
        )}]::text[]`}`,
      );
    if (q.q !== undefined) {
      const tokens = queryTokens(q.q);
      if (!tokens.length) throw searchInvalid('q', 'the keyword has no searchable character');
      where.push(
        sql`${t.searchTokens} @> array[${sql.join(
          tokens.map((x) => sql`${x}`),
          sql`, `,
        )}]::text[]`,
      );
      for (const run of queryRuns(q.q)) where.push(sql`position(${run} in ${t.searchText}) > 0`);
    }
    if ((q.availableFrom === undefined) !== (q.availableTo === undefined))
      throw searchInvalid('availableFrom', 'availableFrom and availableTo go together');
    let free: SQL | null = null;
    if (q.availableFrom && q.availableTo) {
      if (q.availableTo <= q.availableFrom) throw searchInvalid('availableTo', 'must be after availableFrom');
      if (!deps.availability)
        throw new AppError('SERVICE_UNAVAILABLE', { en: 'Availability search needs the orders module' });
      free = sql`not ${deps.availability.workerBusySql(t.workerId, q.availableFrom, q.availableTo)}`;
    }
    const greenCategory =
      byCategory && colors.every((c) => c === 'green')
        ? { keys: [byCategory, byColor], rest: where.filter((w) => w !== byCategory && w !== byColor) }
        : null;
    return { where, radius, free, point, greenCategory };
  }

  const distanceTo = (point: { x: number; y: number }) =>
    sql<number>`(${workerSearch.location} <-> point(${point.x}::float8, ${point.y}::float8))`;

  /** The page query of any sort, exact `(key, id)` order; `radius` overrides the query's own (in `<->` units). */
  /**
   * `viaKeywordIndex`: the sort key is written `(key) + 0`, which no sort index matches, so the page comes from the
   * keyword's GIN index and a sort of its rows. For a word ANALYZE has no frequency for (a rare word, or one in no
   * row), PostgreSQL guesses hundreds of matches and would walk the sort index expecting to fill the page soon —
   * reading every row of the table when the word is in none (4.4 s at 1M workers for 做饭).
   */
  function workerQuery(q: WorkerQuery, radius?: number, viaKeywordIndex = false) {
    const f = workerFilters(q);
    const { point } = f;
    const t = workerSearch;
    const sort: WorkerSort = q.sort ?? (point ? 'distance' : 'credit');
    if (sort === 'distance' && !point) throw searchInvalid('sort', 'distance needs lon/lat or a district');
    const dist = point ? distanceTo(point) : null;
    const cursor = decodeCursor(q.cursor, cursorShape);
    const idCol = sql`${t.workerId}`;
    const ks =
      sort === 'distance'
        ? keyset(dist!, 'asc', idCol, cursor)
        : keyset(
            viaKeywordIndex ? sql<number>`(${sortKeys[sort].expr}) + 0` : sortKeys[sort].expr,
            sortKeys[sort].dir,
            idCol,
            cursor,
          );
    const r = radius ?? f.radius;
    const where = [...f.where];
    // `<@ circle` is an index condition of the GiST.
    if (r !== null)
      where.push(sql`${t.location} <@ circle(point(${point!.x}::float8, ${point!.y}::float8), ${r}::float8)`);
    if (f.free) where.push(f.free);
    const qb = reader
      .select({
        ...searchColumns,
        dist: dist ?? sql<null>`null`,
        ...(sort === 'distance' ? {} : { key: sortKeys[sort].expr }),
      })
      .from(t)
      .where(and(...where, ks.where))
      .orderBy(...ks.order)
      .limit(q.limit + 1);
    const keyOf = (row: SearchRow) => Number(sort === 'distance' ? row.dist : row.key);
    return { qb, keyOf };
  }

  /**
   * A keyword search in a non-distance sort, first as a walk of that sort's own index: the first
   * ORDERED_WALK rows (from the cursor on) are read in order and filtered. A word in many rows (月嫂 is in a
   * quarter of the city) fills the page within a few hundred rows, and such a page is exact, since the rows
   * come in the page's order. Otherwise (a rarer word) the caller runs `workerQuery`, on the keyword's GIN
   * index: then only that word's rows are read and sorted, never all the rows of a frequent word.
   */
  function orderedWalkQuery(q: WorkerQuery, sort: Exclude<WorkerSort, 'distance'>) {
    const f = workerFilters(q);
    const t = workerSearch;
    const key = sortKeys[sort];
    const ks = keyset(key.expr, key.dir, sql`${t.workerId}`, decodeCursor(q.cursor, cursorShape));
    // Aliased as the table, so the filters' column references resolve to the walked rows.
    const head = reader
      .select({ ...getTableColumns(t), sortKey: key.expr.as('sort_key') })
      .from(t)
      .where(ks.where)
      .orderBy(...ks.order)
      .limit(ORDERED_WALK)
      .as('worker_search');
    const where = [...f.where];
    if (f.radius !== null) {
      const p = f.point!;
      where.push(sql`${t.location} <@ circle(point(${p.x}::float8, ${p.y}::float8), ${f.radius}::float8)`);
    }
    if (f.free) where.push(f.free);
    return reader
      .select({ ...searchColumns, dist: sql<null>`null`, key: sql<number>`${head.sortKey}` })
      .from(head)
      .where(and(...where))
      .orderBy(...keyset(sql`${head.sortKey}`, key.dir, sql`${head.workerId}`, null).order)
      .limit(q.limit + 1);
  }

  let tokenStats: { at: number; freq: Map<string, number>; missing: number } | null = null;

  /**
   * How to answer a keyword in a non-distance sort. `walk`: the ordered walk can fill a page — the word's rarest
   * token is in at least `(limit + 1) / ORDERED_WALK` of the rows, by the element frequencies ANALYZE keeps for
   * `search_tokens` (read at most every 5 minutes); a token missing from that list is at most as frequent as
   * `missingTokenBound` says (below ANALYZE's cutoff when the list is not full; otherwise the list's least frequent
   * element); with no statistics yet, walk (the walk is bounded either way). `unknown`: a token
   * is missing from the list, so when the walk does not fill the page, the page comes from the keyword's GIN index
   * (see workerQuery) instead of the planner's guess. Only shortcuts: every path gives the same page.
   */
  async function keywordPath(keyword: string, limit: number): Promise<{ walk: boolean; unknown: boolean }> {
    const now = Date.now();
    if (!tokenStats || now - tokenStats.at > 300_000) {
      // The column's statistics target (-1 before PostgreSQL 17, null since: the default) and the average number of
      // distinct elements per row (the last entry of the element count histogram).
      const res = (await reader.execute(sql`
        select s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs as freqs,
          s.elem_count_histogram[array_length(s.elem_count_histogram, 1)] as per_row,
          coalesce(nullif(a.attstattarget, -1), current_setting('default_statistics_target')::int) as target
        from pg_stats s
        join pg_attribute a on a.attrelid = 'worker_search'::regclass and a.attname = s.attname
        where s.schemaname = current_schema() and s.tablename = 'worker_search' and s.attname = 'search_tokens'`)) as unknown as {
        rows: {
          elems: string[] | null;
          freqs: number[] | null;
          per_row: number | string | null;
          target: number | string;
        }[];
      };
      const r = res.rows[0];
      const freq = new Map<string, number>();
      for (const [i, e] of (r?.elems ?? []).entries()) freq.set(e, Number(r!.freqs![i]));
      // After the elements' own frequencies come their minimum, maximum and the null frequency.
      const floor = r?.freqs && r.elems ? Number(r.freqs[r.elems.length]) : Number.NaN;
      const missing = r
        ? missingTokenBound({
            listed: freq.size,
            floor,
            statisticsTarget: Number(r.target),
            elementsPerRow: r.per_row === null ? null : Number(r.per_row),
          })
        : floor;
      tokenStats = { at: now, freq, missing };
    }
    if (!tokenStats.freq.size || Number.isNaN(tokenStats.missing)) return { walk: true, unknown: false };
    const tokens = queryTokens(keyword);
    const least = Math.min(...tokens.map((x) => tokenStats!.freq.get(x) ?? tokenStats!.missing));
    return {
      walk: least >= (limit + 1) / ORDERED_WALK,
      unknown: tokens.some((x) => !tokenStats!.freq.has(x)),
    };
  }

  /**
   * Nearest first, as a walk of the GiST index in distance order that stops after `limit + 1 + TIE_SLACK` rows
   * (docs/discovery.md, "Nearest first"). The radius is not an index condition (its constant 0.1 % estimate
   * made PostgreSQL fetch the whole circle and sort it): a row beyond the radius passes the inner filter, so the
   * walk ends a page's length past the radius, and the outer query cuts those rows off. Availability stays a
   * top-level `not exists` (an index probe per row read). The outer order adds the id to the distance.
   * A category's green workers (the common search) are walked on their own partial GiST index: its predicate
   * stays at the top of the `where`, so every row read is of that category and colour (≈ 30 rows for a page
   * instead of ≈ 230 of every category), and only the other filters go under the radius's `or`.
   */
  function nearestQuery(q: WorkerQuery, point: { x: number; y: number }) {
    const { where, radius, free, greenCategory } = workerFilters(q);
    const t = workerSearch;
    const dist = distanceTo(point);
    const ks = keyset(dist, 'asc', sql`${t.workerId}`, decodeCursor(q.cursor, cursorShape));
    const keys = greenCategory?.keys ?? [];
    const rest = greenCategory?.rest ?? where;
    const cond =
      radius === null || !rest.length
        ? and(free ?? undefined, ks.where, ...keys, ...rest)
        : and(free ?? undefined, ks.where, ...keys, or(sql`${dist} > ${radius}::float8`, and(...rest)));
    return nearestSelect(dist, cond, q.limit + 1 + TIE_SLACK, radius);
  }

  /** The nearest-first statement around its condition: the index walk inside, the radius cut and exact order outside. */
  function nearestSelect(
    dist: SQL<number>,
    cond: SQL | undefined,
    /** A number or placeholder is sent as a parameter; an SQL chunk (`sql.raw('29')`) is written into the text. */
    limit: number | Placeholder | SQL,
    radius: number | Placeholder | null,
  ) {
    const near = reader
      .select({ ...searchColumns, dist: dist.as('dist') })
      .from(workerSearch)
      .where(cond)
      .orderBy(dist)
      // drizzle types `limit` as a number or a placeholder, and its dialect writes any chunk as ` limit ${limit}`.
      .limit(limit as number | Placeholder)
      .as('near');
    return reader
      .select()
      .from(near)
      .where(radius === null ? undefined : sql`${near.dist} <= ${radius}::float8`)
      .orderBy(near.dist, near.workerId);
  }

  type NearestStatement = {
    execute(values: Record<string, unknown>): Promise<SearchRow[]>;
    /** Its text and parameters (placeholders by name), for `explainWorkers(…, { path: 'prepared' })`. */
    query: Query;
  };
  const nearestStatements = new Map<string, NearestStatement>();

  /**
   * The common search — one category's green workers near a point, optionally free in a period and above a worker
   * credit score or in some company grades (the credit filters), no other filter — as
   * a named prepared statement per category and shape, built once: drizzle's query building was ~20 % of the
   * server's CPU per search, and PostgreSQL plans it once per connection. The category is written as a literal
   * (a known code, checked by `workerFilters`), so even the generic plan walks that category's partial GiST index;
   * so is the walk's length, rounded up to one of WALK_PAGES (a few statements per category): a `limit $n` is
   * costed as a tenth of the table in a generic plan, so PostgreSQL judged the generic plan dearer than the custom
   * ones and planned every execution afresh (10 of 10 custom plans at gz; ≈ 0.5 ms of the database's CPU per
   * search). Point, radius, period, cursor and the credit filters' values are parameters. Null for any other query
   * (built per request).
   */
  function preparedNearest(
    q: WorkerQuery,
    point: { x: number; y: number },
  ): { stmt: NearestStatement; walk: number; values: Record<string, unknown> } | null {
    const f = workerFilters(q);
    const byCredit = q.minWorkerCredit !== undefined;
    const byGrade = !!q.companyGrades?.length;
    // Besides category and colour, only the credit filters (each one entry of `rest`) may be present.
    if (
      deps.preparedSearch === false ||
      !f.greenCategory ||
      f.greenCategory.rest.length !== Number(byCredit) + Number(byGrade) ||
      !q.category
    )
      return null;
    const cursor = decodeCursor(q.cursor, cursorShape);
    const free = !!(q.availableFrom && q.availableTo && deps.availability);
    const walk = walkLength(q.limit);
    const key = `${q.category}_${free ? 'f' : ''}${f.radius === null ? '' : 'r'}${cursor ? 'c' : ''}${byCredit ? 'w' : ''}${byGrade ? 'g' : ''}_${walk}`;
    let stmt = nearestStatements.get(key);
    if (!stmt) {
      const t = workerSearch;
      const dist = sql<number>`(${t.location} <-> point(${sql.placeholder('x')}::float8, ${sql.placeholder('y')}::float8))`;
      // The predicate of the category's partial index, as discovery.tables.ts writes it.
      const keys = sql.raw(`${t.categories.name} @> '{${q.category}}'::text[] and ${t.color.name} = 'green'`);
      // The credit filters of workerFilters, with their values as parameters (the grades as one array).
      const rest: SQL[] = [];
      if (byCredit) rest.push(sql`${t.workerCreditScore} >= ${sql.placeholder('minCredit')}`);
      if (byGrade) rest.push(sql`${t.companyGrade} = any(${sql.placeholder('grades')}::text[])`);
      const cond = and(
        free
          ? sql`not ${deps.availability!.workerBusySql(
              t.workerId,
              // Placeholders in the period's place: the fragment only embeds them, and execute fills them in.
              sql.placeholder('from') as unknown as Date,
              sql.placeholder('to') as unknown as Date,
            )}`
          : undefined,
        cursor
          ? sql`(${dist} > ${sql.placeholder('cv')} or (${dist} = ${sql.placeholder('cv')} and ${t.workerId} > ${sql.placeholder('cid')}))`
          : undefined,
        keys,
        // As in nearestQuery: under the radius's `or`, so the walk ends a page's length past the radius.
        ...(rest.length === 0
          ? []
          : f.radius === null
            ? rest
            : [or(sql`${dist} > ${sql.placeholder('radius')}::float8`, and(...rest))]),
      );
      const qb = nearestSelect(
        dist,
        cond,
        // A literal in the text (a number would be sent as a parameter): see the comment above.
        sql.raw(String(walk)),
        f.radius === null ? null : sql.placeholder('radius'),
      );
      const query = qb.toSQL() as Query;
      const prepared = hitStatement(query, `discovery_nearest_${key}`);
      stmt = { execute: (values) => prepared.execute(values), query };
      nearestStatements.set(key, stmt);
    }
    return {
      stmt,
      walk,
      values: {
        x: point.x,
        y: point.y,
        ...(f.radius === null ? {} : { radius: f.radius }),
        ...(free ? { from: q.availableFrom, to: q.availableTo } : {}),
        ...(cursor ? { cv: cursor.v, cid: cursor.id } : {}),
        ...(byCredit ? { minCredit: q.minWorkerCredit } : {}),
        ...(byGrade ? { grades: q.companyGrades } : {}),
      },
    };
  }

  /** The sort a query gets: distance when it has a point (explicit or a district centre), else credit. */
  const sortOf = (q: WorkerQuery): WorkerSort => q.sort ?? (refPoint(q) ? 'distance' : 'credit');

  async function orgPage(type: 'company' | 'station', q: OrgQuery) {
    checkCategory(q.category);
    const t = orgSearch;
    const ref = refPoint(q);
    const point = ref ? scaledPoint(ref.lon, ref.lat) : null;
    const where: SQL[] = [eq(t.type, type)];
    if (q.radiusM !== undefined) {
      if (q.lon === undefined) throw searchInvalid('radiusM', 'a radius needs lon and lat');
      where.push(
        sql`${t.location} <@ circle(point(${point!.x}::float8, ${point!.y}::float8), ${metresToUnits(q.radiusM)}::float8)`,
      );
    }
    if (q.category) where.push(sql`${t.categories} @> array[${q.category}]::text[]`);
    if (q.district) where.push(eq(t.district, q.district));
    if (q.companyGrades?.length) where.push(inArray(t.creditGrade, q.companyGrades));
    if (q.id) where.push(eq(t.orgId, q.id));
    const sort = q.sort ?? (point ? 'distance' : 'grade');
    if (sort === 'distance' && !point) throw searchInvalid('sort', 'distance needs lon/lat or a district');
    const dist = point
      ? sql<number>`(${t.location} <-> point(${point.x}::float8, ${point.y}::float8))`
      : null;
    const cursor = decodeCursor(q.cursor, cursorShape);
    const ks =
      sort === 'distance'
        ? keyset(dist!, 'asc', sql`${t.orgId}`, cursor)
        : keyset(sql`${t.gradeRank}`, 'desc', sql`${t.orgId}`, cursor);
    const rows = await reader
      .select({ row: t, dist: dist ?? sql<null>`null` })
      .from(t)
      .where(and(...where, ks.where))
      .orderBy(...ks.order)
      .limit(q.limit + 1);
    const items = rows.slice(0, q.limit);
    const last = rows.length > q.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map(
        ({ row, dist: d }): OrgHit => ({
          id: row.orgId,
          type: row.type as 'company' | 'station',
          name: row.name,
          district: row.district,
          address: row.address,
          lon: row.lon,
          lat: row.lat,
          categories: row.categories,
          creditGrade: row.creditGrade,
          staffCount: row.staffCount,
          distanceM: d === null ? null : Math.round(unitsToMetres(Number(d))),
        }),
      ),
      nextCursor: last
        ? encodeCursor({
            v: sort === 'distance' ? Number(last.dist) : last.row.gradeRank,
            id: last.row.orgId,
          })
        : null,
    };
  }

  async function rebuildOrgs(now: Date) {
    const counts = new Map(
      (
        await db
          .select({ companyId: workerSearch.companyId, n: count() })
          .from(workerSearch)
          .groupBy(workerSearch.companyId)
      ).map((r) => [r.companyId, Number(r.n)]),
    );
    const rows: (typeof orgSearch.$inferInsert)[] = [];
    for (const type of ['company', 'station'] as const) {
      let cursor: string | undefined;
      do {
        const page =
          type === 'company'
            ? await orgs.publicCompanies({ limit: 100, cursor })
            : await orgs.publicOrganizations({ type: 'station', limit: 100, cursor });
        for (const o of page.items) {
          const loc =
            o.location ??
            (o.district && districtByCode.get(o.district)
              ? { lon: districtByCode.get(o.district)!.lon, lat: districtByCode.get(o.district)!.lat }
              : null);
          if (!loc) continue;
          rows.push({
            orgId: o.id,
            type,
            name: o.name,
            district: o.district,
            address: o.address,
            lon: loc.lon,
            lat: loc.lat,
            location: scaledPoint(loc.lon, loc.lat),
            categories: o.serviceCategories,
            creditGrade: o.creditGrade,
            gradeRank: gradeRank(o.creditGrade),
            staffCount: counts.get(o.id) ?? 0,
            updatedAt: now,
          });
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 500)
        await tx
          .insert(orgSearch)
          .values(rows.slice(i, i + 500))
          .onConflictDoUpdate({
            target: orgSearch.orgId,
            set: {
              type: sql.raw('excluded.type'),
              name: sql.raw('excluded.name'),
              district: sql.raw('excluded.district'),
              address: sql.raw('excluded.address'),
              lon: sql.raw('excluded.lon'),
              lat: sql.raw('excluded.lat'),
              location: sql.raw('excluded.location'),
              categories: sql.raw('excluded.categories'),
              creditGrade: sql.raw('excluded.credit_grade'),
              gradeRank: sql.raw('excluded.grade_rank'),
              staffCount: sql.raw('excluded.staff_count'),
              updatedAt: sql.raw('excluded.updated_at'),
            },
          });
      // Organizations no longer public (suspended, expelled, removed) leave the map.
      await tx.delete(orgSearch).where(lt(orgSearch.updatedAt, now));
    });
    return rows.length;
  }

  /**
   * Workers matching the filters, as `searchWorkers`, each hit as its JSON text (`hit_json` and its distance): what
   * the search route sends, written into the response as it is.
   */
  async function searchWorkerTexts(q: WorkerQuery): Promise<{ items: string[]; nextCursor: string | null }> {
    const point = sortOf(q) === 'distance' ? refPoint(q) : null;
    let rows: SearchRow[];
    let keyOf = (r: SearchRow) => Number(r.dist);
    if (point) {
      const at = scaledPoint(point.lon, point.lat);
      const prepared = preparedNearest(q, at);
      rows = prepared ? await prepared.stmt.execute(prepared.values) : await hitRows(nearestQuery(q, at));
      // The walk's length (the prepared statement's may be longer than the page needs: WALK_PAGES).
      const read = prepared ? prepared.walk : q.limit + 1 + TIE_SLACK;
      // All rows nearer than the farthest one read are in `rows`; when the page ends among rows as far as
      // that one, some of its ties may be unread: take the page exactly from the circle that holds them.
      if (rows.length === read && rows[q.limit - 1]!.dist === rows[read - 1]!.dist)
        rows = await hitRows(workerQuery(q, rows[read - 1]!.dist!).qb);
      rows = rows.slice(0, q.limit + 1);
    } else {
      const page = workerQuery(q);
      keyOf = page.keyOf;
      const sort = sortOf(q) as Exclude<WorkerSort, 'distance'>;
      const how = q.q !== undefined ? await keywordPath(q.q, q.limit) : { walk: false, unknown: false };
      rows = how.walk ? await hitRows(orderedWalkQuery(q, sort)) : [];
      if (rows.length <= q.limit)
        rows = await hitRows(how.unknown ? workerQuery(q, undefined, true).qb : page.qb);
    }
    const items = rows.slice(0, q.limit);
    const last = rows.length > q.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((r) => hitText(r.hit, r.dist)),
      nextCursor: last ? encodeCursor({ v: keyOf(last), id: last.workerId }) : null,
    };
  }

  return {
    searchWorkerTexts,

    /** Workers matching the filters, green-only unless `colors` says otherwise; keyset-paginated per sort. */
    async searchWorkers(q: WorkerQuery): Promise<{ items: WorkerHit[]; nextCursor: string | null }> {
      const page = await searchWorkerTexts(q);
      return { items: page.items.map((h) => JSON.parse(h) as WorkerHit), nextCursor: page.nextCursor };
    },

    /**
     * The plan PostgreSQL chooses for a worker search, for docs, the index tests and benchmarks: the nearest-first
     * query, the keyword's ordered walk (`path: 'orderedWalk'`) or the exact page query; `analyze` runs it.
     */
    async explainWorkers(
      q: WorkerQuery,
      opts: { path?: 'orderedWalk' | 'keywordIndex' | 'prepared'; analyze?: boolean } = {},
    ): Promise<string> {
      const sort = sortOf(q);
      const point = sort === 'distance' ? refPoint(q) : null;
      if (opts.path === 'prepared') {
        // The prepared common search's GENERIC plan (the one a connection keeps after its first executions).
        const p = point ? preparedNearest(q, scaledPoint(point.lon, point.lat)) : null;
        if (!p) throw new Error('not a query of the prepared common search');
        const args = p.stmt.query.params.map((v) => (is(v, Placeholder) ? p.values[v.name] : v));
        return reader.transaction(async (tx) => {
          await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
          await tx.execute(sql.raw(`prepare discovery_explain as ${p.stmt.query.sql}`));
          const how = opts.analyze ? 'analyze, buffers, costs off' : 'costs off';
          // A utility statement takes no bound parameters: the values go in as literals (numbers, text, times,
          // arrays of codes).
          const text = (v: unknown) =>
            Array.isArray(v)
              ? `{${v.map((x) => `"${String(x).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
              : v instanceof Date
                ? v.toISOString()
                : String(v);
          const literal = (v: unknown) =>
            typeof v === 'number' && Number.isFinite(v) ? String(v) : `'${text(v).replaceAll("'", "''")}'`;
          const res = (await tx.execute(
            sql.raw(`explain (${how}) execute discovery_explain(${args.map(literal).join(', ')})`),
          )) as unknown as { rows: Record<string, string>[] };
          await tx.execute(sql`deallocate discovery_explain`);
          return res.rows.map((r) => r['QUERY PLAN']).join('\n');
        });
      }
      const qb = point
        ? nearestQuery(q, scaledPoint(point.lon, point.lat))
        : opts.path === 'orderedWalk'
          ? orderedWalkQuery(q, sort as Exclude<WorkerSort, 'distance'>)
          : workerQuery(q, undefined, opts.path === 'keywordIndex').qb;
      const how = sql.raw(opts.analyze ? 'analyze, buffers, costs off' : 'costs off');
      const res = (await reader.execute(sql`explain (${how}) ${qb}`)) as unknown as {
        rows: Record<string, string>[];
      };
      return res.rows.map((r) => r['QUERY PLAN']).join('\n');
    },

    /** Active companies by category, district, grade and distance. */
    searchCompanies: (q: OrgQuery) => orgPage('company', q),

    /** Community service stations, nearest first when a point is given. */
    searchStations: (q: Omit<OrgQuery, 'category' | 'companyGrades'>) =>
      orgPage('station', { ...q, sort: q.lon !== undefined || q.district ? 'distance' : 'grade' }),

    /**
     * A worker's public profile: the projection's public fields, the employer's prices for the worker's
     * categories, the next 60 days' busy periods, and reviews (none until the feedback module exists).
     */
    async workerProfile(workerId: string) {
      const [row] = await reader
        .select()
        .from(workerSearch)
        .where(eq(workerSearch.workerId, workerId))
        .limit(1);
      if (!row) throw new AppError('NOT_FOUND');
      let items: ServiceItemView[] = [];
      if (row.companyId)
        items = (await catalog.publicItems(row.companyId).catch(() => [])).filter((i) =>
          row.categories.includes(i.category),
        );
      const from = clock();
      const to = new Date(from.getTime() + 60 * 86_400_000);
      const busy = deps.availability ? await deps.availability.busyPeriods(workerId, from, to) : null;
      return {
        ...(JSON.parse(hitText(row.hitJson, null)) as WorkerHit),
        certificateNumber: row.certificateNumber,
        skills: row.skills,
        lon: row.lon,
        lat: row.lat,
        items,
        availability: {
          from: from.toISOString(),
          to: to.toISOString(),
          known: busy !== null,
          busy: (busy ?? []).map((b) => ({ from: b.from.toISOString(), to: b.to.toISOString() })),
        },
        reviews: { count: 0, items: [] as never[] },
      };
    },

    /** A company's public page: grade, address and map point, published prices, certified staff count, reviews. */
    async companyProfile(companyId: string) {
      const c = await orgs.publicCompany(companyId);
      const items = await catalog.publicItems(companyId);
      const [staff] = await reader
        .select({ n: count() })
        .from(workerSearch)
        .where(eq(workerSearch.companyId, companyId));
      return {
        id: c.id,
        name: c.name,
        district: c.district,
        address: c.address,
        location: c.location ? { lon: c.location.lon, lat: c.location.lat } : null,
        model: c.model,
        creditGrade: c.creditGrade,
        description: c.description,
        categories: c.serviceCategories,
        staffCount: Number(staff?.n ?? 0),
        items,
        reviews: { count: 0, items: [] as never[] },
      };
    },

    /** Re-projects one worker (after an event): inserts, updates or removes the row. */
    async refreshWorker(workerId: string): Promise<void> {
      const sources = await workers.searchSources({ ids: [workerId] });
      const rows = await projectWorkers(sources, new Map());
      if (rows.length) await upsertWorkers(rows);
      else await db.delete(workerSearch).where(eq(workerSearch.workerId, workerId));
    },

    /** Re-projects the workers of one company (its prices or standing changed). */
    async refreshCompany(companyId: string): Promise<void> {
      const ids = (
        await db
          .select({ id: workerSearch.workerId })
          .from(workerSearch)
          .where(eq(workerSearch.companyId, companyId))
      ).map((r) => r.id);
      for (let i = 0; i < ids.length; i += 200) {
        const batch = ids.slice(i, i + 200);
        const rows = await projectWorkers(await workers.searchSources({ ids: batch }), new Map());
        await upsertWorkers(rows);
        const kept = new Set(rows.map((r) => r.workerId));
        const gone = batch.filter((id) => !kept.has(id));
        if (gone.length) await db.delete(workerSearch).where(inArray(workerSearch.workerId, gone));
      }
    },

    /**
     * Copies credit results into both projections, set-based (after a recompute or an event's rescoring): new company
     * grades into their workers' rows (company_grade, credit_rank) and the map (credit_grade, grade_rank), workers'
     * scores and ratings into their rows. The same values a re-projection would write; rows already equal are not
     * rewritten, and workers without a row (not public) are not added. Returns the rows written.
     */
    async applyCredit(input: {
      grades?: { companyId: string; grade: string }[];
      workers?: CreditProjection[];
    }): Promise<{ workerRows: number; orgRows: number }> {
      const grades = input.grades ?? [];
      const byCompany = JSON.stringify(Object.fromEntries(grades.map((g) => [g.companyId, g.grade])));
      const ws = input.workers ?? [];
      let workerRows = 0;
      let orgRows = 0;
      // A worker's new grade (when its company's changed) and credit in one write per row: credit_rank is indexed,
      // so each extra update of a row is a new entry in every index of the table.
      const starts: number[] = [];
      for (let i = 0; i < ws.length; i += APPLY_CHUNK) starts.push(i);
      // Two batches at a time on two connections (database-bound; the batches' rows are disjoint).
      const applyBatch = async (i: number) => {
        const chunk = ws.slice(i, i + APPLY_CHUNK).map((w) => ({
          worker_id: w.workerId,
          score: w.score,
          rating_avg: w.ratingAvg,
          rating_count: w.ratingCount,
        }));
        workerRows += await updated(
          db,
          sql`update ${workerSearch} w set worker_credit_score = n.score,
            rating_avg = n.rating_avg, rating_count = n.rating_count, company_grade = n.company_grade,
            credit_rank = n.credit_rank
          from (
            select x.worker_id, x.score, x.rating_avg, x.rating_count,
              case when g.grades ? s.company_id then g.grades ->> s.company_id else s.company_grade end as company_grade,
              case when g.grades ? s.company_id then ${creditRankSql(sql`g.grades ->> s.company_id`, sql`s.color`)}
                else s.credit_rank end as credit_rank
            from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
                as x(worker_id text, score int, rating_avg float8, rating_count int)
              join ${workerSearch} s on s.worker_id = x.worker_id
              cross join (select ${byCompany}::jsonb as grades) g
          ) n
          where w.worker_id = n.worker_id and (w.worker_credit_score, w.rating_avg, w.rating_count, w.company_grade,
              w.credit_rank) is distinct from (n.score, n.rating_avg, n.rating_count, n.company_grade, n.credit_rank)`,
        );
      };
      await Promise.all(
        Array.from({ length: Math.min(2, starts.length) }, async () => {
          for (let i = starts.shift(); i !== undefined; i = starts.shift()) await applyBatch(i);
        }),
      );
      if (grades.length) {
        // Workers of those companies whose own credit did not change (or was not passed).
        workerRows += await updated(
          db,
          sql`update ${workerSearch} w set company_grade = g.grade,
            credit_rank = ${creditRankSql(sql`g.grade`, sql`w.color`)}
          from jsonb_to_recordset(${JSON.stringify(grades)}::jsonb) as g("companyId" text, grade text)
          where w.company_id = g."companyId" and (w.company_grade is distinct from g.grade
            or w.credit_rank <> ${creditRankSql(sql`g.grade`, sql`w.color`)})`,
        );
        orgRows += await updated(
          db,
          sql`update ${orgSearch} o set credit_grade = g.grade,
            grade_rank = ${gradeRankSql(sql`g.grade`)}
          from jsonb_to_recordset(${JSON.stringify(grades)}::jsonb) as g("companyId" text, grade text)
          where o.org_id = g."companyId" and o.type = 'company'
            and (o.credit_grade, o.grade_rank) is distinct from (g.grade, ${gradeRankSql(sql`g.grade`)})`,
        );
      }
      return { workerRows, orgRows };
    },

    /**
     * Rebuilds both projections from the source modules, in id-ordered batches; rows not seen in this run
     * (worker deleted, certificate gone) are removed at the end.
     */
    async rebuildAll(
      opts: { batchSize?: number; sink?: WorkerRowSink } = {},
    ): Promise<{ workers: number; orgs: number }> {
      const started = clock();
      const write = opts.sink ? (rows: WorkerRow[]) => opts.sink!.write(rows) : upsertWorkers;
      const cache = new Map<string, { name: string; grade: string | null; active: boolean } | null>();
      let afterId: string | undefined;
      let total = 0;
      for (;;) {
        const sources = await workers.searchSources({ afterId, limit: opts.batchSize ?? 500 });
        if (!sources.length) break;
        const rows = await projectWorkers(sources, cache);
        for (const r of rows) r.updatedAt = started;
        await write(rows);
        total += rows.length;
        afterId = sources[sources.length - 1]!.id;
      }
      await opts.sink?.finish();
      await db.delete(workerSearch).where(lt(workerSearch.updatedAt, started));
      const orgCount = await rebuildOrgs(started);
      // A bulk load leaves GIN's pending list full, which makes the planner price the keyword index as a scan.
      await db.execute(sql`select gin_clean_pending_list('worker_search_tokens_gin'::regclass)`);
      await db.execute(sql`analyze worker_search`);
      await db.execute(sql`analyze org_search`);
      return { workers: total, orgs: orgCount };
    },
  };
}

export type DiscoveryService = ReturnType<typeof createDiscoveryService>;
