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
  /** A retry whose first attempt committed its business transaction but crashed before its response was kept. */
  IDEMPOTENCY_ALREADY_APPLIED: {
    status: 409,
    zh: '此前使用该幂等键的请求已成功处理，但其响应未能保存；请在相应列表（如"我的订单"）中查看结果，不要重复提交',
    en: 'An earlier attempt with this Idempotency-Key was committed but its response was not kept; read the result from the matching list (such as your orders) instead of submitting again',
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
  /** A new password is on the packaged common/breached-password list (ASVS 6.2.12), compared case-insensitively. */
  PASSWORD_BREACHED: {
    status: 422,
    zh: '该密码过于常见或已在公开泄露的密码库中出现，请换一个不常见的密码',
    en: 'This password is common or has appeared in public data breaches; choose a less common one',
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
  /** A file (image, PDF, DOCX/XLSX, video) whose structure is broken or encrypted, so its metadata cannot be removed; nothing is stored. */
  FILE_DAMAGED: {
    status: 422,
    zh: '文件已损坏，无法处理',
    en: 'The file is damaged and cannot be processed',
  },
  /** A zip package (DOCX/XLSX) over the entry-count, unpacked-size or compression-ratio limits, refused before extraction. */
  FILE_ARCHIVE_TOO_LARGE: {
    status: 413,
    zh: '压缩文档的条目过多或解压后过大',
    en: 'The packaged document has too many entries or unpacks too large',
  },
  /** The antivirus scanner (clamd) found malware in an upload; nothing is stored (platform/storage/antivirus.ts). */
  FILE_INFECTED: {
    status: 422,
    zh: '文件未通过病毒扫描，已拒绝上传',
    en: 'The file failed the malware scan and was refused',
  },
  /** The antivirus scanner did not answer in time or at all; uploads fail closed with Retry-After, nothing stored. */
  ANTIVIRUS_UNAVAILABLE: {
    status: 503,
    zh: '文件安全扫描暂时不可用，请稍后重试',
    en: 'File scanning is temporarily unavailable; please try again shortly',
  },
  // workers
  /** The consent letter was not accepted, or an outdated version was. */
  WORKER_CONSENT_REQUIRED: {
    status: 422,
    zh: '请先阅读并同意当前版本的《信用信息授权书》',
    en: 'Accept the current data-authorisation letter first',
  },
  /** The worker withdrew the data-authorisation letter: nothing new about them is collected until they accept again. */
  WORKER_CONSENT_WITHDRAWN: {
    status: 409,
    zh: '该服务员已撤回《信用信息授权书》，重新授权前不能提交或处理其资料',
    en: 'The worker has withdrawn their data-authorisation letter; nothing can be added until they accept again',
  },
  /** Withdrawing when no consent is in force, or accepting when one already is. */
  WORKER_CONSENT_STATE: {
    status: 409,
    zh: '授权状态已是如此',
    en: 'The consent is already in that state',
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
  // catalog
  /** A service category code that is not in src/shared/domain.ts serviceCategories. */
  CATALOG_CATEGORY_UNKNOWN: { status: 422, zh: '未知的服务类别', en: 'Unknown service category' },
  /** The mode does not fit the category (the 26-day package is only for 月嫂). */
  CATALOG_MODE_MISMATCH: {
    status: 422,
    zh: '该服务类别不支持此服务方式',
    en: 'This service mode does not fit the category',
  },
  /** The price unit does not fit the mode (e.g. a live-in price per hour). */
  CATALOG_UNIT_MISMATCH: {
    status: 422,
    zh: '计价单位与服务方式不符',
    en: 'The price unit does not fit the service mode',
  },
  /** A price that is zero, negative, fractional, above the unit's ceiling, or a range whose top is below its start. */
  CATALOG_PRICE_INVALID: { status: 422, zh: '价格不合理', en: 'The price is not valid' },
  /** Editing a version of an item that has since been replaced; edit the current version. */
  CATALOG_ITEM_SUPERSEDED: {
    status: 409,
    zh: '该服务项目已更新，请刷新后修改最新版本',
    en: 'This item has been updated since; edit the current version',
  },
  /** A district regulator publishing or ending a guide price outside their district. */
  GUIDE_OUT_OF_DISTRICT: {
    status: 403,
    zh: '只能发布本辖区的指导价',
    en: 'You may publish guide prices only for your district',
  },
  /** A guide price starting in the past, or ending one that has already ended. */
  GUIDE_PERIOD_INVALID: { status: 422, zh: '指导价有效期不正确', en: 'The guide price period is not valid' },
  // discovery
  /** Search parameters that contradict each other (radius without a point, age from above age to …). */
  SEARCH_INVALID: { status: 422, zh: '搜索条件不正确', en: 'The search parameters are not valid' },
  // orders
  /** The schedule is malformed (bad date, hours, weekdays, quarter-hour start). */
  ORDER_BAD_SCHEDULE: { status: 422, zh: '预约时间不正确', en: 'The schedule is not valid' },
  /** The service would start in the past or less than an hour from now. */
  ORDER_SLOT_IN_PAST: {
    status: 422,
    zh: '预约时间已过或距现在不足1小时',
    en: 'The slot is in the past or less than an hour away',
  },
  /** The service would start more than a year ahead. */
  ORDER_SLOT_TOO_FAR: { status: 422, zh: '只能预约一年内的服务', en: 'Bookings are open up to a year ahead' },
  /** The price item does not exist, is withdrawn, or does not fit the category and mode asked for. */
  ORDER_PRICE_ITEM_INVALID: {
    status: 422,
    zh: '所选服务项目不可用或与服务类型不符',
    en: 'The price item is not available for this service',
  },
  /** The worker is not employed by the company quoting the price, or does not serve the category. */
  ORDER_WORKER_NOT_OFFERED: {
    status: 422,
    zh: '该家政员不属于此企业或不提供此服务',
    en: 'The worker does not work for this company or does not offer this service',
  },
  /** The worker's 安心码 is not green (missing, expired or revoked checks): no new bookings. */
  ORDER_WORKER_NOT_GREEN: {
    status: 409,
    zh: '该家政员的安心服务证当前不是绿码，暂不能接受新预约',
    en: "The worker's certificate is not green; new bookings are not possible",
  },
  /** The worker already holds confirmed time overlapping this booking. */
  ORDER_WORKER_UNAVAILABLE: {
    status: 409,
    zh: '该家政员在所选时间已有预约',
    en: 'The worker is already booked at that time',
  },
  /** The step is not allowed in the order's current state (e.g. confirming a requested order). */
  ORDER_INVALID_TRANSITION: {
    status: 409,
    zh: '订单当前状态不能执行此操作',
    en: "This step is not allowed in the order's current state",
  },
  /** The step belongs to another party (e.g. a resident accepting their own order). */
  ORDER_NOT_YOUR_STEP: { status: 403, zh: '此操作应由订单另一方执行', en: 'This step is for another party' },
  /** Declining or cancelling without a reason. */
  ORDER_REASON_REQUIRED: { status: 422, zh: '请填写原因', en: 'A reason is required' },
  /** Accepting an order without a worker, or starting before the allowed time. */
  ORDER_NOT_READY: {
    status: 409,
    zh: '订单尚未具备此操作的条件',
    en: 'The order is not ready for this step',
  },
  /** The company is not active on the platform (pending, suspended or expelled). */
  ORDER_COMPANY_NOT_ACTIVE: {
    status: 409,
    zh: '该企业当前不可接单',
    en: 'The company is not taking orders',
  },
  /** Posting, offering on or accepting a demand that is no longer open. */
  DEMAND_NOT_OPEN: { status: 409, zh: '该需求已结束', en: 'The demand is no longer open' },
  /** The offer is no longer pending. */
  DEMAND_OFFER_NOT_PENDING: { status: 409, zh: '该报价已失效', en: 'The offer is no longer valid' },
  /** A company already has a pending offer on the demand. */
  DEMAND_OFFER_EXISTS: {
    status: 409,
    zh: '贵企业已对该需求报价',
    en: 'Your company already made an offer on this demand',
  },
  /** The demand is outside the station's district, or already referred to that company. */
  REFERRAL_NOT_ALLOWED: {
    status: 409,
    zh: '不能转介该需求（不在本站辖区或已转介给该企业）',
    en: 'This demand cannot be referred (outside the area or already referred)',
  },
  /** Recording a follow-up that is already recorded. */
  FOLLOW_UP_DONE: { status: 409, zh: '该回访已记录', en: 'This follow-up is already recorded' },
  // training
  /** The caller is not staff of the training institution (or the regulator) that owns this course, bank, exam or class. */
  TRAINING_NOT_OWNER: {
    status: 403,
    zh: '只能管理本机构的课程、题库、考试和班次',
    en: "You may manage only your own institution's courses, banks, exams and classes",
  },
  /** A course or exam action not allowed from its current state (see course-status.ts). */
  TRAINING_INVALID_TRANSITION: {
    status: 409,
    zh: '当前状态下不能执行此操作',
    en: 'This is not allowed in the current state',
  },
  /** A question import with bad rows; `errors` lists each row and column. Nothing was imported. */
  TRAINING_IMPORT_INVALID: {
    status: 422,
    zh: '导入文件有错误，未导入任何题目',
    en: 'The import file has errors; nothing was imported',
  },
  /** The bank holds fewer questions of a topic and difficulty than the exam's drawing rules ask for. */
  TRAINING_BANK_TOO_SMALL: {
    status: 422,
    zh: '题库题目数量不足以按规则组卷',
    en: 'The bank has too few questions for these drawing rules',
  },
  /** The exam is not published (or is closed), or the course is not open to learners. */
  TRAINING_NOT_OPEN: { status: 409, zh: '该考试或课程当前未开放', en: 'This exam or course is not open' },
  /** A second attempt while one is still open. */
  TRAINING_ATTEMPT_OPEN: {
    status: 409,
    zh: '已有进行中的考试，请先完成或等待其结束',
    en: 'An attempt of this exam is already in progress',
  },
  /** Answers saved or submitted after the deadline (plus grace); the attempt is closed and graded as it stood. */
  TRAINING_ATTEMPT_EXPIRED: {
    status: 409,
    zh: '考试时间已到，答案未被接受',
    en: 'The time limit has passed; the answers were not accepted',
  },
  /** The attempt was already submitted or expired. */
  TRAINING_ATTEMPT_CLOSED: { status: 409, zh: '本次考试已结束', en: 'This attempt is already closed' },
  /** Every allowed attempt was used. */
  TRAINING_RETAKE_LIMIT: {
    status: 409,
    zh: '已达到补考次数上限',
    en: 'No attempts are left for this exam',
  },
  /** A retake before the cool-down after the last attempt ended. */
  TRAINING_COOLDOWN: {
    status: 409,
    zh: '补考需间隔一段时间，请稍后再试',
    en: 'Retakes must wait for the cool-down to pass',
  },
  /** The worker already passed this exam. */
  TRAINING_ALREADY_PASSED: { status: 409, zh: '您已通过该考试', en: 'You have already passed this exam' },
  /** An answer names a question not on the paper or an option that does not exist. */
  TRAINING_ANSWER_INVALID: {
    status: 422,
    zh: '答案与试卷不符',
    en: 'The answers do not match the paper',
  },
  /** The class is full. */
  TRAINING_CLASS_FULL: { status: 409, zh: '该班次已满员', en: 'This class is full' },
  /** Checking in to a class one is not enrolled in, outside its dates, or a cancelled class. */
  TRAINING_CHECKIN_REFUSED: {
    status: 409,
    zh: '无法签到：未报名该班次，或不在上课日期内',
    en: 'Check-in refused: not enrolled, or not a class day',
  },
  // insurance
  /** Enrolling a worker who is not employed by the enrolling company. */
  INSURANCE_WORKER_NOT_YOURS: {
    status: 422,
    zh: '只能为本公司在职的服务人员投保',
    en: 'Only workers employed by your company can be enrolled',
  },
  /** The worker's service categories are not among the product's eligible categories. */
  INSURANCE_NOT_ELIGIBLE: {
    status: 422,
    zh: '该服务人员的服务类别不在此产品的承保范围内',
    en: "The worker's service categories are not eligible for this product",
  },
  /** The worker already holds a pending or active policy of this product over an overlapping period. */
  INSURANCE_POLICY_OVERLAP: {
    status: 409,
    zh: '该服务人员在此期间已有同一产品的保单',
    en: 'The worker already has a policy of this product for an overlapping period',
  },
  /** The given premium split plus the subsidy does not equal the premium. */
  INSURANCE_PREMIUM_MISMATCH: {
    status: 422,
    zh: '保费分摊之和（企业 + 个人 + 补贴）与保费不符',
    en: 'Company share + worker share + subsidy must equal the premium',
  },
  /** The product is withdrawn, or its insurer is not active. */
  INSURANCE_PRODUCT_UNAVAILABLE: {
    status: 409,
    zh: '该保险产品已停售',
    en: 'This insurance product is no longer offered',
  },
  /** A start date in the past. */
  INSURANCE_START_IN_PAST: {
    status: 422,
    zh: '保障起始日期不能早于今天',
    en: 'Cover cannot start before today',
  },
  /** The policy or claim is not in a state that allows this step. */
  INSURANCE_INVALID_TRANSITION: {
    status: 409,
    zh: '当前状态下不能执行此操作',
    en: 'This step is not allowed in the current state',
  },
  /** The step belongs to another party (the insurer, or the claimant). */
  INSURANCE_NOT_YOUR_STEP: {
    status: 403,
    zh: '此步骤应由其他一方办理',
    en: 'This step is for another party',
  },
  /** Rejecting, terminating or asking for documents without a reason. */
  INSURANCE_REASON_REQUIRED: { status: 422, zh: '请填写原因', en: 'A reason is required' },
  /** A claim on a policy that was not in force on the incident date (expired, pending, cancelled). */
  INSURANCE_POLICY_NOT_IN_FORCE: {
    status: 422,
    zh: '事故发生日保单不在保障期内',
    en: 'The policy was not in force on the incident date',
  },
  /** The incident happened within the product's waiting period. */
  INSURANCE_IN_WAITING_PERIOD: {
    status: 422,
    zh: '事故发生在等待期内，不予受理',
    en: 'The incident happened within the waiting period',
  },
  /** A claimed or approved amount over the coverage item's limit (or an approval over the claimed amount). */
  INSURANCE_OVER_COVERAGE: {
    status: 422,
    zh: '申请金额超过保障额度',
    en: 'The amount exceeds the coverage limit',
  },
  /** The coverage item is not part of the product, or a resident claims under a non-liability item. */
  INSURANCE_COVERAGE_INVALID: {
    status: 422,
    zh: '保障项目不正确',
    en: 'The coverage item is not valid for this claim',
  },
  /** A resident's liability claim must name their own order served by the insured worker. */
  INSURANCE_ORDER_REQUIRED: {
    status: 422,
    zh: '请选择由该服务人员服务的本人订单',
    en: 'Name your own order served by this worker',
  },
  /** The uploaded enrolment list is unreadable or has no worker rows. */
  INSURANCE_LIST_INVALID: {
    status: 422,
    zh: '名单文件无法读取或没有有效的服务人员编号',
    en: 'The list could not be read or has no worker ids',
  },
  // messaging
  /** Opening a conversation from a context that does not exist yet (job applications) or does not fit. */
  MESSAGING_CONTEXT_UNSUPPORTED: {
    status: 422,
    zh: '不能从此处发起会话',
    en: 'A conversation cannot be opened from here',
  },
  /** The worker has no account yet, so nobody could read the conversation. */
  MESSAGING_NO_COUNTERPART: {
    status: 422,
    zh: '对方暂未开通账号，无法发起会话',
    en: 'The other side has no account yet',
  },
  /** The other side blocked this conversation. */
  MESSAGING_BLOCKED: { status: 409, zh: '对方已屏蔽此会话，无法发送', en: 'This conversation is blocked' },
  /** A WebSocket from an origin that is not the app's own (or an allowed CORS origin). */
  MESSAGING_ORIGIN_REFUSED: {
    status: 403,
    zh: '连接来源不被允许',
    en: 'Connections from this origin are not allowed',
  },
  /** The report was already reviewed. */
  MESSAGING_REPORT_REVIEWED: { status: 409, zh: '该举报已处理', en: 'This report was already reviewed' },
  /** The interview step does not fit its current state (interview-status.ts). */
  INTERVIEW_INVALID_TRANSITION: {
    status: 409,
    zh: '面试当前状态不能执行此操作',
    en: "This step is not allowed in the interview's current state",
  },
  /** An interview scheduled in the past or more than 90 days ahead. */
  INTERVIEW_TIME_INVALID: {
    status: 422,
    zh: '面试时间须在未来 90 天内',
    en: 'The interview must be within the next 90 days',
  },
  // feedback (reviews, complaints)
  /** Reviewing an order that is not completed (requested, in service, cancelled …). */
  REVIEW_ORDER_NOT_COMPLETED: {
    status: 409,
    zh: '只能评价已完成的订单',
    en: 'Only completed orders can be reviewed',
  },
  /** A second review of the same order from the same side. */
  REVIEW_ALREADY_EXISTS: { status: 409, zh: '该订单已评价过', en: 'This order has already been reviewed' },
  /** The review window after completion (config REVIEW_WINDOW_DAYS) has passed. */
  REVIEW_WINDOW_CLOSED: {
    status: 409,
    zh: '已超过评价期限',
    en: 'The review period for this order has ended',
  },
  /** The order does not exist or the caller was not part of it. */
  FEEDBACK_ORDER_NOT_YOURS: {
    status: 404,
    zh: '未找到您参与的该订单',
    en: 'No such order of yours',
  },
  /** A ratings object without exactly the dimensions of the side. */
  REVIEW_RATINGS_INVALID: { status: 422, zh: '评分项不正确', en: 'The ratings are not valid' },
  /** Replying to a review twice, or replying to a review that is not about the caller. */
  REVIEW_REPLY_NOT_ALLOWED: { status: 409, zh: '无法回复该评价', en: 'This review cannot be replied to' },
  /** Reporting the same review twice. */
  REVIEW_ALREADY_REPORTED: {
    status: 409,
    zh: '您已举报过该评价',
    en: 'You have already reported this review',
  },
  /** Moderating a review into the state it already has. */
  REVIEW_MODERATION_INVALID: { status: 409, zh: '该评价无需此处理', en: 'This moderation does not apply' },
  /** An evidence or photo id that is not the caller's upload. */
  FEEDBACK_FILE_INVALID: {
    status: 422,
    zh: '附件无效，请重新上传',
    en: 'An attachment is not valid; upload it again',
  },
  /** The complaint's subject does not fit the complainant or the order (e.g. a worker subject on an order without one). */
  COMPLAINT_SUBJECT_INVALID: {
    status: 422,
    zh: '投诉对象不正确',
    en: 'The subject of the complaint is not valid',
  },
  /** The step does not fit the complaint's current state (complaint-status.ts). */
  COMPLAINT_INVALID_TRANSITION: {
    status: 409,
    zh: '投诉当前状态不能执行此操作',
    en: "This step is not allowed in the complaint's current state",
  },
  /** The step belongs to another party (e.g. the company upholding its own complaint). */
  COMPLAINT_NOT_YOUR_STEP: { status: 403, zh: '此操作应由其他方执行', en: 'This step is for another party' },
  /** Responding, refusing, deciding or appealing without a reason. */
  COMPLAINT_REASON_REQUIRED: { status: 422, zh: '请填写说明或理由', en: 'A reason is required' },
  /** A second appeal: each complaint may be appealed once. */
  COMPLAINT_ALREADY_APPEALED: {
    status: 409,
    zh: '该投诉已申诉过一次',
    en: 'This complaint was already appealed once',
  },
  // contracts
  /** Making a contract for an order that is not an accepted long-term order. */
  CONTRACT_ORDER_NOT_READY: {
    status: 409,
    zh: '只有已接单的长期服务订单可以签订电子合同',
    en: 'Only an accepted long-term order can get an e-contract',
  },
  /** The order already has a contract being drafted, signed or in force. */
  CONTRACT_EXISTS: { status: 409, zh: '该订单已有合同', en: 'This order already has a contract' },
  /** A contract step not allowed from its current state (contract-status.ts). */
  CONTRACT_INVALID_TRANSITION: {
    status: 409,
    zh: '合同当前状态不允许此操作',
    en: "This is not possible in the contract's current state",
  },
  /** Editing terms after someone signed. */
  CONTRACT_LOCKED: {
    status: 409,
    zh: '已有一方签署，合同条款不能再修改',
    en: 'A party has signed; the terms can no longer change',
  },
  /** Editing or re-signing a sealed (filed) contract. */
  CONTRACT_SEALED: {
    status: 409,
    zh: '合同已签署封存，不能修改',
    en: 'The contract is sealed and cannot change',
  },
  /** The caller sees the contract (a regulator) but is not one of its signing parties. */
  CONTRACT_NOT_A_PARTY: {
    status: 403,
    zh: '您不是该合同的签署方',
    en: 'You are not a party to this contract',
  },
  /** This party has already signed. */
  CONTRACT_ALREADY_SIGNED: { status: 409, zh: '您已签署该合同', en: 'You have already signed this contract' },
  /** The signing code is wrong, used or older than 5 minutes. */
  CONTRACT_CODE_INVALID: {
    status: 422,
    zh: '签署验证码错误或已过期',
    en: 'The signing code is wrong or has expired',
  },
  /** Too many wrong codes: a new code must be requested. */
  CONTRACT_CODE_LOCKED: {
    status: 429,
    zh: '验证码错误次数过多，请重新获取',
    en: 'Too many wrong codes; request a new one',
  },
  /** A signing code was sent less than a minute ago. */
  CONTRACT_CODE_TOO_SOON: {
    status: 429,
    zh: '验证码发送过于频繁，请稍后再试',
    en: 'A code was sent less than a minute ago',
  },
  /** The terms break a mandatory clause (details in `errors`). */
  CONTRACT_CLAUSE_VIOLATION: {
    status: 422,
    zh: '合同条款不符合强制性规定',
    en: 'The terms break a mandatory clause',
  },
  /** The hand-drawn signature is missing, not a PNG, or too large. */
  CONTRACT_SIGNATURE_INVALID: {
    status: 422,
    zh: '手写签名无效，请重新签名',
    en: 'The signature image is not valid; please sign again',
  },
  /** A template that misses a mandatory clause or uses an unknown variable. */
  CONTRACT_TEMPLATE_INVALID: {
    status: 422,
    zh: '合同模板缺少必备条款或包含未知变量',
    en: 'The template misses a mandatory clause or uses an unknown variable',
  },
  /** A termination's effective date outside the term (or in the past). */
  CONTRACT_TERMINATION_INVALID: {
    status: 422,
    zh: '解除生效日期须在今天至合同期满之间',
    en: 'The effective date must lie between today and the end of the term',
  },
  // credit
  /** A scorecard version's weights do not sum to 100, or its level thresholds do not rise strictly. */
  CREDIT_SCORECARD_INVALID: {
    status: 422,
    zh: '评分卡配置不正确：各项权重之和须为 100，等级分数线须严格递增',
    en: 'The scorecard is not valid: weights must sum to 100 and level thresholds must rise strictly',
  },
  /** Reading the score of a subject the nightly or event-driven scoring has not reached yet. */
  CREDIT_NOT_RATED: { status: 404, zh: '尚未生成信用评分', en: 'No credit score yet' },
  /** A second appeal on an indicator while one is still open. */
  CREDIT_APPEAL_OPEN: {
    status: 409,
    zh: '该指标已有待处理的申诉',
    en: 'An appeal on this indicator is already open',
  },
  /** Deciding an appeal that is no longer open. */
  CREDIT_APPEAL_DECIDED: { status: 409, zh: '该申诉已处理', en: 'This appeal has already been decided' },
  /** Listing a subject that already has a current red or black list entry. */
  CREDIT_ALREADY_LISTED: {
    status: 409,
    zh: '该对象已在红黑名单中',
    en: 'This subject is already on a list',
  },
  /** Removing a list entry that was already removed. */
  CREDIT_LIST_ENTRY_REMOVED: {
    status: 409,
    zh: '该名单记录已移除',
    en: 'This list entry was already removed',
  },
  /** Expelling a company that is already expelled. */
  CREDIT_ALREADY_EXPELLED: {
    status: 409,
    zh: '该企业已被清退',
    en: 'This company has already been expelled',
  },
  /** Expelling for persistent failure without an open warning past its deadline. */
  CREDIT_EXPULSION_NOT_DUE: {
    status: 409,
    zh: '该企业没有已逾期的整改预警，不能以持续不达标清退',
    en: 'No overdue warning: the company cannot be expelled for persistent failure',
  },
  // recruitment
  /** A post's minimum age is under 16 or its age range is not sensible. */
  RECRUITMENT_AGE_UNLAWFUL: {
    status: 422,
    zh: '年龄要求不合法：最低不得低于16周岁，且上限不得低于下限',
    en: 'The age requirement is unlawful: at least 16, and the upper limit not below the lower',
  },
  /** A post's salary is below the district's minimum wage (monthly, or hourly for hourly work). */
  RECRUITMENT_BELOW_MINIMUM_WAGE: {
    status: 422,
    zh: '薪资低于当地最低工资标准',
    en: "The salary is below the district's minimum wage",
  },
  /** A post's text excludes people by sex, ethnicity, origin, marital status, health carrier status or looks. */
  RECRUITMENT_DISCRIMINATORY: {
    status: 422,
    zh: '招聘信息含有就业歧视内容（性别、民族、户籍、婚育、乙肝、相貌等）',
    en: 'The post contains discriminatory requirements (sex, ethnicity, origin, marital status, hepatitis B, looks…)',
  },
  /** The worker already applied to this post. */
  RECRUITMENT_ALREADY_APPLIED: {
    status: 409,
    zh: '您已申请过该岗位',
    en: 'You have already applied to this post',
  },
  /** Applying to, or making an offer on, a post that is closed or past its closing date. */
  RECRUITMENT_POST_CLOSED: { status: 409, zh: '该岗位已停止招聘', en: 'This post is closed' },
  /** Offering more people than the post's headcount. */
  RECRUITMENT_HEADCOUNT_FILLED: {
    status: 409,
    zh: '该岗位招聘人数已满',
    en: "The post's headcount is filled",
  },
  /** The worker does not meet the post's requirements (age, level, experience, certificate). */
  RECRUITMENT_NOT_ELIGIBLE: {
    status: 422,
    zh: '不符合该岗位的任职要求',
    en: "You do not meet the post's requirements",
  },
  /** The application is not in a state where this step is allowed. */
  RECRUITMENT_INVALID_TRANSITION: {
    status: 409,
    zh: '当前状态不能执行此操作',
    en: 'This step is not allowed in the current state',
  },
  /** The step belongs to the other party (the company screens and offers, the worker accepts or withdraws). */
  RECRUITMENT_NOT_YOUR_STEP: {
    status: 403,
    zh: '此步骤应由对方操作',
    en: 'This step is for the other party',
  },
  /** Rejecting without a reason. */
  RECRUITMENT_REASON_REQUIRED: { status: 422, zh: '请填写原因', en: 'A reason is required' },
  /** The check-in code does not belong to the fair, or the fair is not running now. */
  RECRUITMENT_CHECKIN_INVALID: {
    status: 422,
    zh: '签到码无效或招聘会不在进行中',
    en: 'The check-in code is not valid or the fair is not running',
  },
  /** The worker is already a trainee of a cohort. */
  RECRUITMENT_TRAINEE_TAKEN: {
    status: 409,
    zh: '该服务员已在其他订单班中',
    en: 'The worker already belongs to a cohort',
  },
  /** A district regulator creating or asking for a fair, cohort or figures of another district. */
  RECRUITMENT_OUT_OF_DISTRICT: {
    status: 403,
    zh: '只能处理和查看本辖区的招聘会、订单班和统计',
    en: 'You may act on and see only the fairs, cohorts and figures of your own district',
  },
  /** Inviting a likely worker again within 30 days of the last invitation. */
  RECRUITMENT_INVITED_RECENTLY: {
    status: 409,
    zh: '30 天内已邀请过此人，请勿重复打扰',
    en: 'This person was invited in the last 30 days',
  },
  // content
  /** A category other than news, policy, notice or standard. */
  CONTENT_CATEGORY_UNKNOWN: {
    status: 422,
    zh: '栏目不存在（可选：新闻动态、政策法规、通知公告、行业标准）',
    en: 'Unknown category (news, policy, notice or standard)',
  },
  /** The step does not fit the item's state (content-status.ts), or the item is archived and read-only. */
  CONTENT_INVALID_TRANSITION: {
    status: 409,
    zh: '该内容当前状态不能执行此操作',
    en: "This step is not allowed in the item's current state",
  },
  /** Another item already uses the slug. */
  CONTENT_SLUG_TAKEN: { status: 409, zh: '该网址标识已被使用', en: 'This slug is already in use' },
  /** Changing the slug of an item that was published (its public address must not break). */
  CONTENT_SLUG_LOCKED: {
    status: 409,
    zh: '内容发布后网址标识不能修改',
    en: 'The slug cannot change once the item has been published',
  },
  /** The body has no text left after removing what is not allowed. */
  CONTENT_BODY_EMPTY: {
    status: 422,
    zh: '正文为空（不允许的代码已被清除）',
    en: 'The body is empty (markup that is not allowed was removed)',
  },
  /** More attachments than an item may have, or a cover that is not one of the item's images. */
  CONTENT_ATTACHMENT_INVALID: {
    status: 422,
    zh: '附件无效：每条内容最多 10 个附件，封面须为本条内容的图片附件',
    en: "Attachment not valid: at most 10 per item, and the cover must be one of the item's images",
  },
  /** Scheduling without a time, for a time not in the future, or more than a year ahead. */
  CONTENT_SCHEDULE_INVALID: {
    status: 422,
    zh: '定时发布时间无效：须晚于当前时间且在一年以内',
    en: 'The scheduled time is not valid: it must be in the future and within a year',
  },
  // partners (open API)
  /** A partner route called without `Authorization: Bearer ak_…` or `X-Api-Key`. */
  PARTNER_KEY_MISSING: { status: 401, zh: '缺少 API 密钥', en: 'An API key is required' },
  /** The API key is unknown (wrong, mistyped, or never issued). */
  PARTNER_KEY_INVALID: { status: 401, zh: 'API 密钥无效', en: 'The API key is not valid' },
  /** The API key was revoked by a platform admin. */
  PARTNER_KEY_REVOKED: { status: 401, zh: 'API 密钥已吊销', en: 'The API key has been revoked' },
  /** The API key passed its expiry (or its rotation overlap ended). */
  PARTNER_KEY_EXPIRED: { status: 401, zh: 'API 密钥已过期', en: 'The API key has expired' },
  /** The client was suspended: none of its keys work until it is reactivated. */
  PARTNER_CLIENT_SUSPENDED: { status: 403, zh: '接入方已被暂停', en: 'This partner client is suspended' },
  /** The key's client is not granted the scope this route needs. */
  PARTNER_SCOPE_MISSING: {
    status: 403,
    zh: 'API 密钥未获得此接口的授权范围',
    en: 'The API key lacks the scope this endpoint needs',
  },
  /** The request came from an address outside the client's IP allow-list. */
  PARTNER_IP_NOT_ALLOWED: {
    status: 403,
    zh: '请求来源 IP 不在白名单内',
    en: "The caller's IP address is not on the allow-list",
  },
  /** More requests in the current minute than the client's limit; `Retry-After` says when to come back. */
  PARTNER_RATE_LIMITED: {
    status: 429,
    zh: '调用过于频繁，请稍后再试',
    en: 'Rate limit exceeded; retry after the time given',
  },
  /** Reading a worker's record without an active (unexpired, unrevoked) consent grant from that worker. */
  PARTNER_CONSENT_REQUIRED: {
    status: 403,
    zh: '该服务人员未授权或授权已撤销、过期',
    en: 'The worker has not granted consent, or it was revoked or has expired',
  },
  /** A client, key or delivery step that its current state does not allow (client-status.ts, delivery-status.ts). */
  PARTNER_INVALID_TRANSITION: {
    status: 409,
    zh: '当前状态下不能执行此操作',
    en: 'This step is not allowed in the current state',
  },
  /** A webhook URL that is not https, carries credentials, or points at a private/loopback address. */
  PARTNER_WEBHOOK_URL_REFUSED: {
    status: 422,
    zh: '回调地址不被允许（须为 https 公网地址）',
    en: 'The webhook URL is not allowed (a public https address is required)',
  },
  /** The resident's mobile number already has an Anxin account that the partner does not represent. */
  PARTNER_RESIDENT_CONFLICT: {
    status: 409,
    zh: '该手机号已注册安心账号，请居民本人在安心平台下单',
    en: 'This mobile number already has an Anxin account; the resident must book on Anxin directly',
  },
  // insights
  /** A period whose end month lies before its start month. */
  INSIGHTS_RANGE_REVERSED: {
    status: 422,
    zh: '统计区间的结束月份早于开始月份',
    en: 'The period ends before it starts',
  },
  /** A period longer than the dashboard allows (36 months) or a survey period over a year. */
  INSIGHTS_RANGE_TOO_LARGE: {
    status: 422,
    zh: '统计区间过长（看板最多 36 个月，调查期最多 12 个月）',
    en: 'The period is too long (36 months on the dashboard, 12 for a survey)',
  },
  /** A district regulator asking for another district's figures. */
  INSIGHTS_DISTRICT_OUT_OF_SCOPE: {
    status: 403,
    zh: '只能查看本辖区的统计数据',
    en: 'You may only see the figures of your own district',
  },
  /** A wage survey edition action its state does not allow (wage-survey-status.ts). */
  WAGE_SURVEY_INVALID_TRANSITION: {
    status: 409,
    zh: '调查版本当前状态不允许此操作',
    en: 'The survey edition cannot do this in its current state',
  },
  /** An imported survey table without the needed columns, with bad rows, or too long. */
  WAGE_SURVEY_IMPORT_INVALID: {
    status: 422,
    zh: '导入表格无效：需要“岗位”“区域”“金额(元)”三列，且每行取值有效（最多 5000 行）',
    en: 'The table is not valid: it needs 岗位, 区域 and 金额(元) columns with valid values (at most 5000 rows)',
  },
  /** A CSV export of the whole dashboard (one file per table; use xlsx for all sheets). */
  INSIGHTS_EXPORT_FORMAT: {
    status: 422,
    zh: '全部数据只能导出为 Excel（每张表一个工作表）；CSV 请逐表导出',
    en: 'All tables export only as Excel (one sheet each); export CSV one table at a time',
  },
  // identity: sessions and MFA
  /** Changing the password: the current password given is wrong. */
  PASSWORD_CURRENT_INVALID: {
    status: 422,
    zh: '当前密码不正确',
    en: 'The current password is wrong',
  },
  /** A regulator or platform-admin route called by a session that has not confirmed its SMS code yet. */
  MFA_REQUIRED: {
    status: 403,
    zh: '请先完成短信二次验证',
    en: 'Confirm the SMS code sent to your phone first',
  },
  /** The MFA endpoints called by a session that needs no second step (no MFA role, or already confirmed). */
  MFA_NOT_PENDING: { status: 409, zh: '当前登录无需二次验证', en: 'This session needs no second step' },
  /** SMS-code sign-in for an account holding an MFA role: the password must be one of its two factors. */
  PASSWORD_SIGNIN_REQUIRED: {
    status: 403,
    zh: '监管和平台管理账号请使用密码登录，再完成短信验证',
    en: 'Regulator and admin accounts sign in with their password, then an SMS code',
  },
  // identity: TOTP (动态口令) and recovery codes
  /** A TOTP code that is wrong, outside the ±30 s window, or already used once. */
  TOTP_INVALID: {
    status: 422,
    zh: '动态口令错误、已过期或已使用',
    en: 'The authenticator code is wrong, expired or already used',
  },
  /** Starting TOTP enrolment for an account that already has an authenticator: disable it first. */
  TOTP_ALREADY_ENROLLED: {
    status: 409,
    zh: '该账号已绑定动态口令，如需更换请先解绑',
    en: 'This account already has an authenticator; disable it first to replace it',
  },
  /** Verifying or disabling TOTP (or using a recovery code) for an account with no confirmed authenticator. */
  TOTP_NOT_ENROLLED: { status: 409, zh: '该账号未绑定动态口令', en: 'This account has no authenticator' },
  /** Confirming enrolment with no enrolment started, or one started more than 10 minutes ago. */
  TOTP_ENROLMENT_NOT_STARTED: {
    status: 409,
    zh: '绑定已过期或尚未开始，请重新扫码绑定',
    en: 'No enrolment is in progress (or it expired); scan a new QR code',
  },
  /** TOTP enrolment by an account without a regulator or admin role (only those have a second sign-in step). */
  TOTP_NOT_AVAILABLE: {
    status: 403,
    zh: '动态口令仅用于监管和平台管理账号',
    en: 'Authenticator codes are for regulator and admin accounts',
  },
  /** The SMS second step asked for by an account with an authenticator: SMS is no longer its second factor. */
  TOTP_REQUIRED: {
    status: 409,
    zh: '该账号已绑定动态口令，请使用验证器应用中的动态口令或恢复码',
    en: 'This account uses its authenticator app: enter its code or a recovery code',
  },
  /**
   * An MFA-role account past its grace period without a confirmed TOTP authenticator (only enrolment and sign-out are
   * open), or a security admin without one of their own resetting another account's authenticator.
   */
  TOTP_ENROLMENT_REQUIRED: {
    status: 403,
    zh: '请先绑定动态口令（验证器应用）后再使用管理功能',
    en: 'Enrol an authenticator app before using administrative functions',
  },
  /** A security-key (WebAuthn) answer that does not verify: wrong origin, challenge, RP id, signature or key. */
  WEBAUTHN_INVALID: {
    status: 422,
    zh: '安全密钥验证失败，请重试',
    en: 'The security key response could not be verified; try again',
  },
  /** A security-key answer with no live challenge for it (expired after 5 minutes, already used, or never asked). */
  WEBAUTHN_CHALLENGE_EXPIRED: {
    status: 409,
    zh: '安全密钥验证已过期，请重新操作',
    en: 'The security key request expired or was already used; start again',
  },
  /** A key whose signature counter did not grow: possibly a cloned key; refused and audited. */
  WEBAUTHN_COUNTER_REGRESSED: {
    status: 422,
    zh: '安全密钥签名计数异常（可能被复制），已拒绝，请联系安全管理员',
    en: 'The security key signature counter went backwards (possibly a cloned key); refused, contact the security admin',
  },
  /** Security keys are a second factor for regulator and admin accounts only. */
  WEBAUTHN_NOT_AVAILABLE: {
    status: 403,
    zh: '安全密钥仅用于监管和平台管理账号',
    en: 'Security keys are for regulator and admin accounts',
  },
  /** The MFA step with a security key for an account that has none. */
  WEBAUTHN_NOT_ENROLLED: { status: 409, zh: '该账号未绑定安全密钥', en: 'This account has no security key' },
  /** SMS asked for at the MFA step of an account with a security key (and no authenticator app). */
  WEBAUTHN_REQUIRED: {
    status: 409,
    zh: '该账号已绑定安全密钥，请使用安全密钥验证',
    en: 'This account uses its security key: confirm with the key',
  },
  /** The key is already registered (to this or another account). */
  WEBAUTHN_ALREADY_REGISTERED: {
    status: 409,
    zh: '该安全密钥已绑定',
    en: 'This security key is already registered',
  },
  /** An account may hold at most 10 security keys. */
  WEBAUTHN_TOO_MANY: {
    status: 409,
    zh: '最多绑定 10 个安全密钥，请先移除不用的密钥',
    en: 'At most 10 security keys per account; remove one first',
  },
  /** Removing the last second factor of an MFA-role account while TOTP/keys are mandatory (MFA_TOTP_REQUIRED). */
  WEBAUTHN_LAST_FACTOR: {
    status: 409,
    zh: '这是该账号最后一个第二验证因素，请先绑定动态口令或其他安全密钥再移除',
    en: 'This is the account’s last second factor; add an authenticator or another key before removing it',
  },
  /** A recovery code that is wrong or already used. */
  RECOVERY_CODE_INVALID: {
    status: 422,
    zh: '恢复码错误或已使用',
    en: 'The recovery code is wrong or already used',
  },
  /** Signing out "another" session with the id of the session making the request: use sign-out instead. */
  SESSION_CURRENT: {
    status: 409,
    zh: '这是当前设备的登录，请使用“退出登录”',
    en: 'This is the session you are using; sign out instead',
  },
  // identity: separation of duties (三权分立)
  /** A security admin changing the roles, status or sessions of their own account. */
  ADMIN_SELF_CHANGE: {
    status: 403,
    zh: '不能更改自己账号的角色、状态或登录',
    en: 'You cannot change the roles, status or sessions of your own account',
  },
  /** Granting one of system/security/audit admin to an account that holds another of the three. */
  ROLE_DUTIES_SEPARATED: {
    status: 409,
    zh: '系统管理员、安全管理员和审计管理员须由不同账号担任（三权分立）',
    en: 'System, security and audit administrators must be different accounts (separation of duties)',
  },
  /** Granting a role the account already holds. */
  ROLE_ALREADY_HELD: { status: 409, zh: '该账号已拥有此角色', en: 'The account already holds this role' },
  /** Revoking a role the account does not hold. */
  ROLE_NOT_HELD: { status: 409, zh: '该账号没有此角色', en: 'The account does not hold this role' },
  /** Disabling a disabled account, or enabling an active one. */
  ACCOUNT_STATUS_UNCHANGED: {
    status: 409,
    zh: '账号已处于该状态',
    en: 'The account is already in that state',
  },
  // platform
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂时不可用', en: 'Service temporarily unavailable' },
  /** Too many requests are already waiting to start (platform/http/admission.ts); sent with Retry-After. */
  SERVER_BUSY: {
    status: 503,
    zh: '服务器繁忙，请稍后重试',
    en: 'The server is busy; please try again shortly',
  },
  /** The database did not answer in time (connect or statement timeout) or the connection was lost. */
  DATABASE_UNAVAILABLE: {
    status: 503,
    zh: '数据库暂时无法响应，请稍后重试',
    en: 'The database is not answering right now; please try again shortly',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
  /** An outbound call (or one of its redirects) to a host that is not on OUTBOUND_ALLOW_HOSTS; nothing was sent. */
  EGRESS_HOST_NOT_ALLOWED: {
    status: 502,
    zh: '目标主机不在出站白名单内，已拒绝连接',
    en: 'The target host is not on the outbound allow-list; nothing was sent',
  },
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
