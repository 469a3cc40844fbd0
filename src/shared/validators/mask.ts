/**
 * Masking of personal information for display. Works on code points, so names with rare characters
 * outside the BMP (𠮷) are not split. Shared by server and browser: no Node imports.
 */
import { normalizeMobile } from './phone.js';

const MASK = '*';

/**
 * Keeps `keepStart` leading and `keepEnd` trailing characters and replaces each one between with `*`.
 * A value too short to hide anything that way is masked entirely.
 */
export function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  if (!isCount(keepStart) || !isCount(keepEnd))
    throw new RangeError('maskMiddle: keep counts must be integers ≥ 0');
  const chars = Array.from(value);
  const hidden = chars.length - keepStart - keepEnd;
  if (hidden <= 0) return MASK.repeat(chars.length);
  return (
    chars.slice(0, keepStart).join('') + MASK.repeat(hidden) + chars.slice(chars.length - keepEnd).join('')
  );
}

/** Resident ID number for display: first 4 and last 4 kept, `4401**********1234`. */
export function maskIdCard(idNumber: string): string {
  return maskMiddle(idNumber.trim().toUpperCase(), 4, 4);
}

/** Mobile number for display: first 3 and last 4 kept, `138****5678`; a `+86` prefix is dropped first. */
export function maskMobile(mobile: string): string {
  return maskMiddle(normalizeMobile(mobile) ?? mobile.trim(), 3, 4);
}

/** Personal name for display: `张*` for two characters, first and last kept otherwise (`张*芳`, `欧**芳`). */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return MASK.repeat(chars.length);
  if (chars.length === 2) return chars[0] + MASK;
  return chars[0] + MASK.repeat(chars.length - 2) + chars[chars.length - 1];
}

// Characters that start the street-level part of an address; an administrative name never spans one.
const STOP = '镇乡街路道巷弄村号栋幢楼室\\d';
const ADMIN_PREFIX = new RegExp(
  '^' +
    `(?:[^省市区县${STOP}]{1,8}?(?:省|自治区|特别行政区))?` +
    `(?:[^省市区县${STOP}]{1,8}?(?:市|自治州|地区|盟))?` +
    // District, county or banner first, so 沙市区 is one district and not the city 沙市.
    `(?:[^省区县旗${STOP}]{1,8}?(?:区|县|旗)|[^省市区县旗${STOP}]{1,8}?市)?`,
);
const FALLBACK_KEEP = 6;

/**
 * Address for display. Rule: keep the administrative prefix up to the district/county level
 * (province, city, district — `广东省广州市天河区`) and append `****`; the street, building and door are
 * never shown. When no such prefix is recognised, keep the first 6 characters, at most half of the
 * address and nothing from the first digit on, and append `****`.
 */
export function maskAddress(address: string): string {
  const trimmed = address.trim();
  if (trimmed === '') return '';
  const prefix = ADMIN_PREFIX.exec(trimmed)?.[0] ?? '';
  if (prefix !== '') return prefix + MASK.repeat(4);
  const chars = Array.from(trimmed);
  const firstDigit = chars.findIndex((c) => /\p{Nd}/u.test(c));
  const keep = Math.min(
    FALLBACK_KEEP,
    Math.floor(chars.length / 2),
    firstDigit < 0 ? chars.length : firstDigit,
  );
  return chars.slice(0, keep).join('') + MASK.repeat(4);
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}
