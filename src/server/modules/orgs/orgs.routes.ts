import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtCodes } from '../../../shared/districts.js';
import { companyModels, creditGrades, serviceCategoryCodes } from '../../../shared/domain.js';
import { memberRoles, orgTypes } from '../../../shared/roles.js';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import { applicationStatuses, orgStatuses } from './application-status.js';
import { LICENCE_MAX_BYTES, type OrgsService } from './orgs.service.js';

const id = z.string().min(1).max(64);
const ts = z.iso.datetime().describe('UTC, ISO 8601');
/** Dates become ISO strings here, so a replayed idempotent response (stored as JSON) matches the schema too. */
type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;
const json = <T>(value: T): Jsonified<T> => JSON.parse(JSON.stringify(value)) as Jsonified<T>;
const district = z.enum(districtCodes).describe('GB/T 2260 district code');
const text = (max: number) => z.string().trim().min(1).max(max);
// WGS-84, bounded to China's extent so swapped lon/lat are caught.
const location = z.strictObject({
  lon: z.number().min(73).max(136).describe('WGS-84 longitude'),
  lat: z.number().min(3).max(54).describe('WGS-84 latitude'),
});
const locationOut = z.object({ lon: z.number(), lat: z.number(), coordSystem: z.string() }).nullable();
const modelCodes = companyModels.map((m) => m.code) as ['employee', 'agency'];

const applicationBody = z.strictObject({
  name: text(100),
  uscc: z.string().trim().min(1).max(30).describe('统一社会信用代码 (GB 32100), 18 characters'),
  legalRepresentative: text(30),
  model: z.enum(modelCodes),
  address: text(200),
  district,
  location,
  serviceCategories: z.array(z.enum(serviceCategoryCodes)).min(1).max(serviceCategoryCodes.length),
  contactName: text(30),
  contactPhone: z.string().trim().min(1).max(20).describe('Mobile or landline'),
  description: z.string().trim().max(2000).nullish(),
});

const review = z.object({
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  reason: z.string().nullable(),
  actorId: z.string().nullable(),
  at: ts,
});

const companyDetail = z.object({
  id: z.string(),
  type: z.enum(orgTypes),
  name: z.string(),
  status: z.enum(orgStatuses),
  applicationStatus: z.enum(applicationStatuses).nullable(),
  uscc: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  model: z.enum(modelCodes).nullable(),
  address: z.string().nullable(),
  district: z.string().nullable(),
  location: locationOut,
  serviceCategories: z.array(z.enum(serviceCategoryCodes)),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  creditGrade: z.enum(creditGrades).nullable(),
  description: z.string().nullable(),
  licence: z.object({ mime: z.string(), size: z.number().int(), uploadedAt: ts }).nullable(),
  submittedAt: ts.nullable(),
  decidedAt: ts.nullable(),
  createdAt: ts,
  updatedAt: ts,
  reviews: z.array(review),
});

const publicOrg = z.object({
  id: z.string(),
  type: z.enum(orgTypes),
  name: z.string(),
  district: z.string().nullable(),
  address: z.string().nullable(),
  location: locationOut,
  model: z.enum(modelCodes).nullable(),
  serviceCategories: z.array(z.enum(serviceCategoryCodes)),
  creditGrade: z.enum(creditGrades).nullable(),
  description: z.string().nullable(),
  uscc: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  contactName: z.string().nullable().describe('Masked: 张*芳'),
  contactPhoneMasked: z.string().nullable().describe('Masked: 138****5678'),
});

const adminOrg = publicOrg.extend({ status: z.enum(orgStatuses), contactPhone: z.string().nullable() });

const listItem = z.object({
  id: z.string(),
  type: z.enum(orgTypes),
  name: z.string(),
  uscc: z.string().nullable(),
  district: z.string().nullable(),
  model: z.enum(modelCodes).nullable(),
  status: z.enum(orgStatuses),
  applicationStatus: z.enum(applicationStatuses).nullable(),
  creditGrade: z.enum(creditGrades).nullable(),
  submittedAt: ts.nullable(),
  createdAt: ts,
});

const invitation = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  orgType: z.enum(orgTypes),
  role: z.enum(memberRoles),
  phoneMasked: z.string(),
  status: z.string(),
  expiresAt: ts,
  createdAt: ts,
});

const member = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  role: z.enum(memberRoles),
  startedAt: ts,
  endedAt: ts.nullable(),
});

const noContent = z.null().describe('No content');
const orgIdParams = z.strictObject({ id });
const orgAdmins = ['company_admin', 'station_staff', 'training_staff', 'insurer_staff'] as const;

/**
 * /api/v1: company applications and their review, public company and organization lists, organizations
 * created by admins, staff invitations and memberships.
 */
export function orgsRoutes(orgs: OrgsService) {
  return async function plugin(app: FastifyInstance) {
    // Scoped to this plugin: only the licence upload reads multipart bodies.
    await app.register(multipart, {
      limits: { fileSize: LICENCE_MAX_BYTES + 1, files: 1, fields: 5, parts: 6 },
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['orgs'];

    // ---- applicant ----
    r.post('/companies/applications', {
      config: { authz: { roles: 'any' }, idempotent: true },
      schema: {
        tags,
        summary: 'Start a company application (draft); the caller becomes the pending company’s admin',
        body: applicationBody,
        response: { 201: companyDetail },
      },
      handler: async (req, reply) => reply.status(201).send(json(await orgs.apply(contextOf(req), req.body))),
    });

    r.get('/companies/applications/:id', {
      config: { authz: { roles: ['company_admin', 'company_staff'] } },
      schema: {
        tags,
        summary: 'The company’s application and profile, with review history',
        params: orgIdParams,
        response: { 200: companyDetail },
      },
      handler: async (req) => json(await orgs.getOwnCompany(contextOf(req), req.params.id)),
    });

    r.put('/companies/applications/:id', {
      config: { authz: { roles: ['company_admin'] } },
      schema: {
        tags,
        summary: 'Replace the application’s fields (draft or when more information was requested)',
        params: orgIdParams,
        body: applicationBody,
        response: { 200: companyDetail },
      },
      handler: async (req) => json(await orgs.updateApplication(contextOf(req), req.params.id, req.body)),
    });

    r.post('/companies/applications/:id/licence', {
      config: { authz: { roles: ['company_admin'] } },
      schema: {
        tags,
        summary: 'Upload the business licence (multipart field `file`: JPEG, PNG or PDF, ≤ 10 MB)',
        consumes: ['multipart/form-data'],
        params: orgIdParams,
        response: { 200: companyDetail },
      },
      handler: async (req) =>
        json(
          await orgs.uploadLicence(contextOf(req), req.params.id, async () => {
            if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
            const part = await req.file();
            if (!part) throw new AppError('FILE_EMPTY');
            try {
              return await part.toBuffer();
            } catch (e) {
              if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
                throw new AppError('FILE_TOO_LARGE', { detail: `The limit is ${LICENCE_MAX_BYTES} bytes` });
              throw e;
            }
          }),
        ),
    });

    r.post('/companies/applications/:id/submit', {
      config: { authz: { roles: ['company_admin'] } },
      schema: {
        tags,
        summary: 'Submit (or resubmit) the application for review',
        params: orgIdParams,
        response: { 200: companyDetail },
      },
      handler: async (req) => json(await orgs.submitApplication(contextOf(req), req.params.id)),
    });

    r.get('/companies/:id/licence', {
      config: { authz: { roles: ['company_admin', 'company_staff', 'regulator'] } },
      schema: {
        tags,
        summary: 'The business licence file (the company’s members, regulators in scope)',
        params: orgIdParams,
        response: { 200: z.any().describe('The file (image/jpeg, image/png or application/pdf)') },
      },
      handler: async (req, reply) => {
        const file = await orgs.readLicence(contextOf(req), req.params.id);
        return reply
          .type(file.mime)
          .header('content-disposition', `inline; filename="${file.name}"`)
          .header('x-content-type-options', 'nosniff')
          .send(file.data);
      },
    });

    // ---- regulator ----
    r.get('/regulator/companies', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Companies for review and supervision (a district regulator sees their district only)',
        querystring: pageQuery.extend({
          state: z
            .enum(applicationStatuses)
            .optional()
            .describe('Application status; `submitted` is the queue'),
          status: z.enum(orgStatuses).optional(),
          district: district.optional(),
        }),
        response: { 200: pageOf(listItem) },
      },
      handler: async (req) => json(await orgs.regulatorList(contextOf(req), req.query)),
    });

    r.get('/regulator/companies/:id', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'A company’s full application and history',
        params: orgIdParams,
        response: { 200: companyDetail },
      },
      handler: async (req) => json(await orgs.regulatorGet(contextOf(req), req.params.id)),
    });

    r.post('/regulator/companies/:id/decision', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Approve, reject or ask for more information (reason required unless approving)',
        params: orgIdParams,
        body: z.strictObject({
          decision: z.enum(['approve', 'reject', 'request_info']),
          reason: z.string().trim().max(500).optional(),
        }),
        response: { 200: companyDetail },
      },
      handler: async (req) => json(await orgs.decide(contextOf(req), req.params.id, req.body)),
    });

    r.post('/regulator/companies/:id/status', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Suspend, reinstate or expel (清退) a company (reason required to suspend or expel)',
        params: orgIdParams,
        body: z.strictObject({
          action: z.enum(['suspend', 'reinstate', 'expel']),
          reason: z.string().trim().max(500).optional(),
        }),
        response: { 200: companyDetail },
      },
      handler: async (req) => json(await orgs.changeStatus(contextOf(req), req.params.id, req.body)),
    });

    // ---- public ----
    r.get('/public/companies', {
      config: { authz: { public: 'the list of active companies is public information' } },
      schema: {
        tags,
        summary: 'Active companies (contacts masked)',
        querystring: pageQuery.extend({
          district: district.optional(),
          category: z.enum(serviceCategoryCodes).optional(),
        }),
        response: { 200: pageOf(publicOrg) },
      },
      handler: async (req) => json(await orgs.publicCompanies(req.query)),
    });

    r.get('/public/companies/:id', {
      config: { authz: { public: 'an active company’s public profile' } },
      schema: {
        tags,
        summary: 'One active company (contact masked)',
        params: orgIdParams,
        response: { 200: publicOrg },
      },
      handler: async (req) => json(await orgs.publicCompany(req.params.id)),
    });

    r.get('/public/organizations', {
      config: {
        authz: {
          public: 'stations, training institutions and insurers are public, with locations for the map',
        },
      },
      schema: {
        tags,
        summary: 'Active stations, training institutions or insurers (contacts masked)',
        querystring: pageQuery.extend({
          type: z.enum(['station', 'training', 'insurer']),
          district: district.optional(),
        }),
        response: { 200: pageOf(publicOrg) },
      },
      handler: async (req) => json(await orgs.publicOrganizations(req.query)),
    });

    // ---- admin ----
    r.post('/admin/organizations', {
      config: { authz: { roles: ['regulator', 'platform_admin'] } },
      schema: {
        tags,
        summary: 'Create a station, training institution or insurer (optionally inviting its first admin)',
        body: z.strictObject({
          type: z.enum(['station', 'training', 'insurer']),
          name: text(100),
          district,
          address: text(200),
          location,
          contactName: text(30),
          contactPhone: z.string().trim().min(1).max(20),
          description: z.string().trim().max(2000).nullish(),
          adminPhone: z.string().trim().min(1).max(20).optional(),
        }),
        response: { 201: publicOrg },
      },
      handler: async (req, reply) =>
        reply.status(201).send(json(await orgs.createByAdmin(contextOf(req), req.body))),
    });

    r.get('/admin/organizations', {
      config: { authz: { roles: ['regulator', 'platform_admin'] } },
      schema: {
        tags,
        summary: 'Organizations of every type for the admin console',
        querystring: pageQuery.extend({ type: z.enum(orgTypes).optional() }),
        response: { 200: pageOf(adminOrg) },
      },
      handler: async (req) => json(await orgs.adminList(contextOf(req), req.query)),
    });

    // ---- staff ----
    const orgParams = z.strictObject({ orgId: id });
    r.post('/orgs/:orgId/invitations', {
      config: { authz: { roles: orgAdmins } },
      schema: {
        tags,
        summary: 'Invite a person by mobile number (org admins)',
        params: orgParams,
        body: z.strictObject({ phone: z.string().trim().min(1).max(20), role: z.enum(memberRoles) }),
        response: { 201: invitation },
      },
      handler: async (req, reply) =>
        reply.status(201).send(json(await orgs.invite(contextOf(req), req.params.orgId, req.body))),
    });

    r.get('/orgs/:orgId/invitations', {
      config: { authz: { roles: orgAdmins } },
      schema: {
        tags,
        summary: 'The organization’s invitations (phones masked)',
        params: orgParams,
        querystring: pageQuery,
        response: { 200: pageOf(invitation) },
      },
      handler: async (req) => json(await orgs.orgInvitations(contextOf(req), req.params.orgId, req.query)),
    });

    r.post('/orgs/:orgId/invitations/:invitationId/revoke', {
      config: { authz: { roles: orgAdmins } },
      schema: {
        tags,
        summary: 'Withdraw a pending invitation',
        params: z.strictObject({ orgId: id, invitationId: id }),
        response: { 204: noContent },
      },
      handler: async (req, reply) => {
        await orgs.revokeInvitation(contextOf(req), req.params.orgId, req.params.invitationId);
        return reply.status(204).send(null);
      },
    });

    r.get('/orgs/:orgId/members', {
      config: { authz: { roles: orgAdmins } },
      schema: {
        tags,
        summary: 'Members of the organization (with ended memberships when `includeEnded=true`)',
        params: orgParams,
        querystring: z.strictObject({ includeEnded: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(member) }) },
      },
      handler: async (req) => ({
        items: json(
          await orgs.members(contextOf(req), req.params.orgId, {
            includeEnded: req.query.includeEnded === 'true',
          }),
        ),
      }),
    });

    r.post('/orgs/:orgId/members/:membershipId/end', {
      config: { authz: { roles: orgAdmins } },
      schema: {
        tags,
        summary: 'End a membership (history is kept; effective on the member’s next request)',
        params: z.strictObject({ orgId: id, membershipId: id }),
        response: { 204: noContent },
      },
      handler: async (req, reply) => {
        await orgs.endMembership(contextOf(req), req.params.orgId, req.params.membershipId);
        return reply.status(204).send(null);
      },
    });

    r.get('/me/invitations', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Pending invitations addressed to my mobile number',
        response: { 200: z.object({ items: z.array(invitation) }) },
      },
      handler: async (req) => ({ items: json(await orgs.myInvitations(contextOf(req))) }),
    });

    for (const [verb, accept] of [
      ['accept', true],
      ['decline', false],
    ] as const) {
      r.post(`/me/invitations/:id/${verb}`, {
        config: { authz: { roles: 'any' } },
        schema: {
          tags,
          summary: accept ? 'Accept an invitation (membership starts now)' : 'Decline an invitation',
          params: orgIdParams,
          response: { 200: z.object({ status: z.string(), orgId: z.string() }) },
        },
        handler: async (req) => json(await orgs.respondInvitation(contextOf(req), req.params.id, accept)),
      });
    }
  };
}
