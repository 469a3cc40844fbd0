/**
 * 当家政: who is likely to become a domestic worker (pure). The basis is only what the person did on the platform
 * to look for domestic work themselves; nothing is inferred from age, sex, origin or any other trait.
 */

/**
 * What the person did: registered for a job fair, joined a 订单班 cohort, saved a job search, enrolled in a
 * training class (training module).
 */
export const likelySignals = ['fair', 'cohort', 'saved_search', 'training'] as const;
export type LikelySignal = (typeof likelySignals)[number];

/** The checks before a 安心服务证 that the person has not completed yet. */
export const registrationSteps = [
  'identity',
  'health',
  'background',
  'training',
  'skill_certificate',
] as const;
export type RegistrationStep = (typeof registrationSteps)[number];

export interface LikelyWorkerInput {
  /** Has a platform account to receive the invitation (company-entered records awaiting SMS confirmation do not). */
  hasAccount: boolean;
  /** Ever employed by a company on the trust record (open or ended): then already a worker. */
  everEmployed: boolean;
  signals: LikelySignal[];
  facts: {
    identityVerified: boolean;
    health: string;
    background: string;
    training: string;
    skillCert: string;
  };
}

export const stepLabels: Record<RegistrationStep, { zh: string; en: string }> = {
  identity: { zh: '实名认证（人证合一）', en: 'identity verification' },
  health: { zh: '健康证', en: 'health certificate' },
  background: { zh: '无犯罪记录核查', en: 'background check' },
  training: { zh: '岗前培训考试', en: 'pre-job training exam' },
  skill_certificate: { zh: '职业技能证书', en: 'skill certificate' },
};

/** The certificate checks still open, in the order a worker does them. */
export function missingSteps(f: LikelyWorkerInput['facts']): RegistrationStep[] {
  const out: RegistrationStep[] = [];
  if (!f.identityVerified) out.push('identity');
  if (f.health !== 'valid') out.push('health');
  if (f.background !== 'clear') out.push('background');
  if (f.training !== 'passed') out.push('training');
  if (f.skillCert !== 'valid') out.push('skill_certificate');
  return out;
}

/**
 * A likely worker has an account, was never employed, showed at least one job-seeking signal and still has a
 * certificate check open. A background check that found a record excludes the person: an invitation to complete
 * a registration they cannot pass would mislead them.
 */
export function assessLikelyWorker(input: LikelyWorkerInput): {
  likely: boolean;
  missing: RegistrationStep[];
} {
  const missing = missingSteps(input.facts);
  const likely =
    input.hasAccount &&
    !input.everEmployed &&
    input.signals.length > 0 &&
    missing.length > 0 &&
    input.facts.background !== 'record_found';
  return { likely, missing };
}
