import { describe, expect, test } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { breachedPasswords, isBreachedPassword, requireAcceptablePassword } from '../password-policy.js';

const PHONE = '13812345678';

function refusal(password: string, phone = PHONE): string | null {
  try {
    requireAcceptablePassword(password, phone);
    return null;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe('breached-password list (ASVS 6.2.12)', () => {
  test('is loaded once, lower-cased, with at least the top 10,000 entries', () => {
    const list = breachedPasswords();
    expect(list.size).toBeGreaterThanOrEqual(10_000);
    expect(breachedPasswords()).toBe(list);
    for (const entry of list) expect(entry).toBe(entry.toLowerCase());
  });

  test.each(['123456', 'password', '5201314', 'qq123456', 'a123456', 'woaini', '1qaz2wsx', 'iloveyou'])(
    'knows %j',
    (entry) => {
      expect(isBreachedPassword(entry)).toBe(true);
    },
  );

  test('compares case-insensitively', () => {
    expect(isBreachedPassword('PassWord1')).toBe(true);
    expect(isBreachedPassword('1QAZ2WSX')).toBe(true);
  });

  test('a strong password is not on it', () => {
    expect(isBreachedPassword('Jiazheng2026')).toBe(false);
    expect(isBreachedPassword('Kq7#mVz2-lantern')).toBe(false);
  });
});

describe('requireAcceptablePassword', () => {
  test.each(['Password1', 'QWER1234', 'trustno1', 'blink182', 'hello123'])(
    'refuses the breached %j with PASSWORD_BREACHED',
    (password) => {
      expect(refusal(password)).toBe('PASSWORD_BREACHED');
    },
  );

  test('the packaged Chinese and context list is refused as breached too', () => {
    expect(refusal('woaini1314')).toBe('PASSWORD_BREACHED');
    expect(refusal('Anxin123')).toBe('PASSWORD_BREACHED');
  });

  test('length and composition stay PASSWORD_WEAK (checked first)', () => {
    expect(refusal('5201314')).toBe('PASSWORD_WEAK');
    expect(refusal('onlyletters')).toBe('PASSWORD_WEAK');
  });

  test('the phone number, forwards or reversed, is refused', () => {
    expect(refusal(`a${PHONE}`)).toBe('PASSWORD_WEAK');
    expect(refusal('x12345678y')).toBe('PASSWORD_WEAK');
    expect(refusal(`k${[...PHONE].reverse().join('')}`)).toBe('PASSWORD_WEAK');
    expect(refusal('q87654321z', '13912345678')).toBe('PASSWORD_WEAK');
  });

  test('strong passwords, the demo password and the fixtures pass', () => {
    for (const p of ['Jiazheng2026', 'Anxin@2026', 'Factory2026pass', 'Changed2026x', 'Kq7#mVz2-lantern'])
      expect(refusal(p)).toBeNull();
  });
});
