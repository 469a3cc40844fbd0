import { describe, expect, it } from 'vitest';
import {
  ageOn,
  idCardCheckChar,
  isMobile,
  isProvincePrefix,
  makeIdCard,
  makeUscc,
  maskAddress,
  maskIdCard,
  maskMiddle,
  maskMobile,
  maskName,
  normalizeMobile,
  parseIdCard,
  parseUscc,
  USCC_ALPHABET,
  usccCheckChar,
} from '../index.js';

describe('validators index', () => {
  it('re-exports every validator and mask', () => {
    const fns = [
      ageOn,
      idCardCheckChar,
      isMobile,
      isProvincePrefix,
      makeIdCard,
      makeUscc,
      maskAddress,
      maskIdCard,
      maskMiddle,
      maskMobile,
      maskName,
      normalizeMobile,
      parseIdCard,
      parseUscc,
      usccCheckChar,
    ];
    for (const fn of fns) expect(typeof fn).toBe('function');
    expect(USCC_ALPHABET).toHaveLength(31);
  });

  it('lets the pieces work together', () => {
    const id = makeIdCard('440106', '1990-03-07', 123);
    const parsed = parseIdCard(id, { today: '2025-06-15' });
    expect(parsed.ok && maskIdCard(parsed.value.normalized)).toBe(`4401**********${id.slice(-4)}`);
    expect(maskMobile(normalizeMobile('+86 138 1234 5678') ?? '')).toBe('138****5678');
  });
});
