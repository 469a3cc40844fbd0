export {
  type CompanyExpelledPayload,
  createCreditService,
  type CreditDeps,
  type CreditEvents,
  type CreditService,
  type FeedbackStatsSource,
} from './credit.service.js';
export { creditRoutes } from './credit.routes.js';
export { seedCredit } from './credit.seed.js';
export { defaultScorecard, type ScorecardConfig } from './scorecard.js';
export { workerStarsSql } from './verify-facts.js';
