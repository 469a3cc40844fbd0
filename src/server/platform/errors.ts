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
  // workers
  /** The consent letter was not accepted, or an outdated version was. */
  WORKER_CONSENT_REQUIRED: {
    status: 422,
    zh: '请先阅读并同意当前版本的《信用信息授权书》',
    en: 'Accept the current data-authorisation letter first',
  },
  /** The ID number fails GB 11643 (format, region, date, check digit) or the person is under 16. */
  WORKER_ID_INVALID: { status: 422, zh: '身份证号码无效', en: 'The ID number is not valid' },
  /** Another worker record already holds this ID number. */
  WORKER_DUPLICATE_PERSON: {
    status: 409,
    zh: '该身份证号码已登记为家政服务员',
    en: 'A worker with this ID number is already registered',
  },
  /** The signed-in account already has a worker record. */
  WORKER_ALREADY_REGISTERED: {
    status: 409,
    zh: '您已登记为家政服务员',
    en: 'This account is already registered as a worker',
  },
  /** The worker record is not active (awaiting confirmation or deleted). */
  WORKER_NOT_ACTIVE: { status: 409, zh: '该服务员档案尚未生效', en: 'This worker record is not active' },
  /** The worker already has an open employment with a company. */
  WORKER_ALREADY_EMPLOYED: {
    status: 409,
    zh: '该服务员已在其他企业任职，请先结束原任职',
    en: 'The worker is already employed; end that employment first',
  },
  /** There is no open employment to end. */
  WORKER_NOT_EMPLOYED: { status: 409, zh: '该服务员当前未在本企业任职', en: 'No open employment to end' },
  /** The company is not active, so it may not register or hire workers. */
  COMPANY_NOT_ACTIVE: { status: 409, zh: '企业尚未通过审核或已停业', en: 'The company is not active' },
  /** A document's dates or kind are not acceptable (e.g. health certificate valid more than one year). */
  DOCUMENT_INVALID: { status: 422, zh: '证件信息不正确', en: 'The document details are not valid' },
  /** The document was already reviewed, or is superseded by a newer upload. */
  DOCUMENT_ALREADY_REVIEWED: {
    status: 409,
    zh: '该证件已审核或已被新证件替代',
    en: 'This document was already reviewed or replaced',
  },
  /** The confirmation code is wrong, expired or used up. */
  WORKER_CONFIRM_INVALID: {
    status: 422,
    zh: '确认验证码错误或已过期',
    en: 'The confirmation code is wrong or has expired',
  },
  // orgs
  /** The unified social credit code fails GB 32100 (format, authority, type, region or check character). */
  ORG_USCC_INVALID: {
    status: 422,
    zh: '统一社会信用代码无效',
    en: 'The unified social credit code is not valid',
  },
  /** Another organization (not rejected) already holds this unified social credit code. */
  ORG_USCC_TAKEN: {
    status: 409,
    zh: '该统一社会信用代码已被其他企业使用',
    en: 'Another company already uses this unified social credit code',
  },
  /** The application or organization status does not allow this step (e.g. approving a draft). */
  ORG_INVALID_TRANSITION: {
    status: 409,
    zh: '当前状态下不能执行此操作',
    en: 'This step is not allowed in the current status',
  },
  /** The application may be changed only as a draft or when more information was requested. */
  ORG_APPLICATION_NOT_EDITABLE: {
    status: 409,
    zh: '申请已提交审核，暂不能修改',
    en: 'The application cannot be changed in its current status',
  },
  /** Submitting an application without a business licence. */
  ORG_LICENCE_MISSING: { status: 409, zh: '请先上传营业执照', en: 'Upload the business licence first' },
  /** Rejecting, requesting information, suspending or expelling without a reason. */
  ORG_REASON_REQUIRED: { status: 422, zh: '请填写原因', en: 'A reason is required' },
  /** Inviting staff into an organization that is not active. */
  ORG_NOT_ACTIVE: { status: 409, zh: '机构尚未生效或已停用', en: 'The organization is not active' },
  /** The invitee already holds a current membership in the organization. */
  ORG_ALREADY_MEMBER: { status: 409, zh: '该用户已是本机构成员', en: 'This person is already a member' },
  /** A pending invitation for this phone already exists in the organization. */
  ORG_INVITATION_PENDING: {
    status: 409,
    zh: '已向该手机号发出邀请，等待对方处理',
    en: 'An invitation to this number is already pending',
  },
  /** The invitation was already answered, revoked, or has expired. */
  ORG_INVITATION_CLOSED: { status: 409, zh: '邀请已失效', en: 'This invitation is no longer open' },
  /** Ending the membership of an organization's last admin. */
  ORG_LAST_ADMIN: {
    status: 409,
    zh: '不能移除最后一位管理员',
    en: 'The last admin of an organization cannot be removed',
  },
  // certification
  /** Issuing while a consent, identity, health, training, background or skill check fails; `errors` lists them. */
  CERT_CHECKS_INCOMPLETE: {
    status: 409,
    zh: '核验未全部通过，不能发证',
    en: 'Not every check holds; the certificate cannot be issued',
  },
  /** Issuing to a worker who already holds a certificate that is not revoked. */
  CERT_ALREADY_ISSUED: {
    status: 409,
    zh: '该家政员已持有安心服务证',
    en: 'This worker already holds a certificate',
  },
  /** Suspend, reinstate or revoke from a state that does not allow it (revoked is final). */
  CERT_INVALID_TRANSITION: {
    status: 409,
    zh: '证书当前状态不允许此操作',
    en: 'The certificate is not in a state that allows this',
  },
  /** Suspending or revoking without a reason. */
  CERT_REASON_REQUIRED: { status: 422, zh: '请填写原因', en: 'A reason is required' },
  /** A district regulator acting on a worker or certificate of another district. */
  CERT_OUT_OF_DISTRICT: {
    status: 403,
    zh: '只能处理本辖区的证书',
    en: 'You may act only on certificates of your district',
  },
  /** A certificate number with the wrong form or check character. */
  CERT_NUMBER_INVALID: {
    status: 422,
    zh: '证书编号格式或校验位不正确',
    en: 'The certificate number is not valid',
  },
  /** Retiring the key new tokens are signed with; rotate first. */
  QR_KEY_ACTIVE: {
    status: 409,
    zh: '当前签名密钥不能直接停用，请先轮换',
    en: 'The active signing key cannot be retired; rotate first',
  },
  // efile
  /** A share link or in-app grant is unknown, tampered, expired or revoked (never says whether the worker exists). */
  EFILE_GRANT_INVALID: { status: 404, zh: '授权已失效或不存在', en: 'This authorisation is not valid' },
  /** An access request was already decided or closed. */
  EFILE_REQUEST_CLOSED: { status: 409, zh: '该查看申请已处理', en: 'This access request is already decided' },
  /** The requester already has a pending request for this worker. */
  EFILE_REQUEST_PENDING: {
    status: 409,
    zh: '已有待处理的查看申请',
    en: 'An access request is already pending',
  },
  /** The worker already has an open deletion request. */
  EFILE_DELETION_PENDING: {
    status: 409,
    zh: '已有待处理的删除申请',
    en: 'A deletion request is already open',
  },
  /** A deletion request was already completed or refused. */
  EFILE_DELETION_CLOSED: {
    status: 409,
    zh: '该删除申请已处理',
    en: 'This deletion request is already decided',
  },
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
