import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';

// The four tables better-auth owns the shape of (user, session, account, verification); names match its model.
export const user = pgTable('user', {
  id: idColumn(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  phoneNumber: text('phone_number').unique(),
  phoneNumberVerified: boolean('phone_number_verified').notNull().default(false),
  /** 'active' | 'disabled' — a disabled account cannot sign in and its sessions are revoked. */
  status: text('status').notNull().default('active'),
  /**
   * When MFA_TOTP_REQUIRED is on: the time by which this MFA-role account must confirm a TOTP authenticator (stamped
   * at its first MFA sign-in without one: now + grace; an administrator's reset sets it to now). Null = not stamped.
   */
  totpEnrolBy: tstz('totp_enrol_by'),
  ...timestamps(),
});

export const session = pgTable(
  'session',
  {
    id: idColumn(),
    expiresAt: tstz('expires_at').notNull(),
    token: text('token').notNull().unique(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** Last request seen on this session (written at most once a minute); null = none since sign-in. */
    lastSeenAt: tstz('last_seen_at'),
    /** When the session confirmed its SMS code; an account with an MFA role gets its powers only after. */
    mfaVerifiedAt: tstz('mfa_verified_at'),
    /** The pending MFA code as a keyed hash (HMAC) bound to this session, its expiry, send time and wrong tries. */
    mfaCodeHash: text('mfa_code_hash'),
    mfaCodeExpiresAt: tstz('mfa_code_expires_at'),
    mfaCodeSentAt: tstz('mfa_code_sent_at'),
    mfaAttempts: integer('mfa_attempts').notNull().default(0),
    /** The account's TOTP deadline copied at the MFA step when it had no authenticator; null once it enrols. */
    totpEnrolBy: tstz('totp_enrol_by'),
    ...timestamps(),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const account = pgTable(
  'account',
  {
    id: idColumn(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: tstz('access_token_expires_at'),
    refreshTokenExpiresAt: tstz('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    ...timestamps(),
  },
  (t) => [index('account_user_idx').on(t.userId)],
);

export const verification = pgTable(
  'verification',
  {
    id: idColumn(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    ...timestamps(),
  },
  (t) => [index('verification_identifier_idx').on(t.identifier)],
);

/**
 * Platform-level roles of an account. Organization roles (company admin, station staff …) come from
 * memberships in the orgs module. `district` scopes a regulator to a jurisdiction (GB/T 2260 code).
 */
export const userRole = pgTable(
  'user_role',
  {
    id: idColumn(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    district: text('district'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('user_role_unique').on(t.userId, t.role),
    // 三权分立: at most one of the system, security and audit admin roles per account, even under racing grants.
    uniqueIndex('user_role_one_admin_duty')
      .on(t.userId)
      .where(sql`${t.role} in ('platform_admin', 'security_admin', 'audit_admin')`),
  ],
);

/** Failure counters and locks for login and one-time codes, keyed by a keyed hash of the phone or IP. */
export const authThrottle = pgTable('auth_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStart: tstz('window_start').notNull(),
  lockedUntil: tstz('locked_until'),
  lastSentAt: tstz('last_sent_at'),
});

/**
 * An account's TOTP authenticator (动态口令, RFC 6238): the secret sealed with the PII key (bound to the account),
 * when enrolment started and was confirmed (null = started, not yet confirmed), and the last accepted time step so
 * each code is good once.
 */
export const userTotp = pgTable('user_totp', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  secretEnc: text('secret_enc').notNull(),
  startedAt: tstz('started_at').notNull(),
  enrolledAt: tstz('enrolled_at'),
  lastStep: integer('last_step'),
});

/** Single-use recovery codes of an account with TOTP, as keyed hashes (HMAC); used_at marks a spent one. */
export const userRecoveryCode = pgTable(
  'user_recovery_code',
  {
    id: idColumn(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('user_recovery_code_unique').on(t.userId, t.codeHash)],
);

/**
 * An account's WebAuthn security keys (安全密钥 / UKey, FIDO2): the credential id and COSE public key the key gave at
 * registration (base64url; not secrets, but they identify the person's device), its last signature counter (a
 * counter that does not grow is refused as a possible clone), transports the browser reported, a label the person
 * chose, and when it was registered and last used. Challenges live in `verification` (webauthn.service.ts).
 */
export const userWebauthnCredential = pgTable(
  'user_webauthn_credential',
  {
    id: idColumn(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    credentialId: text('credential_id').notNull().unique(),
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    /** Comma-separated AuthenticatorTransport values ("usb,nfc"); empty when the browser gave none. */
    transports: text('transports').notNull().default(''),
    label: text('label').notNull(),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
  },
  (t) => [index('user_webauthn_credential_user_idx').on(t.userId)],
);
