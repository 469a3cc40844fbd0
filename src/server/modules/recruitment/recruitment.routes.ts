import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { districtCodes } from '../../../shared/districts.js';
import { serviceCategoryCodes, skillLevelCodes } from '../../../shared/domain.js';
import { contextOf } from '../../platform/http/context.js';
import { applicationActions, applicationStates } from './application-status.js';
import { likelySignals, registrationSteps } from './likely-workers.js';
import type { RecruitmentService } from './recruitment.service.js';
import { benefitCodes, postModes } from './rules.js';

const id = z.string().min(1).max(64);
const idParam = z.strictObject({ id });
const orgParam = z.strictObject({ orgId: id });
const ts = z.string().describe('UTC, ISO 8601');
const day = z.iso.date().describe('YYYY-MM-DD, Asia/Shanghai');
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .describe('YYYY-MM');
const text = (max: number) => z.string().trim().min(1).max(max);
const fen = z.number().int().min(1).max(100_000_000).describe('Money in fen (分)');
const listQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
const party = z.object({ id: z.string(), name: z.string() });
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const company = { authz: { roles: ['company_admin', 'company_staff'] as const } };
const workerOnly = { authz: { roles: ['worker'] as const } };
const regulator = { authz: { roles: ['regulator', 'platform_admin'] as const } };
const signedIn = { authz: { roles: 'any' as const } };

const post = z.object({
  id: z.string(),
  company: party,
  fairId: z.string().nullable(),
  title: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  mode: z.enum(postModes),
  district: z.string(),
  location: z.string(),
  salaryMinFen: z.number().int(),
  salaryMaxFen: z.number().int().describe('Per month (live_in, day) or per hour (hourly), fen'),
  minLevel: z.string().nullable(),
  certificateRequired: z.boolean(),
  minExperienceYears: z.number().int(),
  minAge: z.number().int(),
  maxAge: z.number().int(),
  benefits: z.array(z.enum(benefitCodes)),
  description: z.string(),
  headcount: z.number().int(),
  closesOn: day,
  open: z.boolean(),
  applications: z.number().int(),
  hired: z.number().int(),
  createdAt: ts,
});
const postDetail = post.extend({
  minimumWageFen: z.number().int().describe("The district's minimum wage for this mode"),
  mine: z
    .object({ eligible: z.boolean(), unmet: z.array(z.string()), applicationId: z.string().nullable() })
    .nullable()
    .describe('For a signed-in worker: whether they meet the requirements and their application'),
});
const postBody = z.strictObject({
  title: text(60),
  category: z.enum(serviceCategoryCodes),
  mode: z.enum(postModes),
  district: z.enum(districtCodes),
  location: text(100),
  salaryMinFen: fen,
  salaryMaxFen: fen,
  minLevel: z.enum(skillLevelCodes).nullable().optional(),
  certificateRequired: z.boolean().default(false),
  minExperienceYears: z.number().int().min(0).max(40).default(0),
  minAge: z.number().int().min(0).max(100),
  maxAge: z.number().int().min(0).max(100),
  benefits: z.array(z.enum(benefitCodes)).max(benefitCodes.length).default([]),
  description: text(2000),
  headcount: z.number().int().min(1).max(500),
  closesOn: day,
  fairId: id.nullable().optional(),
});
const application = z.object({
  id: z.string(),
  post: z.object({ id: z.string(), title: z.string(), category: z.string(), mode: z.enum(postModes) }),
  company: party,
  worker: z.object({
    id: z.string(),
    name: z.string(),
    age: z.number().int().nullable(),
    categories: z.array(z.string()),
    skillLevel: z.string().nullable(),
    yearsExperience: z.number().int().nullable(),
    district: z.string().nullable(),
  }),
  fairId: z.string().nullable(),
  coverNote: z.string().nullable(),
  state: z.enum(applicationStates),
  stateLabel: z.string(),
  interviewId: z.string().nullable(),
  employmentId: z.string().nullable(),
  hiredAt: ts.nullable(),
  actions: z.array(z.enum(applicationActions)).describe('Steps the caller may take now'),
  createdAt: ts,
  updatedAt: ts,
});
const applicationDetail = application.extend({
  history: z.array(
    z.object({
      action: z.string(),
      fromState: z.string().nullable(),
      toState: z.string().nullable(),
      party: z.enum(['company', 'worker']),
      note: z.string().nullable().describe('Screening notes are shown to the company only'),
      at: ts,
    }),
  ),
});
const savedSearch = z.object({
  id: z.string(),
  name: z.string(),
  categories: z.array(z.string()),
  modes: z.array(z.enum(postModes)),
  district: z.string().nullable(),
  minSalaryFen: z.number().int().nullable(),
  keyword: z.string().nullable(),
  alerts: z.boolean(),
  createdAt: ts,
});
const fair = z.object({
  id: z.string(),
  title: z.string(),
  format: z.enum(['online', 'venue']),
  venue: z.string().nullable(),
  district: z.string().nullable(),
  startsAt: ts,
  endsAt: ts,
  phase: z.enum(['upcoming', 'running', 'ended']),
  companies: z.number().int(),
  registrations: z.number().int(),
  checkedIn: z.number().int(),
});
const fairDetail = fair.omit({ companies: true }).extend({
  companies: z.array(party),
  posts: z.array(post),
  myRegistration: z.object({ registeredAt: ts, checkedInAt: ts.nullable() }).nullable(),
  joinedByMyCompany: z.boolean(),
});
const summary = z.object({
  trainees: z.number().int(),
  placed: z.number().int(),
  due3: z.number().int().describe('Trainees whose 3-month mark has passed'),
  retained3: z.number().int(),
  due6: z.number().int(),
  retained6: z.number().int(),
});
const cohort = z.object({
  id: z.string(),
  name: z.string(),
  sourceRegionCode: z.string(),
  sourceRegionName: z.string(),
  trainingClassId: z.string().nullable(),
  plannedArrivalOn: day,
  arrivedOn: day.nullable(),
  destinationDistrict: z.string().nullable().describe('Where the cohort is placed; null = city-wide'),
  summary,
});
const cohortDetail = cohort.extend({
  trainees: z.array(
    z.object({
      workerId: z.string(),
      name: z.string(),
      placed: z.boolean(),
      company: party.nullable(),
      placedOn: day.nullable(),
      retained3: z.boolean().nullable(),
      retained6: z.boolean().nullable(),
    }),
  ),
});
const districtQuery = z.strictObject({
  district: z
    .enum(districtCodes)
    .optional()
    .describe('A district regulator gets their own district; another one is refused (403)'),
});
const publicPost = post.omit({ applications: true, hired: true });
const publicFair = fair.omit({ companies: true, registrations: true, checkedIn: true }).extend({
  companies: z.array(party.extend({ posts: z.array(publicPost) })),
});
const consent = z.object({
  optedIn: z.boolean(),
  grantedAt: ts.nullable(),
  withdrawnAt: ts.nullable(),
});
/** Fair pages carry no personal data, so shared caches may keep them a minute. */
const PUBLIC_CACHE = 'public, max-age=60';
const regionRow = summary.extend({
  sourceRegionCode: z.string(),
  sourceRegionName: z.string(),
  cohorts: z.number().int(),
});

/** /api/v1 routes of recruitment: posts, applications, saved searches, fairs, cohorts, statistics. */
export function recruitmentRoutes(svc: RecruitmentService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['recruitment'];

    // ---- posts ----
    r.get('/recruitment/posts', {
      config: signedIn,
      schema: {
        tags,
        summary: 'Search open posts',
        querystring: z.strictObject({
          category: z.enum(serviceCategoryCodes).optional(),
          mode: z.enum(postModes).optional(),
          district: z.enum(districtCodes).optional(),
          keyword: z.string().trim().min(1).max(30).optional(),
          minSalaryFen: z.coerce.number().int().min(0).max(100_000_000).optional(),
          fairId: id.optional(),
          ...listQuery,
        }),
        response: { 200: page(post) },
      },
      handler: async (req) => svc.searchPosts(contextOf(req), req.query),
    });
    r.get('/recruitment/posts/:id', {
      config: signedIn,
      schema: { tags, summary: 'One post', params: idParam, response: { 200: postDetail } },
      handler: async (req) => svc.getPost(contextOf(req), req.params.id),
    });
    r.get('/companies/:orgId/recruitment/posts', {
      config: company,
      schema: {
        tags,
        summary: "My company's posts",
        params: orgParam,
        querystring: z.strictObject(listQuery),
        response: { 200: page(post) },
      },
      handler: async (req) => svc.listCompanyPosts(contextOf(req), req.params.orgId, req.query),
    });
    r.post('/companies/:orgId/recruitment/posts', {
      config: company,
      schema: {
        tags,
        summary: 'Publish a post (unlawful age, sub-minimum wage or discriminatory wording is refused)',
        params: orgParam,
        body: postBody,
        response: { 201: post },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.createPost(contextOf(req), req.params.orgId, req.body)),
    });
    r.post('/recruitment/posts/:id/close', {
      config: company,
      schema: { tags, summary: 'Close a post', params: idParam, response: { 200: post } },
      handler: async (req) => svc.closePost(contextOf(req), req.params.id),
    });

    // ---- worker: recommendations, saved searches, applications ----
    r.get('/workers/me/recruitment/recommendations', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Posts recommended for me',
        response: { 200: z.object({ items: z.array(post.extend({ score: z.number().int() })) }) },
      },
      handler: async (req) => svc.recommendations(contextOf(req)),
    });
    r.get('/workers/me/recruitment/saved-searches', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'My saved searches',
        response: { 200: z.object({ items: z.array(savedSearch) }) },
      },
      handler: async (req) => svc.listSavedSearches(contextOf(req)),
    });
    r.post('/workers/me/recruitment/saved-searches', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Save a search (alerts on new matching posts)',
        body: z.strictObject({
          name: text(30),
          categories: z.array(z.enum(serviceCategoryCodes)).max(12).default([]),
          modes: z.array(z.enum(postModes)).max(3).default([]),
          district: z.enum(districtCodes).nullable().optional(),
          minSalaryFen: z.number().int().min(0).max(100_000_000).nullable().optional(),
          keyword: z.string().trim().max(30).nullable().optional(),
          alerts: z.boolean().default(true),
        }),
        response: { 201: savedSearch },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.createSavedSearch(contextOf(req), req.body)),
    });
    r.delete('/workers/me/recruitment/saved-searches/:id', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Delete a saved search',
        params: idParam,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
      handler: async (req) => svc.deleteSavedSearch(contextOf(req), req.params.id),
    });
    r.post('/recruitment/posts/:id/applications', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Apply (grants the recruiter a time-limited view of my e-file); twice is refused',
        params: idParam,
        body: z.strictObject({ coverNote: z.string().trim().max(500).nullable().optional() }),
        response: { 201: application },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.apply(contextOf(req), req.params.id, req.body)),
    });
    r.get('/workers/me/recruitment/applications', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'My applications',
        querystring: z.strictObject(listQuery),
        response: { 200: page(application) },
      },
      handler: async (req) => svc.listMyApplications(contextOf(req), req.query),
    });

    // ---- company screening board ----
    r.get('/companies/:orgId/recruitment/applications', {
      config: company,
      schema: {
        tags,
        summary: "Applications to my company's posts (screening board)",
        params: orgParam,
        querystring: z.strictObject({
          postId: id.optional(),
          state: z.enum(applicationStates).optional(),
          ...listQuery,
        }),
        response: { 200: page(application) },
      },
      handler: async (req) => svc.listCompanyApplications(contextOf(req), req.params.orgId, req.query),
    });
    r.get('/recruitment/applications/:id', {
      config: { authz: { roles: ['worker', 'company_admin', 'company_staff'] as const } },
      schema: {
        tags,
        summary: 'One application with its history',
        params: idParam,
        response: { 200: applicationDetail },
      },
      handler: async (req) => svc.getApplication(contextOf(req), req.params.id),
    });
    r.post('/recruitment/applications/:id/actions', {
      config: { authz: { roles: ['worker', 'company_admin', 'company_staff'] as const } },
      schema: {
        tags,
        summary:
          'One step: company shortlist/offer/reject (reason), worker accept (starts the employment)/decline/withdraw',
        params: idParam,
        body: z.strictObject({
          action: z.enum(['shortlist', 'offer', 'reject', 'accept', 'decline', 'withdraw']),
          reason: z.string().trim().max(300).nullable().optional(),
        }),
        response: { 200: application },
      },
      handler: async (req) =>
        svc.act(contextOf(req), req.params.id, req.body.action, { reason: req.body.reason }),
    });
    r.post('/recruitment/applications/:id/interview', {
      config: company,
      schema: {
        tags,
        summary: 'Schedule a video interview (messaging); the application moves to interview',
        params: idParam,
        body: z.strictObject({
          scheduledAt: z.iso.datetime({ offset: true }),
          durationMinutes: z.number().int().min(10).max(120).default(30),
        }),
        response: { 200: application },
      },
      handler: async (req) => svc.scheduleInterview(contextOf(req), req.params.id, req.body),
    });
    r.post('/recruitment/applications/:id/notes', {
      config: company,
      schema: {
        tags,
        summary: 'Add a screening note (company only)',
        params: idParam,
        body: z.strictObject({ note: text(500) }),
        response: { 200: applicationDetail },
      },
      handler: async (req) => svc.addNote(contextOf(req), req.params.id, req.body.note),
    });

    // ---- fairs ----
    r.get('/recruitment/fairs', {
      config: signedIn,
      schema: {
        tags,
        summary: 'Job fairs (running, upcoming, recent); a district regulator sees their district',
        querystring: districtQuery,
        response: { 200: z.object({ items: z.array(fair) }) },
      },
      handler: async (req) => svc.listFairs(contextOf(req), req.query),
    });
    r.post('/recruitment/fairs', {
      config: regulator,
      schema: {
        tags,
        summary: 'Create a job fair',
        body: z.strictObject({
          title: text(60),
          format: z.enum(['online', 'venue']),
          venue: z.string().trim().max(100).nullable().optional(),
          district: z.enum(districtCodes).nullable().optional(),
          startsAt: z.iso.datetime({ offset: true }),
          endsAt: z.iso.datetime({ offset: true }),
        }),
        response: { 201: fair },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.createFair(contextOf(req), req.body)),
    });
    r.get('/recruitment/fairs/:id', {
      config: signedIn,
      schema: {
        tags,
        summary: 'One fair with companies and posts',
        params: idParam,
        response: { 200: fairDetail },
      },
      handler: async (req) => svc.getFair(contextOf(req), req.params.id),
    });
    r.post('/companies/:orgId/recruitment/fairs/:id/join', {
      config: company,
      schema: {
        tags,
        summary: 'My company takes part in a fair',
        params: z.strictObject({ orgId: id, id }),
        response: { 200: fairDetail },
      },
      handler: async (req) => svc.joinFair(contextOf(req), req.params.id, req.params.orgId),
    });
    r.post('/recruitment/fairs/:id/registrations', {
      config: workerOnly,
      schema: { tags, summary: 'Register for a fair', params: idParam, response: { 200: fairDetail } },
      handler: async (req) => svc.registerForFair(contextOf(req), req.params.id),
    });
    r.post('/recruitment/fairs/:id/check-in', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Check in with the code from the venue QR',
        params: idParam,
        body: z.strictObject({ code: text(40) }),
        response: { 200: fairDetail },
      },
      handler: async (req) => svc.checkIn(contextOf(req), req.params.id, req.body.code),
    });
    r.get('/recruitment/fairs/:id/checkin', {
      config: regulator,
      schema: {
        tags,
        summary: 'The check-in code and link to show as a QR at the venue',
        params: idParam,
        response: { 200: z.object({ code: z.string(), url: z.string() }) },
      },
      handler: async (req) => svc.fairCheckin(contextOf(req), req.params.id),
    });
    r.get('/recruitment/fairs/:id/outcomes', {
      config: regulator,
      schema: {
        tags,
        summary: "A fair's outcomes",
        params: idParam,
        response: {
          200: z.object({
            fairId: z.string(),
            companies: z.number().int(),
            registrations: z.number().int(),
            checkedIn: z.number().int(),
            posts: z.number().int(),
            applications: z.number().int(),
            hired: z.number().int(),
          }),
        },
      },
      handler: async (req) => svc.fairOutcomes(contextOf(req), req.params.id),
    });

    // ---- cohorts ----
    r.get('/recruitment/cohorts', {
      config: regulator,
      schema: {
        tags,
        summary: 'Cross-region cohorts (订单班)',
        response: { 200: z.object({ items: z.array(cohort) }) },
      },
      handler: async (req) => svc.listCohorts(contextOf(req)),
    });
    r.post('/recruitment/cohorts', {
      config: regulator,
      schema: {
        tags,
        summary: 'Open a cohort from a partner region',
        body: z.strictObject({
          name: text(60),
          sourceRegionCode: z.string().regex(/^\d{6}$/),
          sourceRegionName: text(30),
          trainingClassId: id.nullable().optional(),
          plannedArrivalOn: day,
          destinationDistrict: z
            .enum(districtCodes)
            .nullable()
            .optional()
            .describe("Where it is placed; a district regulator's cohorts are in their district"),
        }),
        response: { 201: cohort },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.createCohort(contextOf(req), req.body)),
    });
    r.get('/recruitment/cohorts/:id', {
      config: regulator,
      schema: {
        tags,
        summary: 'One cohort with trainee placement and retention',
        params: idParam,
        response: { 200: cohortDetail },
      },
      handler: async (req) => svc.getCohort(contextOf(req), req.params.id),
    });
    r.post('/recruitment/cohorts/:id/trainees', {
      config: regulator,
      schema: {
        tags,
        summary: 'Add registered workers as trainees',
        params: idParam,
        body: z.strictObject({ workerIds: z.array(id).min(1).max(200) }),
        response: { 200: cohortDetail },
      },
      handler: async (req) => svc.addTrainees(contextOf(req), req.params.id, req.body.workerIds),
    });
    r.post('/recruitment/cohorts/:id/arrival', {
      config: regulator,
      schema: {
        tags,
        summary: 'Record the arrival day',
        params: idParam,
        body: z.strictObject({ arrivedOn: day }),
        response: { 200: cohortDetail },
      },
      handler: async (req) => svc.markArrived(contextOf(req), req.params.id, req.body.arrivedOn),
    });

    // ---- statistics ----
    r.get('/recruitment/reports/regions', {
      config: regulator,
      schema: {
        tags,
        summary: 'Cohort outcomes by source region',
        querystring: districtQuery,
        response: { 200: z.object({ items: z.array(regionRow) }) },
      },
      handler: async (req) => svc.regionReport(contextOf(req), req.query),
    });
    r.get('/recruitment/reports/employment', {
      config: regulator,
      schema: {
        tags,
        summary: 'Employment statistics per month, category and source region; median days to hire',
        querystring: districtQuery.extend({ from: month, to: month }),
        response: {
          200: z.object({
            from: month,
            to: month,
            district: z.string().nullable().describe('The district counted; null = the whole city'),
            perMonth: z.array(
              z.object({
                month,
                applications: z.number().int(),
                hires: z.number().int(),
                fairRegistrations: z.number().int(),
              }),
            ),
            byCategory: z.array(
              z.object({
                category: z.string(),
                categoryLabel: z.string(),
                applications: z.number().int(),
                hires: z.number().int(),
              }),
            ),
            bySourceRegion: z.array(regionRow),
            medianDaysToHire: z.number().int().nullable(),
            totals: z.object({ applications: z.number().int(), hires: z.number().int() }),
          }),
        },
      },
      handler: async (req) => svc.employmentStats(contextOf(req), req.query),
    });

    // ---- public fair pages (signed out) ----
    r.get('/public/recruitment/fairs', {
      config: {
        authz: { public: 'job fairs are advertised to everyone, so residents may come and look for work' },
      },
      schema: {
        tags,
        summary: 'Upcoming and running job fairs with their companies and open posts (no personal data)',
        description: 'Soonest first; `nextCursor` fetches the next page (null on the last).',
        querystring: z.strictObject({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
        response: { 200: z.object({ items: z.array(publicFair), nextCursor: z.string().nullable() }) },
      },
      handler: async (req, reply) => {
        reply.header('cache-control', PUBLIC_CACHE);
        return svc.publicFairs(req.query);
      },
    });
    r.get('/public/recruitment/fairs/:id', {
      config: {
        authz: { public: 'job fairs are advertised to everyone, so residents may come and look for work' },
      },
      schema: {
        tags,
        summary: 'One job fair with its companies and their open posts (no personal data)',
        params: idParam,
        response: { 200: publicFair },
      },
      handler: async (req, reply) => {
        const f = await svc.publicFair(req.params.id);
        reply.header('cache-control', PUBLIC_CACHE);
        return f;
      },
    });

    // ---- 当家政: likely workers ----
    r.get('/workers/me/recruitment/contact-consent', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Whether I agreed to be contacted about becoming a domestic worker',
        response: { 200: consent },
      },
      handler: async (req) => svc.getContactConsent(contextOf(req)),
    });
    r.put('/workers/me/recruitment/contact-consent', {
      config: workerOnly,
      schema: {
        tags,
        summary: 'Agree to be contacted (or withdraw): only then may the regulator list and invite me',
        body: z.strictObject({ optedIn: z.boolean() }),
        response: { 200: consent },
      },
      handler: async (req) => svc.setContactConsent(contextOf(req), req.body.optedIn),
    });
    r.get('/recruitment/likely-workers', {
      config: regulator,
      schema: {
        tags,
        summary: '当家政: people likely to become workers (counts; the opted-in as a contact list)',
        querystring: districtQuery,
        response: {
          200: z.object({
            district: z.string().nullable(),
            total: z.number().int(),
            bySignal: z
              .object({
                fair: z.number().int(),
                cohort: z.number().int(),
                saved_search: z.number().int(),
                training: z.number().int(),
              })
              .describe('Likely workers per signal (one person may have several)'),
            optedIn: z.number().int(),
            contacts: z.array(
              z.object({
                workerId: z.string(),
                name: z.string(),
                district: z.string().nullable(),
                signals: z.array(z.enum(likelySignals)),
                missing: z.array(z.enum(registrationSteps)).describe('Certificate checks still open'),
                optedInAt: ts,
                lastInvitedAt: ts.nullable(),
              }),
            ),
          }),
        },
      },
      handler: async (req) => svc.likelyWorkers(contextOf(req), req.query),
    });
    r.post('/recruitment/likely-workers/:id/invite', {
      config: regulator,
      schema: {
        tags,
        summary: 'Invite an opted-in likely worker to complete the worker registration (once per 30 days)',
        params: idParam,
        response: {
          200: z.object({
            workerId: z.string(),
            invitedAt: ts,
            missing: z.array(z.enum(registrationSteps)),
          }),
        },
      },
      handler: async (req) => svc.inviteLikelyWorker(contextOf(req), req.params.id),
    });
  };
}
