import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { fromNodeHeaders } from 'better-auth/node';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { type Config, piiOptionsOf } from './config.js';
import type { Database } from './platform/db/client.js';
import { auditHashAlgOf, recordAudit, setAuditHashAlg, setAuditTrustedKeys } from './platform/audit/audit.js';
import { registerAuthz } from './platform/http/authz.js';
import { projectRoot } from './platform/paths.js';
import { registerAdmission } from './platform/http/admission.js';
import { contextOf, systemContext } from './platform/http/context.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { registerTextGuard } from './platform/http/text-guard.js';
import { registerIdempotency } from './platform/idempotency/idempotency.js';
import { registerObservability } from './platform/http/observability.js';
import { registerSecurityHeaders } from './platform/http/security-headers.js';
import { newRequestId } from './platform/http/request-id.js';
import { createEgress } from './platform/net/egress.js';
import { openApiTransforms } from './platform/openapi/openapi.js';
import { registerWebStatic } from './platform/http/static-web.js';
import { purgeExpiredIdempotencyKeys } from './platform/idempotency/idempotency.js';
import { createJobs, type Jobs } from './platform/jobs/jobs.js';
import {
  type AuditAnchorer,
  createAuditAnchorer,
  createDirSink,
  createHttpsSink,
} from './platform/audit-anchor/index.js';
import {
  createOutboxDispatcher,
  prunePublishedEvents,
  type OutboxHandler,
  type OutboxDispatcher,
} from './platform/outbox/outbox.js';
import { createPii, type Pii, settleDataProfile } from './platform/pii/index.js';
import { dataInFormat } from './crypto-switch.js';
import { createRealtimeBus, type RealtimeBus } from './platform/realtime/realtime.js';
import { createDevSmsSink, type SmsSender } from './platform/sms/sms.js';
import { createLocalStorage, type FileStorage, withImageHygiene } from './platform/storage/index.js';
import { createClamdScanner, FileInfectedError, withAntivirus } from './platform/storage/antivirus.js';
import {
  createAuth,
  createIdentityService,
  identityAdminRoutes,
  identityRoutes,
  webauthnRoutes,
  type IdentityService,
  purgeExpiredAuthRecords,
} from './modules/identity/index.js';
import {
  companyVerifyJsonSql,
  createOrgsService,
  orgsRoutes,
  type OrgsService,
  membershipsOfUser,
  purgeClosedInvitations,
} from './modules/orgs/index.js';
import {
  createWorkerEfileQueries,
  createWorkersService,
  trustFactsFromJson,
  workersRoutes,
  type WorkersService,
  workerTrustFactsJsonSql,
} from './modules/workers/index.js';
import { createEfileService, efileRoutes, type EfileService } from './modules/efile/index.js';
import {
  certificationRoutes,
  createCertificationService,
  verifyPageRoutes,
  type CertificateEventPayload,
  type CertificationService,
  expiryRemindersOf,
} from './modules/certification/index.js';
import {
  createTrainingService,
  trainingRoutes,
  trainingVerifyPageRoutes,
  type TrainingService,
  trainingProgressOf,
} from './modules/training/index.js';
import {
  createNotificationsService,
  notificationsRoutes,
  type NotificationsService,
} from './modules/notifications/index.js';
import { catalogRoutes, createCatalogService, type CatalogService } from './modules/catalog/index.js';
import { createDiscoveryService, discoveryRoutes, type DiscoveryService } from './modules/discovery/index.js';
import { benchRoutes } from './bench-routes.js';
import { registerRetentionJobs } from './retention-jobs.js';
import {
  createDemandsService,
  createOrdersService,
  type DemandsService,
  ordersRoutes,
  type OrdersService,
  demandOffersOf,
  demandsPostedBy,
} from './modules/orders/index.js';
import {
  coverOf,
  coverUntilSql,
  createInsuranceService,
  insuranceOf,
  insuranceRoutes,
  type InsuranceService,
} from './modules/insurance/index.js';
import {
  createFeedbackService,
  feedbackOfWorker,
  feedbackRoutes,
  type FeedbackService,
} from './modules/feedback/index.js';
import {
  type CompanyExpelledPayload,
  createCreditService,
  creditRoutes,
  type CreditService,
  workerStarsSql,
} from './modules/credit/index.js';
import {
  type ContractEventPayload,
  contractsOfWorker,
  contractsRoutes,
  createContractsService,
  type ContractsService,
} from './modules/contracts/index.js';
import { createInsightsService, insightsRoutes, type InsightsService } from './modules/insights/index.js';
import { contentRoutes, createContentService, type ContentService } from './modules/content/index.js';
import {
  createRecruitmentService,
  recruitmentOf,
  recruitmentRoutes,
  type RecruitmentService,
} from './modules/recruitment/index.js';
import websocket from '@fastify/websocket';
import {
  createPartnersService,
  PARTNER_PREFIX,
  partnerApiRoutes,
  partnersOf,
  partnersRoutes,
  type PartnersService,
  webhookTopics,
} from './modules/partners/index.js';
import {
  createMessagingService,
  type MessagingEventPayload,
  messagingRoutes,
  messagingOfWorker,
  messagingSocketRoutes,
  type MessagingService,
} from './modules/messaging/index.js';

export interface AppDeps {
  config: Config;
  database: Database;
  sms?: SmsSender;
  clock?: () => Date;
  storage?: FileStorage;
  /** Directory with the built web app; defaults to <repo>/dist/web. */
  webRoot?: string;
  /** Where pino writes (stdout unless given); the assurance suite captures it to scan logs for personal data. */
  logStream?: { write(line: string): void };
}

export interface Services {
  identity: IdentityService;
  orgs: OrgsService;
  workers: WorkersService;
  certification: CertificationService;
  notifications: NotificationsService;
  efile: EfileService;
  training: TrainingService;
  catalog: CatalogService;
  discovery: DiscoveryService;
  orders: OrdersService;
  demands: DemandsService;
  insurance: InsuranceService;
  feedback: FeedbackService;
  credit: CreditService;
  messaging: MessagingService;
  contracts: ContractsService;
  insights: InsightsService;
  partners: PartnersService;
  content: ContentService;
  recruitment: RecruitmentService;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    sms: SmsSender;
    database: Database;
    pii: Pii;
    /** Signs the audit chain's head into the external anchor sink (job `platform.audit_anchor`). */
    auditAnchor: AuditAnchorer;
    storage: FileStorage;
    platform: PlatformKit & { outbox: OutboxDispatcher };
  }
}

/** What modules get from the platform besides the database: jobs, the realtime bus, outbox subscriptions. */
export interface PlatformKit {
  jobs: Jobs;
  bus: RealtimeBus;
  /** Reacts to another module's outbox event; several modules may subscribe to one topic. Handlers must be
   * idempotent (delivery is at least once, and a failing handler retries the whole delivery). */
  onEvent(topic: string, handler: OutboxHandler): void;
}

export const API_PREFIX = '/api/v1';

/** Builds the whole application: platform plugins, then each module's service and routes. No listening here. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            ...(deps.logStream ? { stream: deps.logStream } : {}),
            redact: {
              paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
              censor: '[redacted]',
            },
          },
    genReqId: newRequestId,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const sms =
    deps.sms ??
    createDevSmsSink({
      logger: app.log,
      logCodes: config.env === 'development' && config.smsProvider === 'dev',
    });
  app.decorate('sms', sms);
  app.decorate('database', database);
  const pii = createPii(piiOptionsOf(config));
  app.decorate('pii', pii);
  // New audit rows chain with the profile's hash (SM3 under gm); each row records which.
  setAuditHashAlg(auditHashAlgOf(config.piiProfile));
  // Lookups use this profile's blind index alone once the data is known to be in it (a baseline recorded at first
  // start, or a finished `crypto:switch`); both profiles' while a switch is due or under way.
  pii.setDataProfile(
    await settleDataProfile(database.db, config.piiProfile, clock(), () =>
      dataInFormat(database.db, config.piiProfile === 'gm' ? 'intl' : 'gm'),
    ),
  );
  // Checkpoints of a pruned audit prefix are verified against the anchor key's public halves.
  setAuditTrustedKeys(config.auditAnchor.trustedKeys);
  // Every module stores through this one wrapper: JPEG/PNG lose their metadata, other image formats are refused.
  app.decorate(
    'storage',
    withImageHygiene(deps.storage ?? createLocalStorage(join(config.dataDir, 'files'))),
  );
  // Outermost, so clamd sees the bytes a module hands over before hygiene rewrites them; fails closed (ASVS 5.4.3).
  const antivirus = config.antivirus.clamd
    ? createClamdScanner({ address: config.antivirus.clamd, timeoutMs: config.antivirus.timeoutMs })
    : undefined;
  if (antivirus) {
    app.storage = withAntivirus(app.storage, antivirus, {
      infected: (i) => app.log.warn(i, 'upload refused: malware signature found'),
      unavailable: (i) => app.log.warn(i, 'upload refused: antivirus scan unavailable'),
    });
    // A refused infected file is a security event (等保 L3 audit, ASVS 16.x): audited in its own statement, after any
    // transaction the module had open has rolled back, so the failed request cannot take the record with it.
    app.addHook('onError', async (request, _reply, error) => {
      if (!(error instanceof FileInfectedError)) return;
      const { signature, size, area, sha256 } = error.upload;
      await recordAudit(database.db, contextOf(request), {
        action: 'storage.upload_refused',
        outcome: 'denied',
        objectType: 'file',
        objectId: `sha256:${sha256}`,
        // No file name or key: names like 张秀芳-健康证.pdf are personal data; the hash identifies the file.
        detail: { reason: 'malware', signature, size, area, sha256, route: request.routeOptions.url ?? '' },
      }).catch((e: unknown) =>
        // The error's name/code only: a wrapped query error carries its parameters (the caller's IP among them).
        request.log.error(
          { error: (e as { code?: string }).code ?? (e as Error).name },
          'audit of a refused upload failed',
        ),
      );
    });
    app.log.info(`uploads are scanned for malware by clamd at ${antivirus.target}`);
  } else if (config.antivirus.explicitlyDisabled) {
    app.log.warn('ANTIVIRUS_DISABLED=true: uploads are stored WITHOUT a malware scan');
  } else {
    app.log.info('ANTIVIRUS_CLAMD unset: uploads are not scanned for malware (development/test)');
  }

  const jobs = createJobs({ database, logger: app.log });
  const bus = createRealtimeBus(database, { logger: app.log });
  // Several modules may react to one topic (an order completing feeds credit and messaging); they run in
  // registration order, and a failure retries the delivery for all of them, so each must be idempotent.
  const topicHandlers = new Map<string, OutboxHandler[]>();
  const kit: PlatformKit = {
    jobs,
    bus,
    onEvent(topic, handler) {
      const list = topicHandlers.get(topic) ?? [];
      list.push(handler);
      topicHandlers.set(topic, list);
    },
  };

  // Services, wired once with narrow dependencies.
  const storage = app.storage;
  const orgs = createOrgsService({
    db: database.db,
    pii,
    storage,
    clock,
    // identity is built next and needs orgs for memberships; these run only per request, after both exist.
    phoneOf: (userId) => identity.phoneOf(userId),
    profilesOf: (userIds) => identity.profilesOf(userIds),
  });
  const auth = createAuth({ config, database, sms, clock });
  const identity = createIdentityService({ config, database, auth, clock, pii, sms });
  const workers = createWorkersService({
    db: database.db,
    pii,
    storage: app.storage,
    sms,
    clock,
    identity,
    orgs,
  });
  const notifications = createNotificationsService({ db: database.db, clock });
  const certification = createCertificationService({
    db: database.db,
    clock,
    pii,
    storage: app.storage,
    workers,
    orgs,
    notifications,
    publicUrl: config.publicUrl,
    // insurance is built after certification; the verification page asks for a worker's cover per request.
    insuranceOf: (workerId) => insurance.verificationStatus(workerId),
    // credit is built later too; the page reads the worker's stars per request.
    creditStarsOf: (workerId) => credit.workerStars(workerId),
    // A scan reads all of the above in one statement, from each owning module's fragment.
    verifySql: {
      workerFacts: workerTrustFactsJsonSql,
      decodeWorkerFacts: trustFactsFromJson,
      company: companyVerifyJsonSql,
      coverUntil: coverUntilSql,
      coverOf,
      creditLevel: workerStarsSql,
    },
    log: app.log,
  });
  const efile = createEfileService({
    db: database.db,
    clock,
    storage: app.storage,
    workers: createWorkerEfileQueries({ db: database.db, pii }),
    certification,
    notifications,
    orgs,
    identity,
    // Built below; only called per request, after both exist.
    training: { efileSection: (workerId) => training.efileSection(workerId) },
    // orders is built after efile; the e-file asks for a worker's orders only per request.
    orders: { efileSection: (workerId) => orders.efileSection(workerId) },
    // The same for the later modules: contracts, reviews and complaints, credit, insurance.
    contracts: { efileSection: (workerId) => contracts.efileSection(workerId) },
    feedback: { efileSection: (workerId) => feedback.efileSection(workerId) },
    credit: { workerCredits: (ids) => credit.workerCredits(ids) },
    insurance: { efileSection: (workerId) => insurance.efileSection(workerId) },
    subjectRows: {
      trainingProgress: (workerId) => trainingProgressOf(database.db, workerId),
      expiryReminders: (workerId) => expiryRemindersOf(database.db, workerId),
      memberships: (userId) => membershipsOfUser(database.db, userId),
      demandsPosted: (userId) => demandsPostedBy(database.db, userId),
      demandOffers: (workerId) => demandOffersOf(database.db, workerId),
    },
    dealings: {
      contracts: (workerId, userId) => contractsOfWorker(database.db, workerId, userId),
      feedback: (workerId, userId) => feedbackOfWorker(database.db, workerId, userId),
      messaging: (workerId, userId) => messagingOfWorker(database.db, workerId, userId),
    },
    programmes: {
      insurance: (workerId, userId) => insuranceOf(database.db, workerId, userId),
      partners: (workerId, userId) => partnersOf(database.db, workerId, userId),
      recruitment: (workerId, userId) => recruitmentOf(database.db, workerId, userId),
    },
    account: {
      rolesOf: (userId) => identity.platformRolesOf(userId),
      notificationsOf: (userId) => notifications.allFor(userId),
    },
    publicUrl: config.publicUrl,
  });
  const catalog = createCatalogService({ db: database.db, clock, orgs });
  const training = createTrainingService({
    db: database.db,
    clock,
    storage: app.storage,
    workers,
    workerFacts: createWorkerEfileQueries({ db: database.db, pii }),
    orgs,
    publicUrl: config.publicUrl,
  });
  const orders = createOrdersService({
    db: database.db,
    clock,
    pii,
    sms,
    notifications,
    phoneOf: (userId) => identity.phoneOf(userId),
    profilesOf: (userIds) => identity.profilesOf(userIds),
    catalog,
    workerStatus: (workerId) => certification.workerStatus(workerId),
    workers,
    orgs,
  });
  const demands = createDemandsService({
    db: database.db,
    clock,
    pii,
    orders,
    catalog,
    notifications,
    orgs,
    workers,
  });
  const insurance = createInsuranceService({
    db: database.db,
    clock,
    pii,
    sms,
    notifications,
    orgs,
    workers,
    phoneOf: (userId) => identity.phoneOf(userId),
    orderFor: (ctx, orderId) =>
      orders
        .get(ctx, orderId)
        .then((o) => ({ id: o.id, number: o.number, workerId: o.worker?.id ?? null, relation: o.relation })),
    publicUrl: config.publicUrl,
  });
  const discovery = createDiscoveryService({
    db: database.db,
    readDb: database.readDb,
    clock,
    workers,
    certification,
    orgs,
    catalog,
    availability: orders,
    // credit is built below; the projection reads workers' scores per refresh.
    credit: { workerCredits: (ids) => credit.workerCredits(ids) },
  });
  const messaging = createMessagingService({
    db: database.db,
    clock,
    storage: app.storage,
    notifications,
    orgs,
    profilesOf: (userIds) => identity.profilesOf(userIds),
    workers,
    orderParties: (ctx, orderId) => orders.partiesOf(ctx, orderId),
    demandOffers: (ctx, demandId) => demands.getMine(ctx, demandId),
    iceServers: config.iceServers,
  });
  const feedback = createFeedbackService({
    db: database.db,
    clock,
    storage: app.storage,
    settings: config.feedback,
    orders,
    workers,
    orgs,
    profilesOf: (userIds) => identity.profilesOf(userIds),
    notifications,
    certificates: {
      currentOf: (workerId) =>
        certification
          .workerStatus(workerId)
          .then((s) => (s.certificate && s.certificate.state !== 'revoked' ? s.certificate.id : null))
          .catch(() => null),
      suspend: (ctx, id, reason) => certification.suspend(ctx, id, reason),
      revoke: (ctx, id, reason) => certification.revoke(ctx, id, reason),
    },
  });
  const contracts = createContractsService({
    db: database.db,
    clock,
    pii,
    storage: app.storage,
    sms,
    notifications,
    orders,
    orgs,
    workers,
    phoneOf: (userId) => identity.phoneOf(userId),
    profilesOf: (userIds) => identity.profilesOf(userIds),
    publicUrl: config.publicUrl,
  });
  const credit = createCreditService({
    db: database.db,
    clock,
    orgs,
    workers,
    orders,
    notifications,
    discovery,
    feedback,
  });
  const content = createContentService({ db: database.db, clock, storage: app.storage });
  // Every outbound HTTP call goes through this (OUTBOUND_ALLOW_HOSTS).
  const egress = createEgress({ allow: config.outbound.allow, logger: app.log });
  const partners = createPartnersService({
    db: database.db,
    clock,
    pii,
    allowPrivateWebhooks: config.partners.webhookAllowPrivate,
    egress,
    certification,
    orgs,
    efile,
    orders,
    identity,
    workers,
    catalog,
  });
  const insights = createInsightsService({ db: database.db, clock, storage: app.storage, contracts });
  const recruitment = createRecruitmentService({
    db: database.db,
    clock,
    training,
    notifications,
    orgs,
    workers,
    efile,
    certifiedOf: (workerId) => certification.workerStatus(workerId).then((s) => s.status.color === 'green'),
    scheduleInterview: (ctx, input) =>
      messaging.scheduleInterview(ctx, input).then((i) => ({ id: i.id, scheduledAt: i.scheduledAt })),
    publicUrl: config.publicUrl,
  });
  app.decorate('services', {
    recruitment,
    insights,
    partners,
    contracts,
    content,
    feedback,
    credit,
    identity,
    orgs,
    workers,
    certification,
    notifications,
    efile,
    catalog,
    discovery,
    training,
    orders,
    demands,
    messaging,
    insurance,
  });

  // Helmet's headers, computed once at start (the same set @fastify/helmet rebuilt on every request).
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS as <style> elements.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // Map tiles come from the configured tile server (`{s}` subdomains become a wildcard).
        imgSrc: [
          "'self'",
          'data:',
          'blob:',
          new URL(config.map.tileUrl.replace('{s}', 'tiles')).origin.replace('//tiles.', '//*.'),
        ],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.isProduction ? [] : null,
      },
    },
    hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cors, {
    origin: (origin, cb) =>
      cb(null, !origin || config.corsOrigins.includes(origin) || origin === config.publicUrl),
    credentials: true,
  });
  await app.register(rateLimit, {
    max: config.rateLimit.global,
    timeWindow: '1 minute',
    keyGenerator: (req) => req.ip,
    // Content-hashed web files (a page load fetches 10–20; an office behind one NAT shares an IP) are not counted.
    // By the matched route (one per built file), not the raw URL, so no API path can pass for an asset.
    allowList: (req) =>
      (req.method === 'GET' || req.method === 'HEAD') && !!req.routeOptions.url?.startsWith('/assets/'),
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new Error('rate limited'), { statusCode: ctx.statusCode }),
  });

  const webRoot = deps.webRoot ?? join(projectRoot, 'dist/web');
  const hasWeb = existsSync(join(webRoot, 'index.html'));
  registerErrorHandling(app, {
    // The SPA owns every other GET for a page; API paths keep their problem+json 404.
    spaFallback: (request, reply) => {
      const isPage =
        hasWeb &&
        request.method === 'GET' &&
        !request.url.startsWith('/api/') &&
        (request.headers.accept ?? '').includes('text/html');
      return isPage ? reply.type('text/html; charset=utf-8').sendFile('index.html') : undefined;
    },
  });
  // PostgreSQL cannot store U+0000 (nor a lone surrogate): such request text is a 422 here, not a 500 later.
  registerTextGuard(app);
  // Before the authz gate: the plugin's own onRequest hook must mark upgrade requests first, so a socket refused
  // at the gate (401) is destroyed rather than left open. Frames are capped at 64 KB (an SDP offer is a few KB).
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Requests start in arrival order, one per event-loop turn; past ADMISSION_QUEUE_MAX waiting, 503 SERVER_BUSY.
  // Both this queue and the authz gate come after helmet, CORS and the rate limiter: refused requests still carry
  // security headers, and floods are cut off before they take places in the queue or reach the session lookup.
  registerAdmission(app, { maxWaiting: config.admissionQueueMax });
  registerAuthz(
    app,
    // A session is only ever found from its cookie: without one the caller is anonymous, with no headers to copy.
    (request) =>
      request.headers.cookie
        ? identity.resolveActor(fromNodeHeaders(request.headers))
        : Promise.resolve(null),
    // Signed-in callers knocking on doors not theirs are recorded; anonymous 401s are only logged (no audit flood).
    (request) =>
      recordAudit(database.db, contextOf(request), {
        action: 'authz.denied',
        outcome: 'denied',
        detail: { method: request.method, route: request.routeOptions.url ?? '' },
      }).then(() => undefined),
    // Partner routes authenticate by API key (partners module), never by session.
    (request, scope) =>
      partners.authenticate({
        authorization: request.headers.authorization,
        apiKey: [request.headers['x-api-key']].flat()[0],
        ip: request.ip,
        scope,
      }),
  );
  registerIdempotency(app, { db: database.db, clock, pii, leaseMs: config.idempotencyLeaseMs });

  if (config.apiDocs) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Anxin 安心家政 API',
          version: '1.0.0',
          description: 'Errors are RFC 9457 problem+json with a stable `code` and a zh-CN/en `message`.',
        },
        servers: [{ url: '/' }],
        components: {
          securitySchemes: {
            partnerBearer: { type: 'http', scheme: 'bearer', description: 'Partner API key `ak_…`' },
            partnerApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
          },
        },
      },
      // Error responses, descriptions and examples for every operation, from one place.
      ...openApiTransforms(),
    });
  }

  // Personal data must not sit in shared caches.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
  });

  registerObservability(app, {
    database,
    metricsToken: config.metricsToken,
    exposeMetrics: !config.isProduction || !!config.metricsToken,
    antivirus,
  });

  await app.register(
    identityRoutes(identity, sms, {
      devEndpoints: !config.isProduction && config.smsProvider === 'dev',
      limits: config.rateLimit,
    }),
    {
      prefix: API_PREFIX,
    },
  );
  await app.register(identityAdminRoutes(identity), { prefix: API_PREFIX });
  await app.register(webauthnRoutes(identity, { limits: config.rateLimit }), { prefix: API_PREFIX });
  await app.register(workersRoutes(workers), { prefix: API_PREFIX });

  await app.register(orgsRoutes(orgs), { prefix: API_PREFIX });
  await app.register(certificationRoutes(certification), { prefix: API_PREFIX });
  await app.register(verifyPageRoutes(certification));
  await app.register(notificationsRoutes(notifications), { prefix: API_PREFIX });
  await app.register(efileRoutes(efile), { prefix: API_PREFIX });
  await app.register(trainingRoutes(training), { prefix: API_PREFIX });
  await app.register(trainingVerifyPageRoutes(training));
  await app.register(catalogRoutes(catalog), { prefix: API_PREFIX });
  await app.register(discoveryRoutes(discovery, config.map), { prefix: API_PREFIX });
  await app.register(ordersRoutes(orders, demands), { prefix: API_PREFIX });
  await app.register(insuranceRoutes(insurance), { prefix: API_PREFIX });
  await app.register(feedbackRoutes(feedback), { prefix: API_PREFIX });
  await app.register(creditRoutes(credit), { prefix: API_PREFIX });
  await app.register(contractsRoutes(contracts), { prefix: API_PREFIX });
  await app.register(insightsRoutes(insights), { prefix: API_PREFIX });
  await app.register(recruitmentRoutes(recruitment), { prefix: API_PREFIX });
  await app.register(contentRoutes(content, { complaintHotline: config.complaintHotline }), {
    prefix: API_PREFIX,
  });
  await app.register(messagingRoutes(messaging), { prefix: API_PREFIX });
  await app.register(
    messagingSocketRoutes(messaging, { bus, publicUrl: config.publicUrl, corsOrigins: config.corsOrigins }),
    { prefix: API_PREFIX },
  );
  await app.register(partnersRoutes(partners), { prefix: API_PREFIX });
  await app.register(partnerApiRoutes(partners), { prefix: PARTNER_PREFIX });
  // Benchmark ceilings (bench/run.ts); never registered in tests or production use.
  if (process.env.BENCH_ROUTES === '1') await app.register(benchRoutes(database), { prefix: API_PREFIX });

  if (config.apiDocs) {
    app.get('/openapi.json', {
      config: { authz: { public: 'the API description is public' } },
      schema: { hide: true },
      handler: async () => app.swagger(),
    });
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      uiConfig: { docExpansion: 'list', deepLinking: true },
    });
  }

  if (hasWeb) {
    await registerWebStatic(app, webRoot);
  }

  // External anchors of the audit chain: checked every minute, written every N rows or T minutes.
  const auditAnchor = createAuditAnchorer({
    db: database.db,
    key: config.auditAnchor.key,
    // Directory, HTTPS receiver, or both (each anchor to every one; the HTTPS one through the egress allow-list).
    sink: [
      ...(config.auditAnchor.dir ? [createDirSink(config.auditAnchor.dir)] : []),
      ...(config.auditAnchor.url
        ? [createHttpsSink({ url: config.auditAnchor.url, token: config.auditAnchor.token, egress })]
        : []),
    ],
    everyRows: config.auditAnchor.everyRows,
    everyMinutes: config.auditAnchor.everyMinutes,
    clock,
  });
  app.decorate('auditAnchor', auditAnchor);
  await jobs.register(
    'platform.audit_anchor',
    async () => {
      await auditAnchor.runDue();
    },
    { policy: 'singleton', retryLimit: 0 },
  );
  await jobs.schedule('platform.audit_anchor', '* * * * *');
  await jobs.register('platform.idempotency_purge', async () => {
    await purgeExpiredIdempotencyKeys(database.db, clock());
  });
  await jobs.schedule('platform.idempotency_purge', '17 3 * * *');
  await jobs.register('platform.outbox_prune', async () => {
    await prunePublishedEvents(database.db, new Date(clock().getTime() - 30 * 24 * 3600_000));
  });
  await jobs.schedule('platform.outbox_prune', '27 3 * * *');
  // Retention (test/data-inventory.ts): expired sessions and one-time codes; invitations a year after closing.
  await jobs.register('identity.auth_purge', async () => {
    await purgeExpiredAuthRecords(database.db, clock());
  });
  await jobs.schedule('identity.auth_purge', '37 3 * * *');
  await jobs.register('orgs.invitation_purge', async () => {
    await purgeClosedInvitations(database.db, clock());
  });
  await jobs.schedule('orgs.invitation_purge', '47 3 * * *');
  // …and the modules' time-bound personal data (consents, orders, demands, complaints, contracts, claims, chat).
  await registerRetentionJobs(jobs, (now) => ({ db: database.db, now, pii, storage, auditAnchor }), clock);

  await jobs.register('certification.expiry_reminders', async () => {
    await certification.runExpiryReminders();
  });
  await jobs.schedule('certification.expiry_reminders', '0 9 * * *');
  // Order deadlines (expiry, auto-start, auto-confirm, close) and demand expiry, every five minutes.
  await jobs.register('orders.run_due', async () => {
    await orders.runDue(systemContext('orders.run_due'));
    await demands.expireDue();
  });
  await jobs.schedule('orders.run_due', '*/5 * * * *');
  // Policy expiry, renewal reminders and claim SLA notices, hourly.
  await jobs.register('insurance.run_due', async () => {
    await insurance.runDue(systemContext('insurance.run_due'));
  });
  await jobs.schedule('insurance.run_due', '15 * * * *');
  // Complaints the company left unanswered past the SLA escalate to the regulator; settled ones close.
  // Credit: events rescore the subjects they name; a nightly set-based recompute catches everything else.
  await jobs.register('credit.recompute', async () => {
    await credit.recomputeAll();
  });
  await jobs.schedule('credit.recompute', '30 2 * * *');
  // Insights: dashboards read rollups, rebuilt hourly (and on demand); the month's report on the 1st at 07:00.
  await jobs.register('insights.refresh', async () => {
    await insights.refresh(systemContext('insights.refresh'), 'job');
  });
  await jobs.schedule('insights.refresh', '5 * * * *');
  await jobs.register('insights.monthly_report', async () => {
    await insights.runMonthlyReport();
  });
  await jobs.schedule('insights.monthly_report', '0 7 1 * *');
  // Content scheduled for publication goes live within a minute of its time.
  await jobs.register('content.publish_due', async () => {
    await content.publishDue(systemContext('content.publish_due'));
  });
  await jobs.schedule('content.publish_due', '* * * * *');
  for (const topic of ['feedback.review_published', 'feedback.review_removed', 'feedback.complaint_decided'])
    kit.onEvent(topic, async (p) => {
      const { workerId, companyId } = p as { workerId: string | null; companyId: string | null };
      await credit.refreshSubjects({
        workers: workerId ? [workerId] : [],
        companies: companyId ? [companyId] : [],
      });
    });
  kit.onEvent('feedback.complaint_escalated', async (p) => {
    const { companyId } = p as { companyId: string | null };
    if (companyId) await credit.refreshCompany(companyId);
  });
  for (const topic of ['orders.completed', 'orders.closed'])
    kit.onEvent(topic, async (p) => {
      const { workerId, companyId } = p as { workerId?: string | null; companyId: string };
      await credit.refreshSubjects({ workers: workerId ? [workerId] : [], companies: [companyId] });
    });
  for (const topic of [
    'certification.issued',
    'certification.suspended',
    'certification.reinstated',
    'certification.revoked',
    'workers.updated',
  ])
    kit.onEvent(topic, async (p) => {
      await credit.refreshWorker((p as { workerId: string }).workerId);
    });
  kit.onEvent('credit.scorecard_published', async () => {
    await credit.recomputeAll();
  });
  kit.onEvent('credit.company_expelled', (p) =>
    credit.onCompanyExpelled(systemContext('credit.company_expelled'), p as CompanyExpelledPayload),
  );
  await jobs.register('feedback.run_due', async () => {
    await feedback.runDue(systemContext('feedback.run_due'));
  });
  await jobs.schedule('feedback.run_due', '*/5 * * * *');
  // A disputed contract termination becomes a complaint against the company (idempotent on redelivery).
  // A new post alerts the workers whose saved searches match it (once per search and post).
  kit.onEvent('recruitment.post_published', async (p) => {
    await recruitment.alertSavedSearches((p as { postId: string }).postId);
  });
  kit.onEvent('contracts.termination_disputed', async (p) => {
    await feedback.openFromContractDispute(p as Parameters<FeedbackService['openFromContractDispute']>[0]);
  });
  kit.onEvent('certification.revoked', async (p) => {
    await certification.notifyRevoked(p as CertificateEventPayload);
    await discovery.refreshWorker((p as CertificateEventPayload).workerId);
  });
  // The search projection follows certificates, worker profiles and price lists; an hourly rebuild catches the rest.
  for (const topic of [
    'certification.issued',
    'certification.suspended',
    'certification.reinstated',
    'workers.updated',
  ])
    kit.onEvent(topic, (p) => discovery.refreshWorker((p as { workerId: string }).workerId));
  kit.onEvent('catalog.items_changed', (p) =>
    discovery.refreshCompany((p as { companyId: string }).companyId),
  );
  await jobs.register('discovery.rebuild', async () => {
    await discovery.rebuildAll();
  });
  await jobs.schedule('discovery.rebuild', '40 * * * *');

  // Order and contract events become system messages in the order's conversation (idempotent by event id).
  for (const topic of [
    'orders.accepted',
    'orders.declined',
    'orders.contracted',
    'orders.started',
    'orders.completed',
    'orders.cancelled',
    'orders.worker_replaced',
    'contracts.sealed',
    'contracts.terminated',
  ])
    kit.onEvent(topic, (p, meta) => messaging.onOrderEvent(topic, p as MessagingEventPayload, meta.id));
  await jobs.register('messaging.interview_reminders', async () => {
    await messaging.runReminders();
  });
  await jobs.schedule('messaging.interview_reminders', '*/5 * * * *');

  // A terminated contract ends its order: a service under way completes early, one not yet started is cancelled.
  kit.onEvent('contracts.terminated', (p) => {
    const { orderId, number, effectiveDate } = p as ContractEventPayload & { effectiveDate: string };
    return orders.onContractTerminated(systemContext('orders.contract_terminated'), {
      orderId,
      contractNumber: number,
      effectiveDate,
    });
  });
  // Replacing an order's worker (换人) makes a new contract version linked to the one in force.
  kit.onEvent('orders.worker_replaced', (p) =>
    contracts.onWorkerReplaced(
      systemContext('contracts.worker_replaced'),
      p as { orderId: string; workerId: string | null },
    ),
  );

  // Partner webhooks: events become signed deliveries, sent and retried with backoff by the jobs below.
  for (const topic of webhookTopics)
    kit.onEvent(topic, async (p, meta) => {
      const ids = await partners.onEvent(topic, p as Record<string, unknown>, meta);
      if (config.jobs) for (const id of ids) await jobs.send('partners.webhook_deliver', { deliveryId: id });
    });
  await jobs.register<{ deliveryId: string }>('partners.webhook_deliver', async (job) => {
    await partners.attemptDelivery(job.data.deliveryId);
  });
  // Retries (and anything queued while jobs were off) go out when due: the backoff lives in the delivery row.
  await jobs.register('partners.webhook_sweep', async () => {
    for (const id of await partners.dueDeliveries()) await partners.attemptDelivery(id);
  });
  await jobs.schedule('partners.webhook_sweep', '* * * * *');

  const outboxHandlers: Record<string, OutboxHandler> = {};
  for (const [topic, list] of topicHandlers)
    outboxHandlers[topic] = async (payload, meta) => {
      for (const handler of list) await handler(payload, meta);
    };
  const outbox = createOutboxDispatcher({ database, handlers: outboxHandlers, logger: app.log });
  app.decorate('platform', { ...kit, outbox });
  if (config.jobs) {
    app.addHook('onReady', async () => {
      await jobs.start();
      outbox.start(1000);
    });
  }
  app.addHook('onClose', async () => {
    // Scans counted in memory reach the table before the database is closed (graceful shutdown loses none).
    await certification
      .flushVerifications()
      .catch((err: unknown) => app.log.error({ err }, 'verification counts not flushed at close'));
    await outbox.stop();
    await jobs.stop();
    await bus.close();
  });

  await app.ready();
  return app;
}
