export {
  createFeedbackService,
  type FeedbackDeps,
  type FeedbackEvents,
  type FeedbackService,
  type ReviewEventPayload,
} from './feedback.service.js';
export type { FeedbackStats, RatedSubject } from './feedback.stats.js';
export { complaintStates, type ComplaintState } from './complaint-status.js';
export { feedbackRoutes } from './feedback.routes.js';
export { type FeedbackSeedInput, seedFeedback } from './feedback.seed.js';
// insights: complaints per month and district with the SLA share
export { complaintInsightsSql } from './insights-facts.js';
export { anonymiseClosedComplaints } from './retention.js';
export { type FeedbackDealingFacts, feedbackOfWorker } from './efile-facts.js';
