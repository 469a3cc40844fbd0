import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { interviewActions, interviewStates } from './interview-status.js';
import { contextKinds, type MessagingService, messagingLimits } from './messaging.service.js';

const id = z.string().min(1).max(64);
const idParam = z.strictObject({ id });
const ts = z.string().describe('UTC, ISO 8601');
const listQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
};
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const side = z.enum(['resident', 'worker', 'company']);
const named = z.object({ id: z.string(), name: z.string() });

const messageView = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  kind: z.enum(['text', 'image', 'system']),
  side: z.enum(['resident', 'worker', 'company', 'system']),
  sender: z.object({ userId: z.string(), name: z.string() }).nullable(),
  mine: z.boolean(),
  body: z.string().nullable(),
  imageUrl: z.string().nullable(),
  privacyFlags: z.array(z.string()).describe("'phone' | 'id_number': both sides see a privacy warning"),
  systemCode: z.string().nullable(),
  systemParams: z.record(z.string(), z.string()).nullable(),
  clientKey: z.string().nullable(),
  createdAt: ts,
});
const conversationView = z.object({
  id: z.string(),
  contextKind: z.enum(contextKinds),
  contextId: z.string().nullable(),
  orderId: z.string().nullable(),
  mySide: side,
  resident: z.object({ name: z.string() }),
  worker: named.nullable(),
  company: named.nullable(),
  lastSeq: z.number().int(),
  myReadSeq: z.number().int(),
  othersReadSeq: z.number().int().describe('Read receipts: furthest seq any other participant has read'),
  unread: z.number().int(),
  blockedByMe: z.boolean(),
  blockedByOther: z.boolean(),
  lastMessageAt: ts,
  createdAt: ts,
});
const inboxItem = z.object({
  id: z.string(),
  contextKind: z.enum(contextKinds),
  orderId: z.string().nullable(),
  mySide: side,
  resident: z.object({ name: z.string() }),
  worker: named.nullable(),
  company: named.nullable(),
  unread: z.number().int(),
  lastSeq: z.number().int(),
  lastMessage: z
    .object({
      kind: z.enum(['text', 'image', 'system']),
      preview: z.string().nullable(),
      systemCode: z.string().nullable(),
      at: ts,
    })
    .nullable(),
  lastMessageAt: ts,
});
const reportView = z.object({
  id: z.string(),
  conversationId: z.string(),
  reporter: z.object({ name: z.string() }),
  reason: z.string(),
  state: z.enum(['open', 'reviewed']),
  reviewNote: z.string().nullable(),
  reviewedAt: ts.nullable(),
  createdAt: ts,
});
const iceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
const interviewView = z.object({
  id: z.string(),
  state: z.enum(interviewStates),
  scheduledAt: ts,
  durationMinutes: z.number().int(),
  conversationId: z.string().nullable(),
  worker: named,
  organizer: z.object({ name: z.string(), company: named.nullable() }),
  myParty: z.enum(['organizer', 'worker']),
  canJoinRoom: z.boolean(),
  actions: z.array(z.enum(interviewActions)),
  notes: z.string().nullable(),
  outcome: z.enum(['proceed', 'decline']).nullable(),
  bookingPath: z.string().nullable().describe('"Proceed to order": the page that books this worker'),
  startedAt: ts.nullable(),
  endedAt: ts.nullable(),
  createdAt: ts,
});
const interviewRoom = interviewView.extend({ iceServers: z.array(iceServer) });

const anyone = { authz: { roles: 'any' as const } };
const organizers = { authz: { roles: ['resident', 'company_admin', 'company_staff'] as const } };

/** Reads the single image of a multipart request; the size limit is enforced while streaming. */
async function readImage(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { en: 'Send multipart/form-data with a file' });
  let data: Buffer | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') continue;
      if (data) {
        await part.toBuffer();
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'file', message: 'one file per message' }],
        });
      }
      data = await part.toBuffer();
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('FILE_TOO_LARGE', { detail: `The limit is ${messagingLimits.imageMaxBytes} bytes` });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'too many parts' }] });
    throw new AppError('MALFORMED_REQUEST', { cause: e });
  }
  if (!data)
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'a file is required' }] });
  return data;
}

/** /api/v1 routes of conversations, messages, reports and interviews (the socket is in messaging.socket.ts). */
export function messagingRoutes(svc: MessagingService) {
  return async function plugin(app: FastifyInstance) {
    await app.register(multipart, {
      limits: { fileSize: messagingLimits.imageMaxBytes, files: 1, fields: 2, fieldSize: 200, parts: 3 },
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['messaging'];

    r.post('/conversations', {
      config: anyone,
      schema: {
        tags,
        summary:
          'Open (or return) a conversation from a worker/company profile, an order or a demand offer; job_application is reserved',
        body: z.strictObject({
          context: z.enum(contextKinds),
          workerId: id.nullish(),
          companyId: id.nullish(),
          orderId: id.nullish(),
          demandId: id.nullish(),
          offerId: id.nullish(),
        }),
        response: { 200: conversationView },
      },
      handler: async (req) => svc.open(contextOf(req), req.body),
    });

    r.get('/conversations', {
      config: anyone,
      schema: {
        tags,
        summary: 'My conversations (as resident, worker or company staff), latest activity first',
        querystring: z.strictObject(listQuery),
        response: { 200: page(inboxItem) },
      },
      handler: async (req) => svc.inbox(contextOf(req), req.query),
    });

    r.get('/conversations/unread', {
      config: anyone,
      schema: {
        tags,
        summary: 'Unread messages across my conversations',
        response: { 200: z.object({ unread: z.number().int() }) },
      },
      handler: async (req) => svc.unreadTotal(contextOf(req)),
    });

    r.get('/conversations/:id', {
      config: anyone,
      schema: {
        tags,
        summary: 'One conversation (participants only)',
        params: idParam,
        response: { 200: conversationView },
      },
      handler: async (req) => svc.get(contextOf(req), req.params.id),
    });

    r.get('/conversations/:id/messages', {
      config: anyone,
      schema: {
        tags,
        summary: 'History, newest first; `after=<seq>` reads forward (catch-up after a reconnect)',
        params: idParam,
        querystring: z.strictObject({ ...listQuery, after: z.coerce.number().int().min(0).optional() }),
        response: { 200: page(messageView) },
      },
      handler: async (req) => svc.messages(contextOf(req), req.params.id, req.query),
    });

    r.get('/conversations/:id/messages/search', {
      config: anyone,
      schema: {
        tags,
        summary: 'Text messages containing `q`, newest first',
        params: idParam,
        querystring: z.strictObject({ ...listQuery, q: z.string().trim().min(1).max(50) }),
        response: { 200: page(messageView) },
      },
      handler: async (req) => svc.search(contextOf(req), req.params.id, req.query),
    });

    r.post('/conversations/:id/messages', {
      config: anyone,
      schema: {
        tags,
        summary: `Send a text (at most ${messagingLimits.textMaxChars} characters; ${messagingLimits.messagesPerMinute} per minute per person)`,
        params: idParam,
        body: z.strictObject({
          text: z.string().trim().min(1).max(messagingLimits.textMaxChars),
          clientKey: z
            .string()
            .regex(/^[A-Za-z0-9_-]{8,64}$/)
            .nullish()
            .describe('Client-made id: re-sending the same key stores the message once'),
        }),
        response: { 201: messageView },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.sendText(contextOf(req), req.params.id, req.body)),
    });

    r.post('/conversations/:id/images', {
      config: anyone,
      schema: {
        tags,
        summary: `Send an image (multipart: file; JPEG or PNG, at most ${messagingLimits.imageMaxBytes} bytes)`,
        params: idParam,
        consumes: ['multipart/form-data'],
        response: { 201: messageView },
      },
      handler: async (req, reply) => {
        const data = await readImage(req);
        return reply.status(201).send(await svc.sendImage(contextOf(req), req.params.id, { data }));
      },
    });

    r.get('/messages/:id/image', {
      config: anyone,
      schema: {
        tags,
        summary: 'The image of an image message (participants; regulators for reported conversations)',
        params: idParam,
      },
      handler: async (req, reply) => {
        const img = await svc.image(contextOf(req), req.params.id);
        return reply.type(img.mime).header('cache-control', 'private, no-store').send(img.data);
      },
    });

    r.post('/conversations/:id/read', {
      config: anyone,
      schema: {
        tags,
        summary: 'Mark read up to `seq` (read receipt for the others)',
        params: idParam,
        body: z.strictObject({ seq: z.number().int().min(0) }),
        response: { 200: conversationView },
      },
      handler: async (req) => svc.markRead(contextOf(req), req.params.id, req.body.seq),
    });

    r.post('/conversations/:id/block', {
      config: anyone,
      schema: {
        tags,
        summary: 'Block: the other side can no longer write here',
        params: idParam,
        response: { 200: conversationView },
      },
      handler: async (req) => svc.block(contextOf(req), req.params.id),
    });

    r.delete('/conversations/:id/block', {
      config: anyone,
      schema: { tags, summary: 'Lift my block', params: idParam, response: { 200: conversationView } },
      handler: async (req) => svc.unblock(contextOf(req), req.params.id),
    });

    r.post('/conversations/:id/reports', {
      config: anyone,
      schema: {
        tags,
        summary: 'Report the conversation to the regulator',
        params: idParam,
        body: z.strictObject({ reason: z.string().trim().min(2).max(500) }),
        response: { 201: z.object({ id: z.string(), state: z.literal('open'), createdAt: ts }) },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.report(contextOf(req), req.params.id, req.body)),
    });

    r.get('/regulator/message-reports', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Reported conversations, newest first',
        querystring: z.strictObject({ ...listQuery, state: z.enum(['open', 'reviewed']).optional() }),
        response: { 200: page(reportView) },
      },
      handler: async (req) => svc.reports(contextOf(req), req.query),
    });

    r.get('/regulator/message-reports/:id', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'A reported conversation with a page of its messages (each read is audited)',
        params: idParam,
        querystring: z.strictObject(listQuery),
        response: {
          200: z.object({
            report: reportView,
            conversation: z.object({
              id: z.string(),
              contextKind: z.enum(contextKinds),
              orderId: z.string().nullable(),
              resident: z.object({ name: z.string() }),
              worker: named.nullable(),
              company: named.nullable(),
              lastSeq: z.number().int(),
            }),
            messages: page(messageView),
          }),
        },
      },
      handler: async (req) => svc.reviewRead(contextOf(req), req.params.id, req.query),
    });

    r.post('/regulator/message-reports/:id/review', {
      config: { authz: { roles: ['regulator'] } },
      schema: {
        tags,
        summary: 'Close a report with a note',
        params: idParam,
        body: z.strictObject({ note: z.string().trim().min(2).max(1000) }),
        response: { 200: reportView },
      },
      handler: async (req) => svc.reviewReport(contextOf(req), req.params.id, req.body),
    });

    // ---- interviews ----
    r.post('/interviews', {
      config: organizers,
      schema: {
        tags,
        summary: 'Schedule a video interview with a worker (resident, or company staff with companyId)',
        body: z.strictObject({
          workerId: id,
          scheduledAt: z.iso.datetime({ offset: true }),
          durationMinutes: z.number().int().min(5).max(180).default(30),
          companyId: id.nullish(),
          conversationId: id.nullish(),
        }),
        response: { 201: interviewView },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.scheduleInterview(contextOf(req), req.body)),
    });

    r.get('/interviews', {
      config: anyone,
      schema: {
        tags,
        summary: 'My interviews, latest first',
        querystring: z.strictObject(listQuery),
        response: { 200: page(interviewView) },
      },
      handler: async (req) => svc.interviews(contextOf(req), req.query),
    });

    r.get('/interviews/:id', {
      config: anyone,
      schema: {
        tags,
        summary: 'One interview with ICE servers (participants only)',
        params: idParam,
        response: { 200: interviewRoom },
      },
      handler: async (req) => svc.interview(contextOf(req), req.params.id),
    });

    r.post('/interviews/:id/join', {
      config: anyone,
      schema: {
        tags,
        summary: 'Enter the room (the organizer and the worker only); signaling then runs over the socket',
        params: idParam,
        response: { 200: interviewRoom },
      },
      handler: async (req) => svc.joinInterview(contextOf(req), req.params.id),
    });

    r.post('/interviews/:id/outcome', {
      config: organizers,
      schema: {
        tags,
        summary: 'Record the outcome: notes and proceed (to an order) or decline',
        params: idParam,
        body: z.strictObject({
          notes: z.string().trim().max(2000).nullish(),
          outcome: z.enum(['proceed', 'decline']),
        }),
        response: { 200: interviewView },
      },
      handler: async (req) => svc.completeInterview(contextOf(req), req.params.id, req.body),
    });

    r.post('/interviews/:id/cancel', {
      config: anyone,
      schema: {
        tags,
        summary: 'Cancel a scheduled or running interview',
        params: idParam,
        response: { 200: interviewView },
      },
      handler: async (req) => svc.cancelInterview(contextOf(req), req.params.id),
    });
  };
}
