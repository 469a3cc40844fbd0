export {
  createInsightsService,
  DEFAULT_MIN_SAMPLES,
  type InsightsDeps,
  type InsightsService,
} from './insights.service.js';
export { insightsRoutes } from './insights.routes.js';
export { seedInsights } from './insights.seed.js';
export { wagePositions, type WagePosition } from './wage-positions.js';
