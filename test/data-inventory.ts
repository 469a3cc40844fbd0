/**
 * The personal-data inventory (PIPL Art 5–9, 13, 28; GB/T 35273 §5–6; 等保 L3-CES1-11): every column that holds
 * or may identify a person → class, purpose, legal basis, retention, how it is protected at rest and how it is shown.
 * Reviewed on its own; `data-inventory.test.ts` fails when a column that looks personal (by name) is missing here,
 * or an entry names a column that no longer exists. Columns that match the name patterns but hold no personal data
 * are listed with `personal: false` and the reason.
 *
 * Classes: `public` (published on purpose), `internal` (personal, ordinary), `sensitive` (敏感个人信息: ID numbers,
 * health, criminal records, whereabouts, minors, credentials), `restricted` (secrets that unlock other data).
 */
export type DataClass = 'public' | 'internal' | 'sensitive' | 'restricted';
export type LegalBasis =
  | 'consent' // Art 13(1); sensitive PI with separate consent (Art 29)
  | 'contract' // Art 13(2): needed to make or perform a contract the person is party to
  | 'legal_duty' // Art 13(3): statutory duties (网络安全法 logs, 电子商务法 records, 家政服务 regulations)
  | 'public_disclosure' // Art 13(6): information the person or a public register disclosed (companies, licences)
  | 'n/a';
export type AtRest = 'aes-256-gcm' | 'keyed-hash' | 'hash' | 'scrypt' | 'plain';

export interface PersonalColumn {
  personal: true;
  class: DataClass;
  purpose: string;
  basis: LegalBasis;
  retention: string;
  atRest: AtRest;
  /** How responses show it (or that they never do). */
  shown: string;
}
export interface NotPersonal {
  personal: false;
  why: string;
}

const ACCOUNT = 'while the account exists; erased or anonymised with it';
const ORDER_RETENTION = '3 years after the order closes (电子商务法 Art 31), then anonymised';
const WORKER_RETENTION =
  'while the worker record exists; erased on an approved deletion request except legal holds';

export const dataInventory: Record<string, PersonalColumn | NotPersonal> = {
  // platform
  'audit_log.ip': {
    personal: true,
    class: 'internal',
    purpose: 'security audit (who did what from where)',
    basis: 'legal_duty',
    retention: '≥ 180 days (网络安全法 Art 21); kept 3 years',
    atRest: 'plain',
    shown: 'to auditors only',
  },
  'idempotency_key.response_body': {
    personal: true,
    class: 'internal',
    purpose: 'replaying the first response to a retried write',
    basis: 'contract',
    retention: '24 hours (purged by platform.idempotency_purge)',
    atRest: 'aes-256-gcm',
    shown: 'only to the same caller replaying the same key (stored as `{ enc }`)',
  },
  // identity (better-auth tables)
  'user.name': {
    personal: true,
    class: 'internal',
    purpose: 'addressing the account holder',
    basis: 'contract',
    retention: ACCOUNT,
    atRest: 'plain',
    shown: 'to the holder; others see it only where a role needs it',
  },
  'user.email': {
    personal: true,
    class: 'internal',
    purpose: 'better-auth needs an email: a synthetic `<phone>@phone.anxin.invalid` derived from the phone',
    basis: 'contract',
    retention: ACCOUNT,
    atRest: 'plain',
    shown: 'never',
  },
  'user.email_verified': { personal: false, why: 'flag' },
  'user.image': {
    personal: true,
    class: 'internal',
    purpose: 'avatar (unused today)',
    basis: 'consent',
    retention: ACCOUNT,
    atRest: 'plain',
    shown: 'never',
  },
  'user.phone_number': {
    personal: true,
    class: 'internal',
    purpose: 'sign-in and SMS notices',
    basis: 'contract',
    retention: ACCOUNT,
    atRest: 'plain',
    shown: 'masked 139****1234 except to the holder',
  },
  'user.phone_number_verified': { personal: false, why: 'flag' },
  'account.password': {
    personal: true,
    class: 'restricted',
    purpose: 'authentication',
    basis: 'contract',
    retention: ACCOUNT,
    atRest: 'scrypt',
    shown: 'never',
  },
  'account.access_token': { personal: false, why: 'unused by the phone/password provider (always null)' },
  'account.refresh_token': { personal: false, why: 'unused by the phone/password provider (always null)' },
  'account.id_token': { personal: false, why: 'unused by the phone/password provider (always null)' },
  'account.access_token_expires_at': { personal: false, why: 'unused' },
  'account.refresh_token_expires_at': { personal: false, why: 'unused' },
  'session.token': {
    personal: true,
    class: 'restricted',
    purpose: 'the signed-in session',
    basis: 'contract',
    retention: 'until logout or expiry (7 days)',
    atRest: 'plain',
    shown: 'only as the HttpOnly cookie',
  },
  'session.ip_address': {
    personal: true,
    class: 'internal',
    purpose: 'session security',
    basis: 'legal_duty',
    retention: 'with the session',
    atRest: 'plain',
    shown: 'never',
  },
  'session.user_agent': {
    personal: true,
    class: 'internal',
    purpose: 'session security',
    basis: 'legal_duty',
    retention: 'with the session',
    atRest: 'plain',
    shown: 'never',
  },
  // orgs
  'organization.name': { personal: false, why: 'a company or station name (public register)' },
  'organization.address': { personal: false, why: 'business premises (public register)' },
  'organization.lon': { personal: false, why: 'business premises' },
  'organization.lat': { personal: false, why: 'business premises' },
  'organization.contact_name': {
    personal: true,
    class: 'internal',
    purpose: 'regulator contact for the company',
    basis: 'public_disclosure',
    retention: 'while the organization exists',
    atRest: 'plain',
    shown: 'to the company and regulators',
  },
  'organization.contact_phone_enc': {
    personal: true,
    class: 'internal',
    purpose: 'regulator contact for the company',
    basis: 'public_disclosure',
    retention: 'while the organization exists',
    atRest: 'aes-256-gcm',
    shown: 'masked publicly; full to the company and regulators',
  },
  'org_invitation.phone_enc': {
    personal: true,
    class: 'internal',
    purpose: 'inviting a person into an organization',
    basis: 'contract',
    retention: 'until accepted, revoked or expired (7 days) + 1 year',
    atRest: 'aes-256-gcm',
    shown: 'masked',
  },
  'org_invitation.phone_hash': {
    personal: true,
    class: 'internal',
    purpose: 'finding the invitations of a phone',
    basis: 'contract',
    retention: 'with the invitation',
    atRest: 'keyed-hash',
    shown: 'never',
  },
  // workers
  'worker.name': {
    personal: true,
    class: 'internal',
    purpose: 'real-name record (实名)',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'plain',
    shown: 'masked 王** to the public and residents; full to the worker, employer and regulators',
  },
  'worker.id_number_enc': {
    personal: true,
    class: 'sensitive',
    purpose: 'identity check (人证合一)',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'aes-256-gcm',
    shown: 'masked 4401**********1234; full only to the worker and regulators in jurisdiction (audited)',
  },
  'worker.id_number_hash': {
    personal: true,
    class: 'sensitive',
    purpose: 'finding a worker by ID number without decrypting',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'keyed-hash',
    shown: 'never',
  },
  'worker.birth_date': {
    personal: true,
    class: 'internal',
    purpose: 'age rules and search by age',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'plain',
    shown: 'as an age',
  },
  'worker.sex': {
    personal: true,
    class: 'internal',
    purpose: 'search preference',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'plain',
    shown: 'yes',
  },
  'worker.phone_enc': {
    personal: true,
    class: 'internal',
    purpose: 'contacting the worker, SMS confirmation',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'aes-256-gcm',
    shown: 'masked except to the worker',
  },
  'worker.phone_hash': {
    personal: true,
    class: 'internal',
    purpose: 'matching a confirmation',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'keyed-hash',
    shown: 'never',
  },
  'worker.native_place': {
    personal: true,
    class: 'internal',
    purpose: 'search preference (籍贯)',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'plain',
    shown: 'yes',
  },
  'worker.intro': {
    personal: true,
    class: 'public',
    purpose: 'self-introduction shown on the profile',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'plain',
    shown: 'public profile',
  },
  'worker.base_lon': {
    personal: true,
    class: 'sensitive',
    purpose: 'approximate service base for distance search (rounded ~100 m)',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'plain',
    shown: 'never; only distances',
  },
  'worker.base_lat': {
    personal: true,
    class: 'sensitive',
    purpose: 'approximate service base for distance search (rounded ~100 m)',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'plain',
    shown: 'never; only distances',
  },
  'worker.photo_file_key': {
    personal: true,
    class: 'internal',
    purpose: 'photo on the card and verification page',
    basis: 'consent',
    retention: WORKER_RETENTION,
    atRest: 'plain',
    shown: 'the photo, to whoever verifies the certificate',
  },
  'worker_consent.ip': {
    personal: true,
    class: 'internal',
    purpose: 'evidence of the consent',
    basis: 'legal_duty',
    retention: 'with the consent record, 3 years after withdrawal',
    atRest: 'plain',
    shown: 'to the worker and regulators',
  },
  'worker_consent.text_version': { personal: false, why: 'version of the consent text' },
  'worker_consent.text_sha256': { personal: false, why: 'hash of the consent text' },
  // certification
  'qr_signing_key.secret': {
    personal: false,
    why: 'a platform signing key (restricted secret, AES-GCM encrypted), not personal data',
  },
  // efile
  'efile_grant.token_hash': { personal: false, why: 'hash of a share-link token' },
  // training
  'training_certificate.verify_token': {
    personal: false,
    why: 'opaque verification token of a public certificate',
  },
  'training_class.lon': { personal: false, why: 'venue location' },
  'training_class.lat': { personal: false, why: 'venue location' },
  'training_class.checkin_token': { personal: false, why: 'venue QR secret' },
  'training_question_bank.name': { personal: false, why: 'a question bank title' },
  'pre_job_training.course_name': { personal: false, why: 'a course title' },
  // orders
  'service_order.address_enc': {
    personal: true,
    class: 'sensitive',
    purpose: 'the home the worker goes to (whereabouts)',
    basis: 'contract',
    retention: ORDER_RETENTION,
    atRest: 'aes-256-gcm',
    shown:
      'full to the resident, the company and the assigned worker (read audited); masked to stations and regulators',
  },
  'service_order.address_masked': {
    personal: true,
    class: 'internal',
    purpose: 'lists and dashboards',
    basis: 'contract',
    retention: ORDER_RETENTION,
    atRest: 'plain',
    shown: 'masked form only',
  },
  'demand.address_enc': {
    personal: true,
    class: 'sensitive',
    purpose: 'the home a demand is for',
    basis: 'contract',
    retention: 'while open; with the order it became, else 1 year',
    atRest: 'aes-256-gcm',
    shown: 'full to the resident only',
  },
  'demand.address_masked': {
    personal: true,
    class: 'internal',
    purpose: 'companies and stations judging a demand',
    basis: 'contract',
    retention: 'with the demand',
    atRest: 'plain',
    shown: 'masked form only',
  },
  // discovery (a projection of public profile facts)
  'worker_search.masked_name': {
    personal: true,
    class: 'public',
    purpose: 'search results',
    basis: 'consent',
    retention: 'rebuilt from the worker record; removed with it',
    atRest: 'plain',
    shown: 'masked name',
  },
  'worker_search.sex': {
    personal: true,
    class: 'public',
    purpose: 'search filter',
    basis: 'consent',
    retention: 'rebuilt from the worker record; removed with it',
    atRest: 'plain',
    shown: 'yes',
  },
  'worker_search.native_place': {
    personal: true,
    class: 'public',
    purpose: 'search filter',
    basis: 'consent',
    retention: 'rebuilt from the worker record; removed with it',
    atRest: 'plain',
    shown: 'yes',
  },
  'worker_search.lon': {
    personal: true,
    class: 'sensitive',
    purpose: 'distance search (rounded base or district centroid)',
    basis: 'consent',
    retention: 'rebuilt from the worker record; removed with it',
    atRest: 'plain',
    shown: 'never; only distances',
  },
  'worker_search.lat': {
    personal: true,
    class: 'sensitive',
    purpose: 'distance search (rounded base or district centroid)',
    basis: 'consent',
    retention: 'rebuilt from the worker record; removed with it',
    atRest: 'plain',
    shown: 'never; only distances',
  },
  'worker_search.location': {
    personal: true,
    class: 'sensitive',
    purpose: 'the indexed point for distance search',
    basis: 'consent',
    retention: 'rebuilt from the worker record; removed with it',
    atRest: 'plain',
    shown: 'never',
  },
  'worker_search.company_name': { personal: false, why: 'the employer company name' },
  'worker_search.intro': {
    personal: true,
    class: 'public',
    purpose: 'search results',
    basis: 'consent',
    retention: 'rebuilt from the worker record; removed with it',
    atRest: 'plain',
    shown: 'public profile',
  },
  'org_search.name': { personal: false, why: 'organization name' },
  'org_search.address': { personal: false, why: 'business premises' },
  'org_search.lon': { personal: false, why: 'business premises' },
  'org_search.lat': { personal: false, why: 'business premises' },
  'org_search.location': { personal: false, why: 'business premises' },
};

/** Column names that suggest personal data; every match must have an inventory entry. */
export const personalNamePattern =
  /(^|_)(id_number|phone|address|addr|health|crime|criminal|bank_account|bank_card|birth|face|photo|child|infant|name|email|ip|lon|lat|location|native|sex|contact|user_agent|signature|image|password|token|secret|intro)(_|$)/;
