export { CONSENT_SHA256, CONSENT_TEXT, CONSENT_VERSION } from './consent.js';
export type { TrustFacts } from './trust-facts.js';
export {
  type BackgroundCheckProvider,
  createWorkersService,
  manualBackgroundCheckProvider,
  type WorkersService,
} from './workers.service.js';
export { workersRoutes } from './workers.routes.js';
export { workerCreditFactsSql } from './credit-facts.js';
export { trustFactsFromJson, workerTrustFactsJsonSql } from './verify-facts.js';
export { workerNameSql, workerUserIdSql } from './name-facts.js';
export { seedDemoWorkers, type SeedWorkersInput } from './workers.seed.js';
export { createWorkerEfileQueries, type WorkerEfileQueries, type WorkerRecord } from './efile-queries.js';
export { type GenerateWorkersInput, generateWorkers, workersBulkTables } from './workers.generate.js';
// insights: market-wide rollup fragment over this module's tables
export { workerInsightsSql } from './insights-facts.js';
export { purgeWithdrawnConsents } from './retention.js';
