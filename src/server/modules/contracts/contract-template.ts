/**
 * Contract templates (pure, no I/O): clauses with `{{variable}}` placeholders, filled from the structured terms.
 * The regulator edits templates as new versions; a template must keep every mandatory clause and may only use
 * known variables, so a filled contract never shows a blank or a raw placeholder.
 */
import { districtByCode } from '../../../shared/districts.js';
import { serviceCategories, serviceModes, skillLevels } from '../../../shared/domain.js';
import { legalAmount } from '../../../shared/money-words.js';
import type { ContractKind, ContractTerms } from './contract-terms.js';

export interface TemplateClause {
  key: string;
  title: string;
  body: string;
}

/** Clauses every template of the kind must contain (legal minimum contents and the common clauses). */
export const mandatoryClauses: Record<ContractKind, readonly string[]> = {
  agency: [
    'parties',
    'service',
    'hours',
    'fees',
    'agency_fee',
    'deposit',
    'trial',
    'replacement',
    'insurance',
    'duties',
    'breach',
    'termination',
    'dispute',
  ],
  employee: [
    'parties',
    'service',
    'hours',
    'fees',
    'deposit',
    'trial',
    'insurance',
    'duties',
    'breach',
    'termination',
    'dispute',
  ],
};

const refundZh: Record<ContractTerms['agencyFeeRefund'], string> = {
  prorata: '按未服务天数比例退还',
  full_in_trial: '试用期内解除的全额退还，试用期后按未服务天数比例退还',
  none: '不予退还',
};
const disputeZh: Record<ContractTerms['disputeResolution'], string> = {
  mediation_then_arbitration:
    '先行协商或申请平台、行业协会调解；调解不成的，提交服务所在地劳动人事争议仲裁委员会或仲裁机构仲裁',
  mediation_then_court: '先行协商或申请平台、行业协会调解；调解不成的，向服务所在地人民法院提起诉讼',
};

/**
 * How a contract's clauses state its terms, fixed per contract so its text never changes after a party saw or signed
 * it: 1 = amounts as `12000.00 元` (contracts made before the legal form), 2 = `人民币 12,000.00 元（大写：壹万贰仟元整）`.
 */
export const clauseFormats = [1, 2] as const;
export type ClauseFormat = (typeof clauseFormats)[number];
/** The format every new contract (and every new revision of a draft) is made with. */
export const currentClauseFormat: ClauseFormat = 2;

/** The stored format as a ClauseFormat; throws on an unknown one rather than render legal text another way. */
export function asClauseFormat(n: number): ClauseFormat {
  if (!(clauseFormats as readonly number[]).includes(n)) throw new RangeError(`unknown clause format ${n}`);
  return n as ClauseFormat;
}

const amountIn: Record<ClauseFormat, (fen: number) => string> = {
  1: (fen) => `${(fen / 100).toFixed(2)} 元`,
  2: legalAmount,
};

/** Every variable a template may use, with its filled value for these terms in the contract's clause format. */
export function templateVariables(
  t: ContractTerms,
  serviceAddress: string,
  format: ClauseFormat,
): Record<string, string> {
  const money = amountIn[format];
  const cat = serviceCategories.find((c) => c.code === t.category)?.zh ?? t.category;
  const mode = serviceModes.find((m) => m.code === t.mode)?.zh ?? t.mode;
  const skill = skillLevels.find((s) => s.code === t.worker.skillLevel)?.zh ?? (t.worker.skillLevel || '—');
  return {
    'company.name': t.company.name,
    'company.address': t.company.address || '—',
    'company.legalRepresentative': t.company.legalRepresentative || '—',
    'company.contactName': t.company.contactName || '—',
    'company.uscc': t.company.uscc || '—',
    'consumer.name': t.consumer.name,
    'worker.name': t.worker.name,
    'worker.skillLevel': skill,
    'worker.health': t.worker.healthValidUntil ? `健康证有效期至 ${t.worker.healthValidUntil}` : '—',
    'worker.training': t.worker.trainingPassed ? '已完成岗前培训并考核合格' : '未记录岗前培训',
    category: cat,
    mode,
    serviceDistrict: districtByCode.get(t.serviceDistrict)?.name ?? t.serviceDistrict,
    serviceAddress,
    serviceContent: t.serviceContent,
    startDate: t.startDate,
    endDate: t.endDate,
    dailyHours: String(t.dailyHours),
    workStart: t.workStart,
    restDaysPerMonth: String(t.restDaysPerMonth),
    sleepHoursPerDay: t.sleepHoursPerDay === null ? '不适用' : `${t.sleepHoursPerDay} 小时`,
    holidayPay: `按平日工资的 ${t.holidayPayMultiplier} 倍`,
    monthlyFee: money(t.monthlyFeeFen),
    totalFee: money(t.totalFeeFen),
    paymentSchedule: t.paymentSchedule
      .map((p, i) => `第${i + 1}期 ${p.dueDate} 前支付 ${money(p.amountFen)}`)
      .join('；'),
    agencyFee: money(t.agencyFeeFen),
    agencyFeeRefund: refundZh[t.agencyFeeRefund],
    deposit: money(t.depositFen),
    monthlyWage: money(t.monthlyWageFen),
    trialDays: String(t.trialDays),
    replacementWithinDays: String(t.replacementWithinDays),
    insurance: t.accidentInsurance ? '由乙方为家政员投保家政服务意外险' : '未投保',
    terminationNoticeDays: String(t.terminationNoticeDays),
    breachLiability: t.breachLiability,
    disputeResolution: disputeZh[t.disputeResolution],
  };
}

/** The names a template may use. */
export const knownVariables: readonly string[] = Object.keys(
  templateVariables(
    {
      kind: 'agency',
      category: 'cleaning',
      mode: 'live_in',
      company: { name: 'x', address: '', legalRepresentative: '', contactName: '', uscc: '' },
      consumer: { name: 'x' },
      worker: { name: 'x', skillLevel: '', healthValidUntil: '', trainingPassed: false },
      serviceDistrict: '440106',
      serviceContent: 'x',
      startDate: '2026-01-01',
      endDate: '2026-02-01',
      dailyHours: 8,
      workStart: '08:00',
      restDaysPerMonth: 4,
      sleepHoursPerDay: 8,
      holidayPayMultiplier: 2,
      monthlyFeeFen: 1,
      totalFeeFen: 1,
      paymentSchedule: [{ dueDate: '2026-01-01', amountFen: 1 }],
      agencyFeeFen: 0,
      agencyFeeRefund: 'prorata',
      depositFen: 0,
      monthlyWageFen: 1,
      trialDays: 7,
      replacementWithinDays: 3,
      accidentInsurance: true,
      terminationNoticeDays: 7,
      breachLiability: 'x',
      disputeResolution: 'mediation_then_arbitration',
    },
    '',
    currentClauseFormat,
  ),
);

const PLACEHOLDER = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g;

/** Why a template cannot be used: unknown variables and missing mandatory clauses (empty when it is fine). */
export function validateTemplate(kind: ContractKind, clauses: TemplateClause[]): string[] {
  const problems: string[] = [];
  const keys = new Set(clauses.map((c) => c.key));
  if (keys.size !== clauses.length) problems.push('duplicate clause key');
  for (const k of mandatoryClauses[kind]) if (!keys.has(k)) problems.push(`missing clause: ${k}`);
  for (const c of clauses)
    for (const m of `${c.title}\n${c.body}`.matchAll(PLACEHOLDER))
      if (!knownVariables.includes(m[1]!)) problems.push(`unknown variable in ${c.key}: ${m[1]}`);
  return problems;
}

/** The clauses with every placeholder replaced; throws on an unknown variable (validateTemplate prevents it). */
export function fillTemplate(clauses: TemplateClause[], vars: Record<string, string>): TemplateClause[] {
  const fill = (s: string) =>
    s.replace(PLACEHOLDER, (_m, name: string) => {
      const v = vars[name];
      if (v === undefined) throw new RangeError(`unknown template variable ${name}`);
      return v;
    });
  return clauses.map((c) => ({ key: c.key, title: fill(c.title), body: fill(c.body) }));
}

const common = {
  parties: (kind: ContractKind): TemplateClause => ({
    key: 'parties',
    title: '一、合同各方',
    body:
      '甲方（消费者）：{{consumer.name}}。\n' +
      '乙方（家政服务机构）：{{company.name}}，统一社会信用代码 {{company.uscc}}，地址 {{company.address}}，负责人 {{company.legalRepresentative}}，联系人 {{company.contactName}}。\n' +
      (kind === 'agency'
        ? '丙方（家政服务员）：{{worker.name}}，技能等级 {{worker.skillLevel}}，{{worker.health}}，{{worker.training}}。'
        : '乙方指派其员工 {{worker.name}}（技能等级 {{worker.skillLevel}}，{{worker.health}}，{{worker.training}}）提供服务，乙方对其服务承担用人单位责任。'),
  }),
  service: {
    key: 'service',
    title: '二、服务内容、地点、方式和期限',
    body: '服务类别：{{category}}；服务方式：{{mode}}。服务内容：{{serviceContent}}。服务地点：{{serviceDistrict}} {{serviceAddress}}。服务期限自 {{startDate}} 起至 {{endDate}} 止。',
  },
  hours: {
    key: 'hours',
    title: '三、工作时间与休息',
    body: '每日工作 {{dailyHours}} 小时，自 {{workStart}} 开始；每月休息 {{restDaysPerMonth}} 天；每日睡眠时间 {{sleepHoursPerDay}}；法定节假日提供服务的，工资{{holidayPay}}计付。',
  },
  fees: {
    key: 'fees',
    title: '四、服务费用及支付',
    body: '服务费每月 {{monthlyFee}}，合同期内合计 {{totalFee}}。付款计划：{{paymentSchedule}}。家政服务员月工资 {{monthlyWage}}，不得克扣、拖欠。',
  },
  deposit: {
    key: 'deposit',
    title: '六、信用押金',
    body: '甲方交纳可退还的信用押金 {{deposit}}，合同解除或期满且无未结费用的，乙方于 7 日内全额退还。',
  },
  trial: {
    key: 'trial',
    title: '七、试用（适应）期',
    body: '试用（适应）期 {{trialDays}} 天。试用期内任何一方可提前一天通知解除，服务费按实际服务天数结算。',
  },
  insurance: { key: 'insurance', title: '九、保险', body: '{{insurance}}，保险期间覆盖服务期限。' },
  duties: {
    key: 'duties',
    title: '十、各方权利义务',
    body: '甲方应尊重家政服务员人格，提供安全的工作、食宿条件，不得要求从事合同约定以外的服务。乙方应核验家政服务员身份、健康和培训情况，建立工作档案，不得扣押家政服务员身份证件或工资。家政服务员应遵守职业规范，保护甲方隐私和财产安全。',
  },
  breach: { key: 'breach', title: '十一、违约责任', body: '{{breachLiability}}' },
  termination: {
    key: 'termination',
    title: '十二、合同解除',
    body: '任何一方解除合同的，应提前 {{terminationNoticeDays}} 天通知其他各方，并在平台上说明理由和生效日期；服务费按实际服务天数结算，押金和中介服务费按本合同约定退还。一方有严重违约、违法行为或危及人身安全的，另一方可立即解除。',
  },
  dispute: { key: 'dispute', title: '十三、争议解决', body: '发生争议的，{{disputeResolution}}。' },
} as const;

/** The platform's first version of each template (the regulator edits further versions). */
export function defaultTemplate(kind: ContractKind): { title: string; clauses: TemplateClause[] } {
  const clauses: TemplateClause[] = [common.parties(kind), common.service, common.hours, common.fees];
  if (kind === 'agency')
    clauses.push({
      key: 'agency_fee',
      title: '五、中介服务费',
      body: '甲方向乙方支付中介服务费 {{agencyFee}}；合同提前解除的，中介服务费{{agencyFeeRefund}}。',
    });
  clauses.push(common.deposit, common.trial);
  if (kind === 'agency')
    clauses.push({
      key: 'replacement',
      title: '八、更换家政服务员',
      body: '甲方对家政服务员不满意的，可要求更换，乙方应在 {{replacementWithinDays}} 天内安排符合条件的人员；更换后本合同以新版本延续，原版本存档。',
    });
  clauses.push(common.insurance, common.duties, common.breach, common.termination, common.dispute);
  return {
    title: kind === 'agency' ? '家政服务合同（中介制·三方）' : '家政服务合同（员工制·双方）',
    clauses,
  };
}
