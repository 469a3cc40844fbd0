import { describe, expect, it } from 'vitest';
import { MOBILE_PATTERN, isMobile, normalizeMobile } from '../phone.js';

describe('normalizeMobile', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['19912345678', '19912345678'],
    ['+8613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86-138-1234-5678', '13812345678'],
    ['  138 1234 5678  ', '13812345678'],
    ['138\u30001234\u30005678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['＋８６ １３８－１２３４－５６７８', '13812345678'],
    ['138\u20141234\u20145678', '13812345678'],
  ])('normalises %j', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['second digit 2', '12812345678'],
    ['second digit 1', '11812345678'],
    ['second digit 0', '10812345678'],
    ['10 digits', '1381234567'],
    ['12 digits', '138123456789'],
    ['a landline', '020-12345678'],
    ['a Hong Kong number', '+852 9123 4567'],
    ['a foreign country code', '+4413812345678'],
    ['86 with a 10-digit rest', '861381234567'],
    ['a double prefix', '+86+8613812345678'],
    ['letters', '138abcd5678'],
    ['parentheses', '(138)12345678'],
    ['a plus sign without 86', '+13812345678'],
    ['a dot separator', '138.1234.5678'],
  ])('refuses %s', (_label, input) => {
    expect(normalizeMobile(input)).toBeNull();
    expect(isMobile(input)).toBe(false);
  });

  it('accepts every valid second digit and formatting in a generated set', () => {
    const formats = [
      (n: string) => n,
      (n: string) => `+86${n}`,
      (n: string) => `86 ${n}`,
      (n: string) => `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`,
      (n: string) => `+86-${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
    ];
    let count = 0;
    for (let second = 0; second <= 9; second++) {
      for (let i = 0; i < 200; i++) {
        const rest = String((i * 7919 + second * 104729) % 1_000_000_000).padStart(9, '0');
        const n = `1${second}${rest}`;
        for (const format of formats) {
          const out = normalizeMobile(format(n));
          if (second >= 3) {
            expect(out).toBe(n);
            expect(out).toMatch(MOBILE_PATTERN);
          } else {
            expect(out).toBeNull();
          }
          count++;
        }
      }
    }
    expect(count).toBe(10_000);
  });
});
