import { isIP } from 'node:net';
import { AppError } from '../errors.js';

/**
 * The outbound allow-list (ASVS 13.2.4/13.2.5): every outbound HTTP call of the server goes through `Egress.fetch`,
 * which refuses a host that is not on the list before any connection is made, and re-checks every redirect hop.
 */

/** One entry of OUTBOUND_ALLOW_HOSTS: an exact host (name or IP literal) or `*.suffix`, optionally with a port. */
export interface AllowRule {
  /** Canonical host: lower case, IDN as punycode, no trailing dot; IPv6 in brackets (as `URL.hostname` has it). */
  host: string;
  /** `*.example.cn`: any name below example.cn (not example.cn itself). */
  wildcard: boolean;
  /** Only this port; null = any port. */
  port: number | null;
}

/** `all`: no list (development and test default); `list`: only the rules (an empty list refuses everything). */
export type AllowList = { mode: 'all' } | { mode: 'list'; rules: AllowRule[] };

export class AllowListError extends Error {}

/** Canonical host of `raw` through the WHATWG URL parser (lower case, punycode, IPv4 forms, IPv6 compression). */
function canonicalHost(raw: string): string {
  const bracketed = isIP(raw) === 6 ? `[${raw}]` : raw;
  const host = new URL(`http://${bracketed}/`).hostname;
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

const isIpHost = (host: string) => isIP(host.replace(/^\[|\]$/g, '')) !== 0;

/** Parses one entry: `api.example.cn`, `*.example.cn`, `sms.example.cn:8443`, `203.0.113.7`, `[2001:db8::1]:443`. */
export function parseAllowRule(entry: string): AllowRule {
  const raw = entry.trim();
  const fail = (why: string) => new AllowListError(`OUTBOUND_ALLOW_HOSTS entry "${raw}": ${why}`);
  if (!raw) throw fail('empty');
  if (/[/@?#\s\\]/.test(raw)) throw fail('a host name is expected, not a URL');
  let rest = raw;
  const wildcard = rest.startsWith('*.');
  if (wildcard) rest = rest.slice(2);
  if (rest.includes('*')) throw fail('only a leading "*." is allowed');
  let hostPart = rest;
  let port: number | null = null;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    hostPart = bracket[1]!;
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const [h, p] = rest.split(':') as [string, string];
    if (!/^\d+$/.test(p)) throw fail('the port must be a number');
    hostPart = h;
    port = Number(p);
  }
  if (port !== null && (port < 1 || port > 65535)) throw fail('the port must be 1–65535');
  let host: string;
  try {
    host = canonicalHost(hostPart);
  } catch {
    throw fail('not a valid host name');
  }
  if (!host) throw fail('not a valid host name');
  if (wildcard && isIpHost(host)) throw fail('"*." does not apply to an IP address');
  return { host, wildcard, port };
}

/** Parses the comma list of OUTBOUND_ALLOW_HOSTS. */
export function parseAllowList(raw: string): AllowRule[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseAllowRule);
}

const defaultPort = (url: URL) => (url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : 0);

/** True when `url` may be called under `list`. Only http(s) URLs are ever allowed. */
export function isAllowed(list: AllowList, url: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (list.mode === 'all') return true;
  const host = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  const port = url.port ? Number(url.port) : defaultPort(url);
  return list.rules.some(
    (r) =>
      (r.port === null || r.port === port) &&
      (r.wildcard ? !isIpHost(host) && host.endsWith(`.${r.host}`) : host === r.host),
  );
}

/** What is logged of a refused URL: scheme, host and port only (paths and queries may carry tokens or PI). */
export const describeTarget = (url: URL) => `${url.protocol}//${url.host}`;

export interface EgressOptions {
  allow: AllowList;
  logger?: { warn(obj: object, msg: string): void } | undefined;
  /** The transport (the global fetch); injectable so tests can count what reaches it. */
  transport?: typeof fetch;
  /** Redirect hops followed for `redirect: 'follow'` (the fetch default); each hop is checked. */
  maxRedirects?: number;
}

export interface Egress {
  /** True when a call to `url` would be allowed. */
  allows(url: string | URL): boolean;
  /** The list in force (`all` outside production unless OUTBOUND_ALLOW_HOSTS is set). */
  readonly allowList: AllowList;
  /** Outbound fetch: refused with `EGRESS_HOST_NOT_ALLOWED` before connecting when a host (or a redirect hop) is not allowed. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createEgress(opts: EgressOptions): Egress {
  const transport = opts.transport ?? ((input, init) => fetch(input, init));
  const maxRedirects = opts.maxRedirects ?? 5;
  const check = (url: URL): void => {
    if (isAllowed(opts.allow, url)) return;
    const target = describeTarget(url);
    opts.logger?.warn({ egress: { target } }, 'outbound call refused: host not on OUTBOUND_ALLOW_HOSTS');
    throw new AppError('EGRESS_HOST_NOT_ALLOWED', { detail: `${target} is not on the outbound allow-list` });
  };
  const toUrl = (input: string | URL) => (input instanceof URL ? input : new URL(input));
  return {
    allowList: opts.allow,
    allows: (input) => {
      try {
        return isAllowed(opts.allow, toUrl(input));
      } catch {
        return false;
      }
    },
    async fetch(input, init = {}) {
      let url = toUrl(input);
      check(url);
      const mode = init.redirect ?? 'follow';
      if (mode !== 'follow') return transport(url, init);
      // Follow redirects by hand so that every hop is checked before it is connected to.
      let current: RequestInit = { ...init, redirect: 'manual' };
      for (let hop = 0; ; hop++) {
        const res = await transport(url, current);
        const location = res.headers.get('location');
        if (!REDIRECTS.has(res.status) || !location) return res;
        await res.body?.cancel().catch(() => undefined);
        if (hop >= maxRedirects) throw new TypeError(`too many redirects (${maxRedirects})`);
        const next = new URL(location, url);
        check(next);
        const method = (current.method ?? 'GET').toUpperCase();
        // As the fetch standard: 303 (and 301/302 after POST) become a GET without a body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          const { body: _body, ...rest } = current;
          current = { ...rest, method: 'GET' };
        }
        // Credentials are not carried to another origin.
        if (next.origin !== url.origin && current.headers) {
          const headers = new Headers(current.headers);
          headers.delete('authorization');
          headers.delete('cookie');
          current = { ...current, headers };
        }
        url = next;
      }
    },
  };
}
