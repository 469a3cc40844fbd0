export {
  createCertificationService,
  type CertificateEventPayload,
  type CertificationEvents,
  type CertificationService,
  type PublicVerification,
} from './certification.service.js';
export { certificationRoutes, verifyPageRoutes } from './certification.routes.js';
export { certificateCreditSql } from './credit-facts.js';
export { formatCertificateNumber, mod3736Check, parseCertificateNumber } from './certificate-number.js';
export { computeTrustStatus, type TrustStatus } from './trust-status.js';
export { colorLabels, reasonLabels } from './trust-status.js';
export type { OrgLookup, TrustFacts, TrustFactsSource } from './trust-facts.js';
export { seedCertificates } from './seed.js';
export {
  type CertificateGenerator,
  certificationBulkTables,
  createCertificateGenerator,
  sampleVerifyTokens,
} from './certification.generate.js';
export { type ExpiryReminderFact, expiryRemindersOf } from './efile-facts.js';
