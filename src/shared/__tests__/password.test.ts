import { describe, expect, test } from 'vitest';
import { checkPassword } from '../password.js';

describe('checkPassword (shared with the sign-up forms)', () => {
  test.each([
    ['short1', 'too_short'],
    ['onlyletters', 'needs_letter_and_digit'],
    ['Password123', 'too_common'],
    ['WoAiNi1314', 'too_common'],
  ] as const)('%j → %s', (password, problem) => {
    expect(checkPassword(password)).toBe(problem);
  });

  test('refuses the phone number and the phone number reversed', () => {
    const phone = '13800138000';
    expect(checkPassword(`pw${phone}`, { phone })).toBe('contains_phone');
    expect(checkPassword('pw00138000', { phone })).toBe('contains_phone');
    expect(checkPassword(`pw${[...phone].reverse().join('')}`, { phone })).toBe('contains_phone');
    expect(checkPassword('pw00083100', { phone })).toBe('contains_phone');
    expect(checkPassword('pw00083100', {})).toBeNull();
  });

  test('a strong password passes', () => {
    expect(checkPassword('Jiazheng2026', { phone: '13800138000' })).toBeNull();
  });
});
