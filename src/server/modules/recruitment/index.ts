export { applicationStates, type ApplicationState } from './application-status.js';
export {
  createRecruitmentService,
  type RecruitmentEvents,
  type RecruitmentService,
} from './recruitment.service.js';
export { recruitmentRoutes } from './recruitment.routes.js';
export { postModes, type PostMode } from './rules.js';
export { type RecruitmentSeedInput, seedRecruitment } from './recruitment.seed.js';
export { type RecruitmentFacts, recruitmentOf } from './efile-facts.js';
