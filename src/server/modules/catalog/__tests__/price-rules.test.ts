import { describe, expect, test } from 'vitest';
import { priceUnitCodes, serviceModeCodes, unitOfMode } from '../../../../shared/domain.js';
import {
  checkItem,
  checkRange,
  guideFlagOf,
  priceCeilingFen,
  shanghaiDate,
  unitsOfMode,
} from '../price-rules.js';

describe('price rules', () => {
  test('every mode accepts its own unit (unitOfMode) and refuses units not listed', () => {
    for (const mode of serviceModeCodes) {
      expect(unitsOfMode[mode][0]).toBe(unitOfMode[mode]);
      for (const unit of priceUnitCodes) {
        const p = checkItem({
          category: mode === 'maternity' ? 'maternity' : 'cleaning',
          mode,
          unit,
          priceFen: 100,
        });
        if (unitsOfMode[mode].includes(unit)) expect(p).toBeNull();
        else expect(p).toEqual({ code: 'CATALOG_UNIT_MISMATCH', path: 'unit' });
      }
    }
  });

  test('unknown category, and the 26-day package outside 月嫂, are refused', () => {
    expect(checkItem({ category: 'plumbing', mode: 'hourly', unit: 'hour', priceFen: 5000 })?.code).toBe(
      'CATALOG_CATEGORY_UNKNOWN',
    );
    expect(
      checkItem({ category: 'cleaning', mode: 'maternity', unit: 'package26', priceFen: 5000 })?.code,
    ).toBe('CATALOG_MODE_MISMATCH');
    expect(
      checkItem({ category: 'maternity', mode: 'maternity', unit: 'package26', priceFen: 1_500_000 }),
    ).toBeNull();
  });

  test('zero, negative, fractional, above the ceiling and inverted ranges are refused', () => {
    for (const bad of [0, -100, 12.5, priceCeilingFen.hour + 1])
      expect(checkRange('hour', bad, null, 'priceFen', 'priceMaxFen')?.code).toBe('CATALOG_PRICE_INVALID');
    expect(checkRange('hour', priceCeilingFen.hour, null, 'a', 'b')).toBeNull();
    expect(checkRange('hour', 5000, 4000, 'a', 'b')).toMatchObject({ path: 'b' });
    expect(checkRange('hour', 5000, priceCeilingFen.hour + 1, 'a', 'b')).toMatchObject({ path: 'b' });
    expect(checkRange('package26', 1_200_000, 2_500_000, 'a', 'b')).toBeNull();
  });

  test('guide flags: below the minimum, above the maximum, inside, or no guide', () => {
    const g = { minFen: 4000, maxFen: 6000 };
    expect(guideFlagOf(3999, null, g)).toBe('below');
    expect(guideFlagOf(4000, null, g)).toBeNull();
    expect(guideFlagOf(6000, null, g)).toBeNull();
    expect(guideFlagOf(6001, null, g)).toBe('above');
    expect(guideFlagOf(5000, 7000, g)).toBe('above');
    expect(guideFlagOf(3000, 7000, g)).toBe('below');
    expect(guideFlagOf(1, null, null)).toBeNull();
  });

  test('dates are Shanghai calendar days', () => {
    expect(shanghaiDate(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(shanghaiDate(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });
});
