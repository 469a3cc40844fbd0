import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { createAdmissionQueue, registerAdmission } from '../admission.js';
import { registerErrorHandling } from '../error-handler.js';

const burn = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('admission queue', () => {
  test('starts requests in the order they entered, including one that enters while another runs', async () => {
    const q = createAdmissionQueue(10);
    const order: string[] = [];
    const all = new Promise<void>((done) => {
      q.enter(() => {
        order.push('a');
        q.enter(() => {
          order.push('d');
          done();
        });
      });
      q.enter(() => order.push('b'));
      q.enter(() => order.push('c'));
    });
    expect(q.waiting).toBe(3);
    expect(order).toEqual([]); // nothing starts in the tick it entered
    await all;
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(q.waiting).toBe(0);
  });

  test('one start per event-loop turn: what became due while a start ran is handled before the next start', async () => {
    // The batch behaviour this replaces ran every ready request back to back in one macrotask; then a timer (or a
    // socket read) that became due during the first would wait for all of them.
    const q = createAdmissionQueue(10);
    const order: string[] = [];
    await new Promise<void>((done) => {
      q.enter(() => {
        order.push('start 1');
        setTimeout(() => order.push('timer due during start 1'), 0);
        burn(20); // the timer (1 ms) is due long before this start returns
      });
      q.enter(() => {
        order.push('start 2');
        done();
      });
    });
    expect(order).toEqual(['start 1', 'timer due during start 1', 'start 2']);
  });

  test('a full queue refuses without queueing; it accepts again once a place is free', async () => {
    const q = createAdmissionQueue(2);
    const started: number[] = [];
    expect(q.enter(() => started.push(1))).toBe(true);
    expect(q.enter(() => started.push(2))).toBe(true);
    expect(q.enter(() => started.push(3))).toBe(false);
    expect(q.waiting).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1]);
    expect(q.enter(() => started.push(4))).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual([1, 2, 4]);
  });

  test('keeps order across many waits (the array compaction)', async () => {
    const q = createAdmissionQueue(5000);
    const started: number[] = [];
    const n = 3000;
    await new Promise<void>((done) => {
      for (let i = 0; i < n; i++)
        q.enter(() => {
          started.push(i);
          if (i === n - 1) done();
        });
    });
    expect(started).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  test('rejects a non-positive bound', () => {
    expect(() => createAdmissionQueue(0)).toThrow(RangeError);
  });
});

describe('registerAdmission', () => {
  async function app(maxWaiting: number) {
    const app = Fastify();
    registerErrorHandling(app);
    registerAdmission(app, { maxWaiting });
    let handled = 0;
    app.get('/work', async () => {
      handled++;
      return { ok: true };
    });
    app.get('/healthz', { config: { admission: false } }, async () => ({ status: 'ok' }));
    await app.ready();
    return { app, handled: () => handled };
  }

  test('past the bound: 503 SERVER_BUSY problem+json with Retry-After, and the handler never runs', async () => {
    const { app: a, handled } = await app(2);
    const replies = await Promise.all([1, 2, 3, 4].map(() => a.inject({ method: 'GET', url: '/work' })));
    expect(replies.map((r) => r.statusCode).sort()).toEqual([200, 200, 503, 503]);
    const busy = replies.find((r) => r.statusCode === 503)!;
    expect(busy.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(busy.headers['retry-after']).toBe('1');
    const body = busy.json();
    expect(body.code).toBe('SERVER_BUSY');
    expect(body.message['zh-CN']).toBe('服务器繁忙，请稍后重试');
    expect(handled()).toBe(2);
    await a.close();
  });

  test('a route with admission: false answers even while the queue is full', async () => {
    const { app: a } = await app(1);
    const [w1, w2, h] = await Promise.all([
      a.inject({ method: 'GET', url: '/work' }),
      a.inject({ method: 'GET', url: '/work' }),
      a.inject({ method: 'GET', url: '/healthz' }),
    ]);
    expect([w1.statusCode, w2.statusCode].sort()).toEqual([200, 503]);
    expect(h.statusCode).toBe(200);
    await a.close();
  });
});
