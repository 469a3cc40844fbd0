import { type MessageKey, translate } from '../i18n';
import type { Locale } from '../prefs';

/** A message in each UI language, as the server sends it in problem+json bodies. */
export type LocalizedText = Partial<Record<Locale, string>>;

export interface FieldError {
  /** Dotted path of the offending input, e.g. `phone` or `address.district`. */
  path: string;
  message: string;
}

/** RFC 9457 problem+json as the Anxin server writes it. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  message?: LocalizedText | string;
  requestId?: string;
  errors?: FieldError[];
}

/** Codes the client invents itself when there is no problem body to read. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'HTTP_ERROR' | 'BAD_RESPONSE';

const inBoth = (key: MessageKey): Record<Locale, string> => ({
  'zh-CN': translate('zh-CN', key),
  en: translate('en', key),
});
const clientMessages: Record<ClientErrorCode, Record<Locale, string>> = {
  NETWORK_ERROR: inBoth('error.network'),
  HTTP_ERROR: inBoth('error.http'),
  BAD_RESPONSE: inBoth('error.badResponse'),
};

export interface ApiErrorInit {
  code: string;
  status: number;
  messages: LocalizedText;
  locale: Locale;
  detail?: string | undefined;
  requestId?: string | undefined;
  fieldErrors?: FieldError[] | undefined;
  retryAfterSeconds?: number | undefined;
}

/** Any failed API call: a stable `code`, the HTTP `status` (0 when the network failed) and localized messages. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly messages: LocalizedText;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly retryAfterSeconds: number | undefined;

  constructor(init: ApiErrorInit) {
    super(pickMessage(init.messages, init.locale, init.detail ?? init.code));
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.messages = init.messages;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** The message in the given language (falls back to the other language, then the English detail). */
  localized(locale: Locale): string {
    return pickMessage(this.messages, locale, this.detail ?? this.code);
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

function pickMessage(messages: LocalizedText, locale: Locale, fallback: string): string {
  return messages[locale] ?? messages['zh-CN'] ?? messages.en ?? fallback;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readFieldErrors(v: unknown): FieldError[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: FieldError[] = [];
  for (const item of v) {
    if (isRecord(item) && typeof item.path === 'string' && typeof item.message === 'string') {
      out.push({ path: item.path, message: item.message });
    }
  }
  return out;
}

function readRetryAfter(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : undefined;
}

/** Turns a non-2xx response body (already parsed, if it was JSON) into an ApiError. */
export function problemToApiError(
  status: number,
  body: unknown,
  locale: Locale,
  headers: Headers = new Headers(),
): ApiError {
  const retryAfterSeconds = readRetryAfter(headers);
  if (!isRecord(body) || typeof body.code !== 'string') {
    return new ApiError({
      code: 'HTTP_ERROR',
      status,
      messages: clientMessages.HTTP_ERROR,
      locale,
      detail: isRecord(body) && typeof body.title === 'string' ? body.title : `HTTP ${status}`,
      retryAfterSeconds,
    });
  }
  const p = body as ProblemBody;
  let messages: LocalizedText = {};
  if (isRecord(p.message)) {
    const m = p.message as Record<string, unknown>;
    if (typeof m['zh-CN'] === 'string') messages['zh-CN'] = m['zh-CN'];
    if (typeof m.en === 'string') messages.en = m.en;
  } else if (typeof p.message === 'string') {
    messages = { 'zh-CN': p.message, en: p.message };
  }
  if (!messages['zh-CN'] && !messages.en && typeof p.detail === 'string') messages = { en: p.detail };
  return new ApiError({
    code: p.code ?? 'HTTP_ERROR',
    status: typeof p.status === 'number' ? p.status : status,
    messages,
    locale,
    detail: typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : undefined,
    requestId: typeof p.requestId === 'string' ? p.requestId : undefined,
    fieldErrors: readFieldErrors(p.errors),
    retryAfterSeconds,
  });
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  getLocale: () => Locale;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
}

export interface ApiClient {
  request<T>(path: string, opts?: RequestOptions): Promise<T>;
  get<T>(path: string, opts?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
}

/** A JSON client for the Anxin API: cookies travel with every call; failures become ApiError. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl ?? '';

  async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const locale = options.getLocale();
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'accept-language': locale === 'en' ? 'en' : 'zh-CN',
      ...opts.headers,
    };
    const hasBody = opts.body !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';

    let res: Response;
    try {
      res = await doFetch(baseUrl + path, {
        method: opts.method ?? (hasBody ? 'POST' : 'GET'),
        credentials: 'include',
        headers,
        body: hasBody ? JSON.stringify(opts.body) : undefined,
        signal: opts.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError({
        code: 'NETWORK_ERROR',
        status: 0,
        messages: clientMessages.NETWORK_ERROR,
        locale,
        detail: cause instanceof Error ? cause.message : undefined,
      });
    }

    const text = res.status === 204 ? '' : await res.text();
    let parsed: unknown;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (res.ok) {
          throw new ApiError({
            code: 'BAD_RESPONSE',
            status: res.status,
            messages: clientMessages.BAD_RESPONSE,
            locale,
          });
        }
        parsed = undefined;
      }
    }
    if (!res.ok) throw problemToApiError(res.status, parsed, locale, res.headers);
    return parsed as T;
  }

  return {
    request,
    get: (path, opts) => request(path, { ...opts, method: 'GET' }),
    post: (path, body, opts) => request(path, { ...opts, method: 'POST', body }),
  };
}
