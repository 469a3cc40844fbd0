import { beforeAll, describe, expect, test } from 'vitest';
import { loadLocale } from '../i18n';
import { formatAmount, formatMoney } from '../money';

describe('money (integer fen → yuan on the page)', () => {
  beforeAll(() => loadLocale('en'));

  test.each([
    [0, '0'],
    [1, '0.01'],
    [99, '0.99'],
    [100, '1'],
    [1050, '10.50'],
    [160000, '1,600'],
    [160050, '1,600.50'],
    [1600000, '16,000'],
    [100000000, '1,000,000'],
    [123456789, '1,234,567.89'],
    [-3550, '-35.50'],
    [-1, '-0.01'],
    [-160000, '-1,600'],
  ])('%i fen → %s', (fen, text) => {
    expect(formatAmount(fen)).toBe(text);
  });

  test('does not drift like floats do: 29 fen is 0.29, 1,000,000.07 stays exact', () => {
    expect(formatAmount(29)).toBe('0.29');
    expect(formatAmount(100000007)).toBe('1,000,000.07');
    expect(formatAmount(900719925474099)).toBe('9,007,199,254,740.99');
  });

  test('Chinese puts 元 after the number, English the yuan sign before it', () => {
    expect(formatMoney(1600000, 'zh-CN')).toBe('16,000 元');
    expect(formatMoney(160050, 'zh-CN')).toBe('1,600.50 元');
    expect(formatMoney(0, 'zh-CN')).toBe('0 元');
    expect(formatMoney(1, 'zh-CN')).toBe('0.01 元');
    expect(formatMoney(1600000, 'en')).toBe('¥16,000');
    expect(formatMoney(99, 'en')).toBe('¥0.99');
  });

  test('a refund or a debt keeps its sign in front of the unit', () => {
    expect(formatMoney(-3550, 'zh-CN')).toBe('-35.50 元');
    expect(formatMoney(-3550, 'en')).toBe('-¥35.50');
  });

  test('no amount shows a dash, not "0 元" or "NaN 元"', () => {
    expect(formatMoney(null, 'zh-CN')).toBe('—');
    expect(formatMoney(undefined, 'en')).toBe('—');
    expect(formatMoney(Number.NaN, 'zh-CN')).toBe('—');
  });
});
