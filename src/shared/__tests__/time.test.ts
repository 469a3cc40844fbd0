import { describe, expect, test } from 'vitest';
import { shanghaiMinute } from '../time.js';

describe('shanghaiMinute', () => {
  test('is the Beijing wall clock, crossing the day at 16:00 UTC', () => {
    expect(shanghaiMinute(new Date('2026-11-30T05:55:10.893Z'))).toBe('2026-11-30 13:55');
    expect(shanghaiMinute('2026-11-30T16:00:00Z')).toBe('2026-12-01 00:00');
    expect(shanghaiMinute('2026-12-31T15:59:59Z')).toBe('2026-12-31 23:59');
  });
  test('no daylight saving: the same offset in summer', () => {
    expect(shanghaiMinute('2026-07-01T00:30:00Z')).toBe('2026-07-01 08:30');
  });
  test('refuses what is not a time', () => {
    expect(() => shanghaiMinute('not a date')).toThrow(RangeError);
  });
});
