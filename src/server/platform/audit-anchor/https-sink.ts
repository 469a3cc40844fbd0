import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';
import { type AllowList, describeTarget, type Egress, isAllowed } from '../net/egress.js';
import { type AnchorLine, type AnchorSink, anchorLine, type SinkRecord } from './sink.js';

/**
 * An anchor receiver run by someone else (another department, a notary service, a WORM bucket behind a small API),
 * reached over HTTPS through the outbound allow-list. Contract (docs/operations.md, "Audit anchors over HTTPS"):
 *  - `POST <url>`, `Authorization: Bearer <token>`, `Content-Type: application/json`, body = one anchor line,
 *    `Idempotency-Key` = lower-case hex SHA-256 of the body. 201: stored; 200: already held (a retry); any other
 *    answer, a timeout or a network error: not stored, the anchor stays pending and is sent again by the next run.
 *  - `GET <url>`, same bearer: 200 with every line held, `application/x-ndjson`, in the order received.
 */

/** Errors of the HTTPS sink: what was called (scheme, host, port) and how it failed; never the token or a body. */
export class AnchorSinkError extends Error {
  override name = 'AnchorSinkError';
}

export interface HttpsSinkOptions {
  url: string | URL;
  /** Bearer token the receiver expects; sent only to `url` (redirects are not followed). */
  token?: string | undefined;
  egress: Pick<Egress, 'fetch'>;
  /** Per POST; default 10 s. */
  timeoutMs?: number;
  /** Per GET of the whole list; default 60 s. */
  readTimeoutMs?: number;
}

/** The receiver's idempotency key of a line: lower-case hex SHA-256 of its UTF-8 bytes. */
export const anchorId = (line: string): string => createHash('sha256').update(line, 'utf8').digest('hex');

/** An AnchorSink that POSTs each anchor to a receiver and reads them back with a GET. */
export function createHttpsSink(opts: HttpsSinkOptions): AnchorSink {
  const url = new URL(opts.url);
  const target = describeTarget(url);
  const where = `https:${url.host}`;
  const auth: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};

  const call = async (init: RequestInit, timeoutMs: number, what: string): Promise<Response> => {
    try {
      // redirect 'error': the bearer token goes to the configured URL and nowhere else.
      return await opts.egress.fetch(url, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      if (e instanceof AppError) throw e; // EGRESS_HOST_NOT_ALLOWED: refused before any connection
      const why =
        e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(e);
      throw new AnchorSinkError(`${what} ${target} failed: ${why}`, { cause: e });
    }
  };

  return {
    name: 'https',
    async append(record: SinkRecord) {
      const body = anchorLine(record);
      const res = await call(
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': anchorId(body) },
          body,
        },
        opts.timeoutMs ?? 10_000,
        'POST',
      );
      await res.body?.cancel().catch(() => undefined);
      if (res.status === 201 || res.status === 200) return where;
      throw new AnchorSinkError(`POST ${target} answered ${res.status}: anchor n ${record.n} stays pending`);
    },
    async read(): Promise<AnchorLine[]> {
      const res = await call(
        { method: 'GET', headers: { ...auth, accept: 'application/x-ndjson' } },
        opts.readTimeoutMs ?? 60_000,
        'GET',
      );
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        throw new AnchorSinkError(`GET ${target} answered ${res.status}`);
      }
      const out: AnchorLine[] = [];
      (await res.text()).split('\n').forEach((text, i) => {
        if (text.trim() !== '') out.push({ file: where, line: i + 1, text });
      });
      return out;
    },
  };
}

/**
 * Checks AUDIT_ANCHOR_URL at boot: an absolute https URL (http only outside production, for a local receiver), no
 * credentials in it, and a host the outbound allow-list lets through. Returns an error message, or null when fine.
 */
export function anchorUrlProblem(
  raw: string,
  opts: { isProduction: boolean; allow: AllowList },
): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'AUDIT_ANCHOR_URL is not a URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !opts.isProduction))
    return 'AUDIT_ANCHOR_URL must be https';
  if (url.username || url.password)
    return 'AUDIT_ANCHOR_URL must not carry credentials (use AUDIT_ANCHOR_TOKEN)';
  if (!isAllowed(opts.allow, url))
    return `AUDIT_ANCHOR_URL: ${describeTarget(url)} is not on OUTBOUND_ALLOW_HOSTS`;
  return null;
}
