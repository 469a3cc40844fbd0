/**
 * The structured terms of a domestic-service contract (pure, no I/O): what the template's variables are filled
 * with, what the parties may negotiate, and the clause checks the platform enforces before anyone signs.
 */
import { z } from 'zod';

const day = z.iso.date();
const fen = z.number().int().min(0).max(1_000_000_000);

export const contractKinds = ['agency', 'employee'] as const;
/** 中介制 (three parties: consumer, company, worker) or 员工制 (consumer and company; the worker is its employee). */
export type ContractKind = (typeof contractKinds)[number];

export const agencyFeeRefundRules = ['prorata', 'full_in_trial', 'none'] as const;
export const disputeResolutions = ['mediation_then_arbitration', 'mediation_then_court'] as const;

/** Everything a contract says, as data; the template turns it into text. */
export const contractTermsSchema = z.strictObject({
  kind: z.enum(contractKinds),
  category: z.string().min(1).max(40),
  mode: z.string().min(1).max(20),
  company: z.strictObject({
    name: z.string().min(1).max(100),
    address: z.string().max(200),
    legalRepresentative: z.string().max(50),
    contactName: z.string().max(50),
    uscc: z.string().max(30),
  }),
  consumer: z.strictObject({ name: z.string().min(1).max(50) }),
  worker: z.strictObject({
    name: z.string().min(1).max(50),
    skillLevel: z.string().max(20),
    healthValidUntil: z.string().max(10),
    trainingPassed: z.boolean(),
  }),
  serviceDistrict: z.string().max(10),
  serviceContent: z.string().trim().min(1).max(500),
  startDate: day,
  endDate: day,
  dailyHours: z.number().int().min(1).max(24),
  workStart: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  restDaysPerMonth: z.number().int().min(0).max(31),
  sleepHoursPerDay: z.number().int().min(0).max(24).nullable(),
  holidayPayMultiplier: z.number().min(0).max(5),
  monthlyFeeFen: fen,
  totalFeeFen: fen,
  paymentSchedule: z
    .array(z.strictObject({ dueDate: day, amountFen: fen }))
    .min(1)
    .max(36),
  agencyFeeFen: fen,
  agencyFeeRefund: z.enum(agencyFeeRefundRules),
  depositFen: fen,
  monthlyWageFen: fen,
  trialDays: z.number().int().min(0).max(60),
  replacementWithinDays: z.number().int().min(0).max(30),
  accidentInsurance: z.boolean(),
  terminationNoticeDays: z.number().int().min(0).max(60),
  breachLiability: z.string().trim().min(1).max(500),
  disputeResolution: z.enum(disputeResolutions),
});
export type ContractTerms = z.infer<typeof contractTermsSchema>;

/** Fields the parties may change before signing; the rest comes from the order and the parties' records. */
export const negotiableFields = [
  'serviceContent',
  'dailyHours',
  'workStart',
  'restDaysPerMonth',
  'sleepHoursPerDay',
  'holidayPayMultiplier',
  'paymentSchedule',
  'agencyFeeFen',
  'agencyFeeRefund',
  'depositFen',
  'monthlyWageFen',
  'trialDays',
  'replacementWithinDays',
  'accidentInsurance',
  'terminationNoticeDays',
  'breachLiability',
  'disputeResolution',
] as const satisfies readonly (keyof ContractTerms)[];
export type NegotiableField = (typeof negotiableFields)[number];
export const contractEditSchema = contractTermsSchema
  .pick(Object.fromEntries(negotiableFields.map((f) => [f, true])) as { [K in NegotiableField]: true })
  .partial();
export type ContractEdit = z.infer<typeof contractEditSchema>;

/** The clause checks, each with the reason shown when it fails. */
export const clauseRules = [
  'rest_days',
  'sleep_hours',
  'daily_hours',
  'term',
  'payment_total',
  'trial_period',
  'replacement',
  'insurance',
  'holiday_pay',
  'deposit',
  'wage',
] as const;
export type ClauseRule = (typeof clauseRules)[number];

export interface ClauseViolation {
  rule: ClauseRule;
  field: keyof ContractTerms;
  zh: string;
  en: string;
}

const liveInLike = (mode: string) => mode === 'live_in' || mode === 'day_care';
const overnight = (mode: string) => mode === 'live_in' || mode === 'maternity';

/** Checks the mandatory clauses (DOMAIN.md "Contracts"); an empty list means the terms may be signed. */
export function checkTerms(t: ContractTerms): ClauseViolation[] {
  const out: ClauseViolation[] = [];
  const v = (rule: ClauseRule, field: keyof ContractTerms, zh: string, en: string) =>
    out.push({ rule, field, zh, en });
  if (liveInLike(t.mode) && t.restDaysPerMonth < 2)
    v('rest_days', 'restDaysPerMonth', '住家及日间照料每月休息不得少于 2 天', 'At least 2 rest days a month');
  if (overnight(t.mode) && (t.sleepHoursPerDay ?? 0) < 8)
    v(
      'sleep_hours',
      'sleepHoursPerDay',
      '住家服务每日睡眠不得少于 8 小时',
      'At least 8 hours of sleep a day',
    );
  if (t.dailyHours > (overnight(t.mode) ? 16 : 10))
    v('daily_hours', 'dailyHours', '每日工作时间过长', 'The working day is too long');
  if (t.endDate <= t.startDate) v('term', 'endDate', '服务期限不正确', 'The term must end after it starts');
  if (t.paymentSchedule.reduce((s, p) => s + p.amountFen, 0) !== t.totalFeeFen)
    v(
      'payment_total',
      'paymentSchedule',
      '付款计划合计须等于服务费总额',
      'Instalments must add up to the total fee',
    );
  if (t.trialDays < 1 || t.trialDays > 15)
    v('trial_period', 'trialDays', '试用（适应）期应为 1–15 天', 'The trial period must be 1–15 days');
  if (t.kind === 'agency' && (t.replacementWithinDays < 1 || t.replacementWithinDays > 3))
    v(
      'replacement',
      'replacementWithinDays',
      '应在 3 天内安排更换家政员',
      'A replacement is due within 3 days',
    );
  if (!t.accidentInsurance)
    v('insurance', 'accidentInsurance', '须为家政员投保意外险', 'The worker must have accident insurance');
  if (t.holidayPayMultiplier < 1)
    v(
      'holiday_pay',
      'holidayPayMultiplier',
      '法定节假日工资不得低于平日',
      'Holiday pay may not be below a normal day',
    );
  if (t.depositFen > t.monthlyFeeFen)
    v('deposit', 'depositFen', '押金不得超过一个月服务费', 'The deposit may not exceed one month of fees');
  if (t.monthlyWageFen <= 0 || (t.kind === 'agency' && t.monthlyWageFen > t.monthlyFeeFen))
    v(
      'wage',
      'monthlyWageFen',
      '家政员月工资须大于 0 且不高于月服务费',
      "The worker's wage must be above 0 and within the fee",
    );
  return out;
}

/** Applies an edit of negotiable fields; fields that are not negotiable are never touched. */
export function applyEdit(t: ContractTerms, edit: ContractEdit): ContractTerms {
  const next = { ...t } as Record<string, unknown>;
  for (const f of negotiableFields) if (edit[f] !== undefined) next[f] = edit[f];
  return contractTermsSchema.parse(next);
}

/** The names of the fields an edit actually changes (for the revision record and the audit row). */
export function changedFields(before: ContractTerms, after: ContractTerms): string[] {
  return negotiableFields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/** Canonical JSON (sorted keys), so the terms' SHA-256 does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Whole days from `from` to `to` (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The date `n` days after `d` (YYYY-MM-DD). */
export function addDays(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
