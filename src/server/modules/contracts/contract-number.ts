/**
 * Public numbers with an ISO 7064 MOD 37,36 check character (the same algorithm as certificate numbers):
 * contract numbers `HT<yyyy><6-digit seq><check>` and filing (备案) numbers `BA<district><yyyy><6-digit seq><check>`.
 */
import { mod3736Check } from '../certification/index.js';

const CONTRACT = /^HT(\d{4})(\d{6})([0-9A-Z])$/;
const FILING = /^BA(\d{6})(\d{4})(\d{6})([0-9A-Z])$/;

/** A contract number for a year and sequence (1..999999). */
export function formatContractNumber(year: number, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) throw new RangeError('sequence out of range');
  const payload = `${year}${String(seq).padStart(6, '0')}`;
  return `HT${payload}${mod3736Check(payload)}`;
}

/** A filing number for a district, year and sequence. */
export function formatFilingNumber(district: string, year: number, seq: number): string {
  if (!/^\d{6}$/.test(district)) throw new RangeError('district must be 6 digits');
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) throw new RangeError('sequence out of range');
  const payload = `${district}${year}${String(seq).padStart(6, '0')}`;
  return `BA${payload}${mod3736Check(payload)}`;
}

/** Normalises input (case, spaces) and returns the contract number when its form and check character hold. */
export function parseContractNumber(input: string): string | null {
  const n = input.trim().toUpperCase().replace(/\s+/g, '');
  const m = CONTRACT.exec(n);
  return m && mod3736Check(m[1]! + m[2]!) === m[3] ? n : null;
}

/** Same for a filing number. */
export function parseFilingNumber(input: string): string | null {
  const n = input.trim().toUpperCase().replace(/\s+/g, '');
  const m = FILING.exec(n);
  return m && mod3736Check(m[1]! + m[2]! + m[3]!) === m[4] ? n : null;
}
