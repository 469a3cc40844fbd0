export {
  type Availability,
  createDiscoveryService,
  type DiscoveryDeps,
  type DiscoveryService,
  type OrgHit,
  type WorkerHit,
} from './discovery.service.js';
export { discoveryRoutes } from './discovery.routes.js';
export { metresToUnits, scaledPoint } from './geo.js';
// insights: certified workers' colours from the search projection
export { certifiedColorInsightsSql } from './insights-facts.js';
