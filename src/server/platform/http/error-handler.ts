import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { databaseUnavailableCode } from '../db/unavailable.js';
import { AppError, errorCatalog, type ErrorCode, type FieldIssue } from '../errors.js';
import { problem } from './problem.js';

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  issues?: FieldIssue[],
  override?: { zh: string; en: string },
) {
  const entry = errorCatalog[code];
  const body = problem(
    code,
    entry.status,
    override?.zh ?? entry.zh,
    override?.en ?? entry.en,
    String(request.id),
    issues,
  );
  return reply
    .status(entry.status)
    .type('application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(body);
}

function zodIssues(error: {
  validation: { keyword?: string; instancePath?: string; message?: string; params?: unknown }[];
  validationContext?: string;
}): FieldIssue[] {
  return error.validation.map((v) => {
    const path = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const keys = (v.params as { keys?: string[] } | undefined)?.keys;
    if (v.keyword === 'unrecognized_keys' && keys?.length) {
      const full = keys.map((k) => (path ? `${path}.${k}` : k));
      return { path: full.join(','), message: `unknown field(s): ${full.join(', ')}` };
    }
    return { path: path || (error.validationContext ?? ''), message: v.message ?? 'invalid' };
  });
}

/** Turns every error into problem+json. Internals (stack, SQL, paths) never reach the client. */
export function registerErrorHandling(
  app: FastifyInstance,
  opts: { spaFallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined } = {},
): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      return send(reply, request, error.code, error.issues, { zh: error.zh, en: error.en });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return send(reply, request, 'VALIDATION_FAILED', zodIssues(error));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return send(reply, request, 'INTERNAL');
    }
    // Client-side failures (an aborted upload: ECONNRESET with a 4xx status) are not database outages.
    const dbDown = (error as FastifyError).statusCode ? null : databaseUnavailableCode(error);
    if (dbDown) {
      // Only the code: a wrapped query error carries the SQL and its parameters (personal data).
      request.log.warn({ dbCode: dbDown }, 'database unavailable');
      reply.header('retry-after', '5');
      return send(reply, request, 'DATABASE_UNAVAILABLE');
    }
    const fe = error as FastifyError;
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, request, 'PAYLOAD_TOO_LARGE');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, request, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const status = fe.statusCode ?? 500;
    if (status === 429) return send(reply, request, 'RATE_LIMITED');
    if (status === 404) return send(reply, request, 'NOT_FOUND');
    if (status === 405) return send(reply, request, 'METHOD_NOT_ALLOWED');
    if (status >= 400 && status < 500) {
      request.log.warn({ err: error }, 'client error');
      return send(reply, request, 'MALFORMED_REQUEST');
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, request, 'INTERNAL');
  });

  app.setNotFoundHandler(
    (request, reply) => opts.spaFallback?.(request, reply) ?? send(reply, request, 'ROUTE_NOT_FOUND'),
  );
}
