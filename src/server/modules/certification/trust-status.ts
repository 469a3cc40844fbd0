import type { TrustColor } from '../../../shared/domain.js';
import type { CertificateState } from './certificate-status.js';
import type { TrustFacts } from './trust-facts.js';

/** The checks that must all hold before a certificate is issued (DOMAIN.md "The worker's trust record"). */
export const checkKeys = ['consent', 'identity', 'health', 'training', 'background', 'skill'] as const;
export type CheckKey = (typeof checkKeys)[number];

export interface CheckResult {
  key: CheckKey;
  ok: boolean;
  /** Why it fails, e.g. `expired`, `missing`, `record_found`; `ok` when it holds. */
  state: string;
}

/** Why a code has its colour. */
export const reasonClasses = [
  'ok',
  'revoked',
  'suspended',
  'background_risk',
  'not_certified',
  'certificate_expired',
  'health_expired',
  'incomplete',
] as const;
export type ReasonClass = (typeof reasonClasses)[number];

export const reasonLabels: Record<ReasonClass, { zh: string; en: string }> = {
  ok: { zh: '各项核验有效', en: 'All checks valid' },
  revoked: { zh: '证书已吊销', en: 'Certificate revoked' },
  suspended: { zh: '证书已暂停', en: 'Certificate suspended' },
  background_risk: { zh: '背景核查存在风险', en: 'Background check found a risk' },
  not_certified: { zh: '尚未取得安心服务证', en: 'Not certified yet' },
  certificate_expired: { zh: '证书已过有效期', en: 'Certificate expired' },
  health_expired: { zh: '健康证已过期，暂停接新单', en: 'Health certificate expired; no new bookings' },
  incomplete: { zh: '核验资料不全或未通过', en: 'Checks missing or not passed' },
};

export const colorLabels: Record<TrustColor, { zh: string; en: string; icon: string }> = {
  green: { zh: '绿码 · 有效', en: 'Green · valid', icon: '✔' },
  yellow: { zh: '黄码 · 需更新', en: 'Yellow · attention', icon: '!' },
  red: { zh: '红码 · 停止服务', en: 'Red · do not book', icon: '✖' },
};

const SHANGHAI_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const DAY_MEMO_MAX = 4096;
const dayMemo = new Map<number, string>();

/** Calendar day in Asia/Shanghai (UTC+8, no daylight saving) as YYYY-MM-DD. */
export function shanghaiDay(at: Date): string {
  const t = at.getTime() + SHANGHAI_MS;
  // The day's start (UTC+8 shifted) keys a small memo: a scan asks for today's day several times.
  const start = t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
  let d = dayMemo.get(start);
  if (d === undefined) {
    d = new Date(start).toISOString().slice(0, 10);
    if (dayMemo.size >= DAY_MEMO_MAX) dayMemo.clear();
    dayMemo.set(start, d);
  }
  return d;
}

/** Adds days to a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Evaluates each check against the clock (a health certificate past its last valid day is expired). */
export function evaluateChecks(f: TrustFacts, now: Date): CheckResult[] {
  const today = shanghaiDay(now);
  // For an approved certificate the date decides, against this clock (the facts may have been judged at another).
  const dated = f.health.state === 'valid' || f.health.state === 'expired';
  const healthExpired = dated && (!f.health.validUntil || f.health.validUntil < today);
  const health = healthExpired ? 'expired' : dated ? 'valid' : f.health.state;
  return [
    { key: 'consent', ok: !!f.consent, state: f.consent ? 'ok' : 'missing' },
    { key: 'identity', ok: f.identity.verified, state: f.identity.verified ? 'ok' : 'not_verified' },
    { key: 'health', ok: health === 'valid', state: health === 'valid' ? 'ok' : health },
    {
      key: 'training',
      ok: f.training.state === 'passed',
      state: f.training.state === 'passed' ? 'ok' : f.training.state,
    },
    {
      key: 'background',
      ok: f.background.state === 'clear',
      state: f.background.state === 'clear' ? 'ok' : f.background.state,
    },
    {
      key: 'skill',
      ok: f.skillCert.state === 'valid',
      state: f.skillCert.state === 'valid' ? 'ok' : f.skillCert.state,
    },
  ];
}

export interface CertificateView {
  state: CertificateState;
  validUntil: Date;
}

export interface TrustStatus {
  color: TrustColor;
  reason: ReasonClass;
  checks: CheckResult[];
  /** New bookings are taken only on green. */
  canTakeNewBookings: boolean;
}

/**
 * The live 安心码 colour, never stored: red for a revoked or suspended certificate or a background record,
 * yellow when there is no valid certificate or any check is missing or expired, green otherwise.
 */
export function computeTrustStatus(f: TrustFacts, cert: CertificateView | null, now: Date): TrustStatus {
  const checks = evaluateChecks(f, now);
  const byKey = Object.fromEntries(checks.map((c) => [c.key, c])) as Record<CheckKey, CheckResult>;
  const done = (color: TrustColor, reason: ReasonClass): TrustStatus => ({
    color,
    reason,
    checks,
    canTakeNewBookings: color === 'green',
  });
  if (cert?.state === 'revoked') return done('red', 'revoked');
  if (cert?.state === 'suspended') return done('red', 'suspended');
  if (f.background.state === 'record_found') return done('red', 'background_risk');
  if (!cert) return done('yellow', 'not_certified');
  if (cert.validUntil.getTime() <= now.getTime()) return done('yellow', 'certificate_expired');
  if (byKey.health.state === 'expired') return done('yellow', 'health_expired');
  if (checks.some((c) => !c.ok)) return done('yellow', 'incomplete');
  return done('green', 'ok');
}
