import type { FormInstance } from 'antd';
import { type FieldError, isApiError } from '../api';
import type { Locale } from '../prefs';

// Errors that are about one input even when the server sends no `errors[]`: shown under that input.
const codeToFields: Record<string, string[]> = {
  PHONE_INVALID: ['phone'],
  PHONE_TAKEN: ['phone'],
  PASSWORD_WEAK: ['password', 'newPassword'],
  PASSWORD_BREACHED: ['password', 'newPassword'],
  OTP_INVALID: ['code'],
  TOTP_INVALID: ['code'],
  RECOVERY_CODE_INVALID: ['code', 'recoveryCode'],
};

/** `body.phone`, `/phone` and `phone` all name the form field `phone`. */
export function normalizePath(path: string): string {
  return path
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^body\./, '');
}

/**
 * Puts an API error's messages under the form items they concern.
 * Returns true when every part of the error found a field, so no separate alert is needed.
 */
export function applyFieldErrors(form: FormInstance, error: unknown, locale: Locale): boolean {
  if (!isApiError(error)) return false;
  const registered = form.getFieldsError().map((f) => f.name);
  const byKey = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unmatched: FieldError[] = [];
  for (const fe of error.fieldErrors) {
    const key = normalizePath(fe.path);
    const name = registered.find((n) => n.join('.') === key);
    if (!name) {
      unmatched.push(fe);
      continue;
    }
    const entry = byKey.get(key) ?? { name, errors: [] };
    entry.errors.push(fe.message);
    byKey.set(key, entry);
  }
  if (error.fieldErrors.length === 0) {
    const target = codeToFields[error.code]?.find((f) => registered.some((n) => n.join('.') === f));
    if (target) byKey.set(target, { name: [target], errors: [error.localized(locale)] });
  }
  if (byKey.size > 0) form.setFields([...byKey.values()]);
  return byKey.size > 0 && unmatched.length === 0;
}
