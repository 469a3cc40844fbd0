import { mod3736Check } from '../certification/index.js';

/**
 * Training certificate numbers: `PX-<year>-<sequence 6 digits>-<check>`, e.g. `PX-2026-000042-7`. The check
 * character is ISO/IEC 7064 MOD 37,36 over year and sequence, as on the 安心服务证.
 */
export function formatTrainingNumber(year: number, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) throw new RangeError('sequence out of range');
  const y = String(year);
  const s = String(seq).padStart(6, '0');
  return `PX-${y}-${s}-${mod3736Check(y + s)}`;
}

/** The number when its form and check character hold (case and spaces forgiven), else null. */
export function parseTrainingNumber(input: string): string | null {
  const n = input.trim().toUpperCase().replace(/\s+/g, '');
  const m = /^PX-(\d{4})-(\d{6})-([0-9A-Z])$/.exec(n);
  return m && mod3736Check(m[1]! + m[2]!) === m[3] ? n : null;
}
