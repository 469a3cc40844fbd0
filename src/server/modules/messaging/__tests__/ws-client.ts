import { createRequire } from 'node:module';

/** The parts of a `ws` client socket the tests use (the package ships no types). */
export interface ClientSocket {
  send(data: string): void;
  close(): void;
  terminate(): void;
  on(event: 'open', cb: () => void): void;
  on(event: 'message', cb: (data: Buffer) => void): void;
  on(event: 'close', cb: (code: number, reason: Buffer) => void): void;
  on(event: 'unexpected-response', cb: (req: unknown, res: { statusCode: number }) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
}
type WsCtor = new (url: string, opts: { headers: Record<string, string> }) => ClientSocket;
const WebSocketClient = createRequire(import.meta.url)('ws') as WsCtor;

export type Frame = { type: string } & Record<string, unknown>;

/** A connected socket that records every frame, with a wait for the frame a test expects. */
export interface TestSocket {
  frames: Frame[];
  send(frame: object): void;
  waitFor(pred: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a socket; resolves once the server says it is subscribed ('ready'), or rejects with the HTTP refusal. */
export function connect(url: string, headers: Record<string, string>): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocketClient(url, { headers });
    const frames: Frame[] = [];
    const waiters: { pred: (f: Frame) => boolean; done: (f: Frame) => void }[] = [];
    let closedResolve: (v: { code: number; reason: string }) => void = () => undefined;
    const closed = new Promise<{ code: number; reason: string }>((r) => {
      closedResolve = r;
    });
    const api: TestSocket = {
      frames,
      closed,
      send: (f) => ws.send(JSON.stringify(f)),
      waitFor(pred, timeoutMs = 10_000) {
        const hit = frames.find(pred);
        if (hit) return Promise.resolve(hit);
        return new Promise((res, rej) => {
          const timer = setTimeout(
            () => rej(new Error(`no matching frame; got ${JSON.stringify(frames)}`)),
            timeoutMs,
          );
          waiters.push({
            pred,
            done: (f) => {
              clearTimeout(timer);
              res(f);
            },
          });
        });
      },
      async close() {
        ws.close();
        await closed;
      },
    };
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      frames.push(f);
      for (const w of [...waiters])
        if (w.pred(f)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.done(f);
        }
      if (f.type === 'ready') resolve(api);
    });
    ws.on('close', (code, reason) => closedResolve({ code, reason: reason.toString() }));
    ws.on('unexpected-response', (req, res) => {
      // With this listener registered, ws leaves the refused request open; end it so servers can close.
      (req as { destroy(): void }).destroy();
      reject(Object.assign(new Error('refused'), { status: res.statusCode }));
    });
    ws.on('error', (err) => reject(err));
    ws.on('close', () => reject(new Error('closed before ready')));
  });
}
