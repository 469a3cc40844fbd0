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
  /** Regulator and admin accounts: true until this session confirms the SMS code sent at sign-in. */
  mfaPending: boolean;
  /** Mandatory authenticator, within grace: set one up by this time (ISO); null otherwise. */
  totpEnrolBy: string | null;
  /** Mandatory authenticator, past grace: the regulator/admin role is withheld until one is set up. */
  totpEnrolmentRequired: boolean;
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

export interface MfaVerifyInput {
  code: string;
  /** Default on the server: totp when the account has an authenticator, else sms. */
  method?: 'sms' | 'totp' | 'recovery';
}

/** GET /api/v1/auth/totp: the caller's authenticator (动态口令). */
export interface TotpStatus {
  /** The account has a second sign-in step (regulator and admin roles) and may set up an authenticator. */
  available: boolean;
  enrolled: boolean;
  enrolledAt: string | null;
  recoveryCodesLeft: number;
}
/** One of the caller's security keys (安全密钥 / UKey): GET /api/v1/auth/webauthn/credentials. */
export interface SecurityKey {
  id: string;
  label: string;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}
export interface SecurityKeyList {
  /** The account has a second sign-in step (regulator and admin roles) and may register a key. */
  available: boolean;
  items: SecurityKey[];
}
/** POST /api/v1/auth/totp/enrol: the new secret, shown once. */
export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
  expiresAt: string;
}
export interface TotpDisableInput {
  code?: string;
  password?: string;
  recoveryCode?: string;
}

export const CODE_PATTERN = /^\d{6}$/;

/** One of the signed-in person's sessions (GET /api/v1/auth/sessions). */
export interface SessionView {
  id: string;
  current: boolean;
  /** Browser and system, e.g. "Chrome 120 · Android"; null when unknown. */
  device: string | null;
  ipMasked: string | null;
  createdAt: string;
  lastSeenAt: string;
}
