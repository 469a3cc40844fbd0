import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';
export { verifyAnxinSignature } from './webhooks.js';

export interface AnxinClientOptions {
  /** Where Anxin runs, e.g. `https://anxin.example.gov.cn` (no trailing path). */
  baseUrl: string;
  /** A partner API key `ak_…` (sent as `Authorization: Bearer`); omit for the public app API. */
  apiKey?: string;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
}

/** A typed client: paths, parameters, bodies and responses come from Anxin's OpenAPI document. */
export function createAnxinClient(opts: AnxinClientOptions): Client<paths> {
  return createClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}
