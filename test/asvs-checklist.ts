// The OWASP ASVS 5.0.0 Level 2 checklist for Anxin: every L1 and L2 requirement (253), plus the L3 items
// ../shared/ASSURANCE.md adopts, each with evidence. Cite ids as v5.0.0-<id without V>.
//  - 'tested': named automated tests ('<file>::<test title>', or 'assure::<suite>' for a suite of `npm run assure`);
//    test/asvs-checklist.test.ts checks that every file exists and contains the title.
//  - 'review': no automated evidence yet (or the control is documentation/deployment); the note says what holds today.
//  - 'n/a': the feature does not exist in Anxin; the reason says why.
// Source of the ids and levels: OWASP/ASVS tag v5.0.0_release, 5.0/docs_en/…_5.0.0_en.csv (CC BY-SA 4.0).

import { existsSync, readFileSync } from 'node:fs';
import { suiteNames } from '../scripts/assure/suite-names.js';

export type AsvsEntry = { title: string; level: 1 | 2 | 3 } & (
  | { status: 'tested'; tests: string[] }
  | { status: 'review'; note: string }
  | { status: 'n/a'; reason: string }
);

/** Expands 'V1.2.1-9' into V1.2.1 … V1.2.9. */
function expand(spec: string): string[] {
  return spec
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((part) => {
      const m = /^(V\d+\.\d+\.)(\d+)(?:-(\d+))?$/.exec(part);
      if (!m) throw new Error(`bad ASVS range ${part}`);
      const from = Number(m[2]);
      const to = m[3] ? Number(m[3]) : from;
      return Array.from({ length: to - from + 1 }, (_, i) => `${m[1]}${from + i}`);
    });
}

/** Every L1 and L2 requirement of ASVS 5.0.0, by chapter (253 in all). */
export const asvsLevel12Ids: string[] = expand(`
  V1.1.1-2 V1.2.1-9 V1.3.1-11 V1.4.1-3 V1.5.1-2
  V2.1.1-3 V2.2.1-3 V2.3.1-4 V2.4.1
  V3.2.1-2 V3.3.1-4 V3.4.1-6 V3.5.1-5 V3.7.1-2
  V4.1.1-3 V4.2.1 V4.3.1-2 V4.4.1-4
  V5.1.1 V5.2.1-3 V5.3.1-2 V5.4.1-3
  V6.1.1-3 V6.2.1-12 V6.3.1-4 V6.4.1-4 V6.5.1-5 V6.6.1-3 V6.8.1-4
  V7.1.1-3 V7.2.1-4 V7.3.1-2 V7.4.1-5 V7.5.1-2 V7.6.1-2
  V8.1.1-2 V8.2.1-3 V8.3.1 V8.4.1
  V9.1.1-3 V9.2.1-4
  V10.1.1-2 V10.2.1-2 V10.3.1-4 V10.4.1-11 V10.5.1-5 V10.6.1-2 V10.7.1-3
  V11.1.1-2 V11.2.1-3 V11.3.1-3 V11.4.1-4 V11.5.1 V11.6.1
  V12.1.1-2 V12.1.3 V12.2.1-2 V12.3.1-4
  V13.1.1 V13.2.1-5 V13.3.1-2 V13.4.1-5
  V14.1.1-2 V14.2.1-4 V14.3.1-3
  V15.1.1-3 V15.2.1-3 V15.3.1-7
  V16.1.1 V16.2.1-5 V16.3.1-4 V16.4.1-3 V16.5.1-3
  V17.1.1 V17.2.1-4 V17.3.1-2
`);

/** L3 requirements ASSURANCE.md adopts now because PIPL or 等保 require the same thing. */
export const adoptedLevel3Ids = [
  'V2.3.5',
  'V8.3.2',
  'V13.3.3',
  'V14.2.6',
  'V14.2.7',
  'V14.2.8',
  'V15.4.2',
  'V16.5.4',
];

export const requiredAsvsIds = [...asvsLevel12Ids, ...adoptedLevel3Ids];

// Evidence files.
const ID = 'src/server/modules/identity/__tests__/identity.routes.db.test.ts';
const SS = 'src/server/modules/identity/__tests__/sessions.db.test.ts';
const PWP = 'src/server/modules/identity/__tests__/password-policy.test.ts';
const PWB = 'src/server/modules/identity/__tests__/password-breached.db.test.ts';
const PWS = 'src/shared/__tests__/password.test.ts';
const TOTP = 'src/server/modules/identity/__tests__/totp.db.test.ts';
const TOTPR = 'src/server/modules/identity/__tests__/totp-required.db.test.ts';
const WA = 'src/server/modules/identity/__tests__/webauthn.db.test.ts';
const AM = 'test/authz-matrix.db.test.ts';
const MN = 'test/multi-node.db.test.ts';
const DI = 'test/data-inventory.test.ts';
const AUD = 'src/server/platform/audit/__tests__/audit.db.test.ts';
const PII = 'src/server/platform/pii/__tests__/pii.test.ts';
const UP = 'src/server/platform/storage/__tests__/inspect-upload.test.ts';
const LS = 'src/server/platform/storage/__tests__/local-storage.test.ts';
const AV = 'src/server/platform/storage/__tests__/antivirus.test.ts';
const AVU = 'test/antivirus-uploads.db.test.ts';
const IDEM = 'src/server/platform/idempotency/__tests__/idempotency.db.test.ts';
const OUTBOX = 'src/server/platform/outbox/__tests__/outbox.db.test.ts';
const WK = 'src/server/modules/workers/__tests__/workers.routes.db.test.ts';
const ORD = 'src/server/modules/orders/__tests__/orders.routes.db.test.ts';
const ORGS = 'src/server/modules/orgs/__tests__/orgs.routes.db.test.ts';
const CAT = 'src/server/modules/catalog/__tests__/catalog.routes.db.test.ts';
const CERT = 'src/server/modules/certification/__tests__/certification.db.test.ts';
const QR = 'src/server/modules/certification/__tests__/qr-token.test.ts';
const EF = 'src/server/modules/efile/__tests__/efile.routes.db.test.ts';
const MASK = 'src/shared/validators/__tests__/mask.test.ts';
const WEBAPI = 'src/web/shared/api/client.test.ts';
const ACCT = 'src/server/modules/identity/__tests__/account-security.db.test.ts';
const SOD = 'src/server/modules/identity/__tests__/separation-of-duties.db.test.ts';

type Body =
  | { status: 'tested'; tests: string[] }
  | { status: 'review'; note: string }
  | { status: 'n/a'; reason: string };
const tested = (...tests: string[]): Body => ({ status: 'tested', tests });
const review = (note: string): Body => ({ status: 'review', note });
const na = (reason: string): Body => ({ status: 'n/a', reason });
const e = (level: 1 | 2 | 3, title: string, body: Body) => ({ level, title, ...body }) as AsvsEntry;

const NO_LDAP = 'no LDAP, XPath, LaTeX, JNDI or memcache anywhere in the stack';
const NO_GRAPHQL = 'no GraphQL API; REST + OpenAPI only';
const NO_IDP = 'no external identity provider or federation; accounts are local (phone + password/SMS code)';
const NO_JWT =
  'sessions are opaque database-backed reference tokens (better-auth), not self-contained tokens; the QR token of the certificate is an HMAC-signed card id, checked in qr-token tests, not a session or access token';
const NO_OAUTH =
  'Anxin is neither an OAuth client, resource server, authorization server nor an OpenID provider (no partner OAuth yet; revisit when partner systems or the government unified SSO are connected)';
const NO_WEBRTC = 'no WebRTC, video or TURN; applies only if video interviews are added';

export const asvsChecklist: Record<string, AsvsEntry> = {
  // V1 Encoding and Sanitization
  'V1.1.1': e(
    2,
    'decode input once, before validation',
    review('Fastify parses JSON/query once; zod validates the decoded value; no later decoding in handlers'),
  ),
  'V1.1.2': e(
    2,
    'output encoding at the interpreter',
    review(
      'React escapes text; SQL goes through Drizzle parameters; PDFs are drawn with pdfkit text calls, not templates',
    ),
  ),
  'V1.2.1': e(
    1,
    'context-aware output encoding (HTML, headers)',
    review(
      'React text nodes only; the server-rendered /v/ pages escape through the shared html helper; no automated XSS probe yet',
    ),
  ),
  'V1.2.2': e(
    1,
    'URL building encodes untrusted data; safe protocols',
    review('the web builds API URLs with encodeURIComponent; no user-supplied links are rendered as hrefs'),
  ),
  'V1.2.3': e(
    1,
    'JSON/JS output encoding',
    review(
      "responses are serialised by JSON from the route schemas (the worker search from PostgreSQL's json_build_object, held to its schema by a test); no inline scripts with data",
    ),
  ),
  'V1.2.4': e(
    1,
    'parameterised queries',
    tested(
      'assure::fuzz',
      `${ORD}::slots in the past, off-quarter, absurdly far; items of another mode; unknown fields`,
    ),
  ),
  'V1.2.5': e(
    1,
    'OS command injection',
    review('the server spawns no processes (no child_process in src/server); verified by review only'),
  ),
  'V1.2.6': e(2, 'LDAP injection', na(NO_LDAP)),
  'V1.2.7': e(2, 'XPath injection', na(NO_LDAP)),
  'V1.2.8': e(2, 'LaTeX injection', na(NO_LDAP)),
  'V1.2.9': e(
    2,
    'regular-expression metacharacters escaped',
    review('search uses pg_trgm/ILIKE with escaped wildcards; no RegExp built from user input (review)'),
  ),
  'V1.3.1': e(
    1,
    'WYSIWYG HTML sanitised',
    na('no rich-text input; all user text is plain text rendered as text'),
  ),
  'V1.3.2': e(
    1,
    'no eval / dynamic code',
    review('no eval/new Function in src (review); CSP forbids unsafe-eval in the browser'),
  ),
  'V1.3.3': e(
    2,
    'sanitise before dangerous contexts',
    review('SMS templates take typed parameters; file keys are generated, never from file names'),
  ),
  'V1.3.4': e(2, 'SVG scriptable content', tested(`${UP}::a real type outside the allowed list`)),
  'V1.3.5': e(2, 'template-language content', na('no Markdown, BBCode or user stylesheets are accepted')),
  'V1.3.6': e(
    2,
    'SSRF',
    review(
      'the server makes no outbound requests from user input today (no URL fields fetched); the outbound allowlist test of ASSURANCE §4.11 is not built yet',
    ),
  ),
  'V1.3.7': e(
    2,
    'template injection',
    review('PDF and SMS texts are fixed templates with typed parameters; no user-built templates'),
  ),
  'V1.3.8': e(2, 'JNDI injection', na(NO_LDAP)),
  'V1.3.9': e(2, 'memcache injection', na(NO_LDAP)),
  'V1.3.10': e(
    2,
    'format strings',
    review('no printf-style formatting of user input; template literals only'),
  ),
  'V1.3.11': e(
    2,
    'SMTP/IMAP injection',
    na('the platform sends no e-mail; notices go by SMS through typed templates'),
  ),
  'V1.4.1': e(2, 'memory-safe strings', na('TypeScript on Node.js: no unmanaged memory in application code')),
  'V1.4.2': e(
    2,
    'integer overflow',
    tested(
      `${CAT}::bad input: unknown category, negative/zero/fractional/absurd price, unit not fitting the mode — 422, nothing stored`,
    ),
  ),
  'V1.4.3': e(
    2,
    'freed memory / dangling pointers',
    na('garbage-collected runtime; no manual memory management'),
  ),
  'V1.5.1': e(1, 'XML parsers without external entities', na('the platform accepts no XML')),
  'V1.5.2': e(
    2,
    'safe deserialisation',
    tested(`${ID}::malformed JSON is a 400 problem, an oversized body a 413, never a 500`, 'assure::fuzz'),
  ),

  // V2 Validation and Business Logic
  'V2.1.1': e(
    1,
    'validation rules documented',
    review(
      'the zod schemas are the rules and are published as OpenAPI (docs/api.md); data formats in src/shared/validators',
    ),
  ),
  'V2.1.2': e(
    2,
    'combined-data consistency documented',
    review(
      'documented per module in docs/*.md (e.g. maternity stars only with the maternity category, district codes)',
    ),
  ),
  'V2.1.3': e(
    2,
    'business limits documented',
    review(
      'rate limits, upload sizes and booking rules are in docs/architecture.md and docs/orders.md; not yet one consolidated list',
    ),
  ),
  'V2.2.1': e(
    1,
    'positive input validation on all input',
    tested('assure::fuzz', `${ID}::unknown fields are refused with the field named`),
  ),
  'V2.2.2': e(1, 'validation at a trusted service layer', tested('assure::fuzz', 'assure::bopla')),
  'V2.2.3': e(
    2,
    'related items reasonable together',
    tested(
      `${WK}::maternity stars without the maternity category, unknown fields and bad districts are refused`,
      `${ORGS}::bad input: unknown field, bad district, bad category, swapped coordinates, bad phone → 422`,
    ),
  ),
  'V2.3.1': e(
    1,
    'business flows in order, no skipped steps',
    tested(
      `${ORD}::each refused with a clear code; the order is unchanged`,
      `${CERT}::suspend → reinstate → revoke, each audited with an event; refused moves are 409/422`,
    ),
  ),
  'V2.3.2': e(
    2,
    'business limits implemented',
    tested(
      `${ID}::a code is sent at most once a minute to one number`,
      `${ORD}::slots in the past, off-quarter, absurdly far; items of another mode; unknown fields`,
    ),
  ),
  'V2.3.3': e(
    2,
    'all-or-nothing transactions',
    tested(
      `${AUD}::an audit row written in a rolled-back transaction disappears with the change`,
      `${OUTBOX}::commits with the caller’s transaction and vanishes when it rolls back`,
      'assure::fuzz',
    ),
  ),
  'V2.3.4': e(
    2,
    'no double booking of limited resources',
    tested(
      `${ORD}::two concurrent accepts of overlapping orders for one worker: exactly one wins`,
      'assure::idempotency',
    ),
  ),
  'V2.3.5': e(
    3,
    'multi-user approval for high-value flows',
    review(
      'deletion requests need an admin decision and file access needs the worker’s grant; bulk PI export does not exist yet; no two-person rule implemented',
    ),
  ),
  'V2.4.1': e(
    2,
    'anti-automation',
    tested(
      `${ID}::sign-in attempts from one IP are cut off with 429 before any password is checked`,
      `${ID}::a code is sent at most once a minute to one number`,
    ),
  ),

  // V3 Web Frontend Security
  'V3.2.1': e(
    1,
    'no rendering in the wrong context',
    tested(
      `${WK}::JPEG, PNG and PDF are stored; the file streams only to those who may see it, each view audited`,
      'assure::headers',
    ),
  ),
  'V3.2.2': e(
    1,
    'text rendered as text',
    tested(
      'src/server/modules/training/__tests__/lesson-xss.db.test.ts::a row written around the service (seed, import, older release) is cleaned when served',
    ),
  ),
  'V3.3.1': e(
    1,
    'Secure cookie with __Host-/__Secure- prefix',
    review(
      'better-auth sets Secure and the __Secure- prefix only when served over HTTPS in production; cookie name prefix is `anxin`; not tested in production mode',
    ),
  ),
  'V3.3.2': e(
    2,
    'SameSite per cookie purpose',
    review('session cookie is SameSite=Lax (src/server/modules/identity/auth.ts); no automated check'),
  ),
  'V3.3.3': e(
    2,
    '__Host- prefix',
    review('not used: cookies are named anxin.session_token; gap to close with a production cookie prefix'),
  ),
  'V3.3.4': e(
    2,
    'HttpOnly session cookie, only via Set-Cookie',
    review('HttpOnly set in auth.ts; the token never appears in a response body (review)'),
  ),
  'V3.4.1': e(
    1,
    'HSTS ≥ 1 year incl. subdomains',
    review(
      'helmet sets max-age=31536000; includeSubDomains in production only (app.ts); assure checks headers in test mode, where HSTS is off',
    ),
  ),
  'V3.4.2': e(
    1,
    'CORS allowlist',
    review('@fastify/cors with the configured origin list; no automated probe yet'),
  ),
  'V3.4.3': e(2, "CSP with object-src 'none' and base-uri", tested('assure::headers')),
  'V3.4.4': e(
    2,
    'nosniff on all responses',
    tested('assure::headers', `${AM}::security headers are present on refusals too`),
  ),
  'V3.4.5': e(2, 'Referrer-Policy', review('helmet default no-referrer; not asserted by a test')),
  'V3.4.6': e(2, 'CSP frame-ancestors', tested('assure::headers')),
  'V3.5.1': e(
    1,
    'CSRF defence when not relying on preflight',
    review(
      'SameSite=Lax cookie and JSON-only bodies (content-type application/json forces a preflight); no anti-forgery token',
    ),
  ),
  'V3.5.2': e(
    1,
    'no sensitive call without preflight',
    review(
      'JSON bodies are required on writes; multipart uploads do not preflight and rely on SameSite=Lax (review)',
    ),
  ),
  'V3.5.3': e(
    1,
    'sensitive functions not on safe methods',
    tested(`${AM}::every registered route has exactly one row, and every row a route`),
  ),
  'V3.5.4': e(
    2,
    'separate apps on separate hostnames',
    review('one application, one origin; deployment matter'),
  ),
  'V3.5.5': e(2, 'postMessage origin checks', na('the web app uses no postMessage')),
  'V3.7.1': e(2, 'only supported client technologies', review('React 18 SPA; no plugins')),
  'V3.7.2': e(
    2,
    'redirects only to allowlisted hosts',
    review('the server issues no redirects to user-supplied destinations (review)'),
  ),

  // V4 API and Web Service
  'V4.1.1': e(
    1,
    'Content-Type with charset on every body',
    review('Fastify sets application/json; charset=utf-8; not asserted across all routes yet'),
  ),
  'V4.1.2': e(
    2,
    'no transparent HTTP→HTTPS redirect for APIs',
    review('TLS terminates at the reverse proxy; deployment matter'),
  ),
  'V4.1.3': e(
    2,
    'intermediary headers cannot be spoofed',
    review(
      'TRUST_PROXY is a boolean (config.ts), off by default; an explicit proxy list is not supported yet: gap; no spoofing test',
    ),
  ),
  'V4.2.1': e(
    2,
    'HTTP message boundaries (smuggling)',
    review(
      'Node http parser rejects conflicting Content-Length/Transfer-Encoding; deployment proxy must do the same',
    ),
  ),
  'V4.3.1': e(2, 'GraphQL query limits', na(NO_GRAPHQL)),
  'V4.3.2': e(2, 'GraphQL introspection', na(NO_GRAPHQL)),
  'V4.4.1': e(
    1,
    'WSS only',
    review('the realtime WebSocket is same-origin and inherits TLS from the proxy; deployment matter'),
  ),
  'V4.4.2': e(
    2,
    'WebSocket Origin check',
    review('not verified by a test; to be checked in the realtime module'),
  ),
  'V4.4.3': e(
    2,
    'WebSocket session tokens',
    review('the WebSocket uses the standard session cookie, so this is satisfied by design (review)'),
  ),
  'V4.4.4': e(
    2,
    'WebSocket token from the HTTPS session',
    review('the upgrade request carries the session cookie (review)'),
  ),

  // V5 File Handling
  'V5.1.1': e(
    2,
    'permitted file types and sizes documented',
    review(
      'docs/architecture.md lists JPEG/PNG/PDF and the 5 MB limit; malicious-file behaviour (AV) not documented',
    ),
  ),
  'V5.2.1': e(
    1,
    'size limits',
    tested(
      `${UP}::a file over the limit with FILE_TOO_LARGE, before looking at its type`,
      `${WK}::a renamed executable is 415 and an oversized file 413; nothing stored`,
    ),
  ),
  'V5.2.2': e(
    1,
    'extension and magic bytes match',
    tested(
      `${UP}::detects a JPEG declared as a PDF as a JPEG: the name and declared type are never consulted`,
      `${ORGS}::licence upload: PNG and PDF accepted by content; a renamed executable and oversize refused`,
    ),
  ),
  'V5.2.3': e(
    2,
    'compressed files checked before unpacking',
    tested(
      'src/server/platform/storage/__tests__/strip-documents.test.ts::too many entries, too much unpacked and ratio bombs are refused before anything is inflated',
      'src/server/modules/content/__tests__/document-metadata.db.test.ts::damaged and encrypted PDFs (422) and zip bombs (413) are refused; nothing is stored',
    ),
  ),
  'V5.3.1': e(
    1,
    'uploads never executed',
    review(
      'files are stored outside the web root under generated keys and streamed with their detected type (review)',
    ),
  ),
  'V5.3.2': e(1, 'file paths from trusted data', tested(`${LS}::allows keys up to the documented lengths`)),
  'V5.4.1': e(
    2,
    'Content-Disposition with a server-chosen name',
    review('document downloads set attachment with a generated name (review); no test asserts the header'),
  ),
  'V5.4.2': e(
    2,
    'served file names encoded',
    review('file names are generated ASCII, never user-supplied (review)'),
  ),
  'V5.4.3': e(
    2,
    'antivirus scanning',
    tested(
      `${AV}::a clean file is OK; the EICAR test file is FOUND with its signature name`,
      `${AV}::clean bytes are stored; EICAR is FILE_INFECTED (422), nothing stored, the event has signature and size only`,
      `${AV}::scanner down or hung → ANTIVIRUS_UNAVAILABLE (503, Retry-After), nothing stored`,
      `${AVU}::a clean file is stored; EICAR is refused 422 FILE_INFECTED with no row and no file`,
      `${AVU}::clamd stopped: every upload is 503 ANTIVIRUS_UNAVAILABLE with Retry-After, nothing stored; /readyz is 503`,
      'assure::pii',
    ),
  ),

  // V6 Authentication
  'V6.1.1': e(
    1,
    'brute-force controls documented',
    review('docs/architecture.md: 5 failures lock 15 min per account, per-IP rate limits on sign-in and OTP'),
  ),
  'V6.1.2': e(
    2,
    'context-specific words documented',
    review(
      'src/shared/password.ts lists anxin/jiazheng words among common passwords; not a separate documented list',
    ),
  ),
  'V6.1.3': e(
    2,
    'all authentication pathways documented',
    review(
      'password and SMS code sign-in, SMS reset, company-entered worker confirmation (docs/architecture.md)',
    ),
  ),
  'V6.2.1': e(1, 'minimum 8 characters', tested(`${ID}::weak password %j is refused and nothing is stored`)),
  'V6.2.2': e(
    1,
    'users can change their password',
    tested(`${SS}::password change: other sessions get 401, this one stays, the new password works`),
  ),
  'V6.2.3': e(
    1,
    'change requires current and new password',
    tested(`${SS}::password change: other sessions get 401, this one stays, the new password works`),
  ),
  'V6.2.4': e(
    1,
    'top-3000 common passwords refused',
    tested(
      `${PWP}::is loaded once, lower-cased, with at least the top 10,000 entries`,
      `${PWB}::registration with %j is refused with PASSWORD_BREACHED and nothing is stored`,
    ),
  ),
  'V6.2.5': e(
    1,
    'no composition rules',
    review(
      'deliberate deviation: letters + digits required (等保 L3-CES1-01 complexity); recorded in docs/security.md',
    ),
  ),
  'V6.2.6': e(
    1,
    'type=password inputs',
    review(
      'password fields use antd Input.Password (src/web/features/identity/components/fields.tsx) (review)',
    ),
  ),
  'V6.2.7': e(1, 'paste and password managers allowed', review('no paste blocking in the web app (review)')),
  'V6.2.8': e(
    1,
    'password verified exactly as received',
    review('no trimming or case folding before hashing (review of identity module)'),
  ),
  'V6.2.9': e(
    2,
    'passwords of ≥ 64 characters allowed',
    review('maximum is 128 characters (src/shared/password.ts); no test at 64'),
  ),
  'V6.2.10': e(
    2,
    'no forced periodic rotation',
    review(
      'no expiry implemented; the mlps3 profile with expiry for password-only accounts is planned (docs/security.md)',
    ),
  ),
  'V6.2.11': e(
    2,
    'context-specific words refused',
    tested(
      `${PWS}::refuses the phone number and the phone number reversed`,
      `${PWP}::the packaged Chinese and context list is refused as breached too`,
      `${PWB}::registration with the phone number reversed is refused and nothing is stored`,
    ),
  ),
  'V6.2.12': e(
    2,
    'breached-password check',
    tested(
      `${PWP}::compares case-insensitively`,
      `${PWP}::refuses the breached %j with PASSWORD_BREACHED`,
      `${PWB}::registration with %j is refused with PASSWORD_BREACHED and nothing is stored`,
      `${PWB}::a password change to a breached password is refused and the password is unchanged`,
      `${PWB}::a password reset to a breached password is refused and the old password still works`,
      `${PWB}::an account created for someone (admin tools, partners) refuses a breached password`,
    ),
  ),
  'V6.3.1': e(
    1,
    'credential stuffing / brute force defences',
    tested(
      `${ID}::five wrong passwords lock sign-in even with the right password`,
      `${ID}::five wrong codes lock the number; the lock lifts after 15 minutes`,
      `${MN}::a lock earned on node A holds on node B`,
    ),
  ),
  'V6.3.2': e(
    1,
    'no default accounts',
    review(
      'no built-in accounts; the demo seed runs only when SEED_DEMO allows it, never in production (review)',
    ),
  ),
  'V6.3.3': e(
    2,
    'MFA for access',
    tested(
      `${SS}::regulator: a password-only session is refused with MFA_REQUIRED until the SMS code is confirmed`,
      `${SS}::platform_admin: a password-only session is refused with MFA_REQUIRED until the SMS code is confirmed`,
      `${SS}::an SMS-code sign-in cannot be both factors: MFA roles must start with the password`,
      `${TOTPR}::past grace: only enrolment and sign-out work; enrolling lifts the restriction in the same session`,
      `${WA}::password, then the key: the session rotates, the role counts, the key is marked used`,
      `${WA}::wrong origin, wrong challenge and wrong RP id are refused and audited; the session stays pending`,
      `${WA}::another account's key does not complete this account's MFA step`,
      'assure::auth',
    ),
  ),
  'V6.3.4': e(
    2,
    'no undocumented authentication pathways',
    tested(`${AM}::a route without an authz rule stops the app from starting`, 'assure::inventory'),
  ),
  'V6.4.1': e(
    1,
    'initial secrets random, short-lived',
    review(
      'company-entered workers get a random 6-digit SMS confirmation code with an expiry; no initial passwords are issued',
    ),
  ),
  'V6.4.2': e(1, 'no password hints or secret questions', review('none exist (review)')),
  'V6.4.3': e(
    2,
    'secure reset without bypassing MFA',
    tested(
      `${TOTP}::a regulator signs in with password + TOTP; no SMS is sent and SMS is refused; a used code is refused`,
      `${TOTPR}::past grace: only enrolment and sign-out work; enrolling lifts the restriction in the same session`,
      `${TOTPR}::needs the admin’s own authenticator code and a reason; ends the sessions; the person must enrol at next sign-in`,
    ),
  ),
  'V6.4.4': e(
    2,
    'lost MFA factor requires identity proofing',
    tested(
      `${TOTPR}::needs the admin’s own authenticator code and a reason; ends the sessions; the person must enrol at next sign-in`,
      `${TOTPR}::a current code replaces all ten at once; old ones stop working; the count of unused ones is shown`,
    ),
  ),
  'V6.5.1': e(
    2,
    'OTPs single-use',
    tested(
      `${ID}::sign-in with an SMS code`,
      `${SS}::regulator: a password-only session is refused with MFA_REQUIRED until the SMS code is confirmed`,
      `${TOTP}::a regulator signs in with password + TOTP; no SMS is sent and SMS is refused; a used code is refused`,
      `${TOTP}::a recovery code passes the step once; the count goes down; a used one is refused`,
      `${WA}::a replayed assertion is refused (challenge spent), and so is a counter that went backwards`,
    ),
  ),
  'V6.5.2': e(
    2,
    'low-entropy secrets hashed',
    review(
      'MFA codes are stored only as a keyed HMAC bound to the session (asserted in sessions.db.test.ts); sign-in/reset SMS codes are stored by better-auth; worker confirmation codes as keyed HMAC (workers.service.ts)',
    ),
  ),
  'V6.5.3': e(2, 'codes from a CSPRNG', review('node:crypto randomInt for codes (review)')),
  'V6.5.4': e(2, 'codes ≥ 20 bits of entropy', review('6 random digits (~20 bits) (review)')),
  'V6.5.5': e(
    2,
    'out-of-band codes live ≤ 10 minutes',
    tested(`${SS}::a code older than 10 minutes is refused`),
  ),
  'V6.6.1': e(
    2,
    'SMS OTP only to validated numbers, stronger option offered',
    tested(
      `${TOTP}::start shows the secret once (text, otpauth URI, QR); a wrong code stores nothing; a right one enrols with 10 recovery codes`,
      `${TOTP}::a regulator signs in with password + TOTP; no SMS is sent and SMS is refused; a used code is refused`,
      `${TOTPR}::within grace: SMS sign-in works, every response of /auth/me carries the deadline, stamped once`,
      `${WA}::a regulator adds a key: listed, audited without key material; SMS is no longer its second factor`,
      `${WA}::a key meets the requirement: no deadline; its last key cannot be removed`,
    ),
  ),
  'V6.6.2': e(
    2,
    'codes bound to their request',
    review(
      'MFA codes are bound to the session that signed in with the password (tested: a resent code replaces the old one); other codes are per phone and purpose (review)',
    ),
  ),
  'V6.6.3': e(
    2,
    'code brute force rate-limited',
    tested(
      `${ID}::five wrong codes lock the number; the lock lifts after 15 minutes`,
      `${SS}::five wrong codes lock MFA for the account and end the session`,
      `${SS}::the code is resent at most once a minute; a resent code replaces the old one`,
    ),
  ),
  'V6.8.1': e(2, 'IdP identity spoofing', na(NO_IDP)),
  'V6.8.2': e(2, 'assertion signatures validated', na(NO_IDP)),
  'V6.8.3': e(2, 'SAML replay', na(NO_IDP)),
  'V6.8.4': e(2, 'IdP authentication strength', na(NO_IDP)),

  // V7 Session Management
  'V7.1.1': e(
    2,
    'timeouts documented',
    review(
      'docs/security.md "Sessions and MFA": idle 30 min / absolute 12 h for regulator and admin, idle 2 h / absolute 7 days for others (config SESSION_*); figures printed by assure::auth',
    ),
  ),
  'V7.1.2': e(
    2,
    'concurrent sessions documented',
    review('unlimited concurrent sessions per account; to document'),
  ),
  'V7.1.3': e(2, 'federated sessions documented', na(NO_IDP)),
  'V7.2.1': e(
    1,
    'session verification at the backend',
    tested(
      `${ID}::a forged cookie is refused`,
      `${MN}::a session created on node A is valid on node B, and logout on B ends it on A`,
    ),
  ),
  'V7.2.2': e(1, 'dynamic session tokens', tested(`${ID}::logout ends the session`)),
  'V7.2.3': e(
    1,
    'reference tokens ≥ 128 bits from a CSPRNG',
    review('better-auth generates random session tokens (review of library)'),
  ),
  'V7.2.4': e(
    1,
    'new token on authentication',
    tested(
      `${SS}::regulator: a password-only session is refused with MFA_REQUIRED until the SMS code is confirmed`,
      `${SS}::platform_admin: a password-only session is refused with MFA_REQUIRED until the SMS code is confirmed`,
      'assure::auth',
    ),
  ),
  'V7.3.1': e(
    2,
    'inactivity timeout',
    tested(
      `${SS}::a resident idle for more than 2 hours gets 401 SESSION_EXPIRED and the session row is gone`,
      `${SS}::a regulator is signed out after 30 idle minutes, and after 12 hours however active`,
      'assure::auth',
    ),
  ),
  'V7.3.2': e(
    2,
    'absolute session lifetime',
    tested(
      `${ID}::an expired session is refused`,
      `${SS}::activity keeps a resident signed in, but never past 7 days`,
      `${SS}::a regulator is signed out after 30 idle minutes, and after 12 hours however active`,
      'assure::auth',
    ),
  ),
  'V7.4.1': e(
    1,
    'terminated sessions unusable',
    tested(
      `${ID}::logout ends the session`,
      `${MN}::a session created on node A is valid on node B, and logout on B ends it on A`,
      `${SS}::logout: the confirmed regulator cookie gets 401 afterwards`,
      'assure::auth',
    ),
  ),
  'V7.4.2': e(
    1,
    'sessions end when the account is disabled',
    tested(
      `${ID}::a disabled account loses its sessions at once and cannot sign in`,
      `${SS}::disable: every session of the admin gets 401 at once`,
    ),
  ),
  'V7.4.3': e(
    2,
    'option to end other sessions after credential change',
    tested(
      `${ID}::password reset signs out every session and the new password works`,
      `${SS}::password change: other sessions get 401, this one stays, the new password works`,
      'assure::auth',
    ),
  ),
  'V7.4.4': e(
    2,
    'visible logout',
    review('the app shell has a sign-out action on every signed-in page (review)'),
  ),
  'V7.4.5': e(
    2,
    'admins can end a user’s sessions',
    tested(
      `${ID}::a disabled account loses its sessions at once and cannot sign in`,
      `${SOD}::end sessions: the account is signed out everywhere, and it is audited`,
    ),
  ),
  'V7.5.1': e(
    2,
    're-authentication before changing the phone number',
    review('the phone number cannot be changed in the app today; to enforce when added'),
  ),
  'V7.5.2': e(
    2,
    'users view and end their sessions',
    tested(
      `${ACCT}::lists every live session with device, masked IP and "this device"; never the token or full IP`,
      `${ACCT}::signing out one other session: it gets 401, this one stays, the action is audited`,
      `${ACCT}::sign out all others: every other session gets 401, this one stays, the count is audited`,
    ),
  ),
  'V7.6.1': e(2, 'RP/IdP session lifetimes', na(NO_IDP)),
  'V7.6.2': e(2, 'session creation needs user action', na(NO_IDP)),

  // V8 Authorization
  'V8.1.1': e(
    1,
    'function and data access rules documented',
    tested(`${AM}::each principal is allowed or refused exactly as the matrix says`, 'assure::authz'),
  ),
  'V8.1.2': e(
    2,
    'field-level rules documented',
    review(
      'field policies per role live in each module’s view functions and docs; the matrix has no field policy column yet',
    ),
  ),
  'V8.2.1': e(
    1,
    'function-level access',
    tested(
      `${AM}::each principal is allowed or refused exactly as the matrix says`,
      `${AM}::a route without an authz rule stops the app from starting`,
      `${SOD}::platform_admin: 403 on accounts, grants and the audit log; audit_admin cannot grant; security_admin cannot read the log`,
      `${SOD}::one account never holds two of system/security/audit admin: 409 ROLE_DUTIES_SEPARATED, nothing stored`,
      'assure::authz',
    ),
  ),
  'V8.2.2': e(
    1,
    'object-level access (BOLA/IDOR)',
    tested(
      `${ORD}::another company, another resident and an unassigned worker get 404; a regulator sees but cannot act`,
      `${CAT}::isolation: a company edits and lists only its own price list (404 for another, nothing stored)`,
      `${EF}::valid, masked, then tampered, revoked and expired links are the same 404`,
    ),
  ),
  'V8.2.3': e(
    2,
    'field-level access (BOPLA)',
    tested(
      `${WK}::each role sees what it needs: full ID for worker and regulator, masked for the employer, 404 otherwise`,
      'assure::bopla',
    ),
  ),
  'V8.3.1': e(1, 'authorization enforced on the server', tested('assure::authz')),
  'V8.3.2': e(
    3,
    'authorization changes apply at once',
    tested(`${ID}::a disabled account loses its sessions at once and cannot sign in`),
  ),
  'V8.4.1': e(
    2,
    'cross-tenant controls',
    tested(
      `${ORGS}::a company admin invites staff; staff accept, decline; admin lists and ends memberships; cross-company 404`,
      `${CAT}::isolation: a company edits and lists only its own price list (404 for another, nothing stored)`,
    ),
  ),

  // V9 Self-contained Tokens
  'V9.1.1': e(1, 'token signature validated', na(NO_JWT)),
  'V9.1.2': e(1, 'algorithm allowlist', na(NO_JWT)),
  'V9.1.3': e(1, 'trusted key sources', na(NO_JWT)),
  'V9.2.1': e(1, 'nbf/exp validated', na(NO_JWT)),
  'V9.2.2': e(2, 'token type checked', na(NO_JWT)),
  'V9.2.3': e(2, 'audience checked', na(NO_JWT)),
  'V9.2.4': e(2, 'audience restriction on shared keys', na(NO_JWT)),

  // V10 OAuth and OIDC (not applicable yet)
  ...Object.fromEntries(
    expand('V10.1.1-2 V10.2.1-2 V10.3.1-4 V10.4.1-11 V10.5.1-5 V10.6.1-2 V10.7.1-3').map((id) => [
      id,
      e(/^V10\.4\.[1-5]$/.test(id) ? 1 : 2, 'OAuth / OIDC', na(NO_OAUTH)),
    ]),
  ),

  // V11 Cryptography
  'V11.1.1': e(
    2,
    'key management policy',
    review('docs/security.md records key sources and rotation; no NIST SP 800-57 style policy yet'),
  ),
  'V11.1.2': e(
    2,
    'cryptographic inventory',
    review(
      'docs/security.md lists AES-256-GCM (PII), HMAC-SHA256 (blind index, QR tokens), SHA-256 (audit chain), scrypt (passwords)',
    ),
  ),
  'V11.2.1': e(
    2,
    'industry-validated implementations',
    review('node:crypto (OpenSSL) only; no hand-rolled primitives (review)'),
  ),
  'V11.2.2': e(
    2,
    'crypto agility',
    tested(
      `${PII}::decrypts old tokens with the retired key and writes new ones with the current key`,
      `${PII}::says which tokens need re-encryption`,
      `${CERT}::token verifies, survives rotation, dies with its retired key; the card is re-keyed`,
      'test/crypto-switch.db.test.ts::intl → gm: lookups work during and after, nothing of intl is left, a second run changes nothing, and back',
      'test/pii-rotation.db.test.ts::`npm run crypto:switch -- --to <current profile>` reseals the retired version tokens with the current key',
      'test/assure-pii.db.test.ts::a reseal that leaves a token on v1 is named: the token, its column, the canary read and the route',
      'assure::pii',
      'src/server/platform/audit/__tests__/audit-hash-alg.db.test.ts::a chain that switches from SHA-256 to SM3 and back verifies end to end',
    ),
  ),
  'V11.2.3': e(
    2,
    '≥ 128-bit security',
    tested(`${PII}::writes the format, key version, 12-byte IV, 16-byte tag and ciphertext`),
  ),
  'V11.3.1': e(
    1,
    'no ECB / weak padding',
    tested(`${PII}::writes the format, key version, 12-byte IV, 16-byte tag and ciphertext`),
  ),
  'V11.3.2': e(
    1,
    'approved ciphers (AES-GCM)',
    tested(`${PII}::writes the format, key version, 12-byte IV, 16-byte tag and ciphertext`),
  ),
  'V11.3.3': e(
    2,
    'authenticated encryption',
    tested(
      `${PII}::detects a ciphertext moved under another IV and tag`,
      `${PII}::decrypts only with the same associated data`,
      `${PII}::detects truncated and extended ciphertext`,
    ),
  ),
  'V11.4.1': e(
    1,
    'approved hash functions only',
    review('SHA-256 and HMAC-SHA256 in src/server (review); no MD5/SHA-1 for security purposes'),
  ),
  'V11.4.2': e(
    2,
    'passwords with a slow KDF',
    review(
      'better-auth hashes passwords with scrypt (src/server/modules/identity/auth.ts); parameters are the library defaults (review)',
    ),
  ),
  'V11.4.3': e(
    2,
    'collision-resistant hashes ≥ 256 bits for integrity',
    tested(
      `${AUD}::rows link into a chain that verifies`,
      `${AUD}::a tampered row is found and named`,
      `${QR}::tampered payload, signature or kid is refused`,
    ),
  ),
  'V11.4.4': e(
    2,
    'KDF for keys derived from passwords',
    na('no keys are derived from passwords; keys come from configuration'),
  ),
  'V11.5.1': e(
    2,
    'CSPRNG with ≥ 128 bits for secrets',
    tested(`${PII}::never repeats a token or an IV for the same plaintext`),
  ),
  'V11.6.1': e(
    2,
    'approved public-key algorithms',
    tested(
      'src/server/platform/crypto-sign/__tests__/sm2.test.ts::GM/T 0003.5 A.2 on the recommended curve',
      'src/server/platform/crypto-sign/__tests__/signer.test.ts::sign → verify round trip',
      'src/server/platform/crypto-sign/__tests__/signer.test.ts::openssl verifies our signature and we verify its signature',
    ),
  ),

  // V12 Secure Communication (deployment)
  'V12.1.1': e(
    1,
    'TLS 1.2+ only',
    review('deployment: TLS terminates at the reverse proxy (docs/security.md)'),
  ),
  'V12.1.2': e(2, 'recommended cipher suites', review('deployment: proxy configuration')),
  'V12.1.3': e(2, 'mTLS client certificates validated', na('no mTLS client authentication')),
  'V12.2.1': e(
    1,
    'TLS for external-facing services',
    review('deployment: HSTS is on in production (app.ts); TLS at the proxy'),
  ),
  'V12.2.2': e(1, 'publicly trusted certificates', review('deployment: handled outside the application')),
  'V12.3.1': e(
    2,
    'TLS for all inbound/outbound incl. database',
    review(
      'the PostgreSQL profile must use sslmode=verify-full in production; PGlite is in-process; not enforced by code yet',
    ),
  ),
  'V12.3.2': e(
    2,
    'TLS clients validate certificates',
    review('node-postgres with sslmode=verify-full when configured (deployment)'),
  ),
  'V12.3.3': e(2, 'TLS between internal HTTP services', na('a modular monolith: no internal HTTP services')),
  'V12.3.4': e(2, 'trusted certificates internally', na('a modular monolith: no internal HTTP services')),

  // V13 Configuration
  'V13.1.1': e(
    2,
    'communication needs documented',
    review('database, SMS gateway and the browser only (docs/architecture.md)'),
  ),
  'V13.2.1': e(
    2,
    'backend components authenticate without static passwords',
    review(
      'PostgreSQL uses a connection string credential; deployment should use short-lived credentials: gap',
    ),
  ),
  'V13.2.2': e(
    2,
    'least-privilege backend accounts',
    review('the application role needs only DML plus migrations; a separate migration role is not yet split'),
  ),
  'V13.2.3': e(
    2,
    'no default credentials for services',
    review('production refuses missing PII/auth secrets (config.ts); PostgreSQL credentials are deployment'),
  ),
  'V13.2.4': e(
    2,
    'allowlist of outbound destinations',
    tested(
      'assure::egress',
      'src/server/platform/net/__tests__/egress.test.ts::a host not on the list is refused before connecting; the log has no path or query',
      'src/server/platform/net/__tests__/egress.test.ts::no fetch, http(s).request, net/tls connect or undici outside platform/net in server code',
      'src/server/modules/partners/__tests__/egress.db.test.ts::a subscription to a host not on the list is refused (422) and stores nothing',
    ),
  ),
  'V13.2.5': e(
    2,
    'server allowlist for requests/loads',
    tested(
      'assure::egress',
      'src/server/platform/net/__tests__/egress.test.ts::a redirect to a host not on the list is refused before the hop is connected',
      'src/server/modules/partners/__tests__/egress.db.test.ts::a delivery to a host no longer on the list is refused before connecting; a listed one is delivered',
    ),
  ),
  'V13.3.1': e(
    2,
    'secrets management',
    review(
      'secrets come from the environment; production refuses to start without them (config.ts); no vault integration',
    ),
  ),
  'V13.3.2': e(2, 'least privilege for secrets', review('deployment: handled outside the application')),
  'V13.3.3': e(
    3,
    'crypto in an isolated module (KMS/HSM)',
    review('deployment: keys in a KMS/密码机 for the L3 GM profile; not implemented'),
  ),
  'V13.4.1': e(
    1,
    'no source-control metadata deployed',
    review('the static server serves only the built dist/ (review)'),
  ),
  'V13.4.2': e(
    2,
    'debug modes off in production',
    review(
      'production requires real secrets (config.ts) but does not refuse LOG_LEVEL=debug: gap; no production-mode test',
    ),
  ),
  'V13.4.3': e(2, 'no directory listings', review('@fastify/static with listing off (review)')),
  'V13.4.4': e(2, 'TRACE not supported', tested('assure::headers')),
  'V13.4.5': e(
    2,
    'documentation and monitoring endpoints not exposed',
    tested(
      'test/hardening.db.test.ts::OpenAPI UI and JSON, /metrics and the dev SMS endpoints answer 404; /healthz still works',
      'test/hardening.db.test.ts::with METRICS_TOKEN set, /metrics needs it',
    ),
  ),

  // V14 Data Protection
  'V14.1.1': e(
    2,
    'sensitive data identified and classified',
    tested(
      `${DI}::every column whose name looks personal has an entry (unclassified = 0)`,
      'assure::inventory',
    ),
  ),
  'V14.1.2': e(
    2,
    'protection requirements per level',
    tested(
      `${DI}::encrypted columns are named *_enc and hashed ones *_hash; sensitive data is never stored plain unless it is a search point`,
    ),
  ),
  'V14.2.1': e(
    1,
    'no sensitive data in URLs',
    review(
      'ID numbers and phones travel in bodies; share links carry an opaque token (review; the pii suite scans responses, not access logs of URLs)',
    ),
  ),
  'V14.2.2': e(2, 'no caching in server components', tested('assure::headers')),
  'V14.2.3': e(
    2,
    'no data to untrusted parties (trackers)',
    review('no third-party scripts; CSP default-src self; no bundle scan for external URLs yet'),
  ),
  'V14.2.4': e(
    2,
    'protection controls implemented per level',
    tested('assure::pii', `${PII}::does not reveal the plaintext in the token`),
  ),
  'V14.2.6': e(
    3,
    'minimum sensitive data, masked',
    tested(
      `${WK}::each role sees what it needs: full ID for worker and regulator, masked for the employer, 404 otherwise`,
      `${MASK}::hides the birth date of generated numbers`,
      'assure::pii',
    ),
  ),
  'V14.2.7': e(
    3,
    'retention enforced automatically',
    tested(
      'assure::retention',
      'src/server/modules/identity/__tests__/retention.db.test.ts::removes sessions and one-time codes only once they have expired',
      'src/server/modules/orgs/__tests__/retention.db.test.ts::removes invitations a year after their answer or expiry, never a pending or younger one',
    ),
  ),
  'V14.2.8': e(
    3,
    'metadata stripped from uploads',
    tested(
      'src/server/platform/storage/__tests__/strip-metadata.test.ts::Exif (GPS), XMP, IPTC, comments and a trailer are removed; everything else is byte-identical',
      'src/server/modules/workers/__tests__/upload-metadata.db.test.ts::an ID photo (JPEG with Exif GPS, XMP, IPTC, comment, trailer) is stored clean and still a valid image',
      'src/server/platform/storage/__tests__/image-hygiene.test.ts::the app hands every module one storage, wrapped; nothing else creates a storage',
      'src/server/modules/messaging/__tests__/messaging-metadata.db.test.ts::a JPEG with Exif GPS and a PNG with text chunks come back clean with the same pixels',
      'src/server/modules/feedback/__tests__/feedback-metadata.db.test.ts::complaint evidence (JPEG with Exif GPS, PNG with text chunks) is served clean with the same pixels',
      'src/server/platform/storage/__tests__/strip-documents.test.ts::Info, catalog and page XMP, PieceInfo and the embedded JPEG EXIF are gone; the page and the image remain',
      'src/server/modules/content/__tests__/document-metadata.db.test.ts::a DOCX: no creator, company, custom properties or comment authors; the document part is byte-identical',
      'src/server/modules/training/__tests__/lesson-metadata.db.test.ts::an MP4 keeps its size, boxes and media data; udta/meta (©xyz GPS, ©nam) are gone',
      'src/server/platform/storage/__tests__/image-hygiene.test.ts::bytes from prepareUpload or storableBytes are stored without a second parse; raw bytes are still stripped',
      'assure::pii',
    ),
  ),
  'V14.3.1': e(
    1,
    'client storage cleared after the session',
    review('the web keeps data only in memory (TanStack Query cache cleared on sign-out) (review)'),
  ),
  'V14.3.2': e(2, 'Cache-Control: no-store', tested('assure::headers')),
  'V14.3.3': e(
    2,
    'nothing sensitive in browser storage',
    review(
      'only language and layout preferences are kept in localStorage (src/web/shared/prefs.ts); no browser test yet',
    ),
  ),

  // V15 Secure Coding and Architecture
  'V15.1.1': e(
    1,
    'remediation time frames for vulnerable components',
    review(
      'assure::supply runs npm audit and reports the registry refusing it (405); a remediation policy is stated in docs/security.md',
    ),
  ),
  'V15.1.2': e(2, 'SBOM and trusted repositories', tested('assure::supply')),
  'V15.1.3': e(
    2,
    'resource-demanding functionality documented',
    review('PDF export, password hashing and uploads are rate-limited; to document in one place'),
  ),
  'V15.2.1': e(
    1,
    'components within remediation time frames',
    review('no automated audit possible here (see V15.1.1)'),
  ),
  'V15.2.2': e(
    2,
    'defences against resource exhaustion',
    tested(
      `${ID}::sign-in attempts from one IP are cut off with 429 before any password is checked`,
      `${ID}::malformed JSON is a 400 problem, an oversized body a 413, never a 500`,
      'assure::load',
    ),
  ),
  'V15.2.3': e(
    2,
    'no extraneous functionality in production',
    review('the demo seed and dev SMS sink are off in production (config.ts); no production-mode test'),
  ),
  'V15.3.1': e(
    1,
    'only required fields returned',
    tested(
      `${WK}::each role sees what it needs: full ID for worker and regulator, masked for the employer, 404 otherwise`,
      `${CERT}::own card shows the full name; company and regulator get masked; strangers 404`,
    ),
  ),
  'V15.3.2': e(
    2,
    'no redirects followed on outbound calls',
    na('the backend makes no outbound HTTP calls to external URLs today'),
  ),
  'V15.3.3': e(
    2,
    'mass assignment',
    tested('assure::bopla', `${ID}::unknown fields are refused with the field named`),
  ),
  'V15.3.4': e(
    2,
    'trusted client IP',
    tested(
      'test/hardening.db.test.ts::TRUST_PROXY as a list: X-Forwarded-For is believed only from the listed proxies',
      'test/hardening.db.test.ts::TRUST_PROXY: booleans as before, or a list of addresses and CIDRs; anything else refused',
    ),
  ),
  'V15.3.5': e(2, 'strict types', tested('assure::fuzz')),
  'V15.3.6': e(
    2,
    'prototype pollution',
    review(
      'Fastify onProtoPoisoning/onConstructorPoisoning error; zod strict objects; fuzz sends random keys but not __proto__ specifically',
    ),
  ),
  'V15.3.7': e(
    2,
    'HTTP parameter pollution',
    review('zod query schemas reject arrays where scalars are expected (review); no dedicated probe'),
  ),
  'V15.4.2': e(
    3,
    'atomic check-then-act',
    tested(
      `${ORD}::two concurrent accepts of overlapping orders for one worker: exactly one wins`,
      `${IDEM}::a retry while the first is still running gets 409`,
      'assure::idempotency',
    ),
  ),

  // V16 Security Logging and Error Handling
  'V16.1.1': e(
    2,
    'log inventory',
    review(
      'audit_log (append-only, hash-chained) and pino request logs; documented in docs/architecture.md; retention not enforced',
    ),
  ),
  'V16.2.1': e(
    2,
    'who/what/when/where in each entry',
    tested(`${AUD}::rows link into a chain that verifies`, 'assure::audit-trail'),
  ),
  'V16.2.2': e(2, 'UTC timestamps', review('timestamptz everywhere; pino epoch timestamps (review)')),
  'V16.2.3': e(2, 'logs only to documented sinks', review('stdout (pino) and the audit_log table (review)')),
  'V16.2.4': e(2, 'common log format', review('pino JSON lines (review)')),
  'V16.2.5': e(2, 'sensitive data not logged', tested('assure::pii')),
  'V16.3.1': e(
    2,
    'authentication events logged',
    tested(`${ID}::every request above left a verifiable audit chain`, 'assure::audit-trail'),
  ),
  'V16.3.2': e(
    2,
    'failed authorization logged',
    tested(`${AM}::a signed-in caller refused at the door leaves an audit row`),
  ),
  'V16.3.3': e(
    2,
    'security events and bypass attempts logged',
    review('refusals at the door are audited; validation failures are logged by pino only, not audited'),
  ),
  'V16.3.4': e(
    2,
    'unexpected errors logged',
    review('the error handler logs every 5xx with the request id (review)'),
  ),
  'V16.4.1': e(2, 'log injection prevented', review('pino JSON-encodes every field (review)')),
  'V16.4.2': e(
    2,
    'logs protected from modification',
    tested(
      `${AUD}::UPDATE and DELETE are refused by the database`,
      `${AUD}::a tampered row is found and named`,
      'assure::audit',
    ),
  ),
  'V16.4.3': e(
    2,
    'logs sent to a separate system',
    review(
      'deployment: ship pino output off-host; signed audit anchors go to an HTTPS receiver (AUDIT_ANCHOR_URL, https-sink.db.test.ts) and/or a directory shipped off-host',
    ),
  ),
  'V16.5.1': e(
    2,
    'generic error messages',
    tested(
      'assure::fuzz',
      `${WEBAPI}::turns a problem+json body into an ApiError with code, status and the localized message`,
    ),
  ),
  'V16.5.2': e(2, 'secure operation when resources fail', tested('assure::faults')),
  'V16.5.3': e(
    2,
    'fail securely, no fail-open',
    tested(
      `${AUD}::an audit row written in a rolled-back transaction disappears with the change`,
      'assure::fuzz',
      'assure::audit-trail',
    ),
  ),
  'V16.5.4': e(
    3,
    'last-resort error handler',
    review('Fastify setErrorHandler maps unknown errors to a generic 500 with the request id (review)'),
  ),

  // V17 WebRTC (not applicable)
  'V17.1.1': e(2, 'TURN reserved addresses', na(NO_WEBRTC)),
  'V17.2.1': e(2, 'DTLS key management', na(NO_WEBRTC)),
  'V17.2.2': e(2, 'DTLS cipher suites', na(NO_WEBRTC)),
  'V17.2.3': e(2, 'SRTP authentication', na(NO_WEBRTC)),
  'V17.2.4': e(2, 'malformed SRTP', na(NO_WEBRTC)),
  'V17.3.1': e(2, 'signaling flood', na(NO_WEBRTC)),
  'V17.3.2': e(2, 'malformed signaling', na(NO_WEBRTC)),
};

/** Counts by status, for the assure line and docs/security.md. */
export function asvsCounts(ids: string[] = requiredAsvsIds) {
  const c = { requirements: ids.length, tested: 0, review: 0, na: 0, missing: 0 };
  for (const id of ids) {
    const entry = asvsChecklist[id];
    if (!entry) c.missing++;
    else if (entry.status === 'tested') c.tested++;
    else if (entry.status === 'review') c.review++;
    else c.na++;
  }
  return c;
}

/** Every evidence reference that does not resolve: a missing file, or a file without the named test title. */
export function danglingRefs(): string[] {
  const bad: string[] = [];
  const cache = new Map<string, string | null>();
  for (const [id, entry] of Object.entries(asvsChecklist)) {
    if (entry.status !== 'tested') continue;
    for (const ref of entry.tests) {
      const sep = ref.indexOf('::');
      const file = ref.slice(0, sep);
      const title = ref.slice(sep + 2);
      if (sep < 1 || !title) {
        bad.push(`${id}: malformed reference ${ref}`);
        continue;
      }
      if (file === 'assure') {
        if (!(suiteNames as readonly string[]).includes(title)) bad.push(`${id}: no assure suite ${title}`);
        continue;
      }
      if (!cache.has(file)) cache.set(file, existsSync(file) ? readFileSync(file, 'utf8') : null);
      const text = cache.get(file);
      if (text === null) bad.push(`${id}: no file ${file}`);
      else if (!text!.includes(title)) bad.push(`${id}: ${file} has no test "${title}"`);
    }
  }
  return bad;
}
