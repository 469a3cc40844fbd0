export { createPartnersService, type PartnersDeps, type PartnersService } from './partners.service.js';
export { PARTNER_PREFIX, partnerApiRoutes, partnersRoutes } from './partners.routes.js';
export { partnerScopes, webhookEventNames, webhookTopics } from './partner-scopes.js';
export { SIGNATURE_HEADER, signPayload, verifySignature } from './signing.js';
export { DEV_SANDBOX_KEY, seedPartners } from './partners.seed.js';
export {
  type PartnerConsentFact,
  type PartnerFacts,
  type PartnerResidentFact,
  partnersOf,
} from './efile-facts.js';
