import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().optional(),
  /** A read replica for search, public verification and dashboards (lag-tolerant reads); optional. */
  DATABASE_READ_URL: z.string().optional(),
  DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** 32-byte key, base64: AES-256-GCM for sensitive personal information. */
  PII_KEY: z.string().optional(),
  /** Secret for keyed hashes (blind index) of sensitive values. */
  PII_HASH_KEY: z.string().optional(),
  /** Secret better-auth signs session cookies with. */
  AUTH_SECRET: z.string().optional(),
  /** Comma-separated origins allowed by CORS (the app's own origin always is). */
  CORS_ORIGINS: z.string().default(''),
  SMS_PROVIDER: z.enum(['dev', 'disabled']).default('dev'),
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  TRUST_PROXY: bool,
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
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  piiKey: Buffer;
  piiHashKey: Buffer;
  authSecret: string;
  corsOrigins: string[];
  smsProvider: Env['SMS_PROVIDER'];
  seedDemo: Env['SEED_DEMO'];
  trustProxy: boolean;
  apiDocs: boolean;
  jobs: boolean;
  rateLimit: { global: number; auth: number; otp: number };
  metricsToken: string | undefined;
  map: { tileUrl: string; attribution: string; serviceCircleM: number };
  feedback: { complaintResponseHours: number; reviewWindowDays: number; appealWindowDays: number };
  iceServers: IceServer[];
  complaintHotline: string;
  partners: { webhookAllowPrivate: boolean };
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

function key32(name: string, value: string): Buffer {
  const buf = Buffer.from(value, 'base64');
  if (buf.length !== 32) throw new ConfigError(`${name} must be 32 bytes, base64-encoded`);
  return buf;
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
    dataDir,
    logLevel: e.LOG_LEVEL,
    piiKey: key32(
      'PII_KEY',
      need('PII_KEY', (s) => s.piiKey),
    ),
    piiHashKey: key32(
      'PII_HASH_KEY',
      need('PII_HASH_KEY', (s) => s.piiHashKey),
    ),
    authSecret: need('AUTH_SECRET', (s) => s.authSecret),
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    smsProvider: e.SMS_PROVIDER,
    seedDemo: e.SEED_DEMO,
    trustProxy: e.TRUST_PROXY,
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
    ...overrides,
  };
  if (isProduction && config.authSecret.length < 32)
    throw new ConfigError('AUTH_SECRET must be at least 32 characters');
  return config;
}
