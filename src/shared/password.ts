// The most common passwords seen in Chinese and global leak lists; a packaged list since there is no network at run time.
const COMMON = new Set(
  [
    '12345678',
    '123456789',
    '1234567890',
    '11111111',
    '88888888',
    '66666666',
    '00000000',
    '12341234',
    '87654321',
    'password',
    'password1',
    'password123',
    'passw0rd',
    'p@ssw0rd',
    'qwerty123',
    'qwertyui',
    'qwe123456',
    'qweasdzxc',
    'abc12345',
    'abcd1234',
    'a1234567',
    'a12345678',
    'aa123456',
    'aa12345678',
    'abc123456',
    'abc123456789',
    '1qaz2wsx',
    'zxcvbnm123',
    'iloveyou1',
    'woaini1314',
    'woaini520',
    '5201314a',
    'a5201314',
    'admin123',
    'admin1234',
    'root1234',
    'test1234',
    'asdf1234',
    'asd123456',
    'zxc123456',
    'q1w2e3r4',
    'qq123456',
    'qq123456789',
    'w123456789',
    'z123456789',
    'x123456789',
    'anxin123',
    'anxin1234',
    'jiazheng123',
    'welcome1',
    'changeme1',
    'letmein1',
  ].map((s) => s.toLowerCase()),
);

export type PasswordProblem =
  | 'too_short'
  | 'too_long'
  | 'needs_letter_and_digit'
  | 'too_common'
  | 'contains_phone';

/** True when the password holds the phone's last 8 digits, forwards or reversed (so the whole number too). */
function containsPhone(password: string, phone: string): boolean {
  const tail = phone.slice(-8);
  if (tail.length < 8) return false;
  return password.includes(tail) || password.includes([...tail].reverse().join(''));
}

/**
 * Password rule for every account: 8–128 characters, letters and digits, not common, not the phone number
 * (forwards or reversed). The server adds the packaged breached-password list (identity/password-policy.ts).
 */
export function checkPassword(
  password: string,
  context: { phone?: string | undefined } = {},
): PasswordProblem | null {
  if (password.length < 8) return 'too_short';
  if (password.length > 128) return 'too_long';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return 'needs_letter_and_digit';
  if (COMMON.has(password.toLowerCase())) return 'too_common';
  if (context.phone && containsPhone(password, context.phone)) return 'contains_phone';
  return null;
}
