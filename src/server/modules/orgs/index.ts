export {
  createOrgsService,
  type CompanyDetail,
  type NewOrganization,
  type OrgsService,
  type PublicOrganization,
} from './orgs.service.js';
export { orgsRoutes } from './orgs.routes.js';
export { companyCreditFactsSql } from './credit-facts.js';
export { companyVerifyJsonSql } from './verify-facts.js';
export { activeMembershipsJsonSql } from './actor-facts.js';
export { organizationNameSql, organizationQuoteJsonSql } from './name-facts.js';
export type { ApplicationStatus, OrgStatus } from './application-status.js';
// insights: market-wide rollup fragments over this module's tables
export { companyInsightsSql, companyListInsightsSql } from './insights-facts.js';
export { purgeClosedInvitations } from './retention.js';
export { type MembershipFact, membershipsOfUser } from './efile-facts.js';
