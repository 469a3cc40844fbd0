import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { AppError } from '../errors.js';
import type { AntivirusScanner } from '../storage/antivirus.js';

/** How long /readyz waits for the database before answering 503. */
const READY_TIMEOUT_MS = 2000;

/** /healthz (the process is alive), /readyz (it can reach its database and its scanner), /metrics (Prometheus). */
export function registerObservability(
  app: FastifyInstance,
  deps: {
    database: Database;
    metricsToken?: string | undefined;
    exposeMetrics?: boolean;
    /** When set, /readyz also needs clamd to answer PING: uploads fail closed without it. */
    antivirus?: AntivirusScanner | undefined;
  },
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'anxin_' });
  const duration = new Histogram({
    name: 'anxin_http_request_duration_seconds',
    help: 'HTTP request duration by route and status class',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'anxin_http_errors_total',
    help: 'Responses with status >= 500',
    labelNames: ['route'],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = `${Math.floor(reply.statusCode / 100)}xx`;
    duration.observe({ method: request.method, route, status }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) errors.inc({ route });
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/healthz', {
    // Not queued behind a saturated server's requests (http/admission.ts): a slow answer would get a busy but healthy
    // process restarted by its orchestrator.
    config: { authz: { public: 'liveness probe for the orchestrator' }, rateLimit: false, admission: false },
    schema: { tags: ['operations'], response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 'ok' as const }),
  });
  r.get('/readyz', {
    config: { authz: { public: 'readiness probe for the load balancer' }, rateLimit: false },
    schema: {
      tags: ['operations'],
      response: {
        200: z.object({
          status: z.literal('ready'),
          database: z.string(),
          antivirus: z.enum(['clamd', 'off']),
        }),
      },
    },
    handler: async () => {
      // A database that does not answer (a partition, a stalled server) is as unready as one that refuses.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database did not answer in time')), READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([deps.database.raw.query('select 1'), late]);
      } catch (e) {
        throw new AppError('SERVICE_UNAVAILABLE', { cause: e });
      } finally {
        clearTimeout(timer);
      }
      if (deps.antivirus) {
        const scanner = deps.antivirus;
        const slow = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('clamd did not answer in time')), READY_TIMEOUT_MS);
        });
        try {
          await Promise.race([scanner.ping(), slow]);
        } catch (e) {
          throw new AppError('SERVICE_UNAVAILABLE', {
            zh: '病毒扫描服务（clamd）无响应，上传将被拒绝',
            en: 'The antivirus scanner (clamd) is not answering; uploads would be refused',
            cause: e,
          });
        } finally {
          clearTimeout(timer);
        }
      }
      return {
        status: 'ready' as const,
        database: deps.database.kind,
        antivirus: deps.antivirus ? ('clamd' as const) : ('off' as const),
      };
    },
  });
  // Production without METRICS_TOKEN does not expose the process metrics at all (ASVS 13.4.5).
  if (deps.exposeMetrics === false) return;
  app.get('/metrics', {
    config: { authz: { public: 'Prometheus scrape; guarded by METRICS_TOKEN when set' }, rateLimit: false },
    schema: { tags: ['operations'], hide: true },
    handler: async (request, reply) => {
      if (deps.metricsToken && request.headers.authorization !== `Bearer ${deps.metricsToken}`) {
        throw new AppError('UNAUTHENTICATED');
      }
      reply.type(registry.contentType);
      return registry.metrics();
    },
  });
}
