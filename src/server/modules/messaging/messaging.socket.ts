import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RealtimeBus } from '../../platform/realtime/realtime.js';
import { AppError } from '../../platform/errors.js';
import { type Actor, orgIdsOf } from '../../platform/http/actor.js';
import { originAllowed } from './messaging.policy.js';
import type { MessagingService } from './messaging.service.js';
import { type BusEvent, orgChannel, userChannel } from './realtime-channels.js';

/** Frames a browser may send over the socket. Everything else is answered with an error frame. */
export const clientFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping') }),
  z.strictObject({
    type: z.literal('resume'),
    conversationId: z.string().min(1).max(64),
    afterSeq: z.number().int().min(0),
  }),
  z.strictObject({
    type: z.literal('signal'),
    interviewId: z.string().min(1).max(64),
    data: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('hello'), reply: z.boolean().optional() }),
      z.strictObject({ kind: z.literal('bye') }),
      z.strictObject({ kind: z.enum(['offer', 'answer']), sdp: z.string().max(60_000) }),
      z.strictObject({
        kind: z.literal('ice'),
        candidate: z
          .strictObject({
            candidate: z.string().max(2000),
            sdpMid: z.string().max(100).nullish(),
            sdpMLineIndex: z.number().int().min(0).max(100).nullish(),
            usernameFragment: z.string().max(200).nullish(),
          })
          .nullable(),
      }),
    ]),
  }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** The part of a `ws` socket used here (the package ships no types of its own). */
interface Socket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'close' | 'error', listener: () => void): void;
}

/** Socket close codes (4000–4999 are the application's). */
export const closeCodes = { rateLimited: 4429, badFrames: 4400 } as const;

// Room for a burst of ICE candidates; a client past it is not a browser of ours.
const FRAMES_PER_10S = 120;
// A NOTIFY payload must stay under 8000 bytes; larger signaling frames go through the signal_relay table.
const INLINE_SIGNAL_BYTES = 6000;

export interface SocketDeps {
  bus: RealtimeBus;
  publicUrl: string;
  corsOrigins: string[];
}

/** GET /api/v1/ws: one socket per signed-in browser for chat delivery, read receipts and interview signaling. */
export function messagingSocketRoutes(svc: MessagingService, deps: SocketDeps) {
  return async function plugin(app: FastifyInstance) {
    app.get(
      '/ws',
      {
        config: { authz: { roles: 'any' } },
        schema: { tags: ['messaging'], summary: 'WebSocket (session cookie; same origin only)' },
        websocket: true,
        // Runs after the authz gate (which refuses a missing session with 401 before the upgrade).
        onRequest: async (request) => {
          if (
            !originAllowed(
              request.headers.origin,
              { publicUrl: deps.publicUrl, host: request.headers.host },
              deps.corsOrigins,
            )
          )
            throw new AppError('MESSAGING_ORIGIN_REFUSED');
        },
      },
      (socket: unknown, request: FastifyRequest) => {
        serve(socket as Socket, request.actor as Actor, svc, deps.bus, app.log);
      },
    );
  };
}

function serve(
  socket: Socket,
  actor: Actor,
  svc: MessagingService,
  bus: RealtimeBus,
  log: FastifyInstance['log'],
): void {
  const send = (frame: object) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  // Deliveries run one at a time, so frames leave in the order the bus delivered them (commit order).
  let chain: Promise<unknown> = Promise.resolve();
  const serial = (fn: () => Promise<void>) => {
    chain = chain.then(fn).catch((err: Error) => log.warn({ error: err.message }, 'socket delivery failed'));
  };
  const peers = new Map<string, string | null>();
  const peerOf = async (interviewId: string) => {
    if (!peers.has(interviewId)) peers.set(interviewId, await svc.signalPeer(actor, interviewId));
    return peers.get(interviewId) ?? null;
  };

  const onBus = (raw: unknown) =>
    serial(async () => {
      const e = raw as BusEvent;
      if (e.t === 'msg') {
        const m = await svc.messageFor(actor, e.id);
        if (m) send({ type: 'message', message: m });
      } else if (e.t === 'read') {
        if (e.u !== actor.userId) send({ type: 'read', conversationId: e.c, seq: e.seq });
      } else if (e.t === 'sig') {
        const data = e.ref ? await svc.loadSignal(e.ref) : e.d;
        if (data && e.from !== actor.userId) send({ type: 'signal', interviewId: e.i, data });
      }
    });

  const unsubscribers: Promise<() => Promise<void>>[] = [bus.subscribe(userChannel(actor.userId), onBus)];
  for (const orgId of orgIdsOf(actor, 'company')) unsubscribers.push(bus.subscribe(orgChannel(orgId), onBus));
  const ready = Promise.all(unsubscribers);
  ready.then(
    () => send({ type: 'ready', userId: actor.userId }),
    (err: Error) => {
      log.error({ error: err.message }, 'socket subscribe failed');
      socket.close(1011, 'subscribe failed');
    },
  );

  let windowStart = Date.now();
  let frames = 0;
  let bad = 0;
  socket.on('message', (data, isBinary) => {
    const now = Date.now();
    if (now - windowStart > 10_000) {
      windowStart = now;
      frames = 0;
    }
    if (++frames > FRAMES_PER_10S) {
      send({ type: 'error', code: 'RATE_LIMITED' });
      socket.close(closeCodes.rateLimited, 'rate limited');
      return;
    }
    let frame: ClientFrame;
    try {
      if (isBinary) throw new Error('binary');
      frame = clientFrame.parse(JSON.parse(data.toString()));
    } catch {
      send({ type: 'error', code: 'VALIDATION_FAILED' });
      if (++bad > 20) socket.close(closeCodes.badFrames, 'invalid frames');
      return;
    }
    void ready.then(() => handle(frame));
  });

  async function handle(frame: ClientFrame): Promise<void> {
    if (frame.type === 'ping') return send({ type: 'pong' });
    if (frame.type === 'resume') {
      // Queued behind live deliveries, so the client sees history then live messages, and drops seqs it has.
      return serial(async () => {
        try {
          const items = await svc.catchUp(actor, frame.conversationId, frame.afterSeq);
          for (const m of items) send({ type: 'message', message: m });
          send({ type: 'resumed', conversationId: frame.conversationId, count: items.length });
        } catch {
          send({ type: 'error', code: 'NOT_FOUND', conversationId: frame.conversationId });
        }
      });
    }
    const peer = await peerOf(frame.interviewId);
    if (!peer) return send({ type: 'error', code: 'NOT_FOUND', interviewId: frame.interviewId });
    const inline: BusEvent = { t: 'sig', i: frame.interviewId, from: actor.userId, d: frame.data };
    const event =
      Buffer.byteLength(JSON.stringify(inline)) > INLINE_SIGNAL_BYTES
        ? {
            t: 'sig' as const,
            i: frame.interviewId,
            from: actor.userId,
            ref: await svc.storeSignal(frame.data),
          }
        : inline;
    await bus.publish(userChannel(peer), event);
  }

  socket.on('close', () => {
    void ready.then((list) => Promise.all(list.map((u) => u()))).catch(() => undefined);
  });
  socket.on('error', () => socket.terminate());
}
