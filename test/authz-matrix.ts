import type { Role } from '../src/shared/roles.js';

/**
 * Who may pass the door of each route. This file is reviewed on its own: the matrix test fails when a route
 * has no row, a row names no route, or the server allows or refuses anyone this file does not say.
 * Object- and row-level rules (a company sees only its own workers) are tested in each module's tests.
 */
export type Principal = 'anonymous' | Role;
export type Rule = 'public' | 'signed-in' | readonly Role[];

export interface MatrixRow {
  allow: Rule;
  /** The route ends or changes the caller's session; the test gives it a fresh session. */
  endsSession?: boolean;
}

export const principals: Principal[] = [
  'anonymous',
  'resident',
  'worker',
  'company_admin',
  'company_staff',
  'station_staff',
  'training_staff',
  'insurer_staff',
  'regulator',
  'platform_admin',
];

export const authzMatrix: Record<string, MatrixRow> = {
  'GET /healthz': { allow: 'public' },
  'GET /readyz': { allow: 'public' },
  'GET /metrics': { allow: 'public' },
  'GET /openapi.json': { allow: 'public' },
  'POST /api/v1/auth/otp': { allow: 'public' },
  'POST /api/v1/auth/register': { allow: 'public' },
  'POST /api/v1/auth/login/password': { allow: 'public' },
  'POST /api/v1/auth/login/otp': { allow: 'public' },
  'POST /api/v1/auth/password/reset': { allow: 'public' },
  'POST /api/v1/auth/logout': { allow: 'signed-in', endsSession: true },
  'GET /api/v1/auth/me': { allow: 'signed-in' },
  'GET /api/v1/dev/sms/latest': { allow: 'public' },
};

export function isAllowed(rule: Rule, p: Principal): boolean {
  if (rule === 'public') return true;
  if (p === 'anonymous') return false;
  if (rule === 'signed-in') return true;
  return rule.includes(p);
}
