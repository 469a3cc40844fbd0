import { districtByCode } from '../../../shared/districts.js';
import { labelOf, serviceCategories, serviceModes, skillLevels } from '../../../shared/domain.js';
import { zhCN } from '../../../web/shared/i18n/zh-CN.js';
import type { PdfPart, PdfSection } from './efile-pdf.js';
import type { EfileExport } from './efile.service.js';
import { amountFigure } from '../../../shared/money-words.js';

// The printed copy of the JSON export (PIPL Art 45): every section of it, from the same data (so with the same
// exclusions), state codes in the words the app shows (the web client's zh-CN dictionary), times in Asia/Shanghai.

const dict: Record<string, string> = zhCN;
/** The app's Chinese label for `prefix.code`, or the code itself when the app has none. */
const label = (prefix: string, code: string | null | undefined) =>
  code == null || code === '' ? '—' : (dict[`${prefix}.${code}`] ?? code);

const SHANGHAI_MS = 8 * 3600_000;
const shanghai = (at: string) => new Date(Date.parse(at) + SHANGHAI_MS).toISOString();
/** A calendar day: YYYY-MM-DD values as they are, timestamps as their Asia/Shanghai day. */
export const day = (at: string | null | undefined) =>
  !at ? '—' : /^\d{4}-\d{2}-\d{2}$/.test(at) ? at : shanghai(at).slice(0, 10);
/** A moment in Asia/Shanghai, to the minute (北京时间). */
export const minute = (at: string | null | undefined) =>
  !at ? '—' : shanghai(at).slice(0, 16).replace('T', ' ');

const yuan = (fen: number | null | undefined) => (fen == null ? '—' : `${amountFigure(fen)} 元`);
const cat = (code: string) => labelOf(serviceCategories, code);
const mode = (code: string) => labelOf(serviceModes, code);
const district = (code: string | null) => (code ? (districtByCode.get(code)?.name ?? code) : '—');
const join = (...parts: (string | null | false | undefined)[]) => parts.filter(Boolean).join('，');
const yes = (b: boolean) => (b ? '是' : '否');

const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 12 → 十二, 28 → 二十八 (enough for the section count). */
const numeral = (n: number) =>
  n < 10 ? NUMERALS[n]! : `${n >= 20 ? NUMERALS[Math.floor(n / 10)] : ''}十${NUMERALS[n % 10]}`;

const accessRequestState: Record<string, string> = {
  pending: '待我处理',
  approved: '已同意',
  declined: '已拒绝',
  closed: '已关闭',
};
const grantState: Record<string, string> = {
  active: label('efile.grant', 'active'),
  expired: label('efile.grant', 'expired'),
  revoked: label('efile.grant', 'revoked'),
};
const reviewState: Record<string, string> = {
  published: '已公开',
  flagged: label('feedback.review', 'flagged'),
  hidden: label('feedback.review', 'hidden'),
};
const reviewRelation = { about: '评价我', author: '我写的评价', employer: '评价我（作为雇主）' };
const complaintRelation = { about: '投诉我', filed: '我提出的投诉', employer: '投诉我（作为雇主）' };
const reportState: Record<string, string> = { open: '待处理', upheld: '举报成立', dismissed: '举报不成立' };
const terminationState: Record<string, string> = {
  pending: '待各方确认',
  agreed: '已达成一致',
  disputed: '有争议',
};
const certificateAction: Record<string, string> = {
  none: '不处理证书',
  suspend: '暂停证书',
  revoke: '吊销证书',
};
const reminderThreshold: Record<string, string> = { due_30d: '30 天内到期', expired: '已到期' };
const reminderDocument: Record<string, string> = { health: '健康证', certificate: '安心服务证' };
const interviewOutcome: Record<string, string> = {
  proceed: label('messaging.interview', 'proceed'),
  decline: label('messaging.interview', 'decline'),
};
const messageKind: Record<string, string> = {
  text: '文字',
  image: label('messaging', 'image'),
  system: '系统',
};
const mySide = { worker: '服务员', resident: '居民 / 雇主' };
const partyOf = (p: string) => label('contracts.party', p);

/** The printed sections of the worker's export, in reading order, numbered 一、二、…; nothing queried again. */
export function efilePdfSections(x: EfileExport): PdfSection[] {
  const sections = [
    basics(x),
    status(x),
    consents(x),
    documents(x),
    ...training(x),
    trainingProgress(x),
    expiryReminders(x),
    backgroundChecks(x),
    employment(x),
    orders(x),
    sealedContracts(x),
    contractRecords(x),
    reviews(x),
    complaints(x),
    feedbackRecords(x),
    credit(x),
    insurance(x),
    insuranceRecords(x),
    messaging(x),
    partnerRecords(x),
    recruitment(x),
    demandOffers(x),
    account(x),
    accessLog(x),
    grants(x),
    accessRequests(x),
    deletionRequests(x),
  ];
  return sections.map((s, i) => ({ ...s, title: `${numeral(i + 1)}、${s.title}` }));
}

function basics(x: EfileExport): PdfSection {
  const p = x.profile;
  return {
    title: '基本信息',
    rows: [
      ['姓名', p.name],
      ['档案编号', p.id],
      ['身份证号', p.idNumber ?? '已删除'],
      ['出生日期', p.birthDate],
      ['性别', p.sex === 'F' ? '女' : '男'],
      ['手机号', p.phone ?? '—'],
      ['所在区', district(p.district)],
      ['籍贯', p.nativePlace ?? '—'],
      ['学历', p.education ?? '—'],
      ['语言', p.languages.join('、') || '—'],
      ['服务类别', p.categories.map(cat).join('、') || '—'],
      ['技能等级', p.skillLevel ? labelOf(skillLevels, p.skillLevel) : '—'],
      ['月嫂星级', p.maternityStars != null ? `${p.maternityStars} 星` : '—'],
      ['从业年限', p.yearsExperience != null ? `${p.yearsExperience} 年` : '—'],
      ['自我介绍', p.intro ?? '—'],
      ['本人照片', p.hasPhoto ? '已上传' : '未上传'],
      ['档案状态', label('wk.state', p.status)],
      [
        '建档方式',
        p.registeredVia === 'self'
          ? '本人注册'
          : p.registeredVia === 'company'
            ? '企业代建'
            : p.registeredVia,
      ],
      ['实名核验', p.identityVerifiedAt ? `已核验（${day(p.identityVerifiedAt)}）` : '未核验'],
      ['授权书签署', day(p.consentAcceptedAt)],
      ['建档时间', minute(p.createdAt)],
    ],
  };
}

function status(x: EfileExport): PdfSection {
  const c = x.certificate;
  return {
    title: '安心服务证与状态',
    rows: [
      ['安心码', `${x.status.colorLabel}（${x.status.reasonLabel}）`],
      ['可接新订单', yes(x.status.canTakeNewBookings)],
      ...(c
        ? ([
            ['证书编号', c.number],
            ['有效期', `${day(c.validFrom)} 至 ${day(c.validUntil)}`],
            ['证书状态', join(label('verify.state', c.state), c.stateReason)],
            ['发证时间', minute(c.issuedAt)],
            ['证书服务类别', c.categories.map(cat).join('、') || '—'],
            ['证书技能等级', c.skillLevel ? labelOf(skillLevels, c.skillLevel) : '—'],
          ] as [string, string][])
        : ([['证书', '尚未取得安心服务证']] as [string, string][])),
    ],
    parts: [
      {
        title: dict['cert.checks'] ?? '核验清单',
        rows: x.status.checks.map((k): [string, string] => [
          label('cert.check', k.key),
          k.ok ? '符合' : `不符合（${label('cert.checkState', k.state)}）`,
        ]),
      },
    ],
  };
}

function consents(x: EfileExport): PdfSection {
  return {
    title: '信用信息授权书',
    rows: x.consents.map((c): [string, string] => [
      day(c.acceptedAt),
      join(
        `版本 ${c.textVersion}`,
        `签署于 ${minute(c.acceptedAt)}`,
        c.withdrawnAt ? `已于 ${minute(c.withdrawnAt)} 撤回` : '有效',
        `文本摘要 ${c.textSha256.slice(0, 16)}…`,
      ),
    ]),
    empty: '尚未签署授权书',
  };
}

function documents(x: EfileExport): PdfSection {
  return {
    title: '证件与审核',
    rows: x.documents.map((d): [string, string] => [
      d.kindLabel,
      join(
        label('efile.doc', d.state),
        d.number && `证件编号 ${d.number}`,
        d.issuedOn && `签发于 ${d.issuedOn}`,
        d.expiresOn && `有效期至 ${d.expiresOn}`,
        d.reason && `原因：${d.reason}`,
        d.reviewedAt && `审核于 ${day(d.reviewedAt)}`,
        !d.current && '已被新上传替换',
        d.downloadPath ? null : '文件已删除',
        `上传于 ${day(d.createdAt)}`,
      ),
    ]),
    empty: '尚未上传证件',
  };
}

function training(x: EfileExport): PdfSection[] {
  return [
    {
      title: '培训与考试',
      rows: x.training.map((t): [string, string] => [
        t.examDate,
        `${t.courseName}：${t.passed ? '合格' : '不合格'}${t.score != null ? `（${t.score} 分）` : ''}`,
      ]),
    },
    {
      title: '培训证书与考试成绩',
      rows: [
        ...x.trainingRecords.certificates.map((c): [string, string] => [
          day(c.issuedAt),
          `${c.courseTitle}（${c.institution}），${Math.round((c.minutes / 60) * 10) / 10} 学时，${c.score} 分，证书编号 ${c.number}`,
        ]),
        ...x.trainingRecords.exams.map((e): [string, string] => [
          day(e.at),
          `${e.examTitle}：${e.score} 分，${e.passed ? '通过' : '未通过'}`,
        ]),
      ],
      empty: '暂无培训证书或考试记录',
    },
  ];
}

function trainingProgress(x: EfileExport): PdfSection {
  const t = x.trainingProgress;
  return {
    title: '培训进度',
    rows: [],
    parts: [
      {
        title: '报名的培训班',
        rows: t.enrolments.map((e): [string, string] => [
          day(e.enrolledAt),
          `${e.courseTitle} · ${e.classTitle}`,
        ]),
      },
      {
        title: '签到记录',
        rows: t.attendance.map((a): [string, string] => [
          a.day,
          `${a.classTitle}，${a.minutes} 分钟，签到于 ${minute(a.checkedInAt)}`,
        ]),
      },
      {
        title: '已完成的课时',
        rows: t.lessons.map((l): [string, string] => [
          day(l.completedAt),
          `${l.courseTitle} · ${l.lessonTitle}`,
        ]),
      },
      {
        title: '进行中的考试',
        rows: t.openAttempts.map((a): [string, string] => [
          minute(a.startedAt),
          `${a.examTitle}，截止 ${minute(a.deadline)}`,
        ]),
      },
    ],
  };
}

function expiryReminders(x: EfileExport): PdfSection {
  return {
    title: '证件到期提醒',
    rows: x.expiryReminders.map((r): [string, string] => [
      minute(r.sentAt),
      `${reminderDocument[r.document] ?? r.document}（有效期至 ${r.expiresOn}）：${reminderThreshold[r.threshold] ?? r.threshold}`,
    ]),
    empty: '无记录',
  };
}

function backgroundChecks(x: EfileExport): PdfSection {
  return {
    title: '背景核查',
    rows: x.backgroundChecks.map((c): [string, string] => [
      c.checkedOn ?? day(c.createdAt),
      join(
        label('efile.bg', c.state),
        c.provider && `核查方式 ${c.provider === 'manual' ? '人工核查录入' : c.provider}`,
        c.reference && `编号 ${c.reference}`,
      ),
    ]),
  };
}

function employment(x: EfileExport): PdfSection {
  return {
    title: '工作经历（任职记录）',
    rows: x.workHistory.employment.map((e): [string, string] => [
      e.companyName ?? e.companyId,
      join(
        `${day(e.startedAt)} 至 ${e.endedAt ? day(e.endedAt) : '今'}`,
        e.endedReason && `离职原因：${e.endedReason}`,
      ),
    ]),
  };
}

/** A section the platform may not fill yet (its module not wired): the export's own notice. */
const notYet = (s: { available: boolean; message: { 'zh-CN': string } | null }) =>
  s.message?.['zh-CN'] ?? '暂无记录';

function orders(x: EfileExport): PdfSection {
  const o = x.workHistory.orders;
  return {
    title: '订单记录',
    rows: o.items.map((i): [string, string] => [
      day(i.from),
      join(
        `订单 ${i.number}`,
        cat(i.category),
        mode(i.mode),
        i.companyName,
        district(i.district),
        `${i.role === 'substitute' ? '顶班' : '服务'}至 ${day(i.to)}`,
        label('orders.orderState', i.state),
        i.visits.length > 0 && `上门 ${i.visits.length} 次`,
      ),
    ]),
    empty: o.available ? '暂无订单记录' : notYet(o),
  };
}

function sealedContracts(x: EfileExport): PdfSection {
  const c = x.workHistory.contracts;
  return {
    title: '合同记录',
    rows: c.items.map((i): [string, string] => [
      day(i.sealedAt),
      join(
        `合同 ${i.number}${i.filingNo ? `（备案号 ${i.filingNo}）` : ''}`,
        cat(i.category),
        i.companyName,
        `${i.startDate} 至 ${i.endDate}`,
        `月工资 ${yuan(i.monthlyWageFen)}`,
        i.terminatedAt && `${day(i.terminatedAt)} 解除`,
      ),
    ]),
    empty: notYet(c),
  };
}

function contractRecords(x: EfileExport): PdfSection {
  const cs = x.contractRecords;
  return {
    title: '合同往来（全部状态、本人签名与解除）',
    rows: [],
    parts: [
      {
        title: '合同',
        rows: cs.map((c): [string, string] => [
          day(c.createdAt),
          join(
            `合同 ${c.number}${c.filingNo ? `（备案号 ${c.filingNo}）` : ''}`,
            label('contracts.kind', c.kind),
            cat(c.category),
            mode(c.mode),
            district(c.district),
            c.companyName,
            `${c.startDate} 至 ${c.endDate}`,
            `月工资 ${yuan(c.monthlyWageFen)}`,
            c.dailyHours != null && `每日 ${c.dailyHours} 小时`,
            c.restDaysPerMonth != null && `每月休息 ${c.restDaysPerMonth} 天`,
            `第 ${c.revision} 版`,
            label('contracts.state', c.state),
            c.sealedAt && `${minute(c.sealedAt)} 生效`,
            c.terminatedAt && `${minute(c.terminatedAt)} 解除`,
            c.replacedById && '已被新版本替代',
          ),
        ]),
      },
      {
        title: '本人签名',
        rows: cs.flatMap((c) =>
          c.signatures.map((s): [string, string] => [
            minute(s.signedAt),
            join(
              `合同 ${c.number} 第 ${s.revision} 版`,
              `以${partyOf(s.party)}签署`,
              s.signerIp && `IP ${s.signerIp}`,
              s.signerUserAgent && `设备 ${s.signerUserAgent}`,
              `签名图像摘要 ${s.signatureSha256.slice(0, 16)}…`,
            ),
          ]),
        ),
      },
      {
        title: '解除申请与结算',
        rows: cs.flatMap((c) =>
          c.terminations.map((t): [string, string] => {
            const s = t.settlement as Partial<Record<string, number>>;
            return [
              day(t.createdAt),
              join(
                `合同 ${c.number}`,
                `${t.requestedByYou ? '由我' : `由${partyOf(t.requestedBy)}`}申请解除`,
                `原因：${t.reason}`,
                `生效日期 ${t.effectiveDate}`,
                s.servedDays != null && `已服务 ${s.servedDays}/${s.totalDays ?? '—'} 天`,
                s.netToConsumerFen != null && `机构应付消费者合计 ${yuan(s.netToConsumerFen)}`,
                t.confirmedBy.length > 0 && `已确认：${t.confirmedBy.map(partyOf).join('、')}`,
                terminationState[t.state] ?? t.state,
                t.disputedBy &&
                  `${partyOf(t.disputedBy)}提出异议${t.disputeReason ? `：${t.disputeReason}` : ''}`,
                t.resolvedAt && `${day(t.resolvedAt)} 办结`,
              ),
            ];
          }),
        ),
      },
    ],
  };
}

function reviews(x: EfileExport): PdfSection {
  return {
    title: '评价',
    rows: x.reviews.items.map((r): [string, string] => [
      day(r.createdAt),
      `订单 ${r.orderNumber}，${r.overall.toFixed(1)} 分：${r.text}`,
    ]),
    empty: notYet(x.reviews),
  };
}

function complaints(x: EfileExport): PdfSection {
  return {
    title: '投诉',
    rows: x.complaints.items.map((c): [string, string] => [
      day(c.filedAt),
      join(
        c.orderNumber && `订单 ${c.orderNumber}`,
        label('feedback.category', c.category),
        label('feedback.state', c.state),
        c.outcome && label('feedback.outcome', c.outcome),
      ),
    ]),
    empty: notYet(x.complaints),
  };
}

function feedbackRecords(x: EfileExport): PdfSection {
  const f = x.feedbackRecords;
  return {
    title: '评价与投诉往来（全部状态）',
    rows: [],
    parts: [
      {
        title: '评价',
        rows: f.reviews.map((r): [string, string] => [
          day(r.createdAt),
          join(
            reviewRelation[r.relation],
            `订单 ${r.orderNumber}`,
            r.companyName,
            `${r.overall.toFixed(1)} 分：${r.text}`,
            r.photoCount > 0 && `照片 ${r.photoCount} 张`,
            reviewState[r.state] ?? r.state,
            r.moderationReason && `处理理由：${r.moderationReason}（${day(r.moderatedAt)}）`,
            r.reply && `回复（${day(r.reply.at)}）：${r.reply.text}`,
          ),
        ]),
      },
      {
        title: '我举报的评价',
        rows: f.reviewReports.map((p): [string, string] => [
          day(p.createdAt),
          join(
            `举报理由：${p.reason}`,
            reportState[p.state] ?? p.state,
            p.decisionReason && `处理意见：${p.decisionReason}`,
            p.decidedAt && `${day(p.decidedAt)} 处理`,
          ),
        ]),
      },
      {
        title: '投诉',
        rows: f.complaints.map((c): [string, string] => [
          day(c.filedAt),
          join(
            complaintRelation[c.relation],
            `被投诉方：${label('feedback.subject', c.subjectType)}`,
            c.orderNumber && `订单 ${c.orderNumber}`,
            c.companyName,
            label('feedback.category', c.category),
            `内容：${c.description}`,
            c.evidenceCount > 0 && `证据 ${c.evidenceCount} 份`,
            district(c.district),
            label('feedback.state', c.state),
            c.response && `企业回应（${day(c.respondedAt)}）：${c.response}`,
            c.escalatedAt && `${day(c.escalatedAt)} 升级至监管部门`,
            c.outcome && label('feedback.outcome', c.outcome),
            c.decisionReason && `认定理由：${c.decisionReason}`,
            c.certificateAction && (certificateAction[c.certificateAction] ?? c.certificateAction),
            c.appealedAt && `${day(c.appealedAt)} 申诉${c.appealReason ? `：${c.appealReason}` : ''}`,
            c.closedAt && `${day(c.closedAt)} 结案`,
          ),
        ]),
      },
    ],
  };
}

function credit(x: EfileExport): PdfSection {
  const c = x.credit;
  return {
    title: '信用记录',
    rows: c.available
      ? [
          ['信用分', `${c.score} 分（${'★'.repeat(c.stars)}）`],
          ['服务评价', c.ratingAvg != null ? `${c.ratingAvg} 分，共 ${c.ratingCount} 条` : '暂无'],
        ]
      : [],
    empty: notYet(c),
  };
}

function insurance(x: EfileExport): PdfSection {
  return {
    title: '保险',
    rows: x.insurance.items.map((p): [string, string] => [
      `${p.startsOn} 至 ${p.endsOn}`,
      join(
        `${p.product.title}（${p.insurer.name}）`,
        `保单号 ${p.number}`,
        p.stateLabel,
        p.company && `投保单位 ${p.company.name}`,
      ),
    ]),
    empty: notYet(x.insurance),
  };
}

function insuranceRecords(x: EfileExport): PdfSection {
  const r = x.insuranceRecords;
  return {
    title: '保险记录（保单与理赔）',
    rows: [],
    parts: [
      {
        title: '保单',
        rows: r.policies.map((p): [string, string] => [
          `${p.startsOn} 至 ${p.endsOn}`,
          join(
            `保单号 ${p.number}`,
            p.productTitle,
            p.insurerName && `承保 ${p.insurerName}`,
            p.companyName && `投保单位 ${p.companyName}`,
            `${p.enrolledBy === 'worker' ? '本人' : '企业'}投保`,
            `保费 ${yuan(p.premiumFen)}（补贴 ${yuan(p.subsidyFen)}，企业 ${yuan(p.companyFen)}，本人 ${yuan(p.workerFen)}）`,
            label('insurance.policyState', p.state),
            p.stateReason,
            p.confirmedAt && `${day(p.confirmedAt)} 承保确认`,
          ),
        ]),
      },
      {
        title: '理赔',
        rows: r.claims.map((c): [string, string] => [
          day(c.createdAt),
          join(
            `案件号 ${c.number}`,
            c.policyNumber && `保单号 ${c.policyNumber}`,
            c.aboutMe ? '本人的保障' : '他人的保障（我报案）',
            c.reportedByMe && '我报案',
            label('insurance.coverage', c.coverageCode),
            `出险日期 ${c.incidentOn}`,
            `经过：${c.description}`,
            `申请 ${yuan(c.claimedFen)}`,
            c.approvedFen != null && `核定 ${yuan(c.approvedFen)}`,
            c.paidFen != null && `已赔付 ${yuan(c.paidFen)}（${day(c.paidAt)}）`,
            label('insurance.claimState', c.state),
            c.stateReason,
          ),
        ]),
      },
    ],
  };
}

function messaging(x: EfileExport): PdfSection {
  const m = x.messaging;
  // Conversations are numbered in the order listed; the other parts refer to them by that number.
  const no = new Map(m.conversations.map((c, i) => [c.id, `会话 ${i + 1}`]));
  const conv = (id: string | null) => (id ? (no.get(id) ?? id) : '—');
  return {
    title: '消息与视频面试',
    rows: [],
    parts: [
      {
        title: '会话',
        rows: m.conversations.map((c): [string, string] => [
          conv(c.id),
          join(
            `来源：${label('messaging.context', c.contextKind)}`,
            c.companyName ?? '居民',
            `我方：${mySide[c.mySide]}`,
            `共 ${c.lastSeq} 条消息`,
            `开始于 ${minute(c.createdAt)}`,
            `最后消息 ${minute(c.lastMessageAt)}`,
          ),
        ]),
      },
      {
        title: '我发送的消息',
        rows: m.messages.map((g): [string, string] => [
          minute(g.createdAt),
          `${conv(g.conversationId)} 第 ${g.seq} 条：` +
            [
              g.kind !== 'text' && `[${messageKind[g.kind] ?? g.kind}]`,
              g.body,
              g.privacyFlags.length > 0 && '（含手机号或身份证号提示）',
            ]
              .filter(Boolean)
              .join(' '),
        ]),
      },
      {
        title: '已读位置',
        rows: m.readMarkers.map((r): [string, string] => [
          conv(r.ref),
          `已读至第 ${r.lastReadSeq} 条（${minute(r.updatedAt)}）`,
        ]),
      },
      {
        title: '我屏蔽的会话',
        rows: m.blocks.map((b): [string, string] => [conv(b.ref), `屏蔽于 ${minute(b.createdAt)}`]),
      },
      {
        title: '我举报的会话',
        rows: m.reports.map((p): [string, string] => [
          day(p.createdAt),
          join(
            conv(p.conversationId),
            `原因：${p.reason}`,
            reportState[p.state] ?? label('messaging.reports', p.state),
            p.reviewNote && `处理意见：${p.reviewNote}`,
            p.reviewedAt && `${day(p.reviewedAt)} 处理`,
          ),
        ]),
      },
      {
        title: '视频面试',
        rows: m.interviews.map((i): [string, string] => [
          minute(i.scheduledAt),
          join(
            i.companyName,
            i.conversationId && conv(i.conversationId),
            i.myParty === 'organizer' ? '我组织的面试' : '我参加的面试',
            `${i.durationMinutes} 分钟`,
            label('messaging.interview.state', i.state),
            i.outcome && `结果：${interviewOutcome[i.outcome] ?? i.outcome}`,
            i.notes && `我的面试记录：${i.notes}`,
            i.startedAt && `开始 ${minute(i.startedAt)}`,
            i.endedAt && `结束 ${minute(i.endedAt)}`,
          ),
        ]),
      },
    ],
  };
}

function partnerRecords(x: EfileExport): PdfSection {
  const p = x.partnerRecords;
  const now = Date.parse(x.exportedAt);
  return {
    title: '合作平台',
    rows: [],
    parts: [
      {
        title: '授权合作平台查看我的档案',
        rows: p.consents.map((c): [string, string] => [
          day(c.createdAt),
          join(
            `${c.partnerName}（${c.partnerOrganization}）`,
            label('partners.consent.scope', c.scope),
            `有效期至 ${minute(c.expiresAt)}`,
            c.revokedAt
              ? `${label('partners.consentState', 'revoked')}（${minute(c.revokedAt)}）`
              : Date.parse(c.expiresAt) <= now
                ? label('partners.consentState', 'expired')
                : label('partners.consentState', 'active'),
          ),
        ]),
      },
      {
        title: '合作平台账号关联',
        rows: p.residentLinks.map((r): [string, string] => [
          day(r.createdAt),
          `${r.partnerName}，平台用户编号 ${r.externalUserId}`,
        ]),
      },
    ],
  };
}

function recruitment(x: EfileExport): PdfSection {
  const r = x.recruitment;
  return {
    title: '求职与招聘',
    rows: [],
    parts: [
      {
        title: '求职申请',
        rows: r.applications.map((a): [string, string] => [
          day(a.createdAt),
          join(
            a.postTitle,
            a.companyName,
            a.coverNote && `留言：${a.coverNote}`,
            label('recruitment.state', a.state),
            a.hiredAt && `${day(a.hiredAt)} 入职`,
            a.history.length > 0 &&
              `进展：${a.history.map((h) => `${minute(h.at)} ${label('recruitment.action', h.action)}`).join('；')}`,
          ),
        ]),
      },
      {
        title: '保存的职位搜索',
        rows: r.savedSearches.map((s): [string, string] => [
          day(s.createdAt),
          join(
            s.name,
            s.categories.length > 0 && s.categories.map(cat).join('、'),
            s.modes.length > 0 && s.modes.map((m) => label('recruitment.mode', m)).join('、'),
            s.district && district(s.district),
            s.minSalaryFen != null && `月薪不低于 ${yuan(s.minSalaryFen)}`,
            s.keyword && `关键词 ${s.keyword}`,
            s.alerts ? '新职位提醒：开' : '新职位提醒：关',
          ),
        ]),
      },
      {
        title: '招聘会报名',
        rows: r.fairRegistrations.map((f): [string, string] => [
          day(f.startsAt),
          join(
            f.fairTitle,
            label('recruitment.fair', f.format),
            f.venue,
            `${minute(f.startsAt)} 至 ${minute(f.endsAt)}`,
            f.checkedInAt ? `${minute(f.checkedInAt)} 签到` : '未签到',
            `报名于 ${minute(f.createdAt)}`,
          ),
        ]),
      },
      {
        title: '订单班',
        rows: r.cohort
          ? [
              [
                day(r.cohort.addedAt),
                join(
                  r.cohort.name,
                  `来源地 ${r.cohort.sourceRegionName}`,
                  `计划到岗 ${r.cohort.plannedArrivalOn}`,
                  r.cohort.arrivedOn && `${r.cohort.arrivedOn} 到岗`,
                ),
              ],
            ]
          : [],
      },
      {
        title: '同意接收招聘联系',
        rows: r.contactConsent
          ? [
              [
                day(r.contactConsent.grantedAt),
                join(
                  `同意于 ${minute(r.contactConsent.grantedAt)}`,
                  r.contactConsent.withdrawnAt ? `已于 ${minute(r.contactConsent.withdrawnAt)} 撤回` : '有效',
                  r.contactConsent.lastInvitedAt && `最近一次邀请 ${minute(r.contactConsent.lastInvitedAt)}`,
                ),
              ],
            ]
          : [],
      },
      {
        title: '我发布的招聘岗位',
        rows: r.postsPublished.map((p): [string, string] => [
          day(p.createdAt),
          join(
            p.title,
            p.companyName,
            cat(p.category),
            label('recruitment.mode', p.mode),
            p.state === 'open' ? '招聘中' : '已结束',
            `截止 ${p.closesOn}`,
          ),
        ]),
      },
    ],
  };
}

function demandOffers(x: EfileExport): PdfSection {
  return {
    title: '企业推荐我的需求报价',
    rows: x.demandOffers.map((o): [string, string] => [
      day(o.createdAt),
      join(o.companyName, cat(o.category), district(o.district), label('orders.offerState', o.state)),
    ]),
    empty: '无记录',
  };
}

function account(x: EfileExport): PdfSection {
  const a = x.account;
  const parts: PdfPart[] = [
    {
      title: '账号角色',
      rows: a.roles.map((r): [string, string] => [
        day(r.grantedAt),
        join(label('roles', r.role), r.district && district(r.district)),
      ]),
    },
    {
      title: '机构任职',
      rows: a.memberships.map((m): [string, string] => [
        day(m.startedAt),
        join(
          m.orgName,
          label('org.role', m.role),
          `${day(m.startedAt)} 至 ${m.endedAt ? day(m.endedAt) : '今'}`,
        ),
      ]),
    },
    {
      title: '我发布的服务需求',
      rows: a.demands.map((d): [string, string] => [
        day(d.createdAt),
        join(
          cat(d.category),
          mode(d.mode),
          district(d.district),
          d.description,
          label('orders.demandState', d.state),
        ),
      ]),
    },
    {
      title: '通知',
      rows: a.notifications.map((n): [string, string] => [
        minute(n.createdAt),
        join(n.title, n.body, n.readAt ? `${minute(n.readAt)} 已读` : '未读'),
      ]),
    },
  ];
  return { title: '账号', rows: [], parts };
}

function accessLog(x: EfileExport): PdfSection {
  return {
    title: '查看记录（谁看过我的档案）',
    rows: x.accessLog.map((l): [string, string] => [
      minute(l.at),
      join(
        `${l.viewer.maskedName ?? '持链接访问者'}${l.viewer.orgName ? `（${l.viewer.orgName}）` : ''}`,
        label('efile.role', l.viewer.role),
        `查看${label('efile.what', l.what)}`,
        `途径：${label('efile.via', l.via)}`,
      ),
    ]),
  };
}

function grants(x: EfileExport): PdfSection {
  return {
    title: '授权记录',
    rows: x.grants.map((g): [string, string] => [
      day(g.createdAt),
      join(
        g.kind === 'link' ? '分享链接' : '应用内授权',
        g.grantee &&
          `授权给 ${g.grantee.maskedName ?? '—'}${g.grantee.orgName ? `（${g.grantee.orgName}）` : ''}`,
        `${label('efile.scope', g.scope)}范围`,
        `至 ${minute(g.expiresAt)}`,
        grantState[g.state] ?? g.state,
        g.revokedAt && `${minute(g.revokedAt)} 撤销`,
      ),
    ]),
  };
}

function accessRequests(x: EfileExport): PdfSection {
  return {
    title: '查看档案的申请',
    rows: x.accessRequests.map((r): [string, string] => [
      day(r.createdAt),
      join(
        `${r.requester.maskedName ?? '—'}${r.requester.orgName ? `（${r.requester.orgName}）` : ''}`,
        label('efile.role', r.requesterKind),
        `原因：${r.reason}`,
        accessRequestState[r.state] ?? r.state,
        r.decidedAt && `${day(r.decidedAt)} 处理`,
      ),
    ]),
    empty: '无记录',
  };
}

function deletionRequests(x: EfileExport): PdfSection {
  return {
    title: '删除申请',
    rows: x.deletionRequests.map((d): [string, string] => [
      day(d.createdAt),
      join(
        `原因：${d.reason}`,
        label('efile.deletion.state', d.state),
        `答复期限 ${d.dueOn}`,
        d.decidedAt && `${day(d.decidedAt)} 处理`,
        d.decisionReason && `处理说明：${d.decisionReason}`,
      ),
    ]),
    empty: '无记录',
  };
}
