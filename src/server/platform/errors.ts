/**
 * One error type for the whole server. Each code has a fixed HTTP status and a zh-CN and English message;
 * the error handler turns it into an RFC 9457 problem+json body.
 */
export const errorCatalog = {
  // 400/422 — input
  VALIDATION_FAILED: { status: 422, zh: '请求参数不正确', en: 'The request is not valid' },
  MALFORMED_REQUEST: { status: 400, zh: '请求格式错误', en: 'The request is malformed' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  // 401/403/404
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  SESSION_EXPIRED: {
    status: 401,
    zh: '登录已过期，请重新登录',
    en: 'Your session has expired, please sign in again',
  },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '资源不存在', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  // 409 — state
  CONFLICT: { status: 409, zh: '数据冲突', en: 'Conflict' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '幂等键已用于不同的请求',
    en: 'This Idempotency-Key was used with a different request',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    zh: '相同请求正在处理中',
    en: 'The same request is still being processed',
  },
  IDEMPOTENCY_KEY_INVALID: {
    status: 422,
    zh: '幂等键格式不正确',
    en: 'The Idempotency-Key header is not valid',
  },
  // identity
  PHONE_INVALID: { status: 422, zh: '手机号码格式不正确', en: 'The mobile number is not valid' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已注册', en: 'This mobile number is already registered' },
  PASSWORD_WEAK: {
    status: 422,
    zh: '密码强度不足：至少 8 位，且包含字母和数字，不能是常见密码',
    en: 'The password is too weak: at least 8 characters with letters and digits, not a common password',
  },
  OTP_INVALID: { status: 422, zh: '验证码错误或已过期', en: 'The code is wrong or has expired' },
  OTP_TOO_SOON: {
    status: 429,
    zh: '验证码发送过于频繁，请稍后再试',
    en: 'Codes are being requested too often',
  },
  CREDENTIALS_INVALID: { status: 401, zh: '手机号或密码错误', en: 'Wrong mobile number or password' },
  ACCOUNT_LOCKED: {
    status: 429,
    zh: '尝试次数过多，账号已临时锁定，请稍后再试',
    en: 'Too many attempts; this account is locked for a while',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests, please slow down' },
  // files
  FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: '文件类型不被允许（仅支持 JPEG、PNG、PDF）',
    en: 'File type not allowed (JPEG, PNG or PDF only)',
  },
  FILE_TOO_LARGE: { status: 413, zh: '文件过大', en: 'The file is too large' },
  FILE_EMPTY: { status: 422, zh: '文件为空', en: 'The file is empty' },
  // platform
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂时不可用', en: 'Service temporarily unavailable' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly zh: string;
  readonly en: string;
  readonly issues: FieldIssue[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    opts: {
      detail?: string;
      zh?: string;
      en?: string;
      issues?: FieldIssue[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    const entry = errorCatalog[code];
    super(opts.en ?? opts.detail ?? entry.en, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = entry.status;
    this.zh = opts.zh ?? entry.zh;
    this.en = opts.en ?? entry.en;
    this.issues = opts.issues;
    this.headers = opts.headers;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
