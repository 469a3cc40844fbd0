/**
 * Mainland resident identity number (公民身份号码), GB 11643-1999: 6-digit region code, 8-digit birth date,
 * 3-digit sequence (odd male, even female) and an ISO 7064 MOD 11-2 check character.
 * Shared by server and browser: no Node imports.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const ID_PATTERN = /^\d{17}[\dX]$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

// GB/T 2260 province-level prefixes; 71 Taiwan, 81 Hong Kong, 82 Macao, 83 residence permits for Taiwan residents.
// biome-ignore format: grouped by region
const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

/** Why an ID number was refused, checked in this order. */
export type IdCardFailureReason = 'format' | 'region' | 'birthdate' | 'checksum';

/** What a valid ID number tells us. */
export interface IdCardInfo {
  /** 18 characters, check character `X` upper-case. */
  normalized: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: 'M' | 'F';
  /** The 6-digit administrative division code where the number was issued. */
  regionCode: string;
}

/** Result of `parseIdCard`. */
export type IdCardResult = { ok: true; value: IdCardInfo } | { ok: false; reason: IdCardFailureReason };

/** Options for `parseIdCard`; `today` (`YYYY-MM-DD`) defaults to the current date in Asia/Shanghai. */
export interface ParseIdCardOptions {
  today?: string;
}

/** True when the first two digits of a GB/T 2260 code name a province-level division. */
export function isProvincePrefix(code: string): boolean {
  return PROVINCE_PREFIXES.has(code.slice(0, 2));
}

/** The GB 11643 check character for the first 17 digits. */
export function idCardCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCardCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Validates and decodes an 18-character resident ID number (surrounding spaces and a lower-case x are accepted). */
export function parseIdCard(input: string, opts: ParseIdCardOptions = {}): IdCardResult {
  const normalized = input.trim().toUpperCase();
  if (!ID_PATTERN.test(normalized)) return { ok: false, reason: 'format' };
  const regionCode = normalized.slice(0, 6);
  if (!isProvincePrefix(regionCode)) return { ok: false, reason: 'region' };
  const y = Number(normalized.slice(6, 10));
  const m = Number(normalized.slice(10, 12));
  const d = Number(normalized.slice(12, 14));
  const birthDate = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  const today = opts.today ?? chinaDate(new Date());
  if (y < 1900 || !isCalendarDate(y, m, d) || birthDate > today) return { ok: false, reason: 'birthdate' };
  if (idCardCheckChar(normalized.slice(0, 17)) !== normalized[17]) return { ok: false, reason: 'checksum' };
  const sex = Number(normalized[16]) % 2 === 1 ? 'M' : 'F';
  return { ok: true, value: { normalized, birthDate, sex, regionCode } };
}

/**
 * Completed years of age on `onDate` (a `YYYY-MM-DD` string, or a Date read in Asia/Shanghai).
 * Someone born on 29 February turns a year older on 1 March in common years.
 */
export function ageOn(birthDate: string, onDate: string | Date): number {
  const birth = parseIsoDate(birthDate);
  const on = parseIsoDate(typeof onDate === 'string' ? onDate : chinaDate(onDate));
  if (!birth || !on) throw new RangeError('ageOn needs real dates as YYYY-MM-DD');
  if (compareParts(on, birth) < 0) throw new RangeError('ageOn: the date is before the birth date');
  let age = on.y - birth.y;
  if (on.m < birth.m || (on.m === birth.m && on.d < birth.d)) age -= 1;
  return age;
}

/**
 * Builds a valid ID number from a 6-digit region code, a `YYYY-MM-DD` birth date and a sequence 0–999
 * (odd sequence → male, even → female); for test factories and the demo seed.
 */
export function makeIdCard(regionCode: string, birthDate: string, seq: number): string {
  if (!/^\d{6}$/.test(regionCode) || !isProvincePrefix(regionCode)) {
    throw new RangeError(`makeIdCard: region code ${regionCode} is not a province-level GB/T 2260 code`);
  }
  const date = parseIsoDate(birthDate);
  if (!date || date.y < 1900)
    throw new RangeError(`makeIdCard: ${birthDate} is not a real date from 1900 on`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 999) throw new RangeError('makeIdCard: seq must be 0–999');
  const first17 = regionCode + birthDate.replaceAll('-', '') + String(seq).padStart(3, '0');
  return first17 + idCardCheckChar(first17);
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return d <= days;
}

function parseIsoDate(s: string): { y: number; m: number; d: number } | null {
  const match = ISO_DATE.exec(s);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  return isCalendarDate(y, m, d) ? { y, m, d } : null;
}

function compareParts(
  a: { y: number; m: number; d: number },
  b: { y: number; m: number; d: number },
): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

// China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for current dates.
function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
