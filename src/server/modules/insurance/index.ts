export { claimStates, type ClaimState } from './claim-status.js';
export { coverageCodes, type CoverageCode } from './coverage.js';
export {
  createInsuranceService,
  type InsuranceEvents,
  type InsuranceService,
  type PolicyEventPayload,
} from './insurance.service.js';
export { insuranceRoutes } from './insurance.routes.js';
export { policyStates, type PolicyState } from './policy-status.js';
export { type InsuranceSeedInput, seedInsurance } from './insurance.seed.js';
// insights: workers insured on a day
export { insuredWorkersInsightsSql } from './insights-facts.js';
export { coverOf, coverUntilSql } from './verify-facts.js';
export { eraseClosedClaims } from './retention.js';
export {
  type InsuranceClaimFact,
  type InsuranceFacts,
  type InsurancePolicyFact,
  insuranceOf,
} from './efile-facts.js';
