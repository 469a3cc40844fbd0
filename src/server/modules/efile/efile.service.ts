import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { documentKinds, labelOf } from '../../../shared/domain.js';
import { maskIdCard, maskName } from '../../../shared/validators/index.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import { auditLog } from '../../platform/audit/audit.tables.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import type { FileStorage } from '../../platform/storage/index.js';
import type { CertificationService } from '../certification/index.js';
import { colorLabels, reasonLabels } from '../certification/index.js';
import type { IdentityService } from '../identity/index.js';
import type { NotificationsService } from '../notifications/index.js';
import type { OrgsService } from '../orgs/index.js';
import type { ExpiryReminderFact } from '../certification/index.js';
import type { ContractDealingFact } from '../contracts/index.js';
import type { FeedbackDealingFacts } from '../feedback/index.js';
import type { MessagingFacts } from '../messaging/index.js';
import type { DemandOfferFact, OwnDemandFact } from '../orders/index.js';
import type { InsuranceFacts } from '../insurance/index.js';
import type { PartnerFacts } from '../partners/index.js';
import type { RecruitmentFacts } from '../recruitment/index.js';
import type { MembershipFact } from '../orgs/index.js';
import type { TrainingProgressFacts } from '../training/index.js';
import type { WorkerEfileQueries, WorkerRecord } from '../workers/index.js';
import { renderEfilePdf } from './efile-pdf.js';
import { efilePdfSections } from './efile-pdf-sections.js';
import { efileAccessRequest, efileDeletionRequest, efileGrant } from './efile.tables.js';
import { type GrantScope, grantState, regulatorMaySee, requesterOf, type Via } from './efile.policy.js';
import { addWorkingDays, DELETION_WORKING_DAYS, shanghaiDay } from './working-days.js';

type GrantRow = typeof efileGrant.$inferSelect;
type AccessRequestRow = typeof efileAccessRequest.$inferSelect;
type DeletionRow = typeof efileDeletionRequest.$inferSelect;

export interface EfileDeps {
  db: Db;
  clock: () => Date;
  storage: Pick<FileStorage, 'delete'>;
  workers: Pick<
    WorkerEfileQueries,
    'workerOfUser' | 'workerBasics' | 'workerRecord' | 'eraseWorkerPersonalData'
  >;
  certification: Pick<CertificationService, 'workerStatus'>;
  notifications: Pick<NotificationsService, 'notify'>;
  orgs: Pick<OrgsService, 'getOrganization'>;
  identity: Pick<IdentityService, 'profilesOf'>;
  /** The worker's training certificates and exam results, from the training module. */
  training?: { efileSection(workerId: string): Promise<TrainingSection> };
  /** The account's own roles and notifications, for the export (PIPL Art 45: a copy of everything held). */
  account?: {
    rolesOf(
      userId: string,
    ): Promise<{ id: string; role: string; district: string | null; grantedAt: string }[]>;
    notificationsOf(userId: string): Promise<
      {
        id: string;
        kind: string;
        title: string;
        body: string;
        link: string | null;
        createdAt: string;
        readAt: string | null;
      }[]
    >;
  };
  /** The worker's orders (assignments and covered visits), from the orders module. */
  orders?: { efileSection(workerId: string): Promise<OrdersSection> };
  /** The worker's sealed contracts, from the contracts module. */
  contracts?: { efileSection(workerId: string): Promise<ContractItem[]> };
  /** Published reviews about the worker and complaints naming them, from the feedback module. */
  feedback?: {
    efileSection(workerId: string): Promise<{ reviews: ReviewItem[]; complaints: ComplaintItem[] }>;
  };
  /** The worker's credit score and stars, from the credit module (absent until first rated). */
  credit?: {
    workerCredits(
      ids: string[],
    ): Promise<Map<string, { score: number; stars: number; ratingAvg: number | null; ratingCount: number }>>;
  };
  /** The worker's insurance policies, from the insurance module. */
  insurance?: { efileSection(workerId: string): Promise<{ policies: PolicyItem[] }> };
  /**
   * The subject's other rows, export only (PIPL Art 45): training progress, expiry reminders, the account's
   * organization memberships and posted needs, and the offers naming the worker.
   */
  subjectRows?: {
    trainingProgress(workerId: string): Promise<TrainingProgressFacts>;
    expiryReminders(workerId: string): Promise<ExpiryReminderFact[]>;
    memberships(userId: string): Promise<MembershipFact[]>;
    demandsPosted(userId: string): Promise<OwnDemandFact[]>;
    demandOffers(workerId: string): Promise<DemandOfferFact[]>;
  };
  /** The worker's dealings, export only (PIPL Art 45): contracts, reviews and complaints, messaging. */
  dealings?: {
    contracts(workerId: string, userId: string | null): Promise<ContractDealingFact[]>;
    feedback(workerId: string, userId: string | null): Promise<FeedbackDealingFacts>;
    messaging(workerId: string, userId: string | null): Promise<MessagingFacts>;
  };
  /** The worker's programmes, export only (PIPL Art 45): insurance, partner platforms, recruitment. */
  programmes?: {
    insurance(workerId: string, userId: string | null): Promise<InsuranceFacts>;
    partners(workerId: string, userId: string | null): Promise<PartnerFacts>;
    recruitment(workerId: string, userId: string | null): Promise<RecruitmentFacts>;
  };
  publicUrl: string;
}

/** A sealed contract in the e-file: number, company, term and wage; never the household's address or names. */
export interface ContractItem {
  id: string;
  number: string;
  filingNo: string | null;
  kind: string;
  category: string;
  mode: string;
  state: string;
  companyName: string;
  startDate: string;
  endDate: string;
  monthlyWageFen: number;
  sealedAt: string;
  terminatedAt: string | null;
}
/** A published review about the worker (the reviewer is never named). */
export interface ReviewItem {
  id: string;
  orderNumber: string;
  overall: number;
  ratings: Record<string, number>;
  text: string;
  createdAt: string;
}
/** A complaint naming the worker (the complainant is never named). */
export interface ComplaintItem {
  id: string;
  orderNumber: string | null;
  category: string;
  state: string;
  outcome: string | null;
  filedAt: string;
  decidedAt: string | null;
}
/** An insurance policy covering the worker. */
export interface PolicyItem {
  number: string;
  product: { title: string };
  insurer: { name: string };
  company: { name: string } | null;
  startsOn: string;
  endsOn: string;
  state: string;
  stateLabel: string;
}

/** The e-file's order section: orders the worker served, with their own span; no household details. */
export interface OrdersSection {
  available: true;
  items: {
    ref: string;
    orderId: string;
    number: string;
    category: string;
    mode: string;
    state: string;
    role: 'assigned' | 'substitute';
    companyName: string;
    district: string;
    from: string;
    to: string;
    visits: { id: string; startsAt: string; endsAt: string; status: string }[];
  }[];
  message: null;
}

/** The e-file's training section: training certificates and closed exam attempts. */
export interface TrainingSection {
  certificates: {
    id: string;
    number: string;
    courseTitle: string;
    institution: string;
    minutes: number;
    score: number;
    issuedAt: string;
  }[];
  exams: { id: string; examTitle: string; score: number; passed: boolean; at: string }[];
}

// The id prefixes of these rows are not (yet) in platform/db/ids.ts; same time-ordered format, own prefixes.

/** Actions on a worker's record that the worker's access log shows. */
export const ACCESS_LOG_ACTIONS = [
  'worker.viewed',
  'worker.pii_viewed',
  'worker.document_viewed',
  'efile.viewed',
] as const;

/** Sections the platform cannot fill yet because their modules do not exist: shown empty, never invented. */
const NOT_YET = {
  orders: '暂无订单记录',
  contracts: '暂无合同记录',
  reviews: '暂无评价记录',
  complaints: '暂无投诉记录',
  credit: '尚未评定信用分（首次评定后显示）',
  insurance: '暂无保险记录（未投保）',
} as const;
const NOT_YET_EN = {
  orders: 'No orders yet',
  contracts: 'No contracts yet',
  reviews: 'No reviews yet',
  complaints: 'No complaints',
  credit: 'Not rated yet (shown after the first credit rating)',
  insurance: 'No insurance on record',
} as const;
type EmptyKey = keyof typeof NOT_YET;
/** A section the worker's other modules filled (possibly with no rows), or the "none yet" notice when not wired. */
const present = <T>(items: T[] | undefined, k: EmptyKey) =>
  items ? { available: true as const, items, message: null } : emptySection(k);
const policyItem = (p: PolicyItem): PolicyItem => ({
  number: p.number,
  product: { title: p.product.title },
  insurer: { name: p.insurer.name },
  company: p.company ? { name: p.company.name } : null,
  startsOn: p.startsOn,
  endsOn: p.endsOn,
  state: p.state,
  stateLabel: p.stateLabel,
});
const emptySection = (k: EmptyKey) => ({
  available: false as const,
  items: [] as never[],
  message: { 'zh-CN': NOT_YET[k], en: NOT_YET_EN[k] },
});

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
// node-postgres may hand a bigint back as a string; the cursor always holds a number.
const seqCursor = z.object({ seq: z.coerce.number().int().positive() });
const kindLabel = (k: string) => labelOf(documentKinds, k);

/** The worker's e-file (一档): whole record, access log, grants and requests, export, deletion requests. */
export function createEfileService(deps: EfileDeps) {
  const { db, clock, workers, certification, notifications, orgs, identity } = deps;

  async function requireMine(ctx: RequestContext) {
    const w = ctx.actor ? await workers.workerOfUser(ctx.actor.userId) : null;
    if (!w || w.status === 'deleted') throw new AppError('NOT_FOUND');
    return w;
  }

  async function orgNames(ids: (string | null)[]) {
    const out = new Map<string, string>();
    for (const id of new Set(ids.filter((x): x is string => !!x))) {
      const o = await orgs.getOrganization(id);
      if (o) out.set(id, o.name);
    }
    return out;
  }

  async function maskedNames(userIds: (string | null)[]) {
    const ids = [...new Set(userIds.filter((x): x is string => !!x))];
    const profiles = await identity.profilesOf(ids);
    // Only names, masked: the access log never shows other people's phone numbers.
    return new Map(profiles.map((p) => [p.id, maskName(p.name)]));
  }

  async function statusOf(workerId: string) {
    const s = await certification.workerStatus(workerId);
    const c = s.certificate;
    return {
      certificate: c
        ? {
            id: c.id,
            number: c.number,
            state: c.state,
            stateReason: c.stateReason,
            issuedAt: c.issuedAt.toISOString(),
            validFrom: c.validFrom.toISOString(),
            validUntil: c.validUntil.toISOString(),
            categories: c.categories,
            skillLevel: c.skillLevel,
          }
        : null,
      status: {
        color: s.status.color,
        colorLabel: colorLabels[s.status.color].zh,
        reason: s.status.reason,
        reasonLabel: reasonLabels[s.status.reason].zh,
        checks: s.status.checks.map((k) => ({ key: k.key, ok: k.ok, state: k.state })),
        canTakeNewBookings: s.status.canTakeNewBookings,
      },
      facts: s.facts,
    };
  }

  async function employmentWithNames(rec: WorkerRecord) {
    const names = await orgNames(rec.employment.map((e) => e.companyId));
    return rec.employment.map((e) => ({ ...e, companyName: names.get(e.companyId) ?? null }));
  }

  async function loadRecord(workerId: string) {
    const rec = await workers.workerRecord(workerId);
    if (!rec) throw new AppError('NOT_FOUND');
    return rec;
  }

  /** The worker's own whole record: everything, unmasked, from the worker's own account. */
  async function ownFile(workerId: string) {
    const rec = await loadRecord(workerId);
    const st = await statusOf(workerId);
    const p = rec.profile;
    const fb = await deps.feedback?.efileSection(workerId);
    const creditRow = (await deps.credit?.workerCredits([workerId]))?.get(workerId);
    return {
      profile: {
        id: p.id,
        name: p.name,
        idNumber: p.idNumber,
        birthDate: p.birthDate,
        sex: p.sex,
        phone: p.phone,
        district: p.district,
        nativePlace: p.nativePlace,
        education: p.education,
        languages: p.languages,
        categories: p.categories,
        skillLevel: p.skillLevel,
        maternityStars: p.maternityStars,
        yearsExperience: p.yearsExperience,
        intro: p.intro,
        hasPhoto: p.hasPhoto,
        status: p.status,
        registeredVia: p.registeredVia,
        identityVerifiedAt: p.identityVerifiedAt,
        consentAcceptedAt: rec.consents.filter((c) => !c.withdrawnAt).at(-1)?.acceptedAt ?? null,
        createdAt: p.createdAt,
      },
      documents: rec.documents.map((d) => ({
        id: d.id,
        kind: d.kind,
        kindLabel: kindLabel(d.kind),
        state: d.state,
        reason: d.reason,
        number: d.number,
        issuedOn: d.issuedOn,
        expiresOn: d.expiresOn,
        reviewedAt: d.reviewedAt,
        current: d.current,
        createdAt: d.createdAt,
        downloadPath: d.erased ? null : `/api/v1/documents/${d.id}/file`,
      })),
      certificate: st.certificate,
      status: st.status,
      training: rec.training,
      trainingRecords: (await deps.training?.efileSection(workerId)) ?? { certificates: [], exams: [] },
      backgroundChecks: rec.backgroundChecks.map((c) => ({
        id: c.id,
        provider: c.provider,
        state: c.state,
        checkedOn: c.checkedOn,
        reference: c.reference,
        createdAt: c.createdAt,
      })),
      workHistory: {
        employment: await employmentWithNames(rec),
        orders: (await deps.orders?.efileSection(workerId)) ?? emptySection('orders'),
        contracts: present(await deps.contracts?.efileSection(workerId), 'contracts'),
      },
      reviews: present(fb?.reviews, 'reviews'),
      complaints: present(fb?.complaints, 'complaints'),
      credit: creditRow ? { available: true as const, ...creditRow, message: null } : emptySection('credit'),
      insurance: present(
        (await deps.insurance?.efileSection(workerId))?.policies.map(policyItem),
        'insurance',
      ),
    };
  }

  /**
   * The detailed-but-masked file a grantee, link holder or regulator sees. Never the ID number (masked), the
   * phone, document numbers or files, or criminal-record detail (only passed and the date).
   */
  async function sharedFile(workerId: string, scope: GrantScope, via: Via, expiresAt: Date | null) {
    const rec = await loadRecord(workerId);
    const st = await statusOf(workerId);
    const p = rec.profile;
    const bg = st.facts.background;
    const full = scope === 'full';
    return {
      via,
      scope,
      expiresAt: iso(expiresAt),
      worker: {
        id: p.id,
        maskedName: maskName(p.name),
        idNumberMasked: p.idNumber ? maskIdCard(p.idNumber) : null,
        sex: p.sex,
        district: p.district,
        nativePlace: p.nativePlace,
        education: p.education,
        languages: p.languages,
        categories: p.categories,
        skillLevel: p.skillLevel,
        maternityStars: p.maternityStars,
        yearsExperience: p.yearsExperience,
        intro: p.intro,
        identityVerified: p.identityVerifiedAt !== null,
      },
      status: st.status,
      health: {
        state: st.facts.health.state,
        validUntil: st.facts.health.validUntil,
      },
      trainingPassed: st.facts.training.state === 'passed',
      background: {
        passed: bg.state === 'clear',
        checkedOn: bg.state === 'clear' ? bg.checkedOn : null,
      },
      certificate:
        full && st.certificate
          ? {
              number: st.certificate.number,
              state: st.certificate.state,
              validFrom: st.certificate.validFrom,
              validUntil: st.certificate.validUntil,
              categories: st.certificate.categories,
              skillLevel: st.certificate.skillLevel,
            }
          : null,
      documents: full
        ? rec.documents
            .filter((d) => d.current)
            .map((d) => ({
              kind: d.kind,
              kindLabel: kindLabel(d.kind),
              state: d.state,
              issuedOn: d.kind === 'criminal_record' ? null : d.issuedOn,
              expiresOn: d.kind === 'criminal_record' ? null : d.expiresOn,
              reviewedAt: d.reviewedAt,
            }))
        : null,
      training: full
        ? rec.training.map((r) => ({ courseName: r.courseName, passed: r.passed, examDate: r.examDate }))
        : null,
      employment: full
        ? (await employmentWithNames(rec)).map((e) => ({
            companyName: e.companyName,
            startedAt: e.startedAt,
            endedAt: e.endedAt,
          }))
        : null,
    };
  }

  function grantView(g: GrantRow, now: Date, names: Map<string, string>, orgsById: Map<string, string>) {
    return {
      id: g.id,
      kind: g.kind as 'link' | 'in_app',
      scope: g.scope as GrantScope,
      state: grantState(g, now),
      expiresAt: g.expiresAt.toISOString(),
      revokedAt: iso(g.revokedAt),
      createdAt: g.createdAt.toISOString(),
      grantee: g.granteeUserId
        ? {
            maskedName: names.get(g.granteeUserId) ?? null,
            orgName: g.granteeOrgId ? (orgsById.get(g.granteeOrgId) ?? null) : null,
          }
        : null,
    };
  }

  function requestView(r: AccessRequestRow, names: Map<string, string>, orgsById: Map<string, string>) {
    return {
      id: r.id,
      workerId: r.workerId,
      requesterKind: r.requesterKind as 'resident' | 'company',
      requester: {
        maskedName: names.get(r.requesterUserId) ?? null,
        orgName: r.requesterOrgId ? (orgsById.get(r.requesterOrgId) ?? null) : null,
      },
      reason: r.reason,
      state: r.state as 'pending' | 'approved' | 'declined' | 'closed',
      grantId: r.grantId,
      decidedAt: iso(r.decidedAt),
      createdAt: r.createdAt.toISOString(),
    };
  }

  function deletionView(d: DeletionRow) {
    return {
      id: d.id,
      workerId: d.workerId,
      reason: d.reason,
      state: d.state as 'pending' | 'completed' | 'refused',
      dueOn: d.dueOn,
      decidedAt: iso(d.decidedAt),
      decisionReason: d.decisionReason,
      createdAt: d.createdAt.toISOString(),
    };
  }

  async function audited<T>(
    ctx: RequestContext,
    workerId: string,
    entry: { action: string; detail: Record<string, unknown> },
    value: T,
  ) {
    await recordAudit(db, ctx, { ...entry, objectType: 'worker', objectId: workerId });
    return value;
  }

  /** Access-log rows of one worker (views by others), newest first. */
  async function accessLog(
    workerId: string,
    ownUserId: string | null,
    q: { cursor?: string | undefined; limit: number },
  ) {
    const after = decodeCursor(q.cursor, seqCursor);
    const rows = await db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.objectType, 'worker'),
          eq(auditLog.objectId, workerId),
          eq(auditLog.outcome, 'ok'),
          inArray(auditLog.action, [...ACCESS_LOG_ACTIONS]),
          ownUserId ? or(isNull(auditLog.actorId), ne(auditLog.actorId, ownUserId)) : undefined,
          after ? lt(auditLog.seq, after.seq) : undefined,
        ),
      )
      .orderBy(desc(auditLog.seq))
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => ({ seq: Number(r.seq) }));
    const rec = await workers.workerRecord(workerId);
    const grantIds = page.items
      .map((r) => (r.detail as { grantId?: unknown } | null)?.grantId)
      .filter((g): g is string => typeof g === 'string');
    const grants = grantIds.length
      ? await db.select().from(efileGrant).where(inArray(efileGrant.id, grantIds))
      : [];
    const names = await maskedNames(page.items.map((r) => r.actorId));
    const orgsById = await orgNames([
      ...(rec?.employment.map((e) => e.companyId) ?? []),
      ...grants.map((g) => g.granteeOrgId),
    ]);
    // A company's view is attributed to the company that employed the worker at that moment.
    const employerAt = (at: Date) =>
      rec?.employment.find((e) => new Date(e.startedAt) <= at && (!e.endedAt || at < new Date(e.endedAt)))
        ?.companyId ?? null;
    return {
      items: page.items.map((r) => {
        const d = (r.detail ?? {}) as Record<string, unknown>;
        const access = typeof d.access === 'string' ? d.access : null;
        let via: 'regulator' | 'employer' | 'grant' | 'link' | 'other' = 'other';
        if (r.action === 'efile.viewed')
          via = d.via === 'partner' ? 'other' : ((d.via as 'regulator' | 'grant' | 'link') ?? 'other');
        else if (access === 'regulator') via = 'regulator';
        else if (access === 'company') via = 'employer';
        let what: 'profile' | 'id_number' | 'documents' | 'document' | 'efile' = 'profile';
        if (r.action === 'worker.pii_viewed') what = 'id_number';
        else if (r.action === 'worker.document_viewed') what = 'document';
        else if (r.action === 'efile.viewed') what = 'efile';
        else if (d.part === 'documents') what = 'documents';
        const grant = typeof d.grantId === 'string' ? grants.find((g) => g.id === d.grantId) : undefined;
        let orgId: string | null = null;
        if (via === 'employer') orgId = employerAt(r.at);
        else if (grant?.granteeOrgId) orgId = grant.granteeOrgId;
        let role: 'regulator' | 'company' | 'resident' | 'link_holder' | 'other' = 'other';
        if (via === 'regulator') role = 'regulator';
        else if (via === 'employer' || orgId) role = 'company';
        else if (via === 'grant') role = 'resident';
        else if (via === 'link') role = 'link_holder';
        return {
          id: r.id,
          at: r.at.toISOString(),
          action: r.action,
          what,
          documentKind: typeof d.kind === 'string' ? d.kind : null,
          scope: typeof d.scope === 'string' ? (d.scope as GrantScope) : null,
          via,
          grantId: grant?.id ?? null,
          viewer: {
            maskedName: r.actorId ? (names.get(r.actorId) ?? null) : null,
            role,
            // A partner system's read names the partner platform (partners module).
            orgName: orgId
              ? (orgsById.get(orgId) ?? null)
              : typeof d.partnerName === 'string'
                ? d.partnerName
                : null,
          },
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  async function activeGrantFor(userId: string, workerId: string, now: Date) {
    const [g] = await db
      .select()
      .from(efileGrant)
      .where(
        and(
          eq(efileGrant.workerId, workerId),
          eq(efileGrant.granteeUserId, userId),
          eq(efileGrant.kind, 'in_app'),
          isNull(efileGrant.revokedAt),
          gt(efileGrant.expiresAt, now),
        ),
      )
      .orderBy(desc(efileGrant.expiresAt))
      .limit(1);
    return g ?? null;
  }

  async function exportData(workerId: string) {
    const file = await ownFile(workerId);
    const rec = await loadRecord(workerId);
    const [grants, requests, deletions] = await Promise.all([
      db.select().from(efileGrant).where(eq(efileGrant.workerId, workerId)).orderBy(desc(efileGrant.id)),
      db
        .select()
        .from(efileAccessRequest)
        .where(eq(efileAccessRequest.workerId, workerId))
        .orderBy(desc(efileAccessRequest.id)),
      db
        .select()
        .from(efileDeletionRequest)
        .where(eq(efileDeletionRequest.workerId, workerId))
        .orderBy(desc(efileDeletionRequest.id)),
    ]);
    const names = await maskedNames([
      ...grants.map((g) => g.granteeUserId),
      ...requests.map((r) => r.requesterUserId),
    ]);
    const orgsById = await orgNames([
      ...grants.map((g) => g.granteeOrgId),
      ...requests.map((r) => r.requesterOrgId),
    ]);
    const log: Awaited<ReturnType<typeof accessLog>>['items'] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await accessLog(workerId, rec.profile.userId, { cursor, limit: 100 });
      log.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const now = clock();
    const more = deps.subjectRows;
    const userId = rec.profile.userId;
    const [trainingProgress, expiryReminders, demandOffers, memberships, demands] = await Promise.all([
      more?.trainingProgress(workerId) ??
        ({ enrolments: [], attendance: [], lessons: [], openAttempts: [] } satisfies TrainingProgressFacts),
      more?.expiryReminders(workerId) ?? [],
      more?.demandOffers(workerId) ?? [],
      userId && more ? more.memberships(userId) : [],
      userId && more ? more.demandsPosted(userId) : [],
    ]);
    const dealings = deps.dealings;
    const [contractRecords, feedbackRecords, messaging] = await Promise.all([
      dealings?.contracts(workerId, userId ?? null) ?? [],
      dealings?.feedback(workerId, userId ?? null) ??
        ({ reviews: [], reviewReports: [], complaints: [] } satisfies FeedbackDealingFacts),
      dealings?.messaging(workerId, userId ?? null) ??
        ({
          conversations: [],
          messages: [],
          readMarkers: [],
          blocks: [],
          reports: [],
          interviews: [],
        } satisfies MessagingFacts),
    ]);
    const programmes = deps.programmes;
    const [insuranceRecords, partnerRecords, recruitment] = await Promise.all([
      programmes?.insurance(workerId, userId ?? null) ??
        ({ policies: [], claims: [] } satisfies InsuranceFacts),
      programmes?.partners(workerId, userId ?? null) ??
        ({ consents: [], residentLinks: [] } satisfies PartnerFacts),
      programmes?.recruitment(workerId, userId ?? null) ??
        ({
          applications: [],
          savedSearches: [],
          fairRegistrations: [],
          cohort: null,
          contactConsent: null,
          postsPublished: [],
        } satisfies RecruitmentFacts),
    ]);
    return {
      format: 'anxin.worker-efile' as const,
      version: 1 as const,
      exportedAt: now.toISOString(),
      ...file,
      consents: rec.consents,
      documents: rec.documents.map((d) => ({
        ...d,
        kindLabel: kindLabel(d.kind),
        downloadPath: d.erased ? null : `/api/v1/documents/${d.id}/file`,
      })),
      grants: grants.map((g) => grantView(g, now, names, orgsById)),
      accessRequests: requests.map((r) => requestView(r, names, orgsById)),
      deletionRequests: deletions.map(deletionView),
      accessLog: log,
      trainingProgress,
      expiryReminders,
      demandOffers,
      contractRecords,
      feedbackRecords,
      messaging,
      insuranceRecords,
      partnerRecords,
      recruitment,
      account: {
        roles: rec.profile.userId && deps.account ? await deps.account.rolesOf(rec.profile.userId) : [],
        notifications:
          rec.profile.userId && deps.account ? await deps.account.notificationsOf(rec.profile.userId) : [],
        memberships,
        demands,
      },
    };
  }

  return {
    /** The worker's whole e-file (full ID number: the read is audited as a PII view by the worker). */
    async myFile(ctx: RequestContext) {
      const w = await requireMine(ctx);
      const file = await ownFile(w.id);
      return audited(
        ctx,
        w.id,
        { action: 'worker.pii_viewed', detail: { field: 'id_number', access: 'self', part: 'efile' } },
        file,
      );
    },

    /** Who viewed the worker's record, newest first (views by others only; no phone numbers). */
    async myAccessLog(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const w = await requireMine(ctx);
      return accessLog(w.id, ctx.actor!.userId, q);
    },

    /** Creates a time-limited share link; the token is returned once, only its hash is stored. */
    async createLink(ctx: RequestContext, input: { expiresInHours: number; scope: GrantScope }) {
      const w = await requireMine(ctx);
      const token = randomBytes(32).toString('base64url');
      const now = clock();
      const id = newId('egr');
      const expiresAt = new Date(now.getTime() + input.expiresInHours * 3600_000);
      await db.transaction(async (tx) => {
        await tx.insert(efileGrant).values({
          id,
          workerId: w.id,
          kind: 'link',
          scope: input.scope,
          tokenHash: hashToken(token),
          expiresAt,
          createdAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'efile.grant_created',
            objectType: 'worker',
            objectId: w.id,
            detail: { grantId: id, kind: 'link', scope: input.scope, expiresAt: expiresAt.toISOString() },
          },
          now,
        );
      });
      const [g] = await db.select().from(efileGrant).where(eq(efileGrant.id, id));
      return {
        grant: grantView(g!, now, new Map(), new Map()),
        token,
        url: `${deps.publicUrl}/shared/${token}`,
      };
    },

    /** The worker's grants (links and in-app), newest first. */
    async myGrants(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const w = await requireMine(ctx);
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(efileGrant)
        .where(and(eq(efileGrant.workerId, w.id), after ? lt(efileGrant.id, after.id) : undefined))
        .orderBy(desc(efileGrant.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (g) => ({ id: g.id }));
      const names = await maskedNames(page.items.map((g) => g.granteeUserId));
      const orgsById = await orgNames(page.items.map((g) => g.granteeOrgId));
      const now = clock();
      return {
        items: page.items.map((g) => grantView(g, now, names, orgsById)),
        nextCursor: page.nextCursor,
      };
    },

    /**
     * Recruitment: a worker applying to a post grants the recruiter's company a time-limited in-app view of the
     * e-file (scope basic), in the caller's transaction; it shows in the worker's grants and access log like any other.
     */
    async grantForApplication(
      input: { workerId: string; granteeUserId: string; granteeOrgId: string; expiresAt: Date },
      q: DbOrTx,
    ): Promise<string> {
      const id = newId('egr');
      await q.insert(efileGrant).values({
        id,
        workerId: input.workerId,
        kind: 'in_app',
        scope: 'basic',
        granteeUserId: input.granteeUserId,
        granteeOrgId: input.granteeOrgId,
        expiresAt: input.expiresAt,
        createdAt: clock(),
      });
      return id;
    },

    /** Recruitment: ends a grant made for an application that ended unhired (no-op when already revoked). */
    async revokeApplicationGrant(grantId: string, q: DbOrTx): Promise<void> {
      await q
        .update(efileGrant)
        .set({ revokedAt: clock() })
        .where(and(eq(efileGrant.id, grantId), isNull(efileGrant.revokedAt)));
    },

    /** Revokes one of the worker's grants at once (idempotent: revoking twice keeps the first time). */
    async revokeGrant(ctx: RequestContext, grantId: string) {
      const w = await requireMine(ctx);
      const now = clock();
      return db.transaction(async (tx) => {
        const [g] = await tx
          .select()
          .from(efileGrant)
          .where(and(eq(efileGrant.id, grantId), eq(efileGrant.workerId, w.id)))
          .for('update');
        if (!g) throw new AppError('NOT_FOUND');
        if (!g.revokedAt) {
          await tx.update(efileGrant).set({ revokedAt: now }).where(eq(efileGrant.id, g.id));
          await appendAudit(
            tx,
            ctx,
            {
              action: 'efile.grant_revoked',
              objectType: 'worker',
              objectId: w.id,
              detail: { grantId: g.id },
            },
            now,
          );
        }
        const [fresh] = await tx.select().from(efileGrant).where(eq(efileGrant.id, g.id));
        return grantView(fresh!, now, new Map(), new Map());
      });
    },

    /** A resident or company asks in-app to see a worker's detailed file; the worker is notified. */
    async requestAccess(
      ctx: RequestContext,
      workerId: string,
      input: { reason: string; orgId?: string | undefined },
    ) {
      const actor = ctx.actor!;
      const who = requesterOf(actor, input.orgId);
      const w = await workers.workerBasics(workerId);
      if (w?.status !== 'active' || !w.userId || w.userId === actor.userId) throw new AppError('NOT_FOUND');
      if (!who)
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'orgId', message: 'not a company you belong to' }],
        });
      const now = clock();
      const id = newId('ear');
      await db.transaction(async (tx) => {
        const [pending] = await tx
          .select({ id: efileAccessRequest.id })
          .from(efileAccessRequest)
          .where(
            and(
              eq(efileAccessRequest.workerId, w.id),
              eq(efileAccessRequest.requesterUserId, actor.userId),
              eq(efileAccessRequest.state, 'pending'),
            ),
          );
        if (pending) throw new AppError('EFILE_REQUEST_PENDING');
        await tx.insert(efileAccessRequest).values({
          id,
          workerId: w.id,
          requesterUserId: actor.userId,
          requesterOrgId: who.orgId,
          requesterKind: who.kind,
          reason: input.reason,
          state: 'pending',
          createdAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'efile.access_requested',
            objectType: 'worker',
            objectId: w.id,
            detail: { requestId: id, requesterKind: who.kind, orgId: who.orgId },
          },
          now,
        );
        await notifications.notify(
          {
            userId: w.userId,
            kind: 'efile.access_requested',
            title: '有人申请查看您的档案',
            body: `${maskName(actor.name)}${who.kind === 'company' ? '（企业）' : ''}申请查看您的电子档案，请在“分享与授权”中同意或拒绝。`,
            link: '/worker/sharing',
          },
          tx,
        );
      });
      const [r] = await db.select().from(efileAccessRequest).where(eq(efileAccessRequest.id, id));
      return requestView(r!, new Map([[actor.userId, maskName(actor.name)]]), await orgNames([who.orgId]));
    },

    /** The caller's own access state for a worker: their latest request and any active grant. */
    async myAccessTo(ctx: RequestContext, workerId: string) {
      const actor = ctx.actor!;
      const w = await workers.workerBasics(workerId);
      if (w?.status !== 'active') throw new AppError('NOT_FOUND');
      const [r] = await db
        .select()
        .from(efileAccessRequest)
        .where(
          and(eq(efileAccessRequest.workerId, w.id), eq(efileAccessRequest.requesterUserId, actor.userId)),
        )
        .orderBy(desc(efileAccessRequest.id))
        .limit(1);
      const now = clock();
      const g = await activeGrantFor(actor.userId, w.id, now);
      return {
        workerId: w.id,
        maskedName: maskName(w.name),
        request: r
          ? {
              id: r.id,
              state: r.state as 'pending' | 'approved' | 'declined' | 'closed',
              createdAt: r.createdAt.toISOString(),
            }
          : null,
        grant: g ? { id: g.id, scope: g.scope as GrantScope, expiresAt: g.expiresAt.toISOString() } : null,
      };
    },

    /** Requests to see the worker's file, pending first then newest. */
    async myAccessRequests(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const w = await requireMine(ctx);
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(efileAccessRequest)
        .where(
          and(eq(efileAccessRequest.workerId, w.id), after ? lt(efileAccessRequest.id, after.id) : undefined),
        )
        .orderBy(desc(efileAccessRequest.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      const names = await maskedNames(page.items.map((r) => r.requesterUserId));
      const orgsById = await orgNames(page.items.map((r) => r.requesterOrgId));
      return { items: page.items.map((r) => requestView(r, names, orgsById)), nextCursor: page.nextCursor };
    },

    /** The worker approves (creating a time-limited in-app grant) or declines a request; the requester is told. */
    async decide(
      ctx: RequestContext,
      requestId: string,
      input: {
        decision: 'approve' | 'decline';
        expiresInHours?: number | undefined;
        scope?: GrantScope | undefined;
      },
    ) {
      const w = await requireMine(ctx);
      const now = clock();
      const out = await db.transaction(async (tx) => {
        const [r] = await tx
          .select()
          .from(efileAccessRequest)
          .where(and(eq(efileAccessRequest.id, requestId), eq(efileAccessRequest.workerId, w.id)))
          .for('update');
        if (!r) throw new AppError('NOT_FOUND');
        if (r.state !== 'pending') throw new AppError('EFILE_REQUEST_CLOSED');
        let grantId: string | null = null;
        if (input.decision === 'approve') {
          grantId = newId('egr');
          const scope = input.scope ?? 'full';
          await tx.insert(efileGrant).values({
            id: grantId,
            workerId: w.id,
            kind: 'in_app',
            scope,
            granteeUserId: r.requesterUserId,
            granteeOrgId: r.requesterOrgId,
            accessRequestId: r.id,
            expiresAt: new Date(now.getTime() + (input.expiresInHours ?? 72) * 3600_000),
            createdAt: now,
          });
        }
        await tx
          .update(efileAccessRequest)
          .set({ state: input.decision === 'approve' ? 'approved' : 'declined', grantId, decidedAt: now })
          .where(eq(efileAccessRequest.id, r.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: input.decision === 'approve' ? 'efile.access_approved' : 'efile.access_declined',
            objectType: 'worker',
            objectId: w.id,
            detail: { requestId: r.id, grantId },
          },
          now,
        );
        const link =
          r.requesterKind === 'company' ? `/company/worker-files/${w.id}` : `/resident/workers/${w.id}`;
        await notifications.notify(
          {
            userId: r.requesterUserId,
            kind: input.decision === 'approve' ? 'efile.access_approved' : 'efile.access_declined',
            title: input.decision === 'approve' ? '服务员已同意您查看档案' : '服务员未同意您查看档案',
            body:
              input.decision === 'approve'
                ? `授权有效期至 ${new Date(now.getTime() + (input.expiresInHours ?? 72) * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}（UTC）。`
                : '您的查看申请未获同意。',
            link,
          },
          tx,
        );
        const [fresh] = await tx.select().from(efileAccessRequest).where(eq(efileAccessRequest.id, r.id));
        return fresh!;
      });
      const names = await maskedNames([out.requesterUserId]);
      return requestView(out, names, await orgNames([out.requesterOrgId]));
    },

    /** A worker's file for a regulator in jurisdiction or a holder of an active in-app grant; audited as efile.viewed. */
    async fileForViewer(ctx: RequestContext, workerId: string) {
      const actor = ctx.actor!;
      const w = await workers.workerBasics(workerId);
      const now = clock();
      let via: Via | null = null;
      let grant: GrantRow | null = null;
      if (w && w.status !== 'deleted' && w.userId !== actor.userId) {
        if (regulatorMaySee(actor, w.district)) via = 'regulator';
        else {
          grant = await activeGrantFor(actor.userId, w.id, now);
          if (grant) via = 'grant';
        }
      }
      if (!w || !via) {
        if (w)
          await recordAudit(db, ctx, {
            action: 'efile.viewed',
            outcome: 'denied',
            objectType: 'worker',
            objectId: w.id,
            detail: { reason: 'no_grant' },
          });
        throw new AppError('EFILE_GRANT_INVALID');
      }
      const scope: GrantScope = grant ? (grant.scope as GrantScope) : 'full';
      const file = await sharedFile(w.id, scope, via, grant?.expiresAt ?? null);
      return audited(
        ctx,
        w.id,
        {
          action: 'efile.viewed',
          detail: { via, grantId: grant?.id ?? null, scope, orgId: grant?.granteeOrgId ?? null },
        },
        file,
      );
    },

    /** The file behind a share-link token (valid, unexpired, unrevoked); any failure is the same 404. */
    async fileForToken(ctx: RequestContext, token: string) {
      const now = clock();
      const [g] = TOKEN_PATTERN.test(token)
        ? await db
            .select()
            .from(efileGrant)
            .where(and(eq(efileGrant.tokenHash, hashToken(token)), eq(efileGrant.kind, 'link')))
        : [];
      const w = g ? await workers.workerBasics(g.workerId) : null;
      if (!g || !w || w.status === 'deleted' || grantState(g, now) !== 'active') {
        if (g)
          await recordAudit(db, ctx, {
            action: 'efile.viewed',
            outcome: 'denied',
            objectType: 'worker',
            objectId: g.workerId,
            detail: { via: 'link', grantId: g.id, reason: grantState(g, now) },
          });
        throw new AppError('EFILE_GRANT_INVALID');
      }
      const file = await sharedFile(w.id, g.scope as GrantScope, 'link', g.expiresAt);
      return audited(
        ctx,
        w.id,
        { action: 'efile.viewed', detail: { via: 'link', grantId: g.id, scope: g.scope } },
        file,
      );
    },

    /** A worker's shared file for a partner system holding the worker's consent (checked by the partners module); logged in the worker's access log. */
    async fileForPartner(
      ctx: RequestContext,
      workerId: string,
      grant: { consentId: string; scope: GrantScope; expiresAt: Date; partnerName: string },
    ) {
      const w = await workers.workerBasics(workerId);
      if (!w || w.status === 'deleted') throw new AppError('NOT_FOUND');
      const file = await sharedFile(w.id, grant.scope, 'grant', grant.expiresAt);
      const detail = {
        via: 'partner',
        consentId: grant.consentId,
        scope: grant.scope,
        partnerName: grant.partnerName,
      };
      return audited(ctx, w.id, { action: 'efile.viewed', detail }, file);
    },

    /** Everything the platform holds about the worker, machine-readable; audited as efile.exported. */
    async exportJson(ctx: RequestContext) {
      const w = await requireMine(ctx);
      const data = await exportData(w.id);
      return audited(ctx, w.id, { action: 'efile.exported', detail: { format: 'json' } }, data);
    },

    /** The same record as a readable Chinese PDF with page numbers; audited as efile.exported. */
    async exportPdf(ctx: RequestContext) {
      const w = await requireMine(ctx);
      const data = await exportData(w.id);
      const pdf = await renderEfilePdf({
        title: '安心家政 · 服务员电子档案',
        subtitle: `${data.profile.name} · 导出时间 ${shanghaiDay(clock())}（北京时间） · 本文件含身份证号等敏感信息，请妥善保管`,
        sections: efilePdfSections(data),
      });
      return audited(
        ctx,
        w.id,
        { action: 'efile.exported', detail: { format: 'pdf', bytes: pdf.length } },
        pdf,
      );
    },

    /** The worker asks for deletion of what the law allows; answered within 15 working days. */
    async requestDeletion(ctx: RequestContext, input: { reason: string }) {
      const w = await requireMine(ctx);
      const now = clock();
      const id = newId('edr');
      await db.transaction(async (tx) => {
        // One open request per worker, even under concurrent submissions.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`efile.deletion:${w.id}`}))`);
        const [open] = await tx
          .select({ id: efileDeletionRequest.id })
          .from(efileDeletionRequest)
          .where(and(eq(efileDeletionRequest.workerId, w.id), eq(efileDeletionRequest.state, 'pending')));
        if (open) throw new AppError('EFILE_DELETION_PENDING');
        await tx.insert(efileDeletionRequest).values({
          id,
          workerId: w.id,
          requestedBy: ctx.actor!.userId,
          reason: input.reason,
          state: 'pending',
          dueOn: addWorkingDays(shanghaiDay(now), DELETION_WORKING_DAYS),
          createdAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'efile.deletion_requested',
            objectType: 'worker',
            objectId: w.id,
            detail: { requestId: id },
          },
          now,
        );
      });
      const [row] = await db.select().from(efileDeletionRequest).where(eq(efileDeletionRequest.id, id));
      return deletionView(row!);
    },

    /** The worker's deletion requests, newest first. */
    async myDeletionRequests(ctx: RequestContext) {
      const w = await requireMine(ctx);
      const rows = await db
        .select()
        .from(efileDeletionRequest)
        .where(eq(efileDeletionRequest.workerId, w.id))
        .orderBy(desc(efileDeletionRequest.id));
      return { items: rows.map(deletionView) };
    },

    /** Deletion requests for platform admins (pending by default), oldest first so the nearest deadline leads. */
    async adminDeletionRequests(
      _ctx: RequestContext,
      q: {
        state?: 'pending' | 'completed' | 'refused' | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(efileDeletionRequest)
        .where(
          and(
            eq(efileDeletionRequest.state, q.state ?? 'pending'),
            after ? gt(efileDeletionRequest.id, after.id) : undefined,
          ),
        )
        .orderBy(efileDeletionRequest.id)
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      const today = shanghaiDay(clock());
      const items = [];
      for (const r of page.items) {
        const w = await workers.workerBasics(r.workerId);
        items.push({
          ...deletionView(r),
          workerMaskedName: w ? maskName(w.name) : null,
          overdue: r.state === 'pending' && r.dueOn < today,
        });
      }
      return { items, nextCursor: page.nextCursor };
    },

    /**
     * Completes a deletion request. ERASED: the encrypted ID number and its keyed hash, the phone (cipher and
     * hash), the photo file, every document file (deleted from storage) and document numbers, the free-text
     * introduction; open grants are revoked, pending access requests closed, an open employment ended and the
     * consent withdrawn; the worker is marked 'deleted' and disappears from every list and view.
     * KEPT (legal retention; 家政服务条例 and MOFCOM credit-record rules require the history that backs an
     * issued 安心服务证): name, birth date and sex, certificates and their history, document review states,
     * background-check results, training results, employment periods, and the audit log (append-only, never
     * personal data beyond ids).
     */
    async completeDeletion(ctx: RequestContext, requestId: string, input: { note?: string | undefined }) {
      const now = clock();
      const { row, fileKeys } = await db.transaction(async (tx) => {
        const [r] = await tx
          .select()
          .from(efileDeletionRequest)
          .where(eq(efileDeletionRequest.id, requestId))
          .for('update');
        if (!r) throw new AppError('NOT_FOUND');
        if (r.state !== 'pending') throw new AppError('EFILE_DELETION_CLOSED');
        const keys = await workers.eraseWorkerPersonalData(tx, r.workerId, now);
        const revoked = await tx
          .update(efileGrant)
          .set({ revokedAt: now })
          .where(and(eq(efileGrant.workerId, r.workerId), isNull(efileGrant.revokedAt)))
          .returning({ id: efileGrant.id });
        await tx
          .update(efileAccessRequest)
          .set({ state: 'closed', decidedAt: now })
          .where(and(eq(efileAccessRequest.workerId, r.workerId), eq(efileAccessRequest.state, 'pending')));
        await tx
          .update(efileDeletionRequest)
          .set({
            state: 'completed',
            decidedBy: ctx.actor!.userId,
            decidedAt: now,
            decisionReason: input.note ?? null,
          })
          .where(eq(efileDeletionRequest.id, r.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'efile.deletion_completed',
            objectType: 'worker',
            objectId: r.workerId,
            detail: {
              requestId: r.id,
              erased: ['id_number', 'phone', 'photo', 'document_files', 'document_numbers', 'intro'],
              files: keys.length,
              grantsRevoked: revoked.length,
            },
          },
          now,
        );
        const [fresh] = await tx.select().from(efileDeletionRequest).where(eq(efileDeletionRequest.id, r.id));
        return { row: fresh!, fileKeys: keys };
      });
      // Files go after the commit: a rolled-back erasure must not have lost them. A failed delete is retried by
      // completing nothing twice; the keys are already unlinked from every row, so they are unreachable.
      for (const key of fileKeys) await deps.storage.delete(key).catch(() => undefined);
      return deletionView(row);
    },

    /** Refuses a deletion request with a reason; the worker is told. */
    async refuseDeletion(ctx: RequestContext, requestId: string, input: { reason: string }) {
      const now = clock();
      const [target] = await db
        .select({ workerId: efileDeletionRequest.workerId })
        .from(efileDeletionRequest)
        .where(eq(efileDeletionRequest.id, requestId));
      const w = target ? await workers.workerBasics(target.workerId) : null;
      const row = await db.transaction(async (tx) => {
        const [r] = await tx
          .select()
          .from(efileDeletionRequest)
          .where(eq(efileDeletionRequest.id, requestId))
          .for('update');
        if (!r) throw new AppError('NOT_FOUND');
        if (r.state !== 'pending') throw new AppError('EFILE_DELETION_CLOSED');
        await tx
          .update(efileDeletionRequest)
          .set({
            state: 'refused',
            decidedBy: ctx.actor!.userId,
            decidedAt: now,
            decisionReason: input.reason,
          })
          .where(eq(efileDeletionRequest.id, r.id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'efile.deletion_refused',
            objectType: 'worker',
            objectId: r.workerId,
            detail: { requestId: r.id },
          },
          now,
        );
        if (w?.userId)
          await notifications.notify(
            {
              userId: w.userId,
              kind: 'efile.deletion_refused',
              title: '您的删除申请未获同意',
              body: `原因：${input.reason}`,
              link: '/worker/file',
            },
            tx,
          );
        const [fresh] = await tx.select().from(efileDeletionRequest).where(eq(efileDeletionRequest.id, r.id));
        return fresh!;
      });
      return deletionView(row);
    },
  };
}

export type EfileService = ReturnType<typeof createEfileService>;

/** Everything the export holds about the worker (the JSON export's body; the PDF prints the same). */
export type EfileExport = Awaited<ReturnType<ReturnType<typeof createEfileService>['exportJson']>>;
