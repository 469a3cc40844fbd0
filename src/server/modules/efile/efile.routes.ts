import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../platform/http/context.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import { MAX_GRANT_HOURS, MIN_GRANT_HOURS } from './efile.policy.js';
import type { EfileService } from './efile.service.js';

const scope = z.enum(['basic', 'full']);
const color = z.enum(['green', 'yellow', 'red']);
const message = z.object({ 'zh-CN': z.string(), en: z.string() });
const emptySection = z.object({ available: z.literal(false), items: z.array(z.never()).max(0), message });
/** A section another module fills: its rows (possibly none), or the "none yet" notice when that module is absent. */
const filled = <T extends z.ZodType>(item: T) =>
  z.union([z.object({ available: z.literal(true), items: z.array(item), message: z.null() }), emptySection]);
const idParam = z.strictObject({ id: z.string().min(1).max(64) });

const status = z.object({
  color,
  colorLabel: z.string(),
  reason: z.string(),
  reasonLabel: z.string(),
  checks: z.array(z.object({ key: z.string(), ok: z.boolean(), state: z.string() })),
  canTakeNewBookings: z.boolean(),
});
const certificate = z.object({
  id: z.string(),
  number: z.string(),
  state: z.string(),
  stateReason: z.string().nullable(),
  issuedAt: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  categories: z.array(z.string()),
  skillLevel: z.string().nullable(),
});
const employment = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  endedReason: z.string().nullable(),
});
const training = z.object({
  id: z.string(),
  courseName: z.string(),
  passed: z.boolean(),
  score: z.number().nullable(),
  examDate: z.string(),
  source: z.string(),
});
const backgroundCheck = z.object({
  id: z.string(),
  provider: z.string(),
  state: z.string(),
  checkedOn: z.string().nullable(),
  reference: z.string().nullable(),
  createdAt: z.string(),
});
const profile = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  birthDate: z.string(),
  sex: z.enum(['M', 'F']),
  phone: z.string().nullable(),
  district: z.string().nullable(),
  nativePlace: z.string().nullable(),
  education: z.string().nullable(),
  languages: z.array(z.string()),
  categories: z.array(z.string()),
  skillLevel: z.string().nullable(),
  maternityStars: z.number().nullable(),
  yearsExperience: z.number().nullable(),
  intro: z.string().nullable(),
  hasPhoto: z.boolean(),
  status: z.string(),
  registeredVia: z.string(),
  identityVerifiedAt: z.string().nullable(),
  consentAcceptedAt: z.string().nullable(),
  createdAt: z.string(),
});
const ownDocument = z.object({
  id: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  state: z.string(),
  reason: z.string().nullable(),
  number: z.string().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  current: z.boolean(),
  createdAt: z.string(),
  downloadPath: z.string().nullable(),
});
const myFile = z.object({
  profile,
  documents: z.array(ownDocument),
  certificate: certificate.nullable(),
  status,
  training: z.array(training),
  trainingRecords: z.object({
    certificates: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        courseTitle: z.string(),
        institution: z.string(),
        minutes: z.number(),
        score: z.number(),
        issuedAt: z.string(),
      }),
    ),
    exams: z.array(
      z.object({
        id: z.string(),
        examTitle: z.string(),
        score: z.number(),
        passed: z.boolean(),
        at: z.string(),
      }),
    ),
  }),
  backgroundChecks: z.array(backgroundCheck),
  workHistory: z.object({
    employment: z.array(employment),
    orders: z.union([
      z.object({
        available: z.literal(true),
        items: z.array(
          z.object({
            ref: z.string().describe('The assignment (or, for a covered visit, the booking) id'),
            orderId: z.string(),
            number: z.string(),
            category: z.string(),
            mode: z.string(),
            state: z.string(),
            role: z.enum(['assigned', 'substitute']),
            companyName: z.string(),
            district: z.string(),
            from: z.string(),
            to: z.string(),
            visits: z.array(
              z.object({ id: z.string(), startsAt: z.string(), endsAt: z.string(), status: z.string() }),
            ),
          }),
        ),
        message: z.null(),
      }),
      emptySection,
    ]),
    contracts: filled(
      z.object({
        id: z.string(),
        number: z.string(),
        filingNo: z.string().nullable(),
        kind: z.string(),
        category: z.string(),
        mode: z.string(),
        state: z.string(),
        companyName: z.string(),
        startDate: z.string(),
        endDate: z.string(),
        monthlyWageFen: z.number().int(),
        sealedAt: z.string(),
        terminatedAt: z.string().nullable(),
      }),
    ),
  }),
  reviews: filled(
    z.object({
      id: z.string(),
      orderNumber: z.string(),
      overall: z.number(),
      ratings: z.record(z.string(), z.number()),
      text: z.string(),
      createdAt: z.string(),
    }),
  ),
  complaints: filled(
    z.object({
      id: z.string(),
      orderNumber: z.string().nullable(),
      category: z.string(),
      state: z.string(),
      outcome: z.string().nullable(),
      filedAt: z.string(),
      decidedAt: z.string().nullable(),
    }),
  ),
  credit: z.union([
    z.object({
      available: z.literal(true),
      score: z.number().int().describe('0–100'),
      stars: z.number().int().describe('1–5'),
      ratingAvg: z.number().nullable(),
      ratingCount: z.number().int(),
      message: z.null(),
    }),
    emptySection,
  ]),
  insurance: filled(
    z.object({
      number: z.string(),
      product: z.object({ title: z.string() }),
      insurer: z.object({ name: z.string() }),
      company: z.object({ name: z.string() }).nullable(),
      startsOn: z.string(),
      endsOn: z.string(),
      state: z.string(),
      stateLabel: z.string(),
    }),
  ),
});

/** The worker as a grantee or partner sees them: masked name and ID number, no phone or address. */
export const sharedWorkerView = z.object({
  id: z.string(),
  maskedName: z.string(),
  idNumberMasked: z.string().nullable(),
  sex: z.enum(['M', 'F']),
  district: z.string().nullable(),
  nativePlace: z.string().nullable(),
  education: z.string().nullable(),
  languages: z.array(z.string()),
  categories: z.array(z.string()),
  skillLevel: z.string().nullable(),
  maternityStars: z.number().nullable(),
  yearsExperience: z.number().nullable(),
  intro: z.string().nullable(),
  identityVerified: z.boolean(),
});
/** The worker's 安心服务证 in a shared view, or null. */
export const sharedCertificateView = z
  .object({
    number: z.string(),
    state: z.string(),
    validFrom: z.string(),
    validUntil: z.string(),
    categories: z.array(z.string()),
    skillLevel: z.string().nullable(),
  })
  .nullable();

const sharedFile = z.object({
  via: z.enum(['regulator', 'grant', 'link']),
  scope,
  expiresAt: z.string().nullable(),
  worker: sharedWorkerView,
  status,
  health: z.object({ state: z.string(), validUntil: z.string().nullable() }),
  trainingPassed: z.boolean(),
  background: z.object({ passed: z.boolean(), checkedOn: z.string().nullable() }),
  certificate: sharedCertificateView,
  documents: z
    .array(
      z.object({
        kind: z.string(),
        kindLabel: z.string(),
        state: z.string(),
        issuedOn: z.string().nullable(),
        expiresOn: z.string().nullable(),
        reviewedAt: z.string().nullable(),
      }),
    )
    .nullable(),
  training: z
    .array(z.object({ courseName: z.string(), passed: z.boolean(), examDate: z.string() }))
    .nullable(),
  employment: z
    .array(
      z.object({ companyName: z.string().nullable(), startedAt: z.string(), endedAt: z.string().nullable() }),
    )
    .nullable(),
});

const accessLogItem = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  what: z.enum(['profile', 'id_number', 'documents', 'document', 'efile']),
  documentKind: z.string().nullable(),
  scope: scope.nullable(),
  via: z.enum(['regulator', 'employer', 'grant', 'link', 'other']),
  grantId: z.string().nullable(),
  viewer: z.object({
    maskedName: z.string().nullable(),
    role: z.enum(['regulator', 'company', 'resident', 'link_holder', 'other']),
    orgName: z.string().nullable(),
  }),
});
const grant = z.object({
  id: z.string(),
  kind: z.enum(['link', 'in_app']),
  scope,
  state: z.enum(['active', 'expired', 'revoked']),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  grantee: z.object({ maskedName: z.string().nullable(), orgName: z.string().nullable() }).nullable(),
});
const accessRequest = z.object({
  id: z.string(),
  workerId: z.string(),
  requesterKind: z.enum(['resident', 'company']),
  requester: z.object({ maskedName: z.string().nullable(), orgName: z.string().nullable() }),
  reason: z.string(),
  state: z.enum(['pending', 'approved', 'declined', 'closed']),
  grantId: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
const deletion = z.object({
  id: z.string(),
  workerId: z.string(),
  reason: z.string(),
  state: z.enum(['pending', 'completed', 'refused']),
  dueOn: z.string(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  createdAt: z.string(),
});
const exportDocument = z.object({
  id: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  number: z.string().nullable(),
  state: z.string(),
  reason: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  current: z.boolean(),
  erased: z.boolean(),
  createdAt: z.string(),
  downloadPath: z.string().nullable(),
});
/** The export's dealings: contracts, reviews and complaints, messaging (the modules' efile-facts.ts). */
const dealingsShape = {
  contractRecords: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      filingNo: z.string().nullable(),
      kind: z.string(),
      category: z.string(),
      mode: z.string(),
      district: z.string(),
      state: z.string(),
      revision: z.number(),
      companyName: z.string().nullable(),
      startDate: z.string(),
      endDate: z.string(),
      monthlyWageFen: z.number(),
      dailyHours: z.number().nullable(),
      restDaysPerMonth: z.number().nullable(),
      previousId: z.string().nullable(),
      replacedById: z.string().nullable(),
      createdAt: z.string(),
      sealedAt: z.string().nullable(),
      terminatedAt: z.string().nullable(),
      signatures: z
        .array(
          z.object({
            id: z.string(),
            party: z.string(),
            revision: z.number(),
            signedAt: z.string(),
            signerIp: z.string().nullable(),
            signerUserAgent: z.string().nullable(),
            signatureSha256: z.string(),
          }),
        )
        .describe("The worker's own signatures only"),
      terminations: z.array(
        z.object({
          id: z.string(),
          requestedBy: z.string().describe('A party, never a person'),
          requestedByYou: z.boolean(),
          reason: z.string(),
          effectiveDate: z.string(),
          settlement: z.record(z.string(), z.unknown()),
          confirmedBy: z.array(z.string()),
          state: z.string(),
          disputedBy: z.string().nullable(),
          disputeReason: z.string().nullable(),
          createdAt: z.string(),
          resolvedAt: z.string().nullable(),
        }),
      ),
    }),
  ),
  feedbackRecords: z.object({
    reviews: z.array(
      z.object({
        id: z.string(),
        relation: z.enum(['about', 'author', 'employer']),
        side: z.string(),
        authorRole: z.string(),
        orderNumber: z.string(),
        contractId: z.string().nullable(),
        companyName: z.string().nullable(),
        ratings: z.record(z.string(), z.number()),
        overall: z.number(),
        text: z.string(),
        photoCount: z.number(),
        state: z.string(),
        moderationReason: z.string().nullable(),
        moderatedAt: z.string().nullable(),
        reply: z.object({ text: z.string(), at: z.string() }).nullable(),
        createdAt: z.string(),
      }),
    ),
    reviewReports: z.array(
      z.object({
        id: z.string(),
        reviewId: z.string(),
        reason: z.string(),
        state: z.string(),
        decisionReason: z.string().nullable(),
        decidedAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    complaints: z.array(
      z.object({
        id: z.string(),
        relation: z.enum(['about', 'filed', 'employer']),
        complainantRole: z.string(),
        subjectType: z.string(),
        orderNumber: z.string().nullable(),
        companyName: z.string().nullable(),
        category: z.string(),
        description: z.string(),
        evidenceCount: z.number(),
        district: z.string(),
        state: z.string(),
        filedAt: z.string(),
        respondedAt: z.string().nullable(),
        response: z.string().nullable(),
        escalatedAt: z.string().nullable(),
        outcome: z.string().nullable(),
        decisionReason: z.string().nullable(),
        decidedAt: z.string().nullable(),
        certificateAction: z.string().nullable(),
        appealedAt: z.string().nullable(),
        appealReason: z.string().nullable(),
        closedAt: z.string().nullable(),
      }),
    ),
  }),
  messaging: z.object({
    conversations: z.array(
      z.object({
        id: z.string(),
        mySide: z.enum(['worker', 'resident']),
        contextKind: z.string(),
        orderId: z.string().nullable(),
        companyName: z.string().nullable(),
        lastSeq: z.number(),
        lastMessageAt: z.string(),
        createdAt: z.string(),
      }),
    ),
    messages: z
      .array(
        z.object({
          id: z.string(),
          conversationId: z.string(),
          seq: z.number(),
          kind: z.string(),
          body: z.string().nullable(),
          imagePath: z.string().nullable(),
          privacyFlags: z.array(z.string()),
          createdAt: z.string(),
        }),
      )
      .describe("The worker's own messages only"),
    readMarkers: z.array(
      z.object({
        ref: z.string().describe('The conversation id'),
        lastReadSeq: z.number(),
        updatedAt: z.string(),
      }),
    ),
    blocks: z.array(z.object({ ref: z.string().describe('The conversation id'), createdAt: z.string() })),
    reports: z.array(
      z.object({
        id: z.string(),
        conversationId: z.string(),
        reason: z.string(),
        state: z.string(),
        reviewNote: z.string().nullable(),
        reviewedAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    interviews: z.array(
      z.object({
        id: z.string(),
        conversationId: z.string().nullable(),
        myParty: z.enum(['worker', 'organizer']),
        companyName: z.string().nullable(),
        scheduledAt: z.string(),
        durationMinutes: z.number(),
        state: z.string(),
        outcome: z.string().nullable(),
        notes: z.string().nullable().describe('Only on interviews the account organized'),
        startedAt: z.string().nullable(),
        endedAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
  }),
};
/** The export's programme sections: insurance, partner platforms, recruitment (the modules' efile-facts.ts). */
const programmeShape = {
  insuranceRecords: z.object({
    policies: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        productTitle: z.string(),
        insurerName: z.string().nullable(),
        companyName: z.string().nullable(),
        enrolledBy: z.string(),
        startsOn: z.string(),
        endsOn: z.string(),
        premiumFen: z.number(),
        subsidyFen: z.number(),
        companyFen: z.number(),
        workerFen: z.number(),
        state: z.string(),
        stateReason: z.string().nullable(),
        confirmedAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    claims: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        policyNumber: z.string().nullable(),
        aboutMe: z.boolean(),
        reportedByMe: z.boolean(),
        reporterKind: z.string(),
        coverageCode: z.string(),
        incidentOn: z.string(),
        description: z.string(),
        claimedFen: z.number(),
        approvedFen: z.number().nullable(),
        paidFen: z.number().nullable(),
        paidAt: z.string().nullable(),
        state: z.string(),
        stateReason: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
  }),
  partnerRecords: z.object({
    consents: z.array(
      z.object({
        id: z.string(),
        partnerName: z.string(),
        partnerOrganization: z.string(),
        scope: z.string(),
        expiresAt: z.string(),
        revokedAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    residentLinks: z.array(
      z.object({
        ref: z.string().describe('clientId/externalUserId'),
        partnerName: z.string(),
        externalUserId: z.string(),
        createdAt: z.string(),
      }),
    ),
  }),
  recruitment: z.object({
    applications: z.array(
      z.object({
        id: z.string(),
        postTitle: z.string(),
        companyName: z.string().nullable(),
        coverNote: z.string().nullable(),
        state: z.string(),
        hiredAt: z.string().nullable(),
        createdAt: z.string(),
        history: z.array(z.object({ action: z.string(), toState: z.string().nullable(), at: z.string() })),
      }),
    ),
    savedSearches: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        categories: z.array(z.string()),
        modes: z.array(z.string()),
        district: z.string().nullable(),
        minSalaryFen: z.number().nullable(),
        keyword: z.string().nullable(),
        alerts: z.boolean(),
        createdAt: z.string(),
      }),
    ),
    fairRegistrations: z.array(
      z.object({
        id: z.string(),
        fairTitle: z.string(),
        format: z.string(),
        venue: z.string().nullable(),
        startsAt: z.string(),
        endsAt: z.string(),
        checkedInAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    cohort: z
      .object({
        ref: z.string().describe('The cohort id'),
        name: z.string(),
        sourceRegionName: z.string(),
        plannedArrivalOn: z.string(),
        arrivedOn: z.string().nullable(),
        addedAt: z.string(),
      })
      .nullable(),
    contactConsent: z
      .object({
        grantedAt: z.string(),
        withdrawnAt: z.string().nullable(),
        lastInvitedAt: z.string().nullable(),
      })
      .nullable(),
    postsPublished: z.array(
      z.object({
        id: z.string(),
        companyName: z.string().nullable(),
        title: z.string(),
        category: z.string(),
        mode: z.string(),
        state: z.string(),
        closesOn: z.string(),
        createdAt: z.string(),
      }),
    ),
  }),
};

const exportJson = myFile.extend({
  format: z.literal('anxin.worker-efile'),
  version: z.literal(1),
  exportedAt: z.string(),
  documents: z.array(exportDocument),
  consents: z.array(
    z.object({
      id: z.string(),
      textVersion: z.string(),
      textSha256: z.string(),
      acceptedAt: z.string(),
      withdrawnAt: z.string().nullable(),
    }),
  ),
  grants: z.array(grant),
  accessRequests: z.array(accessRequest),
  deletionRequests: z.array(deletion),
  accessLog: z.array(accessLogItem),
  trainingProgress: z.object({
    enrolments: z.array(
      z.object({
        ref: z.string().describe('The class id'),
        classTitle: z.string(),
        courseTitle: z.string(),
        enrolledAt: z.string(),
      }),
    ),
    attendance: z.array(
      z.object({
        ref: z.string().describe('classId/day'),
        classTitle: z.string(),
        day: z.string(),
        minutes: z.number(),
        checkedInAt: z.string(),
      }),
    ),
    lessons: z.array(
      z.object({
        ref: z.string().describe('The lesson id'),
        lessonTitle: z.string(),
        courseTitle: z.string(),
        completedAt: z.string(),
      }),
    ),
    openAttempts: z.array(
      z.object({ id: z.string(), examTitle: z.string(), startedAt: z.string(), deadline: z.string() }),
    ),
  }),
  expiryReminders: z.array(
    z.object({
      ref: z.string().describe('document/expiresOn/threshold'),
      document: z.string(),
      expiresOn: z.string(),
      threshold: z.string(),
      sentAt: z.string(),
    }),
  ),
  demandOffers: z.array(
    z.object({
      id: z.string(),
      companyName: z.string().nullable(),
      category: z.string(),
      district: z.string(),
      state: z.string(),
      createdAt: z.string(),
    }),
  ),
  ...dealingsShape,
  ...programmeShape,
  account: z.object({
    roles: z.array(
      z.object({ id: z.string(), role: z.string(), district: z.string().nullable(), grantedAt: z.string() }),
    ),
    notifications: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        title: z.string(),
        body: z.string(),
        link: z.string().nullable(),
        createdAt: z.string(),
        readAt: z.string().nullable(),
      }),
    ),
    memberships: z.array(
      z.object({
        id: z.string(),
        orgName: z.string(),
        orgType: z.string(),
        role: z.string(),
        startedAt: z.string(),
        endedAt: z.string().nullable(),
      }),
    ),
    demands: z.array(
      z.object({
        id: z.string(),
        category: z.string(),
        mode: z.string(),
        district: z.string(),
        description: z.string(),
        state: z.string(),
        createdAt: z.string(),
      }),
    ),
  }),
});

const hours = z.number().int().min(MIN_GRANT_HOURS).max(MAX_GRANT_HOURS);
const reason = z.string().trim().min(2).max(500);

/** /api/v1 e-file routes: the worker's record, access log, sharing, export, deletion; grantee and admin views. */
export function efileRoutes(svc: EfileService) {
  // Guessing share tokens is hopeless (256 bits), but the public door still gets a tight per-IP budget.
  const sharedLimit = { max: 30, timeWindow: '1 minute' };
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['efile'];
    const worker = { authz: { roles: ['worker' as const] } };

    r.get('/workers/me/file', {
      config: worker,
      schema: {
        tags,
        summary: "The worker's whole e-file (一档), unmasked for the worker",
        response: { 200: myFile },
      },
      handler: async (req) => svc.myFile(contextOf(req)),
    });

    r.get('/workers/me/access-log', {
      config: worker,
      schema: {
        tags,
        summary: "Who viewed the worker's record, newest first",
        querystring: pageQuery,
        response: { 200: pageOf(accessLogItem) },
      },
      handler: async (req) => svc.myAccessLog(contextOf(req), req.query),
    });

    r.post('/workers/me/grants', {
      config: worker,
      schema: {
        tags,
        summary: 'Create a time-limited share link; the token is shown once',
        body: z.strictObject({ kind: z.literal('link'), expiresInHours: hours, scope }),
        response: { 201: z.object({ grant, token: z.string(), url: z.string() }) },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.createLink(contextOf(req), req.body)),
    });

    r.get('/workers/me/grants', {
      config: worker,
      schema: {
        tags,
        summary: "The worker's grants",
        querystring: pageQuery,
        response: { 200: pageOf(grant) },
      },
      handler: async (req) => svc.myGrants(contextOf(req), req.query),
    });

    r.post('/workers/me/grants/:id/revoke', {
      config: worker,
      schema: { tags, summary: 'Revoke a grant now', params: idParam, response: { 200: grant } },
      handler: async (req) => svc.revokeGrant(contextOf(req), req.params.id),
    });

    r.get('/workers/me/access-requests', {
      config: worker,
      schema: {
        tags,
        summary: "Requests to see the worker's file",
        querystring: pageQuery,
        response: { 200: pageOf(accessRequest) },
      },
      handler: async (req) => svc.myAccessRequests(contextOf(req), req.query),
    });

    r.post('/workers/me/access-requests/:id/decision', {
      config: worker,
      schema: {
        tags,
        summary: 'Approve (with expiry) or decline a request to see the file',
        params: idParam,
        body: z.strictObject({
          decision: z.enum(['approve', 'decline']),
          expiresInHours: hours.optional(),
          scope: scope.optional(),
        }),
        response: { 200: accessRequest },
      },
      handler: async (req) => svc.decide(contextOf(req), req.params.id, req.body),
    });

    r.post('/workers/:id/access-requests', {
      config: { authz: { roles: ['resident', 'company_admin', 'company_staff'] } },
      schema: {
        tags,
        summary: 'Ask a worker for access to their detailed file (the worker is notified)',
        params: idParam,
        body: z.strictObject({ reason, orgId: z.string().max(64).optional() }),
        response: { 201: accessRequest },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.requestAccess(contextOf(req), req.params.id, req.body)),
    });

    r.get('/workers/:id/file-access', {
      config: { authz: { roles: ['resident', 'company_admin', 'company_staff'] } },
      schema: {
        tags,
        summary: "The caller's request and grant for a worker's file",
        params: idParam,
        response: {
          200: z.object({
            workerId: z.string(),
            maskedName: z.string(),
            request: z
              .object({
                id: z.string(),
                state: z.enum(['pending', 'approved', 'declined', 'closed']),
                createdAt: z.string(),
              })
              .nullable(),
            grant: z.object({ id: z.string(), scope, expiresAt: z.string() }).nullable(),
          }),
        },
      },
      handler: async (req) => svc.myAccessTo(contextOf(req), req.params.id),
    });

    r.get('/workers/:id/file', {
      config: { authz: { roles: ['resident', 'company_admin', 'company_staff', 'regulator'] } },
      schema: {
        tags,
        summary:
          "A worker's detailed, masked file: with the worker's in-app grant, or as a regulator in jurisdiction",
        params: idParam,
        response: { 200: sharedFile },
      },
      handler: async (req) => svc.fileForViewer(contextOf(req), req.params.id),
    });

    r.get('/shared/worker-files/:token', {
      config: {
        authz: { public: "a share link the worker created; the token is the worker's authorisation" },
        rateLimit: sharedLimit,
      },
      schema: {
        tags,
        summary: "A worker's detailed, masked file behind a valid share-link token",
        params: z.strictObject({ token: z.string().min(1).max(100) }),
        response: { 200: sharedFile },
      },
      handler: async (req) => svc.fileForToken(contextOf(req), req.params.token),
    });

    r.get('/workers/me/export.json', {
      config: worker,
      schema: {
        tags,
        summary: 'Everything the platform holds about the worker, as JSON',
        response: { 200: exportJson },
      },
      handler: async (req, reply) => {
        const data = await svc.exportJson(contextOf(req));
        return reply.header('content-disposition', 'attachment; filename="anxin-efile.json"').send(data);
      },
    });

    r.get('/workers/me/export.pdf', {
      config: worker,
      schema: { tags, summary: 'The whole e-file as a readable PDF (Chinese)' },
      handler: async (req, reply) => {
        const pdf = await svc.exportPdf(contextOf(req));
        return reply
          .type('application/pdf')
          .header('content-disposition', 'attachment; filename="anxin-efile.pdf"')
          .send(pdf);
      },
    });

    r.post('/workers/me/deletion-request', {
      config: worker,
      schema: {
        tags,
        summary: 'Ask for deletion of what the law allows (answered within 15 working days)',
        body: z.strictObject({ reason }),
        response: { 201: deletion },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.requestDeletion(contextOf(req), req.body)),
    });

    r.get('/workers/me/deletion-requests', {
      config: worker,
      schema: {
        tags,
        summary: "The worker's deletion requests",
        response: { 200: z.object({ items: z.array(deletion) }) },
      },
      handler: async (req) => svc.myDeletionRequests(contextOf(req)),
    });

    const admin = { authz: { roles: ['platform_admin' as const] } };
    r.get('/admin/deletion-requests', {
      config: admin,
      schema: {
        tags,
        summary: 'Deletion requests (pending first by deadline)',
        querystring: pageQuery.extend({ state: z.enum(['pending', 'completed', 'refused']).optional() }),
        response: {
          200: pageOf(deletion.extend({ workerMaskedName: z.string().nullable(), overdue: z.boolean() })),
        },
      },
      handler: async (req) => svc.adminDeletionRequests(contextOf(req), req.query),
    });

    r.post('/admin/deletion-requests/:id/complete', {
      config: admin,
      schema: {
        tags,
        summary: 'Erase what the law allows and mark the worker deleted',
        params: idParam,
        body: z.strictObject({ note: z.string().trim().max(500).optional() }),
        response: { 200: deletion },
      },
      handler: async (req) => svc.completeDeletion(contextOf(req), req.params.id, req.body),
    });

    r.post('/admin/deletion-requests/:id/refuse', {
      config: admin,
      schema: {
        tags,
        summary: 'Refuse a deletion request with a reason',
        params: idParam,
        body: z.strictObject({ reason }),
        response: { 200: deletion },
      },
      handler: async (req) => svc.refuseDeletion(contextOf(req), req.params.id, req.body),
    });
  };
}
