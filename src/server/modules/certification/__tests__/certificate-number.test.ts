import { describe, expect, test } from 'vitest';
import { formatCertificateNumber, mod3736Check, parseCertificateNumber } from '../certificate-number.js';

describe('certificate numbers', () => {
  test('format and round trip', () => {
    const n = formatCertificateNumber('440106', 2026, 123);
    expect(n).toMatch(/^AX440106-2026-000123-[0-9A-Z]$/);
    expect(parseCertificateNumber(n)).toBe(n);
    expect(parseCertificateNumber(` ${n.toLowerCase()} `)).toBe(n);
  });

  test('ISO 7064 MOD 37,36: the check makes the hybrid sum come out as 1', () => {
    // Re-run the hybrid system over payload + check: the final product-remainder must be 1 (standard property).
    const ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const payload of ['4401062026000001', '4401172030999999', '0000000000000000']) {
      let p = 36;
      for (const ch of payload + mod3736Check(payload)) {
        let s = (p + ALPHA.indexOf(ch)) % 36;
        if (s === 0) s = 36;
        p = (s * 2) % 37;
      }
      // After the check character, s must be 1, i.e. p == 2.
      expect(p).toBe(2);
    }
  });

  test('every single wrong digit and every neighbour swap is caught', () => {
    const n = formatCertificateNumber('440105', 2026, 4711);
    const digits = n
      .replace(/^AX/, '')
      .replace(/-[0-9A-Z]$/, '')
      .replaceAll('-', '');
    const check = n.at(-1)!;
    const build = (d: string) => `AX${d.slice(0, 6)}-${d.slice(6, 10)}-${d.slice(10)}-${check}`;
    for (let i = 0; i < digits.length; i++) {
      for (let v = 0; v <= 9; v++) {
        if (String(v) === digits[i]) continue;
        const d = digits.slice(0, i) + v + digits.slice(i + 1);
        expect(parseCertificateNumber(build(d))).toBeNull();
      }
      if (i < digits.length - 1 && digits[i] !== digits[i + 1]) {
        const d = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
        expect(parseCertificateNumber(build(d))).toBeNull();
      }
    }
  });

  test('malformed input is refused', () => {
    for (const bad of [
      '',
      'AX440106-2026-000123',
      'AX44010-2026-000123-K',
      'BX440106-2026-000123-K',
      'AX440106-2026-000123-!',
    ])
      expect(parseCertificateNumber(bad)).toBeNull();
    expect(() => formatCertificateNumber('4401', 2026, 1)).toThrow(RangeError);
    expect(() => formatCertificateNumber('440106', 2026, 0)).toThrow(RangeError);
    expect(() => formatCertificateNumber('440106', 2026, 1_000_000)).toThrow(RangeError);
  });
});
