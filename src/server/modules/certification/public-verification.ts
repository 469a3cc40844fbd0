import { labelOf, serviceCategories, skillLevels, type TrustColor } from '../../../shared/domain.js';
import { maskName } from '../../../shared/validators/index.js';
import type { CertificateState } from './certificate-status.js';
import type { TrustFacts } from './trust-facts.js';
import { colorLabels, computeTrustStatus, reasonLabels, shanghaiDay } from './trust-status.js';

/** The public facts of a certificate: what the QR page and the number lookup show. No personal data beyond them. */
export interface PublicVerification {
  number: string;
  maskedName: string;
  color: TrustColor;
  colorLabel: string;
  reason: string;
  reasonLabel: string;
  state: CertificateState;
  validFrom: string;
  validUntil: string;
  categories: { code: string; label: string }[];
  skillLevel: { code: string; label: string } | null;
  company: { name: string; creditGrade: string | null } | null;
  healthValidUntil: string | null;
  trainingPassed: boolean;
  backgroundPassed: boolean;
  backgroundCheckedOn: string | null;
  insurance: { status: 'insured' | 'none'; label: string };
  /** The worker's credit stars (1–5) from the credit module; null until rated. */
  creditStars: number | null;
  hasPhoto: boolean;
}

/** What the public view is computed from, however it was read (one statement or one lookup per module). */
export interface PublicVerificationInput {
  cert: {
    number: string;
    state: string;
    validFrom: Date;
    validUntil: Date;
    categories: string[];
    skillLevel: string | null;
  };
  facts: TrustFacts;
  company: { name: string; status: string; creditGrade?: string | null } | null;
  insurance: { status: 'insured' | 'none'; label: string };
  creditStars: number | null;
  now: Date;
}

/** Last day a certificate is valid: the day before the instant it stops being valid. */
export const lastValidDay = (validUntil: Date) => shanghaiDay(new Date(validUntil.getTime() - 1));

/** The public view with its live colour (the same pure `computeTrustStatus` as everywhere else). */
export function publicVerificationOf(i: PublicVerificationInput): PublicVerification {
  const { cert, facts, company } = i;
  const state = cert.state as CertificateState;
  const status = computeTrustStatus(facts, { state, validUntil: cert.validUntil }, i.now);
  return {
    number: cert.number,
    maskedName: maskName(facts.name),
    color: status.color,
    colorLabel: colorLabels[status.color].zh,
    reason: status.reason,
    reasonLabel: reasonLabels[status.reason].zh,
    state,
    validFrom: shanghaiDay(cert.validFrom),
    validUntil: lastValidDay(cert.validUntil),
    categories: cert.categories.map((c) => ({ code: c, label: labelOf(serviceCategories, c) })),
    skillLevel: cert.skillLevel
      ? { code: cert.skillLevel, label: labelOf(skillLevels, cert.skillLevel) }
      : null,
    company:
      company && company.status === 'active'
        ? { name: company.name, creditGrade: company.creditGrade ?? null }
        : null,
    healthValidUntil:
      facts.health.state === 'valid' || facts.health.state === 'expired' ? facts.health.validUntil : null,
    trainingPassed: facts.training.state === 'passed',
    backgroundPassed: facts.background.state === 'clear',
    backgroundCheckedOn: facts.background.state === 'clear' ? facts.background.checkedOn : null,
    insurance: { status: i.insurance.status, label: i.insurance.label },
    creditStars: i.creditStars,
    hasPhoto: !!facts.photoKey,
  };
}
