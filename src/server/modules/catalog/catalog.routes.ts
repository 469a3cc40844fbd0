import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtCodes } from '../../../shared/districts.js';
import { priceUnitCodes, serviceModeCodes } from '../../../shared/domain.js';
import { contextOf } from '../../platform/http/context.js';
import type { CatalogService } from './catalog.service.js';

const guideFlag = z.enum(['below', 'above']).nullable();
export const serviceItemView = z.object({
  id: z.string(),
  lineageId: z.string(),
  version: z.number().int(),
  companyId: z.string(),
  category: z.string(),
  mode: z.enum(serviceModeCodes),
  unit: z.enum(priceUnitCodes),
  priceFen: z.number().int(),
  priceMaxFen: z.number().int().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  current: z.boolean(),
  guideFlag,
  guide: z
    .object({ minFen: z.number().int(), maxFen: z.number().int(), district: z.string().nullable() })
    .nullable(),
  createdAt: z.string(),
});
const guideView = z.object({
  id: z.string(),
  category: z.string(),
  district: z.string().nullable(),
  unit: z.enum(priceUnitCodes),
  minFen: z.number().int(),
  maxFen: z.number().int(),
  effectiveFrom: z.string(),
  effectiveUntil: z.string().nullable(),
  note: z.string().nullable(),
});
// Category is checked by the service so an unknown one gets its own code (CATALOG_CATEGORY_UNKNOWN).
// Prices are plain numbers here: zero, negative, fractional and absurd ones get CATALOG_PRICE_INVALID there.
const itemBody = z.strictObject({
  category: z.string().trim().min(1).max(40),
  mode: z.enum(serviceModeCodes),
  unit: z.enum(priceUnitCodes).optional(),
  priceFen: z.number().finite(),
  priceMaxFen: z.number().finite().nullable().optional(),
  title: z.string().trim().min(1).max(80),
  description: z.string().trim().max(2000).nullable().optional(),
  active: z.boolean().optional(),
});
const orgParam = z.strictObject({ orgId: z.string().min(1).max(40) });
const itemParam = z.strictObject({ orgId: z.string().min(1).max(40), id: z.string().min(1).max(40) });
const idParam = z.strictObject({ id: z.string().min(1).max(40) });
const companyRoles = { authz: { roles: ['company_admin', 'company_staff'] as const } };
const regulator = { authz: { roles: ['regulator'] as const } };

/** /api/v1 routes of price lists (company) and guide prices (regulator; public reading). */
export function catalogRoutes(svc: CatalogService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['catalog'];

    r.get('/orgs/:orgId/service-items', {
      config: companyRoles,
      schema: {
        tags,
        summary: "My company's current price list, withdrawn items included, with guide-range flags",
        params: orgParam,
        response: { 200: z.object({ items: z.array(serviceItemView) }) },
      },
      handler: async (req) => ({ items: await svc.listOwn(contextOf(req), req.params.orgId) }),
    });
    r.post('/orgs/:orgId/service-items', {
      config: companyRoles,
      schema: {
        tags,
        summary: 'Publish a service item and its price (422 for unknown category, bad unit or absurd price)',
        params: orgParam,
        body: itemBody,
        response: { 201: serviceItemView },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.create(contextOf(req), req.params.orgId, req.body)),
    });
    r.put('/orgs/:orgId/service-items/:id', {
      config: companyRoles,
      schema: {
        tags,
        summary: 'Edit an item: publishes a new version (the old one stays for orders that quoted it)',
        params: itemParam,
        body: itemBody,
        response: { 200: serviceItemView },
      },
      handler: async (req) => svc.update(contextOf(req), req.params.orgId, req.params.id, req.body),
    });
    r.get('/orgs/:orgId/service-items/:id/versions', {
      config: companyRoles,
      schema: {
        tags,
        summary: 'Every version of one of my items, newest first',
        params: itemParam,
        response: { 200: z.object({ items: z.array(serviceItemView) }) },
      },
      handler: async (req) => ({ items: await svc.history(contextOf(req), req.params.orgId, req.params.id) }),
    });
    r.get('/public/companies/:id/service-items', {
      config: { authz: { public: 'companies must publish their service items and prices (公开收费标准)' } },
      schema: {
        tags,
        summary: "An active company's published price list with guide-range flags",
        params: idParam,
        response: { 200: z.object({ items: z.array(serviceItemView) }) },
      },
      handler: async (req) => ({ items: await svc.publicItems(req.params.id) }),
    });
    r.get('/public/guide-prices', {
      config: { authz: { public: 'guide prices are published by the regulator for everyone' } },
      schema: {
        tags,
        summary: 'Guide prices in force (city-wide and per district)',
        querystring: z.strictObject({
          category: z.string().trim().min(1).max(40).optional(),
          district: z.enum(districtCodes).optional(),
        }),
        response: { 200: z.object({ items: z.array(guideView) }) },
      },
      handler: async (req) => ({ items: await svc.listGuides(req.query) }),
    });
    r.get('/regulator/guide-prices', {
      config: regulator,
      schema: {
        tags,
        summary: 'Guide prices with history (ended ones included)',
        querystring: z.strictObject({
          category: z.string().trim().min(1).max(40).optional(),
          district: z.enum(districtCodes).optional(),
        }),
        response: { 200: z.object({ items: z.array(guideView) }) },
      },
      handler: async (req) => ({ items: await svc.listGuides({ ...req.query, includeEnded: true }) }),
    });
    r.post('/regulator/guide-prices', {
      config: regulator,
      schema: {
        tags,
        summary:
          'Publish a guide price range; ends the one in force for the same category, district and unit',
        body: z.strictObject({
          category: z.string().trim().min(1).max(40),
          district: z.enum(districtCodes).nullable().optional(),
          unit: z.enum(priceUnitCodes),
          minFen: z.number().finite(),
          maxFen: z.number().finite(),
          effectiveFrom: z.iso.date().optional(),
          note: z.string().trim().max(500).nullable().optional(),
        }),
        response: { 201: guideView },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.publishGuide(contextOf(req), req.body)),
    });
    r.post('/regulator/guide-prices/:id/end', {
      config: regulator,
      schema: {
        tags,
        summary: 'End a guide price today',
        params: idParam,
        body: z.strictObject({}).nullish(),
        response: { 200: guideView },
      },
      handler: async (req) => svc.endGuide(contextOf(req), req.params.id),
    });
  };
}
