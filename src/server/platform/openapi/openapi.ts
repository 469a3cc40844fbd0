import type { SwaggerTransformObject } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { errorCatalog, type ErrorCode } from '../errors.js';
import type { Authz } from '../http/authz.js';
import { problem } from '../http/problem.js';
import { exampleOf, type JsonSchema } from './examples.js';
import { routeErrors } from './route-errors.js';

/**
 * Completes the OpenAPI document centrally, so every operation says the same things the same way:
 * - error responses as problem+json, one per status, with an example body for each stable code the operation can
 *   return: the codes its handler can raise (route-errors.ts, found in the source by scripts/openapi-errors.ts) and
 *   the codes its shape brings (sign-in, roles, partner key, validation, Idempotency-Key, rate limits), each with the
 *   central registry's status and zh-CN/en message;
 * - a description naming who may call it (from `config.authz`), and the Idempotency-Key header where required;
 * - an example for every JSON request body, parameter and 2xx response, from the schema's own `.meta({ examples })`
 *   where there is one, else generated deterministically from the schema (examples.ts).
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface RouteMeta {
  authz: Authz | undefined;
  idempotent: boolean;
  hasBody: boolean;
  hasInput: boolean;
  /** The route waits in the admission queue (all but `config.admission === false`). */
  queued?: boolean;
}
interface Media {
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, { summary?: string; value: unknown }>;
}
interface Operation {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema; example?: unknown }[];
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media>; headers?: object }>;
}
interface OpenApiDocument {
  paths?: Record<string, Partial<Record<Method, Operation>>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const PROBLEM_TYPE = 'application/problem+json';
const EXAMPLE_REQUEST_ID = 'req-3f2a9c0d1e7b4a55';

/** The problem+json body every error is sent as (http/problem.ts). */
export const problemSchema: JsonSchema = {
  type: 'object',
  description: 'Problem details (RFC 9457) with a stable `code` and a zh-CN/en message',
  properties: {
    type: { type: 'string', description: '`urn:anxin:problem:<code>`' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable error code (see the examples of each response)' },
    detail: { type: 'string' },
    message: {
      type: 'object',
      properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } },
      required: ['zh-CN', 'en'],
    },
    requestId: { type: 'string', description: 'Quote it when reporting a problem' },
    errors: {
      type: 'array',
      description: 'Field-level issues (validation errors)',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status', 'code', 'detail', 'message', 'requestId'],
};

/** What the partner key gate raises (partners.service authenticate). */
const PARTNER_GATE: ErrorCode[] = [
  'PARTNER_KEY_MISSING',
  'PARTNER_KEY_INVALID',
  'PARTNER_KEY_REVOKED',
  'PARTNER_KEY_EXPIRED',
  'PARTNER_CLIENT_SUSPENDED',
  'PARTNER_IP_NOT_ALLOWED',
  'PARTNER_SCOPE_MISSING',
  'PARTNER_RATE_LIMITED',
];

/** The codes an operation of this shape can return whatever its handler does. */
export function shapeErrors(meta: RouteMeta): ErrorCode[] {
  const out: ErrorCode[] = ['RATE_LIMITED']; // the global per-IP limiter covers every route
  if (meta.queued !== false) out.push('SERVER_BUSY'); // the admission queue (platform/http/admission.ts) is full
  const a = meta.authz;
  if (a && 'roles' in a) out.push('UNAUTHENTICATED', ...(a.roles === 'any' ? [] : (['FORBIDDEN'] as const)));
  if (a && 'partner' in a) out.push(...PARTNER_GATE);
  if (meta.hasInput || meta.hasBody) out.push('VALIDATION_FAILED');
  if (meta.hasBody) out.push('MALFORMED_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (meta.idempotent)
    out.push(
      'IDEMPOTENCY_KEY_INVALID',
      'IDEMPOTENCY_IN_PROGRESS',
      'IDEMPOTENCY_KEY_REUSED',
      'IDEMPOTENCY_ALREADY_APPLIED',
    );
  return out;
}

/** Every code an operation can return: its shape's and its handler's (route-errors.ts). */
export function operationErrors(key: string, meta: RouteMeta): ErrorCode[] {
  const handler = routeErrors[key] ?? [];
  // An upload (its handler can say FILE_EMPTY) is stored through the scanning storage (app.ts, withAntivirus), whose
  // codes sit behind the FileStorage interface where the route-errors analysis cannot follow.
  const scanned: ErrorCode[] = handler.includes('FILE_EMPTY')
    ? ['FILE_INFECTED', 'ANTIVIRUS_UNAVAILABLE']
    : [];
  return [...new Set([...shapeErrors(meta), ...handler, ...scanned])];
}

function describeAccess(a: Authz | undefined): string {
  if (!a) return 'Access: not an API operation.';
  if ('public' in a) return `Access: public (${a.public}).`;
  if ('partner' in a) return `Access: partner API key with scope \`${a.partner}\` (Bearer or X-Api-Key).`;
  return a.roles === 'any'
    ? 'Access: any signed-in account (session cookie).'
    : `Access: signed in with a role among ${a.roles.map((r) => `\`${r}\``).join(', ')} (session cookie); rows are further scoped to the caller's organisation or district.`;
}

/** Binary responses declared by their route without a JSON schema: the media type they are sent as. */
const binaryMedia: [RegExp, string][] = [
  [/\.pdf$|\/pdf$|\/certificate$|\/export\.pdf$/, 'application/pdf'],
  [/\.png$|\/image$/, 'image/png'],
  [/\.svg$/, 'image/svg+xml'],
  [/\/exports\/|\/export$/, 'application/octet-stream'],
  [/\/file$|\/files\/|\/attachments\//, 'application/octet-stream'],
];

const statusText: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'No content',
};

const routeKey = (method: string, path: string) =>
  `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;

function errorResponses(codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) {
    const status = errorCatalog[c].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), c]);
  }
  const out: Record<string, NonNullable<Operation['responses']>[string]> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const sorted = list.sort();
    out[String(status)] = {
      description: sorted.map((c) => `\`${c}\` ${errorCatalog[c].en}`).join('; '),
      ...(status === 429
        ? {
            headers: {
              'Retry-After': {
                description: 'Seconds to wait before trying again',
                schema: { type: 'integer' },
              },
            },
          }
        : {}),
      content: {
        [PROBLEM_TYPE]: {
          schema: { $ref: '#/components/schemas/Problem' },
          examples: Object.fromEntries(
            sorted.map((c) => {
              const e = errorCatalog[c];
              const body = problem(
                c,
                e.status,
                e.zh,
                e.en,
                EXAMPLE_REQUEST_ID,
                c === 'VALIDATION_FAILED' ? [{ path: 'body.reason', message: 'Required' }] : undefined,
              );
              return [c, { summary: e.zh, value: body }];
            }),
          ),
        },
      },
    };
  }
  return out;
}

function withExample(media: Media, resolve: (ref: string) => JsonSchema | undefined) {
  if (media.example !== undefined || (media.examples && Object.keys(media.examples).length)) return;
  if (!media.schema || (media.schema.type === 'string' && media.schema.format === 'binary')) return;
  media.example = exampleOf(media.schema, '', resolve);
}

/** The `transform` and `transformObject` options of @fastify/swagger. */
export function openApiTransforms() {
  const metas = new Map<string, RouteMeta>();

  const transform: typeof jsonSchemaTransform = (input) => {
    const route = (input as { route: RouteOptions }).route;
    const schema = (input.schema ?? {}) as Record<string, unknown>;
    const config = (route.config ?? {}) as { authz?: Authz; idempotent?: boolean; admission?: false };
    const meta: RouteMeta = {
      authz: config.authz,
      idempotent: !!config.idempotent,
      queued: config.admission !== false,
      hasBody: !!schema.body,
      hasInput: !!(schema.params || schema.querystring || schema.headers),
    };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) metas.set(routeKey(m, input.url), meta);
    return jsonSchemaTransform(input);
  };

  const transformObject: SwaggerTransformObject = (input) => {
    if (!('openapiObject' in input)) return input.swaggerObject;
    const doc = input.openapiObject as OpenApiDocument;
    doc.components ??= {};
    doc.components.schemas = { ...doc.components.schemas, Problem: problemSchema };
    const resolve = (ref: string) => doc.components?.schemas?.[ref.replace('#/components/schemas/', '')];
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(ops) as [Method, Operation][]) {
        const key = routeKey(method, path);
        const meta = metas.get(key);
        if (!meta) continue;
        const access = describeAccess(meta.authz);
        const notes = [
          access,
          meta.idempotent
            ? 'Accepts an `Idempotency-Key` header (8–128 of `A-Za-z0-9_.:-`): a retry with the same key and body replays the first response (`Idempotent-Replayed: true`).'
            : '',
        ].filter(Boolean);
        op.description = op.description ? `${op.description}\n\n${notes.join(' ')}` : notes.join(' ');
        if (
          meta.idempotent &&
          !op.parameters?.some((p) => p.in === 'header' && /^idempotency-key$/i.test(p.name))
        )
          op.parameters = [
            ...(op.parameters ?? []),
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
              example: '2f1c9e0a-7b3d-4c55-8e21-6a0f9d3b7c11',
            },
          ];
        for (const p of op.parameters ?? [])
          if (p.example === undefined && p.schema) p.example = exampleOf(p.schema, p.name, resolve);
        for (const media of Object.values(op.requestBody?.content ?? {})) withExample(media, resolve);
        op.responses ??= {};
        const responses = op.responses;
        for (const [status, res] of Object.entries(responses)) {
          if (/^[45]/.test(status)) {
            delete responses[status]; // replaced by the central error responses below
            continue;
          }
          if (!status.startsWith('2')) continue;
          if (!res.content && status !== '204') {
            const type = binaryMedia.find(([re]) => re.test(path))?.[1];
            if (type) {
              res.content = { [type]: { schema: { type: 'string', format: 'binary' } } };
              if (res.description === 'Default Response') res.description = `The file (${type})`;
            }
          }
          if (res.description === 'Default Response') res.description = statusText[status] ?? 'Success';
          for (const media of Object.values(res.content ?? {})) withExample(media, resolve);
        }
        Object.assign(responses, errorResponses(operationErrors(key, meta)));
      }
    }
    return doc as typeof input.openapiObject;
  };

  return { transform, transformObject };
}
