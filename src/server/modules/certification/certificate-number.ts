/**
 * Public certificate numbers: `AX<district 6 digits>-<year 4 digits>-<sequence 6 digits>-<check>`, e.g.
 * `AX440106-2026-000123-K`. The check character is ISO/IEC 7064 MOD 37,36 (hybrid) over the 16 digits
 * (district, year, sequence), giving one of 0-9A-Z; it catches every single wrong character and every swap of
 * two neighbours, so a mistyped number is refused before it reaches the database.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;
const NUMBER_PATTERN = /^AX(\d{6})-(\d{4})-(\d{6})-([0-9A-Z])$/;

/** ISO/IEC 7064 MOD 37,36 check character over [0-9A-Z]. */
export function mod3736Check(payload: string): string {
  let p = M;
  for (const ch of payload) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError(`mod3736Check: "${ch}" is not in 0-9A-Z`);
    let s = (p + v) % M;
    if (s === 0) s = M;
    p = (s * 2) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M]!;
}

/** Formats a certificate number for a district, year and sequence (1..999999). */
export function formatCertificateNumber(district: string, year: number, seq: number): string {
  if (!/^\d{6}$/.test(district)) throw new RangeError('district must be 6 digits');
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError('bad year');
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) throw new RangeError('sequence out of range');
  const y = String(year);
  const s = String(seq).padStart(6, '0');
  return `AX${district}-${y}-${s}-${mod3736Check(district + y + s)}`;
}

/** Normalises user input (case, spaces) and returns the number when its form and check character hold. */
export function parseCertificateNumber(input: string): string | null {
  const n = input.trim().toUpperCase().replace(/\s+/g, '');
  const m = NUMBER_PATTERN.exec(n);
  if (!m) return null;
  return mod3736Check(m[1]! + m[2]! + m[3]!) === m[4] ? n : null;
}
