import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPassword } from '../../../shared/password.js';
import { AppError } from '../../platform/errors.js';
import { projectRoot } from '../../platform/paths.js';

const LIST_PATH = join(projectRoot, 'src/server/modules/identity/breached-passwords/passwords.txt');

let breached: ReadonlySet<string> | undefined;

/** The packaged breached-password list (lower-cased), read once; the identity service builds it at start. */
export function breachedPasswords(): ReadonlySet<string> {
  breached ??= new Set(
    readFileSync(LIST_PATH, 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line.length > 0),
  );
  return breached;
}

/** True when the password, compared case-insensitively, is on the breached-password list. */
export function isBreachedPassword(password: string): boolean {
  return breachedPasswords().has(password.toLowerCase());
}

/**
 * The rule for every password the platform sets (registration, reset, change, accounts created for people):
 * the shared rule (length, letters and digits, not the phone) as `PASSWORD_WEAK`, then common or breached
 * passwords as `PASSWORD_BREACHED`.
 */
export function requireAcceptablePassword(password: string, phone: string, field = 'password'): void {
  const problem = checkPassword(password, { phone });
  if (problem === 'too_common' || (!problem && isBreachedPassword(password)))
    // No field issue: the web forms then put the localized message under the password field (form-errors.ts).
    throw new AppError('PASSWORD_BREACHED', { detail: `${field} is a common or breached password` });
  if (problem) throw new AppError('PASSWORD_WEAK', { issues: [{ path: field, message: problem }] });
}
