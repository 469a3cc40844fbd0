import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, selfWorker } from '../../../../../test/factories/workers.js';
import { connect, type Frame } from './ws-client.js';

// The realtime socket on a real listening server: refused without a session or from a foreign origin,
// delivery after storage, exact catch-up after a reconnect, signaling only between the two people of an
// interview, and a flood closes the socket.
const ORIGIN = 'http://anxin.test';
let t: TestApp;
let wsUrl: string;
beforeAll(async () => {
  t = await buildTestApp({ PUBLIC_URL: ORIGIN });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = `${address.replace('http', 'ws')}/api/v1/ws`;
});
afterAll(async () => t?.close(), 20_000);

const inject = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });

async function pair() {
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  const worker = await selfWorker(t);
  const res = await inject('POST', '/conversations', resident.cookie, {
    context: 'profile',
    workerId: worker.workerId,
  });
  return { resident, worker, id: res.json().id as string };
}
const isMsg = (seq: number) => (f: Frame) =>
  f.type === 'message' && (f.message as { seq: number }).seq === seq;
const seqs = (frames: Frame[], conversationId: string) =>
  frames
    .filter(
      (f) =>
        f.type === 'message' && (f.message as { conversationId: string }).conversationId === conversationId,
    )
    .map((f) => (f.message as { seq: number }).seq);

describe('realtime socket', () => {
  test('refused without a session (401) and from a foreign origin (403)', async () => {
    await expect(connect(wsUrl, { origin: ORIGIN })).rejects.toMatchObject({ status: 401 });
    const a = await account(t);
    await expect(connect(wsUrl, { origin: 'https://evil.example', cookie: a.cookie })).rejects.toMatchObject({
      status: 403,
    });
    await expect(connect(wsUrl, { origin: 'https://evil.example' })).rejects.toMatchObject({ status: 401 });
    const ok = await connect(wsUrl, { origin: ORIGIN, cookie: a.cookie });
    await ok.close();
  });

  test('a stored message reaches the other side; a reconnecting client catches up exactly', async () => {
    const { resident, worker, id } = await pair();
    const ws = await connect(wsUrl, { origin: ORIGIN, cookie: worker.cookie });
    await inject('POST', `/conversations/${id}/messages`, resident.cookie, { text: '您好，想约个面试' });
    const got = await ws.waitFor(isMsg(1));
    expect(got.message).toMatchObject({ body: '您好，想约个面试', mine: false, side: 'resident' });
    await ws.close();

    // Offline: three more messages.
    for (const text of ['二', '三', '四'])
      await inject('POST', `/conversations/${id}/messages`, resident.cookie, { text });
    const back = await connect(wsUrl, { origin: ORIGIN, cookie: worker.cookie });
    back.send({ type: 'resume', conversationId: id, afterSeq: 1 });
    await back.waitFor((f) => f.type === 'resumed');
    expect(seqs(back.frames, id)).toEqual([2, 3, 4]);
    await inject('POST', `/conversations/${id}/messages`, resident.cookie, { text: '五' });
    await back.waitFor(isMsg(5));
    expect(seqs(back.frames, id)).toEqual([2, 3, 4, 5]);

    // Read receipt to the sender's socket.
    const sender = await connect(wsUrl, { origin: ORIGIN, cookie: resident.cookie });
    await inject('POST', `/conversations/${id}/read`, worker.cookie, { seq: 5 });
    expect(await sender.waitFor((f) => f.type === 'read')).toMatchObject({ conversationId: id, seq: 5 });

    // Resuming someone else's conversation reveals nothing.
    const stranger = await account(t);
    const s = await connect(wsUrl, { origin: ORIGIN, cookie: stranger.cookie });
    s.send({ type: 'resume', conversationId: id, afterSeq: 0 });
    expect(await s.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'NOT_FOUND' });
    expect(seqs(s.frames, id)).toEqual([]);
    await Promise.all([back.close(), sender.close(), s.close()]);
  });

  test('signaling goes only between the organizer and the worker; large frames are relayed too', async () => {
    const { resident, worker } = await pair();
    const iv = (
      await inject('POST', '/interviews', resident.cookie, {
        workerId: worker.workerId,
        scheduledAt: new Date(t.clock.now.getTime() + 3600_000).toISOString(),
      })
    ).json();
    const a = await connect(wsUrl, { origin: ORIGIN, cookie: resident.cookie });
    const b = await connect(wsUrl, { origin: ORIGIN, cookie: worker.cookie });
    a.send({ type: 'signal', interviewId: iv.id, data: { kind: 'hello' } });
    expect(await b.waitFor((f) => f.type === 'signal')).toMatchObject({
      interviewId: iv.id,
      data: { kind: 'hello' },
    });
    const sdp = `v=0\r\n${'a=candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host\r\n'.repeat(200)}`;
    b.send({ type: 'signal', interviewId: iv.id, data: { kind: 'offer', sdp } });
    const offer = await a.waitFor(
      (f) => f.type === 'signal' && (f.data as { kind: string }).kind === 'offer',
    );
    expect((offer.data as { sdp: string }).sdp).toBe(sdp);

    const stranger = await account(t);
    const c = await connect(wsUrl, { origin: ORIGIN, cookie: stranger.cookie });
    c.send({ type: 'signal', interviewId: iv.id, data: { kind: 'hello' } });
    expect(await c.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'NOT_FOUND' });
    c.send({ type: 'signal', interviewId: iv.id, data: { kind: 'nonsense' } });
    await c.waitFor((f) => f.type === 'error' && f.code === 'VALIDATION_FAILED');
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  test('a flood of frames closes the socket with 4429', async () => {
    const a = await account(t);
    const ws = await connect(wsUrl, { origin: ORIGIN, cookie: a.cookie });
    for (let i = 0; i < 200; i++) ws.send({ type: 'ping' });
    expect(await ws.closed).toMatchObject({ code: 4429 });
  });
});
