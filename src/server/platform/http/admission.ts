import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route skips the admission queue (the liveness probe must answer while the server is saturated). */
    admission?: false;
  }
}

/**
 * Requests start in the order they arrived, one per turn of the event loop.
 *
 * Why: a request's work is mostly synchronous CPU on one thread (PGlite runs in-process, so a booking's statements
 * never yield to the poll phase). Node reads every connection that is ready in one poll phase and runs each request
 * straight to its response, in the order epoll hands the sockets over, which is not the order the requests arrived.
 * Under saturation a request that arrived early can so wait for two rounds of every other connection: with 16
 * keep-alive connections and 6 ms of work each, p50 was ~95 ms and p99 ~200 ms (a bare `http` server that only
 * burns 6 ms shows the same), while each request spent p50 5 ms / p99 21 ms inside Fastify. Started one per turn,
 * the poll phase between two starts reads what arrived meanwhile and queues it behind what came before: the wait is
 * about one round for everybody (p99 ~1.2 × p50 on the same bare server). Throughput is unchanged: the queue only
 * orders work that would have waited anyway.
 *
 * At most `maxWaiting` requests wait; one more is answered 503 SERVER_BUSY with Retry-After at once, instead of being
 * queued for seconds (load shedding: the client can retry, and the requests already waiting are not slowed down).
 */
export interface AdmissionQueue {
  /** Queues `start`; false when the queue is full (nothing is queued). */
  enter(start: () => void): boolean;
  /** How many requests are waiting now. */
  readonly waiting: number;
}

export function createAdmissionQueue(maxWaiting: number): AdmissionQueue {
  if (!Number.isInteger(maxWaiting) || maxWaiting < 1)
    throw new RangeError('maxWaiting must be a positive integer');
  // A FIFO over an array with a moving head (shift() is O(n)); compacted when the head has passed half of it.
  let q: ((() => void) | undefined)[] = [];
  let head = 0;
  let scheduled = false;
  const pump = () => {
    const start = q[head];
    q[head++] = undefined; // the queue holds no reference to a started request
    if (head === q.length) {
      q = [];
      head = 0;
    } else if (head > 1024 && head * 2 > q.length) {
      q = q.slice(head);
      head = 0;
    }
    // The next start is in the next turn, after that turn's poll phase has queued what arrived during this one.
    scheduled = head < q.length;
    if (scheduled) setImmediate(pump);
    start?.();
  };
  return {
    enter(start) {
      if (q.length - head >= maxWaiting) return false;
      q.push(start);
      if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
      return true;
    },
    get waiting() {
      return q.length - head;
    },
  };
}

/** Every request (but routes with `config.admission === false`) goes through the queue at this point of onRequest. */
export function registerAdmission(app: FastifyInstance, opts: { maxWaiting: number }): AdmissionQueue {
  const queue = createAdmissionQueue(opts.maxWaiting);
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.config?.admission === false) return done();
    if (queue.enter(done)) return;
    done(new AppError('SERVER_BUSY', { headers: { 'retry-after': '1' } }));
  });
  return queue;
}
