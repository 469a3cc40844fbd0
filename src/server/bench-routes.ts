import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from './platform/db/client.js';
import { serviceCategoryCodes } from '../shared/domain.js';
import { metresToUnits, scaledPoint } from './modules/discovery/index.js';

/**
 * Benchmark-only routes (issue 13), registered only when BENCH_ROUTES=1 (bench/run.ts sets it; tests never do):
 * the ceilings the real routes are compared with, in the same server build.
 * - `/bench/hello`: a bare route, no database;
 * - `/bench/pk/:id`: one primary-key lookup by raw SQL;
 * - `/bench/search-raw`: the nearest-worker SQL of `GET /api/v1/search/workers` (category + radius + green +
 *   free in a period + company credit grades, nearest first) by raw SQL, without the service's validation,
 *   mapping, cursor and the rare exact re-read of a page that ends inside a group of equal distances.
 */
const rowsOf = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;

export function benchRoutes(database: Database) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const authz = { public: 'benchmark ceiling, only registered with BENCH_ROUTES=1' };
    r.get('/bench/hello', {
      config: { authz },
      schema: { hide: true, response: { 200: z.object({ hello: z.string() }) } },
      handler: async () => ({ hello: 'world' }),
    });
    r.get('/bench/pk/:id', {
      config: { authz },
      schema: {
        hide: true,
        params: z.strictObject({ id: z.string().min(1).max(40) }),
        response: { 200: z.object({ row: z.record(z.string(), z.unknown()).nullable() }) },
      },
      handler: async (req) => {
        const res = await database.db.execute(
          sql`select id, number, state, valid_until from certificate where id = ${req.params.id}`,
        );
        return { row: rowsOf(res)[0] ?? null };
      },
    });
    r.get('/bench/search-raw', {
      config: { authz },
      schema: {
        hide: true,
        querystring: z.strictObject({
          lon: z.coerce.number(),
          lat: z.coerce.number(),
          radiusM: z.coerce.number().int().min(1).max(50_000),
          // A known code: written into the statement's text, as the service writes it.
          category: z.enum(serviceCategoryCodes),
          availableFrom: z.string().max(40),
          availableTo: z.string().max(40),
          companyGrades: z.string().max(40),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) },
      },
      handler: async (req) => {
        const q = req.query;
        const p = scaledPoint(q.lon, q.lat);
        const from = new Date(q.availableFrom);
        const to = new Date(q.availableTo);
        const r = metresToUnits(q.radiusM);
        const dist = sql`(location <-> point(${p.x}::float8, ${p.y}::float8))`;
        // One text parameter in array syntax (drizzle would write a JS array as a list of parameters).
        const grades = `{${q.companyGrades}}`;
        // The service's nearest-first statement (discovery.service.ts nearestQuery), its columns included (the hit
        // as the JSON text the projection keeps, sent here as a string field); the grade filter under the radius's
        // `or`, so the walk ends a page's length past the radius, as there; the category (the predicate of its
        // partial GiST index) and the walk's length written into the text, as there: a generic plan cannot walk the
        // category's index when the category is a parameter, and a `limit $n` keeps a statement on custom plans.
        const res = await database.db.execute(sql`
          select * from (
            select worker_id, hit_json, ${dist} as dist
            from worker_search
            where not exists (select 1 from worker_booking b where b.worker_id = worker_search.worker_id
                                and b.active and b.starts_at < ${to} and b.ends_at > ${from})
              and categories @> ${sql.raw(`'{${q.category}}'::text[]`)} and color = 'green'
              and (${dist} > ${r}::float8 or company_grade = any(${grades}::text[]))
            order by ${dist}
            limit ${sql.raw(String(q.limit + 1 + 8))}
          ) near
          where near.dist <= ${r}::float8
          order by near.dist, near.worker_id`);
        return { items: rowsOf(res).slice(0, q.limit) };
      },
    });
  };
}
