export { interviewStates, type InterviewState } from './interview-status.js';
export {
  createMessagingService,
  type MessagingEventPayload,
  type MessagingService,
  messagingLimits,
} from './messaging.service.js';
export { messagingRoutes } from './messaging.routes.js';
export { messagingSocketRoutes } from './messaging.socket.js';
export { purgeOldConversations } from './retention.js';
export { messagingOfWorker, type MessagingFacts } from './efile-facts.js';
