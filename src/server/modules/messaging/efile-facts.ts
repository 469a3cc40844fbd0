import { asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { organizationNameSql } from '../orgs/index.js';
import {
  conversation,
  conversationBlock,
  conversationRead,
  conversationReport,
  interview,
  message,
} from './messaging.tables.js';

/**
 * A conversation the account takes part in (as the worker, or as a resident). The other person is not named: the
 * company's name is shown, a resident counterpart only as 'resident'.
 */
export interface ConversationFact {
  id: string;
  /** The account's side in it. */
  mySide: 'worker' | 'resident';
  contextKind: string;
  orderId: string | null;
  companyName: string | null;
  lastSeq: number;
  lastMessageAt: string;
  createdAt: string;
}

/** A message the account sent (only its own: the other side's messages are theirs). */
export interface OwnMessageFact {
  id: string;
  conversationId: string;
  seq: number;
  kind: string;
  body: string | null;
  /** The image, for the signed-in account (GET /api/v1/messages/:id/image). */
  imagePath: string | null;
  privacyFlags: string[];
  createdAt: string;
}

/** How far the account has read a conversation; keyed by the conversation (`ref`). */
export interface ReadMarkerFact {
  ref: string;
  lastReadSeq: number;
  updatedAt: string;
}

/** A conversation the account blocked; keyed by the conversation (`ref`). */
export interface BlockFact {
  ref: string;
  createdAt: string;
}

/** A conversation the account reported, and whether a regulator reviewed it. */
export interface ConversationReportFact {
  id: string;
  conversationId: string;
  reason: string;
  state: string;
  reviewNote: string | null;
  reviewedAt: string | null;
  createdAt: string;
}

/**
 * A video interview with the worker, or one the account organized. The organizer's notes stay with the organizer
 * (the app never shows them to the worker), so they appear only when the account organized it.
 */
export interface InterviewFact {
  id: string;
  conversationId: string | null;
  myParty: 'worker' | 'organizer';
  companyName: string | null;
  scheduledAt: string;
  durationMinutes: number;
  state: string;
  outcome: string | null;
  notes: string | null;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
}

export interface MessagingFacts {
  conversations: ConversationFact[];
  messages: OwnMessageFact[];
  readMarkers: ReadMarkerFact[];
  blocks: BlockFact[];
  reports: ConversationReportFact[];
  interviews: InterviewFact[];
}

/** The worker's conversations, own messages, read markers, blocks, reports and interviews (e-file export). */
export async function messagingOfWorker(
  db: DbOrTx,
  workerId: string,
  userId: string | null,
): Promise<MessagingFacts> {
  const [convs, messages, reads, blocks, reports, interviews] = await Promise.all([
    db
      .select({ c: conversation, companyName: organizationNameSql(sql`${conversation.companyId}`) })
      .from(conversation)
      .where(
        or(
          eq(conversation.workerId, workerId),
          ...(userId ? [eq(conversation.workerUserId, userId), eq(conversation.residentUserId, userId)] : []),
        ),
      )
      .orderBy(desc(conversation.lastMessageAt), desc(conversation.id)),
    userId
      ? db
          .select()
          .from(message)
          .where(eq(message.senderUserId, userId))
          .orderBy(asc(message.conversationId), asc(message.seq))
      : [],
    userId ? db.select().from(conversationRead).where(eq(conversationRead.userId, userId)) : [],
    userId ? db.select().from(conversationBlock).where(eq(conversationBlock.blockedByUserId, userId)) : [],
    userId
      ? db
          .select()
          .from(conversationReport)
          .where(eq(conversationReport.reporterUserId, userId))
          .orderBy(desc(conversationReport.id))
      : [],
    db
      .select({ i: interview, companyName: organizationNameSql(sql`${interview.companyId}`) })
      .from(interview)
      .where(
        or(
          eq(interview.workerId, workerId),
          ...(userId ? [eq(interview.workerUserId, userId), eq(interview.organizerUserId, userId)] : []),
        ),
      )
      .orderBy(desc(interview.scheduledAt), desc(interview.id)),
  ]);
  // Conversations the account wrote in or marked but no longer takes part in (none today; kept honest).
  const known = new Set(convs.map((c) => c.c.id));
  const missing = [
    ...new Set([...messages, ...reads, ...blocks, ...reports].map((r) => r.conversationId)),
  ].filter((id) => !known.has(id));
  const extra = missing.length
    ? await db
        .select({ c: conversation, companyName: organizationNameSql(sql`${conversation.companyId}`) })
        .from(conversation)
        .where(inArray(conversation.id, missing))
    : [];
  return {
    conversations: [...convs, ...extra].map(({ c, companyName }) => ({
      id: c.id,
      mySide:
        c.workerId === workerId || (userId !== null && c.workerUserId === userId) ? 'worker' : 'resident',
      contextKind: c.contextKind,
      orderId: c.orderId,
      companyName,
      lastSeq: c.lastSeq,
      lastMessageAt: c.lastMessageAt.toISOString(),
      createdAt: c.createdAt.toISOString(),
    })),
    messages: messages.map((m) => ({
      id: m.id,
      conversationId: m.conversationId,
      seq: m.seq,
      kind: m.kind,
      body: m.body,
      imagePath: m.imageKey ? `/api/v1/messages/${m.id}/image` : null,
      privacyFlags: m.privacyFlags,
      createdAt: m.createdAt.toISOString(),
    })),
    readMarkers: reads.map((r) => ({
      ref: r.conversationId,
      lastReadSeq: r.lastReadSeq,
      updatedAt: r.updatedAt.toISOString(),
    })),
    blocks: blocks.map((b) => ({ ref: b.conversationId, createdAt: b.createdAt.toISOString() })),
    reports: reports.map((p) => ({
      id: p.id,
      conversationId: p.conversationId,
      reason: p.reason,
      state: p.state,
      reviewNote: p.reviewNote,
      reviewedAt: p.reviewedAt?.toISOString() ?? null,
      createdAt: p.createdAt.toISOString(),
    })),
    interviews: interviews.map(({ i, companyName }) => {
      const organizer = userId !== null && i.organizerUserId === userId;
      return {
        id: i.id,
        conversationId: i.conversationId,
        myParty: organizer ? ('organizer' as const) : ('worker' as const),
        companyName,
        scheduledAt: i.scheduledAt.toISOString(),
        durationMinutes: i.durationMinutes,
        state: i.state,
        outcome: i.outcome,
        notes: organizer ? i.notes : null,
        startedAt: i.startedAt?.toISOString() ?? null,
        endedAt: i.endedAt?.toISOString() ?? null,
        createdAt: i.createdAt.toISOString(),
      };
    }),
  };
}
