import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  generateSigningKey,
  importSigningKey,
  importVerifyKey,
  SignKeyError,
  type SigningKey,
  type VerifyKey,
} from './platform/crypto-sign/index.js';
import { anchorUrlProblem } from './platform/audit-anchor/https-sink.js';
import { AllowListError, type AllowList, parseAllowList } from './platform/net/egress.js';
import type { PiiOptions } from './platform/pii/index.js';
import { type ClamdAddress, ClamdAddressError, parseClamdAddress } from './platform/storage/antivirus.js';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().optional(),
  /** A read replica for search, public verification and dashboards (lag-tolerant reads); optional. */
  DATABASE_READ_URL: z.string().optional(),
  /** PostgreSQL pool timeouts in ms (0 = none): connect or wait for a pooled connection, per statement, idle in a transaction. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(15_000),
  DATABASE_IDLE_IN_TX_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(30_000),
  /** Seconds a pending Idempotency-Key is leased to its attempt before a retry may take over an uncommitted one. */
  IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Requests that may wait to start (platform/http/admission.ts); one more is answered 503 SERVER_BUSY at once. */
  ADMISSION_QUEUE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(512),
  DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** 32-byte key, base64: AES-256-GCM for sensitive personal information. */
  PII_KEY: z.string().optional(),
  /** Version number written into tokens made with PII_KEY; raise it by one at each rotation. */
  PII_KEY_VERSION: z.coerce.number().int().min(1).max(65_535).default(1),
  /** Retired PII keys that still decrypt (never encrypt): comma-separated `<version>:<base64 32-byte key>`. */
  PII_OLD_KEYS: z.string().default(''),
  /** Secret for keyed hashes (blind index) of sensitive values. */
  PII_HASH_KEY: z.string().optional(),
  /**
   * Crypto profile of personal data: `intl` (AES-256-GCM, HMAC-SHA-256) or `gm` (国密: SM4 + HMAC-SM3, HMAC-SM3).
   * Chosen when a deployment starts; switching later needs the blind indexes recomputed (docs/security.md).
   */
  PII_CRYPTO_PROFILE: z.enum(['intl', 'gm']).default('intl'),
  /** Private key (PEM or hex) signing the audit chain's external anchors: Ed25519 on `intl`, SM2 on `gm`. */
  AUDIT_ANCHOR_KEY: z.string().optional(),
  /** Public keys also trusted when verifying anchors (retired keys), comma-separated, each optionally `intl:`/`gm:`. */
  AUDIT_ANCHOR_PUBLIC_KEYS: z.string().default(''),
  /** Directory (outside the database) the anchor lines are appended to; default `<DATA_DIR>/audit-anchors`. */
  AUDIT_ANCHOR_DIR: z.string().optional(),
  /** HTTPS receiver the anchor lines are also POSTed to (docs/operations.md); its host must be on OUTBOUND_ALLOW_HOSTS.
   * When set, the directory sink is used only if AUDIT_ANCHOR_DIR is set too. */
  AUDIT_ANCHOR_URL: z.string().optional(),
  /** Bearer token for AUDIT_ANCHOR_URL (required with it in production). */
  AUDIT_ANCHOR_TOKEN: z.string().optional(),
  AUDIT_ANCHOR_EVERY_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  AUDIT_ANCHOR_EVERY_MIN: z.coerce.number().int().min(1).max(10_080).default(60),
  /** Secret better-auth signs session cookies with. */
  AUTH_SECRET: z.string().optional(),
  /** Comma-separated origins allowed by CORS (the app's own origin always is). */
  CORS_ORIGINS: z.string().default(''),
  SMS_PROVIDER: z.enum(['dev', 'disabled']).default('dev'),
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  /**
   * `true`/`false`, or a comma list of proxy addresses/CIDRs whose X-Forwarded-For is trusted
   * (`10.0.0.0/8,127.0.0.1`); see docs/operations.md.
   */
  TRUST_PROXY: z.string().optional(),
  /**
   * Hosts the server may call (webhooks, gateways): comma list of names, `*.suffix` patterns and IP literals, each
   * optionally `:port`. Production: only these (unset = none). Development/test: unset = any.
   */
  OUTBOUND_ALLOW_HOSTS: z.string().optional(),
  ENABLE_API_DOCS: z.enum(['true', 'false']).optional(),
  JOBS: z.enum(['on', 'off']).default('on'),
  /** Requests per minute per IP: everything, sign-in attempts, code requests. */
  RATE_LIMIT_GLOBAL: z.coerce.number().int().positive().default(600),
  RATE_LIMIT_AUTH: z.coerce.number().int().positive().default(20),
  RATE_LIMIT_OTP: z.coerce.number().int().positive().default(10),
  METRICS_TOKEN: z.string().optional(),
  /** Leaflet tile URL template; `{s}` subdomains allowed. Tiles from Chinese providers are GCJ-02 (see districts.ts). */
  MAP_TILE_URL: z.string().default('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MAP_ATTRIBUTION: z.string().default('© OpenStreetMap contributors'),
  /** Radius of the "15-minute service circle" drawn around the user, in metres. */
  MAP_SERVICE_CIRCLE_M: z.coerce.number().int().min(100).max(20000).default(1500),
  /** Hours a company has to answer a complaint before it escalates to the regulator (feedback). */
  COMPLAINT_RESPONSE_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Days after completion during which an order can be reviewed (feedback). */
  REVIEW_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Days after a complaint decision during which it can be appealed; then it closes (feedback). */
  COMPLAINT_APPEAL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** WebRTC ICE servers for video interviews, JSON `[{"urls":"turn:turn.example.cn:3478","username":"…","credential":"…"}]`;
   * empty (the default) works on loopback and LAN only. See docs/operations.md (coturn). */
  ICE_SERVERS: z.string().default('[]'),
  /** The complaint hotline shown on the public portal (Guangzhou: 12345 政务服务便民热线). */
  COMPLAINT_HOTLINE: z
    .string()
    .trim()
    .regex(/^[0-9-]{3,20}$/)
    .default('12345'),
  /** Partner webhooks may target private/loopback addresses (SSRF guard off); default: off in production only. */
  PARTNER_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).optional(),
  /** Session timeouts in minutes (identity): idle and absolute, for MFA roles (regulator, platform admin) and others. */
  SESSION_IDLE_MIN_PRIVILEGED: z.coerce.number().int().min(1).max(525_600).default(30),
  SESSION_ABSOLUTE_MIN_PRIVILEGED: z.coerce.number().int().min(5).max(525_600).default(720),
  SESSION_IDLE_MIN: z.coerce.number().int().min(1).max(525_600).default(120),
  SESSION_ABSOLUTE_MIN: z.coerce.number().int().min(5).max(525_600).default(10080),
  /** Accounts with an MFA role must enrol a TOTP authenticator (identity); default: on in production only. */
  MFA_TOTP_REQUIRED: z.enum(['true', 'false']).optional(),
  /** Days an MFA-role account may still sign in by SMS before enrolment is forced (counted from its first MFA sign-in). */
  MFA_TOTP_GRACE_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  /** WebAuthn security keys (identity): the relying-party id, default the host name of PUBLIC_URL. */
  WEBAUTHN_RP_ID: z.string().min(1).optional(),
  /** Comma-separated origins a security key may sign for, default the origin of PUBLIC_URL. */
  WEBAUTHN_ORIGINS: z.string().optional(),
  /** clamd every upload is scanned by: `tcp://host:port` or `unix:///run/clamav/clamd.ctl`; unset = no scanning
   * (refused in production unless ANTIVIRUS_DISABLED=true). See docs/operations.md "Antivirus". */
  ANTIVIRUS_CLAMD: z.string().optional(),
  /** Deadline of one scan (connect, send, verdict) in ms; past it the upload fails closed (503). */
  ANTIVIRUS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Production only: `true` starts without a scanner (uploads unscanned, a warning at start). */
  ANTIVIRUS_DISABLED: z.enum(['true', 'false']).optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  databaseReadUrl: string | undefined;
  /** PostgreSQL pool timeouts in ms; 0 = none. Long jobs lift the statement one (platform/db/tx-hooks.ts). */
  databaseTimeouts: { connectMs: number; statementMs: number; idleInTransactionMs: number };
  idempotencyLeaseMs: number;
  /** ADMISSION_QUEUE_MAX: requests that may wait to start before more are shed with 503. */
  admissionQueueMax: number;
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  piiKey: Buffer;
  /** Version of `piiKey` written into new tokens (PII_KEY_VERSION). */
  piiKeyVersion: number;
  /** Retired PII keys by version (PII_OLD_KEYS): tokens and backups made with them still open. */
  piiOldKeys: Record<number, Buffer>;
  piiHashKey: Buffer;
  piiProfile: 'intl' | 'gm';
  /** External anchors of the audit chain; the key's suite follows `piiProfile`. */
  auditAnchor: {
    key: SigningKey;
    /** Keys a verifier accepts: the current key's public half, then AUDIT_ANCHOR_PUBLIC_KEYS. */
    trustedKeys: VerifyKey[];
    /** Directory sink; undefined when only the HTTPS sink is configured. */
    dir: string | undefined;
    /** HTTPS sink (platform/audit-anchor/https-sink.ts) and its bearer token. */
    url: string | undefined;
    token: string | undefined;
    everyRows: number;
    everyMinutes: number;
  };
  authSecret: string;
  corsOrigins: string[];
  smsProvider: Env['SMS_PROVIDER'];
  seedDemo: Env['SEED_DEMO'];
  /** Fastify's trustProxy: on/off, or the proxy addresses/CIDRs to trust. */
  trustProxy: boolean | string[];
  /** Outbound allow-list (platform/net/egress.ts). */
  outbound: { allow: AllowList };
  apiDocs: boolean;
  jobs: boolean;
  rateLimit: { global: number; auth: number; otp: number };
  metricsToken: string | undefined;
  map: { tileUrl: string; attribution: string; serviceCircleM: number };
  feedback: { complaintResponseHours: number; reviewWindowDays: number; appealWindowDays: number };
  iceServers: IceServer[];
  complaintHotline: string;
  partners: { webhookAllowPrivate: boolean };
  /** Session timeouts in milliseconds; `privileged` applies to accounts holding an MFA role. */
  sessions: {
    privileged: { idleMs: number; absoluteMs: number };
    standard: { idleMs: number; absoluteMs: number };
  };
  /** Mandatory TOTP for MFA roles and its grace period in milliseconds (identity, docs/security.md). */
  mfa: { totpRequired: boolean; totpGraceMs: number };
  /** WebAuthn security keys (安全密钥): relying-party id and the origins assertions must come from (docs/operations.md). */
  webauthn: { rpId: string; origins: string[] };
  /** Malware scanning of uploads (platform/storage/antivirus.ts); `clamd` undefined = off. */
  antivirus: { clamd: ClamdAddress | undefined; timeoutMs: number; explicitlyDisabled: boolean };
}

/** One WebRTC ICE server as the browser's RTCPeerConnection takes it. */
export interface IceServer {
  urls: string | string[];
  username?: string | undefined;
  credential?: string | undefined;
}

const iceServersSchema = z.array(
  z.strictObject({
    urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

function parseIceServers(raw: string): IceServer[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      'ICE_SERVERS must be JSON: [{"urls":"turn:host:3478","username":"u","credential":"p"}]',
    );
  }
  const parsed = iceServersSchema.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(`ICE_SERVERS is not valid: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

export class ConfigError extends Error {}

/** TRUST_PROXY: true/1, false/0/empty, or a comma list of IP addresses and CIDRs (e.g. the load balancers). */
function parseTrustProxy(raw: string | undefined): boolean | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of list) {
    const [addr, bits, extra] = item.split('/');
    const family = isIP(addr ?? '');
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > max)))
      throw new ConfigError(
        `TRUST_PROXY must be true, false or a comma list of IP addresses/CIDRs; "${item}" is not one`,
      );
  }
  return list;
}

/** OUTBOUND_ALLOW_HOSTS: unset means "any host" outside production and "no host" in production. */
function parseOutbound(raw: string | undefined, isProduction: boolean): AllowList {
  if (raw === undefined || raw.trim() === '')
    return isProduction ? { mode: 'list', rules: [] } : { mode: 'all' };
  try {
    return { mode: 'list', rules: parseAllowList(raw) };
  } catch (e) {
    if (e instanceof AllowListError) throw new ConfigError(e.message);
    throw e;
  }
}

interface DevSecrets {
  piiKey: string;
  piiHashKey: string;
  authSecret: string;
}

/** Dev and test only: secrets generated once and kept under the data directory. */
function loadDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    piiKey: randomBytes(32).toString('base64'),
    piiHashKey: randomBytes(32).toString('base64'),
    authSecret: randomBytes(32).toString('base64'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Dev and test only: an anchor signing key of the suite, generated once under the data directory. */
function loadDevAnchorKey(dataDir: string, suite: 'intl' | 'gm'): string {
  const file = join(dataDir, `dev-audit-anchor-${suite}.pem`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const pem = generateSigningKey(suite).privateKeyPem;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, pem, { mode: 0o600 });
  return pem;
}

function anchorKeys(
  e: Env,
  isProduction: boolean,
  dataDir: string,
): { key: SigningKey; trustedKeys: VerifyKey[] } {
  const suite = e.PII_CRYPTO_PROFILE;
  if (!e.AUDIT_ANCHOR_KEY && isProduction)
    throw new ConfigError('AUDIT_ANCHOR_KEY is required in production');
  try {
    const key = importSigningKey(suite, e.AUDIT_ANCHOR_KEY || loadDevAnchorKey(dataDir, suite));
    const extra = e.AUDIT_ANCHOR_PUBLIC_KEYS.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((item) => {
        const m = /^(intl|gm):(.*)$/s.exec(item);
        return m ? importVerifyKey(m[1] as 'intl' | 'gm', m[2]!) : importVerifyKey(suite, item);
      });
    return { key, trustedKeys: [key, ...extra] };
  } catch (err) {
    if (err instanceof SignKeyError)
      throw new ConfigError(`AUDIT_ANCHOR_KEY / AUDIT_ANCHOR_PUBLIC_KEYS: ${err.message}`);
    throw err;
  }
}

/** PII_OLD_KEYS: `<version>:<base64 key>` items; errors name the variable and the item's position, never a key. */
function parseOldKeys(raw: string, currentVersion: number): Record<number, Buffer> {
  const out: Record<number, Buffer> = {};
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  items.forEach((item, i) => {
    const m = /^(\d{1,5}):([A-Za-z0-9+/]+={0,2})$/.exec(item);
    const version = m ? Number(m[1]) : 0;
    const key = m ? Buffer.from(m[2]!, 'base64') : Buffer.alloc(0);
    if (!m || version < 1 || version > 65_535 || key.length !== 32)
      throw new ConfigError(
        `PII_OLD_KEYS item ${i + 1} must be <version>:<base64 32-byte key> (version an integer from 1 to 65535)`,
      );
    if (version === currentVersion)
      throw new ConfigError(`PII_OLD_KEYS item ${i + 1} has version ${version}, which is PII_KEY_VERSION`);
    if (out[version]) throw new ConfigError(`PII_OLD_KEYS lists version ${version} twice`);
    out[version] = key;
  });
  return out;
}

/** The personal-data keys and profile of a configuration, as `createPii` takes them (the app and the tools alike). */
export function piiOptionsOf(c: Config): PiiOptions {
  return {
    key: c.piiKey,
    keyVersion: c.piiKeyVersion,
    oldKeys: c.piiOldKeys,
    hashKey: c.piiHashKey,
    profile: c.piiProfile,
  };
}

function key32(name: string, value: string): Buffer {
  const buf = Buffer.from(value, 'base64');
  if (buf.length !== 32) throw new ConfigError(`${name} must be 32 bytes, base64-encoded`);
  return buf;
}

/** ANTIVIRUS_*: production needs a scanner address unless ANTIVIRUS_DISABLED=true says otherwise out loud. */
function parseAntivirus(e: Env, isProduction: boolean): Config['antivirus'] {
  const raw = e.ANTIVIRUS_CLAMD?.trim();
  const explicitlyDisabled = e.ANTIVIRUS_DISABLED === 'true';
  if (raw && explicitlyDisabled)
    throw new ConfigError('ANTIVIRUS_CLAMD and ANTIVIRUS_DISABLED=true contradict each other; set one');
  if (!raw && isProduction && !explicitlyDisabled)
    throw new ConfigError(
      'ANTIVIRUS_CLAMD is required in production (e.g. unix:///run/clamav/clamd.ctl); set ANTIVIRUS_DISABLED=true to run without scanning uploads',
    );
  try {
    return {
      clamd: raw ? parseClamdAddress(raw) : undefined,
      timeoutMs: e.ANTIVIRUS_TIMEOUT_MS,
      explicitlyDisabled,
    };
  } catch (err) {
    if (err instanceof ClamdAddressError) throw new ConfigError(err.message);
    throw err;
  }
}

/** Parses the environment once at boot. Production refuses to start without real secrets. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const dataDir = resolve(e.DATA_DIR);
  let secrets: DevSecrets | undefined;
  const need = (
    name: 'PII_KEY' | 'PII_HASH_KEY' | 'AUTH_SECRET',
    pick: (s: DevSecrets) => string,
  ): string => {
    const v = e[name];
    if (v) return v;
    if (isProduction) throw new ConfigError(`${name} is required in production`);
    secrets ??= overrides.dataDir ? loadDevSecrets(overrides.dataDir) : loadDevSecrets(dataDir);
    return pick(secrets);
  };
  const port = e.PORT;
  const config: Config = {
    env: e.NODE_ENV,
    isProduction,
    host: e.HOST,
    port,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${port}`,
    databaseUrl: e.DATABASE_URL || undefined,
    databaseReadUrl: e.DATABASE_READ_URL || undefined,
    databaseTimeouts: {
      connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: e.DATABASE_IDLE_IN_TX_TIMEOUT_MS,
    },
    idempotencyLeaseMs: e.IDEMPOTENCY_LEASE_SECONDS * 1000,
    admissionQueueMax: e.ADMISSION_QUEUE_MAX,
    dataDir,
    logLevel: e.LOG_LEVEL,
    piiKey: key32(
      'PII_KEY',
      need('PII_KEY', (s) => s.piiKey),
    ),
    piiKeyVersion: e.PII_KEY_VERSION,
    piiOldKeys: parseOldKeys(e.PII_OLD_KEYS, e.PII_KEY_VERSION),
    piiHashKey: key32(
      'PII_HASH_KEY',
      need('PII_HASH_KEY', (s) => s.piiHashKey),
    ),
    piiProfile: e.PII_CRYPTO_PROFILE,
    auditAnchor: {
      ...anchorKeys(e, isProduction, overrides.dataDir ?? dataDir),
      dir:
        e.AUDIT_ANCHOR_DIR || !e.AUDIT_ANCHOR_URL
          ? resolve(e.AUDIT_ANCHOR_DIR || join(overrides.dataDir ?? dataDir, 'audit-anchors'))
          : undefined,
      url: e.AUDIT_ANCHOR_URL || undefined,
      token: e.AUDIT_ANCHOR_TOKEN || undefined,
      everyRows: e.AUDIT_ANCHOR_EVERY_ROWS,
      everyMinutes: e.AUDIT_ANCHOR_EVERY_MIN,
    },
    authSecret: need('AUTH_SECRET', (s) => s.authSecret),
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    smsProvider: e.SMS_PROVIDER,
    seedDemo: e.SEED_DEMO,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    outbound: { allow: parseOutbound(e.OUTBOUND_ALLOW_HOSTS, isProduction) },
    apiDocs: e.ENABLE_API_DOCS ? e.ENABLE_API_DOCS === 'true' : !isProduction,
    jobs: e.JOBS === 'on',
    rateLimit: { global: e.RATE_LIMIT_GLOBAL, auth: e.RATE_LIMIT_AUTH, otp: e.RATE_LIMIT_OTP },
    metricsToken: e.METRICS_TOKEN || undefined,
    map: { tileUrl: e.MAP_TILE_URL, attribution: e.MAP_ATTRIBUTION, serviceCircleM: e.MAP_SERVICE_CIRCLE_M },
    feedback: {
      complaintResponseHours: e.COMPLAINT_RESPONSE_HOURS,
      reviewWindowDays: e.REVIEW_WINDOW_DAYS,
      appealWindowDays: e.COMPLAINT_APPEAL_DAYS,
    },
    iceServers: parseIceServers(e.ICE_SERVERS),
    complaintHotline: e.COMPLAINT_HOTLINE,
    partners: {
      webhookAllowPrivate: e.PARTNER_WEBHOOK_ALLOW_PRIVATE
        ? e.PARTNER_WEBHOOK_ALLOW_PRIVATE === 'true'
        : !isProduction,
    },
    sessions: {
      privileged: {
        idleMs: e.SESSION_IDLE_MIN_PRIVILEGED * 60_000,
        absoluteMs: e.SESSION_ABSOLUTE_MIN_PRIVILEGED * 60_000,
      },
      standard: { idleMs: e.SESSION_IDLE_MIN * 60_000, absoluteMs: e.SESSION_ABSOLUTE_MIN * 60_000 },
    },
    mfa: {
      totpRequired: e.MFA_TOTP_REQUIRED ? e.MFA_TOTP_REQUIRED === 'true' : isProduction,
      totpGraceMs: e.MFA_TOTP_GRACE_DAYS * 86_400_000,
    },
    webauthn: {
      rpId: e.WEBAUTHN_RP_ID ?? new URL(e.PUBLIC_URL ?? `http://localhost:${port}`).hostname,
      origins: e.WEBAUTHN_ORIGINS
        ? e.WEBAUTHN_ORIGINS.split(',')
            .map((o) => o.trim())
            .filter(Boolean)
        : [new URL(e.PUBLIC_URL ?? `http://localhost:${port}`).origin],
    },
    antivirus: parseAntivirus(e, isProduction),
    ...overrides,
  };
  if (config.auditAnchor.url) {
    const problem = anchorUrlProblem(config.auditAnchor.url, { isProduction, allow: config.outbound.allow });
    if (problem) throw new ConfigError(problem);
    if (isProduction && !config.auditAnchor.token)
      throw new ConfigError('AUDIT_ANCHOR_TOKEN is required with AUDIT_ANCHOR_URL in production');
  }
  if (isProduction && config.authSecret.length < 32)
    throw new ConfigError('AUTH_SECRET must be at least 32 characters');
  // Debug and trace lines carry request details (headers, bodies of library calls) that production must not keep.
  if (isProduction && (config.logLevel === 'debug' || config.logLevel === 'trace'))
    throw new ConfigError(
      `LOG_LEVEL=${config.logLevel} is not allowed in production (use info, warn, error, fatal or silent)`,
    );
  return config;
}
