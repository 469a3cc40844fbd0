import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtCodes } from '../../../shared/districts.js';
import { creditGrades, skillLevelCodes, trustColors } from '../../../shared/domain.js';
import { serviceItemView } from '../catalog/index.js';
import { companySorts, type DiscoveryService, MAX_RADIUS_M, workerSorts } from './discovery.service.js';

/** A comma-separated query list (`colors=green,yellow`) of allowed values. */
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(values.length));
const lon = z.coerce.number().min(-180).max(180);
const lat = z.coerce.number().min(-90).max(90);
const radiusM = z.coerce.number().int().min(100).max(MAX_RADIUS_M);
const limit = z.coerce.number().int().min(1).max(100).default(20);
const cursor = z.string().max(500).optional();
const category = z.string().trim().min(1).max(40).optional();

/** A worker search hit (and the base of a worker's public profile). */
export const workerHit = z.object({
  workerId: z.string(),
  maskedName: z.string(),
  age: z.number().nullable(),
  sex: z.string().nullable(),
  categories: z.array(z.string()),
  skillLevel: z.string().nullable(),
  maternityStars: z.number().nullable(),
  yearsExperience: z.number().nullable(),
  nativePlace: z.string().nullable(),
  languages: z.array(z.string()),
  district: z.string().nullable(),
  distanceM: z.number().nullable(),
  color: z.enum(trustColors),
  bookable: z.boolean(),
  company: z.object({ id: z.string(), name: z.string(), creditGrade: z.string().nullable() }).nullable(),
  priceFrom: z.record(z.string(), z.object({ fen: z.number(), unit: z.string() })),
  minPriceFen: z.number().nullable(),
  ratingAvg: z.number().nullable(),
  ratingCount: z.number().nullable(),
  workerCreditScore: z.number().nullable(),
  intro: z.string().nullable(),
});
const orgHit = z.object({
  id: z.string(),
  type: z.enum(['company', 'station']),
  name: z.string(),
  district: z.string().nullable(),
  address: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
  categories: z.array(z.string()),
  creditGrade: z.string().nullable(),
  staffCount: z.number(),
  distanceM: z.number().nullable(),
});
const reviews = z.object({ count: z.number(), items: z.array(z.never()) });
const idParam = z.strictObject({ id: z.string().min(1).max(40) });
const publicAuthz = (reason: string) => ({ authz: { public: reason } });

/** /api/v1 search and public profile routes (all public: they show only what a certificate shows). */
export function discoveryRoutes(
  svc: DiscoveryService,
  map: { tileUrl: string; serviceCircleM: number; attribution: string },
) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['discovery'];

    r.get('/search/workers', {
      config: publicAuthz('residents look for certified workers before signing in'),
      schema: {
        tags,
        summary:
          'Search workers (green 安心码 only unless `colors` says otherwise; yellow/red are never bookable)',
        querystring: z.strictObject({
          category,
          district: z.enum(districtCodes).optional(),
          lon: lon.optional(),
          lat: lat.optional(),
          radiusM: radiusM.optional(),
          colors: list(trustColors).optional(),
          companyGrades: list(creditGrades).optional(),
          minWorkerCredit: z.coerce.number().int().min(0).max(1000).optional(),
          minLevel: z.enum(skillLevelCodes).optional(),
          minStars: z.coerce.number().int().min(1).max(5).optional(),
          availableFrom: z.iso.datetime({ offset: true }).optional(),
          availableTo: z.iso.datetime({ offset: true }).optional(),
          ageMin: z.coerce.number().int().min(16).max(80).optional(),
          ageMax: z.coerce.number().int().min(16).max(80).optional(),
          sex: z.enum(['F', 'M']).optional(),
          nativePlace: z.string().trim().min(1).max(30).optional(),
          languages: z
            .string()
            .max(200)
            .transform((s) =>
              s
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean),
            )
            .pipe(z.array(z.string().min(1).max(20)).max(5))
            .optional(),
          q: z.string().trim().min(1).max(30).optional(),
          sort: z.enum(workerSorts).optional(),
          cursor,
          limit,
        }),
        response: { 200: z.object({ items: z.array(workerHit), nextCursor: z.string().nullable() }) },
      },
      // The hottest public read: each hit is the JSON text PostgreSQL keeps for it (`hit_json`, the schema's fields,
      // held to them by search-rows.db.test.ts) with its distance, sent as it is read; a string body with a JSON
      // content type bypasses the route's serializer.
      handler: async (req, reply) => {
        const { availableFrom, availableTo, ...rest } = req.query;
        const page = await svc.searchWorkerTexts({
          ...rest,
          availableFrom: availableFrom ? new Date(availableFrom) : undefined,
          availableTo: availableTo ? new Date(availableTo) : undefined,
        });
        const body = `{"items":[${page.items.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
        // The page as JSON text (the reply is typed with the schema's object).
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    });

    r.get('/search/companies', {
      config: publicAuthz('the public list of active companies'),
      schema: {
        tags,
        summary: 'Search companies by category, district, grade and distance',
        querystring: z.strictObject({
          category,
          district: z.enum(districtCodes).optional(),
          lon: lon.optional(),
          lat: lat.optional(),
          radiusM: radiusM.optional(),
          companyGrades: list(creditGrades).optional(),
          sort: z.enum(companySorts).optional(),
          cursor,
          limit,
        }),
        response: { 200: z.object({ items: z.array(orgHit), nextCursor: z.string().nullable() }) },
      },
      handler: async (req) => svc.searchCompanies(req.query),
    });

    r.get('/search/stations', {
      config: publicAuthz('community service stations are public places'),
      schema: {
        tags,
        summary: 'Community service stations, nearest first',
        querystring: z.strictObject({
          id: z.string().min(1).max(40).optional(),
          district: z.enum(districtCodes).optional(),
          lon: lon.optional(),
          lat: lat.optional(),
          radiusM: radiusM.optional(),
          cursor,
          limit,
        }),
        response: { 200: z.object({ items: z.array(orgHit), nextCursor: z.string().nullable() }) },
      },
      handler: async (req) => svc.searchStations(req.query),
    });

    r.get('/workers/:id/public', {
      config: publicAuthz('the public part of a certified worker file (what the certificate shows)'),
      schema: {
        tags,
        summary: "A certified worker's public profile: no ID number, phone or address",
        params: idParam,
        response: {
          200: workerHit.extend({
            certificateNumber: z.string().nullable(),
            skills: z.array(z.string()),
            lon: z.number(),
            lat: z.number(),
            items: z.array(serviceItemView),
            availability: z.object({
              from: z.string(),
              to: z.string(),
              known: z.boolean(),
              busy: z.array(z.object({ from: z.string(), to: z.string() })),
            }),
            reviews,
          }),
        },
      },
      handler: async (req) => svc.workerProfile(req.params.id),
    });

    r.get('/companies/:id/public', {
      config: publicAuthz('companies publish their grade, prices and address'),
      schema: {
        tags,
        summary: "An active company's public page",
        params: idParam,
        response: {
          200: z.object({
            id: z.string(),
            name: z.string(),
            district: z.string().nullable(),
            address: z.string().nullable(),
            location: z.object({ lon: z.number(), lat: z.number() }).nullable(),
            model: z.string().nullable(),
            creditGrade: z.string().nullable(),
            description: z.string().nullable(),
            categories: z.array(z.string()),
            staffCount: z.number(),
            items: z.array(serviceItemView),
            reviews,
          }),
        },
      },
      handler: async (req) => svc.companyProfile(req.params.id),
    });

    r.get('/meta/map', {
      config: publicAuthz('map settings the web page needs before sign-in'),
      schema: {
        tags,
        summary: 'Map tile URL and the service circle radius',
        response: {
          200: z.object({ tileUrl: z.string(), attribution: z.string(), serviceCircleM: z.number() }),
        },
      },
      handler: async () => map,
    });
  };
}
