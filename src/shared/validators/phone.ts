/** Mainland mobile numbers. Shared by server and browser: no Node imports. */

/** An 11-digit mainland mobile number in its stored form. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

// Spaces (incl. the ideographic space) and hyphen-like characters people type between digit groups.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g;
const WITH_COUNTRY_CODE = /^(?:\+86|0086|86)(1\d{10})$/;

/**
 * The 11-digit form of a mainland mobile number, or null. Accepts a `+86`, `0086` or `86` prefix,
 * spaces and dashes, and full-width digits (typed through Chinese IMEs).
 */
export function normalizeMobile(input: string): string | null {
  const compact = input.normalize('NFKC').replace(SEPARATORS, '');
  const national = WITH_COUNTRY_CODE.exec(compact)?.[1] ?? compact;
  return MOBILE_PATTERN.test(national) ? national : null;
}

/** True when `normalizeMobile` accepts the input. */
export function isMobile(input: string): boolean {
  return normalizeMobile(input) !== null;
}
