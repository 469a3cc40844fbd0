import type { MemberRole, OrgType, Role } from '../../../shared/roles';

export type { OrgType, Role } from '../../../shared/roles';

// Mirrors the server's /api/v1/auth contract (src/server/modules/identity/identity.routes.ts).
export interface Membership {
  orgId: string;
  orgName: string;
  orgType: OrgType;
  role: MemberRole;
}

export interface Me {
  id: string;
  name: string;
  phoneMasked: string;
  roles: Role[];
  memberships: Membership[];
  /** Path of the person's main console, e.g. `/resident`. */
  home: string;
}

export type OtpPurpose = 'register' | 'login' | 'reset_password';

export interface SendOtpInput {
  phone: string;
  purpose: OtpPurpose;
}
export interface SendOtpResult {
  sent: true;
  retryAfterSeconds: number;
}
export interface RegisterInput {
  phone: string;
  code: string;
  password: string;
  name: string;
}
export interface PasswordLoginInput {
  phone: string;
  password: string;
}
export interface OtpLoginInput {
  phone: string;
  code: string;
}
export interface ResetPasswordInput {
  phone: string;
  code: string;
  newPassword: string;
}

export const CODE_PATTERN = /^\d{6}$/;
