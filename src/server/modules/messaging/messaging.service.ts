import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { IceServer } from '../../config.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { type Actor, orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { publishOnCommit } from '../../platform/realtime/realtime.js';
import { prepareUpload } from '../../platform/storage/index.js';
import type { FileStorage } from '../../platform/storage/storage.js';
import type { NotificationsService } from '../notifications/index.js';
import type { OrgsService } from '../orgs/index.js';
import type { TrustFacts } from '../workers/index.js';
import {
  type InterviewAction,
  interviewActionsFor,
  type InterviewParty,
  type InterviewState,
  transitionInterview,
} from './interview-status.js';
import {
  conversation,
  conversationBlock,
  conversationRead,
  conversationReport,
  interview,
  message,
  signalRelay,
} from './messaging.tables.js';
import { type Side, sideOf } from './messaging.policy.js';
import { shanghaiMinute } from '../../../shared/time.js';
import { scanPrivacy } from './privacy.js';
import { type BusEvent, orgChannel, userChannel } from './realtime-channels.js';

export type ConversationRow = typeof conversation.$inferSelect;
export type MessageRow = typeof message.$inferSelect;
export type InterviewRow = typeof interview.$inferSelect;

export const contextKinds = ['profile', 'order', 'demand_offer', 'job_application'] as const;
export type ContextKind = (typeof contextKinds)[number];

/** Limits that keep chat usable and abuse expensive; see docs/messaging.md. */
export const messagingLimits = {
  textMaxChars: 2000,
  imageMaxBytes: 2 * 1024 * 1024,
  /** Messages one person may send per minute across all conversations (counted in the database, so per cluster). */
  messagesPerMinute: 20,
  /** Reminder this long before an interview. */
  reminderLeadMs: 15 * 60_000,
  interviewHorizonMs: 90 * 24 * 3600_000,
  /** Catch-up over the socket sends at most this many messages per resume; the client pages the rest. */
  resumeMax: 500,
};

/** Order and contract events posted as system messages. */
export interface MessagingEventPayload {
  orderId?: string | null;
  contractId?: string;
  state?: string;
}

export interface MessagingDeps {
  db: Db;
  clock: () => Date;
  storage: FileStorage;
  notifications: Pick<NotificationsService, 'notify'>;
  orgs: Pick<OrgsService, 'getOrganization'>;
  profilesOf: (userIds: string[]) => Promise<{ id: string; name: string }[]>;
  workers: {
    trustFacts(workerId: string): Promise<TrustFacts | null>;
    findWorkerIdByUser(userId: string): Promise<string | null>;
    namesOf(workerIds: string[]): Promise<Map<string, string>>;
  };
  /** The parties of an order the caller may see (NOT_FOUND otherwise). */
  orderParties: (
    ctx: RequestContext,
    orderId: string,
  ) => Promise<{ residentUserId: string; companyId: string; workerId: string | null }>;
  /** The resident's own demand with its offers (NOT_FOUND otherwise). */
  demandOffers: (
    ctx: RequestContext,
    demandId: string,
  ) => Promise<{ offers: { id: string; worker: { id: string }; company: { id: string } }[] }>;
  iceServers: IceServer[];
  limits?: Partial<typeof messagingLimits>;
}

export interface OpenInput {
  context: ContextKind;
  workerId?: string | null | undefined;
  companyId?: string | null | undefined;
  orderId?: string | null | undefined;
  demandId?: string | null | undefined;
  offerId?: string | null | undefined;
}

const seqCursor = z.object({ s: z.number().int().min(0), d: z.enum(['a', 'd']) });
const timeCursor = z.object({ v: z.string().max(40), id: z.string().max(64) });

const need = (ctx: RequestContext): Actor => {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
};

/** Channels a conversation's events go to: each person on it, and the company's staff. */
function channelsOf(c: Pick<ConversationRow, 'residentUserId' | 'workerUserId' | 'companyId'>): string[] {
  const list = [userChannel(c.residentUserId)];
  if (c.workerUserId) list.push(userChannel(c.workerUserId));
  if (c.companyId) list.push(orgChannel(c.companyId));
  return list;
}

async function publishAll(tx: DbOrTx, channels: string[], event: BusEvent): Promise<void> {
  for (const ch of channels) await publishOnCommit(tx, ch, event);
}

const likeEscape = (q: string) => q.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Chat between residents, workers and companies; video interviews and their signaling targets. */
export function createMessagingService(deps: MessagingDeps) {
  const { db, clock } = deps;
  const limits = { ...messagingLimits, ...deps.limits };

  const workerIdOf = async (actor: Actor) =>
    actor.roles.includes('worker') ? deps.workers.findWorkerIdByUser(actor.userId) : null;

  /** The conversation and the caller's side in it; NOT_FOUND when the caller takes no part. */
  async function access(actor: Actor, conversationId: string): Promise<{ c: ConversationRow; side: Side }> {
    const [c] = await db.select().from(conversation).where(eq(conversation.id, conversationId));
    if (!c) throw new AppError('NOT_FOUND');
    const side = sideOf(actor, c, await workerIdOf(actor));
    if (!side) throw new AppError('NOT_FOUND');
    return { c, side };
  }

  async function namesFor(rows: { senderUserId: string | null }[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.senderUserId).filter((x): x is string => !!x))];
    if (!ids.length) return new Map();
    return new Map((await deps.profilesOf(ids)).map((p) => [p.id, p.name]));
  }

  function messageView(m: MessageRow, names: Map<string, string>, viewerId: string) {
    return {
      id: m.id,
      conversationId: m.conversationId,
      seq: m.seq,
      kind: m.kind as 'text' | 'image' | 'system',
      side: m.senderSide as Side | 'system',
      sender: m.senderUserId ? { userId: m.senderUserId, name: names.get(m.senderUserId) ?? '' } : null,
      mine: m.senderUserId === viewerId,
      body: m.body,
      imageUrl: m.kind === 'image' ? `/api/v1/messages/${m.id}/image` : null,
      privacyFlags: m.privacyFlags,
      systemCode: m.systemCode,
      systemParams: m.systemParams ?? null,
      clientKey: m.senderUserId === viewerId ? m.clientKey : null,
      createdAt: m.createdAt.toISOString(),
    };
  }
  type MessageView = ReturnType<typeof messageView>;

  async function views(rows: MessageRow[], viewerId: string): Promise<MessageView[]> {
    const names = await namesFor(rows);
    return rows.map((m) => messageView(m, names, viewerId));
  }

  async function assertRate(userId: string): Promise<void> {
    const since = new Date(clock().getTime() - 60_000);
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(message)
      .where(and(eq(message.senderUserId, userId), gt(message.createdAt, since)));
    if ((row?.n ?? 0) >= limits.messagesPerMinute)
      throw new AppError('RATE_LIMITED', { headers: { 'retry-after': '60' } });
  }

  async function assertNotBlocked(conversationId: string, userId: string): Promise<void> {
    const [b] = await db
      .select({ by: conversationBlock.blockedByUserId })
      .from(conversationBlock)
      .where(
        and(
          eq(conversationBlock.conversationId, conversationId),
          ne(conversationBlock.blockedByUserId, userId),
        ),
      )
      .limit(1);
    if (b) throw new AppError('MESSAGING_BLOCKED');
  }

  /** Appends one message inside `tx`: locks the conversation, numbers the message, publishes on commit. */
  async function appendMessage(
    tx: DbOrTx,
    c: ConversationRow,
    row: Omit<typeof message.$inferInsert, 'id' | 'seq' | 'conversationId' | 'createdAt'>,
    now: Date,
  ): Promise<MessageRow> {
    const [u] = await tx
      .update(conversation)
      .set({ lastSeq: sql`${conversation.lastSeq} + 1`, lastMessageAt: now, updatedAt: now })
      .where(eq(conversation.id, c.id))
      .returning({ seq: conversation.lastSeq });
    const [m] = await tx
      .insert(message)
      .values({ ...row, id: newId('msg'), conversationId: c.id, seq: u!.seq, createdAt: now })
      .returning();
    if (row.senderUserId) await markReadIn(tx, c.id, row.senderUserId, m!.seq, now);
    await publishAll(tx, channelsOf(c), { t: 'msg', c: c.id, id: m!.id, seq: m!.seq });
    return m!;
  }

  async function markReadIn(tx: DbOrTx, conversationId: string, userId: string, seq: number, now: Date) {
    await tx
      .insert(conversationRead)
      .values({ conversationId, userId, lastReadSeq: seq, updatedAt: now })
      .onConflictDoUpdate({
        target: [conversationRead.conversationId, conversationRead.userId],
        set: {
          lastReadSeq: sql`greatest(${conversationRead.lastReadSeq}, excluded.last_read_seq)`,
          updatedAt: now,
        },
      });
  }

  /** Finds or creates the conversation for a dedupe key. */
  async function findOrCreate(
    ctx: RequestContext,
    values: Omit<typeof conversation.$inferInsert, 'id' | 'dedupeKey'>,
  ): Promise<ConversationRow> {
    const dedupeKey = [
      values.residentUserId,
      values.workerId ?? '-',
      values.companyId ?? '-',
      values.contextKind,
      values.contextId ?? '-',
    ].join('|');
    const existing = await db.select().from(conversation).where(eq(conversation.dedupeKey, dedupeKey));
    if (existing[0]) return existing[0];
    const now = clock();
    return db.transaction(async (tx) => {
      const [created] = await tx
        .insert(conversation)
        .values({
          ...values,
          id: newId('cnv'),
          dedupeKey,
          lastMessageAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: conversation.dedupeKey })
        .returning();
      if (!created) {
        const [again] = await tx.select().from(conversation).where(eq(conversation.dedupeKey, dedupeKey));
        return again!;
      }
      await appendAudit(
        tx,
        ctx,
        {
          action: 'messaging.conversation_opened',
          objectType: 'conversation',
          objectId: created.id,
          detail: { context: values.contextKind, contextId: values.contextId ?? null },
        },
        now,
      );
      return created;
    });
  }

  async function workerAccount(workerId: string) {
    const facts = await deps.workers.trustFacts(workerId);
    if (!facts) throw new AppError('NOT_FOUND');
    if (!facts.userId) throw new AppError('MESSAGING_NO_COUNTERPART');
    return facts;
  }

  async function conversationView(c: ConversationRow, actor: Actor, side: Side) {
    const [reads, blocks, workerNames, company, resident] = await Promise.all([
      db.select().from(conversationRead).where(eq(conversationRead.conversationId, c.id)),
      db.select().from(conversationBlock).where(eq(conversationBlock.conversationId, c.id)),
      c.workerId ? deps.workers.namesOf([c.workerId]) : Promise.resolve(new Map<string, string>()),
      c.companyId ? deps.orgs.getOrganization(c.companyId) : Promise.resolve(null),
      deps.profilesOf([c.residentUserId]),
    ]);
    const mine = reads.find((r) => r.userId === actor.userId)?.lastReadSeq ?? 0;
    const others = reads.filter((r) => r.userId !== actor.userId).map((r) => r.lastReadSeq);
    return {
      id: c.id,
      contextKind: c.contextKind as ContextKind,
      contextId: c.contextId,
      orderId: c.orderId,
      mySide: side,
      resident: { name: resident[0]?.name ?? '' },
      worker: c.workerId ? { id: c.workerId, name: workerNames.get(c.workerId) ?? '' } : null,
      company: c.companyId ? { id: c.companyId, name: company?.name ?? '' } : null,
      lastSeq: c.lastSeq,
      myReadSeq: mine,
      /** Read receipts: the furthest any other participant has read. */
      othersReadSeq: others.length ? Math.max(...others) : 0,
      unread: Math.max(0, c.lastSeq - mine),
      blockedByMe: blocks.some((b) => b.blockedByUserId === actor.userId),
      blockedByOther: blocks.some((b) => b.blockedByUserId !== actor.userId),
      lastMessageAt: c.lastMessageAt.toISOString(),
      createdAt: c.createdAt.toISOString(),
    };
  }

  /** Where the caller's conversations are: as resident, as the worker, or as staff of companies. */
  function mineWhere(actor: Actor, workerId: string | null): SQL {
    const parts: SQL[] = [eq(conversation.residentUserId, actor.userId)];
    if (workerId) parts.push(eq(conversation.workerId, workerId));
    const orgs = orgIdsOf(actor, 'company');
    if (orgs.length) parts.push(inArray(conversation.companyId, orgs));
    return or(...parts) as SQL;
  }

  // ---- interviews ----
  async function loadInterview(id: string): Promise<InterviewRow> {
    const [row] = await db.select().from(interview).where(eq(interview.id, id));
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  /** The caller's part in an interview: organizer side (the organizer, or staff of its company) or worker. */
  function partyOf(actor: Actor, i: InterviewRow): { party: InterviewParty; inRoom: boolean } | null {
    if (i.workerUserId === actor.userId) return { party: 'worker', inRoom: true };
    if (i.organizerUserId === actor.userId) return { party: 'organizer', inRoom: true };
    if (i.companyId && orgIdsOf(actor, 'company').includes(i.companyId))
      return { party: 'organizer', inRoom: false };
    return null;
  }

  async function interviewView(i: InterviewRow, actor: Actor) {
    const p = partyOf(actor, i);
    if (!p) throw new AppError('NOT_FOUND');
    const [profiles, workerNames] = await Promise.all([
      deps.profilesOf([i.organizerUserId]),
      deps.workers.namesOf([i.workerId]),
    ]);
    const company = i.companyId ? await deps.orgs.getOrganization(i.companyId) : null;
    return {
      id: i.id,
      state: i.state as InterviewState,
      scheduledAt: i.scheduledAt.toISOString(),
      durationMinutes: i.durationMinutes,
      conversationId: i.conversationId,
      worker: { id: i.workerId, name: workerNames.get(i.workerId) ?? '' },
      organizer: {
        name: profiles[0]?.name ?? '',
        company: company ? { id: company.id, name: company.name } : null,
      },
      myParty: p.party,
      canJoinRoom: p.inRoom && transitionInterview(i.state as InterviewState, 'join', p.party).ok,
      actions: interviewActionsFor(i.state as InterviewState, p.party),
      // The organizer's notes stay on the organizer's side.
      notes: p.party === 'organizer' ? i.notes : null,
      outcome: i.outcome as 'proceed' | 'decline' | null,
      /** Where "proceed to order" leads: the worker's public page, which books her. */
      bookingPath: i.outcome === 'proceed' ? `/resident/find/workers/${i.workerId}` : null,
      startedAt: i.startedAt?.toISOString() ?? null,
      endedAt: i.endedAt?.toISOString() ?? null,
      createdAt: i.createdAt.toISOString(),
    };
  }

  async function stepInterview(
    ctx: RequestContext,
    id: string,
    action: InterviewAction,
    set: (now: Date, row: InterviewRow) => Partial<typeof interview.$inferInsert>,
    detail: Record<string, unknown> = {},
  ) {
    const actor = need(ctx);
    const now = clock();
    const updated = await db.transaction(async (tx) => {
      const [i] = await tx.select().from(interview).where(eq(interview.id, id)).for('update');
      if (!i) throw new AppError('NOT_FOUND');
      const p = partyOf(actor, i);
      if (!p) throw new AppError('NOT_FOUND');
      // Only the two people of the call enter the room; colleagues of the organizer see it but stay out.
      if (action === 'join' && !p.inRoom) throw new AppError('FORBIDDEN');
      const r = transitionInterview(i.state as InterviewState, action, p.party);
      if (!r.ok) throw new AppError(r.reason === 'party' ? 'FORBIDDEN' : 'INTERVIEW_INVALID_TRANSITION');
      const changes = set(now, i);
      const [row] = await tx
        .update(interview)
        .set({ ...changes, state: r.to, updatedAt: now })
        .where(eq(interview.id, id))
        .returning();
      if (action !== 'join' || i.state !== r.to)
        await appendAudit(
          tx,
          ctx,
          {
            action: `interview.${action}`,
            objectType: 'interview',
            objectId: id,
            detail: { from: i.state, to: r.to, ...detail },
          },
          now,
        );
      if (i.conversationId && action !== 'join')
        await systemMessageIn(tx, i.conversationId, `interview.${action}`, { interviewId: id }, null, now);
      return row!;
    });
    return { row: updated, actor };
  }

  async function systemMessageIn(
    tx: DbOrTx,
    conversationId: string,
    code: string,
    params: Record<string, string>,
    sourceEventId: string | null,
    now: Date,
  ): Promise<void> {
    const [c] = await tx.select().from(conversation).where(eq(conversation.id, conversationId)).for('update');
    if (!c) return;
    if (sourceEventId) {
      const [seen] = await tx
        .select({ id: message.id })
        .from(message)
        .where(and(eq(message.conversationId, c.id), eq(message.sourceEventId, sourceEventId)));
      if (seen) return;
    }
    await appendMessage(
      tx,
      c,
      {
        senderUserId: null,
        senderSide: 'system',
        kind: 'system',
        systemCode: code,
        systemParams: params,
        sourceEventId,
      },
      now,
    );
  }

  return {
    limits,

    /** Opens (or returns the existing) conversation for a profile, an order or a demand offer. */
    async open(ctx: RequestContext, input: OpenInput) {
      const actor = need(ctx);
      let c: ConversationRow;
      if (input.context === 'profile') {
        if (!actor.roles.includes('resident')) throw new AppError('FORBIDDEN');
        if (input.workerId) {
          const facts = await workerAccount(input.workerId);
          if (facts.userId === actor.userId) throw new AppError('MESSAGING_CONTEXT_UNSUPPORTED');
          c = await findOrCreate(ctx, {
            residentUserId: actor.userId,
            workerId: facts.workerId,
            workerUserId: facts.userId,
            companyId: facts.companyId,
            contextKind: 'profile',
            contextId: null,
          });
        } else if (input.companyId) {
          const org = await deps.orgs.getOrganization(input.companyId);
          if (org?.type !== 'company' || org.status !== 'active') throw new AppError('NOT_FOUND');
          c = await findOrCreate(ctx, {
            residentUserId: actor.userId,
            companyId: org.id,
            contextKind: 'profile',
            contextId: null,
          });
        } else {
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'workerId', message: 'workerId or companyId' }],
          });
        }
      } else if (input.context === 'order') {
        if (!input.orderId)
          throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'orderId', message: 'required' }] });
        const o = await deps.orderParties(ctx, input.orderId);
        const facts = o.workerId ? await deps.workers.trustFacts(o.workerId) : null;
        c = await findOrCreate(ctx, {
          residentUserId: o.residentUserId,
          workerId: o.workerId,
          workerUserId: facts?.userId ?? null,
          companyId: o.companyId,
          contextKind: 'order',
          contextId: input.orderId,
          orderId: input.orderId,
        });
      } else if (input.context === 'demand_offer') {
        if (!input.demandId || !input.offerId)
          throw new AppError('VALIDATION_FAILED', {
            issues: [{ path: 'offerId', message: 'demandId and offerId' }],
          });
        const d = await deps.demandOffers(ctx, input.demandId);
        const offer = d.offers.find((x) => x.id === input.offerId);
        if (!offer) throw new AppError('NOT_FOUND');
        const facts = await deps.workers.trustFacts(offer.worker.id);
        c = await findOrCreate(ctx, {
          residentUserId: actor.userId,
          workerId: offer.worker.id,
          workerUserId: facts?.userId ?? null,
          companyId: offer.company.id,
          contextKind: 'demand_offer',
          contextId: offer.id,
        });
      } else {
        // Recruitment (job applications) arrives later; the kind is reserved so links stay stable.
        throw new AppError('MESSAGING_CONTEXT_UNSUPPORTED');
      }
      const side = sideOf(actor, c, await workerIdOf(actor));
      if (!side) throw new AppError('NOT_FOUND');
      return conversationView(c, actor, side);
    },

    /** One conversation with read positions and block state, for a participant. */
    async get(ctx: RequestContext, conversationId: string) {
      const actor = need(ctx);
      const { c, side } = await access(actor, conversationId);
      return conversationView(c, actor, side);
    },

    /** The caller's conversations, most recent activity first, with unread counts and a preview. */
    async inbox(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const actor = need(ctx);
      const workerId = await workerIdOf(actor);
      const cur = decodeCursor(q.cursor, timeCursor);
      const rows = await db
        .select({ c: conversation, read: conversationRead.lastReadSeq })
        .from(conversation)
        .leftJoin(
          conversationRead,
          and(
            eq(conversationRead.conversationId, conversation.id),
            eq(conversationRead.userId, actor.userId),
          ),
        )
        .where(
          and(
            mineWhere(actor, workerId),
            cur
              ? or(
                  lt(conversation.lastMessageAt, new Date(cur.v)),
                  and(eq(conversation.lastMessageAt, new Date(cur.v)), lt(conversation.id, cur.id)),
                )
              : undefined,
          ),
        )
        .orderBy(desc(conversation.lastMessageAt), desc(conversation.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ v: r.c.lastMessageAt.toISOString(), id: r.c.id }));
      const items = page.items;
      const lastMessages = items.length
        ? await db
            .select()
            .from(message)
            .where(
              or(
                ...items.map((r) => and(eq(message.conversationId, r.c.id), eq(message.seq, r.c.lastSeq))),
              ) as SQL,
            )
        : [];
      const byConv = new Map(lastMessages.map((m) => [m.conversationId, m]));
      const workerNames = await deps.workers.namesOf(
        items.map((r) => r.c.workerId).filter((x): x is string => !!x),
      );
      const residents = new Map(
        (await deps.profilesOf([...new Set(items.map((r) => r.c.residentUserId))])).map((p) => [
          p.id,
          p.name,
        ]),
      );
      const companies = new Map<string, string>();
      for (const id of new Set(items.map((r) => r.c.companyId).filter((x): x is string => !!x))) {
        companies.set(id, (await deps.orgs.getOrganization(id))?.name ?? '');
      }
      return {
        nextCursor: page.nextCursor,
        items: items.map(({ c, read }) => {
          const last = byConv.get(c.id);
          return {
            id: c.id,
            contextKind: c.contextKind as ContextKind,
            orderId: c.orderId,
            mySide: sideOf(actor, c, workerId) ?? 'resident',
            resident: { name: residents.get(c.residentUserId) ?? '' },
            worker: c.workerId ? { id: c.workerId, name: workerNames.get(c.workerId) ?? '' } : null,
            company: c.companyId ? { id: c.companyId, name: companies.get(c.companyId) ?? '' } : null,
            unread: Math.max(0, c.lastSeq - (read ?? 0)),
            lastSeq: c.lastSeq,
            lastMessage: last
              ? {
                  kind: last.kind as 'text' | 'image' | 'system',
                  preview: last.kind === 'text' ? (last.body ?? '').slice(0, 80) : null,
                  systemCode: last.systemCode,
                  at: last.createdAt.toISOString(),
                }
              : null,
            lastMessageAt: c.lastMessageAt.toISOString(),
          };
        }),
      };
    },

    /** Total unread messages across the caller's conversations (header badge). */
    async unreadTotal(ctx: RequestContext): Promise<{ unread: number }> {
      const actor = need(ctx);
      const workerId = await workerIdOf(actor);
      const [row] = await db
        .select({
          n: sql<number>`coalesce(sum(greatest(${conversation.lastSeq} - coalesce(${conversationRead.lastReadSeq}, 0), 0)), 0)::int`,
        })
        .from(conversation)
        .leftJoin(
          conversationRead,
          and(
            eq(conversationRead.conversationId, conversation.id),
            eq(conversationRead.userId, actor.userId),
          ),
        )
        .where(mineWhere(actor, workerId));
      return { unread: row?.n ?? 0 };
    },

    /**
     * History, keyset by `seq`: newest first by default; `after` (a seq) reads forward for catch-up after a
     * reconnect, so nothing is skipped or repeated.
     */
    async messages(
      ctx: RequestContext,
      conversationId: string,
      q: { cursor?: string | undefined; after?: number | undefined; limit: number },
    ) {
      const actor = need(ctx);
      await access(actor, conversationId);
      return listMessages(actor.userId, conversationId, q);
    },

    /** Messages whose text contains `q` (case-insensitive), newest first. */
    async search(
      ctx: RequestContext,
      conversationId: string,
      q: { q: string; cursor?: string | undefined; limit: number },
    ) {
      const actor = need(ctx);
      await access(actor, conversationId);
      const cur = decodeCursor(q.cursor, seqCursor);
      const rows = await db
        .select()
        .from(message)
        .where(
          and(
            eq(message.conversationId, conversationId),
            eq(message.kind, 'text'),
            sql`${message.body} ilike ${`%${likeEscape(q.q)}%`}`,
            cur ? lt(message.seq, cur.s) : undefined,
          ),
        )
        .orderBy(desc(message.seq))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ s: r.seq, d: 'd' }));
      return { items: await views(page.items, actor.userId), nextCursor: page.nextCursor };
    },

    /** Sends a text message; stored first, then delivered to every participant's sockets on commit. */
    async sendText(
      ctx: RequestContext,
      conversationId: string,
      input: { text: string; clientKey?: string | null | undefined },
    ) {
      const actor = need(ctx);
      const { c, side } = await access(actor, conversationId);
      if (input.clientKey) {
        const [seen] = await db
          .select()
          .from(message)
          .where(
            and(
              eq(message.conversationId, c.id),
              eq(message.senderUserId, actor.userId),
              eq(message.clientKey, input.clientKey),
            ),
          );
        if (seen) return (await views([seen], actor.userId))[0]!;
      }
      await assertNotBlocked(c.id, actor.userId);
      await assertRate(actor.userId);
      const now = clock();
      const flags = scanPrivacy(input.text);
      const m = await db.transaction(async (tx) => {
        await tx
          .select({ id: conversation.id })
          .from(conversation)
          .where(eq(conversation.id, c.id))
          .for('update');
        if (input.clientKey) {
          const [seen] = await tx
            .select()
            .from(message)
            .where(
              and(
                eq(message.conversationId, c.id),
                eq(message.senderUserId, actor.userId),
                eq(message.clientKey, input.clientKey),
              ),
            );
          if (seen) return seen;
        }
        return appendMessage(
          tx,
          c,
          {
            senderUserId: actor.userId,
            senderSide: side,
            kind: 'text',
            body: input.text,
            privacyFlags: flags,
            clientKey: input.clientKey ?? null,
          },
          now,
        );
      });
      return (await views([m], actor.userId))[0]!;
    },

    /** Sends an image (JPEG or PNG, checked by content, at most `imageMaxBytes`). */
    async sendImage(ctx: RequestContext, conversationId: string, file: { data: Buffer }) {
      const actor = need(ctx);
      const { c, side } = await access(actor, conversationId);
      await assertNotBlocked(c.id, actor.userId);
      await assertRate(actor.userId);
      // Metadata (EXIF GPS, XMP, text chunks) is stripped before the image is stored; a damaged one is refused.
      const inspected = await prepareUpload(file.data, {
        allowed: ['image/jpeg', 'image/png'],
        maxBytes: limits.imageMaxBytes,
      });
      const id = newId('msg');
      const key = `messaging/${c.id}/${id}.${inspected.ext}`;
      await deps.storage.put(key, inspected.data);
      const now = clock();
      const m = await db.transaction((tx) =>
        appendMessage(
          tx,
          c,
          {
            senderUserId: actor.userId,
            senderSide: side,
            kind: 'image',
            imageKey: key,
            imageMime: inspected.mime,
          },
          now,
        ),
      );
      return (await views([m], actor.userId))[0]!;
    },

    /** An image's bytes for a participant, or for a regulator when the conversation was reported (audited). */
    async image(ctx: RequestContext, messageId: string): Promise<{ data: Buffer; mime: string }> {
      const actor = need(ctx);
      const [m] = await db.select().from(message).where(eq(message.id, messageId));
      if (m?.kind !== 'image' || !m.imageKey) throw new AppError('NOT_FOUND');
      try {
        await access(actor, m.conversationId);
      } catch (e) {
        if (!actor.roles.includes('regulator')) throw e;
        const [r] = await db
          .select({ id: conversationReport.id })
          .from(conversationReport)
          .where(eq(conversationReport.conversationId, m.conversationId))
          .limit(1);
        if (!r) throw e;
        await recordAudit(db, ctx, {
          action: 'messaging.reported_image_read',
          objectType: 'conversation',
          objectId: m.conversationId,
          detail: { messageId },
        });
      }
      return { data: await deps.storage.get(m.imageKey), mime: m.imageMime ?? 'application/octet-stream' };
    },

    /** Marks the conversation read up to `seq` (never backwards); the others see the receipt. */
    async markRead(ctx: RequestContext, conversationId: string, seq: number) {
      const actor = need(ctx);
      const { c, side } = await access(actor, conversationId);
      const upTo = Math.min(seq, c.lastSeq);
      const now = clock();
      await db.transaction(async (tx) => {
        await markReadIn(tx, c.id, actor.userId, upTo, now);
        await publishAll(tx, channelsOf(c), { t: 'read', c: c.id, u: actor.userId, seq: upTo });
      });
      return conversationView({ ...c }, actor, side);
    },

    /** Blocks the conversation: the other side can no longer write into it. */
    async block(ctx: RequestContext, conversationId: string) {
      const actor = need(ctx);
      const { c, side } = await access(actor, conversationId);
      const now = clock();
      await db.transaction(async (tx) => {
        const added = await tx
          .insert(conversationBlock)
          .values({ conversationId: c.id, blockedByUserId: actor.userId, createdAt: now })
          .onConflictDoNothing()
          .returning();
        if (added.length)
          await appendAudit(
            tx,
            ctx,
            { action: 'messaging.blocked', objectType: 'conversation', objectId: c.id },
            now,
          );
      });
      return conversationView(c, actor, side);
    },

    /** Lifts the caller's own block. */
    async unblock(ctx: RequestContext, conversationId: string) {
      const actor = need(ctx);
      const { c, side } = await access(actor, conversationId);
      const now = clock();
      await db.transaction(async (tx) => {
        const removed = await tx
          .delete(conversationBlock)
          .where(
            and(
              eq(conversationBlock.conversationId, c.id),
              eq(conversationBlock.blockedByUserId, actor.userId),
            ),
          )
          .returning();
        if (removed.length)
          await appendAudit(
            tx,
            ctx,
            { action: 'messaging.unblocked', objectType: 'conversation', objectId: c.id },
            now,
          );
      });
      return conversationView(c, actor, side);
    },

    /** A participant reports the conversation to the regulator. */
    async report(ctx: RequestContext, conversationId: string, input: { reason: string }) {
      const actor = need(ctx);
      const { c } = await access(actor, conversationId);
      const now = clock();
      const id = newId('mrp');
      await db.transaction(async (tx) => {
        await tx.insert(conversationReport).values({
          id,
          conversationId: c.id,
          reporterUserId: actor.userId,
          reason: input.reason,
          state: 'open',
          createdAt: now,
        });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'messaging.reported',
            objectType: 'conversation',
            objectId: c.id,
            detail: { reportId: id },
          },
          now,
        );
      });
      return { id, state: 'open' as const, createdAt: now.toISOString() };
    },

    /** Reports for regulators, newest first. */
    async reports(
      ctx: RequestContext,
      q: { state?: 'open' | 'reviewed' | undefined; cursor?: string | undefined; limit: number },
    ) {
      need(ctx);
      const cur = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(conversationReport)
        .where(
          and(
            q.state ? eq(conversationReport.state, q.state) : undefined,
            cur ? lt(conversationReport.id, cur.id) : undefined,
          ),
        )
        .orderBy(desc(conversationReport.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      const names = new Map(
        (await deps.profilesOf([...new Set(page.items.map((r) => r.reporterUserId))])).map((p) => [
          p.id,
          p.name,
        ]),
      );
      return { nextCursor: page.nextCursor, items: page.items.map((r) => reportView(r, names)) };
    },

    /** A reported conversation and one page of its messages for a regulator; every read is audited. */
    async reviewRead(
      ctx: RequestContext,
      reportId: string,
      q: { cursor?: string | undefined; limit: number },
    ) {
      const actor = need(ctx);
      const [r] = await db.select().from(conversationReport).where(eq(conversationReport.id, reportId));
      if (!r) throw new AppError('NOT_FOUND');
      const [c] = await db.select().from(conversation).where(eq(conversation.id, r.conversationId));
      await recordAudit(db, ctx, {
        action: 'messaging.report_read',
        objectType: 'conversation',
        objectId: r.conversationId,
        detail: { reportId },
      });
      const names = new Map((await deps.profilesOf([r.reporterUserId])).map((p) => [p.id, p.name]));
      return {
        report: reportView(r, names),
        conversation: await conversationView(c!, actor, 'resident').then((v) => ({
          id: v.id,
          contextKind: v.contextKind,
          orderId: v.orderId,
          resident: v.resident,
          worker: v.worker,
          company: v.company,
          lastSeq: v.lastSeq,
        })),
        messages: await listMessages(actor.userId, r.conversationId, q),
      };
    },

    /** The regulator closes a report with a note. */
    async reviewReport(ctx: RequestContext, reportId: string, input: { note: string }) {
      const actor = need(ctx);
      const now = clock();
      const row = await db.transaction(async (tx) => {
        const [r] = await tx
          .select()
          .from(conversationReport)
          .where(eq(conversationReport.id, reportId))
          .for('update');
        if (!r) throw new AppError('NOT_FOUND');
        if (r.state !== 'open') throw new AppError('MESSAGING_REPORT_REVIEWED');
        const [u] = await tx
          .update(conversationReport)
          .set({ state: 'reviewed', reviewNote: input.note, reviewedByUserId: actor.userId, reviewedAt: now })
          .where(eq(conversationReport.id, reportId))
          .returning();
        await appendAudit(
          tx,
          ctx,
          { action: 'messaging.report_reviewed', objectType: 'conversation_report', objectId: reportId },
          now,
        );
        return u!;
      });
      const names = new Map((await deps.profilesOf([row.reporterUserId])).map((p) => [p.id, p.name]));
      return reportView(row, names);
    },

    /** One message as the given person may see it (socket delivery); null when they take no part. */
    async messageFor(actor: Actor, messageId: string) {
      const [m] = await db.select().from(message).where(eq(message.id, messageId));
      if (!m) return null;
      const [c] = await db.select().from(conversation).where(eq(conversation.id, m.conversationId));
      if (!c || !sideOf(actor, c, await workerIdOf(actor))) return null;
      return (await views([m], actor.userId))[0]!;
    },

    /** Catch-up for a socket: messages after `afterSeq`, oldest first, at most `resumeMax`. */
    async catchUp(actor: Actor, conversationId: string, afterSeq: number) {
      await access(actor, conversationId);
      const rows = await db
        .select()
        .from(message)
        .where(and(eq(message.conversationId, conversationId), gt(message.seq, afterSeq)))
        .orderBy(asc(message.seq))
        .limit(limits.resumeMax);
      return views(rows, actor.userId);
    },

    /** Posts a system message for an order or contract event into the order's conversations (idempotent by event id). */
    async onOrderEvent(topic: string, payload: MessagingEventPayload, eventId: string): Promise<void> {
      if (!payload.orderId) return;
      const convs = await db
        .select({ id: conversation.id })
        .from(conversation)
        .where(eq(conversation.orderId, payload.orderId));
      if (!convs.length) return;
      const params: Record<string, string> = { orderId: payload.orderId };
      if (payload.state) params.state = payload.state;
      if (payload.contractId) params.contractId = payload.contractId;
      const now = clock();
      for (const c of convs)
        await db.transaction((tx) => systemMessageIn(tx, c.id, topic, params, eventId, now));
    },

    // ---- interviews ----

    /** A resident, or company staff for their company, schedules a video interview with a worker. */
    async scheduleInterview(
      ctx: RequestContext,
      input: {
        workerId: string;
        scheduledAt: string;
        durationMinutes: number;
        companyId?: string | null | undefined;
        conversationId?: string | null | undefined;
      },
    ) {
      const actor = need(ctx);
      if (input.companyId) {
        if (!orgIdsOf(actor, 'company').includes(input.companyId)) throw new AppError('FORBIDDEN');
      } else if (!actor.roles.includes('resident')) {
        throw new AppError('FORBIDDEN');
      }
      const facts = await workerAccount(input.workerId);
      if (facts.userId === actor.userId) throw new AppError('MESSAGING_CONTEXT_UNSUPPORTED');
      const now = clock();
      const at = new Date(input.scheduledAt);
      if (!(at.getTime() > now.getTime()) || at.getTime() - now.getTime() > limits.interviewHorizonMs)
        throw new AppError('INTERVIEW_TIME_INVALID');
      if (input.conversationId) {
        const { c } = await access(actor, input.conversationId);
        if (c.workerId !== input.workerId) throw new AppError('MESSAGING_CONTEXT_UNSUPPORTED');
      }
      const id = newId('itv');
      const remindAt = new Date(Math.max(now.getTime(), at.getTime() - limits.reminderLeadMs));
      const row = await db.transaction(async (tx) => {
        const [r] = await tx
          .insert(interview)
          .values({
            id,
            conversationId: input.conversationId ?? null,
            workerId: input.workerId,
            workerUserId: facts.userId!,
            organizerUserId: actor.userId,
            companyId: input.companyId ?? null,
            scheduledAt: at,
            durationMinutes: input.durationMinutes,
            state: 'scheduled',
            remindAt,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await appendAudit(
          tx,
          ctx,
          { action: 'interview.scheduled', objectType: 'interview', objectId: id },
          now,
        );
        if (input.conversationId)
          await systemMessageIn(
            tx,
            input.conversationId,
            'interview.scheduled',
            { interviewId: id, at: at.toISOString() },
            null,
            now,
          );
        return r!;
      });
      // Notices after commit.
      await deps.notifications.notify({
        userId: facts.userId!,
        kind: 'interview.scheduled',
        title: '视频面试邀请 / Video interview',
        body: `面试时间 ${shanghaiMinute(at)}（北京时间）`,
        link: `/worker/interviews/${id}`,
      });
      return interviewView(row, actor);
    },

    /** Interviews the caller organizes, takes part in, or (staff) their company organized; soonest last. */
    async interviews(ctx: RequestContext, q: { cursor?: string | undefined; limit: number }) {
      const actor = need(ctx);
      const cur = decodeCursor(q.cursor, timeCursor);
      const orgs = orgIdsOf(actor, 'company');
      const rows = await db
        .select()
        .from(interview)
        .where(
          and(
            or(
              eq(interview.organizerUserId, actor.userId),
              eq(interview.workerUserId, actor.userId),
              orgs.length ? inArray(interview.companyId, orgs) : undefined,
            ),
            cur
              ? or(
                  lt(interview.scheduledAt, new Date(cur.v)),
                  and(eq(interview.scheduledAt, new Date(cur.v)), lt(interview.id, cur.id)),
                )
              : undefined,
          ),
        )
        .orderBy(desc(interview.scheduledAt), desc(interview.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ v: r.scheduledAt.toISOString(), id: r.id }));
      const items = [];
      for (const r of page.items) items.push(await interviewView(r, actor));
      return { items, nextCursor: page.nextCursor };
    },

    /** One interview for a participant, with the ICE servers the room needs. */
    async interview(ctx: RequestContext, id: string) {
      const actor = need(ctx);
      return { ...(await interviewView(await loadInterview(id), actor)), iceServers: deps.iceServers };
    },

    /** A participant enters the room: the interview is in progress from the first join. */
    async joinInterview(ctx: RequestContext, id: string) {
      const { row, actor } = await stepInterview(ctx, id, 'join', (now, i) =>
        i.startedAt ? {} : { startedAt: now },
      );
      return { ...(await interviewView(row, actor)), iceServers: deps.iceServers };
    },

    /** The organizer records the outcome: notes and whether to proceed to an order. */
    async completeInterview(
      ctx: RequestContext,
      id: string,
      input: { notes?: string | null | undefined; outcome: 'proceed' | 'decline' },
    ) {
      const { row, actor } = await stepInterview(
        ctx,
        id,
        'complete',
        (now) => ({ notes: input.notes ?? null, outcome: input.outcome, endedAt: now }),
        { outcome: input.outcome },
      );
      return interviewView(row, actor);
    },

    /** Either side cancels a scheduled or running interview. */
    async cancelInterview(ctx: RequestContext, id: string) {
      const { row, actor } = await stepInterview(ctx, id, 'cancel', (now) => ({ endedAt: now }));
      const other = row.workerUserId === actor.userId ? row.organizerUserId : row.workerUserId;
      await deps.notifications.notify({
        userId: other,
        kind: 'interview.cancelled',
        title: '视频面试已取消 / Interview cancelled',
        body: `原定面试时间 ${shanghaiMinute(row.scheduledAt)}（北京时间）`,
        link: null,
      });
      return interviewView(row, actor);
    },

    /** Whom a signaling frame from `actor` in interview `id` goes to; null when the caller is not in the room. */
    async signalPeer(actor: Actor, id: string): Promise<string | null> {
      const [i] = await db.select().from(interview).where(eq(interview.id, id));
      if (!i || (i.state !== 'scheduled' && i.state !== 'in_progress')) return null;
      if (i.organizerUserId === actor.userId) return i.workerUserId;
      if (i.workerUserId === actor.userId) return i.organizerUserId;
      return null;
    },

    /** Keeps a signaling payload too big for one NOTIFY; returns its id. */
    async storeSignal(payload: object): Promise<string> {
      const id = newId('sig');
      await db.insert(signalRelay).values({ id, payload, createdAt: clock() });
      return id;
    },

    /** Reads a stored signaling payload (relay within the last hour only). */
    async loadSignal(id: string): Promise<unknown> {
      const [r] = await db
        .select()
        .from(signalRelay)
        .where(
          and(eq(signalRelay.id, id), gte(signalRelay.createdAt, new Date(clock().getTime() - 3600_000))),
        );
      return r?.payload ?? null;
    },

    /** Reminds both sides of interviews starting soon (job); each interview once. Returns how many. */
    async runReminders(): Promise<number> {
      const now = clock();
      const due = await db
        .select()
        .from(interview)
        .where(
          and(eq(interview.state, 'scheduled'), lte(interview.remindAt, now), isNull(interview.remindedAt)),
        )
        .limit(200);
      let sent = 0;
      for (const i of due) {
        const claimed = await db.transaction(async (tx) => {
          const [u] = await tx
            .update(interview)
            .set({ remindedAt: now, updatedAt: now })
            .where(and(eq(interview.id, i.id), isNull(interview.remindedAt)))
            .returning({ id: interview.id });
          if (!u) return false;
          for (const userId of [i.organizerUserId, i.workerUserId])
            await deps.notifications.notify(
              {
                userId,
                kind: 'interview.reminder',
                title: '视频面试即将开始 / Interview starting soon',
                body: i.scheduledAt.toISOString(),
                link: null,
              },
              tx,
            );
          if (i.conversationId)
            await systemMessageIn(
              tx,
              i.conversationId,
              'interview.reminder',
              { interviewId: i.id },
              `remind-${i.id}`,
              now,
            );
          return true;
        });
        if (claimed) sent++;
      }
      // Signaling relays are only needed for seconds.
      await db.delete(signalRelay).where(lt(signalRelay.createdAt, new Date(now.getTime() - 3600_000)));
      return sent;
    },
  };

  async function listMessages(
    viewerId: string,
    conversationId: string,
    q: { cursor?: string | undefined; after?: number | undefined; limit: number },
  ) {
    const cur = decodeCursor(q.cursor, seqCursor);
    const forward = cur ? cur.d === 'a' : q.after !== undefined;
    const from = cur ? cur.s : (q.after ?? 0);
    const rows = await db
      .select()
      .from(message)
      .where(
        and(
          eq(message.conversationId, conversationId),
          forward ? gt(message.seq, from) : cur ? lt(message.seq, from) : undefined,
        ),
      )
      .orderBy(forward ? asc(message.seq) : desc(message.seq))
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => ({ s: r.seq, d: forward ? 'a' : 'd' }));
    return { items: await views(page.items, viewerId), nextCursor: page.nextCursor };
  }

  function reportView(r: typeof conversationReport.$inferSelect, names: Map<string, string>) {
    return {
      id: r.id,
      conversationId: r.conversationId,
      reporter: { name: names.get(r.reporterUserId) ?? '' },
      reason: r.reason,
      state: r.state as 'open' | 'reviewed',
      reviewNote: r.reviewNote,
      reviewedAt: r.reviewedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export type MessagingService = ReturnType<typeof createMessagingService>;
