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

/** Roles an organization admin can hold (a station's, training institution's or insurer's admin is their staff role). */
const orgAdmins: readonly Role[] = ['company_admin', 'station_staff', 'training_staff', 'insurer_staff'];

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
  // workers
  'GET /api/v1/workers/consent-text': { allow: 'public' },
  'POST /api/v1/workers/me': { allow: 'signed-in' },
  'GET /api/v1/workers/me': { allow: ['worker'] },
  'PATCH /api/v1/workers/me': { allow: ['worker'] },
  'POST /api/v1/workers/me/photo': { allow: ['worker'] },
  'POST /api/v1/workers/confirm': { allow: 'public' },
  'GET /api/v1/workers/:id': { allow: 'signed-in' },
  'POST /api/v1/workers/me/documents': { allow: ['worker'] },
  'GET /api/v1/workers/me/documents': { allow: ['worker'] },
  'GET /api/v1/workers/:id/documents': { allow: 'signed-in' },
  'GET /api/v1/documents/:id/file': { allow: 'signed-in' },
  'GET /api/v1/regulator/documents': { allow: ['regulator'] },
  'POST /api/v1/regulator/documents/:id/review': { allow: ['regulator'] },
  'POST /api/v1/regulator/documents/review': { allow: ['regulator'] },
  'GET /api/v1/regulator/workers': { allow: ['regulator'] },
  'POST /api/v1/regulator/workers/:id/background-checks': { allow: ['regulator'] },
  'POST /api/v1/regulator/workers/:id/training': { allow: ['regulator'] },
  'POST /api/v1/companies/:companyId/workers': { allow: ['company_admin', 'company_staff'] },
  'GET /api/v1/companies/:companyId/workers': { allow: ['company_admin', 'company_staff'] },
  'POST /api/v1/companies/:companyId/workers/:workerId/documents': {
    allow: ['company_admin', 'company_staff'],
  },
  'POST /api/v1/companies/:companyId/workers/:workerId/employment': {
    allow: ['company_admin', 'company_staff'],
  },
  'POST /api/v1/companies/:companyId/workers/:workerId/employment/end': {
    allow: ['company_admin', 'company_staff'],
  },
  // orgs
  'POST /api/v1/companies/applications': { allow: 'signed-in' },
  'GET /api/v1/companies/applications/:id': { allow: ['company_admin', 'company_staff'] },
  'PUT /api/v1/companies/applications/:id': { allow: ['company_admin'] },
  'POST /api/v1/companies/applications/:id/licence': { allow: ['company_admin'] },
  'POST /api/v1/companies/applications/:id/submit': { allow: ['company_admin'] },
  'GET /api/v1/companies/:id/licence': { allow: ['company_admin', 'company_staff', 'regulator'] },
  'GET /api/v1/regulator/companies': { allow: ['regulator'] },
  'GET /api/v1/regulator/companies/:id': { allow: ['regulator'] },
  'POST /api/v1/regulator/companies/:id/decision': { allow: ['regulator'] },
  'POST /api/v1/regulator/companies/:id/status': { allow: ['regulator'] },
  'GET /api/v1/public/companies': { allow: 'public' },
  'GET /api/v1/public/companies/:id': { allow: 'public' },
  'GET /api/v1/public/organizations': { allow: 'public' },
  'POST /api/v1/admin/organizations': { allow: ['regulator', 'platform_admin'] },
  'GET /api/v1/admin/organizations': { allow: ['regulator', 'platform_admin'] },
  'POST /api/v1/orgs/:orgId/invitations': { allow: orgAdmins },
  'GET /api/v1/orgs/:orgId/invitations': { allow: orgAdmins },
  'POST /api/v1/orgs/:orgId/invitations/:invitationId/revoke': { allow: orgAdmins },
  'GET /api/v1/orgs/:orgId/members': { allow: orgAdmins },
  'POST /api/v1/orgs/:orgId/members/:membershipId/end': { allow: orgAdmins },
  'GET /api/v1/me/invitations': { allow: 'signed-in' },
  'POST /api/v1/me/invitations/:id/accept': { allow: 'signed-in' },
  'POST /api/v1/me/invitations/:id/decline': { allow: 'signed-in' },
  // certification
  'GET /api/v1/regulator/certificates': { allow: ['regulator'] },
  'GET /api/v1/workers/:id/certification': { allow: ['regulator'] },
  'POST /api/v1/workers/:id/certificate': { allow: ['regulator'] },
  'POST /api/v1/certificates/:id/suspend': { allow: ['regulator'] },
  'POST /api/v1/certificates/:id/reinstate': { allow: ['regulator'] },
  'POST /api/v1/certificates/:id/revoke': { allow: ['regulator'] },
  'GET /api/v1/workers/me/certificate': { allow: ['worker'] },
  'GET /api/v1/workers/me/card.pdf': { allow: ['worker'] },
  'GET /api/v1/workers/me/card.png': { allow: ['worker'] },
  'GET /api/v1/workers/:id/card.pdf': { allow: ['regulator', 'company_admin', 'company_staff'] },
  'GET /api/v1/workers/:id/card.png': { allow: ['regulator', 'company_admin', 'company_staff'] },
  'GET /api/v1/public/certificates/verify': { allow: 'public' },
  'GET /api/v1/admin/qr-keys': { allow: ['platform_admin'] },
  'POST /api/v1/admin/qr-keys/rotate': { allow: ['platform_admin'] },
  'POST /api/v1/admin/qr-keys/:kid/retire': { allow: ['platform_admin'] },
  'GET /v/:token': { allow: 'public' },
  'GET /v/:token/photo': { allow: 'public' },
  // notifications
  'GET /api/v1/me/notifications': { allow: 'signed-in' },
  'POST /api/v1/me/notifications/:id/read': { allow: 'signed-in' },
  // efile
  'GET /api/v1/workers/me/file': { allow: ['worker'] },
  'GET /api/v1/workers/me/access-log': { allow: ['worker'] },
  'POST /api/v1/workers/me/grants': { allow: ['worker'] },
  'GET /api/v1/workers/me/grants': { allow: ['worker'] },
  'POST /api/v1/workers/me/grants/:id/revoke': { allow: ['worker'] },
  'GET /api/v1/workers/me/access-requests': { allow: ['worker'] },
  'POST /api/v1/workers/me/access-requests/:id/decision': { allow: ['worker'] },
  'POST /api/v1/workers/:id/access-requests': { allow: ['resident', 'company_admin', 'company_staff'] },
  'GET /api/v1/workers/:id/file-access': { allow: ['resident', 'company_admin', 'company_staff'] },
  'GET /api/v1/workers/:id/file': { allow: ['resident', 'company_admin', 'company_staff', 'regulator'] },
  'GET /api/v1/shared/worker-files/:token': { allow: 'public' },
  'GET /api/v1/workers/me/export.json': { allow: ['worker'] },
  'GET /api/v1/workers/me/export.pdf': { allow: ['worker'] },
  'POST /api/v1/workers/me/deletion-request': { allow: ['worker'] },
  'GET /api/v1/workers/me/deletion-requests': { allow: ['worker'] },
  'GET /api/v1/admin/deletion-requests': { allow: ['platform_admin'] },
  'POST /api/v1/admin/deletion-requests/:id/complete': { allow: ['platform_admin'] },
  'POST /api/v1/admin/deletion-requests/:id/refuse': { allow: ['platform_admin'] },
};

export function isAllowed(rule: Rule, p: Principal): boolean {
  if (rule === 'public') return true;
  if (p === 'anonymous') return false;
  if (rule === 'signed-in') return true;
  return rule.includes(p);
}
