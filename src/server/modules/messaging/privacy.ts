import { normalizeMobile, parseIdCard } from '../../../shared/validators/index.js';

/** What a privacy scan can find in a chat message. */
export type PrivacyFlag = 'phone' | 'id_number';

// Digit runs, allowing the spaces and dashes people type between groups (138 1234 5678); full-width digits
// are folded by NFKC first.
const ID_CANDIDATE = /(?<![0-9A-Za-z])\d{6}[\s-]?\d{8}[\s-]?\d{3}[\dXx](?![0-9A-Za-z])/g;
const MOBILE_CANDIDATE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;

/**
 * Finds mainland mobile numbers and valid resident ID numbers in a text (pure). The message is still sent;
 * both sides see a warning, since sharing contact details off-platform loses the platform's protection.
 */
export function scanPrivacy(text: string, today?: string): PrivacyFlag[] {
  const folded = text.normalize('NFKC');
  const flags = new Set<PrivacyFlag>();
  for (const m of folded.matchAll(ID_CANDIDATE)) {
    const compact = m[0].replace(/[\s-]/g, '');
    if (parseIdCard(compact, today ? { today } : {}).ok) flags.add('id_number');
  }
  // ID numbers contain 11-digit runs that look like mobiles only when not part of a longer run, which the
  // look-arounds already exclude.
  for (const m of folded.matchAll(MOBILE_CANDIDATE)) {
    if (normalizeMobile(m[0])) flags.add('phone');
  }
  return [...flags].sort();
}
