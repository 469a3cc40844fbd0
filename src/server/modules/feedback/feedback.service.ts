import { and, asc, desc, eq, inArray, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { maskName } from '../../../shared/validators/index.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { hasRole, orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { enqueueEvent } from '../../platform/outbox/outbox.js';
import { type FileStorage, inspectUpload, prepareUpload } from '../../platform/storage/index.js';
import type { NotificationsService } from '../notifications/index.js';
import {
  availableComplaintActions,
  type ComplaintAction,
  type ComplaintParty,
  type ComplaintState,
  transitionComplaint,
} from './complaint-status.js';
import { type FeedbackStats, type RatedSubject, statsFor, statsSql } from './feedback.stats.js';
import { complaint, complaintEvent, type FeedbackFile, review, reviewReport } from './feedback.tables.js';
import { fraudSignal, overallOf, ratingsValid, type ReviewSide, reviewRefusal } from './review-rules.js';

export type ReviewRow = typeof review.$inferSelect;
export type ComplaintRow = typeof complaint.$inferSelect;

export interface ReviewEventPayload {
  reviewId: string;
  orderId: string;
  workerId: string | null;
  companyId: string | null;
  employerUserId: string | null;
}
export interface FeedbackEvents {
  'feedback.review_published': ReviewEventPayload;
  'feedback.review_removed': ReviewEventPayload;
  'feedback.complaint_decided': {
    complaintId: string;
    workerId: string | null;
    companyId: string | null;
    outcome: 'upheld' | 'rejected';
  };
  'feedback.complaint_escalated': { complaintId: string; companyId: string | null };
}

/** Order facts feedback checks (orders.reviewFacts). */
export interface OrderFacts {
  id: string;
  number: string;
  state: string;
  residentUserId: string;
  companyId: string;
  workerId: string | null;
  completedAt: Date | null;
  contractRef: string | null;
  district: string;
}

export interface FeedbackDeps {
  db: Db;
  clock: () => Date;
  storage: FileStorage;
  settings: { complaintResponseHours: number; reviewWindowDays: number; appealWindowDays: number };
  orders: { reviewFacts(orderId: string): Promise<OrderFacts | null> };
  workers: {
    findWorkerIdByUser(userId: string): Promise<string | null>;
    namesOf(workerIds: string[]): Promise<Map<string, string>>;
    trustFacts(
      workerId: string,
    ): Promise<{ userId: string | null; companyId: string | null; district: string | null } | null>;
  };
  orgs: {
    getOrganization(
      id: string,
    ): Promise<{ id: string; type: string; name: string; district: string | null } | null>;
  };
  profilesOf: (userIds: string[]) => Promise<{ id: string; name: string }[]>;
  notifications: Pick<NotificationsService, 'notify'>;
  /** The worker's current certificate and the regulator's suspend/revoke path (certification). */
  certificates: {
    currentOf(workerId: string): Promise<string | null>;
    suspend(ctx: RequestContext, certificateId: string, reason: string): Promise<unknown>;
    revoke(ctx: RequestContext, certificateId: string, reason: string): Promise<unknown>;
  };
}

export const residentComplaintCategories = [
  'service_quality',
  'late_or_absent',
  'attitude',
  'damage_or_theft',
  'overcharge',
  'contract_breach',
  'other',
] as const;
export const workerComplaintCategories = [
  'unpaid_wages',
  'id_card_withheld',
  'mistreatment',
  'unsafe_conditions',
  'contract_breach',
  'other',
] as const;
export const complaintCategories = [
  ...new Set([...residentComplaintCategories, ...workerComplaintCategories]),
] as readonly string[];

export interface NewReviewInput {
  orderId: string;
  ratings: Record<string, number>;
  text: string;
  photoIds?: string[] | undefined;
}

export interface NewComplaintInput {
  orderId?: string | null | undefined;
  companyId?: string | null | undefined;
  subject: 'worker' | 'company' | 'employer';
  category: string;
  description: string;
  evidenceIds?: string[] | undefined;
}

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const HOUR = 3600_000;
const DAY = 86_400_000;

const complaintErrors = {
  invalid_transition: 'COMPLAINT_INVALID_TRANSITION',
  not_your_step: 'COMPLAINT_NOT_YOUR_STEP',
  reason_required: 'COMPLAINT_REASON_REQUIRED',
  already_appealed: 'COMPLAINT_ALREADY_APPEALED',
} as const;

const stateZh: Record<ComplaintState, string> = {
  filed: '待企业回应',
  responded: '企业已回应',
  escalated: '已升级至监管部门',
  investigating: '调查中',
  upheld: '投诉成立',
  rejected: '投诉不成立',
  closed: '已结案',
  withdrawn: '已撤回',
};

/** Reviews (评价) and complaints (投诉): the rules, the complaint workflow with its SLA, and credit's figures. */
export function createFeedbackService(deps: FeedbackDeps) {
  const { db, clock, storage, settings, notifications } = deps;

  // Helpers ---------------------------------------------------------------------------------------------------

  const fileKey = (userId: string, fileId: string) => `feedback/${userId.toLowerCase()}/${fileId}`;

  /** Resolves upload ids to the caller's stored files; anything else is refused before anything is stored. */
  async function ownFiles(userId: string, ids: string[] | undefined): Promise<FeedbackFile[]> {
    const out: FeedbackFile[] = [];
    for (const fileId of [...new Set(ids ?? [])]) {
      if (!/^fil_[0-9a-z]{26}$/.test(fileId)) throw new AppError('FEEDBACK_FILE_INVALID');
      const key = fileKey(userId, fileId);
      if (!(await storage.exists(key))) throw new AppError('FEEDBACK_FILE_INVALID');
      const inspected = await inspectUpload(await storage.get(key), {
        allowed: ['image/jpeg', 'image/png', 'application/pdf'],
        maxBytes: MAX_UPLOAD_BYTES,
      });
      out.push({
        fileId,
        name: `${fileId}.${inspected.ext}`,
        contentType: inspected.mime,
        size: inspected.size,
      });
    }
    return out;
  }

  async function ownWorkerId(ctx: RequestContext): Promise<string | null> {
    return ctx.actor?.roles.includes('worker') ? deps.workers.findWorkerIdByUser(ctx.actor.userId) : null;
  }

  const regulatorSees = (ctx: RequestContext, district: string) =>
    hasRole(ctx.actor, 'regulator') &&
    (!ctx.actor!.regulatorDistrict || district.startsWith(ctx.actor!.regulatorDistrict));

  async function names(rows: { workerId: string | null; companyId: string | null }[]) {
    const workerNames = await deps.workers.namesOf(rows.flatMap((r) => (r.workerId ? [r.workerId] : [])));
    const companyNames = new Map<string, string>();
    for (const id of new Set(rows.flatMap((r) => (r.companyId ? [r.companyId] : [])))) {
      const o = await deps.orgs.getOrganization(id).catch(() => null);
      if (o) companyNames.set(id, o.name);
    }
    return { workerNames, companyNames };
  }

  async function userNames(ids: (string | null)[]): Promise<Map<string, string>> {
    const list = [...new Set(ids.filter((x): x is string => !!x))];
    return new Map((await deps.profilesOf(list)).map((p) => [p.id, p.name]));
  }

  function reviewPayload(r: ReviewRow): ReviewEventPayload {
    return {
      reviewId: r.id,
      orderId: r.orderId,
      workerId: r.workerId,
      companyId: r.companyId,
      employerUserId: r.employerUserId,
    };
  }

  async function reviewViews(rows: ReviewRow[]) {
    const n = await names(rows);
    const users = await userNames(rows.flatMap((r) => [r.authorUserId, r.employerUserId]));
    return rows.map((r) => ({
      id: r.id,
      side: r.side as ReviewSide,
      orderNumber: r.orderNumber,
      // Shown as proof the review comes from a real order (and its contract, once contracts records one).
      verifiedOrder: true,
      contractId: r.contractId,
      ratings: r.ratings,
      overall: r.overall,
      text: r.text,
      photos: r.photos.map((p) => ({ fileId: p.fileId, contentType: p.contentType })),
      state: r.state as 'published' | 'flagged' | 'hidden',
      flagReason: r.flagReason,
      moderationReason: r.moderationReason,
      authorRole: r.authorRole,
      authorName: maskName(users.get(r.authorUserId) ?? '匿名'),
      worker: r.workerId ? { id: r.workerId, name: maskName(n.workerNames.get(r.workerId) ?? '') } : null,
      company: r.companyId ? { id: r.companyId, name: n.companyNames.get(r.companyId) ?? '' } : null,
      employerName: r.employerUserId ? maskName(users.get(r.employerUserId) ?? '') : null,
      reply: r.replyText ? { text: r.replyText, at: r.repliedAt!.toISOString() } : null,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async function reviewPage(where: SQL | undefined, q: { cursor?: string | undefined; limit: number }) {
    const c = decodeCursor(q.cursor, idCursor);
    const rows = await db
      .select()
      .from(review)
      .where(and(where, c ? lt(review.id, c.id) : undefined))
      .orderBy(desc(review.id))
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
    return { items: await reviewViews(page.items), nextCursor: page.nextCursor };
  }

  /** Who the caller is towards a review's subject: may they reply to it? */
  async function isReviewed(ctx: RequestContext, r: ReviewRow): Promise<boolean> {
    if (!ctx.actor) return false;
    if (r.side === 'provider') return r.employerUserId === ctx.actor.userId;
    if (r.companyId && orgIdsOf(ctx.actor, 'company').includes(r.companyId)) return true;
    const wid = await ownWorkerId(ctx);
    return !!wid && wid === r.workerId;
  }

  // Complaints helpers ---------------------------------------------------------------------------------------------

  async function partyOf(ctx: RequestContext, c: ComplaintRow): Promise<ComplaintParty | 'subject' | null> {
    const a = ctx.actor;
    if (!a) return null;
    if (c.complainantUserId === a.userId) return 'complainant';
    if (c.companyId && orgIdsOf(a, 'company').includes(c.companyId)) return 'company';
    if (regulatorSees(ctx, c.district)) return 'regulator';
    const wid = await ownWorkerId(ctx);
    if (wid && c.workerId === wid) return 'subject';
    if (c.employerUserId === a.userId) return 'subject';
    return null;
  }

  async function complaintVisible(ctx: RequestContext, id: string) {
    const [c] = await db.select().from(complaint).where(eq(complaint.id, id)).limit(1);
    if (!c) throw new AppError('NOT_FOUND');
    const party = await partyOf(ctx, c);
    if (!party) throw new AppError('NOT_FOUND');
    return { c, party };
  }

  async function complaintViews(rows: ComplaintRow[], party: ComplaintParty | 'subject', now: Date) {
    const n = await names(rows);
    const users = await userNames(rows.flatMap((r) => [r.complainantUserId, r.employerUserId]));
    return rows.map((c) => ({
      id: c.id,
      state: c.state as ComplaintState,
      complainantRole: c.complainantRole as 'resident' | 'worker',
      complainantName:
        party === 'complainant'
          ? (users.get(c.complainantUserId) ?? '')
          : maskName(users.get(c.complainantUserId) ?? ''),
      orderId: c.orderId,
      orderNumber: c.orderNumber,
      subjectType: c.subjectType as 'worker' | 'company' | 'employer',
      worker: c.workerId ? { id: c.workerId, name: maskName(n.workerNames.get(c.workerId) ?? '') } : null,
      company: c.companyId ? { id: c.companyId, name: n.companyNames.get(c.companyId) ?? '' } : null,
      employerName: c.employerUserId ? maskName(users.get(c.employerUserId) ?? '') : null,
      category: c.category,
      description: c.description,
      district: c.district,
      filedAt: c.filedAt.toISOString(),
      respondBy: c.respondBy.toISOString(),
      /** Milliseconds left to respond (negative: overdue); null once answered or escalated. */
      slaRemainingMs: c.state === 'filed' ? c.respondBy.getTime() - now.getTime() : null,
      respondedAt: c.respondedAt?.toISOString() ?? null,
      response: c.response,
      escalatedAt: c.escalatedAt?.toISOString() ?? null,
      escalatedBy: c.escalatedBy,
      outcome: c.outcome as 'upheld' | 'rejected' | null,
      decisionReason: c.decisionReason,
      decidedAt: c.decidedAt?.toISOString() ?? null,
      certificateAction: c.certificateAction,
      appealedAt: c.appealedAt?.toISOString() ?? null,
      appealReason: c.appealReason,
      closedAt: c.closedAt?.toISOString() ?? null,
      evidence: c.evidence.map((e) => ({ fileId: e.fileId, contentType: e.contentType })),
    }));
  }

  async function tellComplaint(c: ComplaintRow, action: string) {
    const title = `投诉进展：${stateZh[c.state as ComplaintState]}`;
    const body = c.orderNumber ? `订单 ${c.orderNumber} 的投诉 (${action})` : `投诉 (${action})`;
    const base = c.complainantRole === 'worker' ? '/worker/feedback' : '/resident/feedback';
    await notifications.notify({
      userId: c.complainantUserId,
      kind: `complaint.${action}`,
      title,
      body,
      link: base,
    });
    if (c.companyId)
      await notifications.notify({
        orgId: c.companyId,
        kind: `complaint.${action}`,
        title,
        body,
        link: '/company/complaints',
      });
    if (c.workerId && ['uphold', 'reject', 'filed'].includes(action)) {
      const f = await deps.workers.trustFacts(c.workerId);
      if (f?.userId)
        await notifications.notify({
          userId: f.userId,
          kind: `complaint.${action}`,
          title,
          body,
          link: '/worker/feedback',
        });
    }
  }

  /**
   * One workflow step under a row lock: the transition table decides, `patch` adds what the step records, and the
   * event row, audit row and outbox events commit together; notices go out after the commit.
   */
  async function step(
    ctx: RequestContext,
    id: string,
    action: ComplaintAction,
    party: ComplaintParty,
    reason: string | null,
    patch: (c: ComplaintRow, now: Date) => Partial<ComplaintRow> = () => ({}),
  ): Promise<ComplaintRow> {
    const updated = await db.transaction(async (tx) => {
      const [c] = await tx.select().from(complaint).where(eq(complaint.id, id)).for('update');
      if (!c) throw new AppError('NOT_FOUND');
      const t = transitionComplaint({
        from: c.state as ComplaintState,
        action,
        by: party,
        appealed: !!c.appealedAt,
        reason,
      });
      if (!t.ok) throw new AppError(complaintErrors[t.error]);
      const now = clock();
      const [row] = await tx
        .update(complaint)
        .set({ ...patch(c, now), state: t.to, updatedAt: now })
        .where(eq(complaint.id, c.id))
        .returning();
      await tx.insert(complaintEvent).values({
        id: newId('cme'),
        complaintId: c.id,
        action,
        fromState: c.state,
        toState: t.to,
        party,
        actorId: ctx.actor?.userId ?? null,
        note: reason?.trim() || null,
        at: now,
      });
      await appendAudit(
        tx,
        ctx,
        {
          action: `complaint.${action}`,
          objectType: 'complaint',
          objectId: c.id,
          detail: { from: c.state, to: t.to, party },
        },
        now,
      );
      if (t.to === 'escalated')
        await enqueueEvent<FeedbackEvents>(tx, {
          topic: 'feedback.complaint_escalated',
          payload: { complaintId: c.id, companyId: c.companyId },
        });
      if (t.to === 'upheld' || t.to === 'rejected')
        await enqueueEvent<FeedbackEvents>(tx, {
          topic: 'feedback.complaint_decided',
          payload: { complaintId: c.id, workerId: c.workerId, companyId: c.companyId, outcome: t.to },
        });
      return row!;
    });
    await tellComplaint(updated, action);
    return updated;
  }

  async function complaintPage(
    where: SQL | undefined,
    q: { cursor?: string | undefined; limit: number; state?: ComplaintState | undefined },
    party: ComplaintParty | 'subject',
  ) {
    const c = decodeCursor(q.cursor, idCursor);
    const rows = await db
      .select()
      .from(complaint)
      .where(
        and(
          where,
          q.state ? eq(complaint.state, q.state) : undefined,
          c ? lt(complaint.id, c.id) : undefined,
        ),
      )
      .orderBy(desc(complaint.id))
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
    return { items: await complaintViews(page.items, party, clock()), nextCursor: page.nextCursor };
  }

  const service = {
    // Credit's figures -----------------------------------------------------------------------------------------

    /** Every subject's review and complaint figures as one SQL subquery, for credit's nightly recompute. */
    statsSql(asOf: Date): SQL {
      return statsSql(asOf);
    },

    /** One subject's figures (same definitions as its statsSql row), for event-driven updates. */
    statsFor(subject: RatedSubject, asOf: Date): Promise<FeedbackStats> {
      return statsFor(db, subject, asOf);
    },

    // Files --------------------------------------------------------------------------------------------------------

    /** Stores a photo or evidence file (JPEG, PNG or PDF by content) for the caller to attach; returns its id. */
    async upload(ctx: RequestContext, file: { data: Buffer; filename?: string }) {
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      // Photos are stored without their metadata (EXIF GPS, XMP, text chunks); a damaged one is refused.
      const inspected = await prepareUpload(file.data, {
        allowed: ['image/jpeg', 'image/png', 'application/pdf'],
        maxBytes: MAX_UPLOAD_BYTES,
      });
      const fileId = newId('fil');
      await storage.put(fileKey(ctx.actor.userId, fileId), inspected.data);
      // The upload is a change of its own (the file is kept, attached or not): audited with its kind and size.
      await appendAudit(db, ctx, {
        action: 'feedback.file_uploaded',
        objectType: 'file',
        objectId: fileId,
        detail: { contentType: inspected.mime, size: inspected.size },
      });
      return { fileId, contentType: inspected.mime, size: inspected.size };
    },

    /** A photo of a published review (anyone) or evidence of a complaint the caller may see. */
    async file(ctx: RequestContext, fileId: string): Promise<{ data: Buffer; contentType: string }> {
      const probe = JSON.stringify([{ fileId }]);
      const [r] = await db.select().from(review).where(sql`${review.photos} @> ${probe}::jsonb`).limit(1);
      if (r) {
        const mayModerate = regulatorSees(ctx, r.district);
        if (r.state !== 'published' && !mayModerate && r.authorUserId !== ctx.actor?.userId)
          throw new AppError('NOT_FOUND');
        const f = r.photos.find((p) => p.fileId === fileId)!;
        return { data: await storage.get(fileKey(r.authorUserId, fileId)), contentType: f.contentType };
      }
      const [c] = await db
        .select()
        .from(complaint)
        .where(sql`${complaint.evidence} @> ${probe}::jsonb`)
        .limit(1);
      if (!c || !(await partyOf(ctx, c))) throw new AppError('NOT_FOUND');
      const f = c.evidence.find((p) => p.fileId === fileId)!;
      return { data: await storage.get(fileKey(c.complainantUserId, fileId)), contentType: f.contentType };
    },

    // Reviews ------------------------------------------------------------------------------------------------------

    /** Reviews a completed order the caller took part in: residents rate the service, providers the employer. */
    async createReview(ctx: RequestContext, input: NewReviewInput) {
      const a = ctx.actor;
      if (!a) throw new AppError('UNAUTHENTICATED');
      const o = await deps.orders.reviewFacts(input.orderId);
      if (!o) throw new AppError('FEEDBACK_ORDER_NOT_YOURS');
      let side: ReviewSide;
      let authorRole: 'resident' | 'worker' | 'company';
      if (o.residentUserId === a.userId) {
        side = 'resident';
        authorRole = 'resident';
      } else if (orgIdsOf(a, 'company').includes(o.companyId)) {
        side = 'provider';
        authorRole = 'company';
      } else {
        const wid = await ownWorkerId(ctx);
        if (!wid || wid !== o.workerId) throw new AppError('FEEDBACK_ORDER_NOT_YOURS');
        side = 'provider';
        authorRole = 'worker';
      }
      if (!ratingsValid(side, input.ratings)) throw new AppError('REVIEW_RATINGS_INVALID');
      const now = clock();
      const refusal = reviewRefusal(o, now, settings.reviewWindowDays);
      if (refusal) throw new AppError(refusal);
      const photos = await ownFiles(a.userId, input.photoIds);
      const row = await db.transaction(async (tx) => {
        const [dup] = await tx
          .select({ id: review.id })
          .from(review)
          .where(and(eq(review.orderId, o.id), eq(review.side, side)))
          .limit(1);
        if (dup) throw new AppError('REVIEW_ALREADY_EXISTS');
        const [counts] = await tx
          .select({
            day: sql<number>`count(*) filter (where ${review.createdAt} > ${new Date(now.getTime() - DAY)})`.mapWith(
              Number,
            ),
            sameCompany:
              sql<number>`count(*) filter (where ${review.companyId} = ${o.companyId} and ${review.createdAt} > ${new Date(now.getTime() - 30 * DAY)})`.mapWith(
                Number,
              ),
          })
          .from(review)
          .where(eq(review.authorUserId, a.userId));
        const flag =
          side === 'resident'
            ? fraudSignal({ byAuthorLast24h: counts?.day ?? 0, sameCompanyLast30d: counts?.sameCompany ?? 0 })
            : fraudSignal({ byAuthorLast24h: counts?.day ?? 0, sameCompanyLast30d: 0 });
        const id = newId('rev');
        const [r] = await tx
          .insert(review)
          .values({
            id,
            orderId: o.id,
            orderNumber: o.number,
            contractId: o.contractRef?.startsWith('ctr_') ? o.contractRef : null,
            side,
            authorUserId: a.userId,
            authorRole,
            workerId: side === 'resident' ? o.workerId : null,
            companyId: side === 'resident' ? o.companyId : null,
            employerUserId: side === 'provider' ? o.residentUserId : null,
            ratings: input.ratings,
            overall: overallOf(input.ratings),
            text: input.text,
            photos,
            state: flag ? 'flagged' : 'published',
            flagReason: flag,
            district: o.district,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing()
          .returning();
        // A concurrent second review of the same order and side lost the race on the unique index.
        if (!r) throw new AppError('REVIEW_ALREADY_EXISTS');
        await appendAudit(
          tx,
          ctx,
          {
            action: 'review.create',
            objectType: 'review',
            objectId: id,
            detail: { orderId: o.id, side, flag },
          },
          now,
        );
        if (!flag)
          await enqueueEvent<FeedbackEvents>(tx, {
            topic: 'feedback.review_published',
            payload: reviewPayload(r),
          });
        return r;
      });
      if (side === 'resident')
        await notifications.notify({
          orgId: o.companyId,
          kind: 'review.created',
          title: `订单 ${o.number} 收到新评价`,
          body: `综合评分 ${row.overall}`,
          link: '/company/complaints',
        });
      return (await reviewViews([row]))[0]!;
    },

    /** Published reviews of a worker (public, with the verified-order badge). */
    listForWorker(workerId: string, q: { cursor?: string | undefined; limit: number }) {
      return reviewPage(
        and(eq(review.workerId, workerId), eq(review.state, 'published'), eq(review.side, 'resident')),
        q,
      );
    },

    /** Published reviews of a company (public). */
    listForCompany(companyId: string, q: { cursor?: string | undefined; limit: number }) {
      return reviewPage(
        and(eq(review.companyId, companyId), eq(review.state, 'published'), eq(review.side, 'resident')),
        q,
      );
    },

    /** Reviews the caller wrote, and reviews about them (as worker, company member or employer). */
    async listMine(
      ctx: RequestContext,
      q: { about?: boolean | undefined; cursor?: string | undefined; limit: number },
    ) {
      const a = ctx.actor;
      if (!a) throw new AppError('UNAUTHENTICATED');
      if (!q.about) return reviewPage(eq(review.authorUserId, a.userId), q);
      const wid = await ownWorkerId(ctx);
      const companies = orgIdsOf(a, 'company');
      return reviewPage(
        and(
          ne(review.state, 'flagged'),
          or(
            eq(review.employerUserId, a.userId),
            wid ? and(eq(review.workerId, wid), eq(review.side, 'resident')) : undefined,
            companies.length
              ? and(inArray(review.companyId, companies), eq(review.side, 'resident'))
              : undefined,
          ),
        ),
        q,
      );
    },

    /** The reviews of one order the caller took part in (both sides) and whether the caller may still write one. */
    async forOrder(ctx: RequestContext, orderId: string) {
      const a = ctx.actor;
      if (!a) throw new AppError('UNAUTHENTICATED');
      const o = await deps.orders.reviewFacts(orderId);
      if (!o) throw new AppError('FEEDBACK_ORDER_NOT_YOURS');
      const wid = await ownWorkerId(ctx);
      const side: ReviewSide | null =
        o.residentUserId === a.userId
          ? 'resident'
          : orgIdsOf(a, 'company').includes(o.companyId) || (wid && wid === o.workerId)
            ? 'provider'
            : null;
      if (!side) throw new AppError('FEEDBACK_ORDER_NOT_YOURS');
      const rows = await db.select().from(review).where(eq(review.orderId, orderId)).orderBy(asc(review.id));
      const refusal = reviewRefusal(o, clock(), settings.reviewWindowDays);
      return {
        side,
        canReview: !refusal && !rows.some((r) => r.side === side),
        refusal: rows.some((r) => r.side === side) ? 'REVIEW_ALREADY_EXISTS' : refusal,
        windowEndsAt: o.completedAt
          ? new Date(o.completedAt.getTime() + settings.reviewWindowDays * DAY).toISOString()
          : null,
        reviews: await reviewViews(
          rows.filter((r) => r.state === 'published' || r.authorUserId === a.userId),
        ),
      };
    },

    /** The reviewed party answers a review once (公开回复). */
    async reply(ctx: RequestContext, reviewId: string, text: string) {
      const [r] = await db.select().from(review).where(eq(review.id, reviewId)).limit(1);
      if (!r || (r.state !== 'published' && r.authorUserId !== ctx.actor?.userId))
        throw new AppError('NOT_FOUND');
      if (!(await isReviewed(ctx, r)) || r.replyText) throw new AppError('REVIEW_REPLY_NOT_ALLOWED');
      const row = await db.transaction(async (tx) => {
        const now = clock();
        const [u] = await tx
          .update(review)
          .set({ replyText: text, replyBy: ctx.actor!.userId, repliedAt: now, updatedAt: now })
          .where(and(eq(review.id, r.id), sql`${review.replyText} is null`))
          .returning();
        if (!u) throw new AppError('REVIEW_REPLY_NOT_ALLOWED');
        await appendAudit(tx, ctx, { action: 'review.reply', objectType: 'review', objectId: r.id }, now);
        return u;
      });
      return (await reviewViews([row]))[0]!;
    },

    /** Reports an abusive review for the regulator (举报), once per person. */
    async report(ctx: RequestContext, reviewId: string, reason: string) {
      const a = ctx.actor;
      if (!a) throw new AppError('UNAUTHENTICATED');
      const [r] = await db.select().from(review).where(eq(review.id, reviewId)).limit(1);
      if (r?.state !== 'published') throw new AppError('NOT_FOUND');
      return db.transaction(async (tx) => {
        const now = clock();
        const id = newId('rrp');
        const [row] = await tx
          .insert(reviewReport)
          .values({ id, reviewId, reporterUserId: a.userId, reason, state: 'open', createdAt: now })
          .onConflictDoNothing()
          .returning();
        if (!row) throw new AppError('REVIEW_ALREADY_REPORTED');
        await appendAudit(
          tx,
          ctx,
          { action: 'review.report', objectType: 'review', objectId: reviewId, detail: { reportId: id } },
          now,
        );
        return { id, state: 'open' as const };
      });
    },

    /** The regulator's moderation queue: flagged reviews and reviews with open reports in their district. */
    async moderationQueue(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const d = ctx.actor?.regulatorDistrict ?? null;
      const reported = db
        .select({ id: reviewReport.reviewId })
        .from(reviewReport)
        .where(eq(reviewReport.state, 'open'));
      const page = await reviewPage(
        and(
          d ? sql`${review.district} like ${`${d}%`}` : undefined,
          or(eq(review.state, 'flagged'), and(eq(review.state, 'published'), inArray(review.id, reported))),
        ),
        q,
      );
      const ids = page.items.map((i) => i.id);
      const reports = ids.length
        ? await db
            .select()
            .from(reviewReport)
            .where(and(inArray(reviewReport.reviewId, ids), eq(reviewReport.state, 'open')))
        : [];
      return {
        items: page.items.map((i) => ({
          ...i,
          reports: reports
            .filter((r) => r.reviewId === i.id)
            .map((r) => ({ id: r.id, reason: r.reason, at: r.createdAt.toISOString() })),
        })),
        nextCursor: page.nextCursor,
      };
    },

    /** The regulator publishes (a flagged review, or keeps a reported one) or hides a review, with a reason. */
    async moderate(
      ctx: RequestContext,
      reviewId: string,
      input: { decision: 'publish' | 'hide'; reason: string },
    ) {
      const [found] = await db.select().from(review).where(eq(review.id, reviewId)).limit(1);
      if (!found || !regulatorSees(ctx, found.district)) throw new AppError('NOT_FOUND');
      const row = await db.transaction(async (tx) => {
        const [r] = await tx.select().from(review).where(eq(review.id, reviewId)).for('update');
        const to = input.decision === 'hide' ? 'hidden' : 'published';
        const hasReports =
          (
            await tx
              .select({ id: reviewReport.id })
              .from(reviewReport)
              .where(and(eq(reviewReport.reviewId, reviewId), eq(reviewReport.state, 'open')))
              .limit(1)
          ).length > 0;
        if (r!.state === 'hidden' || (r!.state === to && !hasReports))
          throw new AppError('REVIEW_MODERATION_INVALID');
        const now = clock();
        const [u] = await tx
          .update(review)
          .set({
            state: to,
            moderationReason: input.reason,
            moderatedBy: ctx.actor!.userId,
            moderatedAt: now,
            updatedAt: now,
          })
          .where(eq(review.id, reviewId))
          .returning();
        await tx
          .update(reviewReport)
          .set({
            state: to === 'hidden' ? 'upheld' : 'dismissed',
            decisionReason: input.reason,
            decidedBy: ctx.actor!.userId,
            decidedAt: now,
          })
          .where(and(eq(reviewReport.reviewId, reviewId), eq(reviewReport.state, 'open')));
        await appendAudit(
          tx,
          ctx,
          {
            action: `review.${input.decision}`,
            objectType: 'review',
            objectId: reviewId,
            detail: { from: r!.state, to, reason: input.reason },
          },
          now,
        );
        if (r!.state === 'published' && to === 'hidden')
          await enqueueEvent<FeedbackEvents>(tx, {
            topic: 'feedback.review_removed',
            payload: reviewPayload(u!),
          });
        if (r!.state === 'flagged' && to === 'published')
          await enqueueEvent<FeedbackEvents>(tx, {
            topic: 'feedback.review_published',
            payload: reviewPayload(u!),
          });
        return u!;
      });
      await notifications.notify({
        userId: row.authorUserId,
        kind: `review.${input.decision}`,
        title: input.decision === 'hide' ? '您的评价已被隐藏' : '您的评价已发布',
        body: input.reason,
        link: '/resident/feedback',
      });
      return (await reviewViews([row]))[0]!;
    },

    /** What companies see about an employer before taking an order: providers' ratings of that resident. */
    async employerRatings(ctx: RequestContext, orderId: string) {
      const a = ctx.actor;
      const o = await deps.orders.reviewFacts(orderId);
      if (!a || !o || !orgIdsOf(a, 'company').includes(o.companyId)) throw new AppError('NOT_FOUND');
      const where = and(eq(review.employerUserId, o.residentUserId), eq(review.state, 'published'));
      const [agg] = await db
        .select({
          count: sql<number>`count(*)`.mapWith(Number),
          avg: sql<number | null>`avg(${review.overall})`.mapWith((v) => (v === null ? null : Number(v))),
        })
        .from(review)
        .where(where);
      const recent = await db.select().from(review).where(where).orderBy(desc(review.id)).limit(5);
      return {
        count: agg?.count ?? 0,
        average: agg?.avg === null || agg?.avg === undefined ? null : Math.round(agg.avg * 100) / 100,
        recent: await reviewViews(recent),
      };
    },

    // Complaints ---------------------------------------------------------------------------------------------------

    /**
     * Files a complaint: a resident about an order (its worker or company) or a company; a worker about an
     * employer (an order they served) or their company. The company must respond within the SLA.
     */
    async fileComplaint(ctx: RequestContext, input: NewComplaintInput) {
      const a = ctx.actor;
      if (!a) throw new AppError('UNAUTHENTICATED');
      const wid = await ownWorkerId(ctx);
      let role: 'resident' | 'worker';
      let order: OrderFacts | null = null;
      let workerId: string | null = null;
      let companyId: string | null = null;
      let employerUserId: string | null = null;
      let district: string | null = null;
      if (input.orderId) {
        order = await deps.orders.reviewFacts(input.orderId);
        if (order && order.residentUserId === a.userId) role = 'resident';
        else if (order && wid && order.workerId === wid) role = 'worker';
        else throw new AppError('FEEDBACK_ORDER_NOT_YOURS');
        if (input.companyId && input.companyId !== order.companyId)
          throw new AppError('COMPLAINT_SUBJECT_INVALID');
        companyId = order.companyId;
        district = order.district;
        if (role === 'resident') {
          if (input.subject === 'employer') throw new AppError('COMPLAINT_SUBJECT_INVALID');
          if (input.subject === 'worker') {
            if (!order.workerId) throw new AppError('COMPLAINT_SUBJECT_INVALID');
            workerId = order.workerId;
          }
        } else {
          if (input.subject === 'worker') throw new AppError('COMPLAINT_SUBJECT_INVALID');
          if (input.subject === 'employer') employerUserId = order.residentUserId;
        }
      } else {
        if (input.subject !== 'company') throw new AppError('COMPLAINT_SUBJECT_INVALID');
        const facts = wid ? await deps.workers.trustFacts(wid) : null;
        companyId = input.companyId ?? facts?.companyId ?? null;
        // A worker complains without an order only about their own employer company (欠薪, 扣押证件); anyone else
        // (a worker account is usually a resident too) complains as a resident.
        role = facts?.companyId && facts.companyId === companyId ? 'worker' : 'resident';
        if (role === 'resident' && !hasRole(a, 'resident')) throw new AppError('COMPLAINT_SUBJECT_INVALID');
        const org = companyId ? await deps.orgs.getOrganization(companyId).catch(() => null) : null;
        if (org?.type !== 'company') throw new AppError('COMPLAINT_SUBJECT_INVALID');
        district = org.district ?? '440100';
      }
      const allowed: readonly string[] =
        role === 'resident' ? residentComplaintCategories : workerComplaintCategories;
      if (!allowed.includes(input.category)) throw new AppError('COMPLAINT_SUBJECT_INVALID');
      const evidence = await ownFiles(a.userId, input.evidenceIds);
      const row = await db.transaction(async (tx) => {
        const now = clock();
        const id = newId('cmp');
        const [c] = await tx
          .insert(complaint)
          .values({
            id,
            complainantRole: role,
            complainantUserId: a.userId,
            orderId: order?.id ?? null,
            orderNumber: order?.number ?? null,
            subjectType: input.subject,
            workerId,
            companyId,
            employerUserId,
            category: input.category,
            description: input.description,
            evidence,
            district: district!,
            state: 'filed',
            filedAt: now,
            respondBy: new Date(now.getTime() + settings.complaintResponseHours * HOUR),
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await tx.insert(complaintEvent).values({
          id: newId('cme'),
          complaintId: id,
          action: 'file',
          fromState: null,
          toState: 'filed',
          party: 'complainant',
          actorId: a.userId,
          note: null,
          at: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'complaint.file',
            objectType: 'complaint',
            objectId: id,
            detail: { subject: input.subject, category: input.category },
          },
          now,
        );
        return c!;
      });
      await tellComplaint(row, 'filed');
      return service.getComplaint(ctx, row.id);
    },

    /** One complaint with its timeline and the steps the caller may take. */
    async getComplaint(ctx: RequestContext, id: string) {
      const { c, party } = await complaintVisible(ctx, id);
      const events = await db
        .select()
        .from(complaintEvent)
        .where(eq(complaintEvent.complaintId, id))
        .orderBy(asc(complaintEvent.at), asc(complaintEvent.id));
      const [view] = await complaintViews([c], party, clock());
      return {
        ...view!,
        relation: party,
        actions:
          party === 'subject'
            ? []
            : availableComplaintActions(c.state as ComplaintState, party, !!c.appealedAt),
        history: events.map((e) => ({
          action: e.action,
          fromState: e.fromState,
          toState: e.toState,
          party: e.party,
          note: e.note,
          at: e.at.toISOString(),
        })),
      };
    },

    /** Complaints the caller filed, newest first. */
    async listMyComplaints(
      ctx: RequestContext,
      q: { state?: ComplaintState | undefined; cursor?: string | undefined; limit: number },
    ) {
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      return complaintPage(eq(complaint.complainantUserId, ctx.actor.userId), q, 'complainant');
    },

    /** A company's complaint inbox with SLA timers, newest first. */
    async listForCompanyInbox(
      ctx: RequestContext,
      companyId: string,
      q: { state?: ComplaintState | undefined; cursor?: string | undefined; limit: number },
    ) {
      if (!ctx.actor || !orgIdsOf(ctx.actor, 'company').includes(companyId)) throw new AppError('NOT_FOUND');
      return complaintPage(eq(complaint.companyId, companyId), q, 'company');
    },

    /** The regulator's supervision board: complaints in their district, newest first. */
    async listForRegulator(
      ctx: RequestContext,
      q: { state?: ComplaintState | undefined; cursor?: string | undefined; limit: number },
    ) {
      const d = ctx.actor?.regulatorDistrict ?? null;
      return complaintPage(d ? sql`${complaint.district} like ${`${d}%`}` : undefined, q, 'regulator');
    },

    /** Counts by state and the overdue count, for the regulator board's header. */
    async regulatorSummary(ctx: RequestContext) {
      const d = ctx.actor?.regulatorDistrict ?? null;
      const rows = await db
        .select({ state: complaint.state, n: sql<number>`count(*)`.mapWith(Number) })
        .from(complaint)
        .where(d ? sql`${complaint.district} like ${`${d}%`}` : undefined)
        .groupBy(complaint.state);
      const [overdue] = await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(complaint)
        .where(
          and(
            eq(complaint.state, 'filed'),
            lte(complaint.respondBy, clock()),
            d ? sql`${complaint.district} like ${`${d}%`}` : undefined,
          ),
        );
      return { byState: Object.fromEntries(rows.map((r) => [r.state, r.n])), overdue: overdue?.n ?? 0 };
    },

    /** A workflow step by the caller (respond, accept, refuse, investigate, uphold, reject, appeal, close, withdraw). */
    async act(
      ctx: RequestContext,
      id: string,
      action: Exclude<ComplaintAction, 'escalate'>,
      input: {
        reason?: string | null | undefined;
        certificateAction?: 'none' | 'suspend' | 'revoke' | undefined;
      },
    ) {
      const { c, party } = await complaintVisible(ctx, id);
      if (party === 'subject') throw new AppError('COMPLAINT_NOT_YOUR_STEP');
      const reason = input.reason?.trim() || null;
      const certAction = action === 'uphold' ? (input.certificateAction ?? 'none') : null;
      if (certAction && certAction !== 'none' && !c.workerId) throw new AppError('COMPLAINT_SUBJECT_INVALID');
      const updated = await step(ctx, id, action, party, reason, (_c, now) => {
        switch (action) {
          case 'respond':
            return { respondedAt: now, response: reason };
          case 'refuse':
            return { escalatedAt: now, escalatedBy: 'complainant' };
          case 'uphold':
          case 'reject':
            return {
              outcome: action === 'uphold' ? 'upheld' : 'rejected',
              decisionReason: reason,
              decidedAt: now,
              certificateAction: certAction,
            };
          case 'appeal':
            return { appealedAt: now, appealReason: reason, appealedBy: party };
          case 'accept':
          case 'close':
            return { closedAt: now };
          default:
            return {};
        }
      });
      // The certificate decision runs after the commit through certification's own audited path (red 安心码).
      if (certAction && certAction !== 'none' && updated.workerId) {
        const certId = await deps.certificates.currentOf(updated.workerId);
        if (certId) {
          const why = `投诉成立 ${updated.id}：${reason ?? ''}`.slice(0, 500);
          await (certAction === 'revoke'
            ? deps.certificates.revoke(ctx, certId, why)
            : deps.certificates.suspend(ctx, certId, why)
          ).catch((e: unknown) => {
            // Already suspended or revoked: the complaint stands; the certificate is red either way.
            if (!(e instanceof AppError && e.code === 'CERT_INVALID_TRANSITION')) throw e;
          });
        }
      }
      return service.getComplaint(ctx, id);
    },

    /**
     * The scheduled job: complaints the company did not answer within the SLA escalate to the regulator; decided
     * complaints nobody appealed within the appeal window close.
     */
    async runDue(ctx: RequestContext): Promise<{ escalated: number; closed: number }> {
      const now = clock();
      const counts = { escalated: 0, closed: 0 };
      const overdue = await db
        .select({ id: complaint.id })
        .from(complaint)
        .where(and(eq(complaint.state, 'filed'), lte(complaint.respondBy, now)))
        .orderBy(asc(complaint.respondBy))
        .limit(500);
      for (const c of overdue)
        if (await trySystem(ctx, c.id, 'escalate', (_c, at) => ({ escalatedAt: at, escalatedBy: 'system' })))
          counts.escalated++;
      const settled = await db
        .select({ id: complaint.id })
        .from(complaint)
        .where(
          and(
            inArray(complaint.state, ['upheld', 'rejected']),
            lte(complaint.decidedAt, new Date(now.getTime() - settings.appealWindowDays * DAY)),
          ),
        )
        .limit(500);
      for (const c of settled)
        if (await trySystem(ctx, c.id, 'close', (_c, at) => ({ closedAt: at }))) counts.closed++;
      return counts;
    },

    /**
     * Opens a complaint when a contract termination is disputed (contracts' outbox event): the resident against the
     * company of the order. Idempotent: a redelivered event finds the complaint it opened.
     */
    async openFromContractDispute(p: {
      contractId: string;
      orderId: string;
      companyId: string;
      workerId: string | null;
      residentUserId: string;
      reason: string;
    }): Promise<string | null> {
      const o = await deps.orders.reviewFacts(p.orderId);
      if (!o || o.companyId !== p.companyId || o.residentUserId !== p.residentUserId) return null;
      const marker = `[${p.contractId}]`;
      const [existing] = await db
        .select({ id: complaint.id })
        .from(complaint)
        .where(
          and(
            eq(complaint.orderId, p.orderId),
            eq(complaint.category, 'contract_breach'),
            sql`position(${marker} in ${complaint.description}) > 0`,
          ),
        )
        .limit(1);
      if (existing) return existing.id;
      const ctx: RequestContext = { actor: null, requestId: `sys-contract-${p.contractId}`, ip: null };
      const row = await db.transaction(async (tx) => {
        const now = clock();
        const id = newId('cmp');
        const [c] = await tx
          .insert(complaint)
          .values({
            id,
            complainantRole: 'resident',
            complainantUserId: p.residentUserId,
            orderId: o.id,
            orderNumber: o.number,
            subjectType: 'company',
            companyId: o.companyId,
            category: 'contract_breach',
            description: `合同解除争议 ${marker}：${p.reason}`.slice(0, 2000),
            district: o.district,
            state: 'filed',
            filedAt: now,
            respondBy: new Date(now.getTime() + settings.complaintResponseHours * HOUR),
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await tx.insert(complaintEvent).values({
          id: newId('cme'),
          complaintId: id,
          action: 'file',
          fromState: null,
          toState: 'filed',
          party: 'system',
          actorId: null,
          note: marker,
          at: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'complaint.file',
            objectType: 'complaint',
            objectId: id,
            detail: { contractId: p.contractId },
          },
          now,
        );
        return c!;
      });
      await tellComplaint(row, 'filed');
      return row.id;
    },

    /** The worker's e-file section: reviews about them and complaints about them (no complainant names). */
    async efileSection(workerId: string) {
      const reviews = await db
        .select()
        .from(review)
        .where(and(eq(review.workerId, workerId), eq(review.state, 'published'), eq(review.side, 'resident')))
        .orderBy(desc(review.id))
        .limit(1000);
      const complaints = await db
        .select()
        .from(complaint)
        .where(and(eq(complaint.workerId, workerId), ne(complaint.state, 'withdrawn')))
        .orderBy(desc(complaint.id))
        .limit(1000);
      return {
        reviews: reviews.map((r) => ({
          id: r.id,
          orderNumber: r.orderNumber,
          overall: r.overall,
          ratings: r.ratings,
          text: r.text,
          createdAt: r.createdAt.toISOString(),
        })),
        complaints: complaints.map((c) => ({
          id: c.id,
          orderNumber: c.orderNumber,
          category: c.category,
          state: c.state,
          outcome: c.outcome,
          filedAt: c.filedAt.toISOString(),
          decidedAt: c.decidedAt?.toISOString() ?? null,
        })),
      };
    },
  };

  async function trySystem(
    ctx: RequestContext,
    id: string,
    action: 'escalate' | 'close',
    patch: (c: ComplaintRow, now: Date) => Partial<ComplaintRow>,
  ): Promise<boolean> {
    try {
      await step(ctx, id, action, 'system', null, patch);
      return true;
    } catch (e) {
      // Someone acted first (the company answered at the last second); the next run sees the new state.
      if (e instanceof AppError && e.code === 'COMPLAINT_INVALID_TRANSITION') return false;
      throw e;
    }
  }

  return service;
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
export type { FeedbackStats, RatedSubject };
