import { desc, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organizationNameSql } from '../orgs/index.js';
import { complaint, review, reviewReport } from './feedback.tables.js';

/**
 * A review about the worker (any state, also held or hidden ones), one the account wrote (rating an employer), or one
 * rating the account as an employer. The other party is never named; photos are counted, not linked.
 */
export interface ReviewDealingFact {
  id: string;
  /** 'about' (rates the worker) | 'author' (the account wrote it) | 'employer' (rates the account as an employer) */
  relation: 'about' | 'author' | 'employer';
  side: string;
  authorRole: string;
  orderNumber: string;
  contractId: string | null;
  companyName: string | null;
  ratings: Record<string, number>;
  overall: number;
  text: string;
  photoCount: number;
  state: string;
  moderationReason: string | null;
  moderatedAt: string | null;
  reply: { text: string; at: string } | null;
  createdAt: string;
}

/** A review the account reported as abusive, and the regulator's decision. */
export interface ReviewReportFact {
  id: string;
  reviewId: string;
  reason: string;
  state: string;
  decisionReason: string | null;
  decidedAt: string | null;
  createdAt: string;
}

/**
 * A complaint naming the worker (all states, withdrawn ones too), one the account filed, or one naming the account
 * as an employer. The complainant is never named when it is someone else; evidence files are counted, not linked.
 */
export interface ComplaintDealingFact {
  id: string;
  /** 'about' (names the worker) | 'filed' (the account complained) | 'employer' (names the account as employer) */
  relation: 'about' | 'filed' | 'employer';
  complainantRole: string;
  subjectType: string;
  orderNumber: string | null;
  companyName: string | null;
  category: string;
  description: string;
  evidenceCount: number;
  district: string;
  state: string;
  filedAt: string;
  respondedAt: string | null;
  response: string | null;
  escalatedAt: string | null;
  outcome: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  certificateAction: string | null;
  appealedAt: string | null;
  appealReason: string | null;
  closedAt: string | null;
}

export interface FeedbackDealingFacts {
  reviews: ReviewDealingFact[];
  reviewReports: ReviewReportFact[];
  complaints: ComplaintDealingFact[];
}

/** The worker's reviews, review reports and complaints, newest first (for the e-file export, PIPL Art 45). */
export async function feedbackOfWorker(
  db: DbOrTx,
  workerId: string,
  userId: string | null,
): Promise<FeedbackDealingFacts> {
  const mine = (col: typeof review.authorUserId | typeof complaint.complainantUserId) =>
    userId ? [eq(col, userId)] : [];
  const [reviews, reports, complaints] = await Promise.all([
    db
      .select({ r: review, companyName: organizationNameSql(sql`${review.companyId}`) })
      .from(review)
      .where(
        or(
          eq(review.workerId, workerId),
          ...mine(review.authorUserId),
          ...(userId ? [eq(review.employerUserId, userId)] : []),
        ),
      )
      .orderBy(desc(review.id)),
    userId
      ? db
          .select()
          .from(reviewReport)
          .where(eq(reviewReport.reporterUserId, userId))
          .orderBy(desc(reviewReport.id))
      : [],
    db
      .select({ c: complaint, companyName: organizationNameSql(sql`${complaint.companyId}`) })
      .from(complaint)
      .where(
        or(
          eq(complaint.workerId, workerId),
          ...mine(complaint.complainantUserId),
          ...(userId ? [eq(complaint.employerUserId, userId)] : []),
        ),
      )
      .orderBy(desc(complaint.id)),
  ]);
  return {
    reviews: reviews.map(({ r, companyName }) => ({
      id: r.id,
      relation:
        userId && r.authorUserId === userId ? 'author' : r.workerId === workerId ? 'about' : 'employer',
      side: r.side,
      authorRole: r.authorRole,
      orderNumber: r.orderNumber,
      contractId: r.contractId,
      companyName,
      ratings: r.ratings,
      overall: r.overall,
      text: r.text,
      photoCount: r.photos.length,
      state: r.state,
      moderationReason: r.moderationReason,
      moderatedAt: r.moderatedAt?.toISOString() ?? null,
      reply: r.replyText && r.repliedAt ? { text: r.replyText, at: r.repliedAt.toISOString() } : null,
      createdAt: r.createdAt.toISOString(),
    })),
    reviewReports: reports.map((p) => ({
      id: p.id,
      reviewId: p.reviewId,
      reason: p.reason,
      state: p.state,
      decisionReason: p.decisionReason,
      decidedAt: p.decidedAt?.toISOString() ?? null,
      createdAt: p.createdAt.toISOString(),
    })),
    complaints: complaints.map(({ c, companyName }) => ({
      id: c.id,
      relation:
        userId && c.complainantUserId === userId ? 'filed' : c.workerId === workerId ? 'about' : 'employer',
      complainantRole: c.complainantRole,
      subjectType: c.subjectType,
      orderNumber: c.orderNumber,
      companyName,
      category: c.category,
      description: c.description,
      evidenceCount: c.evidence.length,
      district: c.district,
      state: c.state,
      filedAt: c.filedAt.toISOString(),
      respondedAt: c.respondedAt?.toISOString() ?? null,
      response: c.response,
      escalatedAt: c.escalatedAt?.toISOString() ?? null,
      outcome: c.outcome,
      decisionReason: c.decisionReason,
      decidedAt: c.decidedAt?.toISOString() ?? null,
      certificateAction: c.certificateAction,
      appealedAt: c.appealedAt?.toISOString() ?? null,
      appealReason: c.appealReason,
      closedAt: c.closedAt?.toISOString() ?? null,
    })),
  };
}
